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
    /// Tokens read since the last report (or, with --totals, so far).
    #[arg(long = "tokens-in", value_name = "N")]
    tokens_in: Option<String>,
    /// Tokens written since the last report (or, with --totals, so far).
    #[arg(long = "tokens-out", value_name = "N")]
    tokens_out: Option<String>,
    /// Dollars spent since the last report (or, with --totals, so far);
    /// agent-max-cost counts them.
    #[arg(long = "cost", value_name = "USD")]
    cost: Option<String>,
    /// --tokens-in, --tokens-out and --cost are totals, not increments.
    #[arg(long = "totals")]
    totals: bool,
    /// The model it runs.
    #[arg(long = "model", value_name = "name")]
    model: Option<String>,
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
        let count = |v: &Option<String>, what: &str| -> CmdResult<Option<u64>> {
            match v.as_deref() {
                None => Ok(None),
                Some(t) => match t.parse::<u64>() {
                    Ok(n) => Ok(Some(n)),
                    Err(_) => bail!("invalid {what}: {t}"),
                },
            }
        };
        let tokens_in = count(&self.tokens_in, "token count")?;
        let tokens_out = count(&self.tokens_out, "token count")?;
        let cost_micros = match self.cost.as_deref() {
            None => None,
            Some(c) => match c.trim_start_matches('$').parse::<f64>() {
                Ok(d) if d.is_finite() && d >= 0.0 => Some((d * 1_000_000.0).round() as u64),
                _ => bail!("invalid cost: {c} (dollars, like 0.25)"),
            },
        };
        let key = host.agent_key(io, self.target.as_deref())?;
        let change = AgentChange {
            tokens_in,
            tokens_out,
            cost_micros,
            totals: self.totals,
            model: self.model,
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
