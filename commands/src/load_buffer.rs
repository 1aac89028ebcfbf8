use crate::save_buffer::client_path;
use crate::{bail, CmdResult, Command, Flow, Host, Io};

/// Load a file into a paste buffer.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct LoadBuffer {
    /// The buffer (default: a new automatically named one).
    #[arg(short = 'b', value_name = "buffer-name")]
    buffer: Option<String>,
    /// The file, relative to the client's directory.
    #[arg(value_name = "path", required = true)]
    path: String,
}

impl Command for LoadBuffer {
    const NAME: &'static str = "load-buffer";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("loadb");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let path = client_path(io, &self.path);
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => bail!("{}: {}", path.display(), crate::util::os_error(&e)),
        };
        if meta.len() > crate::proto::MAX_FRAME as u64 {
            bail!("{}: larger than {} bytes", path.display(), crate::proto::MAX_FRAME);
        }
        match std::fs::read(&path) {
            Ok(data) => {
                host.set_buffer(self.buffer.as_deref(), String::from_utf8_lossy(&data).into_owned())?;
                Ok(Flow::Continue)
            }
            Err(e) => bail!("{}: {}", path.display(), crate::util::os_error(&e)),
        }
    }
}
