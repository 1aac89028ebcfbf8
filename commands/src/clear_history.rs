use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Remove a pane's scrollback history.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ClearHistory {
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
}

impl Command for ClearHistory {
    const NAME: &'static str = "clear-history";
    const ALIAS: Option<&'static str> = Some("clearhist");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        host.clear_history(pane);
        Ok(Flow::Continue)
    }
}
