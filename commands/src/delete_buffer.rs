use crate::{bail, CmdResult, Command, Flow, Host, Io};

/// Delete a paste buffer (default: the most recent).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct DeleteBuffer {
    /// The buffer.
    #[arg(short = 'b', value_name = "buffer-name")]
    buffer: Option<String>,
}

impl Command for DeleteBuffer {
    const NAME: &'static str = "delete-buffer";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("deleteb");

    fn exec(self, host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        if !host.delete_buffer(self.buffer.as_deref()) {
            match self.buffer {
                Some(n) => bail!("no buffer {n}"),
                None => bail!("no buffers"),
            }
        }
        Ok(Flow::Continue)
    }
}
