use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Swap two panes, in one window or across windows.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SwapPane {
    /// Leave the active panes as they are.
    #[arg(short = 'd')]
    detached: bool,
    /// Swap the target with the pane after it.
    #[arg(short = 'D')]
    down: bool,
    /// Swap the target with the pane before it.
    #[arg(short = 'U')]
    up: bool,
    /// Keep the window zoomed if it was.
    #[arg(short = 'Z')]
    zoom: bool,
    /// The pane to swap with the target (default: the current pane).
    #[arg(short = 's', value_name = "src-pane")]
    source: Option<String>,
    /// The pane to swap.
    #[arg(short = 't', value_name = "dst-pane")]
    target: Option<String>,
}

impl Command for SwapPane {
    const NAME: &'static str = "swap-pane";
    const ALIAS: Option<&'static str> = Some("swapp");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let dst = host.find(io, self.target.as_deref(), TargetKind::Pane)?;
        let src = if self.down || self.up {
            // The neighbour in the window's pane order, wrapping around.
            let panes = host.panes(dst.window);
            let i = panes.iter().position(|p| *p == dst.pane).unwrap_or(0);
            let n = panes.len();
            let j = if self.down { (i + 1) % n } else { (i + n - 1) % n };
            panes[j]
        } else {
            host.find_source(io, self.source.as_deref(), TargetKind::Pane)?.pane
        };
        let zoomed = self.zoom && host.expand(io, "#{window_zoomed_flag}", Some(&dst)) == "1";
        host.swap_panes(src, dst.pane, self.detached)?;
        if let (true, Some(f)) = (zoomed, host.pane_found(dst.pane)) {
            let active = host.window_found(f.session, f.index).map_or(f.pane, |w| w.pane);
            host.resize_pane(active, crate::host::Resize::ToggleZoom)?;
        }
        Ok(Flow::Continue)
    }
}
