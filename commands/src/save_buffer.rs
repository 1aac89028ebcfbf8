use crate::show_buffer::named;
use crate::{bail, CmdResult, Command, Flow, Host, Io};
use std::io::Write;

/// Save a paste buffer to a file (`-` is stdout).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SaveBuffer {
    /// Append to the file.
    #[arg(short = 'a')]
    append: bool,
    /// The buffer (default: the most recent).
    #[arg(short = 'b', value_name = "buffer-name")]
    buffer: Option<String>,
    /// The file, relative to the client's directory.
    #[arg(value_name = "path", required = true)]
    path: String,
}

/// A path as the client meant it: relative to its working directory.
pub(crate) fn client_path(io: &Io, path: &str) -> std::path::PathBuf {
    let p = std::path::Path::new(path);
    match (&io.caller.cwd, p.is_absolute()) {
        (Some(cwd), false) => std::path::Path::new(cwd).join(p),
        _ => p.to_path_buf(),
    }
}

impl Command for SaveBuffer {
    const NAME: &'static str = "save-buffer";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("saveb");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let (_, data) = named(host, self.buffer.as_deref())?;
        if self.path == "-" {
            io.out.push_str(&data);
            return Ok(Flow::Continue);
        }
        let path = client_path(io, &self.path);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(self.append)
            .truncate(!self.append)
            .open(&path);
        match file.and_then(|mut f| f.write_all(data.as_bytes())) {
            Ok(()) => Ok(Flow::Continue),
            Err(e) => bail!("{}: {}", path.display(), crate::util::os_error(&e)),
        }
    }
}
