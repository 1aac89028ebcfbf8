//! The store's side of every change: writes go to the store's writer
//! thread, and a command list's reply waits until they are on disk.

use crate::server::state::{Queue, State};
use crate::store::Op;

impl State {
    /// Sends changes to the store; the current command list's reply waits
    /// for them.
    pub fn persist(&mut self, ops: Vec<Op>) {
        if ops.is_empty() {
            return;
        }
        let ticket = self.current_queue;
        let Ok(store) = &self.agents.store else {
            return;
        };
        if store.write(ops, ticket) {
            if let Some(q) = ticket {
                *self.agents.pending.entry(q).or_default() += 1;
            }
        } else if let Some(q) = ticket {
            self.agents.failed.insert(
                q,
                format!("agent store {}: writer stopped", store.path.display()),
            );
        }
    }

    /// A command list is done: it finishes now, or once its writes are
    /// stored. Returns it if it can finish now.
    pub fn hold_until_stored(&mut self, mut q: Queue) -> Option<Queue> {
        if self.agents.pending.get(&q.id).copied().unwrap_or(0) > 0 {
            self.agents.finishing.insert(q.id, q);
            return None;
        }
        if let Some(e) = self.agents.failed.remove(&q.id) {
            q.io.err.push_str(&e);
            q.io.err.push('\n');
            q.failed = true;
        }
        Some(q)
    }

    /// The store has a batch on disk (or failed to write it).
    pub fn stored(&mut self, ticket: Option<u64>, error: Option<String>) {
        let Some(q) = ticket else {
            return;
        };
        if let Some(e) = error {
            self.agents.failed.entry(q).or_insert(e);
        }
        let left = match self.agents.pending.get_mut(&q) {
            Some(n) => {
                *n = n.saturating_sub(1);
                *n
            }
            None => 0,
        };
        if left > 0 {
            return;
        }
        self.agents.pending.remove(&q);
        if let Some(queue) = self.agents.finishing.remove(&q) {
            self.finish(queue);
        }
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
}
