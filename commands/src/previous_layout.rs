use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Apply the previous preset layout to a window.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct PreviousLayout {
    /// The window.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
}

impl Command for PreviousLayout {
    const NAME: &'static str = "previous-layout";
    const ALIAS: Option<&'static str> = Some("prevl");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let w = host.find(io, self.target.as_deref(), TargetKind::Window)?.window;
        host.cycle_layout(w, false)?;
        Ok(Flow::Continue)
    }
}
