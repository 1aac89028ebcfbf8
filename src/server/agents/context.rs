//! A group's shared context: versioned keys written by its members (and
//! the operator), with compare-and-set and size limits.

use super::authority::refused;
use super::{now, value_bytes};
use crate::server::state::State;
use crate::store::{EntryRow, Op};
use commands::agent::{ContextEntry, ShareOp};
use commands::host::{Identity, Io};
use commands::{CmdResult, bail};

impl State {
    /// Changes a group's context. The writer is the caller, always: `-t`
    /// may name the caller itself, or, for the operator, the agent the
    /// change is recorded against.
    pub fn share(
        &mut self,
        io: &Io,
        target: Option<&str>,
        group: &str,
        ops: Vec<ShareOp>,
        if_version: Option<u64>,
    ) -> CmdResult {
        self.agents.ready()?;
        let who = self.who(io).clone();
        let subject = match target {
            Some(t) => Some(self.agent_key(io, Some(t))?),
            None => who.agent().map(str::to_string),
        };
        if let (Identity::Agent(me), Some(s)) = (&who, &subject)
            && me != s
        {
            return Err(refused(&who, &format!("share as {s}")));
        }
        self.authorize_share(&who, group)?;
        // The operator records a change against an agent only if it is a
        // member.
        if let Some(s) = &subject
            && self
                .agents
                .records
                .get(s)
                .and_then(|a| a.row.group.as_deref())
                != Some(group)
        {
            bail!("{s} is not a member of group {group}");
        }
        let key_max = self.server_num("agent-key-max").max(1) as usize;
        let value_max = self.server_num("agent-value-max").max(1) as usize;
        let group_max = self.server_num("agent-context-max").max(1) as usize;
        let writer = who.name();
        let Some(g) = self.agents.groups.get(group) else {
            bail!("can't find group: {group}");
        };
        // Check everything first: a list of changes is made whole or not
        // at all.
        let mut size = g.bytes() as i64;
        let mut rows = Vec::new();
        let t = now();
        for op in &ops {
            let (k, value) = match op {
                ShareOp::Set { key, value } => (key, Some(value)),
                ShareOp::Delete { key } => (key, None),
            };
            if k.is_empty() || k.chars().any(char::is_control) {
                bail!("invalid key: {k:?}");
            }
            if k.len() > key_max {
                bail!(
                    "key too long: {} bytes (agent-key-max is {key_max})",
                    k.len()
                );
            }
            let current = g.context.get(k);
            let version = current.map_or(0, |e| e.version);
            if let Some(want) = if_version
                && want != version
            {
                bail!("version conflict on {k}: expected {want}, current is {version}");
            }
            size -= current.map_or(0, |e| (e.key.len() + value_bytes(&e.value)) as i64);
            match value {
                None if current.is_none() => bail!("no such key in {group}: {k}"),
                None => rows.push((k.clone(), None)),
                Some(v) => {
                    let text = v.to_string();
                    let len = match v {
                        serde_json::Value::String(s) => s.len(),
                        _ => text.len(),
                    };
                    if len > value_max {
                        bail!(
                            "value of {k} too long: {len} bytes (agent-value-max is {value_max})"
                        );
                    }
                    size += (k.len() + len) as i64;
                    rows.push((
                        k.clone(),
                        Some(EntryRow {
                            group: group.to_string(),
                            key: k.clone(),
                            value: text,
                            version: version + 1,
                            writer: writer.clone(),
                            time: t,
                            host: self.agents.host.clone(),
                        }),
                    ));
                }
            }
        }
        if size > group_max as i64 {
            bail!(
                "group {group}'s context would be {size} bytes (agent-context-max is {group_max})"
            );
        }
        let mut store_ops = Vec::new();
        if let Some(g) = self.agents.groups.get_mut(group) {
            for (k, row) in rows {
                match row {
                    Some(r) => {
                        store_ops.push(Op::Entry(r.clone()));
                        g.context.insert(k, r);
                    }
                    None => {
                        g.context.remove(&k);
                        store_ops.push(Op::DropEntry {
                            group: group.to_string(),
                            key: k,
                        });
                    }
                }
            }
        }
        if let Some(a) = subject
            .as_deref()
            .and_then(|k| self.agents.records.get_mut(k))
        {
            a.row.activity = t;
        }
        // One event per key: what changed, its version, who wrote it.
        let changes: Vec<(String, u64, bool)> = store_ops
            .iter()
            .filter_map(|op| match op {
                Op::Entry(e) => Some((e.key.clone(), e.version, false)),
                Op::DropEntry { key, .. } => Some((key.clone(), 0, true)),
                _ => None,
            })
            .collect();
        self.persist(store_ops);
        let agent = subject.as_deref().unwrap_or("");
        for (k, version, deleted) in changes {
            let detail = match deleted {
                false => format!("{group}: set {k} v{version}"),
                true => format!("{group}: delete {k}"),
            };
            let data = serde_json::json!({
                "group": group, "key": k, "version": version, "writer": writer, "deleted": deleted,
            });
            self.emit("share", agent, &writer, &detail, data);
        }
        Ok(())
    }

    pub fn context(&mut self, io: &Io, group: &str) -> CmdResult<Vec<ContextEntry>> {
        self.prune_groups();
        self.authorize_read_context(self.who(io), group)?;
        let Some(g) = self.agents.groups.get(group) else {
            bail!("can't find group: {group}");
        };
        Ok(g.context
            .values()
            .map(|e| ContextEntry {
                key: e.key.clone(),
                value: serde_json::from_str(&e.value)
                    .unwrap_or_else(|_| serde_json::Value::String(e.value.clone())),
                version: e.version,
                writer: e.writer.clone(),
                time: e.time,
                host: Some(e.host.clone()).filter(|h| !h.is_empty()),
            })
            .collect())
    }

    /// An agent's first read of each version of a key is an event
    /// (`read-context`): the dashboard draws it as an edge from the writer
    /// to the reader. The operator's reads are not.
    pub fn context_read(&mut self, io: &Io, group: &str, read: &[(String, u64)]) {
        let Identity::Agent(me) = self.who(io).clone() else {
            return;
        };
        for (key, version) in read {
            let seen = (me.clone(), group.to_string(), key.clone(), *version);
            if !self.agents.context_reads.insert(seen) {
                continue;
            }
            let detail = format!("{group}: read {key} v{version}");
            let data = serde_json::json!({"group": group, "key": key, "version": version});
            self.emit("read-context", &me, &me, &detail, data);
        }
    }

    // What happens to agents as their sessions and panes do things.
}
