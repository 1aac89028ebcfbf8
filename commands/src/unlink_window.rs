use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Unlink a window from a session. Only a window linked into another
/// session too may be unlinked, unless -k is given; a window unlinked from
/// its last session is destroyed.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct UnlinkWindow {
    /// Unlink even the window's last link, destroying it.
    #[arg(short = 'k')]
    kill: bool,
    /// The window to unlink (default: the current window).
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
}

impl Command for UnlinkWindow {
    const NAME: &'static str = "unlink-window";
    const ALIAS: Option<&'static str> = Some("unlinkw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let at = host.find(io, self.target.as_deref(), TargetKind::Window)?;
        host.unlink_window(&at, self.kill)?;
        Ok(Flow::Continue)
    }
}
