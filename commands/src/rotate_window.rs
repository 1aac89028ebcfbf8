use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Rotate the places of the panes in a window: each pane moves to the
/// place of the one before it (or, with -D, after it). The active pane's
/// place stays active.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct RotateWindow {
    /// Rotate downwards: each pane moves to the next pane's place.
    #[arg(short = 'D')]
    down: bool,
    /// Rotate upwards (the default): each pane moves to the previous
    /// pane's place.
    #[arg(short = 'U')]
    up: bool,
    /// Keep the window zoomed if it was.
    #[arg(short = 'Z')]
    zoom: bool,
    /// The window.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
}

impl Command for RotateWindow {
    const NAME: &'static str = "rotate-window";
    const ALIAS: Option<&'static str> = Some("rotatew");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let found = host.find(io, self.target.as_deref(), TargetKind::Window)?;
        host.rotate_window(found.window, self.down, self.zoom)?;
        Ok(Flow::Continue)
    }
}
