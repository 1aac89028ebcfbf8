use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Swap two windows, in one session or across two: each takes the
/// other's index.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SwapWindow {
    /// Make the target index (where the source window now is) current in
    /// its session, and the source index in the source session.
    #[arg(short = 'd')]
    detached: bool,
    /// The window to swap with the target (default: the current window).
    #[arg(short = 's', value_name = "src-window")]
    source: Option<String>,
    /// The window to swap.
    #[arg(short = 't', value_name = "dst-window")]
    target: Option<String>,
}

impl Command for SwapWindow {
    const NAME: &'static str = "swap-window";
    const ALIAS: Option<&'static str> = Some("swapw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let src = host.find_source(io, self.source.as_deref(), TargetKind::Window)?;
        let dst = host.find(io, self.target.as_deref(), TargetKind::Window)?;
        if src.window != dst.window {
            host.swap_windows(&src, &dst, self.detached)?;
        }
        Ok(Flow::Continue)
    }
}
