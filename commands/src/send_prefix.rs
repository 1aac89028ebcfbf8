use crate::keys::Key;
use crate::options::Value;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};
use crate::host::OptionScope;

/// Send the prefix key to a pane, as if typed twice.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SendPrefix {
    /// Send the secondary prefix (prefix2).
    #[arg(short = '2')]
    second: bool,
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
}

impl Command for SendPrefix {
    const NAME: &'static str = "send-prefix";
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let found = host.find(io, self.target.as_deref(), TargetKind::Pane)?;
        let name = if self.second { "prefix2" } else { "prefix" };
        let value = crate::set_option::effective(host, OptionScope::Session(found.session), name);
        let Some(key) = value.as_ref().map(Value::as_str).and_then(Key::parse) else {
            return Ok(Flow::Continue);
        };
        let bytes = key.encode(host.input_modes(found.pane));
        host.write_pane(found.pane, &bytes)?;
        Ok(Flow::Continue)
    }
}
