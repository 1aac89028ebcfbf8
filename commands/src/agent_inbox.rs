use crate::agent::to_json;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// List an agent's messages: what it was sent, its threads' replies and its
/// children's results.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentInbox {
    /// Only messages not yet acknowledged.
    #[arg(long = "unread")]
    unread: bool,
    /// Mark this message read; repeatable.
    #[arg(long = "ack", value_name = "id")]
    ack: Vec<String>,
    /// Print the messages as a JSON array.
    #[arg(long = "json")]
    json: bool,
    /// The agent (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
}

impl Command for AgentInbox {
    const NAME: &'static str = "agent-inbox";
    const ALIAS: Option<&'static str> = Some("inbox");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let key = host.agent_key(io, self.target.as_deref())?;
        if !self.ack.is_empty() {
            for a in &self.ack {
                let Ok(id) = a.parse::<u64>() else {
                    bail!("invalid message id: {a}");
                };
                host.agent_ack(&key, id)?;
            }
            return Ok(Flow::Continue);
        }
        let msgs: Vec<_> = host
            .agent_inbox(&key)
            .into_iter()
            .filter(|m| !self.unread || !m.read)
            .collect();
        if self.json {
            io.print(&to_json(&msgs));
            return Ok(Flow::Continue);
        }
        for m in msgs {
            let body = m.body.replace('\n', "\\n");
            io.print(&format!("{} {} {} {}: {body}", m.id, m.thread, m.kind, m.from));
        }
        Ok(Flow::Continue)
    }
}
