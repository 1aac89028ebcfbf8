use crate::agent::to_json;
use crate::{CmdResult, Command, Flow, Host, Io};

/// The default line for each agent.
pub(crate) const AGENT_FORMAT: &str = "#{agent_key}: #{agent_session} [#{agent_type}] \
#{agent_status}#{?agent_group, group #{agent_group}#{?agent_coordinator, (coordinator),},}";

/// List agents: those with a live session, or with -a every record kept.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListAgents {
    /// Also agents that ended: completed, failed and lost ones.
    #[arg(short = 'a')]
    all: bool,
    /// Only members of this group.
    #[arg(short = 'g', value_name = "group")]
    group: Option<String>,
    /// Format of each line.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Print the records as a JSON array.
    #[arg(long = "json")]
    json: bool,
}

impl Command for ListAgents {
    const NAME: &'static str = "list-agents";
    const ALIAS: Option<&'static str> = Some("lsa");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let agents: Vec<_> = host
            .agent_views()
            .into_iter()
            .filter(|a| self.all || a.session_id.is_some())
            .filter(|a| self.group.is_none() || a.group == self.group)
            .collect();
        if self.json {
            io.print(&to_json(&agents));
            return Ok(Flow::Continue);
        }
        let fmt = self.format.as_deref().unwrap_or(AGENT_FORMAT);
        for a in &agents {
            let line = host.agent_expand(io, fmt, &a.key);
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}
