use crate::next_window::{step, step_alert};
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Make the previous window (by index, wrapping around) the current one.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct PreviousWindow {
    /// The previous window with an alert (bell, activity or silence).
    #[arg(short = 'a')]
    alert: bool,
    /// The session to move in.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
}

impl Command for PreviousWindow {
    const NAME: &'static str = "previous-window";
    const ALIAS: Option<&'static str> = Some("prev");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let s = host.find(io, self.target.as_deref(), TargetKind::Session)?.session;
        let index = if self.alert {
            step_alert(host, io, s, false)?
        } else {
            step(host, s, false)?
        };
        host.select_window(s, index)?;
        Ok(Flow::Continue)
    }
}
