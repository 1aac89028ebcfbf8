use crate::util::strtonum;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// The largest window tmux makes, in either direction.
const WINDOW_MAXIMUM: i64 = 10_000;

/// Resize a window. Its size becomes manual: it no longer follows the
/// clients' (the window-size option is set to `manual` for it).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ResizeWindow {
    /// Size the window to the smallest client showing its session.
    #[arg(short = 'a')]
    smallest: bool,
    /// Size the window to the largest client showing its session.
    #[arg(short = 'A')]
    largest: bool,
    /// Make the window taller by the adjustment.
    #[arg(short = 'D')]
    down: bool,
    /// Make the window narrower by the adjustment.
    #[arg(short = 'L')]
    left: bool,
    /// Make the window wider by the adjustment.
    #[arg(short = 'R')]
    right: bool,
    /// Make the window shorter by the adjustment.
    #[arg(short = 'U')]
    up: bool,
    /// New width.
    #[arg(short = 'x', value_name = "width")]
    width: Option<String>,
    /// New height.
    #[arg(short = 'y', value_name = "height")]
    height: Option<String>,
    /// The window.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
    /// Cells to resize by with -D, -L, -R or -U (default 1).
    #[arg(value_name = "adjustment")]
    adjustment: Option<String>,
}

impl Command for ResizeWindow {
    const NAME: &'static str = "resize-window";
    const ALIAS: Option<&'static str> = Some("resizew");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let found = host.find(io, self.target.as_deref(), TargetKind::Window)?;
        let adjust = match self.adjustment.as_deref() {
            None => 1,
            Some(a) => match strtonum(a, 1, i32::MAX as i64) {
                Ok(n) => n as u32,
                Err(why) => bail!("adjustment {why}"),
            },
        };
        let (mut sx, mut sy) = host.window_size(found.window);
        if let Some(w) = &self.width {
            sx = dimension(w, "width")?;
        }
        if let Some(h) = &self.height {
            sy = dimension(h, "height")?;
        }
        // One direction only, as in tmux; shrinking never goes below 0
        // before the size is clamped to at least 1.
        if self.left {
            sx = sx.checked_sub(adjust).unwrap_or(sx);
        } else if self.right {
            sx = sx.saturating_add(adjust);
        } else if self.up {
            sy = sy.checked_sub(adjust).unwrap_or(sy);
        } else if self.down {
            sy = sy.saturating_add(adjust);
        }
        if self.largest || self.smallest {
            (sx, sy) = host.clients_size(found.session, self.largest);
        }
        let clamp = |n: u32| n.clamp(1, WINDOW_MAXIMUM as u32);
        host.resize_window(found.window, clamp(sx), clamp(sy))?;
        Ok(Flow::Continue)
    }
}

fn dimension(s: &str, what: &str) -> CmdResult<u32> {
    match strtonum(s, 1, WINDOW_MAXIMUM) {
        Ok(n) => Ok(n as u32),
        Err(why) => bail!("{what} {why}"),
    }
}
