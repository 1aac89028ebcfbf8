use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Show a large clock in a pane (clock-mode-colour, clock-mode-style)
/// until a key is pressed.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ClockMode {
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
}

impl Command for ClockMode {
    const NAME: &'static str = "clock-mode";
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        host.clock_mode(pane);
        Ok(Flow::Continue)
    }
}
