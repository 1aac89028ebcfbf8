use crate::agent::AgentType as Type;
use crate::{CmdResult, Command, Flow, Host, Io, bail};

/// Define a type of agent: the program its agents run. `{task}` in an
/// argument becomes the task, which also reaches the program as
/// AGMUX_TASK.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentType {
    /// Where its agents start (default: the parent's directory).
    #[arg(short = 'c', value_name = "start-directory")]
    cwd: Option<String>,
    /// Set VARIABLE=value for its agents; repeatable.
    #[arg(short = 'e', value_name = "environment")]
    env: Vec<String>,
    /// Type messages into its agents' panes.
    #[arg(long = "inject")]
    inject: bool,
    /// Only keep messages in the inbox (the default).
    #[arg(long = "no-inject")]
    no_inject: bool,
    /// Its agents work in a new git worktree of their parent's repository,
    /// on a branch of their own (agmux/<key>).
    #[arg(long = "worktree")]
    worktree: bool,
    /// The MCP tools its agents are offered, separated by commas
    /// (default: all).
    #[arg(long = "tools", value_name = "tools")]
    tools: Option<String>,
    /// MCP tools its agents are not offered, separated by commas.
    #[arg(long = "deny-tools", value_name = "tools")]
    deny_tools: Option<String>,
    /// Arguments, separated by spaces, that make its program carry on where
    /// it left off (`--continue` for claude): agent-group-restore adds them
    /// when it resumes one of its agents.
    #[arg(long = "resume", value_name = "arguments")]
    resume: Option<String>,
    /// The type's name.
    #[arg(value_name = "name")]
    name: String,
    /// The command and its arguments.
    #[arg(value_name = "command", trailing_var_arg = true, allow_hyphen_values = true)]
    command: Vec<String>,
}

impl Command for AgentType {
    const NAME: &'static str = "agent-type";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if self.name.is_empty() || self.name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            bail!("invalid agent type: {:?}", self.name);
        }
        if self.command.is_empty() {
            bail!("agent type {} needs a command", self.name);
        }
        if self.inject && self.no_inject {
            bail!("--inject and --no-inject contradict each other");
        }
        for e in &self.env {
            if !e.contains('=') || e.starts_with('=') {
                bail!("invalid environment: {e}");
            }
        }
        host.define_agent_type(
            io,
            Type {
                owner: None,
                name: self.name,
            cwd: self.cwd,
            env: self.env,
            inject: self.inject,
                command: self.command,
                worktree: self.worktree,
                tools: list(self.tools.as_deref()),
                deny_tools: list(self.deny_tools.as_deref()),
                resume: self
                    .resume
                    .as_deref()
                    .map(|r| r.split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default(),
            },
        )?;
        Ok(Flow::Continue)
    }
}

/// A comma-separated list, without empty items.
fn list(s: Option<&str>) -> Vec<String> {
    s.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}
