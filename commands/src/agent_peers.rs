use crate::agent::to_json;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

const PEER_FORMAT: &str =
    "#{agent_key}: #{agent_session}#{?agent_host,@#{agent_host},} [#{agent_type}] #{agent_status}#{?agent_coordinator, (coordinator),}";

/// List the other members of the agent's group, with their status and
/// which is the coordinator.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentPeers {
    /// Format of each line.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Print the peers as a JSON array.
    #[arg(long = "json")]
    json: bool,
    /// The agent: a session or an agent key (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
}

impl Command for AgentPeers {
    const NAME: &'static str = "agent-peers";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("peers");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let key = host.agent_key(io, self.target.as_deref())?;
        let Some(me) = host.agent_view(&key) else {
            bail!("can't find agent: {key}");
        };
        let Some(group) = me.group else {
            bail!("{key} is not in a group");
        };
        let peers: Vec<_> = host
            .agent_views()
            .into_iter()
            .filter(|a| a.key != key && a.group.as_deref() == Some(group.as_str()))
            .collect();
        if self.json {
            io.print(&to_json(&peers));
            return Ok(Flow::Continue);
        }
        let fmt = self.format.as_deref().unwrap_or(PEER_FORMAT);
        for p in &peers {
            let line = host.agent_expand(io, fmt, &p.key);
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}
