use crate::agent::{AgentView, MessageView};
use crate::save_buffer::client_path;
use crate::{CmdResult, Command, Flow, Host, Io, bail};
use serde_json::{Value, json};

/// Save a group to a file (default group.json) that agent-group-restore
/// brings back: its agents (type, objective, role, directory, command,
/// parent, coordinator), its shared context and its members' messages.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentGroupSave {
    /// The group.
    #[arg(value_name = "group")]
    group: String,
    /// Where to write, relative to the caller's directory.
    #[arg(value_name = "file")]
    file: Option<String>,
}

/// The format's version, checked by agent-group-restore.
pub const FORMAT: u64 = 1;

/// Agents in an order where every parent comes before its children.
pub fn parents_first(mut agents: Vec<AgentView>) -> Vec<AgentView> {
    agents.sort_by(|a, b| a.depth.cmp(&b.depth).then(a.created.cmp(&b.created)));
    agents
}

impl Command for AgentGroupSave {
    const NAME: &'static str = "agent-group-save";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let Some(group) = host.group_views().into_iter().find(|g| g.name == self.group) else {
            bail!("can't find group: {}", self.group);
        };
        // Reading the context is what the caller may do with the group.
        let context = host.context(io, &self.group)?;
        let members: Vec<AgentView> = host
            .agent_views()
            .into_iter()
            .filter(|a| a.group.as_deref() == Some(self.group.as_str()))
            .collect();
        let mut messages: Vec<MessageView> = Vec::new();
        let mut agents = Vec::new();
        for a in parents_first(members) {
            let history = host.agent_history(io, &a.key, None, false)?;
            messages.extend(history.messages);
            let cwd = host.agent_expand(io, "#{pane_current_path}", &a.key);
            let command = host.agent_expand(io, "#{pane_start_command}", &a.key);
            agents.push(json!({
                "key": a.key,
                "name": a.session,
                "type": a.kind,
                "objective": a.objective,
                "role": a.role,
                "status": a.status,
                "mode": a.mode,
                "parent": a.parent,
                "coordinator": a.coordinator,
                "result": a.result,
                "cwd": cwd,
                "command": command,
            }));
        }
        messages.sort_by_key(|m| m.id);
        messages.dedup_by_key(|m| m.id);
        let doc = json!({
            "agmux_group": FORMAT,
            "group": group.name,
            "coordinator": group.coordinator,
            "saved": crate::util::iso_time(crate::util::now() as u64 * 1_000_000),
            "agents": agents,
            "context": context,
            "messages": messages,
        });
        let path = client_path(io, self.file.as_deref().unwrap_or("group.json"));
        write_whole(&path, &doc).map_err(|e| {
            crate::CmdError(format!("{}: {}", path.display(), crate::util::os_error(&e)))
        })?;
        Ok(Flow::Continue)
    }
}

/// Writes beside the file, then renames: a reader (or a crash) never sees
/// half of it.
fn write_whole(path: &std::path::Path, doc: &Value) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(doc).map_err(std::io::Error::other)?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    std::fs::write(&tmp, text + "\n")?;
    std::fs::rename(&tmp, path)
}
