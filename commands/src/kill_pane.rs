use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Destroy a pane; its window closes when it was the last pane.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct KillPane {
    /// Kill every other pane of the window instead.
    #[arg(short = 'a')]
    all_others: bool,
    /// The pane to kill.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
}

impl Command for KillPane {
    const NAME: &'static str = "kill-pane";
    const ALIAS: Option<&'static str> = Some("killp");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let found = host.find(io, self.target.as_deref(), TargetKind::Pane)?;
        if self.all_others {
            for p in host.panes(found.window) {
                if p != found.pane {
                    host.kill_pane(p);
                }
            }
        } else {
            host.kill_pane(found.pane);
        }
        Ok(Flow::Continue)
    }
}
