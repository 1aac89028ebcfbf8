use crate::host::OptionScope;
use crate::options::Value;
use crate::{CmdResult, Command, Flow, Host, Io, bail};

/// The hooks there are: agent-spawned, agent-done, agent-message and
/// agent-status-changed.
pub const HOOKS: &[&str] = &[
    "agent-done",
    "agent-message",
    "agent-spawned",
    "agent-status-changed",
];

/// Run a command when something happens to an agent. In the command,
/// #{hook}, #{hook_agent} (the agent's key) and #{hook_detail} (the task,
/// result, message or status) are filled in, and the agent's session is
/// the default target. Hooks are server-wide: -g is implied.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SetHook {
    /// Add the command to those already set.
    #[arg(short = 'a')]
    append: bool,
    /// Set the global hook (the only kind).
    #[arg(short = 'g')]
    global: bool,
    /// Remove the hook's commands.
    #[arg(short = 'u')]
    unset: bool,
    /// The hook.
    #[arg(value_name = "hook-name")]
    hook: String,
    /// The command.
    #[arg(value_name = "command")]
    command: Option<String>,
}

impl Command for SetHook {
    const NAME: &'static str = "set-hook";
    const ACCESS: crate::Access = crate::Access::Server;

    fn exec(self, host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        let _ = self.global;
        if !HOOKS.contains(&self.hook.as_str()) {
            bail!("invalid hook: {}", self.hook);
        }
        let Some(opts) = host.options_mut(OptionScope::Server) else {
            bail!("no server options");
        };
        if self.unset {
            opts.unset(&self.hook);
            return Ok(Flow::Continue);
        }
        let Some(command) = self.command else {
            bail!("no command given for {}", self.hook);
        };
        // The command must parse now, not fail later when the hook runs.
        crate::parse::parse(&command, &Plain).map_err(|e| crate::CmdError::new(e.message))?;
        let mut list = match opts.get(&self.hook) {
            Some(Value::Array(a)) if self.append => a.clone(),
            _ => Vec::new(),
        };
        list.push(command);
        opts.set(&self.hook, Value::Array(list));
        Ok(Flow::Continue)
    }
}

/// Parses without expanding anything, to check a command's syntax.
struct Plain;

impl crate::parse::Context for Plain {
    fn env(&self, _name: &str) -> Option<String> {
        None
    }
    fn condition(&self, _f: &str) -> bool {
        false
    }
}
