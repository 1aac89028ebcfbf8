use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Stop an agent: its program gets SIGTERM, then SIGKILL after
/// agent-stop-grace seconds. Its status becomes stopped with the reason,
/// and its parent hears of it as of any end. Its parent (or an ancestor)
/// and the operator may stop it.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentStop {
    /// Why: recorded with its status and told to its parent.
    #[arg(long = "reason", value_name = "text")]
    reason: Option<String>,
    /// The agent to stop.
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
}

impl Command for AgentStop {
    const NAME: &'static str = "agent-stop";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let key = host.agent_key(io, self.target.as_deref())?;
        host.agent_stop(io, &key, self.reason.as_deref().unwrap_or(""))?;
        Ok(Flow::Continue)
    }
}
