//! The agent layer with a store shared by several hosts (Redis): which
//! store a server uses, what it hears from it, and other hosts' changes
//! applied to its memory.
//!
//! A record whose `host` names another server is that server's: this one
//! shows it, sends it messages and reads its group's context, but never
//! runs, types into or ends it. The other server does, and its changes
//! arrive here in the order the store took them (`Report::Remote`).

use super::authority::refused;
use super::spawn::WaitFor;
use super::{Agent, Agents, Group, txn};
use crate::server::state::{Queue, State};
use crate::store::{self, EventRow, Loaded, MessageRow, Op, Report};
use commands::host::{Caller, Identity, Io};
use commands::{CmdResult, Flow, bail};
use std::collections::BTreeMap;

/// Bits of a message id that name the host that gave it.
pub const HOST_BITS: u32 = 10;

impl Agents {
    /// Whether record `a` is another host's.
    pub fn remote(&self, a: &Agent) -> bool {
        !a.row.host.is_empty() && a.row.host != self.host
    }

    /// Refuses to `what` an agent another host runs: only its own server
    /// can end its program, and a record changed here alone would say it
    /// ended while it runs on.
    pub fn runs_here(&self, a: &Agent, what: &str) -> CmdResult {
        if self.remote(a) && !a.status().ended() {
            bail!("{} runs on host {}: {what} there", a.row.key, a.row.host);
        }
        Ok(())
    }

    /// The hosts a group's members run on (none in a server's own store).
    pub fn group_hosts(&self, group: &str) -> Vec<String> {
        let hosts: std::collections::BTreeSet<String> = self
            .members(group)
            .filter(|a| !a.row.host.is_empty())
            .map(|a| a.row.host.clone())
            .collect();
        hosts.into_iter().collect()
    }

    /// Whether agent `a` runs now: here, with a session, or on another
    /// host as far as the store says.
    pub fn running(&self, a: &Agent) -> bool {
        a.session.is_some() || (self.remote(a) && !a.status().ended())
    }

    /// A new message id: in a shared store, a count above every id seen
    /// (so a reply's is above its message's) with this host's number in
    /// the low bits (so no two hosts give the same).
    pub fn new_message_id(&mut self) -> u64 {
        let n = self.next_message;
        self.next_message += 1;
        match self.host_no {
            0 => n,
            h => (n << HOST_BITS) | h,
        }
    }

    /// Message `id` exists: later ids go above it.
    fn saw_message(&mut self, id: u64) {
        let n = match self.host_no {
            0 => id,
            _ => id >> HOST_BITS,
        };
        self.next_message = self.next_message.max(n + 1);
    }

    /// The next message count after what was loaded.
    pub fn count_messages(&mut self) {
        self.next_message = 1;
        let ids: Vec<u64> = self.messages.iter().map(|m| m.id).collect();
        for id in ids {
            self.saw_message(id);
        }
    }
}

impl State {
    /// After the configuration: a shared store named by `AGMUX_STORE` or
    /// `agent-store` takes the place of the embedded one.
    pub fn open_shared_store(&mut self) {
        let url = match self.env.value("AGMUX_STORE") {
            Some(u) if !u.is_empty() => u.to_string(),
            _ => self.server_str("agent-store"),
        };
        if url.is_empty() || self.agents.store_shared() {
            return;
        }
        let host = match self.server_str("agent-host-name") {
            h if h.is_empty() => crate::server::pane::hostname(),
            h => h,
        };
        let events = self.events.clone();
        let done: store::Done = Box::new(move |r| {
            let _ = events.send(crate::server::Event::Store(r));
        });
        let mut fresh = Agents::empty(&host);
        // Batches already sent to the embedded store answer with their
        // numbers: the new store's go on from there, in a new epoch.
        fresh.txn.continue_from(&self.agents.txn);
        let lease = std::time::Duration::from_secs(self.server_num("agent-host-lease").max(1));
        let slot = format!(
            "{}:{}",
            crate::server::pane::hostname(),
            self.info.socket.display()
        );
        match store::redis::open(&url, &host, lease, &slot, done) {
            Ok((s, loaded)) => {
                fresh.store = Ok(s);
                self.agents = fresh;
                match loaded {
                    Some(l) => self.take_loaded(l),
                    None => self.agents.down = Some("agent store unreachable".into()),
                }
            }
            Err(e) => {
                fresh.store = Err(e);
                self.agents = fresh;
            }
        }
    }

    fn server_str(&self, name: &str) -> String {
        self.server_options
            .get(name)
            .map(|v| v.as_str().to_string())
            .unwrap_or_default()
    }

    /// What the store says.
    pub fn store_report(&mut self, r: Report) {
        match r {
            Report::Stored {
                seq,
                epoch,
                error,
                events,
                restore,
            } => {
                self.log_events(events);
                match (&error, restore) {
                    (Some(_), Some(ops)) => self.apply_ops(ops, false),
                    (Some(e), None) if self.agents.store_shared() => {
                        self.agents.down = Some(e.clone());
                    }
                    _ => {}
                }
                self.stored(seq, epoch, error);
            }
            Report::Remote(ops) => self.apply_ops(ops, true),
            Report::Down(why) => self.agents.down = Some(why),
            Report::Reloaded(l) => {
                self.agents.down = None;
                self.take_loaded(*l);
            }
            Report::HostLost(host) => self.host_lost(&host),
            Report::Hosts(up) => self.agents.hosts_up = up,
        }
    }

    /// Events the store numbered: logged, then told to subscribers.
    fn log_events(&mut self, events: Vec<EventRow>) {
        let Some(last) = events.iter().map(|e| e.id).max() else {
            return;
        };
        for e in events {
            if self.agents.events.last().is_none_or(|l| l.id < e.id) {
                self.agents.events.push(e);
            }
        }
        self.publish(last);
    }

    /// Makes memory what a shared store holds, keeping what only this
    /// server knows: where its own agents run. Its own agents the store
    /// has as running but that have no session here are lost.
    fn take_loaded(&mut self, loaded: Loaded) {
        for key in self.adopt_loaded(loaded) {
            let Some(a) = self.agents.records.get_mut(&key) else {
                continue;
            };
            txn::mark_lost(a);
            let row = a.row.clone();
            let data = serde_json::json!({"status": "lost", "reason": row.reason});
            self.persist(vec![Op::Agent(Box::new(row))]);
            self.emit("status", &key, "", "lost", data);
        }
        self.flush_store();
    }

    /// Host `host` stopped renewing its lease: its agents that the store
    /// has as running are lost, never silently forgotten. Every server
    /// that sees it says so; the first to be stored wins, the rest change
    /// nothing.
    fn host_lost(&mut self, host: &str) {
        if self.agents.down.is_some() {
            return;
        }
        let keys: Vec<String> = self
            .agents
            .records
            .values()
            .filter(|a| a.row.host == host && self.agents.remote(a) && !a.status().ended())
            .map(|a| a.row.key.clone())
            .collect();
        for key in keys {
            let Some(a) = self.agents.records.get_mut(&key) else {
                continue;
            };
            a.row.reason = format!("host {host} lost");
            txn::mark_lost(a);
            let row = a.row.clone();
            let data = serde_json::json!({"status": "lost", "reason": row.reason, "host": host});
            let detail = format!("lost: {}", row.reason);
            self.persist(vec![Op::Agent(Box::new(row))]);
            self.emit("status", &key, "", &detail, data);
        }
        self.wake_child_waiters();
        self.flush_store();
    }

    /// Applies rows the store holds: another host's changes (`remote`),
    /// or what it has for rows a refused batch touched.
    fn apply_ops(&mut self, ops: Vec<Op>, remote: bool) {
        let mut woken_children = false;
        for op in ops {
            match op {
                Op::Agent(row) => {
                    woken_children |= row.ended > 0;
                    self.apply_agent(*row);
                }
                Op::ForgetAgent(k) => {
                    if self
                        .agents
                        .records
                        .get(&k)
                        .is_some_and(|a| a.session.is_none())
                    {
                        self.agents.records.remove(&k);
                    }
                }
                Op::Group(g) => {
                    let name = g.name.clone();
                    match self.agents.groups.get_mut(&name) {
                        Some(have) => have.row = g,
                        None => {
                            let group = Group {
                                row: g,
                                context: BTreeMap::new(),
                            };
                            self.agents.groups.insert(name, group);
                        }
                    }
                }
                Op::DropGroup(n) => {
                    self.agents.groups.remove(&n);
                }
                Op::Entry(e) => {
                    if let Some(g) = self.agents.groups.get_mut(&e.group) {
                        g.context.insert(e.key.clone(), e);
                    }
                }
                Op::DropEntry { group, key } => {
                    if let Some(g) = self.agents.groups.get_mut(&group) {
                        g.context.remove(&key);
                    }
                }
                Op::Type { owner, name, spec } => {
                    if let Ok(t) = serde_json::from_str(&spec) {
                        self.agents.types.insert((owner, name), t);
                    }
                }
                Op::Message(m) => self.apply_message(m, remote),
                Op::DropMessage(id) => self.agents.messages.retain(|m| m.id != id),
                Op::Event(e) => self.log_events(vec![e]),
                Op::DropHistory(k) => {
                    self.agents
                        .messages
                        .retain(|m| m.sender != k && m.recipient != k);
                    self.agents.events.retain(|e| e.agent != k);
                }
                Op::Claim { .. } => {}
                Op::Request {
                    id,
                    host,
                    from,
                    caller,
                    argv,
                } if remote && host == self.agents.host => self.run_request(id, from, caller, argv),
                Op::Answer {
                    id,
                    host,
                    code,
                    out,
                    err,
                } if remote && host == self.agents.host => self.take_answer(&id, code, out, err),
                Op::Request { .. } | Op::Answer { .. } => {}
                Op::DropEventsBefore(cut) => {
                    self.agents
                        .events
                        .retain(|e| !(e.agent.is_empty() && e.id < cut));
                }
            }
        }
        if woken_children {
            self.wake_child_waiters();
        }
        self.redraw_all();
    }

    /// An agent's record as stored: where it runs stays what this server
    /// knows.
    fn apply_agent(&mut self, row: store::AgentRow) {
        match self.agents.records.get_mut(&row.key) {
            Some(a) => a.row = row,
            None => {
                let key = row.key.clone();
                self.agents.records.insert(key, Agent::stored(row));
            }
        }
    }

    /// A message as stored. One that is new here, to an agent of this
    /// server, is this server's to hand over: typed into its pane if it
    /// asked for that, a reply to whoever here waits for it, and the
    /// inbox's waiters woken.
    fn apply_message(&mut self, m: MessageRow, remote: bool) {
        self.agents.saw_message(m.id);
        let at = self.agents.messages.partition_point(|x| x.id < m.id);
        let new = self.agents.messages.get(at).is_none_or(|x| x.id != m.id);
        let ours = self
            .agents
            .records
            .get(&m.recipient)
            .is_some_and(|a| !self.agents.remote(a) && a.session.is_some());
        let was_queued = match new {
            true => {
                self.agents.messages.insert(at, m.clone());
                false
            }
            false => {
                let old = std::mem::replace(&mut self.agents.messages[at], m.clone());
                old.delivery == "queued"
            }
        };
        if !remote {
            return;
        }
        let (to, id) = (m.recipient.clone(), m.id);
        // A reply goes to whoever waits for it here (threads are named
        // after their first message's id, the same on every host: only
        // the host where the wait is has it); typed in otherwise, once
        // its sender's server says so.
        if new && m.kind == "reply" && self.wake_reply_waiters(&m.thread, &m.sender, &m.body) {
            self.agents.answered.insert(id);
        }
        if !ours {
            return;
        }
        let queued = m.delivery == "queued" && !was_queued;
        let waiting = self.agents.outbox.get(&to).is_some_and(|q| q.contains(&id));
        if queued && !waiting && !self.agents.answered.contains(&id) {
            self.queue_delivery(&to, id);
        }
        if new {
            self.wake_inbox_waiters(&to);
        }
        self.flush_store();
    }
}

/// How long `agent-spawn --host` waits for the other host's answer.
const ANSWER_SECS: f64 = 30.0;

impl State {
    /// agent-spawn --host: the server of `host` runs `argv` for the caller.
    pub fn agent_spawn_on(&mut self, io: &Io, host: &str, argv: Vec<String>) -> CmdResult<Flow> {
        self.agents.ready()?;
        if !self.agents.store_shared() {
            bail!("--host needs a store shared with other hosts (agent-store)");
        }
        if host == self.agents.host {
            bail!("{host} is this host: leave --host out");
        }
        if !self.agents.hosts_up.iter().any(|h| h == host) {
            bail!("host {host} is not connected to the agent store");
        }
        let who = self.who(io);
        let caller = match who {
            Identity::Agent(k) => k.clone(),
            _ if who.is_operator() => "operator".to_string(),
            _ => return Err(refused(who, "spawn agents")),
        };
        self.agents.next_request += 1;
        let id = format!(
            "{}/{}/{}",
            self.agents.host,
            crate::server::pane::now_micros(),
            self.agents.next_request
        );
        self.persist(vec![Op::Request {
            id: id.clone(),
            host: host.to_string(),
            from: self.agents.host.clone(),
            caller,
            argv,
        }]);
        let host = host.to_string();
        Ok(self.park(WaitFor::Answer { id, host }, Some(ANSWER_SECS)))
    }

    /// Another host asks this one to start an agent. Its server vouches
    /// for the caller, who must be one of its own agents (or its
    /// operator): a request never acts as an agent of this host, and runs
    /// nothing but one agent-spawn.
    fn run_request(&mut self, id: String, from: String, caller: String, argv: Vec<String>) {
        let refuse = |s: &mut State, why: String| {
            let op = Op::Answer {
                id: id.clone(),
                host: from.clone(),
                code: 1,
                out: String::new(),
                err: format!("{why}\n"),
            };
            s.persist(vec![op]);
            s.flush_store();
        };
        let who = match caller.as_str() {
            "operator" => Identity::Operator,
            k if self
                .agents
                .records
                .get(k)
                .is_some_and(|a| self.agents.remote(a) && a.row.host == from) =>
            {
                Identity::Agent(k.to_string())
            }
            k => return refuse(self, format!("{k} is not an agent of host {from}")),
        };
        if argv.first().map(String::as_str) != Some("agent-spawn") || argv.iter().any(|a| a == ";")
        {
            return refuse(self, "a host may only ask for agent-spawn".into());
        }
        let items = match commands::parse_argv(&argv) {
            Ok(items) => items,
            Err(e) => return refuse(self, e.to_string()),
        };
        let caller = Caller {
            cwd: self.env.value("HOME").map(str::to_string),
            ..Caller::known(who)
        };
        let q = self.own_queue(items, caller);
        self.agents.answering.insert(q.id, (id, from));
        self.run_queue(q);
    }

    /// A request's command list ended: its output goes back to the host
    /// that asked.
    pub fn answer_request(&mut self, q: Queue) {
        let Some((id, host)) = self.agents.answering.remove(&q.id) else {
            return;
        };
        let code = if q.failed { 1 } else { q.io.status };
        self.persist(vec![Op::Answer {
            id,
            host,
            code,
            out: q.io.out,
            err: q.io.err,
        }]);
        self.flush_store();
    }

    /// The answer to a request of this host's: printed by the command that
    /// waits for it.
    fn take_answer(&mut self, id: &str, code: i32, out: String, err: String) {
        let Some(pos) = self
            .agents
            .waiters
            .iter()
            .position(|w| matches!(&w.what, WaitFor::Answer { id: i, .. } if i == id))
        else {
            return;
        };
        let w = self.agents.waiters.remove(pos);
        let Some(mut q) = self.parked.remove(&w.queue) else {
            return;
        };
        q.io.out.push_str(&out);
        q.io.err.push_str(&err);
        q.io.status = code;
        if code == 1 {
            q.failed = true;
            q.items.clear();
        }
        self.parked.insert(q.id, q);
        self.ready.push_back(w.queue);
    }
}
