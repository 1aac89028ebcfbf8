//! The agmux command vocabulary.
//!
//! One file per command, as tmux has one `cmd-*.c` per command: each holds
//! the argument struct (clap derive; its doc comments are the help and the
//! man page), the name and alias, and `exec`, written against the [`Host`]
//! trait that the server implements. Adding a command is one file and one
//! line in the [`registry!`] below.
//!
//! The crate also holds what client, server and commands share: the wire
//! frames ([`proto`]), targets, formats, key names, the option table and the
//! command syntax parser.

pub mod agent;
pub mod bindings;
pub mod environ;
pub mod error;
pub mod format;
pub mod help;
pub mod hooks;
pub mod host;
pub mod keys;
pub mod man;
pub mod options;
pub mod parse;
pub mod proto;
pub mod target;
pub mod util;

pub use error::{CmdError, CmdResult};
pub use host::{Flow, Host, Identity, Io};
pub use target::{Found, PaneId, SessionId, TargetKind, WindowId};

/// How a command touches the sessions, windows and panes it targets. Under
/// `agent-isolation` an agent may change only its own panes and its
/// descendants'; the operator and panes that are no agent's keep tmux's
/// rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only looks (list-*, show-*, display-message -p): anyone may.
    Read,
    /// Reads what a pane shows (capture-pane): an agent may read its own,
    /// its descendants' and its group peers' panes.
    ReadContent,
    /// Changes its targets (send-keys, kill-pane, respawn-pane...).
    Write,
    /// Changes the server for everyone (kill-server, bind-key, hooks):
    /// only the operator, under isolation.
    Server,
}

/// A command: its clap arguments, its names and what it does.
pub trait Command: clap::Parser + 'static {
    const NAME: &'static str;
    const ALIAS: Option<&'static str> = None;
    /// What `-t` names, for the documentation.
    const TARGET: Option<TargetKind> = None;
    /// Whether running it starts a server when none is running.
    const START_SERVER: bool = false;
    /// How it touches its targets. Commands change them unless they say
    /// they only read.
    const ACCESS: Access = Access::Write;

    /// How this invocation touches its targets (set-option -g is server
    /// wide, set-option -t is not).
    fn access(&self) -> Access {
        Self::ACCESS
    }

    /// Whether it reads or changes the agent layer: such a command waits
    /// until the store has every change made before it.
    const AGENT: bool = false;

    fn agent(&self) -> bool {
        Self::AGENT
    }

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow>;
}

/// A parsed command ready to run, with its type erased.
pub trait Runnable {
    fn name(&self) -> &'static str;
    /// The command as tmux prints it back (for the message log).
    fn text(&self) -> String {
        self.name().to_string()
    }
    fn access(&self) -> Access;
    fn agent(&self) -> bool;
    fn run(self: Box<Self>, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow>;
}

impl<T: Command> Runnable for T {
    fn name(&self) -> &'static str {
        T::NAME
    }
    fn access(&self) -> Access {
        Command::access(self)
    }
    fn agent(&self) -> bool {
        Command::agent(self)
    }
    fn run(self: Box<Self>, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        (*self).exec(host, io)
    }
}

/// A command's entry in the registry.
pub struct Entry {
    pub name: &'static str,
    pub alias: Option<&'static str>,
    pub target: Option<TargetKind>,
    pub start_server: bool,
    parse: fn(&[String]) -> CmdResult<Box<dyn Runnable>>,
    clap: fn() -> clap::Command,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry").field("name", &self.name).finish()
    }
}

impl Entry {
    pub const fn of<T: Command>() -> Entry {
        Entry {
            name: T::NAME,
            alias: T::ALIAS,
            target: T::TARGET,
            start_server: T::START_SERVER,
            parse: parse_as::<T>,
            clap: <T as clap::CommandFactory>::command,
        }
    }

    /// Parses the arguments after the command name.
    pub fn parse(&self, args: &[String]) -> CmdResult<Box<dyn Runnable>> {
        (self.parse)(args)
    }

    /// The clap definition, for usage lines and the man page.
    pub fn clap(&self) -> clap::Command {
        (self.clap)()
    }

    /// `name (alias) [-flags] [-t target] args`, as list-commands prints it.
    pub fn usage(&self) -> String {
        let mut s = self.name.to_string();
        if let Some(a) = self.alias {
            s.push_str(&format!(" ({a})"));
        }
        let u = util::usage(&self.clap());
        if !u.is_empty() {
            s.push(' ');
            s.push_str(&u);
        }
        s
    }
}

/// A parsed command that remembers its words, to be printed back.
struct Parsed<T> {
    cmd: T,
    args: Vec<String>,
}

impl<T: Command> Runnable for Parsed<T> {
    fn name(&self) -> &'static str {
        T::NAME
    }
    fn text(&self) -> String {
        hooks::print_command(&Entry::of::<T>(), &self.args)
    }
    fn access(&self) -> Access {
        Command::access(&self.cmd)
    }
    fn agent(&self) -> bool {
        Command::agent(&self.cmd)
    }
    fn run(self: Box<Self>, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        self.cmd.exec(host, io)
    }
}

fn parse_as<T: Command>(args: &[String]) -> CmdResult<Box<dyn Runnable>> {
    // Building clap's command is most of a parse: build it once.
    // tmux's getopt lets a repeated flag's last value win (libtmux passes
    // -t twice); repeatable flags (-e, --ack) still collect every value.
    let mut clap = <T as clap::CommandFactory>::command().args_override_self(true);
    let ordered = util::getopt_order(&clap, args);
    let argv = std::iter::once(T::NAME.to_string()).chain(ordered.iter().cloned());
    let parsed = clap
        .try_get_matches_from_mut(argv)
        .and_then(|m| <T as clap::FromArgMatches>::from_arg_matches(&m));
    match parsed {
        Ok(cmd) => Ok(Box::new(Parsed {
            cmd,
            args: args.to_vec(),
        })),
        Err(e) => {
            // After the first argument tmux's getopt takes nothing as a
            // flag: a "flag" there is one argument too many.
            let tail = ordered.iter().skip_while(|a| *a != "--").skip(1);
            let invalid = e
                .get(clap::error::ContextKind::InvalidArg)
                .map(|v| v.to_string());
            let positional =
                invalid.is_some_and(|i| tail.clone().any(|a| i.starts_with(a.as_str())));
            if positional && e.kind() == clap::error::ErrorKind::UnknownArgument {
                return Err(util::too_many(T::NAME, &clap));
            }
            Err(util::clap_error(T::NAME, &clap, &e))
        }
    }
}

macro_rules! registry {
    ($($module:ident :: $ty:ident),* $(,)?) => {
        $(pub mod $module;)*
        /// Every command, sorted by name.
        pub static COMMANDS: &[Entry] = &[$(Entry::of::<$module::$ty>()),*];
    };
}

registry! {
    agent_context::AgentContext,
    agent_done::AgentDone,
    agent_forget::AgentForget,
    agent_group_delete::AgentGroupDelete,
    agent_group_restore::AgentGroupRestore,
    agent_group_save::AgentGroupSave,
    agent_history::AgentHistory,
    agent_inbox::AgentInbox,
    agent_join_group::AgentJoinGroup,
    agent_leave_group::AgentLeaveGroup,
    agent_peers::AgentPeers,
    agent_reply::AgentReply,
    agent_send::AgentSend,
    agent_share::AgentShare,
    agent_spawn::AgentSpawn,
    agent_stop::AgentStop,
    agent_type::AgentType,
    agent_wait::AgentWait,
    attach_session::AttachSession,
    bind_key::BindKey,
    break_pane::BreakPane,
    capture_pane::CapturePane,
    choose_agent::ChooseAgent,
    choose_buffer::ChooseBuffer,
    choose_client::ChooseClient,
    choose_tree::ChooseTree,
    clear_history::ClearHistory,
    clear_prompt_history::ClearPromptHistory,
    clock_mode::ClockMode,
    command_prompt::CommandPrompt,
    confirm_before::ConfirmBefore,
    copy_mode::CopyMode,
    customize_mode::CustomizeMode,
    delete_buffer::DeleteBuffer,
    detach_client::DetachClient,
    display_menu::DisplayMenu,
    display_message::DisplayMessage,
    display_panes::DisplayPanes,
    display_popup::DisplayPopup,
    find_window::FindWindow,
    has_session::HasSession,
    if_shell::IfShell,
    join_pane::JoinPane,
    kill_pane::KillPane,
    kill_server::KillServer,
    kill_session::KillSession,
    kill_window::KillWindow,
    last_pane::LastPane,
    last_window::LastWindow,
    link_window::LinkWindow,
    list_agent_groups::ListAgentGroups,
    list_agent_types::ListAgentTypes,
    list_agents::ListAgents,
    list_buffers::ListBuffers,
    list_clients::ListClients,
    list_commands::ListCommands,
    list_keys::ListKeys,
    list_panes::ListPanes,
    list_sessions::ListSessions,
    list_windows::ListWindows,
    load_buffer::LoadBuffer,
    lock_client::LockClient,
    lock_server::LockServer,
    lock_session::LockSession,
    mcp::Mcp,
    move_pane::MovePane,
    move_window::MoveWindow,
    new_session::NewSession,
    new_window::NewWindow,
    next_layout::NextLayout,
    next_window::NextWindow,
    paste_buffer::PasteBuffer,
    pipe_pane::PipePane,
    previous_layout::PreviousLayout,
    previous_window::PreviousWindow,
    refresh_client::RefreshClient,
    rename_session::RenameSession,
    rename_window::RenameWindow,
    resize_pane::ResizePane,
    resize_window::ResizeWindow,
    respawn_pane::RespawnPane,
    respawn_window::RespawnWindow,
    rotate_window::RotateWindow,
    run_shell::RunShell,
    save_buffer::SaveBuffer,
    select_layout::SelectLayout,
    select_pane::SelectPane,
    select_window::SelectWindow,
    send_keys::SendKeys,
    send_prefix::SendPrefix,
    server_access::ServerAccess,
    set_agent::SetAgent,
    set_buffer::SetBuffer,
    set_environment::SetEnvironment,
    set_hook::SetHook,
    set_option::SetOption,
    set_window_option::SetWindowOption,
    show_agent::ShowAgent,
    show_buffer::ShowBuffer,
    show_environment::ShowEnvironment,
    show_hooks::ShowHooks,
    show_messages::ShowMessages,
    show_options::ShowOptions,
    show_prompt_history::ShowPromptHistory,
    show_window_options::ShowWindowOptions,
    source_file::SourceFile,
    split_window::SplitWindow,
    start_server::StartServer,
    subscribe::Subscribe,
    suspend_client::SuspendClient,
    swap_pane::SwapPane,
    swap_window::SwapWindow,
    switch_client::SwitchClient,
    unbind_key::UnbindKey,
    unlink_window::UnlinkWindow,
    wait_for::WaitFor,
    web::Web,
}

/// Finds a command by name, alias or unique prefix, with tmux's errors.
pub fn lookup(name: &str) -> CmdResult<&'static Entry> {
    if let Some(e) = COMMANDS
        .iter()
        .find(|e| e.name == name || e.alias == Some(name))
    {
        return Ok(e);
    }
    // tmux's own commands first, so that an abbreviation that worked with
    // tmux (`a`, `at`, `li`) is never made ambiguous by agmux's additions.
    let prefixed = |own: bool| -> Vec<&'static Entry> {
        COMMANDS
            .iter()
            .filter(|e| !name.is_empty() && e.name.starts_with(name) && agmux_own(e.name) == own)
            .collect()
    };
    let mut matches = prefixed(false);
    if matches.is_empty() {
        matches = prefixed(true);
    }
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(CmdError(format!("unknown command: {name}"))),
        many => Err(CmdError(format!(
            "ambiguous command: {name}, could be: {}",
            many.iter().map(|e| e.name).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// The commands agmux adds to tmux's.
pub fn agmux_own(name: &str) -> bool {
    name.starts_with("agent-")
        || [
            "choose-agent",
            "list-agent-groups",
            "list-agent-types",
            "list-agents",
            "mcp",
            "set-agent",
            "show-agent",
            "subscribe",
            "web",
        ]
        .contains(&name)
}

/// Splits a command line at `;` arguments, the way tmux reads its argv:
/// `;` alone separates, a trailing `;` ends a command, `\;` is literal.
pub fn split_commands(argv: &[String]) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    for arg in argv {
        if arg == ";" {
            out.push(Vec::new());
        } else if let Some(stripped) = arg.strip_suffix("\\;") {
            if let Some(c) = out.last_mut() {
                c.push(format!("{stripped};"))
            }
        } else if let Some(stripped) = arg.strip_suffix(';') {
            if let Some(c) = out.last_mut() {
                c.push(stripped.to_string());
            }
            out.push(Vec::new());
        } else if let Some(c) = out.last_mut() {
            c.push(arg.clone());
        }
    }
    out.retain(|c| !c.is_empty());
    out
}

/// Parses a whole command line: every command must parse before any runs.
pub fn parse_argv(argv: &[String]) -> CmdResult<Vec<Box<dyn Runnable>>> {
    parse_argv_aliased(argv, &[])
}

/// Parses a command line with command-alias's `name=command` entries.
pub fn parse_argv_aliased(
    argv: &[String],
    aliases: &[String],
) -> CmdResult<Vec<Box<dyn Runnable>>> {
    parse_all(split_commands(argv), aliases)
}

/// Parses commands written in tmux's syntax (if-shell arguments, config).
pub fn parse_text(text: &str, ctx: &dyn parse::Context) -> CmdResult<Vec<Box<dyn Runnable>>> {
    let parsed = parse::parse(text, ctx).map_err(|e| CmdError(e.message))?;
    let words = parsed.into_iter().map(bind_key::words_of).collect();
    parse_all(words, &ctx.aliases())
}

fn parse_all(commands: Vec<Vec<String>>, aliases: &[String]) -> CmdResult<Vec<Box<dyn Runnable>>> {
    let mut out = Vec::new();
    for cmd in commands {
        for cmd in expand_alias(cmd, aliases) {
            out.push(lookup(&cmd[0])?.parse(&cmd[1..])?);
        }
    }
    Ok(out)
}

/// A command whose name is an alias becomes the alias's commands, its
/// arguments added to the last of them, as tmux expands command-alias
/// (once: an alias's commands are not expanded again).
pub fn expand_alias(cmd: Vec<String>, aliases: &[String]) -> Vec<Vec<String>> {
    let Some(name) = cmd.first() else {
        return vec![cmd];
    };
    let found = aliases
        .iter()
        .filter_map(|a| a.split_once('='))
        .find(|(n, _)| n == name);
    let Some((_, text)) = found else {
        return vec![cmd];
    };
    let Ok(parsed) = parse::parse(text, &parse::Literal) else {
        return vec![cmd];
    };
    let mut out: Vec<Vec<String>> = parsed.into_iter().map(|c| c.argv).collect();
    match out.last_mut() {
        Some(last) => last.extend(cmd[1..].iter().cloned()),
        None => return vec![cmd],
    }
    out
}

/// Parses command text with a host's environment for `$NAME`.
pub fn parse_with_host(host: &dyn Host, io: &Io, text: &str) -> CmdResult<Vec<Box<dyn Runnable>>> {
    util::parse_commands(host, io, text)
}

/// Whether any command in a command line needs a server to be started.
pub fn needs_server_start(argv: &[String]) -> bool {
    split_commands(argv)
        .iter()
        .any(|c| lookup(&c[0]).is_ok_and(|e| e.start_server))
}

#[cfg(test)]
mod tests;
