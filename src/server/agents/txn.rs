//! The store's side of every change, so that nothing half-written is ever
//! seen. A change is made in memory and its rows go to the store's writer
//! thread in numbered batches (one per command, or per event for changes
//! nobody asked for); the server never waits on the disk. Then:
//!
//! - A command's reply waits until its batches are stored.
//! - What would show a change to anyone else (waking a waiting command,
//!   typing into a pane, hooks, status-line messages) runs only once the
//!   batch that holds the change is stored: `after_commit`.
//! - Agent commands wait while any batch is on its way (the barrier), so
//!   none reads or builds on a change that may yet fail.
//! - When a batch fails, the writer refuses the rest of its epoch, the
//!   server fails every command whose writes were among them, undoes what
//!   they did outside the store (`undo_on_failure`: a session made for an
//!   agent that was never stored), and reads the store again: memory is
//!   then exactly what is on disk.

use super::Agent;
use crate::server::state::{Queue, State};
use crate::store::{self, Op};
use commands::{PaneId, SessionId};
use std::collections::{HashMap, VecDeque};

/// Something to do once a batch is stored (never, if it fails).
pub type Effect = Box<dyn FnOnce(&mut State)>;

/// What to undo outside the store if a batch fails.
#[derive(Debug, Clone, Copy)]
pub enum Undo {
    KillPane(PaneId),
    KillSession(SessionId),
}

#[derive(Default)]
pub struct Txn {
    /// Batches made in this epoch follow a failure of the last one.
    pub epoch: u64,
    /// The number of the last batch sent, and of the last one the writer
    /// has answered for (stored or refused): everything up to it is done.
    pub sent: u64,
    pub stored: u64,
    /// Rows of the batch being made.
    ops: Vec<Op>,
    /// Effects and undos, by the batch they wait for.
    effects: VecDeque<(u64, Effect)>,
    undos: Vec<(u64, Undo)>,
    /// A batch is needed even with no rows: an effect waits for it.
    want: bool,
    /// The batch being made holds a change the command asked for: its
    /// reply waits for it. (The multiplexer's events alone do not.)
    hold: bool,
    /// Rows added now are of that second kind.
    quiet: bool,
    /// The last batch each command list wrote.
    wrote: HashMap<u64, u64>,
    /// Command lists done, replying once this batch is stored.
    finishing: Vec<(u64, Queue)>,
    /// Agent commands waiting for the store to catch up.
    barrier: VecDeque<Queue>,
}

impl Txn {
    /// A new store's numbering, going on from `old`'s: batches the old
    /// store still answers for are then never taken for the new one's.
    pub fn continue_from(&mut self, old: &Txn) {
        self.sent = old.sent;
        self.stored = old.sent;
        self.epoch = old.epoch + 1;
    }

    /// The batch being made: what effects and undos registered now wait for.
    fn next(&self) -> u64 {
        self.sent + 1
    }

    /// Whether a batch is on its way or being made.
    pub fn busy(&self) -> bool {
        self.stored < self.sent || !self.ops.is_empty() || self.want
    }
}

impl State {
    /// Adds rows to the batch being made.
    pub fn persist(&mut self, mut ops: Vec<Op>) {
        if self.agents.store_shared() {
            self.stamp_host(&mut ops);
        }
        if self.agents.store.is_ok() && !ops.is_empty() {
            let txn = &mut self.agents.txn;
            txn.ops.extend(ops);
            txn.hold |= !txn.quiet;
        }
    }

    /// In a shared store every record says which server runs it: a new
    /// one is this server's.
    fn stamp_host(&mut self, ops: &mut [Op]) {
        for op in ops {
            if let Op::Agent(row) = op
                && row.host.is_empty()
            {
                row.host = self.agents.host.clone();
                if let Some(a) = self.agents.records.get_mut(&row.key) {
                    a.row.host = row.host.clone();
                }
            }
        }
    }

    /// Runs `f`, whose changes the current command does not wait for.
    pub fn quietly(&mut self, f: impl FnOnce(&mut State)) {
        let was = std::mem::replace(&mut self.agents.txn.quiet, true);
        f(self);
        self.agents.txn.quiet = was;
    }

    /// Writes the current record of agents `keys`.
    pub fn save_agents(&mut self, keys: &[&str]) {
        let ops = keys
            .iter()
            .filter_map(|k| self.agents.records.get(*k))
            .map(|a| Op::Agent(Box::new(a.row.clone())))
            .collect();
        self.persist(ops);
    }

    /// Runs `f` once what has been changed so far is stored; if it can't
    /// be, never. With no store there is nothing to wait for.
    pub fn after_commit(&mut self, f: impl FnOnce(&mut State) + 'static) {
        if self.agents.store.is_err() {
            f(self);
            return;
        }
        let seq = self.agents.txn.next();
        self.agents.txn.effects.push_back((seq, Box::new(f)));
        self.agents.txn.want = true;
    }

    /// Undoes `u` if what has been changed so far cannot be stored.
    pub fn undo_on_failure(&mut self, u: Undo) {
        let seq = self.agents.txn.next();
        self.agents.txn.undos.push((seq, u));
    }

    /// Sends the batch being made, if any, as the current command list's.
    pub fn flush_store(&mut self) {
        let txn = &mut self.agents.txn;
        if txn.ops.is_empty() && !txn.want {
            return;
        }
        txn.sent += 1;
        txn.want = false;
        let seq = txn.sent;
        let epoch = txn.epoch;
        let ops = std::mem::take(&mut txn.ops);
        if let Some(q) = self.current_queue
            && std::mem::take(&mut txn.hold)
        {
            txn.wrote.insert(q, seq);
        }
        let written = match &self.agents.store {
            Ok(store) => store.write(ops, seq, epoch),
            Err(_) => false,
        };
        if !written {
            self.stored(seq, epoch, Some("the store's writer has stopped".into()));
        }
    }

    /// Whether an agent command must wait for the store first.
    pub fn store_busy(&self) -> bool {
        self.agents.txn.busy()
    }

    /// Parks a command list until the store has caught up.
    pub fn wait_for_store(&mut self, q: Queue) {
        self.agents.txn.barrier.push_back(q);
    }

    /// A command list is done: it replies now, or once its writes are
    /// stored. Returns it if it can reply now.
    pub fn hold_until_stored(&mut self, q: Queue) -> Option<Queue> {
        let txn = &mut self.agents.txn;
        match txn.wrote.get(&q.id) {
            Some(&seq) if seq > txn.stored => {
                txn.finishing.push((seq, q));
                None
            }
            _ => {
                txn.wrote.remove(&q.id);
                Some(q)
            }
        }
    }

    /// A connection closed: its command lists waiting for the store go.
    pub fn store_forget_conn(&mut self, conn: u64) {
        let txn = &mut self.agents.txn;
        txn.barrier.retain(|q| q.conn != Some(conn));
        txn.finishing.retain(|(_, q)| q.conn != Some(conn));
    }

    /// The writer answered for batch `seq`: stored, or not.
    pub fn stored(&mut self, seq: u64, epoch: u64, error: Option<String>) {
        let txn = &mut self.agents.txn;
        txn.stored = txn.stored.max(seq);
        if let Some(e) = error
            && epoch == txn.epoch
        {
            self.store_failed(seq, &e);
        }
        let stored = self.agents.txn.stored;
        while self
            .agents
            .txn
            .effects
            .front()
            .is_some_and(|(s, _)| *s <= stored)
        {
            if let Some((_, f)) = self.agents.txn.effects.pop_front() {
                f(self);
            }
        }
        self.agents.txn.undos.retain(|(s, _)| *s > stored);
        let (done, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.agents.txn.finishing)
            .into_iter()
            .partition(|(s, _)| *s <= stored);
        self.agents.txn.finishing = waiting;
        for (_, q) in done {
            self.finish(q);
        }
        if !self.agents.txn.busy() {
            for q in std::mem::take(&mut self.agents.txn.barrier) {
                self.ready.push_back(q.id);
                self.parked.insert(q.id, q);
            }
        }
    }

    /// Batch `seq` and everything after it in its epoch are not stored:
    /// fail the commands that wrote them, undo what they did outside the
    /// store, and make memory what the store holds.
    fn store_failed(&mut self, seq: u64, error: &str) {
        let why = match &self.agents.store {
            Ok(s) => s.describe(error),
            Err(e) => format!("agent store {}: {error}", e.path),
        };
        let txn = &mut self.agents.txn;
        txn.epoch += 1;
        txn.effects.retain(|(s, _)| *s < seq);
        let undos: Vec<Undo> = txn
            .undos
            .iter()
            .filter(|(s, _)| *s >= seq)
            .map(|(_, u)| *u)
            .collect();
        txn.undos.retain(|(s, _)| *s < seq);
        let failed: Vec<u64> = txn
            .wrote
            .iter()
            .filter(|(_, s)| **s >= seq)
            .map(|(q, _)| *q)
            .collect();
        let mut queues = Vec::new();
        for id in &failed {
            txn.wrote.remove(id);
        }
        let finishing = std::mem::take(&mut txn.finishing);
        for (s, q) in finishing {
            if failed.contains(&q.id) {
                queues.push(q);
            } else {
                txn.finishing.push((s, q));
            }
        }
        let barrier = std::mem::take(&mut txn.barrier);
        for q in barrier {
            if failed.contains(&q.id) {
                queues.push(q);
            } else {
                txn.barrier.push_back(q);
            }
        }
        for id in &failed {
            if let Some(q) = self.parked.remove(id) {
                self.agents.waiters.retain(|w| w.queue != *id);
                self.ready.retain(|r| r != id);
                queues.push(q);
            }
        }
        // A shared store said what it holds for what the batch touched
        // (or is unreachable, and is read again once back).
        if !self.agents.store_shared() {
            self.reload_agents(&why);
        }
        for u in undos {
            match u {
                Undo::KillPane(p) if self.panes.contains_key(&p) => self.destroy_pane(p),
                Undo::KillSession(s) if self.sessions.contains_key(&s) => self.destroy_session(s),
                _ => {}
            }
        }
        for mut q in queues {
            q.failed = true;
            q.items.clear();
            q.io.err.push_str(&why);
            q.io.err.push('\n');
            self.agents.end_after.remove(&q.id);
            self.reply(q);
        }
        self.redraw_all();
    }

    /// Makes the agent layer's memory what the store holds, keeping what
    /// is not stored: which session and pane each agent lives in.
    fn reload_agents(&mut self, why: &str) {
        let Some(path) = self
            .agents
            .store
            .as_ref()
            .ok()
            .and_then(|s| s.path())
            .map(|p| p.to_path_buf())
        else {
            return;
        };
        let loaded = match store::load_path(&path) {
            Ok(l) => l,
            Err(e) => {
                // Memory can no longer be trusted to match the store: stop
                // using the store rather than build on a guess.
                self.agents.store = Err(store::StoreError {
                    path: path.display().to_string(),
                    reason: format!("{why}; reading it again failed: {}", e.reason),
                });
                return;
            }
        };
        for key in self.adopt_loaded(loaded) {
            if let Some(a) = self.agents.records.get_mut(&key) {
                mark_lost(a);
                let op = Op::Agent(Box::new(a.row.clone()));
                self.persist(vec![op]);
            }
        }
    }

    /// Takes what the store holds as the agent layer's memory, keeping
    /// what is not stored: which session and pane each of this server's
    /// agents lives in, and the deliveries of messages still stored.
    /// Returns this server's agents the store has as running whose
    /// sessions are gone: lost, as after a crash.
    pub fn adopt_loaded(&mut self, loaded: store::Loaded) -> Vec<String> {
        let runtime: HashMap<String, (Option<SessionId>, Option<PaneId>)> = self
            .agents
            .records
            .values()
            .map(|a| (a.row.key.clone(), (a.session, a.home)))
            .collect();
        self.agents.apply_loaded(loaded);
        self.agents.by_session.clear();
        self.agents.by_pane.clear();
        let mut lost = Vec::new();
        let host = self.agents.host.clone();
        for (key, a) in self.agents.records.iter_mut() {
            // Another host's agent runs there.
            if !a.row.host.is_empty() && a.row.host != host {
                continue;
            }
            match runtime.get(key) {
                // A teammate is its pane's, not its session's.
                Some((Some(s), Some(home))) if a.row.mode == super::teammates::MODE => {
                    if self.panes.contains_key(home) {
                        a.session = Some(*s);
                        a.home = Some(*home);
                        self.agents.by_pane.insert(*home, key.clone());
                    } else {
                        lost.push(key.clone());
                    }
                }
                Some((Some(s), home)) if self.sessions.contains_key(s) => {
                    a.session = Some(*s);
                    a.home = *home;
                    self.agents.by_session.insert(*s, key.clone());
                }
                _ => lost.push(key.clone()),
            }
        }
        let messages: std::collections::HashSet<u64> =
            self.agents.messages.iter().map(|m| m.id).collect();
        for q in self.agents.outbox.values_mut() {
            q.retain(|m| messages.contains(m));
        }
        self.agents
            .delivering
            .retain(|_, d| messages.contains(&d.message));
        lost.retain(|k| {
            self.agents
                .records
                .get(k)
                .is_some_and(|a| !a.status().ended())
        });
        lost
    }
}

/// An agent whose session is gone without it ending: lost.
pub fn mark_lost(a: &mut Agent) {
    a.set_status(commands::agent::Status::Lost);
    if a.row.reason.is_empty() {
        a.row.reason = "server stopped".into();
    }
    if a.row.ended == 0 {
        a.row.ended = crate::server::pane::now_micros();
    }
}
