//! The interface commands run against. The server implements [`Host`]; the
//! tests of this crate implement a fake one. Each method is one narrow
//! operation; the logic of flags and defaults lives in the command files.

use crate::Runnable;
use crate::agent::{
    AgentChange, AgentSpawn, AgentSpec, AgentType, AgentView, ContextEntry, GroupView, HistoryView,
    MessageView, SendSpec, ShareOp,
};
use crate::bindings::KeyTables;
use crate::environ::Environ;
use crate::error::CmdResult;
use crate::keys::InputModes;
use crate::options::Options;
use crate::target::{Found, PaneId, SessionId, TargetKind, WindowId};

/// Who is calling, as the server verified it from the caller's process
/// tree. The environment never makes a caller someone else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// Outside every pane: the person, or a script of theirs, running the
    /// server. May do anything, in its own name.
    Operator,
    /// A pane that is no agent's, started by the operator: tmux's rules,
    /// with the operator's authority, recorded as `%N`.
    Pane(PaneId),
    /// An agent, by key: a process in its session's panes, in a pane or
    /// job it started, or a descendant of one.
    Agent(String),
    /// A caller the server cannot place (a process that left its pane's
    /// process tree, or one it cannot see): it may not act on agents. The
    /// text says why.
    Unknown(String),
}

impl Default for Identity {
    /// Unverified until the server says otherwise: never the operator by
    /// accident.
    fn default() -> Identity {
        Identity::Unknown("the caller was not verified".into())
    }
}

impl Identity {
    /// The name recorded as a sender, writer or actor.
    pub fn name(&self) -> String {
        match self {
            Identity::Operator => "operator".into(),
            Identity::Pane(p) => p.to_string(),
            Identity::Agent(k) => k.clone(),
            Identity::Unknown(_) => "unknown".into(),
        }
    }

    pub fn agent(&self) -> Option<&str> {
        match self {
            Identity::Agent(k) => Some(k),
            _ => None,
        }
    }

    /// The operator, or a pane the operator started: tmux's authority.
    pub fn is_operator(&self) -> bool {
        matches!(self, Identity::Operator | Identity::Pane(_))
    }
}

impl std::fmt::Display for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// What the server verified about a caller: who it is, and the pane its
/// process runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub who: Identity,
    pub pane: Option<PaneId>,
}

/// Who runs a command, as the server knows them.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// Who it is, worked out by the server from the process tree when a
    /// command first needs it (most tmux commands never do).
    pub verified: std::cell::OnceCell<Verified>,
    /// The client's working directory, the default for new panes.
    pub cwd: Option<String>,
    /// The client's environment.
    pub env: Vec<(String, String)>,
    /// Whether the client has a terminal to attach to.
    pub tty: bool,
    /// The session the client is attached to, if any.
    pub attached: Option<SessionId>,
    /// The client's process id, from the socket's peer credentials.
    pub pid: Option<u32>,
    /// The configuration file loaded at server start, which has no client:
    /// new-session makes its session detached there, as tmux does.
    pub config: bool,
    /// The attached client running the command (a key binding, the prompt).
    pub client: Option<u64>,
    /// The caller's terminal size, name and type, for attaching.
    pub size: Option<(u16, u16)>,
    /// A cell of the caller's terminal in pixels (0 if it does not say).
    pub cell: (u16, u16),
    pub tty_name: String,
    pub term: String,
    /// The mouse event a mouse key binding runs for: `=` and the default
    /// target are where it happened, and -M flags act on it.
    pub mouse: Option<MouseTarget>,
}

/// How a prompt takes its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PromptKind {
    /// Typed text, finished with Enter.
    #[default]
    Text,
    /// confirm-before: `y` runs the command, any other key cancels.
    Confirm,
    /// command-prompt -1: the first key typed is the answer.
    OneKey,
    /// command-prompt -k: the first key's name is the answer.
    KeyName,
    /// command-prompt -N: digits only; any other key finishes it.
    Numeric,
}

/// Where a mouse event happened and what it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MouseTarget {
    /// The pane under the mouse (or beside the border under it).
    pub pane: Option<PaneId>,
    /// The window under the mouse on the status line.
    pub window: Option<(SessionId, u32)>,
    /// Cell position in the pane, from 0.
    pub x: u16,
    pub y: u16,
    /// The event as xterm reports it: button code with modifier and motion
    /// bits, and whether it is a release.
    pub code: u32,
    pub release: bool,
    /// Not an event the terminal sent (a double click, known only after
    /// the click time): never passed to a program, as tmux's m->ignore.
    pub ignore: bool,
}

/// What a mouse drag does while the button stays down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseDrag {
    /// Move the pane border under the mouse (resize-pane -M).
    Border,
    /// Extend the copy-mode selection in the pane (copy-mode -M).
    Select(PaneId),
}

impl Caller {
    /// A caller whose identity is known without looking (the server's own
    /// configuration and hooks are the operator's).
    pub fn known(who: Identity) -> Caller {
        Caller {
            verified: std::cell::OnceCell::from(Verified { who, pane: None }),
            ..Caller::default()
        }
    }

    pub fn env(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Output of a command list for its client, and who the client is.
#[derive(Debug, Default)]
pub struct Io {
    pub caller: Caller,
    pub out: String,
    pub err: String,
    /// Exit status to report when the list succeeds (run-shell passes on its
    /// command's status, as tmux does).
    pub status: i32,
    /// Format variables this command list carries (a hook's #{hook_*}).
    pub vars: Vec<(String, String)>,
    /// Run by a hook: like tmux, its commands set off no hooks.
    pub hook: bool,
}

impl Io {
    pub fn new(caller: Caller) -> Io {
        Io {
            caller,
            ..Io::default()
        }
    }

    /// A line for the client's stdout.
    pub fn print(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    /// A line for the client's stderr that is not an error of the command.
    pub fn warn(&mut self, line: &str) {
        self.err.push_str(line);
        self.err.push('\n');
    }
}

/// What the queue does after a command.
pub enum Flow {
    /// Go on with the next command.
    Continue,
    /// The command parked the queue (wait-for, run-shell without -b); the
    /// host resumes it later.
    Wait,
    /// Run these commands next, then go on (if-shell).
    Insert(Vec<Box<dyn Runnable>>),
    /// Attach the client to this session.
    Attach {
        session: SessionId,
        detach_others: bool,
        /// attach -r: the client only looks (tmux's read-only client).
        read_only: bool,
    },
}

impl std::fmt::Debug for Flow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Flow::Continue => f.write_str("Continue"),
            Flow::Wait => f.write_str("Wait"),
            Flow::Insert(v) => write!(f, "Insert({} commands)", v.len()),
            Flow::Attach { session, .. } => write!(f, "Attach({session})"),
        }
    }
}

/// An attached client as commands see it.
#[derive(Debug, Clone)]
pub struct ClientView {
    pub id: u64,
    /// Its terminal, `/dev/pts/3`: the client's name in targets.
    pub name: String,
    pub session: SessionId,
    pub size: (u16, u16),
    pub term: String,
    pub pid: Option<u32>,
    pub key_table: String,
}

/// What a new pane runs and where.
#[derive(Debug, Clone, Default)]
pub struct SpawnSpec {
    /// One element: a shell command run with `default-shell -c`; several: an
    /// argv run directly; none: `default-command`, else a login shell.
    pub command: Vec<String>,
    pub cwd: Option<String>,
    /// `NAME=value` from `-e`.
    pub env: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct NewSessionSpec {
    pub name: Option<String>,
    pub window_name: Option<String>,
    pub size: Option<(u16, u16)>,
    pub spawn: SpawnSpec,
    /// new-session -t: the group to join.
    pub group: Option<GroupWith>,
}

/// server-access's flags.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccessChange {
    pub add: bool,
    pub deny: bool,
    pub read_only: bool,
    pub write: bool,
}

/// What display-popup shows.
#[derive(Debug, Clone, Default)]
pub struct PopupSpec {
    /// Outer size, border included.
    pub width: u16,
    pub height: u16,
    /// -x and -y as given.
    pub x: Option<String>,
    pub y: Option<String>,
    pub title: String,
    /// popup-border-lines' choices; `None` for the option's value.
    pub border_lines: Option<String>,
    pub style: Option<String>,
    pub border_style: Option<String>,
    /// -E given once (1) or twice (2).
    pub close_on_exit: u8,
    /// The working directory, expanded.
    pub cwd: Option<String>,
    pub env: Vec<String>,
    pub command: Vec<String>,
}

/// One chosen line of a menu.
#[derive(Debug, Clone)]
pub struct MenuItem {
    /// Expanded; a leading `-` makes it an item that cannot be chosen.
    pub name: String,
    pub key: String,
    /// Expanded.
    pub command: String,
}

/// What display-menu shows: items, `None` for a separator line.
#[derive(Debug, Clone, Default)]
pub struct MenuSpec {
    pub title: String,
    /// -O: the menu stays open when the mouse button is released, and a
    /// click chooses.
    pub stay_open: bool,
    pub items: Vec<Option<MenuItem>>,
    pub x: Option<String>,
    pub y: Option<String>,
}

/// The session group a new session joins (new-session -t).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupWith {
    /// The group of this session, made with it if it has none.
    Session(SessionId),
    /// The group of this name, made if there is none.
    Name(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowPlace {
    /// The first free index from base-index.
    Free,
    /// This index (which must be free, unless `kill` is set).
    At {
        index: u32,
        kill: bool,
    },
    /// Just after / before this index, moving later windows up.
    After(u32),
    Before(u32),
}

#[derive(Debug, Clone)]
pub struct NewWindowSpec {
    pub name: Option<String>,
    pub place: WindowPlace,
    pub select: bool,
    pub spawn: SpawnSpec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitSize {
    Cells(u32),
    Percent(u32),
}

#[derive(Debug, Clone)]
pub struct SplitSpec {
    pub place: PanePlace,
    pub spawn: SpawnSpec,
}

/// How choose-tree starts.
#[derive(Debug, Clone, Default)]
pub struct TreeSpec {
    /// Start with sessions collapsed (-s) or windows collapsed (-w).
    pub sessions_collapsed: bool,
    pub windows_collapsed: bool,
    /// Run on the choice, `%%` replaced by the chosen target.
    pub template: String,
    pub preview: bool,
    /// Zoom the pane while choosing (-Z).
    pub zoom: bool,
    /// Show only the panes this format is true for, with their windows
    /// and sessions (-f).
    pub filter: Option<String>,
    /// A row per agent instead (choose-agent).
    pub agents: bool,
    /// A list instead of the tree: choose-buffer, choose-client.
    pub list: Option<TreeList>,
    /// customize-mode: options and key bindings instead of the tree.
    pub customize: bool,
    /// The list's item format (-F), after the name.
    pub format: Option<String>,
    /// The list's order (-O): buffers by time, name or size; clients by
    /// name, size, creation or activity. Reversed with -r.
    pub sort: Option<String>,
    pub reverse: bool,
}

/// What a chooser lists instead of sessions, windows and panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeList {
    Buffers,
    Clients,
}

/// Where a pane goes when it splits another (split-window, join-pane).
#[derive(Debug, Clone)]
pub struct PanePlace {
    /// Side by side (`-h`) rather than one above the other.
    pub horizontal: bool,
    pub size: Option<SplitSize>,
    /// The pane goes left of / above the target (`-b`).
    pub before: bool,
    /// Split the whole window rather than the pane (`-f`).
    pub full: bool,
    /// Make it the active pane (and its window the current one).
    pub select: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Left,
    Right,
    Up,
    Down,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resize {
    /// Move the border in a direction by this many cells.
    Adjust(Direction, u32),
    Width(SplitSize),
    Height(SplitSize),
    ToggleZoom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureLine {
    /// A line number: 0 is the first visible line, negative lines are history.
    At(i64),
    /// `-`: the start of history (for -S) or the end of the screen (for -E).
    Edge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureSpec {
    pub start: Option<CaptureLine>,
    pub end: Option<CaptureLine>,
    /// Keep colours and attributes as escape sequences (`-e`).
    pub escapes: bool,
    /// Join wrapped lines and keep trailing spaces (`-J`).
    pub join: bool,
    /// Keep trailing spaces (`-N`).
    pub trailing: bool,
    /// The alternate screen (`-a`).
    pub alternate: bool,
}

/// Which option set a command reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionScope {
    Server,
    GlobalSession,
    Session(SessionId),
    GlobalWindow,
    Window(WindowId),
    Pane(PaneId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvScope {
    Global,
    Session(SessionId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitMode {
    Wait,
    Signal,
    Lock,
    Unlock,
}

/// A shell command the host runs off its main loop.
#[derive(Debug, Clone)]
pub struct JobSpec {
    pub command: String,
    pub cwd: Option<String>,
    /// The pane whose session's environment the job gets.
    pub at: Option<Found>,
    /// Seconds to wait before running it (`run-shell -d`).
    pub delay: Option<f64>,
}

#[derive(Debug, Clone, Default)]
pub struct JobResult {
    /// What the command wrote on stdout.
    pub output: String,
    /// What it wrote on stderr.
    pub error: String,
    /// Exit status, or 128 + signal.
    pub status: i32,
}

/// What to do when a job finishes, run inside the host with the client's
/// output, like the rest of the command.
pub type JobThen = Box<dyn FnOnce(&mut dyn Host, &mut Io, JobResult) -> CmdResult<Flow>>;

/// The server's side of every command. The agent verbs are a trait of
/// their own, implemented beside the agent layer.
pub trait Host: AgentHost {
    // Finding things.

    /// Resolves `-t` (or the current target when `None`).
    fn find(&mut self, io: &Io, target: Option<&str>, kind: TargetKind) -> CmdResult<Found>;
    /// The marked pane (select-pane -m), while it is still there.
    fn marked(&self) -> Option<Found> {
        None
    }
    /// Marks a pane, or clears the mark.
    fn set_marked(&mut self, _f: Option<Found>) {}
    /// Resolves a `-s` that defaults to the marked pane, as tmux's
    /// CMD_FIND_DEFAULT_MARKED sources do.
    fn find_source(&mut self, io: &Io, source: Option<&str>, kind: TargetKind) -> CmdResult<Found> {
        match (source, self.marked()) {
            // Through `~`, so it is checked like any target.
            (None, Some(_)) => self.find(io, Some("~"), kind),
            _ => self.find(io, source, kind),
        }
    }
    /// Resolves the target of `new-window -t`, whose window part may be an
    /// index that is not in use yet.
    fn find_index(&mut self, io: &Io, target: Option<&str>) -> CmdResult<(SessionId, Option<u32>)>;
    fn session_named(&self, name: &str) -> Option<SessionId>;
    /// Every session, sorted by name.
    fn sessions(&self) -> Vec<SessionId>;
    /// The windows of a session by index.
    fn windows(&self, s: SessionId) -> Vec<(u32, WindowId)>;
    /// The panes of a window in order.
    fn panes(&self, w: WindowId) -> Vec<PaneId>;
    /// The target for a session's current window and pane.
    fn session_found(&self, s: SessionId) -> Option<Found>;
    fn window_found(&self, s: SessionId, index: u32) -> Option<Found>;
    fn pane_found(&self, p: PaneId) -> Option<Found>;
    /// Expands a format for a target (or for the server alone).
    fn expand(&self, io: &Io, fmt: &str, at: Option<&Found>) -> String;
    /// Expands a format for a session or a window as such (list-sessions,
    /// list-windows): #{session_format} and #{window_format} say which,
    /// where `expand` is for a pane.
    fn expand_as(
        &self,
        io: &Io,
        fmt: &str,
        at: Option<&Found>,
        _kind: crate::format::Loop,
    ) -> String {
        self.expand(io, fmt, at)
    }
    /// Expands a format and says how, step by step (`display -v`).
    fn expand_traced(&self, io: &Io, fmt: &str, at: Option<&Found>) -> (String, Vec<String>) {
        (self.expand(io, fmt, at), Vec::new())
    }
    /// Every format variable and its value for a target (`display -a`).
    fn format_variables(&self, io: &Io, at: Option<&Found>) -> Vec<(String, String)>;
    /// Shows a message on the status line of the caller's client, if it is
    /// attached.
    fn show_message(&mut self, io: &Io, text: &str);
    /// The message log, oldest first: (seconds since the epoch, text).
    fn message_log(&self) -> Vec<(i64, String)>;
    /// Runs a hook's commands now, for the session, window or pane of
    /// `scope` (set-hook -R).
    fn run_hook(&mut self, io: &Io, hook: &str, scope: OptionScope);

    // Sessions.

    fn new_session(&mut self, io: &Io, spec: NewSessionSpec) -> CmdResult<Found>;
    fn kill_session(&mut self, s: SessionId);
    fn rename_session(&mut self, s: SessionId, name: &str) -> CmdResult;
    /// Sets the directory new panes of the session start in.
    fn set_session_cwd(&mut self, s: SessionId, cwd: &str);
    fn kill_server(&mut self);

    // Windows.

    fn new_window(&mut self, io: &Io, s: SessionId, spec: NewWindowSpec) -> CmdResult<Found>;
    fn select_window(&mut self, s: SessionId, index: u32) -> CmdResult;
    /// The previously current window of a session.
    fn last_window(&self, s: SessionId) -> Option<u32>;
    fn kill_window(&mut self, w: WindowId);
    fn rename_window(&mut self, w: WindowId, name: &str);
    /// Moves the window of `src` to session `s` (move-window): to `index`, or the
    /// first free index from base-index. A window already there is an
    /// error unless `kill`, which destroys it. With `select` the window
    /// becomes `s`'s current one. With `renumber_source`, the session it
    /// left renumbers its windows if its renumber-windows option says so.
    fn move_window(
        &mut self,
        src: &Found,
        s: SessionId,
        index: Option<u32>,
        kill: bool,
        select: bool,
        renumber_source: bool,
    ) -> CmdResult<Found>;
    /// Links the window of `src` into session `s` too, at `index` or the
    /// first free index: an index in use is an error unless `kill`, which
    /// unlinks the window there. With `select` it becomes `s`'s current
    /// window.
    fn link_window(
        &mut self,
        src: &Found,
        s: SessionId,
        index: Option<u32>,
        kill: bool,
        select: bool,
    ) -> CmdResult<Found>;
    /// Unlinks the window at `at` from its session; unless `kill`, only a
    /// window linked elsewhere too may be. The window goes with its last
    /// link.
    fn unlink_window(&mut self, at: &Found, kill: bool) -> CmdResult;
    /// Renumbers a session's windows from base-index, keeping their order.
    fn renumber_windows(&mut self, s: SessionId);
    /// Moves the windows from `index` up by one, to the first free index,
    /// so that `index` is free.
    fn shuffle_windows(&mut self, s: SessionId, index: u32);
    /// Swaps the windows at two places; with `detached`, the target index
    /// becomes current in its session, and the source index in its own.
    fn swap_windows(&mut self, src: &Found, dst: &Found, detached: bool) -> CmdResult;
    /// Rotates the panes of a window through their places (rotate-window).
    fn rotate_window(&mut self, w: WindowId, down: bool, keep_zoom: bool) -> CmdResult;
    /// A window's size in cells.
    fn window_size(&self, w: WindowId) -> (u32, u32);
    /// The largest (or smallest) size of the clients attached to a
    /// session, else default-size.
    fn clients_size(&self, s: SessionId, largest: bool) -> (u32, u32);
    /// Gives a window a size of its own (resize-window): its window-size
    /// becomes manual.
    fn resize_window(&mut self, w: WindowId, sx: u32, sy: u32) -> CmdResult;
    /// Closes every pane of a window but its first, which runs its program
    /// again (respawn-window).
    fn respawn_window(&mut self, io: &Io, at: &Found, spawn: SpawnSpec, kill: bool) -> CmdResult;

    // Panes.

    fn split_window(&mut self, io: &Io, at: &Found, spec: SplitSpec) -> CmdResult<Found>;
    fn kill_pane(&mut self, p: PaneId);
    /// Moves a pane to a window of its own in session `s` (break-pane). A
    /// window with only this pane moves as it is, as in tmux.
    fn break_pane(
        &mut self,
        p: PaneId,
        s: SessionId,
        place: WindowPlace,
        name: Option<String>,
        select: bool,
    ) -> CmdResult<Found>;
    /// Moves pane `src` next to `at.pane`, splitting it (join-pane).
    fn join_pane(&mut self, src: PaneId, at: &Found, place: PanePlace) -> CmdResult<Found>;
    /// Swaps two panes' places, in one window or across two (swap-pane).
    fn swap_panes(&mut self, src: PaneId, dst: PaneId, detached: bool) -> CmdResult;
    fn select_pane(&mut self, p: PaneId);
    /// The previously active pane of a window.
    fn last_pane(&self, w: WindowId) -> Option<PaneId>;
    /// The pane next to this one in a direction (wrapping around).
    fn neighbour(&self, p: PaneId, dir: Direction) -> Option<PaneId>;
    fn set_pane_title(&mut self, p: PaneId, title: &str);
    /// Lets keys reach a pane, or stops them (select-pane -e / -d).
    fn set_pane_input(&mut self, p: PaneId, on: bool);
    /// refresh-client -C: a control client's size, which then counts.
    fn set_control_size(&mut self, client: u64, cols: u16, rows: u16) -> CmdResult;
    fn resize_pane(&mut self, p: PaneId, how: Resize) -> CmdResult;
    /// Applies a layout by name (`tiled`...) or layout string.
    fn select_layout(&mut self, w: WindowId, layout: &str) -> CmdResult;
    /// The next (or previous) of the preset layouts.
    fn cycle_layout(&mut self, w: WindowId, forward: bool) -> CmdResult;
    /// Spreads the panes around `p` out evenly (select-layout -E).
    fn spread_layout(&mut self, w: WindowId, p: PaneId) -> CmdResult;
    fn write_pane(&mut self, p: PaneId, data: &[u8]) -> CmdResult;
    fn input_modes(&self, p: PaneId) -> InputModes;
    fn capture_pane(&self, p: PaneId, spec: CaptureSpec) -> CmdResult<String>;
    fn clear_history(&mut self, p: PaneId);
    /// Puts a pane in copy mode (or takes it out with `cancel`); `page_up`
    /// scrolls a page up on entering, `exit_at_bottom` leaves when scrolled
    /// to the bottom.
    fn copy_mode(
        &mut self,
        p: PaneId,
        page_up: bool,
        exit_at_bottom: bool,
        cancel: bool,
    ) -> CmdResult;
    /// Shows the tree of sessions, windows and panes in a pane to choose
    /// from (choose-tree).
    fn choose_tree(&mut self, io: &Io, p: PaneId, spec: TreeSpec) -> CmdResult;
    /// server-access -l: the users let in, with whether they may write.
    fn access_list(&self) -> Vec<(String, bool)>;
    /// server-access: lets a user in or out, or changes what they may do.
    fn change_access(&mut self, user: &str, change: AccessChange) -> CmdResult;
    /// lock-client: the client runs lock-command until it ends.
    fn lock_client(&mut self, client: u64);
    /// suspend-client: the client stops until continued.
    fn suspend_client(&mut self, client: u64);
    /// Puts a pane in clock mode.
    fn clock_mode(&mut self, p: PaneId);
    /// Whether a pane is in a mode that takes keys itself (choose-tree)
    /// rather than through a key table.
    fn in_key_mode(&self, p: PaneId) -> bool;
    /// Gives a key to such a mode; returns the command a choice runs.
    fn mode_key(&mut self, p: PaneId, key: crate::keys::Key) -> Option<String>;
    /// The key table of a pane in copy mode (by its mode-keys), or None
    /// when the pane is not in a mode.
    fn mode_table(&self, p: PaneId) -> Option<&'static str>;
    /// Runs a copy-mode command (send-keys -X) in a pane in copy mode.
    fn copy_command(&mut self, io: &Io, p: PaneId, name: &str, args: &[String]) -> CmdResult;
    /// How many times the next copy-mode command runs (send-keys -N with
    /// no keys in copy mode: vi's typed repeat counts).
    fn copy_repeat(&mut self, p: PaneId, count: usize) -> CmdResult;
    /// Passes the caller's mouse event to the pane's program, if it asked
    /// for mouse events (send-keys -M).
    fn send_mouse(&mut self, p: PaneId, m: &MouseTarget) -> CmdResult;
    /// Makes the rest of the caller's mouse drag do something.
    fn mouse_drag(&mut self, client: u64, m: &MouseTarget, drag: MouseDrag) -> CmdResult;
    fn respawn_pane(&mut self, io: &Io, p: PaneId, spawn: SpawnSpec, kill: bool) -> CmdResult;
    /// Closes a pane's pipe (pipe-pane); returns whether one was open. A
    /// dead pane is an error.
    fn close_pipe(&mut self, p: PaneId) -> CmdResult<bool>;
    /// Runs a shell command joined to a pane: with `output` the pane's
    /// output is its input, with `input` its output is typed into the pane.
    fn open_pipe(
        &mut self,
        io: &Io,
        p: PaneId,
        command: &str,
        input: bool,
        output: bool,
    ) -> CmdResult;

    // Options, environment and buffers.

    fn options(&self, scope: OptionScope) -> Option<&Options>;
    fn options_mut(&mut self, scope: OptionScope) -> Option<&mut Options>;
    /// Called after a command changed an option, so the host can apply it.
    fn option_changed(&mut self, scope: OptionScope, name: &str);
    fn environ(&self, scope: EnvScope) -> Option<&Environ>;
    fn environ_mut(&mut self, scope: EnvScope) -> Option<&mut Environ>;
    /// Stores a paste buffer; `None` picks the next automatic name.
    fn set_buffer(&mut self, name: Option<&str>, data: String) -> CmdResult<String>;
    /// A buffer by name, or the most recent one: (name, contents).
    fn buffer(&self, name: Option<&str>) -> Option<(String, String)>;
    /// Every buffer, most recent first.
    fn buffer_list(&self) -> Vec<(String, String)>;
    /// Removes a buffer (the most recent with `None`); false if none.
    fn delete_buffer(&mut self, name: Option<&str>) -> bool;

    // Attached clients and key bindings.

    fn clients(&self) -> Vec<ClientView>;
    /// A client by name (its tty), or the caller's own with `None`.
    fn find_client(&self, io: &Io, target: Option<&str>) -> CmdResult<u64>;
    /// Detaches a client, which prints `[detached (from session ...)]`.
    fn detach_client(&mut self, client: u64);
    fn switch_client(&mut self, client: u64, session: SessionId) -> CmdResult;
    /// The session a client was attached to before its current one.
    fn last_session(&self, client: u64) -> Option<SessionId>;
    /// Puts a client in a key table, as if the prefix had been pressed.
    fn set_key_table(&mut self, client: u64, table: &str);
    fn key_tables(&self) -> &KeyTables;
    fn key_tables_mut(&mut self) -> &mut KeyTables;
    /// Redraws a client from scratch.
    fn refresh_client(&mut self, client: u64);
    /// Opens a prompt on a client's status line: Enter (or, by `kind`, a
    /// single key) runs `template` with `%%` replaced by the input (or the
    /// input itself without a template).
    fn prompt(
        &mut self,
        client: u64,
        label: &str,
        input: &str,
        template: Option<String>,
        kind: PromptKind,
    );
    /// Shows the pane numbers on a client (display-panes) for `ms` (or
    /// display-panes-time); with `keys`, a typed number runs `template`.
    fn display_panes(&mut self, client: u64, template: String, ms: Option<u64>, keys: bool);
    /// What was typed at prompts of a kind (command, search, ...), oldest
    /// first.
    fn prompt_history(&self, kind: &str) -> Vec<String>;
    fn clear_prompt_history(&mut self, kind: &str);
    /// Whether the client shows a popup or menu.
    fn has_overlay(&self, client: u64) -> bool;
    /// Closes the client's popup or menu, if any.
    fn clear_overlay(&mut self, client: u64);
    /// display-popup: shows a popup on the client; `Flow::Wait` until it
    /// closes, `Flow::Continue` if it did not fit.
    fn display_popup(
        &mut self,
        io: &Io,
        client: u64,
        at: &Found,
        spec: PopupSpec,
    ) -> CmdResult<Flow>;
    /// display-menu: shows a menu on the client; `Flow::Wait` until it
    /// closes, `Flow::Continue` if it did not fit.
    fn display_menu(&mut self, io: &Io, client: u64, at: &Found, spec: MenuSpec)
    -> CmdResult<Flow>;
    /// Expands a format for a client (client_* variables and its session).
    fn expand_client(&self, io: &Io, fmt: &str, client: u64) -> String;

    /// Refuses a change that affects everyone (global options, the global
    /// environment) to an agent under agent-isolation: `what` names it.
    fn check_server_wide(&self, io: &Io, what: &str) -> CmdResult;

    // Waiting and jobs.

    /// Signals, locks, or waits on a channel. `Ok(Flow::Wait)` parks the
    /// current command queue until the channel is signalled or unlocked.
    fn wait_for(&mut self, channel: &str, mode: WaitMode) -> CmdResult<Flow>;
    /// Runs a shell command off the main loop; `then` runs with the result.
    /// With `wait`, the current queue waits for it (and `then` writes to the
    /// caller); without, the caller goes on and `then` runs detached.
    fn run_job(&mut self, io: &Io, job: JobSpec, then: JobThen, wait: bool) -> Flow;
}

/// The agent layer's side of the agent commands. Changes are stored durably
/// before the command list that made them reports success: the server
/// holds its reply until the store has them. Every verb that acts on an
/// agent takes the caller's Io: the host decides who may do what, and
/// records who did it.
pub trait AgentHost {
    /// Whether a session (or, with None, the server) can take agent
    /// metadata: the store opened, and the session is not an agent yet.
    fn agent_ready(&self, io: &Io, session: Option<SessionId>) -> CmdResult;
    /// Refuses, naming it, a program an agent's pane would run that is
    /// plainly not there (a command the shell would only run if found).
    fn agent_program_found(&self, io: &Io, spawn: &SpawnSpec) -> CmdResult;
    /// Makes the session of pane `home` an agent whose home is that pane.
    fn make_agent(&mut self, io: &Io, home: PaneId, spec: AgentSpec) -> CmdResult;
    /// The agent a command acts as: `-t` (a session or an agent key), or
    /// else the agent whose pane the caller runs in.
    fn agent_key(&self, io: &Io, target: Option<&str>) -> CmdResult<String>;
    fn agent_view(&self, key: &str) -> Option<AgentView>;
    /// Every agent record, live and ended, in the order they were made
    /// (records ended longer than agent-history-time ago are dropped).
    fn agent_views(&mut self) -> Vec<AgentView>;
    /// Expands a format for an agent (its session's variables too, while
    /// it has one).
    fn agent_expand(&self, io: &Io, fmt: &str, key: &str) -> String;
    fn set_agent(&mut self, io: &Io, key: &str, change: AgentChange) -> CmdResult;
    /// Joins a group: `coordinator` asks for the role, `force` takes it
    /// from a live coordinator.
    fn agent_join(
        &mut self,
        io: &Io,
        key: &str,
        group: &str,
        coordinator: bool,
        force: bool,
    ) -> CmdResult;
    fn agent_leave(&mut self, io: &Io, key: &str) -> CmdResult;
    /// Removes an agent's record (and its membership); with `cleanup`, its
    /// worktree too.
    fn agent_forget(&mut self, io: &Io, key: &str, cleanup: bool) -> CmdResult;
    fn group_views(&mut self) -> Vec<GroupView>;
    fn group_expand(&self, io: &Io, fmt: &str, group: &str) -> String;
    /// Deletes an empty group and its shared context.
    fn group_delete(&mut self, io: &Io, group: &str) -> CmdResult;
    /// Changes a group's shared context, written by the caller, who must be
    /// a member (or the operator); `target` names the caller's own agent
    /// (or, for the operator, the agent to record it against). With
    /// `if_version`, only if the key is at that version.
    fn share(
        &mut self,
        io: &Io,
        target: Option<&str>,
        group: &str,
        ops: Vec<ShareOp>,
        if_version: Option<u64>,
    ) -> CmdResult;
    fn context(&mut self, io: &Io, group: &str) -> CmdResult<Vec<ContextEntry>>;
    /// An agent read these keys of a group's context (key, version): the
    /// first read of each version is an event, so who read what a peer
    /// wrote can be drawn.
    fn context_read(&mut self, _io: &Io, _group: &str, _read: &[(String, u64)]) {}
    /// Defines (or redefines) a type of agent: the program its agents run.
    fn define_agent_type(&mut self, io: &Io, t: AgentType) -> CmdResult;
    fn agent_types(&self) -> Vec<AgentType>;
    /// Spawns a sub-agent of `parent` under the limits (or, with no
    /// parent, a top-level agent), printing it with `spec.print`. Waits
    /// while a worktree is made for it.
    fn agent_spawn(
        &mut self,
        io: &mut Io,
        parent: Option<&str>,
        spec: AgentSpawn,
    ) -> CmdResult<Flow>;
    /// Asks the server of `host`, sharing the store, to run `argv` (an
    /// agent-spawn) for the caller, and prints its answer.
    fn agent_spawn_on(&mut self, _io: &mut Io, _host: &str, _argv: Vec<String>) -> CmdResult<Flow> {
        Err(crate::CmdError::new(
            "--host needs a store shared with other hosts (agent-store)",
        ))
    }
    /// Ends an agent's task with a result.
    fn agent_done(&mut self, io: &Io, key: &str, failed: bool, result: &str) -> CmdResult;
    /// Stops an agent: SIGTERM, then SIGKILL after a grace period.
    fn agent_stop(&mut self, io: &Io, key: &str, reason: &str) -> CmdResult;
    /// Waits until `children` of `parent` (all its running ones if empty)
    /// have ended, or any of them with `any`, and prints their results.
    fn agent_wait(
        &mut self,
        io: &mut Io,
        parent: &str,
        children: Vec<String>,
        any: bool,
        json: bool,
        timeout: Option<f64>,
    ) -> CmdResult<Flow>;
    /// The agent the caller's process runs in, if any: who sends.
    fn caller_agent(&self, io: &Io) -> Option<String>;
    /// Sends a message to agent `to`; with a wait, parks until the reply.
    fn agent_send(&mut self, io: &mut Io, to: &str, spec: SendSpec) -> CmdResult<Flow>;
    /// Replies on a thread as agent `key` (or the caller outside agents).
    fn agent_reply(&mut self, io: &Io, key: Option<&str>, thread: &str, body: &str) -> CmdResult;
    fn agent_inbox(&self, io: &Io, key: &str) -> CmdResult<Vec<MessageView>>;
    /// Prints the agent's unread messages, waiting up to `secs` for one if
    /// there are none; `mark` marks them read.
    fn agent_inbox_wait(
        &mut self,
        io: &mut Io,
        key: &str,
        secs: f64,
        mark: bool,
        json: bool,
    ) -> CmdResult<Flow>;
    /// Marks a message read.
    fn agent_ack(&mut self, io: &Io, key: &str, id: u64) -> CmdResult;
    fn agent_history(
        &self,
        io: &Io,
        key: &str,
        last: Option<usize>,
        output: bool,
    ) -> CmdResult<HistoryView>;
}
