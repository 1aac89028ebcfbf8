use crate::host::PopupSpec;
use crate::util::strtonum;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Show a popup over a client: a program on a terminal of its own, drawn
/// in a box over the panes, that takes the client's keys while it shows.
/// The command waits until the popup closes; a command-line client then
/// exits with the program's exit status. Without -E, Escape or C-c closes
/// it. Nothing shows if the popup does not fit on the client, or if it
/// shows a popup or menu already.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct DisplayPopup {
    /// No border.
    #[arg(short = 'B')]
    no_border: bool,
    /// Close the client's popup (or menu) instead.
    #[arg(short = 'C')]
    close: bool,
    /// Close the popup when the program exits; given twice, only when it
    /// exits with status 0.
    #[arg(short = 'E', action = clap::ArgAction::Count)]
    close_on_exit: u8,
    /// The characters of the border, as popup-border-lines (default: that
    /// option).
    #[arg(short = 'b', value_name = "border-lines")]
    border_lines: Option<String>,
    /// The client to show it on (default: the current one).
    #[arg(short = 'c', value_name = "target-client")]
    client: Option<String>,
    /// Working directory of the program, a format (default: the client's).
    #[arg(short = 'd', value_name = "start-directory")]
    cwd: Option<String>,
    /// Set VARIABLE=value in the program's environment; repeatable.
    #[arg(short = 'e', value_name = "environment")]
    env: Vec<String>,
    /// Height, in lines or a percentage of the client's (default: 50%).
    #[arg(short = 'h', value_name = "height")]
    height: Option<String>,
    /// Style of the popup (default: popup-style).
    #[arg(short = 's', value_name = "style")]
    style: Option<String>,
    /// Style of the border (default: popup-border-style).
    #[arg(short = 'S', value_name = "border-style")]
    border_style: Option<String>,
    /// The pane the position and formats refer to.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// Title on the top border, a format.
    #[arg(short = 'T', value_name = "title")]
    title: Option<String>,
    /// Width, in columns or a percentage of the client's (default: 50%).
    #[arg(short = 'w', value_name = "width")]
    width: Option<String>,
    /// Column, or C (centred, the default), R (the pane's right edge), P
    /// (the pane's left), M (the mouse), W (the window's name on the
    /// status line); a format.
    #[arg(short = 'x', value_name = "position")]
    x: Option<String>,
    /// Line of the popup's bottom edge, or C (centred, the default), P
    /// (the pane's bottom), M (the mouse), S (the status line), W (the
    /// window's name on the status line); a format.
    #[arg(short = 'y', value_name = "position")]
    y: Option<String>,
    /// The program: one argument runs with the shell, several run
    /// directly (default: default-command, else the shell).
    #[arg(value_name = "shell-command", trailing_var_arg = true)]
    command: Vec<String>,
}

/// tmux's args_percentage: a number from `min` to `max`, or a percentage
/// of `of`.
pub(crate) fn percentage(value: &str, min: i64, max: i64, of: i64) -> Result<i64, &'static str> {
    match value.strip_suffix('%') {
        Some(p) => {
            let n = strtonum(p, 0, 100)? * of / 100;
            if n < min {
                Err("too small")
            } else if n > max {
                Err("too large")
            } else {
                Ok(n)
            }
        }
        None => strtonum(value, min, max),
    }
}

impl Command for DisplayPopup {
    const NAME: &'static str = "display-popup";
    const ALIAS: Option<&'static str> = Some("popup");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let client = host.find_client(io, self.client.as_deref())?;
        let at = host.find(io, self.target.as_deref(), TargetKind::Pane)?;
        if self.close {
            host.clear_overlay(client);
            return Ok(Flow::Continue);
        }
        if host.has_overlay(client) {
            return Ok(Flow::Continue);
        }
        let Some(view) = host.clients().into_iter().find(|c| c.id == client) else {
            bail!("no current client");
        };
        let (cols, rows) = (view.size.0 as i64, view.size.1 as i64);
        let height = match &self.height {
            None => rows / 2,
            Some(h) => match percentage(h, 1, rows, rows) {
                Ok(n) => n,
                Err(why) => bail!("height {why}"),
            },
        };
        let width = match &self.width {
            None => cols / 2,
            Some(w) => match percentage(w, 1, cols, cols) {
                Ok(n) => n,
                Err(why) => bail!("width {why}"),
            },
        };
        let title = self
            .title
            .as_deref()
            .map(|t| host.expand(io, t, Some(&at)))
            .unwrap_or_default();
        let cwd = self.cwd.as_deref().map(|d| host.expand(io, d, Some(&at)));
        let spec = PopupSpec {
            width: width.clamp(0, cols) as u16,
            height: height.clamp(0, rows) as u16,
            x: self.x,
            y: self.y,
            title,
            border_lines: if self.no_border {
                Some("none".to_string())
            } else {
                self.border_lines
            },
            style: self.style,
            border_style: self.border_style,
            close_on_exit: self.close_on_exit.min(2),
            cwd,
            env: self.env,
            command: self.command,
        };
        host.display_popup(io, client, &at, spec)
    }
}
