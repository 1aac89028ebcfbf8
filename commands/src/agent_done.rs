use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// End the agent's task with its result. The parent hears of it at once; a
/// run-mode agent's session then goes.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentDone {
    /// The task failed.
    #[arg(long = "failed")]
    failed: bool,
    /// The agent (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
    /// The result.
    #[arg(value_name = "result", trailing_var_arg = true, allow_hyphen_values = true)]
    result: Vec<String>,
}

impl Command for AgentDone {
    const NAME: &'static str = "agent-done";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let key = host.agent_key(io, self.target.as_deref())?;
        host.agent_done(io, &key, self.failed, &self.result.join(" "))?;
        Ok(Flow::Continue)
    }
}
