use crate::{CmdResult, Command, Flow, Host, Io};

/// Wait for sub-agents to end and print their results: all the caller's
/// running children, or those named; with --any, the first to end.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentWait {
    /// Return when any of them has ended.
    #[arg(long = "any")]
    any: bool,
    /// Print the results as a JSON array of {agent, status, result}.
    #[arg(long = "json")]
    json: bool,
    /// Give up after this many seconds (exit status 2).
    #[arg(long = "timeout", value_name = "seconds")]
    timeout: Option<String>,
    /// A child to wait for (its key or session); repeatable.
    #[arg(short = 't', value_name = "child")]
    children: Vec<String>,
    /// The parent whose children are meant (default: the caller's agent).
    #[arg(short = 'p', value_name = "parent-agent")]
    parent: Option<String>,
}

impl Command for AgentWait {
    const NAME: &'static str = "agent-wait";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let timeout = match self.timeout.as_deref() {
            None => None,
            Some(t) => Some(crate::util::seconds(t, "timeout")?),
        };
        let mut children = Vec::new();
        for c in &self.children {
            children.push(host.agent_key(io, Some(c))?);
        }
        let parent = match (&self.parent, children.first()) {
            (Some(p), _) => host.agent_key(io, Some(p))?,
            (None, Some(c)) => host
                .agent_view(c)
                .and_then(|v| v.parent)
                .unwrap_or_default(),
            (None, None) => host.agent_key(io, None)?,
        };
        host.agent_wait(io, &parent, children, self.any, self.json, timeout)
    }
}
