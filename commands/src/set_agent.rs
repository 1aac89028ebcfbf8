use crate::agent::{AgentChange, Status};
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Change an agent's objective, role or status, or count its work.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SetAgent {
    /// The agent's objective.
    #[arg(short = 'o', value_name = "objective")]
    objective: Option<String>,
    /// The agent's role in its group.
    #[arg(short = 'r', value_name = "role")]
    role: Option<String>,
    /// Its status: active, idle, waiting, paused, completed or failed.
    /// Active and idle follow the pane's output again; the others stay
    /// until changed.
    #[arg(short = 's', value_name = "status")]
    status: Option<String>,
    /// Count a completed task.
    #[arg(long = "task-done")]
    task_done: bool,
    /// Count an interaction.
    #[arg(long = "interaction")]
    interaction: bool,
    /// Report tokens used since the last report (agent-max-tokens counts
    /// them).
    #[arg(long = "tokens", value_name = "N")]
    tokens: Option<String>,
    /// The agent: a session or an agent key (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
}

impl Command for SetAgent {
    const NAME: &'static str = "set-agent";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let status = match self.status.as_deref() {
            None => None,
            Some(s) => match Status::parse(s) {
                Some(Status::Lost | Status::Stopped) | None => bail!(
                    "invalid status: {s} (active, idle, waiting, paused, completed or failed)"
                ),
                Some(st) => Some(st),
            },
        };
        let tokens = match self.tokens.as_deref() {
            None => None,
            Some(t) => match t.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => bail!("invalid token count: {t}"),
            },
        };
        let key = host.agent_key(io, self.target.as_deref())?;
        let change = AgentChange {
            tokens,
            objective: self.objective,
            role: self.role,
            status,
            task_done: self.task_done,
            interaction: self.interaction,
        };
        host.set_agent(io, &key, change)?;
        Ok(Flow::Continue)
    }
}
