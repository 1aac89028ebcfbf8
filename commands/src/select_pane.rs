use crate::host::{Direction, OptionScope};
use crate::options::Value;
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Make a pane the active pane of its window, or set its title with -T,
/// or stop (-d) and restart (-e) input to it.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SelectPane {
    /// Select the pane below the target.
    #[arg(short = 'D')]
    down: bool,
    /// Keys typed or sent no longer reach the pane.
    #[arg(short = 'd')]
    disable_input: bool,
    /// Keys reach the pane again.
    #[arg(short = 'e')]
    enable_input: bool,
    /// Print the pane's window-style (tmux keeps it for old scripts).
    #[arg(short = 'g')]
    show_style: bool,
    /// Set the pane's window-style and window-active-style.
    #[arg(short = 'P', value_name = "style")]
    style: Option<String>,
    /// Select the pane left of the target.
    #[arg(short = 'L')]
    left: bool,
    /// Select the previously active pane of the window.
    #[arg(short = 'l')]
    last: bool,
    /// Select the pane right of the target.
    #[arg(short = 'R')]
    right: bool,
    /// Select the pane above the target.
    #[arg(short = 'U')]
    up: bool,
    /// Keep the window zoomed.
    #[arg(short = 'Z')]
    keep_zoom: bool,
    /// Mark the pane (or, if it is the marked one, clear the mark): `~`
    /// names it, and join-pane, move-pane, swap-pane and swap-window take
    /// it as their source by default.
    #[arg(short = 'm')]
    mark: bool,
    /// Clear the marked pane.
    #[arg(short = 'M')]
    unmark: bool,
    /// Set the pane's title instead of selecting it.
    #[arg(short = 'T', value_name = "title")]
    title: Option<String>,
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
}

impl Command for SelectPane {
    const NAME: &'static str = "select-pane";
    const ALIAS: Option<&'static str> = Some("selectp");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let found = host.find(io, self.target.as_deref(), TargetKind::Pane)?;
        if self.mark || self.unmark {
            // -m marks the pane, or clears the mark if it is the marked one.
            let marked = host.marked().is_some_and(|m| m == found);
            host.set_marked((!self.unmark && !marked).then_some(found));
            return Ok(Flow::Continue);
        }
        // tmux's order: -P then -g, -e/-d, -T, and only then selecting.
        if let Some(style) = &self.style
            && let Some(opts) = host.options_mut(OptionScope::Pane(found.pane))
        {
            opts.set("window-style", Value::Str(style.clone()));
            opts.set("window-active-style", Value::Str(style.clone()));
        }
        if self.show_style {
            let style = crate::set_option::effective(host, OptionScope::Pane(found.pane), "window-style")
                .map(|v| v.to_text())
                .unwrap_or_default();
            io.print(&style);
            return Ok(Flow::Continue);
        }
        if self.enable_input || self.disable_input {
            host.set_pane_input(found.pane, self.enable_input);
            return Ok(Flow::Continue);
        }
        if let Some(title) = &self.title {
            let title = host.expand(io, title, Some(&found));
            host.set_pane_title(found.pane, &title);
            return Ok(Flow::Continue);
        }
        let pane = if self.last {
            match host.last_pane(found.window) {
                Some(p) => p,
                None => bail!("no last pane"),
            }
        } else if let Some(dir) = [
            (self.left, Direction::Left),
            (self.right, Direction::Right),
            (self.up, Direction::Up),
            (self.down, Direction::Down),
        ]
        .iter()
        .find(|(on, _)| *on)
        .map(|(_, d)| *d)
        {
            match host.neighbour(found.pane, dir) {
                Some(p) => p,
                None => return Ok(Flow::Continue),
            }
        } else {
            found.pane
        };
        host.select_pane(pane);
        Ok(Flow::Continue)
    }
}
