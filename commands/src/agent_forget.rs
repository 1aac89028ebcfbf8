use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Remove an agent's record, and with it its group membership: for lost
/// agents, which are otherwise kept.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentForget {
    /// Also remove its worktree (agent-spawn --worktree); its branch stays.
    #[arg(long = "cleanup")]
    cleanup: bool,
    /// The agent: a session or an agent key (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
}

impl Command for AgentForget {
    const NAME: &'static str = "agent-forget";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let key = host.agent_key(io, self.target.as_deref())?;
        host.agent_forget(io, &key, self.cleanup)?;
        Ok(Flow::Continue)
    }
}
