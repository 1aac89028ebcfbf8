use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Make the previously active pane of a window active again.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct LastPane {
    /// The window.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
}

impl Command for LastPane {
    const NAME: &'static str = "last-pane";
    const ALIAS: Option<&'static str> = Some("lastp");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let found = host.find(io, self.target.as_deref(), TargetKind::Window)?;
        let Some(pane) = host.last_pane(found.window) else {
            bail!("no last pane");
        };
        host.select_pane(pane);
        Ok(Flow::Continue)
    }
}
