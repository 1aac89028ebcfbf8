use crate::agent::to_json;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// An agent's history: its record, messages both ways, events (spawned,
/// status changes, shares, done) and its result.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentHistory {
    /// Only the last N messages and events.
    #[arg(short = 'n', value_name = "count")]
    count: Option<String>,
    /// Add the last lines its pane printed (the last 50, or -n), from its
    /// transcript: still there after the agent and the server have ended.
    #[arg(short = 'p')]
    pane: bool,
    /// Print the history as JSON.
    #[arg(long = "json")]
    json: bool,
    /// The agent (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
}

impl Command for AgentHistory {
    const NAME: &'static str = "agent-history";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let last = match self.count.as_deref() {
            None => None,
            Some(n) => match n.parse::<usize>() {
                Ok(n) => Some(n),
                Err(_) => bail!("invalid count: {n}"),
            },
        };
        let key = host.agent_key(io, self.target.as_deref())?;
        let h = host.agent_history(io, &key, last, self.pane)?;
        if self.json {
            io.print(&to_json(&h));
            return Ok(Flow::Continue);
        }
        let a = &h.agent;
        io.print(&format!(
            "{} [{}] {}{}",
            a.key,
            a.kind,
            a.status.as_str(),
            a.result.as_ref().map(|r| format!(": {r}")).unwrap_or_default()
        ));
        for e in &h.events {
            // Acts by others on this agent, and by it on others, say who.
            let by = if e.agent != a.key {
                format!(" (on {})", if e.agent.is_empty() { "its group" } else { &e.agent })
            } else if !e.actor.is_empty() {
                format!(" (by {})", e.actor)
            } else {
                String::new()
            };
            let t = crate::agent::local_time(e.time);
            let detail = if e.detail.is_empty() { String::new() } else { format!(" {}", e.detail) };
            io.print(&format!("{t} event {}{detail}{by}", e.kind));
        }
        for m in &h.messages {
            let dir = if m.to == a.key { "from" } else { "to" };
            let who = if m.to == a.key { &m.from } else { &m.to };
            let body = m.body.replace('\n', "\\n");
            let by = if m.actor.is_empty() || m.actor == m.from {
                String::new()
            } else {
                format!(" (by {})", m.actor)
            };
            let t = crate::agent::local_time(m.time);
            io.print(&format!("{t} {} {dir} {who}{by} [{}]: {body}", m.kind, m.thread));
        }
        if let Some(out) = &h.output {
            io.print("--- pane");
            io.out.push_str(out);
            if !out.ends_with('\n') {
                io.out.push('\n');
            }
        }
        Ok(Flow::Continue)
    }
}
