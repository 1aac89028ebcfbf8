use crate::{bail, CmdResult, Command, Flow, Host, Io};

/// Print the contents of a paste buffer.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ShowBuffer {
    /// The buffer (default: the most recent).
    #[arg(short = 'b', value_name = "buffer-name")]
    buffer: Option<String>,
}

/// The buffer a command names, or the error tmux gives.
pub(crate) fn named(host: &dyn Host, name: Option<&str>) -> CmdResult<(String, String)> {
    match (host.buffer(name), name) {
        (Some(b), _) => Ok(b),
        (None, Some(n)) => bail!("no buffer {n}"),
        (None, None) => bail!("no buffers"),
    }
}

impl Command for ShowBuffer {
    const NAME: &'static str = "show-buffer";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("showb");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let (_, data) = named(host, self.buffer.as_deref())?;
        io.out.push_str(&data);
        Ok(Flow::Continue)
    }
}
