use crate::agent::{AgentView, to_json};
use crate::options::escape;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Show an agent's record: type, objective, status, group and the rest.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ShowAgent {
    /// Print this format for the agent instead.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Print the record as JSON.
    #[arg(long = "json")]
    json: bool,
    /// The agent: a session or an agent key (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
}

impl Command for ShowAgent {
    const NAME: &'static str = "show-agent";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let key = host.agent_key(io, self.target.as_deref())?;
        let Some(v) = host.agent_view(&key) else {
            crate::bail!("can't find agent: {key}");
        };
        if self.json {
            io.print(&to_json(&v));
        } else if let Some(fmt) = &self.format {
            let line = host.agent_expand(io, fmt, &key);
            io.print(&line);
        } else {
            for (name, value) in fields(&v) {
                io.print(&format!("{name} {}", escape(&value)));
            }
        }
        Ok(Flow::Continue)
    }
}

/// The record as `name value` lines, as show-options prints options.
fn fields(v: &AgentView) -> Vec<(&'static str, String)> {
    vec![
        ("key", v.key.clone()),
        ("session", v.session.clone()),
        ("type", v.kind.clone()),
        ("objective", v.objective.clone()),
        ("role", v.role.clone()),
        ("status", v.status.as_str().to_string()),
        ("created", v.created.to_string()),
        ("activity", v.activity.to_string()),
        ("tasks-completed", v.tasks_completed.to_string()),
        ("interactions", v.interactions.to_string()),
        ("group", v.group.clone().unwrap_or_default()),
        ("coordinator", if v.coordinator { "1" } else { "0" }.to_string()),
        ("parent", v.parent.clone().unwrap_or_default()),
    ]
}
