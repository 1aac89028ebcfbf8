use crate::host::WindowPlace;
use crate::new_window::PRINT_FORMAT;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Move a pane out of its window into a new window of its own.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct BreakPane {
    /// Put the new window just after the target index, moving later ones up.
    #[arg(short = 'a')]
    after: bool,
    /// Put the new window just before the target index.
    #[arg(short = 'b')]
    before: bool,
    /// Do not make the new window the current one.
    #[arg(short = 'd')]
    detached: bool,
    /// Print information about the new window (format from -F).
    #[arg(short = 'P')]
    print: bool,
    /// Format printed by -P.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Name of the new window.
    #[arg(short = 'n', value_name = "window-name")]
    name: Option<String>,
    /// The pane to move (default: the current pane).
    #[arg(short = 's', value_name = "src-pane")]
    source: Option<String>,
    /// The session, or session:index, for the new window.
    #[arg(short = 't', value_name = "dst-window")]
    target: Option<String>,
}

impl Command for BreakPane {
    const NAME: &'static str = "break-pane";
    const ALIAS: Option<&'static str> = Some("breakp");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if let Some(n) = &self.name {
            crate::util::check_length("window name", n)?;
        }
        let src = host.find(io, self.source.as_deref(), TargetKind::Pane)?;
        let (session, index) = match self.target.as_deref() {
            Some(t) => host.find_index(io, Some(t))?,
            None => (src.session, None),
        };
        let place = match index {
            Some(i) if self.after => WindowPlace::After(i),
            Some(i) if self.before => WindowPlace::Before(i),
            Some(i) if let Some(there) = host.window_found(session, i) => {
                if there.window == src.window && host.panes(src.window).len() == 1 {
                    bail!("same index: {i}")
                }
                bail!("index in use: {i}")
            }
            Some(index) => WindowPlace::At { index, kill: false },
            None if self.after => WindowPlace::After(src.index),
            None if self.before => WindowPlace::Before(src.index),
            None => WindowPlace::Free,
        };
        let found = host.break_pane(src.pane, session, place, self.name, !self.detached)?;
        if self.print {
            let fmt = self.format.as_deref().unwrap_or(PRINT_FORMAT);
            let line = host.expand(io, fmt, Some(&found));
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}
