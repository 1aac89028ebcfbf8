use crate::host::MouseDrag;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Enter copy mode: scroll the pane's history, select and copy text.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct CopyMode {
    /// Leave copy mode when scrolled to the bottom.
    #[arg(short = 'e')]
    exit_at_bottom: bool,
    /// Hide the position indicator (accepted).
    #[arg(short = 'H')]
    hide_position: bool,
    /// Start selecting where the mouse is, following the drag.
    #[arg(short = 'M')]
    mouse: bool,
    /// Leave copy mode.
    #[arg(short = 'q')]
    cancel: bool,
    /// Scroll up a page on entering.
    #[arg(short = 'u')]
    page_up: bool,
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
}

impl Command for CopyMode {
    const NAME: &'static str = "copy-mode";
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        let _ = self.hide_position;
        host.copy_mode(pane, self.page_up, self.exit_at_bottom, self.cancel)?;
        if self.mouse {
            let (Some(m), Some(client)) = (io.caller.mouse, io.caller.client) else {
                bail!("no mouse target");
            };
            host.mouse_drag(client, &m, MouseDrag::Select(pane))?;
        }
        Ok(Flow::Continue)
    }
}
