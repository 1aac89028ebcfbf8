use crate::util::{now, strtonum};
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
    /// Do not wait for a key before the message goes (accepted; agmux's
    /// messages go after display-time, or -d, or a key).
    #[arg(short = 'N')]
    no_wait: bool,
    /// Print to stdout instead of the status line.
    #[arg(short = 'p')]
    print: bool,
    /// Print how the format was expanded, step by step, first.
    #[arg(short = 'v')]
    verbose: bool,
    /// The client to show the message on (default: the current one).
    #[arg(short = 'c', value_name = "target-client")]
    client: Option<String>,
    /// How long to show the message, in milliseconds (accepted;
    /// display-time decides).
    #[arg(short = 'd', value_name = "delay", allow_hyphen_values = true)]
    delay: Option<String>,
    /// The format (instead of the argument).
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// The pane whose values the format uses (the current one if it is
    /// not found).
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
        if let Some(d) = &self.delay
            && let Err(why) = strtonum(d, 0, u32::MAX as i64)
        {
            bail!("delay {why}");
        }
        // As in tmux, a target that is not found falls back to the current
        // one, and no session at all still expands server variables.
        let found = host
            .find(io, self.target.as_deref(), TargetKind::Pane)
            .or_else(|e| match self.target {
                Some(_) => host.find(io, None, TargetKind::Pane),
                None => Err(e),
            })
            .ok();
        // The client named, else the caller's, else the current one; none
        // found is no error (tmux's CMD_CLIENT_CANFAIL). Its formats
        // (client_*) are that client's, from outside any client too.
        let named = self.client.as_ref().map(|c| host.find_client(io, Some(c)).ok());
        let current = || io.caller.client.or_else(|| host.find_client(io, None).ok());
        // A -c that names no client still expands the current one's
        // formats, as tmux does; the message goes nowhere then.
        let client = named.flatten().or_else(current);
        let show = match named {
            Some(None) => None,
            _ => client,
        };
        let on = client.map(|c| {
            let mut on = Io::new(io.caller.clone());
            on.caller.client = Some(c);
            on
        });
        if self.all {
            let vars = host.format_variables(on.as_ref().unwrap_or(io), found.as_ref());
            for (name, value) in vars {
                io.print(&format!("{name}={value}"));
            }
            return Ok(Flow::Continue);
        }
        let template = self.format.or(self.message).unwrap_or_else(|| DEFAULT.to_string());
        let template = crate::format::strftime(&template, now());
        let text = if self.verbose {
            let traced = host.expand_traced(on.as_ref().unwrap_or(io), &template, found.as_ref());
            let (text, steps) = traced;
            for step in steps {
                io.print(&step);
            }
            text
        } else {
            host.expand(on.as_ref().unwrap_or(io), &template, found.as_ref())
        };
        if self.print {
            io.print(&text);
            return Ok(Flow::Continue);
        }
        if let (Some(on), Some(_)) = (&on, show) {
            host.show_message(on, &text);
        }
        Ok(Flow::Continue)
    }
}
