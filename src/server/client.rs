//! Attached clients: attaching and detaching, keys through the key tables,
//! window sizes, and sending each client the lines of its screen that
//! changed.
//!
//! A client gets one frame at a time: the next is sent when it says it drew
//! the last. A slow client thus sees fewer, fresher frames, and a pane's
//! output never waits for a client.

use super::input::{Input, Parser};
use super::pane::now_micros;
use super::state::{Queue, State};
use super::style::Canvas;
use super::{Event, Reply};
use commands::bindings::Binding;
use commands::host::{Caller, Io, MouseTarget};
use commands::keys::Key;
use commands::options::Value;
use commands::proto::ServerMsg;
use commands::{CmdError, CmdResult, SessionId};
use std::collections::VecDeque;

/// The command prompt being typed at.
pub struct Prompt {
    pub label: String,
    pub input: String,
    /// Cursor position in `input`, in chars.
    pub pos: usize,
    /// The command the input fills in (`%%` is replaced), or none: the input
    /// is the command.
    pub template: Option<String>,
    /// How it takes its answer: typed text, or one key (y/n, -1, -k, -N).
    pub kind: commands::host::PromptKind,
    pub history_pos: Option<usize>,
}

pub struct Client {
    pub conn: u64,
    pub reply: Reply,
    pub session: SessionId,
    pub last_session: Option<SessionId>,
    pub cols: u16,
    pub rows: u16,
    pub name: String,
    pub term: String,
    pub pid: Option<u32>,
    pub env: Vec<(String, String)>,
    pub activity: u64,
    /// When it attached (µs).
    pub created: u64,
    /// The key table keys go to; "root" unless the prefix was pressed.
    pub table: String,
    /// In a repeat after a repeatable key, until this time (µs).
    pub repeat_until: u64,
    pub parser: Parser,
    /// What the client shows now, to send only changed lines.
    pub shown: Canvas,
    /// The canvas the next frame is drawn on, kept to reuse its memory.
    pub spare: Canvas,
    /// Cursor, its shape and the modes of the last frame.
    pub shown_state: ((u16, u16), u8, u8),
    pub in_flight: bool,
    pub dirty: bool,
    pub full: bool,
    pub message: Option<String>,
    pub prompt: Option<Prompt>,
    /// The status line as last drawn and when (µs): redrawing it (formats,
    /// window names read from /proc) costs more than the rest of a frame,
    /// and pane output rarely changes it.
    pub status_cache: Option<(Vec<super::style::Cell>, u64)>,
    /// Bumped whenever a timer of a kind is set for this client, so that
    /// the earlier one of that kind is ignored.
    pub timer_gen: [u64; TimerKind::COUNT],
    /// display-panes: the pane numbers shown over the panes.
    pub pane_numbers: Option<super::overlay::PaneNumbers>,
    /// display-popup or display-menu: shown over everything, taking the
    /// keys.
    pub overlay: Option<super::popup::Overlay>,
    /// Locked (running lock-command) or suspended: not drawn, and not
    /// sizing windows, until it says it is back.
    pub suspended: bool,
    /// A cell of its terminal in pixels (0 if the terminal does not say).
    pub cell: (u16, u16),
    /// attach -r: its keys reach no pane and it may change nothing.
    pub read_only: bool,
    /// A mouse drag in progress.
    pub drag: Option<super::mouse::Drag>,
    /// Where the last mouse event was.
    pub mouse_at: (u16, u16),
    /// Presses counted towards a double or triple click.
    pub clicks: super::mouse::Clicks,
    /// Where each window's name is on the status line as last drawn:
    /// (first column, column after, window index), for the mouse.
    pub status_ranges: Vec<(usize, usize, u32)>,
    /// A control-mode client: never drawn, and it sizes windows only
    /// once refresh-client -C gives it a size.
    pub control: Option<Option<(u16, u16)>>,
    /// Its terminal, once the client has handed it over; not drawn before.
    pub tty: Option<super::tty::Tty>,
    /// What its terminal shows besides the cells.
    pub painted: super::tty::paint::Shown,
}

impl Client {
    /// Stops reading its terminal and tells the client to take it (to lock
    /// or suspend), after what was drawn before.
    fn lend_tty(&self, msg: ServerMsg) {
        match &self.tty {
            Some(tty) => tty.lend(msg),
            None => {
                let _ = self.reply.send(msg);
            }
        }
    }

    /// Rings the terminal's bell, unless the client has lent its terminal
    /// out (locked or suspended).
    pub fn bell(&self) {
        if let Some(tty) = self.tty.as_ref().filter(|_| !self.suspended) {
            tty.bell();
        }
    }

    /// A control-mode client attached to `session`.
    pub fn control(
        conn: u64,
        reply: Reply,
        session: SessionId,
        name: String,
        caller: &commands::host::Caller,
    ) -> Client {
        Client {
            conn,
            reply,
            session,
            last_session: None,
            cols: 80,
            rows: 24,
            name,
            term: caller.term.clone(),
            pid: caller.pid,
            env: caller.env.clone(),
            activity: now_micros(),
            created: now_micros(),
            table: "root".to_string(),
            repeat_until: 0,
            parser: Parser::default(),
            shown: Canvas::new(0, 0),
            spare: Canvas::new(0, 0),
            shown_state: ((0, 0), 0, 0),
            in_flight: false,
            dirty: false,
            full: false,
            message: None,
            prompt: None,
            status_cache: None,
            timer_gen: [0; TimerKind::COUNT],
            pane_numbers: None,
            overlay: None,
            suspended: false,
            cell: (0, 0),
            read_only: false,
            drag: None,
            mouse_at: (0, 0),
            clicks: Default::default(),
            status_ranges: Vec::new(),
            control: Some(None),
            tty: None,
            painted: Default::default(),
        }
    }
}

/// Why a client timer fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimerKind {
    /// The escape time passed with a partial key sequence buffered.
    Escape,
    /// The repeat time after a repeatable key passed.
    Repeat,
    /// A status line message has been shown long enough.
    Message,
    /// display-panes has shown the pane numbers long enough.
    PaneNumbers,
    /// No further click came in time: two were a double click.
    Click,
}

impl TimerKind {
    const COUNT: usize = 5;
}

impl State {
    /// Attaches the connection of queue `q` to a session (or switches it, if
    /// it is attached already).
    pub fn attach(
        &mut self,
        q: &mut Queue,
        session: SessionId,
        detach_others: bool,
        read_only: bool,
    ) -> CmdResult {
        if let Some(c) = q.io.caller.client.filter(|c| self.clients.contains_key(c)) {
            if read_only && let Some(client) = self.clients.get_mut(&c) {
                client.read_only = true;
            }
            return self.switch_to(c, session);
        }
        let Some(conn) = q.conn.filter(|_| q.reply.is_some()) else {
            return Err(CmdError::new("not a terminal"));
        };
        let control = self.control.contains_key(&conn);
        if !q.io.caller.tty && !control {
            return Err(CmdError::new("open terminal failed: not a terminal"));
        }
        let nest = self.info.flavor.env_var();
        if !control && q.io.caller.env(nest).is_some_and(|v| !v.is_empty()) {
            return Err(CmdError(format!(
                "sessions should be nested with care, unset ${nest} to force"
            )));
        }
        let (cols, rows) = q.io.caller.size.unwrap_or((80, 24));
        if detach_others {
            let others: Vec<u64> = self
                .clients
                .values()
                .filter(|c| c.session == session)
                .map(|c| c.conn)
                .collect();
            for c in others {
                self.detach(c, None);
            }
        }
        if control {
            return self.attach_control(q, conn, session);
        }
        let reply = q.reply.take().expect("checked above");
        if !q.io.out.is_empty() {
            let _ = reply.send(ServerMsg::Stdout {
                data: std::mem::take(&mut q.io.out),
            });
        }
        // Errors from the configuration: on the terminal before the client
        // takes it over, and the first on the status line.
        let first_error = q.io.err.lines().next().map(str::to_string);
        if !q.io.err.is_empty() {
            let _ = reply.send(ServerMsg::Stderr {
                data: std::mem::take(&mut q.io.err),
            });
        }
        let _ = reply.send(ServerMsg::Attached);
        let client = Client {
            conn,
            reply,
            session,
            last_session: None,
            cols: cols.max(1),
            rows: rows.max(1),
            name: q.io.caller.tty_name.clone(),
            term: q.io.caller.term.clone(),
            pid: q.io.caller.pid,
            env: q.io.caller.env.clone(),
            activity: now_micros(),
            created: now_micros(),
            table: "root".to_string(),
            repeat_until: 0,
            parser: Parser::default(),
            shown: Canvas::new(0, 0),
            spare: Canvas::new(0, 0),
            shown_state: ((0, 0), 0, 0),
            in_flight: false,
            dirty: true,
            full: true,
            message: None,
            prompt: None,
            status_cache: None,
            timer_gen: [0; TimerKind::COUNT],
            pane_numbers: None,
            overlay: None,
            suspended: false,
            cell: q.io.caller.cell,
            read_only,
            drag: None,
            mouse_at: (0, 0),
            clicks: Default::default(),
            status_ranges: Vec::new(),
            control: None,
            tty: None,
            painted: Default::default(),
        };
        let name = client.name.clone();
        self.clients.insert(conn, client);
        self.record_client("client-attached", &name, session);
        if let Some(e) = first_error {
            self.message(conn, &e);
        }
        q.io.caller.client = Some(conn);
        q.io.caller.attached = Some(session);
        self.touch_session(session);
        self.alerts_seen_in(session);
        self.resize_windows();
        self.show_config_errors(session);
        Ok(())
    }

    /// Moves a client to another session.
    pub fn switch_to(&mut self, conn: u64, session: SessionId) -> CmdResult {
        if !self.sessions.contains_key(&session) {
            return Err(CmdError(format!("can't find session: {session}")));
        }
        if let Some(c) = self.clients.get_mut(&conn) {
            if c.session != session {
                c.last_session = Some(c.session);
                c.session = session;
            }
            c.full = true;
            c.dirty = true;
        }
        self.touch_session(session);
        self.alerts_seen_in(session);
        self.resize_windows();
        Ok(())
    }

    /// Tells a client to leave; `message` overrides the usual one.
    pub fn detach(&mut self, conn: u64, message: Option<String>) {
        let Some(session) = self.clients.get(&conn).map(|c| c.session) else {
            return;
        };
        let message = message.unwrap_or_else(|| {
            let name = self
                .sessions
                .get(&session)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            format!("[detached (from session {name})]")
        });
        self.detach_with(conn, message, 0);
    }

    /// Tells a client to leave with this message and exit status, once its
    /// terminal has everything drawn before.
    pub fn detach_with(&mut self, conn: u64, message: String, code: i32) {
        let Some(mut c) = self.clients.remove(&conn) else {
            return;
        };
        if let Some(o) = c.overlay.take() {
            self.overlay_gone(o);
        }
        self.record_client("client-detached", &c.name, c.session);
        if c.control.is_some() {
            // A control client leaves when it is detached, as tmux's does,
            // after the answer to the command that detached it.
            self.pending_control_exit.push(conn);
        } else {
            let msg = ServerMsg::Detach { message, code };
            match c.tty.take() {
                Some(tty) => tty.close(msg),
                None => {
                    let _ = c.reply.send(msg);
                }
            }
        }
        self.resize_windows();
    }

    /// A client handed over its terminal: it is drawn from now on.
    pub fn client_tty(&mut self, conn: u64, fd: Option<std::os::fd::OwnedFd>, reply: Reply) {
        let events = self.events.clone();
        let Some(c) = self
            .clients
            .get_mut(&conn)
            .filter(|c| c.control.is_none() && c.tty.is_none())
        else {
            let _ = reply.send(ServerMsg::Error {
                message: "open terminal failed: not attached".into(),
            });
            return;
        };
        let Some(fd) = fd else {
            let why = "open terminal failed: no terminal was passed";
            return self.detach_with(conn, why.into(), 1);
        };
        match super::tty::Tty::start(fd, conn, events, c.reply.clone()) {
            Ok(tty) => {
                c.tty = Some(tty);
                c.painted = Default::default();
                c.full = true;
                c.dirty = true;
                c.in_flight = false;
            }
            Err(e) => self.detach_with(conn, format!("open terminal failed: {e}"), 1),
        }
    }

    /// A client's connection closed.
    pub fn client_gone(&mut self, conn: u64) {
        if let Some(mut c) = self.clients.remove(&conn) {
            if let Some(o) = c.overlay.take() {
                self.overlay_gone(o);
            }
            self.record_client("client-detached", &c.name, c.session);
            self.resize_windows();
        }
    }

    pub fn record_client(&mut self, kind: &str, name: &str, s: SessionId) {
        let data = serde_json::json!({"client": name, "session": s.to_string()});
        self.mux_event(kind, Some(s), name, data);
        let mut at = self.hook_at_session(s);
        at.client = Some(name.to_string());
        self.notify(kind, at);
    }

    /// Clients of sessions that went away: switch them or let them go.
    pub fn orphaned_clients(&mut self) {
        let orphans: Vec<u64> = self
            .clients
            .values()
            .filter(|c| !self.sessions.contains_key(&c.session))
            .map(|c| c.conn)
            .collect();
        for conn in orphans {
            let policy = self
                .session_options
                .get("detach-on-destroy")
                .map(|v| v.as_str().to_string())
                .unwrap_or_default();
            let other = self
                .sessions
                .values()
                .max_by_key(|s| s.activity)
                .map(|s| s.id);
            match other.filter(|_| policy == "off") {
                Some(s) => {
                    let _ = self.switch_to(conn, s);
                }
                None => self.detach(conn, Some("[exited]".to_string())),
            }
        }
    }

    pub fn client_resize(&mut self, conn: u64, cols: u16, rows: u16, cell: (u16, u16)) {
        if let Some(c) = self.clients.get_mut(&conn) {
            c.cell = cell;
            c.cols = cols.max(1);
            c.rows = rows.max(1);
            c.full = true;
            c.dirty = true;
            c.activity = now_micros();
        }
        self.overlay_resized(conn);
        self.resize_windows();
    }

    /// lock-client: the client gives up its terminal to lock-command, as
    /// tmux's server_lock_client. Control clients and clients locked
    /// already are left alone, as is everyone with no lock-command.
    pub fn lock_client(&mut self, conn: u64) {
        let Some(c) = self.clients.get(&conn) else {
            return;
        };
        if c.control.is_some() || c.suspended {
            return;
        }
        let command = self
            .session_opt(Some(c.session), "lock-command")
            .map(|v| v.as_str().to_string())
            .unwrap_or_default();
        if command.is_empty() {
            return;
        }
        if let Some(c) = self.clients.get_mut(&conn) {
            c.suspended = true;
            c.lend_tty(ServerMsg::Lock { command });
        }
        self.resize_windows();
    }

    /// suspend-client: the client stops, as with C-z in a shell.
    pub fn suspend_client(&mut self, conn: u64) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        if c.control.is_some() {
            return;
        }
        c.suspended = true;
        c.lend_tty(ServerMsg::Suspend);
        self.resize_windows();
    }

    /// A locked or suspended client is back: it is drawn afresh.
    pub fn client_wakeup(&mut self, conn: u64) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        c.suspended = false;
        c.full = true;
        c.dirty = true;
        c.in_flight = false;
        c.activity = now_micros();
        // The client put the terminal back as it found it: nothing of
        // ours is on it.
        c.painted = Default::default();
        if let Some(tty) = &c.tty {
            tty.resume();
        }
        self.resize_windows();
    }

    /// A client's terminal took the last frame: the next may go.
    pub fn tty_written(&mut self, conn: u64) {
        if let Some(c) = self.clients.get_mut(&conn) {
            c.in_flight = false;
        }
    }

    /// How many clients are attached to a session.
    pub fn attached_to(&self, s: SessionId) -> usize {
        self.clients.values().filter(|c| c.session == s).count()
    }

    /// Lines a session's status takes.
    pub fn status_lines(&self, s: SessionId) -> u16 {
        match self.session_opt(Some(s), "status").map(Value::as_str) {
            Some("off") => 0,
            _ => 1,
        }
    }

    /// Sizes each window from the clients looking at it (window-size).
    pub fn resize_windows(&mut self) {
        let mut sizes: std::collections::HashMap<commands::WindowId, Vec<(u64, u32, u32)>> =
            Default::default();
        // A locked or suspended client has no say, as in tmux.
        for c in self.clients.values().filter(|c| !c.suspended) {
            let Some(f) = self.found_session(c.session) else {
                continue;
            };
            let (cols, rows) = match c.control {
                None => (
                    c.cols as u32,
                    (c.rows as u32)
                        .saturating_sub(self.status_lines(c.session) as u32)
                        .max(1),
                ),
                // A control client has no status line, and no size until
                // it gives one.
                Some(Some((x, y))) => (x as u32, y as u32),
                Some(None) => continue,
            };
            sizes
                .entry(f.window)
                .or_default()
                .push((c.activity, cols, rows));
        }
        for (w, list) in sizes {
            let policy = self
                .window_opt(w, "window-size")
                .map(|v| v.as_str().to_string())
                .unwrap_or_default();
            let size = match policy.as_str() {
                "manual" => continue,
                "largest" => list
                    .iter()
                    .map(|(_, x, y)| (*x, *y))
                    .max_by_key(|(x, y)| x * y),
                "smallest" => list
                    .iter()
                    .map(|(_, x, y)| (*x, *y))
                    .min_by_key(|(x, y)| x * y),
                _ => list
                    .iter()
                    .max_by_key(|(a, _, _)| *a)
                    .map(|(_, x, y)| (*x, *y)),
            };
            let Some((sx, sy)) = size else { continue };
            if let Some(win) = self.windows.get_mut(&w)
                && (win.sx, win.sy) != (sx, sy)
            {
                win.sx = sx;
                win.sy = sy;
                win.layout.resize(sx, sy);
                self.apply_layout(w);
            }
        }
        self.redraw_all();
    }

    /// Redraws every client, status lines included.
    pub fn redraw_all(&mut self) {
        for c in self.clients.values_mut() {
            c.dirty = true;
            c.status_cache = None;
        }
    }

    /// Marks the clients showing pane `p` for a redraw.
    pub fn redraw_pane(&mut self, p: commands::PaneId) {
        if let Some(w) = self.panes.get(&p).map(|x| x.window) {
            self.redraw_window(w);
        }
    }

    /// Marks the clients showing window `w` for a redraw.
    pub fn redraw_window(&mut self, w: commands::WindowId) {
        let showing: Vec<u64> = self
            .clients
            .values()
            .filter(|c| self.found_session(c.session).is_some_and(|f| f.window == w))
            .map(|c| c.conn)
            .collect();
        for conn in showing {
            if let Some(c) = self.clients.get_mut(&conn) {
                c.dirty = true;
            }
        }
    }

    /// Sends a frame to every client that needs one and can take it.
    pub fn flush_clients(&mut self) {
        // Control clients have no terminal, and a client that has not
        // handed its terminal over yet is not drawn.
        let ready: Vec<u64> = self
            .clients
            .values()
            .filter(|c| c.dirty && !c.in_flight && !c.suspended && c.tty.is_some())
            .map(|c| c.conn)
            .collect();
        for conn in ready {
            let Some(c) = self.clients.get_mut(&conn) else {
                continue;
            };
            let mut canvas = std::mem::replace(&mut c.spare, Canvas::new(0, 0));
            let Some(c) = self.clients.get(&conn) else {
                continue;
            };
            let mut status_row = None;
            let r = self.render(c, &mut canvas, &mut status_row);
            let Some(c) = self.clients.get_mut(&conn) else {
                continue;
            };
            let full =
                c.full || c.shown.lines.len() != canvas.lines.len() || c.shown.cols != canvas.cols;
            let rows: Vec<usize> = (0..canvas.lines.len())
                .filter(|&y| full || !canvas.same_row(&c.shown, y))
                .collect();
            if let Some(row) = status_row {
                c.status_cache = Some((row, super::pane::now_micros()));
            }
            if let Some(ranges) = r.status_ranges {
                c.status_ranges = ranges;
            }
            let state = (r.cursor, r.cursor_style, r.modes);
            let unchanged = rows.is_empty() && !full && state == c.shown_state;
            let mut bytes = Vec::new();
            if !unchanged {
                let frame = super::tty::paint::Frame {
                    next: &canvas,
                    prev: (!full).then_some(&c.shown),
                    rows: &rows,
                    cursor: r.cursor,
                    cursor_style: r.cursor_style,
                    modes: r.modes,
                };
                // Writing into memory: only a cell that cannot be drawn
                // fails, and then the next full frame draws everything.
                if super::tty::paint::paint(&mut bytes, &mut c.painted, &frame).is_err() {
                    c.full = true;
                }
            }
            c.spare = std::mem::replace(&mut c.shown, canvas);
            c.dirty = false;
            if unchanged {
                continue;
            }
            c.shown_state = state;
            c.full = false;
            if let Some(tty) = &c.tty {
                c.in_flight = !tty.frame(bytes);
            }
        }
    }

    pub fn client_timer(&mut self, conn: u64, kind: TimerKind, after_ms: u64) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        c.timer_gen[kind as usize] += 1;
        let generation = c.timer_gen[kind as usize];
        let events = self.events.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(after_ms)).await;
            let _ = events.send(Event::ClientTimer {
                conn,
                kind,
                generation,
            });
        });
    }

    pub fn client_timer_fired(&mut self, conn: u64, kind: TimerKind, generation: u64) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        if c.timer_gen[kind as usize] != generation {
            return;
        }
        match kind {
            TimerKind::Escape => {
                let inputs = c.parser.flush();
                for i in inputs {
                    self.client_event(conn, i);
                }
            }
            TimerKind::Repeat => {
                if c.table != "root" && c.repeat_until != 0 {
                    c.table = "root".into();
                    c.repeat_until = 0;
                    c.dirty = true;
                }
            }
            TimerKind::Message => {
                c.message = None;
                c.dirty = true;
            }
            TimerKind::PaneNumbers => {
                c.pane_numbers = None;
                c.dirty = true;
            }
            TimerKind::Click => self.click_timer_fired(conn),
        }
    }

    /// Shows a message on a client's status line for display-time.
    pub fn message(&mut self, conn: u64, text: &str) {
        let Some(name) = self.clients.get(&conn).map(|c| c.name.clone()) else {
            return;
        };
        self.log_message(format!("{name} message: {text}"));
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        c.message = Some(text.to_string());
        c.dirty = true;
        let session = c.session;
        let ms = self
            .session_opt(Some(session), "display-time")
            .map(Value::as_num)
            .unwrap_or(750);
        if ms > 0 {
            self.client_timer(conn, TimerKind::Message, ms as u64);
        }
    }

    pub fn client_input(&mut self, conn: u64, data: &[u8]) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        c.activity = now_micros();
        let inputs = c.parser.feed(data);
        let pending = c.parser.pending();
        for i in inputs {
            self.client_event(conn, i);
        }
        if pending {
            let ms = self
                .server_options
                .get("escape-time")
                .map(Value::as_num)
                .unwrap_or(500);
            self.client_timer(conn, TimerKind::Escape, ms.max(0) as u64);
        }
    }

    fn client_event(&mut self, conn: u64, input: Input) {
        match input {
            Input::Key(key, raw) => self.client_key(conn, key, raw, None),
            Input::Raw(raw) => {
                if !self.overlay_raw(conn, &raw) {
                    self.write_active_pane(conn, &raw);
                }
            }
            Input::Paste(data) => {
                let Some(c) = self.clients.get(&conn) else {
                    return;
                };
                if c.prompt.is_some() {
                    let text = String::from_utf8_lossy(&data).replace(['\r', '\n'], " ");
                    self.prompt_insert(conn, &text);
                    return;
                }
                if self.overlay_paste(conn, &data) {
                    return;
                }
                let Some(session) = self.clients.get(&conn).map(|c| c.session) else {
                    return;
                };
                let pane = self.found_session(session).map(|f| f.pane);
                if let Some(id) = pane
                    && let Some(p) = self.panes.get(&id)
                {
                    let bracketed = p.io.shared.emu().input_modes().bracketed_paste;
                    let mut bytes = Vec::new();
                    if bracketed {
                        bytes.extend_from_slice(b"\x1b[200~");
                    }
                    bytes.extend_from_slice(&data);
                    if bracketed {
                        bytes.extend_from_slice(b"\x1b[201~");
                    }
                    self.type_into(id, &bytes);
                }
            }
            // An overlay takes the mouse: it is not for the panes below.
            Input::Mouse(m) if self.clients.get(&conn).is_some_and(|c| c.overlay.is_some()) => {
                self.overlay_mouse(conn, m)
            }
            Input::Mouse(m) => self.client_mouse(conn, m),
            Input::Focus(focused) => self.client_focus(conn, focused),
        }
    }

    /// Where a client is: its session's current window and pane.
    pub fn client_found(&self, conn: u64) -> Option<commands::Found> {
        self.found_session(self.clients.get(&conn)?.session)
    }

    /// The client's terminal gained or lost focus: with focus-events on,
    /// the active pane's program hears of it if it asked to.
    fn client_focus(&mut self, conn: u64, focused: bool) {
        if !self
            .server_options
            .get("focus-events")
            .is_some_and(Value::as_flag)
        {
            return;
        }
        let Some(f) = self.client_found(conn) else {
            return;
        };
        if let Some(p) = self.panes.get(&f.pane)
            && p.io.shared.emu().focus_reporting()
        {
            p.io.write(if focused { b"\x1b[I" } else { b"\x1b[O" });
        }
    }

    /// The key table of the session's active pane, when it is in a mode.
    fn mode_table(&self, session: SessionId) -> Option<&'static str> {
        self.pane_mode_table(self.found_session(session)?.pane)
    }

    /// The key table of a pane in copy mode, by its window's mode-keys.
    pub fn pane_mode_table(&self, p: commands::PaneId) -> Option<&'static str> {
        let pane = self.panes.get(&p)?;
        pane.copy_mode()?;
        let vi = self
            .window_opt(pane.window, "mode-keys")
            .is_some_and(|v| v.as_str() == "vi");
        Some(if vi { "copy-mode-vi" } else { "copy-mode" })
    }

    /// Whether a client is read-only (attach -r), or its user was made
    /// read-only by server-access: what it types reaches no pane.
    pub fn read_only(&self, conn: u64) -> bool {
        self.clients.get(&conn).is_some_and(|c| c.read_only)
            || self
                .conn_uids
                .get(&conn)
                .is_some_and(|uid| super::acl::admits(*uid) != Some(false))
    }

    /// Writes bytes to the active pane of the client's window.
    fn write_active_pane(&mut self, conn: u64, bytes: &[u8]) {
        if self.read_only(conn) {
            return;
        }
        let Some(c) = self.clients.get(&conn) else {
            return;
        };
        if let Some(f) = self.found_session(c.session) {
            self.type_into(f.pane, bytes);
        }
    }

    /// Input for a pane, as typed: with synchronize-panes, every other
    /// pane of its window that has it on, is live and in no mode gets it
    /// too, as tmux's window_pane_copy_key does.
    pub fn type_into(&mut self, p: commands::PaneId, bytes: &[u8]) {
        let Some(pane) = self.panes.get(&p).filter(|x| !x.dead) else {
            return;
        };
        if self.input_off.contains(&p) {
            return;
        }
        pane.io.write(bytes);
        let w = pane.window;
        self.pane_typed(p, bytes);
        let synced = |s: &Self, q: commands::PaneId| {
            s.pane_opt(q, "synchronize-panes")
                .is_some_and(Value::as_flag)
        };
        if !synced(self, p) {
            return;
        }
        let others: Vec<commands::PaneId> = self
            .windows
            .get(&w)
            .map(|win| win.panes.clone())
            .unwrap_or_default()
            .into_iter()
            .filter(|q| *q != p && synced(self, *q))
            .filter(|q| {
                self.panes
                    .get(q)
                    .is_some_and(|x| !x.dead && x.mode.is_none())
            })
            .filter(|q| !self.input_off.contains(q))
            .collect();
        for q in others {
            if let Some(other) = self.panes.get(&q) {
                other.io.write(bytes);
            }
            self.pane_typed(q, bytes);
        }
    }

    fn prefix_keys(&self, s: SessionId) -> [Option<Key>; 2] {
        let get = |name: &str| {
            self.session_opt(Some(s), name)
                .map(Value::as_str)
                .and_then(Key::parse)
        };
        [get("prefix"), get("prefix2")]
    }

    /// A key from an attached client: the prompt, a binding, or the pane.
    /// A key (or mouse event, with `mouse` where it happened) from a client.
    pub fn client_key(&mut self, conn: u64, key: Key, raw: Vec<u8>, mouse: Option<MouseTarget>) {
        let Some(c) = self.clients.get(&conn) else {
            return;
        };
        if c.prompt.is_some() {
            self.prompt_key(conn, key);
            return;
        }
        if c.overlay.is_some() && self.overlay_key(conn, &key, &raw) {
            return;
        }
        let Some(c) = self.clients.get(&conn) else {
            return;
        };
        if c.pane_numbers.is_some() && self.pane_numbers_key(conn, &key) {
            return;
        }
        let Some(c) = self.clients.get(&conn) else {
            return;
        };
        if c.message.is_some() {
            let c = self.clients.get_mut(&conn).expect("present");
            c.message = None;
            c.dirty = true;
        }
        let Some(c) = self.clients.get(&conn) else {
            return;
        };
        let session = c.session;
        let now = now_micros();
        let mut table = c.table.clone();
        let mut repeating = c.repeat_until != 0;
        if table != "root" && repeating && now > c.repeat_until {
            table = "root".into();
            repeating = false;
        }
        // A pane in copy mode takes keys through its table instead of root.
        let mode_table = self.mode_table(session);
        if let (true, Some(t)) = (table == "root", mode_table) {
            table = t.into();
        }
        let mut binding = self.key_tables.get(&table, &key).cloned();
        // While repeating, a key that does not repeat starts over from the
        // root table, as in tmux.
        if repeating && !binding.as_ref().is_some_and(|b| b.repeat) {
            table = mode_table.unwrap_or("root").into();
            binding = self.key_tables.get(&table, &key).cloned();
            self.set_table(conn, "root", 0);
        }
        let in_mode = mode_table.is_some_and(|t| t == table);
        if (table == "root" || in_mode) && self.prefix_keys(session).contains(&Some(key)) {
            self.set_table(conn, "prefix", 0);
            return;
        }
        if in_mode && binding.is_none() {
            // Root bindings still work in a mode; other keys are dropped.
            binding = self.key_tables.get("root", &key).cloned();
            if binding.is_none() {
                return;
            }
        }
        match binding {
            Some(b) => {
                let repeat = if b.repeat && table != "root" {
                    let ms = self
                        .session_opt(Some(session), "repeat-time")
                        .map(Value::as_num)
                        .unwrap_or(500);
                    self.client_timer(conn, TimerKind::Repeat, ms as u64);
                    now + ms as u64 * 1000
                } else {
                    0
                };
                let next = if repeat != 0 && !in_mode {
                    table.clone()
                } else {
                    "root".to_string()
                };
                self.set_table(conn, &next, repeat);
                self.run_binding(conn, &b, mouse);
            }
            None if table == "root" => {
                // Not bound: the key goes to the pane, as the pane expects it.
                if let Some(m) = mouse {
                    if let Some(p) = m.pane {
                        let _ = self.send_mouse_to(p, &m);
                    }
                    return;
                }
                let Some(f) = self.found_session(session) else {
                    return;
                };
                if self
                    .panes
                    .get(&f.pane)
                    .is_some_and(|x| matches!(x.mode, Some(super::state::PaneMode::Clock { .. })))
                {
                    // Any key ends clock mode, as tmux's window_clock_key.
                    self.leave_mode(f.pane);
                    return;
                }
                if self
                    .panes
                    .get(&f.pane)
                    .is_some_and(|x| x.tree_mode().is_some())
                {
                    if let Some(command) = self.tree_input(f.pane, key) {
                        self.run_text(conn, &command);
                    }
                    return;
                }
                let bytes = match key.code {
                    commands::keys::KeyCode::Char(_) if !key.ctrl => raw,
                    _ => {
                        let modes = self
                            .panes
                            .get(&f.pane)
                            .map(|p| p.io.shared.emu().input_modes())
                            .unwrap_or_default();
                        key.encode(modes)
                    }
                };
                self.write_active_pane(conn, &bytes);
            }
            None => {
                // An unbound key in the prefix table ends it, as in tmux.
                self.set_table(conn, "root", 0);
            }
        }
    }

    fn set_table(&mut self, conn: u64, table: &str, repeat_until: u64) {
        if let Some(c) = self.clients.get_mut(&conn) {
            if c.table != table {
                // The status line may show the prefix state.
                c.dirty = true;
                c.status_cache = None;
            }
            c.table = table.to_string();
            c.repeat_until = repeat_until;
        }
    }

    /// The caller for commands a client runs from keys or its prompt.
    pub fn client_caller(&self, conn: u64) -> Option<Caller> {
        let c = self.clients.get(&conn)?;
        Some(Caller {
            verified: Default::default(),
            cwd: None,
            env: c.env.clone(),
            tty: true,
            attached: Some(c.session),
            pid: c.pid,
            config: false,
            client: Some(conn),
            size: Some((c.cols, c.rows)),
            cell: c.cell,
            tty_name: c.name.clone(),
            term: c.term.clone(),
            mouse: None,
        })
    }

    /// Runs commands for a client; errors become a message on its status line.
    pub fn run_for_client(&mut self, conn: u64, commands: Vec<Box<dyn commands::Runnable>>) {
        self.run_for_client_at(conn, commands, None);
    }

    /// Like [`State::run_for_client`], for a mouse binding: the commands
    /// act where the mouse is.
    pub(super) fn run_for_client_at(
        &mut self,
        conn: u64,
        commands: Vec<Box<dyn commands::Runnable>>,
        mouse: Option<MouseTarget>,
    ) {
        let Some(mut caller) = self.client_caller(conn) else {
            return;
        };
        caller.mouse = mouse;
        self.next_queue += 1;
        let q = Queue {
            id: self.next_queue,
            conn: None,
            reply: None,
            items: VecDeque::from(commands),
            io: Io::new(caller),
            failed: false,
            client: Some(conn),
            config: false,
            framed: None,
        };
        self.run_queue(q);
    }

    fn run_binding(&mut self, conn: u64, b: &Binding, mouse: Option<MouseTarget>) {
        let parsed: CmdResult<Vec<_>> = b
            .commands
            .iter()
            .map(|c| commands::lookup(&c[0])?.parse(&c[1..]))
            .collect();
        match parsed {
            Ok(list) => self.run_for_client_at(conn, list, mouse),
            Err(e) => self.message(conn, &e.0),
        }
    }
}
