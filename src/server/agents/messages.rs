//! Messages between agents: a durable inbox per agent, threads that
//! alternate between two parties up to a round limit, and replies that wake
//! a waiting sender. Typing them into the recipient's pane is delivery.rs's.

use super::Act;
use super::authority::refused;
use super::spawn::WaitFor;
use crate::server::pane::now_micros;
use crate::server::state::State;
use crate::store::{MessageRow, Op};
use commands::agent::{MessageView, SendSpec};
use commands::host::{Identity, Io};
use commands::{CmdResult, Flow, bail};

/// The reply that ends a thread.
pub const REPLY_SKIP: &str = "REPLY_SKIP";

pub fn view(m: &MessageRow) -> MessageView {
    MessageView {
        id: m.id,
        thread: m.thread.clone(),
        from: m.sender.clone(),
        to: m.recipient.clone(),
        body: m.body.clone(),
        time: m.time / 1_000_000,
        kind: m.kind.clone(),
        read: m.read,
        delivered: m.delivered,
        actor: m.actor.clone(),
        delivery: m.delivery.clone(),
        note: m.note.clone(),
        host: Some(m.host.clone()).filter(|h| !h.is_empty()),
    }
}

impl State {
    /// Whether an agent's type has its messages typed into its pane. A
    /// teammate is an interactive Claude Code: it reads what is typed,
    /// unless a type of its kind says otherwise.
    fn takes_typed_messages(&self, key: &str) -> bool {
        let Some(a) = self.agents.records.get(key) else {
            return false;
        };
        match self.agent_type_for(a.row.parent.as_deref().unwrap_or(""), &a.row.kind) {
            Some(t) => t.inject,
            None => a.row.mode == super::teammates::MODE,
        }
    }

    fn thread_messages(&self, thread: &str) -> Vec<&MessageRow> {
        self.agents
            .messages
            .iter()
            .filter(|m| m.thread == thread && m.kind != "result")
            .collect()
    }

    /// Checks that `from` may add to `thread` now: a party, in turn, the
    /// thread open and under agent-max-rounds. Returns the other party.
    fn thread_turn(&self, thread: &str, from: &str) -> CmdResult<String> {
        let msgs = self.thread_messages(thread);
        let Some(first) = msgs.first() else {
            bail!("can't find thread: {thread}");
        };
        let other = if first.sender == from {
            first.recipient.clone()
        } else if first.recipient == from {
            first.sender.clone()
        } else {
            bail!("{from} is not in thread {thread}");
        };
        let last = msgs.last().copied().unwrap_or(first);
        if last.kind == "reply" && last.body == REPLY_SKIP {
            bail!("thread {thread} has ended ({REPLY_SKIP})");
        }
        if last.sender == from {
            bail!("not {from}'s turn on {thread}: waiting for {other}");
        }
        // A round is a message from the thread's starter and its answer.
        let max = self.server_num("agent-max-rounds");
        let rounds = msgs.iter().filter(|m| m.sender == first.sender).count() as u64;
        if from == first.sender && rounds >= max {
            bail!("thread {thread} is over: agent-max-rounds is {max}");
        }
        Ok(other)
    }

    /// Refuses text past agent-message-max: no agent fills the disk (or
    /// another's screen) through one message, task or result.
    pub fn check_text_size(&self, what: &str, text: &str) -> CmdResult {
        let max = self.server_num("agent-message-max").max(1) as usize;
        if text.len() > max {
            bail!(
                "{what} too long: {} bytes (agent-message-max is {max})",
                text.len()
            );
        }
        Ok(())
    }

    /// Refuses a message to an agent past its limits.
    fn check_recipient(&self, to: &str) -> CmdResult {
        let Some(a) = self.agents.records.get(to) else {
            bail!("can't find agent: {to}");
        };
        if !self.agents.running(a) {
            bail!("{to} is not running ({})", a.status().as_str());
        }
        if a.row.depth > 0 {
            let turns = self.server_num("agent-max-turns");
            if a.row.turns >= turns {
                bail!("{to} has had its turns: agent-max-turns is {turns}");
            }
            let tokens = self.server_num("agent-max-tokens");
            if a.row.tokens > tokens {
                bail!(
                    "{to} is over its tokens: agent-max-tokens is {tokens} and it used {}",
                    a.row.tokens
                );
            }
            if let Some(max) = self.max_cost_micros()
                && a.row.cost_micros > max
            {
                bail!(
                    "{to} is over its cost: agent-max-cost is {} and it spent {}",
                    crate::server::formats::dollars(max),
                    crate::server::formats::dollars(a.row.cost_micros)
                );
            }
        }
        Ok(())
    }

    fn store_message(
        &mut self,
        thread: String,
        from: &str,
        to: &str,
        body: &str,
        kind: &str,
    ) -> u64 {
        let id = self.agents.new_message_id();
        let thread = if thread.is_empty() {
            format!("t{id}")
        } else {
            thread
        };
        let row = MessageRow {
            id,
            thread,
            sender: from.to_string(),
            recipient: to.to_string(),
            body: body.to_string(),
            time: now_micros(),
            kind: kind.to_string(),
            read: false,
            delivered: false,
            actor: from.to_string(),
            delivery: String::new(),
            note: String::new(),
            host: self.agents.host.clone(),
        };
        self.agents.messages.push(row.clone());
        if let Some(a) = self.agents.records.get_mut(to) {
            a.row.turns += 1;
            a.row.interactions += 1;
        }
        self.persist(vec![Op::Message(row)]);
        self.save_agents(&[to]);
        self.wake_inbox_waiters(to);
        let kind_word = if kind == "reply" { "reply" } else { "sent" };
        let thread = self
            .agents
            .messages
            .last()
            .map_or(String::new(), |m| m.thread.clone());
        let data = serde_json::json!({"id": id, "thread": thread, "from": from, "to": to});
        self.emit(kind_word, to, from, &format!("#{id} [{thread}]"), data);
        self.run_hooks("agent-message", to, body);
        id
    }

    pub fn agent_send(&mut self, io: &mut Io, to: &str, spec: SendSpec) -> CmdResult<Flow> {
        let who = self.who(io);
        if let Identity::Unknown(_) = who {
            return Err(refused(who, "send messages"));
        }
        let from = who.name();
        self.check_text_size("message", &spec.body)?;
        if let Err(e) = self.check_recipient(to) {
            self.limit_refused(to, &from, "message", &e.0);
            return Err(e);
        }
        if from == to {
            bail!("{to} may not send to itself");
        }
        let thread = match &spec.thread {
            Some(t) => {
                let other = self.thread_turn(t, &from)?;
                if other != to {
                    bail!("thread {t} is between {from} and {other}, not {to}");
                }
                t.clone()
            }
            None => String::new(),
        };
        let id = self.store_message(thread, &from, to, &spec.body, "message");
        let thread = self
            .agents
            .messages
            .last()
            .map_or(String::new(), |m| m.thread.clone());
        let inject = spec.inject.unwrap_or_else(|| self.takes_typed_messages(to));
        if inject {
            let to = to.to_string();
            self.after_commit(move |s| s.queue_delivery(&to, id));
        }
        match spec.wait {
            Some(secs) => Ok(self.park(
                WaitFor::Reply {
                    thread,
                    from: to.to_string(),
                    id,
                    json: spec.json,
                },
                Some(secs),
            )),
            None if spec.quiet => Ok(Flow::Continue),
            None if spec.json => {
                let out = serde_json::json!({"thread": thread, "id": id, "status": "sent"});
                io.print(&out.to_string());
                Ok(Flow::Continue)
            }
            None => {
                io.print(&thread);
                Ok(Flow::Continue)
            }
        }
    }

    pub fn agent_reply(
        &mut self,
        io: &Io,
        key: Option<&str>,
        thread: &str,
        body: &str,
    ) -> CmdResult {
        let who = self.who(io).clone();
        if let Identity::Unknown(_) = who {
            return Err(refused(&who, "reply to messages"));
        }
        // A reply is always the caller's own: naming another is refused,
        // the operator's included.
        if let Some(k) = key
            && k != who.name()
        {
            self.authorize(&who, Act::Reply, k)?;
        }
        let from = who.name();
        self.check_text_size("reply", body)?;
        let to = self.thread_turn(thread, &from)?;
        let id = self.store_message(thread.to_string(), &from, &to, body, "reply");
        // Answering a thread reads what it answers.
        let answered: Vec<u64> = self
            .agents
            .messages
            .iter()
            .filter(|m| m.thread == thread && m.recipient == from && !m.read)
            .map(|m| m.id)
            .collect();
        self.mark_read(&answered);
        let (thread, body) = (thread.to_string(), body.to_string());
        self.after_commit(move |s| {
            if !s.wake_reply_waiters(&thread, &from, &body)
                && body != REPLY_SKIP
                && s.takes_typed_messages(&to)
            {
                s.queue_delivery(&to, id);
            }
        });
        Ok(())
    }

    /// Hands a reply to a sender waiting for it; false if none was.
    pub(super) fn wake_reply_waiters(&mut self, thread: &str, from: &str, body: &str) -> bool {
        let Some(pos) = self.agents.waiters.iter().position(|w| {
            matches!(&w.what, WaitFor::Reply { thread: t, from: f, .. } if t == thread && f == from)
        }) else {
            return false;
        };
        let w = self.agents.waiters.remove(pos);
        let Some(mut q) = self.parked.remove(&w.queue) else {
            return false;
        };
        match w.what {
            WaitFor::Reply { id, json: true, .. } => {
                let out = serde_json::json!({
                    "thread": thread, "id": id, "status": "replied", "reply": body,
                });
                q.io.print(&out.to_string());
            }
            _ => q.io.print(body),
        }
        self.parked.insert(q.id, q);
        self.ready.push_back(w.queue);
        // The waiter read it.
        let read: Vec<u64> = self
            .agents
            .messages
            .iter()
            .rev()
            .find(|m| m.thread == thread && m.sender == from)
            .map(|m| m.id)
            .into_iter()
            .collect();
        self.mark_read(&read);
        true
    }

    pub fn agent_inbox(&self, io: &Io, key: &str) -> CmdResult<Vec<MessageView>> {
        self.authorize(self.who(io), Act::ReadInbox, key)?;
        Ok(self
            .agents
            .messages
            .iter()
            .filter(|m| m.recipient == key)
            .map(view)
            .collect())
    }

    /// Prints (and with `mark` marks read) an agent's unread messages.
    fn take_unread(&mut self, key: &str, mark: bool, json: bool, io: &mut Io) -> bool {
        let unread: Vec<MessageView> = self
            .agents
            .messages
            .iter()
            .filter(|m| m.recipient == key && !m.read)
            .map(view)
            .collect();
        if unread.is_empty() {
            return false;
        }
        commands::agent_inbox::print_messages(io, &unread, json);
        if mark {
            let ids: Vec<u64> = unread.iter().map(|m| m.id).collect();
            self.mark_read(&ids);
        }
        true
    }

    pub fn agent_inbox_wait(
        &mut self,
        io: &mut Io,
        key: &str,
        secs: f64,
        mark: bool,
        json: bool,
    ) -> CmdResult<Flow> {
        let who = self.who(io).clone();
        self.authorize(&who, Act::ReadInbox, key)?;
        if mark {
            self.authorize(&who, Act::Ack, key)?;
        }
        if self.take_unread(key, mark, json, io) {
            return Ok(Flow::Continue);
        }
        let what = WaitFor::Inbox {
            key: key.to_string(),
            mark,
            json,
        };
        Ok(self.park(what, Some(secs)))
    }

    /// Wakes commands waiting for an agent's messages, once what they will
    /// read is stored.
    pub fn wake_inbox_waiters(&mut self, key: &str) {
        let key = key.to_string();
        self.after_commit(move |s| s.wake_inbox_now(&key));
    }

    fn wake_inbox_now(&mut self, key: &str) {
        while let Some(pos) = self
            .agents
            .waiters
            .iter()
            .position(|w| matches!(&w.what, WaitFor::Inbox { key: k, .. } if k == key))
        {
            let w = self.agents.waiters.remove(pos);
            let WaitFor::Inbox { mark, json, .. } = w.what else {
                continue;
            };
            let Some(mut q) = self.parked.remove(&w.queue) else {
                continue;
            };
            self.take_unread(key, mark, json, &mut q.io);
            self.parked.insert(q.id, q);
            self.ready.push_back(w.queue);
        }
    }

    pub fn agent_ack(&mut self, io: &Io, key: &str, id: u64) -> CmdResult {
        self.authorize(self.who(io), Act::Ack, key)?;
        if !self
            .agents
            .messages
            .iter()
            .any(|m| m.id == id && m.recipient == key)
        {
            bail!("no message {id} in {key}'s inbox");
        }
        self.mark_read(&[id]);
        Ok(())
    }

    /// Marks messages read, each an event of its recipient's.
    pub fn mark_read(&mut self, ids: &[u64]) {
        let mut read = Vec::new();
        for m in self.agents.messages.iter_mut() {
            if ids.contains(&m.id) && !m.read {
                m.read = true;
                read.push(m.clone());
            }
        }
        for m in read {
            let detail = format!("#{} from {}", m.id, m.sender);
            let data = serde_json::json!({"id": m.id, "thread": m.thread, "from": m.sender});
            let to = m.recipient.clone();
            self.persist(vec![Op::Message(m)]);
            self.emit("read", &to, "", &detail, data);
        }
    }
}
