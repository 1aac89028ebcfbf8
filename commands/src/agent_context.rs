use crate::agent::ContextEntry;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Read a group's shared context: every key, or one key's value.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentContext {
    /// Print JSON: an object of every key with its value, version, writer
    /// and time, or one key's.
    #[arg(long = "json")]
    json: bool,
    /// The agent whose group is meant when none is given.
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
    /// The group (default: the agent's group).
    #[arg(value_name = "group")]
    group: Option<String>,
    /// One key.
    #[arg(value_name = "key")]
    key: Option<String>,
}

impl Command for AgentContext {
    const NAME: &'static str = "agent-context";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let group = match self.group {
            Some(g) => g,
            None => {
                let key = host.agent_key(io, self.target.as_deref())?;
                match host.agent_view(&key).and_then(|a| a.group) {
                    Some(g) => g,
                    None => bail!("{key} is not in a group"),
                }
            }
        };
        let entries = host.context(io, &group)?;
        let read: Vec<(String, u64)> = entries
            .iter()
            .filter(|e| self.key.as_ref().is_none_or(|k| *k == e.key))
            .map(|e| (e.key.clone(), e.version))
            .collect();
        host.context_read(io, &group, &read);
        match &self.key {
            Some(k) => {
                let Some(e) = entries.iter().find(|e| &e.key == k) else {
                    bail!("no such key in {group}: {k}");
                };
                if self.json {
                    io.print(&crate::agent::to_json(e));
                } else {
                    io.print(&plain(&e.value));
                }
            }
            None if self.json => {
                let map: serde_json::Map<String, serde_json::Value> = entries
                    .iter()
                    .map(|e| (e.key.clone(), entry_json(e)))
                    .collect();
                io.print(&serde_json::Value::Object(map).to_string());
            }
            None => {
                for e in &entries {
                    io.print(&format!("{}={}", e.key, plain(&e.value)));
                }
            }
        }
        Ok(Flow::Continue)
    }
}

/// A value as text: strings as they are, other JSON compactly.
fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn entry_json(e: &ContextEntry) -> serde_json::Value {
    serde_json::json!({
        "value": e.value,
        "version": e.version,
        "writer": e.writer,
        "time": crate::util::iso_time(e.time.saturating_mul(1_000_000)),
    })
}
