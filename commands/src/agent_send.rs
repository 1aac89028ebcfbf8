use crate::agent::SendSpec;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Send a message to an agent: stored in its inbox, and for agents that
/// take messages typed (or with --inject) typed into its pane once the pane
/// is idle. --wait blocks for the reply on the thread.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentSend {
    /// Type the message into the target's pane, whatever its type says.
    #[arg(long = "inject")]
    inject: bool,
    /// Only put it in the inbox.
    #[arg(long = "no-inject")]
    no_inject: bool,
    /// Wait this many seconds for the reply and print it (exit status 2 if
    /// none comes; the message stays delivered). 0: do not wait.
    #[arg(long = "wait", value_name = "seconds")]
    wait: Option<String>,
    /// Continue this thread.
    #[arg(long = "thread", value_name = "id")]
    thread: Option<String>,
    /// Print the outcome as JSON: the thread, the message id, and with
    /// --wait the reply (status replied) or status timeout.
    #[arg(long = "json")]
    json: bool,
    /// Print nothing (not the thread): for key bindings and prompts, whose
    /// commands' output would cover the pane.
    #[arg(short = 'q')]
    quiet: bool,
    /// The agent whose role (or session name) is this label.
    #[arg(short = 'l', value_name = "label")]
    label: Option<String>,
    /// The agent to send to: a session or an agent key.
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
    /// The message.
    #[arg(value_name = "message", trailing_var_arg = true, allow_hyphen_values = true)]
    message: Vec<String>,
}

impl Command for AgentSend {
    const NAME: &'static str = "agent-send";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let body = self.message.join(" ");
        if body.is_empty() {
            bail!("no message given");
        }
        let wait = match self.wait.as_deref() {
            None => None,
            Some(w) => Some(crate::util::seconds(w, "wait")?).filter(|s| *s > 0.0),
        };
        let to = match (&self.target, &self.label) {
            (Some(_), Some(_)) => bail!("-t and -l both name the target: give one"),
            (None, Some(l)) => {
                let found: Vec<_> = host
                    .agent_views()
                    .into_iter()
                    .filter(|a| a.running() && (a.role == *l || a.session == *l))
                    .collect();
                match found.as_slice() {
                    [one] => one.key.clone(),
                    [] => bail!("no agent labelled {l}"),
                    _ => bail!("more than one agent labelled {l}"),
                }
            }
            (t, None) => match t {
                Some(t) => host.agent_key(io, Some(t))?,
                None => bail!("no target: give -t or -l"),
            },
        };
        let spec = SendSpec {
            thread: self.thread,
            inject: match (self.inject, self.no_inject) {
                (true, true) => bail!("--inject and --no-inject contradict each other"),
                (true, false) => Some(true),
                (false, true) => Some(false),
                (false, false) => None,
            },
            wait,
            body,
            json: self.json,
            quiet: self.quiet,
        };
        host.agent_send(io, &to, spec)
    }
}
