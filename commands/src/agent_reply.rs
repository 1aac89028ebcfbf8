use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Reply on a thread. A reply of exactly REPLY_SKIP ends the thread.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentReply {
    /// The agent replying (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
    /// The thread.
    #[arg(value_name = "thread")]
    thread: String,
    /// The reply.
    #[arg(value_name = "message", trailing_var_arg = true, allow_hyphen_values = true)]
    message: Vec<String>,
}

impl Command for AgentReply {
    const NAME: &'static str = "agent-reply";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let body = self.message.join(" ");
        if body.is_empty() {
            bail!("no message given");
        }
        let key = match &self.target {
            Some(t) => Some(host.agent_key(io, Some(t))?),
            None => host.caller_agent(io),
        };
        host.agent_reply(io, key.as_deref(), &self.thread, &body)?;
        Ok(Flow::Continue)
    }
}
