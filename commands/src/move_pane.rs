use crate::join_pane::{JoinPane, join};
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Move a pane next to another: the same as join-pane.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct MovePane {
    #[command(flatten)]
    args: JoinPane,
}

impl Command for MovePane {
    const NAME: &'static str = "move-pane";
    const ALIAS: Option<&'static str> = Some("movep");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        join(self.args, host, io)
    }
}
