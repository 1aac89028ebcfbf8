use crate::host::{Direction, MouseDrag, Resize};
use crate::util::parse_size;
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Resize a pane by moving its borders, to a size, or zoom it.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ResizePane {
    /// Move the bottom border down by the adjustment.
    #[arg(short = 'D')]
    down: bool,
    /// Move the border left by the adjustment.
    #[arg(short = 'L')]
    left: bool,
    /// Move the border right by the adjustment.
    #[arg(short = 'R')]
    right: bool,
    /// Move the border up by the adjustment.
    #[arg(short = 'U')]
    up: bool,
    /// Move the border under the mouse as it is dragged.
    #[arg(short = 'M')]
    mouse: bool,
    /// Toggle zoom: the pane fills the window until unzoomed.
    #[arg(short = 'Z')]
    zoom: bool,
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// New width, in columns or as a percentage of the window.
    #[arg(short = 'x', value_name = "width")]
    width: Option<String>,
    /// New height, in lines or as a percentage of the window.
    #[arg(short = 'y', value_name = "height")]
    height: Option<String>,
    /// Cells to move the border by (default 1).
    #[arg(value_name = "adjustment")]
    adjustment: Option<String>,
}

impl Command for ResizePane {
    const NAME: &'static str = "resize-pane";
    const ALIAS: Option<&'static str> = Some("resizep");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if self.mouse {
            let (Some(m), Some(client)) = (io.caller.mouse, io.caller.client) else {
                bail!("no mouse target");
            };
            host.mouse_drag(client, &m, MouseDrag::Border)?;
            return Ok(Flow::Continue);
        }
        let p = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        if self.zoom {
            host.resize_pane(p, Resize::ToggleZoom)?;
            return Ok(Flow::Continue);
        }
        if let Some(w) = &self.width {
            host.resize_pane(p, Resize::Width(parse_size(w, "width")?))?;
        }
        if let Some(h) = &self.height {
            host.resize_pane(p, Resize::Height(parse_size(h, "height")?))?;
        }
        let n = match self.adjustment.as_deref() {
            None => 1,
            Some(a) => match a.parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => bail!("adjustment invalid: {a}"),
            },
        };
        for (on, dir) in [
            (self.left, Direction::Left),
            (self.right, Direction::Right),
            (self.up, Direction::Up),
            (self.down, Direction::Down),
        ] {
            if on {
                host.resize_pane(p, Resize::Adjust(dir, n))?;
            }
        }
        Ok(Flow::Continue)
    }
}
