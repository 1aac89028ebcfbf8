use crate::next_window::step;
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Make a window the current window of its session.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SelectWindow {
    /// Select the previously current window (like last-window).
    #[arg(short = 'l')]
    last: bool,
    /// Select the next window (like next-window).
    #[arg(short = 'n')]
    next: bool,
    /// Select the previous window (like previous-window).
    #[arg(short = 'p')]
    previous: bool,
    /// If the window is already current, select the last window instead.
    #[arg(short = 'T')]
    toggle: bool,
    /// The window to select.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
}

impl Command for SelectWindow {
    const NAME: &'static str = "select-window";
    const ALIAS: Option<&'static str> = Some("selectw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let kind = if self.last || self.next || self.previous {
            TargetKind::Session
        } else {
            TargetKind::Window
        };
        let found = host.find(io, self.target.as_deref(), kind)?;
        let s = found.session;
        let current = host.session_found(s).map(|f| f.index);
        let index = if self.next || self.previous {
            step(host, s, self.next)?
        } else if self.last || (self.toggle && current == Some(found.index)) {
            match host.last_window(s) {
                Some(i) => i,
                None => bail!("no last window"),
            }
        } else {
            found.index
        };
        host.select_window(s, index)?;
        Ok(Flow::Continue)
    }
}
