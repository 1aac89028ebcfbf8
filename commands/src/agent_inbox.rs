use crate::agent::{MessageView, to_json};
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
    /// Mark the messages printed read.
    #[arg(long = "mark-read")]
    mark_read: bool,
    /// Wait up to this many seconds for an unread message if there is
    /// none (exit status 2 if none comes); prints only unread ones.
    #[arg(long = "wait", value_name = "seconds")]
    wait: Option<String>,
    /// Print the messages as a JSON array.
    #[arg(long = "json")]
    json: bool,
    /// The agent (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
}

impl Command for AgentInbox {
    const NAME: &'static str = "agent-inbox";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("inbox");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let key = host.agent_key(io, self.target.as_deref())?;
        if !self.ack.is_empty() {
            for a in &self.ack {
                let Ok(id) = a.parse::<u64>() else {
                    bail!("invalid message id: {a}");
                };
                host.agent_ack(io, &key, id)?;
            }
            return Ok(Flow::Continue);
        }
        if let Some(w) = self.wait.as_deref() {
            let secs = crate::util::seconds(w, "wait")?;
            return host.agent_inbox_wait(io, &key, secs, self.mark_read, self.json);
        }
        let msgs: Vec<_> = host
            .agent_inbox(io, &key)?
            .into_iter()
            .filter(|m| !self.unread || !m.read)
            .collect();
        if self.mark_read {
            for m in &msgs {
                host.agent_ack(io, &key, m.id)?;
            }
        }
        print_messages(io, &msgs, self.json);
        Ok(Flow::Continue)
    }
}

/// Messages as agent-inbox prints them: `ID TIME THREAD KIND FROM: BODY`
/// lines (local time; newlines in the body as \n), or a JSON array.
pub fn print_messages(io: &mut Io, msgs: &[MessageView], json: bool) {
    if json {
        io.print(&to_json(&msgs));
        return;
    }
    for m in msgs {
        let body = m.body.replace('\n', "\\n");
        // Where typing it into the pane stands, when it is to be typed.
        let state = match (m.delivery.as_str(), m.note.as_str()) {
            ("", _) => String::new(),
            (d, "") => format!(" [{d}]"),
            (d, note) => format!(" [{d}: {note}]"),
        };
        let t = crate::agent::local_time(m.time);
        io.print(&format!(
            "{} {t} {} {} {}{state}: {body}",
            m.id,
            m.thread,
            m.kind,
            m.sender()
        ));
    }
}
