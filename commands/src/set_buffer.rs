use crate::show_buffer::named;
use crate::{bail, CmdResult, Command, Flow, Host, Io};

/// Set a paste buffer's contents, or rename one with -n.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SetBuffer {
    /// Append to the buffer instead of replacing it.
    #[arg(short = 'a')]
    append: bool,
    /// The buffer (default: a new automatically named one).
    #[arg(short = 'b', value_name = "buffer-name")]
    buffer: Option<String>,
    /// Rename the buffer to this name.
    #[arg(short = 'n', value_name = "new-buffer-name")]
    rename: Option<String>,
    /// The contents.
    #[arg(value_name = "data")]
    data: Option<String>,
}

impl Command for SetBuffer {
    const NAME: &'static str = "set-buffer";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("setb");

    fn exec(self, host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        if let Some(new) = &self.rename {
            let (old, data) = named(host, self.buffer.as_deref())?;
            host.delete_buffer(Some(&old));
            host.set_buffer(Some(new), data)?;
            return Ok(Flow::Continue);
        }
        let Some(data) = self.data else {
            bail!("no data specified");
        };
        let data = match (self.append, self.buffer.as_deref()) {
            (true, name) => match host.buffer(name) {
                Some((_, old)) => old + &data,
                None => data,
            },
            (false, _) => data,
        };
        let name = match (self.append, self.buffer.as_deref()) {
            (_, Some(n)) => Some(n.to_string()),
            (true, None) => host.buffer(None).map(|(n, _)| n),
            (false, None) => None,
        };
        host.set_buffer(name.as_deref(), data)?;
        Ok(Flow::Continue)
    }
}
