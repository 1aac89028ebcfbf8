use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Arrange a window's panes in a preset layout (even-horizontal,
/// even-vertical, main-horizontal, main-vertical, tiled) or a layout string
/// from #{window_layout}.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SelectLayout {
    /// Apply the next preset layout.
    #[arg(short = 'n')]
    next: bool,
    /// Spread the pane and its neighbours out evenly.
    #[arg(short = 'E')]
    spread: bool,
    /// Apply the previous preset layout.
    #[arg(short = 'p')]
    previous: bool,
    /// The window (or a pane of it).
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// The layout; without one, the window's last preset is applied again.
    #[arg(value_name = "layout-name")]
    layout: Option<String>,
}

impl Command for SelectLayout {
    const NAME: &'static str = "select-layout";
    const ALIAS: Option<&'static str> = Some("selectl");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let at = host.find(io, self.target.as_deref(), TargetKind::Pane)?;
        let w = at.window;
        if self.spread {
            host.spread_layout(w, at.pane)?;
        } else if self.next || self.previous {
            host.cycle_layout(w, self.next)?;
        } else {
            host.select_layout(w, self.layout.as_deref().unwrap_or(""))?;
        }
        Ok(Flow::Continue)
    }
}
