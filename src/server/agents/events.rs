//! The event log. Every change the agent layer makes, and the
//! multiplexer's sessions, windows, panes and clients coming and going, is
//! an event with an id that only grows, stored in the same batch as the
//! change it describes. Once stored, it goes to subscribers (`agmux
//! subscribe`, the subscribe frame, control clients, the dashboard), who
//! can resume after any disconnect from the last id they saw: the store
//! replays what came after it, then the stream goes live, with no gap and
//! no duplicate.
//!
//! A subscriber's events wait in a bounded queue on its connection. A
//! replay is paced by the connection as it drains; once live, a subscriber
//! that lets its queue fill is cut off with an error naming the last event
//! it was sent, so the server never waits for it.

use crate::server::Reply;
use crate::server::state::State;
use crate::store::{EventRow, Op};
use commands::PaneId;
use commands::host::{Caller, Identity, Io};
use commands::proto::{ServerMsg, SubscribeRequest};
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;

/// Events a subscriber's connection may hold unwritten.
pub const QUEUE: usize = 4096;
/// Events that belong to no agent (the multiplexer's) kept in the log.
const MUX_KEEP: usize = 100_000;

pub struct Subscriber {
    pub conn: u64,
    who: Identity,
    agent: Option<String>,
    group: Option<String>,
    kinds: Vec<String>,
    pub pane: Option<PaneId>,
    tx: mpsc::Sender<ServerMsg>,
    reply: Reply,
    /// The last event id looked at for it.
    cursor: u64,
    /// Events up to this id are its replay: sent as its connection drains,
    /// never a reason to cut it off.
    catch_up: u64,
}

/// An event as subscribers get it: id, time, type, agent and actor, the
/// words agent-history shows, and the event's own fields.
pub fn event_json(e: &EventRow) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(e.id));
    m.insert("time".into(), json!(commands::util::iso_time(e.time)));
    m.insert("type".into(), json!(e.kind));
    m.insert("agent".into(), json!(e.agent));
    m.insert("actor".into(), json!(e.actor));
    m.insert("detail".into(), json!(e.detail));
    if !e.host.is_empty() {
        m.insert("host".into(), json!(e.host));
    }
    if let Ok(Value::Object(data)) = serde_json::from_str::<Value>(&e.data) {
        for (k, v) in data {
            m.entry(k).or_insert(v);
        }
    }
    Value::Object(m)
}

impl State {
    /// Adds an event that `actor` caused to agent `agent` (empty: no
    /// agent's), with its fields: stored with the change, published once
    /// stored.
    pub fn emit(&mut self, kind: &str, agent: &str, actor: &str, detail: &str, data: Value) {
        let actor = if actor == agent { "" } else { actor };
        let id = self.agents.next_event;
        self.agents.next_event += 1;
        let row = EventRow {
            id,
            agent: agent.to_string(),
            actor: actor.to_string(),
            time: crate::server::pane::now_micros(),
            kind: kind.to_string(),
            detail: detail.to_string(),
            data: data.to_string(),
            host: self.agents.host.clone(),
        };
        // A shared store numbers events as it stores them: they are
        // logged and published when it says so (`log_events`).
        if self.agents.store_shared() {
            self.persist(vec![Op::Event(row)]);
            return;
        }
        self.agents.events.push(row.clone());
        self.persist(vec![Op::Event(row)]);
        self.after_commit(move |s| s.publish(id));
    }

    /// An event of the multiplexer's: stored and published like any, but
    /// the command that caused it does not wait for the disk (tmux's
    /// commands never do).
    pub fn emit_mux(&mut self, kind: &str, agent: &str, detail: &str, data: Value) {
        if self.agents.store.is_err() {
            return;
        }
        self.quietly(|s| s.emit(kind, agent, "", detail, data));
        self.trim_mux_events();
    }

    /// An event of the multiplexer's about something in session `s` (the
    /// agent's, if the session is one).
    pub fn mux_event(
        &mut self,
        kind: &str,
        s: Option<commands::SessionId>,
        detail: &str,
        data: Value,
    ) {
        let agent = s
            .and_then(|s| self.agents.by_session.get(&s))
            .cloned()
            .unwrap_or_default();
        self.emit_mux(kind, &agent, detail, data);
    }

    /// A limit refused something: an event naming the limit and its value
    /// (read from the refusal, which names them: `agent-max-children is 2`).
    pub fn limit_refused(&mut self, agent: &str, actor: &str, what: &str, message: &str) {
        let mut words = message.split_whitespace();
        let Some(limit) = words.by_ref().find(|w| w.starts_with("agent-")) else {
            return;
        };
        let value = match words.next() {
            Some("is") => words.next().unwrap_or(""),
            _ => "",
        };
        let data = json!({"what": what, "limit": limit, "value": value});
        self.emit("refused", agent, actor, message, data);
    }

    /// Keeps the multiplexer's events to the last MUX_KEEP.
    fn trim_mux_events(&mut self) {
        let events = &self.agents.events;
        if events.len() < MUX_KEEP + MUX_KEEP / 10 {
            return;
        }
        let mux = events.iter().filter(|e| e.agent.is_empty()).count();
        if mux <= MUX_KEEP {
            return;
        }
        let Some(cut) = events
            .iter()
            .filter(|e| e.agent.is_empty())
            .nth(mux - MUX_KEEP)
            .map(|e| e.id)
        else {
            return;
        };
        self.agents
            .events
            .retain(|e| !(e.agent.is_empty() && e.id < cut));
        self.quietly(|s| s.persist(vec![Op::DropEventsBefore(cut)]));
    }

    /// Event `id` is stored: subscribers may have it.
    pub(super) fn publish(&mut self, id: u64) {
        self.agents.published = self.agents.published.max(id);
        let mut i = 0;
        while i < self.agents.subscribers.len() {
            if self.feed(i) {
                i += 1;
            }
        }
    }

    /// Sends subscriber `i` what it has not seen, as far as its queue
    /// takes; false if it was cut off (and removed).
    fn feed(&mut self, i: usize) -> bool {
        let head = self.agents.published;
        let start = self.agents.subscribers[i].cursor;
        let from = self.agents.events.partition_point(|e| e.id <= start);
        let mut cursor = start;
        let mut full = false;
        for e in &self.agents.events[from..] {
            if e.id > head {
                break;
            }
            let sub = &self.agents.subscribers[i];
            if self.wants(sub, e) {
                let msg = ServerMsg::Event {
                    event: event_json(e),
                };
                match sub.tx.try_send(msg) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Full(_)) => {
                        full = true;
                        break;
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => {
                        self.agents.subscribers.remove(i);
                        return false;
                    }
                }
            }
            cursor = e.id;
        }
        let sub = &mut self.agents.subscribers[i];
        sub.cursor = cursor;
        if full && cursor >= sub.catch_up {
            // Live and not keeping up: cut off, saying where to resume.
            let message = format!(
                "subscriber too slow: cut off after event {cursor}; resume with --since {cursor}"
            );
            let _ = sub.reply.send(ServerMsg::Error { message });
            self.agents.subscribers.remove(i);
            return false;
        }
        true
    }

    /// Whether subscriber `sub` hears of event `e`: what it asked for, and
    /// what its caller may read.
    fn wants(&self, sub: &Subscriber, e: &EventRow) -> bool {
        if !sub.kinds.is_empty() && !sub.kinds.iter().any(|k| k == &e.kind) {
            return false;
        }
        if let Some(a) = &sub.agent
            && e.agent != *a
            && e.actor != *a
        {
            return false;
        }
        let group = || {
            serde_json::from_str::<Value>(&e.data)
                .ok()
                .and_then(|d| d.get("group").and_then(Value::as_str).map(str::to_string))
        };
        if let Some(g) = &sub.group {
            let member = self
                .agents
                .records
                .get(&e.agent)
                .is_some_and(|a| a.row.group.as_deref() == Some(g));
            if !member && group().as_deref() != Some(g.as_str()) {
                return false;
            }
        }
        match &sub.who {
            Identity::Operator | Identity::Pane(_) => true,
            Identity::Agent(me) => {
                let mine = |k: &str| !k.is_empty() && (k == me || self.is_ancestor(me, k));
                mine(&e.agent)
                    || mine(&e.actor)
                    || self.same_group(me, &e.agent)
                    || group().is_some_and(|g| {
                        self.agents
                            .records
                            .get(me)
                            .is_some_and(|a| a.row.group.as_deref() == Some(g.as_str()))
                    })
            }
            Identity::Unknown(_) => false,
        }
    }

    /// A connection asks for events.
    pub fn subscribe(
        &mut self,
        conn: u64,
        pid: Option<u32>,
        req: SubscribeRequest,
        tx: mpsc::Sender<ServerMsg>,
        reply: Reply,
    ) {
        let caller = Caller {
            pid,
            env: req
                .env
                .iter()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Caller::default()
        };
        let io = Io::new(caller);
        let screen = req.screen.clone();
        let announce = req.announce;
        match self.subscriber_for(&io, conn, req, tx.clone(), reply.clone()) {
            Ok(sub) => {
                self.agents.subscribers.push(sub);
                let i = self.agents.subscribers.len() - 1;
                if let Some(target) = screen
                    && let Err(e) = self.watch_screen(&io, conn, &target, tx, reply.clone())
                {
                    self.agents.subscribers.pop();
                    let _ = reply.send(ServerMsg::Error { message: e.0 });
                    return;
                }
                if announce {
                    let head = self.agents.published;
                    let event = json!({"type": "subscribed", "head": head});
                    let _ = self.agents.subscribers[i]
                        .tx
                        .try_send(ServerMsg::Event { event });
                }
                self.feed(i);
            }
            Err(e) => {
                let _ = reply.send(ServerMsg::Error { message: e.0 });
            }
        }
    }

    fn subscriber_for(
        &mut self,
        io: &Io,
        conn: u64,
        req: SubscribeRequest,
        tx: mpsc::Sender<ServerMsg>,
        reply: Reply,
    ) -> commands::CmdResult<Subscriber> {
        self.agents.ready()?;
        let who = self.who(io).clone();
        if let Identity::Unknown(why) = &who {
            commands::bail!("{why}: it may not subscribe");
        }
        let agent = match req.agent.as_deref() {
            Some(t) => Some(self.agent_key(io, Some(t))?),
            None => None,
        };
        let pane = match req.pane_output.as_deref() {
            Some(t) => {
                let f = self.resolve(io, Some(t), commands::TargetKind::Pane)?;
                self.current_access = Some(commands::Access::ReadContent);
                let reach = self.check_reach(io, &f);
                self.current_access = None;
                reach?;
                if let Some(p) = self.panes.get(&f.pane) {
                    p.io.shared.tap(true);
                }
                Some(f.pane)
            }
            None => None,
        };
        let head = self.agents.published;
        let cursor = req.since.unwrap_or(head).min(head);
        Ok(Subscriber {
            conn,
            who,
            agent,
            group: req.group,
            kinds: req.events,
            pane,
            tx,
            reply,
            cursor,
            catch_up: head,
        })
    }

    /// A subscriber's connection drained its queue: send it more of its
    /// replay.
    pub fn subscriber_more(&mut self, conn: u64) {
        if let Some(i) = self.agents.subscribers.iter().position(|s| s.conn == conn) {
            self.feed(i);
        }
    }

    /// A connection closed: its subscription ends.
    pub fn unsubscribe(&mut self, conn: u64) {
        let gone: Vec<PaneId> = self
            .agents
            .subscribers
            .iter()
            .filter(|s| s.conn == conn)
            .filter_map(|s| s.pane)
            .collect();
        self.agents.subscribers.retain(|s| s.conn != conn);
        for p in gone {
            self.untap_if_unwatched(p);
        }
    }

    fn untap_if_unwatched(&mut self, p: PaneId) {
        // Control clients hear every pane.
        if self.control.is_empty()
            && !self.agents.subscribers.iter().any(|s| s.pane == Some(p))
            && let Some(pane) = self.panes.get(&p)
        {
            pane.io.shared.tap(false);
        }
    }

    /// Pane `p` printed: its subscribers get what it printed (not stored).
    pub fn pane_output_to_subscribers(&mut self, p: PaneId, data: &[u8]) {
        if !self.agents.subscribers.iter().any(|s| s.pane == Some(p)) {
            return;
        }
        let data = String::from_utf8_lossy(data);
        let event = json!({
            "type": "output",
            "time": commands::util::iso_time(crate::server::pane::now_micros()),
            "pane": p.to_string(),
            "data": data,
        });
        let mut i = 0;
        while i < self.agents.subscribers.len() {
            let sub = &self.agents.subscribers[i];
            if sub.pane != Some(p) {
                i += 1;
                continue;
            }
            let msg = ServerMsg::Event {
                event: event.clone(),
            };
            if sub.tx.try_send(msg).is_err() {
                let message = "subscriber too slow for the pane's output: cut off".to_string();
                let _ = sub.reply.send(ServerMsg::Error { message });
                self.agents.subscribers.remove(i);
                continue;
            }
            i += 1;
        }
    }
}
