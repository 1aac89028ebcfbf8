//! Control mode: clients that are programs (iTerm2, scripts) rather than
//! terminals. Each command list they send is answered in a block,
//! `%begin TIME NUMBER FLAGS`, the output, then `%end` or `%error` with
//! the same three; what happens meanwhile comes as notifications
//! (`%window-add @1`, `%layout-change ...`) and pane output as
//! `%output %N text` with bytes below space and backslash in octal, all
//! as tmux 3.3a writes them. An attached control client is a Client like
//! any other (it has a session, a size, a name), that is never drawn.

use super::Reply;
use super::hooks::HookAt;
use super::state::{Queue, State};
use commands::host::{Caller, Io};
use commands::proto::{CommandRequest, ServerMsg};
use commands::{PaneId, SessionId, WindowId};
use std::collections::VecDeque;

/// A connection in control mode.
pub struct ControlConn {
    pub reply: Reply,
    /// Who it is, for running what it sends.
    pub caller: Caller,
}

/// tmux's escaping for %output: bytes below space, and backslash, as
/// three octal digits; everything else as it came.
pub fn escape_output(data: &[u8]) -> String {
    let mut out = Vec::with_capacity(data.len() + 16);
    for &b in data {
        if b < b' ' || b == b'\\' {
            out.extend_from_slice(format!("\\{b:03o}").as_bytes());
        } else {
            out.push(b);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn now() -> u64 {
    super::pane::now_micros() / 1_000_000
}

impl State {
    /// A connection says it is a control client: it is kept, and its
    /// command line's answer framed.
    pub fn control_open(
        &mut self,
        conn: u64,
        request: &CommandRequest,
        reply: &Reply,
        caller: &Caller,
    ) {
        let cc = request.control >= 2;
        if cc {
            let _ = reply.send(ServerMsg::Stdout {
                data: "\x1bP1000p".to_string(),
            });
        }
        let caller = Caller {
            verified: Default::default(),
            ..caller.clone()
        };
        self.control.insert(
            conn,
            ControlConn {
                reply: reply.clone(),
                caller,
            },
        );
        self.refresh_taps();
    }

    /// The number of the next framed command list (tmux counts its
    /// queue's items; only their order matters to clients).
    pub fn control_number(&mut self) -> u64 {
        self.control_seq += 1;
        self.control_seq
    }

    /// A framed answer: %begin, what the list printed (its errors too),
    /// then %end, or %error if it failed.
    pub fn control_reply(&mut self, q: &Queue, flags: u8) {
        let Some(reply) = &q.reply else {
            return;
        };
        let (t, n) = (now(), self.control_number());
        let mut text = format!("%begin {t} {n} {flags}\n");
        text.push_str(&q.io.out);
        text.push_str(&q.io.err);
        let end = if q.failed { "%error" } else { "%end" };
        text.push_str(&format!("{end} {t} {n} {flags}\n"));
        let _ = reply.send(ServerMsg::Stdout { data: text });
    }

    /// A line from a control client: a command list to run, or (None)
    /// the client leaving.
    pub fn control_line(&mut self, conn: u64, line: Option<String>) {
        let Some(c) = self.control.get(&conn) else {
            return;
        };
        let Some(line) = line else {
            self.control_close(conn);
            return;
        };
        let reply = c.reply.clone();
        let mut caller = c.caller.clone();
        if self.clients.contains_key(&conn) {
            caller.client = Some(conn);
            caller.attached = self.clients.get(&conn).map(|x| x.session);
        }
        let io = Io::new(caller);
        self.next_queue += 1;
        let mut q = Queue {
            id: self.next_queue,
            conn: Some(conn),
            reply: Some(reply),
            items: VecDeque::new(),
            io,
            failed: false,
            client: None,
            config: false,
            framed: Some(1),
        };
        match commands::parse_with_host(self, &q.io, &line) {
            Ok(items) => q.items = items.into(),
            Err(e) => {
                q.io.err = format!("parse error: {e}\n");
                q.failed = true;
            }
        }
        self.run_queue(q);
    }

    /// The client leaves: detached if it was attached, forgotten either way.
    pub fn control_close(&mut self, conn: u64) {
        if self.clients.contains_key(&conn) {
            self.detach(conn, Some(String::new()));
        } else {
            self.pending_control_exit.push(conn);
        }
        self.flush_control();
    }

    /// Attaches a control client: a Client that is never drawn, told of
    /// its session as tmux tells it.
    pub fn attach_control(
        &mut self,
        q: &mut Queue,
        conn: u64,
        session: SessionId,
    ) -> commands::CmdResult {
        let Some(reply) = q.reply.clone() else {
            return Err(commands::CmdError::new("not a terminal"));
        };
        let name = match (&q.io.caller.tty_name, q.io.caller.pid) {
            (n, _) if !n.is_empty() => n.clone(),
            (_, Some(pid)) => format!("client-{pid}"),
            _ => format!("client-{conn}"),
        };
        let client =
            super::client::Client::control(conn, reply, session, name.clone(), &q.io.caller);
        self.clients.insert(conn, client);
        self.record_client("client-attached", &name, session);
        q.io.caller.client = Some(conn);
        q.io.caller.attached = Some(session);
        self.touch_session(session);
        self.resize_windows();
        Ok(())
    }

    /// Writes the notifications noted since the last time.
    pub fn flush_control(&mut self) {
        for (hook, at) in std::mem::take(&mut self.pending_control) {
            self.control_notify(&hook, &at);
        }
        let mut left = false;
        for conn in std::mem::take(&mut self.pending_control_exit) {
            if let Some(c) = self.control.remove(&conn) {
                let _ = c.reply.send(ServerMsg::Exit { code: 0 });
                left = true;
            }
        }
        // Every pane's tap is visited: only when the last control client
        // has gone, not after every event.
        if left && self.control.is_empty() {
            self.refresh_taps();
        }
    }

    /// Writes a line to every control client `to` picks.
    fn control_write(&self, line: &str, to: impl Fn(u64, Option<SessionId>) -> bool) {
        for (conn, c) in &self.control {
            let session = self.clients.get(conn).map(|x| x.session);
            if to(*conn, session) {
                let _ = c.reply.send(ServerMsg::Stdout {
                    data: format!("{line}\n"),
                });
            }
        }
    }

    fn session_has_window(&self, s: Option<SessionId>, w: WindowId) -> bool {
        s.and_then(|s| self.sessions.get(&s))
            .is_some_and(|x| x.windows.values().any(|id| *id == w))
    }

    /// The notifications control clients get for something that happened
    /// (the names are tmux's notify names, as the hooks'), each to the
    /// clients tmux's control-notify.c writes it to.
    pub fn control_notify(&self, hook: &str, at: &HookAt) {
        if self.control.is_empty() {
            return;
        }
        let name_of = |s: SessionId| {
            at.session_name
                .clone()
                .or_else(|| self.sessions.get(&s).map(|x| x.name.clone()))
                .unwrap_or_default()
        };
        let everyone = |_: u64, _: Option<SessionId>| true;
        let attached = |_: u64, cs: Option<SessionId>| cs.is_some();
        match (hook, at.session, at.window) {
            ("window-linked", _, Some(w)) => self.linked_or_not(w, "window-add"),
            ("window-unlinked", _, Some(w)) => self.linked_or_not(w, "window-close"),
            ("window-renamed", _, Some(w)) => {
                let name = self.window_name(w);
                self.linked_or_not(w, &format!("window-renamed {w} {name}"));
            }
            ("window-layout-changed", _, Some(w)) => {
                let Some(f) = self.found_window_id(w) else {
                    return;
                };
                let ctx = super::formats::Ctx::new(self, Some(&f));
                let line = commands::format::expand(
                    "%layout-change #{window_id} #{window_layout} #{window_visible_layout} #{window_raw_flags}",
                    &ctx,
                );
                self.control_write(&line, |_, cs| self.session_has_window(cs, w));
            }
            ("window-pane-changed", _, Some(w)) => {
                if let Some(active) = self.windows.get(&w).map(|x| x.active) {
                    self.control_write(&format!("%window-pane-changed {w} {active}"), everyone);
                }
            }
            ("pane-mode-changed", _, _) => {
                if let Some(p) = at.pane {
                    self.control_write(&format!("%pane-mode-changed {p}"), everyone);
                }
            }
            ("session-window-changed", Some(s), _) => {
                if let Some(f) = self.found_session(s) {
                    self.control_write(
                        &format!("%session-window-changed {s} {}", f.window),
                        everyone,
                    );
                }
            }
            ("session-renamed", Some(s), _) => {
                self.control_write(&format!("%session-renamed {s} {}", name_of(s)), everyone);
            }
            ("session-created" | "session-closed", _, _) => {
                self.control_write("%sessions-changed", everyone);
            }
            ("client-session-changed" | "client-attached", Some(s), _) => {
                let client = at.client.clone().unwrap_or_default();
                let me = self
                    .clients
                    .iter()
                    .find(|(_, c)| c.name == client)
                    .map(|(k, _)| *k);
                let own = format!("%session-changed {s} {}", name_of(s));
                self.control_write(&own, |conn, cs| cs.is_some() && Some(conn) == me);
                let other = format!("%client-session-changed {client} {s} {}", name_of(s));
                self.control_write(&other, |conn, cs| attached(conn, cs) && Some(conn) != me);
            }
            ("client-detached", _, _) => {
                let client = at.client.clone().unwrap_or_default();
                // Not to itself: it is on its way out.
                let leaving = &self.pending_control_exit;
                self.control_write(&format!("%client-detached {client}"), |conn, _| {
                    !leaving.contains(&conn)
                });
            }
            _ => {}
        }
    }

    /// `%what` to control clients whose session has window `w`, and
    /// `%unlinked-what` to the other attached ones. `what` starts with the
    /// notification's name; the window is added after it unless given.
    fn linked_or_not(&self, w: WindowId, what: &str) {
        let what = if what.contains(' ') {
            what.to_string()
        } else {
            format!("{what} {w}")
        };
        self.control_write(&format!("%{what}"), |_, cs| self.session_has_window(cs, w));
        self.control_write(&format!("%unlinked-{what}"), |_, cs| {
            cs.is_some() && !self.session_has_window(cs, w)
        });
    }

    /// Pane output for the control clients whose session shows it.
    pub fn control_output(&self, p: PaneId, data: &[u8]) {
        let Some(w) = self.panes.get(&p).map(|x| x.window) else {
            return;
        };
        let line = format!("%output {p} {}", escape_output(data));
        self.control_write(&line, |_, cs| self.session_has_window(cs, w));
    }

    /// Whether the server keeps each pane's raw output: for control
    /// clients, and for subscribers to a pane's output.
    pub fn refresh_taps(&self) {
        let all = !self.control.is_empty();
        for (id, p) in &self.panes {
            let wanted = all || self.agents.subscribers.iter().any(|s| s.pane == Some(*id));
            p.io.shared.tap(wanted);
        }
    }

    /// Raw output a pane printed, for control clients and subscribers.
    pub fn pane_output_taken(&mut self, p: PaneId) {
        let Some(data) = self.panes.get(&p).map(|x| x.io.shared.take_tapped_bytes()) else {
            return;
        };
        if data.is_empty() {
            return;
        }
        self.control_output(p, &data);
        self.pane_output_to_subscribers(p, &data);
    }
}
