use crate::util::now;
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

const DEFAULT: &str =
    "[#{session_name}] #{window_index}:#{window_name}, current pane #{pane_index} - (%H:%M %d-%b-%y)";

/// Expand a format and show it on the status line, or print it with -p.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct DisplayMessage {
    /// List every format variable and its value.
    #[arg(short = 'a')]
    all: bool,
    /// Print to stdout instead of the status line.
    #[arg(short = 'p')]
    print: bool,
    /// The format (instead of the argument).
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// The pane whose values the format uses.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// The message, a format.
    #[arg(value_name = "message")]
    message: Option<String>,
}

impl Command for DisplayMessage {
    const NAME: &'static str = "display-message";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("display");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if self.format.is_some() && self.message.is_some() {
            bail!("only one of -F or argument must be given");
        }
        let found = match host.find(io, self.target.as_deref(), TargetKind::Pane) {
            Ok(f) => Some(f),
            // Server variables still expand with no session at all.
            Err(_) if self.target.is_none() && host.sessions().is_empty() => None,
            Err(e) => return Err(e),
        };
        if self.all {
            for (name, value) in host.format_variables(io, found.as_ref()) {
                io.print(&format!("{name}={value}"));
            }
            return Ok(Flow::Continue);
        }
        let template = self.format.or(self.message).unwrap_or_else(|| DEFAULT.to_string());
        let template = crate::format::strftime(&template, now());
        let text = host.expand(io, &template, found.as_ref());
        if self.print {
            io.print(&text);
        } else {
            host.show_message(io, &text);
        }
        Ok(Flow::Continue)
    }
}
