use crate::hooks::{self, HookScope};
use crate::host::OptionScope;
use crate::options::Value;
use crate::set_option::split_index;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Set a hook: commands run when something happens (tmux's notification
/// hooks, after-COMMAND, and agmux's agent-done, agent-message,
/// agent-spawned and agent-status-changed). Formats in the commands see
/// #{hook}, #{hook_session}, #{hook_session_name}, #{hook_window},
/// #{hook_window_name}, #{hook_pane} and #{hook_client}; in agent hooks
/// #{hook_agent} and #{hook_detail} (the task, result, message or status)
/// are filled in.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SetHook {
    /// Add the command to those already set.
    #[arg(short = 'a')]
    append: bool,
    /// Set the global hook.
    #[arg(short = 'g')]
    global: bool,
    /// Set a pane hook.
    #[arg(short = 'p')]
    pane: bool,
    /// Run the hook now.
    #[arg(short = 'R')]
    run: bool,
    /// Remove the hook's commands (or the one at `hook[N]`).
    #[arg(short = 'u')]
    unset: bool,
    /// Set a window hook.
    #[arg(short = 'w')]
    window: bool,
    /// The session, window or pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// The hook, `name` or `name[N]`.
    #[arg(value_name = "hook-name")]
    hook: String,
    /// The command.
    #[arg(value_name = "command")]
    command: Option<String>,
}

/// Where a hook command keeps a hook, from its scope and -g/-w/-p/-t.
pub(crate) fn hook_scope(
    host: &mut dyn Host,
    io: &Io,
    kind: HookScope,
    target: Option<&str>,
    global: bool,
    pane: bool,
) -> CmdResult<OptionScope> {
    Ok(match kind {
        HookScope::Session if global => OptionScope::GlobalSession,
        HookScope::Session => {
            OptionScope::Session(host.find(io, target, TargetKind::Session)?.session)
        }
        HookScope::Window if pane => OptionScope::Pane(host.find(io, target, TargetKind::Pane)?.pane),
        HookScope::Window if global => OptionScope::GlobalWindow,
        HookScope::Window => OptionScope::Window(host.find(io, target, TargetKind::Window)?.window),
    })
}

/// Sets entry `index` of a hook's list, or with None the first free one.
fn place(list: &mut Vec<String>, index: Option<usize>, command: String) {
    let i = index.unwrap_or_else(|| list.iter().position(String::is_empty).unwrap_or(list.len()));
    if list.len() <= i {
        list.resize(i + 1, String::new());
    }
    list[i] = command;
}

impl Command for SetHook {
    const NAME: &'static str = "set-hook";
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn access(&self) -> crate::Access {
        if self.global {
            crate::Access::Server
        } else {
            crate::Access::Write
        }
    }

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let (name, index) = split_index(&self.hook)?;
        let Some(kind) = hooks::scope_of(name) else {
            bail!("invalid option: {name}");
        };
        let scope = hook_scope(host, io, kind, self.target.as_deref(), self.global, self.pane)?;
        if self.run {
            host.run_hook(io, name, scope);
            return Ok(Flow::Continue);
        }
        if self.global {
            host.check_server_wide(io, "set global hooks")?;
        }
        let command = match (&self.command, self.unset) {
            (_, true) => None,
            (Some(c), false) => Some(hooks::canonical(c)?),
            (None, false) => bail!("empty value"),
        };
        let Some(opts) = host.options_mut(scope) else {
            bail!("no such options");
        };
        let mut list = match opts.get(name) {
            Some(Value::Array(a)) if self.append || index.is_some() || self.unset => a.clone(),
            _ => Vec::new(),
        };
        match (command, index) {
            (Some(c), i) => place(&mut list, i, c),
            (None, Some(i)) => {
                if let Some(slot) = list.get_mut(i) {
                    slot.clear();
                }
            }
            (None, None) => list.clear(),
        }
        while list.last().is_some_and(String::is_empty) {
            list.pop();
        }
        if list.is_empty() {
            opts.unset(name);
        } else {
            opts.set(name, Value::Array(list));
        }
        Ok(Flow::Continue)
    }
}
