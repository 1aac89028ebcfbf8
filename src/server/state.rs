//! The server's state and the actor that owns it. Every command runs here,
//! one at a time; pane output, child exits, finished jobs and client
//! messages arrive as [`Event`]s.

use super::client::Client;
use super::emulator::Emulator;
use super::layout::Layout;
use super::pane::{PaneIo, now_micros};
use super::{Event, Info, PaneRef, Reply};
use commands::environ::Environ;
use commands::host::{Caller, Io, JobResult, JobThen};
use commands::options::{Options, Scope, Value};
use commands::proto::{CommandRequest, ServerMsg};
use commands::{Flow, PaneId, Runnable, SessionId, WindowId};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard};
use tokio::sync::mpsc::UnboundedSender;

pub struct Session {
    pub id: SessionId,
    pub name: String,
    pub created: u64,
    /// Microseconds; the most recent session is the default target.
    pub activity: u64,
    pub windows: BTreeMap<u32, WindowId>,
    pub current: u32,
    /// Previously current window indices, most recent first.
    pub last: Vec<u32>,
    pub options: Options,
    pub env: Environ,
    pub cwd: String,
}

pub struct Window {
    pub id: WindowId,
    /// The sessions it was linked into, in order, once per link: only
    /// the order `#{window_linked_sessions_list}` lists them in (the
    /// sessions' index maps say where it is linked).
    pub link_order: Vec<SessionId>,
    /// Set by -n or rename-window; otherwise the name follows the program.
    pub name: Option<String>,
    /// The name at creation, used when automatic-rename is off.
    pub initial_name: String,
    pub panes: Vec<PaneId>,
    pub active: PaneId,
    /// Previously active panes, most recent first.
    pub last_panes: Vec<PaneId>,
    pub layout: Layout,
    pub sx: u32,
    pub sy: u32,
    pub zoomed: bool,
    pub options: Options,
    pub created: u64,
    /// The preset last applied, for select-layout with no name and cycling.
    pub preset: Option<usize>,
    /// The layout as window-layout-changed last reported it; empty until
    /// the window's first layout, which is no change.
    pub reported_layout: String,
}

pub struct Pane {
    pub id: PaneId,
    /// The last copy-mode search, kept after copy mode ends
    /// (#{pane_search_string}).
    pub search_string: String,
    pub window: WindowId,
    pub xoff: u32,
    pub yoff: u32,
    pub sx: u32,
    pub sy: u32,
    pub io: PaneIo,
    /// What the pane was asked to run, for respawn-pane.
    pub command: Vec<String>,
    pub start_command: String,
    pub start_path: String,
    pub options: Options,
    /// Bumped when the pane becomes active: the most recent wins ties.
    pub active_point: u64,
    pub exit_status: Option<i32>,
    pub eof: bool,
    pub dead: bool,
    /// When its program ended (seconds since the epoch), while dead.
    pub dead_time: u64,
    /// Its lines as drawn, by line version: most rows of a frame are the
    /// same as in the last one.
    pub drawn: std::cell::RefCell<Vec<(u64, Vec<super::style::Cell>)>>,
    /// The foreground program's name as last read for the window name:
    /// (pid, when in µs, name).
    pub program_name: std::cell::RefCell<Option<(u32, u64, String)>>,
    /// A mode the pane is in: keys go to the mode, not the program, and
    /// the pane shows the mode's view.
    pub mode: Option<PaneMode>,
    /// Who started the pane's program, when that was an agent (or a caller
    /// the server could not place): processes in it speak as them.
    pub owner: Option<commands::Identity>,
    /// What has been typed into it, and how its input line looks when
    /// empty: for typing messages into it.
    pub input: super::agents::InputTrack,
}

pub enum PaneMode {
    Copy(super::copy::CopyMode),
    /// Output of commands run from keys, shown in copy mode over a screen
    /// of its own.
    View(Box<View>),
    Tree(super::tree::TreeMode),
    /// clock-mode: the time drawn large; kept alive while it shows.
    Clock {
        _alive: std::sync::Arc<()>,
    },
}

pub struct View {
    pub copy: super::copy::CopyMode,
    pub emu: Mutex<Box<dyn Emulator>>,
}

type EmuGuard<'a> = MutexGuard<'a, Box<dyn Emulator>>;

impl PaneMode {
    /// The name `#{pane_mode}` gives, as tmux's.
    pub fn name(&self) -> &'static str {
        match self {
            PaneMode::Copy(_) => "copy-mode",
            PaneMode::View(_) => "view-mode",
            PaneMode::Tree(m) if m.customize.is_some() => "options-mode",
            PaneMode::Tree(m) => match m.list {
                None => "tree-mode",
                Some(commands::host::TreeList::Buffers) => "buffer-mode",
                Some(commands::host::TreeList::Clients) => "client-mode",
            },
            PaneMode::Clock { .. } => "clock-mode",
        }
    }
}

impl Pane {
    /// The copy mode of a pane in copy or view mode.
    pub fn copy_mode(&self) -> Option<&super::copy::CopyMode> {
        match &self.mode {
            Some(PaneMode::Copy(m)) => Some(m),
            Some(PaneMode::View(v)) => Some(&v.copy),
            _ => None,
        }
    }

    /// The screen copy mode looks at: the pane's own, or a view's.
    pub fn copy_emu(&self) -> Option<EmuGuard<'_>> {
        match &self.mode {
            Some(PaneMode::Copy(_)) => Some(self.io.shared.emu()),
            Some(PaneMode::View(v)) => Some(v.emu.lock().unwrap_or_else(|e| e.into_inner())),
            _ => None,
        }
    }

    /// The copy mode and its screen, to change them.
    pub fn copy_parts(&mut self) -> Option<(&mut super::copy::CopyMode, EmuGuard<'_>)> {
        match &mut self.mode {
            Some(PaneMode::Copy(m)) => Some((m, self.io.shared.emu())),
            Some(PaneMode::View(v)) => {
                let v = &mut **v;
                Some((&mut v.copy, v.emu.lock().unwrap_or_else(|e| e.into_inner())))
            }
            _ => None,
        }
    }

    pub fn tree_mode(&self) -> Option<&super::tree::TreeMode> {
        match &self.mode {
            Some(PaneMode::Tree(m)) => Some(m),
            _ => None,
        }
    }

    pub fn tree_mode_mut(&mut self) -> Option<&mut super::tree::TreeMode> {
        match &mut self.mode {
            Some(PaneMode::Tree(m)) => Some(m),
            _ => None,
        }
    }
}

/// A command list being run for a client (or for the server itself).
pub struct Queue {
    pub id: u64,
    pub conn: Option<u64>,
    pub reply: Option<Reply>,
    pub items: VecDeque<Box<dyn Runnable>>,
    pub io: Io,
    pub failed: bool,
    /// The attached client whose keys or prompt started it: errors and
    /// output are shown on its status line.
    pub client: Option<u64>,
    /// Loading the configuration: errors are kept for the first client.
    pub config: bool,
    /// A control client's command list: its answer goes back framed in
    /// %begin and %end (or %error), with these flags, and ends nothing.
    pub framed: Option<u8>,
}

impl State {
    /// A command list the server runs for itself, with no connection to
    /// answer (the configuration, another host's request).
    pub fn own_queue(&mut self, items: Vec<Box<dyn Runnable>>, caller: Caller) -> Queue {
        self.next_queue += 1;
        Queue {
            id: self.next_queue,
            conn: None,
            reply: None,
            items: items.into(),
            io: Io::new(caller),
            failed: false,
            client: None,
            config: false,
            framed: None,
        }
    }
}

/// A wait-for channel.
#[derive(Default)]
pub struct Channel {
    pub woken: bool,
    pub waiters: Vec<u64>,
    pub locked: bool,
    pub lockers: VecDeque<u64>,
}

pub struct Job {
    /// The queue waiting for it, if any.
    pub queue: Option<u64>,
    pub then: JobThen,
    /// Output of a detached job goes nowhere.
    pub io: Io,
    /// What to run, until it starts.
    pub spec: Option<JobStart>,
    /// Its shell's process, while it runs.
    pub pid: Option<u32>,
}

/// A job's command, shell, directory and environment.
pub struct JobStart {
    pub shell: String,
    pub command: String,
    pub cwd: String,
    pub env: Vec<(String, String)>,
    /// Who asked for it: what it runs speaks as them.
    pub who: commands::Identity,
    /// Bytes for its standard input (copy-pipe), else none.
    pub stdin: Option<Vec<u8>>,
}

pub struct State {
    pub sessions: BTreeMap<SessionId, Session>,
    /// Session groups by name, their sessions in the order they joined.
    pub groups: BTreeMap<String, Vec<SessionId>>,
    pub windows: HashMap<WindowId, Window>,
    pub panes: HashMap<PaneId, Pane>,
    pub next_session: u32,
    pub next_window: u32,
    pub next_pane: u32,
    /// Numbers the runs of programs in panes.
    pub next_run: u64,
    pub active_counter: u64,
    pub server_options: Options,
    pub session_options: Options,
    pub window_options: Options,
    pub env: Environ,
    /// The user of each connection, for server-access.
    pub conn_uids: HashMap<u64, u32>,
    pub buffers: Vec<(String, String)>,
    /// When each buffer was set (seconds), for #{buffer_created}.
    pub buffer_times: HashMap<String, i64>,
    pub next_buffer: u32,
    pub channels: HashMap<String, Channel>,
    pub parked: HashMap<u64, Queue>,
    pub ready: VecDeque<u64>,
    pub jobs: HashMap<u64, Job>,
    /// The processes of running jobs and pipes, and who asked for them:
    /// what they run speaks as that caller.
    pub job_pids: HashMap<u32, commands::Identity>,
    pub next_job: u64,
    pub next_queue: u64,
    /// The queue whose command is running now.
    pub current_queue: Option<u64>,
    /// How the running command touches its targets (agent-isolation).
    pub current_access: Option<commands::Access>,
    /// Connections in control mode (-C, -CC), attached or not.
    pub control: HashMap<u64, super::control::ControlConn>,
    /// The number of the last framed command list.
    pub control_seq: u64,
    /// Notifications for control clients, written once the command that
    /// caused them has had its answer, as tmux orders them.
    pub pending_control: Vec<(String, super::hooks::HookAt)>,
    /// Control clients to let go once their last answer is written.
    pub pending_control_exit: Vec<u64>,
    /// The marked pane (select-pane -m), as it was marked.
    pub marked: Option<commands::Found>,
    /// Alerts not yet seen, per session and window (alerts::BELL...).
    pub alerts: HashMap<(SessionId, WindowId), u8>,
    /// Each window's monitor-silence timer generation.
    pub silence: HashMap<WindowId, u64>,
    /// Subscribers watching a pane's screen (the dashboard).
    pub screen_watches: Vec<super::screens::ScreenWatch>,
    /// Panes whose input is off (select-pane -d).
    pub input_off: std::collections::HashSet<commands::PaneId>,
    /// A hook's command is running: it sets off no hooks.
    pub in_hook: bool,
    /// Hooks set off and not yet run.
    pub pending_hooks: std::collections::VecDeque<(String, super::hooks::HookAt)>,
    /// The target the running command resolved last, for its after-hook.
    pub last_found: Option<commands::Found>,
    pub info: Info,
    pub events: UnboundedSender<Event>,
    pub exiting: bool,
    pub clients: BTreeMap<u64, Client>,
    /// Errors from loading the configuration, for the first client to come.
    pub config_errors: Vec<String>,
    /// The configuration files loaded at start (#{config_files}).
    pub config_files: Vec<String>,
    /// The configuration is still loading (an if-shell in it runs): as in
    /// tmux, clients' commands wait for it.
    pub config_loading: bool,
    pub waiting_commands: Vec<(u64, CommandRequest, Reply, Option<u32>)>,
    pub key_tables: commands::bindings::KeyTables,
    pub prompt_history: Vec<String>,
    pub agents: super::agents::Agents,
    /// Open client connections.
    pub connections: std::collections::HashSet<u64>,
    /// What show-messages prints.
    pub message_log: super::messages::MessageLog,
}

impl State {
    pub fn new(info: Info, events: UnboundedSender<Event>, env: Environ) -> State {
        let key_tables =
            commands::bindings::KeyTables::defaults_for(info.flavor == crate::paths::Flavor::Agmux);
        let done_events = events.clone();
        let (agents, fixes) = super::agents::Agents::open(
            &info.socket,
            Box::new(move |r| {
                let _ = done_events.send(Event::Store(r));
            }),
        );
        let mut session_options = Options::defaults(Scope::Session);
        let mut window_options = Options::defaults(Scope::Window);
        // Like tmux: someone whose editor is vi gets vi keys in the prompt
        // and copy mode.
        let editor = env.value("VISUAL").or_else(|| env.value("EDITOR"));
        if let Some(editor) = editor {
            let name = editor.rsplit('/').next().unwrap_or(editor);
            let keys = if name.contains("vi") { "vi" } else { "emacs" };
            session_options.set("status-keys", Value::Str(keys.into()));
            window_options.set("mode-keys", Value::Str(keys.into()));
        }
        // As tmux does at start: the shell is $SHELL if it can be run,
        // and show-options shows what is in force rather than nothing.
        let shell = env
            .value("SHELL")
            .filter(|sh| {
                sh.starts_with('/')
                    && nix::unistd::access(*sh, nix::unistd::AccessFlags::X_OK).is_ok()
            })
            .unwrap_or("/bin/sh");
        session_options.set("default-shell", Value::Str(shell.into()));
        let mut state = State {
            sessions: BTreeMap::new(),
            groups: BTreeMap::new(),
            windows: HashMap::new(),
            panes: HashMap::new(),
            next_session: 0,
            next_window: 0,
            next_pane: 0,
            next_run: 0,
            active_counter: 0,
            server_options: {
                let mut o = Options::defaults(Scope::Server);
                o.set("default-terminal", Value::Str(State::auto_terminal()));
                o
            },
            session_options,
            window_options,
            env,
            conn_uids: HashMap::new(),
            buffers: Vec::new(),
            buffer_times: HashMap::new(),
            next_buffer: 0,
            channels: HashMap::new(),
            parked: HashMap::new(),
            ready: VecDeque::new(),
            jobs: HashMap::new(),
            job_pids: HashMap::new(),
            next_job: 0,
            next_queue: 0,
            current_queue: None,
            current_access: None,
            in_hook: false,
            input_off: Default::default(),
            control: HashMap::new(),
            control_seq: 0,
            pending_control: Vec::new(),
            pending_control_exit: Vec::new(),
            screen_watches: Vec::new(),
            marked: None,
            alerts: HashMap::new(),
            silence: HashMap::new(),
            pending_hooks: Default::default(),
            last_found: None,
            info,
            events,
            exiting: false,
            clients: BTreeMap::new(),
            config_errors: Vec::new(),
            config_files: Vec::new(),
            config_loading: false,
            waiting_commands: Vec::new(),
            key_tables,
            prompt_history: Vec::new(),
            agents,
            connections: Default::default(),
            message_log: Default::default(),
        };
        // Agents found running are lost: their sessions died with the last
        // server.
        let lost: Vec<String> = fixes
            .iter()
            .filter_map(|op| match op {
                crate::store::Op::Agent(a) => Some(a.key.clone()),
                _ => None,
            })
            .collect();
        state.persist(fixes);
        for key in lost {
            let data = serde_json::json!({"status": "lost", "reason": "server stopped"});
            state.emit("status", &key, "", "lost", data);
        }
        state.flush_store();
        state
    }

    /// Handles one event; returns false when the server should stop.
    pub fn handle(&mut self, ev: Event) -> bool {
        // The store's and timers' reports end nothing: the server goes on
        // waiting for its first session even if they come first.
        let may_end = !matches!(
            ev,
            Event::Store(_)
                | Event::AgentIdle(_)
                | Event::AgentTimeout(_)
                | Event::WaitTimeout(_)
                | Event::Deliver(_)
                | Event::ChildExited
                | Event::AgentKill(_)
                | Event::SubscriberMore { .. }
        );
        match ev {
            Event::Command {
                conn,
                request,
                reply,
                pid,
            } => self.command(conn, request, reply, pid),
            Event::Opened { conn, uid } => {
                self.connections.insert(conn);
                self.conn_uids.insert(conn, uid);
            }
            Event::Closed { conn } => {
                self.connections.remove(&conn);
                self.conn_uids.remove(&conn);
                self.parked.retain(|_, q| q.conn != Some(conn));
                self.store_forget_conn(conn);
                self.unsubscribe(conn);
                self.unwatch_screens(conn);
                self.client_gone(conn);
                if self.control.remove(&conn).is_some() {
                    self.refresh_taps();
                }
            }
            Event::ClientInput { conn, data } => self.client_input(conn, &data),
            Event::ClientResize {
                conn,
                cols,
                rows,
                cell,
            } => self.client_resize(conn, cols, rows, cell),
            Event::ClientDrawn { conn } => self.screen_drawn(conn),
            Event::ClientWakeup { conn } => self.client_wakeup(conn),
            Event::ClientTty { conn, fd, reply } => self.client_tty(conn, fd, reply),
            Event::TtyWritten { conn } => self.tty_written(conn),
            Event::TtyLost { conn } => self.detach_with(conn, "[lost tty]".into(), 1),
            Event::ControlLine { conn, line } => self.control_line(conn, line),
            Event::ClientTimer {
                conn,
                kind,
                generation,
            } => self.client_timer_fired(conn, kind, generation),
            Event::StatusTick => self.redraw_all(),
            Event::Store(r) => self.store_report(r),
            Event::AgentIdle(key) => self.agent_idle_check(&key),
            Event::AgentTimeout(key) => self.agent_timeout(&key),
            Event::AgentKill(groups) => super::agents::kill_groups(&groups),
            Event::WaitTimeout(id) => self.wait_timeout(id),
            Event::Silence(w, generation) => self.silence_timer(w, generation),
            Event::Deliver(key) => self.pump_delivery(&key),
            Event::PaneOutput(r) if r.id == super::popup::POPUP_PANE => self.popup_output(r),
            Event::PaneEof(r) if r.id == super::popup::POPUP_PANE => {
                self.popup_ended(r, None, false)
            }
            Event::ChildExit { pane, status } if pane.id == super::popup::POPUP_PANE => {
                self.popup_ended(pane, Some(status), false)
            }
            Event::ExitGrace(r) if r.id == super::popup::POPUP_PANE => {
                self.popup_ended(r, None, true)
            }
            Event::PaneOutput(r) => {
                if let Some(p) = self.live(r) {
                    p.io.shared.dirty.store(false, Ordering::Release);
                    let bell = p.io.shared.bell.swap(false, Ordering::AcqRel);
                    let w = p.window;
                    self.redraw_window(w);
                    self.window_output(w, bell);
                    if !self.agents.records.is_empty() {
                        self.agent_output(r.id);
                    }
                    self.pane_output_taken(r.id);
                    self.screen_changed(r.id);
                    // The echo of a key is on its way: draw it before the
                    // bookkeeping below (which draws again if it changes
                    // anything).
                    self.flush_clients();
                }
            }
            Event::PaneEof(r) => {
                if let Some(p) = self.live(r) {
                    p.eof = true;
                    if p.exit_status.is_some() {
                        self.pane_exited(r.id);
                    } else {
                        self.grace(r);
                    }
                }
            }
            Event::ChildExit { pane, status } => {
                if let Some(p) = self.live(pane) {
                    p.exit_status = Some(status);
                    if p.eof {
                        self.pane_exited(pane.id);
                    } else {
                        self.grace(pane);
                    }
                }
            }
            Event::ExitGrace(r) => {
                if self.live(r).is_some_and(|p| !p.dead) {
                    self.pane_exited(r.id);
                }
            }
            Event::JobDone { job, result } => self.job_done(job, result),
            Event::JobDue(job) => self.start_job(job),
            Event::ChildExited => self.reap_orphans(),
            Event::Subscribe {
                conn,
                pid,
                request,
                tx,
                reply,
            } => self.subscribe(conn, pid, request, tx, reply),
            Event::SubscriberMore { conn } => self.subscriber_more(conn),
            Event::Shutdown => self.shutdown(),
        }
        self.run_pending_hooks();
        self.flush_control();
        // Changes nobody asked for (a pane's output, a program's exit) go
        // to the store as a batch of their own.
        self.flush_store();
        self.run_ready();
        self.flush_store();
        if may_end {
            self.check_exit();
        }
        if self.exiting {
            // A client whose session ended saw it end; others see the
            // server go.
            let ids: Vec<(u64, bool)> = self
                .clients
                .values()
                .map(|c| (c.conn, self.sessions.contains_key(&c.session)))
                .collect();
            for (c, live) in ids {
                let why = if live { "[server exited]" } else { "[exited]" };
                self.detach(c, Some(why.to_string()));
            }
        } else {
            self.orphaned_clients();
            self.flush_clients();
        }
        !self.exiting
    }

    /// A pane's program exited, or its terminal closed: wait briefly for the
    /// other signal so that the last output is read and the status known,
    /// but not forever (a background process may hold the terminal).
    fn grace(&mut self, r: PaneRef) {
        let events = self.events.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            let _ = events.send(Event::ExitGrace(r));
        });
    }

    /// The pane of an event, if it is still the run that sent it.
    fn live(&mut self, r: PaneRef) -> Option<&mut Pane> {
        self.panes.get_mut(&r.id).filter(|p| p.io.run == r)
    }

    fn command(&mut self, conn: u64, request: CommandRequest, reply: Reply, pid: Option<u32>) {
        if self.config_loading {
            self.waiting_commands.push((conn, request, reply, pid));
            return;
        }
        let caller = Caller {
            verified: Default::default(),
            mouse: None,
            cwd: Some(request.cwd.clone()).filter(|c| !c.is_empty()),
            env: request
                .env
                .iter()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            // A control client attaches without a terminal of its own.
            tty: request.tty || request.control > 0,
            attached: None,
            pid,
            config: false,
            client: None,
            size: request.size,
            cell: request.cell,
            tty_name: request.tty_name.clone(),
            term: request.term.clone(),
        };
        let framed = (request.control > 0).then_some(0);
        let control_caller = (request.control > 0).then(|| caller.clone());
        let mut io = Io::new(caller);
        // agmux tells the first client of the configuration's errors too;
        // tmux shows them only in view mode, on the first session's pane.
        if self.info.flavor == crate::paths::Flavor::Agmux {
            for e in &self.config_errors {
                io.warn(e);
            }
        }
        let aliases = match self.server_options.get("command-alias") {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        let items = match commands::parse_argv_aliased(&request.argv, &aliases) {
            Ok(items) => items,
            Err(e) => {
                let name = super::messages::caller_name(&io.caller);
                self.log_message(format!("{name} message: {e}"));
                let _ = reply.send(ServerMsg::Stderr {
                    data: format!("{e}\n"),
                });
                let _ = reply.send(ServerMsg::Exit { code: 1 });
                return;
            }
        };
        // A control client is kept once its command line parses (tmux
        // refuses a bad one before it is a client at all).
        if let Some(caller) = &control_caller {
            self.control_open(conn, &request, &reply, caller);
        }
        self.next_queue += 1;
        let q = Queue {
            id: self.next_queue,
            conn: Some(conn),
            reply: Some(reply),
            items: items.into(),
            io,
            failed: false,
            client: None,
            config: false,
            framed,
        };
        self.run_queue(q);
    }

    /// The configuration's errors, once, in view mode on the first pane of
    /// a session made or attached after it loaded, as tmux shows them.
    pub fn show_config_errors(&mut self, s: commands::SessionId) {
        if self.config_errors.is_empty() {
            return;
        }
        let Some(f) = self.found_session(s) else {
            return;
        };
        let text = std::mem::take(&mut self.config_errors).join("\n");
        self.show_output_in(f.pane, &text);
    }

    /// Loads the configuration file: `-f`'s, else the default one if there is.
    pub fn load_config(&mut self, explicit: Option<std::path::PathBuf>) {
        let argv: Vec<String> = match explicit {
            Some(p) => {
                self.config_files.push(p.display().to_string());
                vec!["source-file".into(), p.display().to_string()]
            }
            None => {
                let home = self.env.value("HOME").unwrap_or("").to_string();
                let xdg = self
                    .env
                    .value("XDG_CONFIG_HOME")
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{home}/.config"));
                let (dot, dir) = match self.info.flavor {
                    crate::paths::Flavor::Agmux => (".agmux.conf", "agmux/agmux.conf"),
                    crate::paths::Flavor::Tmux => (".tmux.conf", "tmux/tmux.conf"),
                };
                let found = [format!("{home}/{dot}"), format!("{xdg}/{dir}")]
                    .into_iter()
                    .find(|p| std::path::Path::new(p).exists());
                match found {
                    Some(p) => {
                        self.config_files.push(p.clone());
                        vec!["source-file".into(), "-q".into(), p]
                    }
                    None => return,
                }
            }
        };
        let Ok(items) = commands::parse_argv(&argv) else {
            return;
        };
        // The configuration is the operator's.
        let caller = Caller {
            cwd: self.env.value("HOME").map(str::to_string),
            env: self
                .env
                .pairs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            config: true,
            ..Caller::known(commands::Identity::Operator)
        };
        let mut q = self.own_queue(items, caller);
        q.config = true;
        self.config_loading = true;
        self.run_queue(q);
    }

    /// Whether a queue's client may only look (attach -r, or a user
    /// server-access made read-only) and the list holds a command that
    /// does more: then, as tmux, none of the list runs. Checked on what is
    /// left each time the queue runs, so a list resumed after its client
    /// was made read-only stops there too.
    fn read_only_refused(&self, q: &Queue) -> bool {
        // tmux lets a read-only client attach, detach, list clients and
        // switch between sessions, nothing else.
        const READ_ONLY_MAY: [&str; 4] = [
            "attach-session",
            "detach-client",
            "list-clients",
            "switch-client",
        ];
        let Some(conn) = q.conn.or(q.client) else {
            return false;
        };
        !q.io.hook
            && self.read_only(conn)
            && q.items.iter().any(|c| !READ_ONLY_MAY.contains(&c.name()))
    }

    /// Runs a queue until it ends or parks.
    pub fn run_queue(&mut self, mut q: Queue) {
        if self.read_only_refused(&q) {
            q.items.clear();
            let r = Err(commands::CmdError::new("client is read-only"));
            if self.apply_flow(&mut q, r).is_none() {
                return;
            }
        }
        while let Some(cmd) = q.items.pop_front() {
            // An agent command never reads a change the store may yet
            // refuse: it waits for the store to catch up.
            if cmd.agent() && self.store_busy() {
                self.flush_store();
                q.items.push_front(cmd);
                self.wait_for_store(q);
                return;
            }
            self.current_queue = Some(q.id);
            let access = cmd.access();
            // A user server-access made read-only only looks, as tmux's
            // read-only clients; one denied meanwhile does nothing.
            let conn = q.conn.or(q.client);
            let uid = conn.and_then(|c| self.conn_uids.get(&c).copied());
            let refused = match uid.map(super::acl::admits) {
                Some(None) => Some("access not allowed"),
                _ => None,
            };
            if let Some(why) = refused {
                let r = Err(commands::CmdError::new(why));
                match self.apply_flow(&mut q, r) {
                    Some(()) => continue,
                    None => return,
                }
            }
            self.current_access = Some(access);
            let outer_hook = std::mem::replace(&mut self.in_hook, q.io.hook);
            self.last_found = None;
            let name = cmd.name();
            self.log_command(&q, &cmd.text());
            let result = match access {
                commands::Access::Server => self
                    .check_server_wide(&q.io, &format!("run {}", cmd.name()))
                    .and_then(|()| cmd.run(self, &mut q.io)),
                _ => cmd.run(self, &mut q.io),
            };
            self.current_access = None;
            self.in_hook = outer_hook;
            self.flush_store();
            self.current_queue = None;
            if !q.io.hook {
                if result.is_ok() && commands::hooks::AFTER.contains(&name) {
                    // As in tmux, an after-hook acts on the command's
                    // target but has no #{hook_*} of where (only #{hook}).
                    let at = super::hooks::HookAt {
                        found: self.last_found,
                        ..Default::default()
                    };
                    self.notify(&format!("after-{name}"), at);
                }
                self.run_pending_hooks();
            }
            match self.apply_flow(&mut q, result) {
                Some(()) => continue,
                None => return,
            }
        }
        self.finish(q);
    }

    /// Acts on what a command returned. `None` means the queue is gone
    /// (parked or finished).
    fn apply_flow(&mut self, q: &mut Queue, result: commands::CmdResult<Flow>) -> Option<()> {
        match result {
            Ok(Flow::Continue) => Some(()),
            Ok(Flow::Insert(list)) => {
                for c in list.into_iter().rev() {
                    q.items.push_front(c);
                }
                Some(())
            }
            Ok(Flow::Wait) => {
                let parked = std::mem::replace(
                    q,
                    Queue {
                        id: 0,
                        conn: None,
                        reply: None,
                        items: VecDeque::new(),
                        io: Io::default(),
                        failed: false,
                        client: None,
                        config: false,
                        framed: None,
                    },
                );
                self.parked.insert(parked.id, parked);
                None
            }
            Ok(Flow::Attach {
                session,
                detach_others,
                read_only,
            }) => {
                if let Err(e) = self.attach(q, session, detach_others, read_only) {
                    q.io.err.push_str(&e.0);
                    q.io.err.push('\n');
                    q.failed = true;
                    q.items.clear();
                }
                Some(())
            }
            Err(e) if e.is_quiet() => {
                q.items.clear();
                Some(())
            }
            Err(e) => {
                self.log_error(q, &e.0);
                q.io.err.push_str(&e.0);
                q.io.err.push('\n');
                q.failed = true;
                q.items.clear();
                Some(())
            }
        }
    }

    pub fn finish(&mut self, q: Queue) {
        let Some(q) = self.hold_until_stored(q) else {
            return;
        };
        let id = q.id;
        self.reply(q);
        // Runs that ended in this list go now that it has its answer.
        self.end_runs_after(id);
    }

    pub fn reply(&mut self, q: Queue) {
        self.redraw_all();
        if self.agents.answering.contains_key(&q.id) {
            self.answer_request(q);
            return;
        }
        if let Some(flags) = q.framed {
            self.control_reply(&q, flags);
            self.flush_control();
            return;
        }
        if q.config {
            self.config_errors
                .extend(q.io.err.lines().map(str::to_string));
            self.config_loading = false;
            self.open_shared_store();
            for (conn, request, reply, pid) in std::mem::take(&mut self.waiting_commands) {
                self.command(conn, request, reply, pid);
            }
            return;
        }
        if let (None, Some(conn)) = (&q.reply, q.client) {
            // Keys and the prompt have no terminal to print on: the status
            // line shows the error, and output goes to view mode.
            let text = if q.failed {
                q.io.err.trim_end()
            } else {
                q.io.out.trim_end()
            };
            if q.failed {
                if let Some(line) = text.lines().last() {
                    let line = status_error(line);
                    self.message(conn, &line);
                }
            } else if !text.is_empty() {
                let text = text.to_string();
                self.show_output(conn, &text);
            }
            return;
        }
        let Some(reply) = q.reply else { return };
        if !q.io.out.is_empty() {
            let _ = reply.send(ServerMsg::Stdout { data: q.io.out });
        }
        if !q.io.err.is_empty() {
            let _ = reply.send(ServerMsg::Stderr { data: q.io.err });
        }
        let code = if q.failed { 1 } else { q.io.status };
        let _ = reply.send(ServerMsg::Exit { code });
    }

    /// Resumes queues woken during the last command.
    fn run_ready(&mut self) {
        while let Some(id) = self.ready.pop_front() {
            if let Some(q) = self.parked.remove(&id) {
                self.run_queue(q);
            }
        }
    }

    fn job_done(&mut self, job: u64, result: JobResult) {
        let Some(j) = self.jobs.remove(&job) else {
            return;
        };
        if let Some(pid) = j.pid {
            self.job_pids.remove(&pid);
        }
        match j.queue {
            Some(qid) => {
                let Some(mut q) = self.parked.remove(&qid) else {
                    return;
                };
                self.current_queue = Some(qid);
                let r = (j.then)(self, &mut q.io, result);
                self.flush_store();
                self.current_queue = None;
                if self.apply_flow(&mut q, r).is_some() {
                    self.run_queue(q);
                }
            }
            None => {
                let mut io = j.io;
                self.next_queue += 1;
                let id = self.next_queue;
                self.current_queue = Some(id);
                let r = (j.then)(self, &mut io, result);
                self.flush_store();
                self.current_queue = None;
                let mut q = Queue {
                    id,
                    conn: None,
                    reply: None,
                    items: VecDeque::new(),
                    io,
                    failed: false,
                    client: None,
                    config: false,
                    framed: None,
                };
                if self.apply_flow(&mut q, r).is_some() {
                    self.run_queue(q);
                }
            }
        }
    }

    /// The server exits when its last session is gone (exit-empty).
    fn check_exit(&mut self) {
        if self.sessions.is_empty()
            && self.connections.is_empty()
            && self
                .server_options
                .get("exit-empty")
                .is_none_or(Value::as_flag)
        {
            self.exiting = true;
        }
    }

    pub fn shutdown(&mut self) {
        for p in self.panes.values() {
            p.io.kill();
        }
        self.exiting = true;
    }

    pub fn touch_session(&mut self, s: SessionId) {
        if let Some(sess) = self.sessions.get_mut(&s) {
            sess.activity = now_micros();
        }
    }

    /// Bumps a pane's place in "most recently active" order.
    pub fn mark_active(&mut self, p: PaneId) {
        self.active_counter += 1;
        let n = self.active_counter;
        if let Some(pane) = self.panes.get_mut(&p) {
            pane.active_point = n;
        }
    }
}

/// An error as tmux's cmdq_error shows it on a status line: capitalised.
pub fn status_error(line: &str) -> String {
    let mut chars = line.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
