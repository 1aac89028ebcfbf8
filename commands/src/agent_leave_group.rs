use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Leave the agent's group. A coordinator hands the role to the member that
/// has been in the group longest.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentLeaveGroup {
    /// The agent: a session or an agent key (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
}

impl Command for AgentLeaveGroup {
    const NAME: &'static str = "agent-leave-group";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("leave");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let key = host.agent_key(io, self.target.as_deref())?;
        host.agent_leave(io, &key)?;
        Ok(Flow::Continue)
    }
}
