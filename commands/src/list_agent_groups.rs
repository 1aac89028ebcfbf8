use crate::agent::to_json;
use crate::{CmdResult, Command, Flow, Host, Io};

const GROUP_FORMAT: &str = "#{group_name}: #{group_members} members#{?group_hosts, on #{group_hosts},}, coordinator \
#{?group_coordinator,#{group_coordinator},none}, #{group_context_keys} keys (#{group_context_bytes} bytes)\
#{?group_usage,; #{group_usage},}";

/// List coordination groups with their members, coordinator and shared
/// context size.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListAgentGroups {
    /// Format of each line.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Print the groups as a JSON array.
    #[arg(long = "json")]
    json: bool,
}

impl Command for ListAgentGroups {
    const NAME: &'static str = "list-agent-groups";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("lsg");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let groups = host.group_views();
        if self.json {
            io.print(&to_json(&groups));
            return Ok(Flow::Continue);
        }
        let fmt = self.format.as_deref().unwrap_or(GROUP_FORMAT);
        for g in &groups {
            let line = host.group_expand(io, fmt, &g.name);
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}
