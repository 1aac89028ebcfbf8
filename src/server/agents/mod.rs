//! The agent layer: agent records on sessions, coordination groups and
//! their shared context, kept in memory and stored through the store.
//!
//! A change is made in memory at once and sent to the store; the reply to
//! the command list that made it waits until the store has it on disk
//! (see `persist` and `State::finish`), so a command that said it succeeded
//! is never lost to a crash.

mod history;
mod messages;
mod spawn;

use crate::server::state::{Queue, State};
use crate::store::{self, AgentRow, EntryRow, GroupRow, Op, Store, StoreError};
use commands::agent::{
    AgentChange, AgentSpec, AgentView, ContextEntry, GroupView, ShareOp, Status,
};
use commands::host::Io;
use commands::{CmdError, CmdResult, PaneId, SessionId, TargetKind, bail};
use std::collections::{BTreeMap, HashMap};

/// An agent: its stored record and where it lives now.
pub struct Agent {
    pub row: AgentRow,
    /// Its session while it has one.
    pub session: Option<SessionId>,
    /// The pane its program runs in: its output makes it active or idle.
    pub home: Option<PaneId>,
    /// An idle check is scheduled.
    pub idle_timer: bool,
}

impl Agent {
    pub fn status(&self) -> Status {
        Status::parse(&self.row.status).unwrap_or(Status::Lost)
    }

    fn set_status(&mut self, s: Status) {
        self.row.status = s.as_str().to_string();
    }
}

pub struct Group {
    pub row: GroupRow,
    pub context: BTreeMap<String, EntryRow>,
}

impl Group {
    /// Bytes of its context: keys and values.
    pub fn bytes(&self) -> usize {
        self.context
            .values()
            .map(|e| e.key.len() + value_bytes(&e.value))
            .sum()
    }
}

/// The size of a stored value as its writer gave it: a string's own bytes,
/// other JSON as text.
fn value_bytes(json: &str) -> usize {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::String(s)) => s.len(),
        _ => json.len(),
    }
}

pub struct Agents {
    pub store: Result<Store, StoreError>,
    pub records: BTreeMap<String, Agent>,
    pub by_session: HashMap<SessionId, String>,
    pub groups: BTreeMap<String, Group>,
    /// Store writes not yet on disk, per command list.
    pending: HashMap<u64, usize>,
    /// The first store error seen by a command list.
    failed: HashMap<u64, String>,
    /// Command lists done but waiting for their writes.
    pub finishing: HashMap<u64, Queue>,
    pub types: BTreeMap<String, commands::agent::AgentType>,
    /// Every message kept, in order.
    pub messages: Vec<store::MessageRow>,
    pub next_message: u64,
    pub events: Vec<store::EventRow>,
    pub next_event: u64,
    /// Commands waiting for replies or for children.
    pub waiters: Vec<spawn::Waiter>,
    pub next_waiter: u64,
    /// Sessions of runs to remove once a command list has replied.
    pub end_after: HashMap<u64, Vec<SessionId>>,
    /// Messages waiting to be typed into an agent's pane, and the one
    /// being typed.
    pub outbox: HashMap<String, std::collections::VecDeque<u64>>,
    pub delivering: HashMap<String, messages::Delivery>,
}

fn now() -> u64 {
    crate::server::pane::now_micros() / 1_000_000
}

fn store_err(e: &StoreError) -> CmdError {
    CmdError::new(e.to_string())
}

impl Agents {
    /// Opens the store beside the socket and reads it. Agents that were
    /// running when the server stopped have no session now: they are lost.
    pub fn open(socket: &std::path::Path, done: store::Done) -> (Agents, Vec<Op>) {
        let mut a = Agents {
            store: Err(StoreError {
                path: String::new(),
                reason: String::new(),
            }),
            records: BTreeMap::new(),
            by_session: HashMap::new(),
            groups: BTreeMap::new(),
            pending: HashMap::new(),
            failed: HashMap::new(),
            finishing: HashMap::new(),
            types: spawn::builtin_types()
                .into_iter()
                .map(|t| (t.name.clone(), t))
                .collect(),
            messages: Vec::new(),
            next_message: 1,
            events: Vec::new(),
            next_event: 1,
            waiters: Vec::new(),
            next_waiter: 1,
            end_after: HashMap::new(),
            outbox: HashMap::new(),
            delivering: HashMap::new(),
        };
        let mut fixes = Vec::new();
        match store::open(&store::path_for(socket), done) {
            Err(e) => a.store = Err(e),
            Ok((s, loaded)) => {
                a.store = Ok(s);
                for g in loaded.groups {
                    let group = Group {
                        row: g,
                        context: BTreeMap::new(),
                    };
                    a.groups.insert(group.row.name.clone(), group);
                }
                for e in loaded.entries {
                    if let Some(g) = a.groups.get_mut(&e.group) {
                        g.context.insert(e.key.clone(), e);
                    }
                }
                a.next_message = loaded.messages.last().map_or(1, |m| m.id + 1);
                a.next_event = loaded.events.last().map_or(1, |e| e.id + 1);
                a.messages = loaded.messages;
                a.events = loaded.events;
                for row in loaded.agents {
                    let mut agent = Agent {
                        row,
                        session: None,
                        home: None,
                        idle_timer: false,
                    };
                    if !agent.status().ended() {
                        agent.set_status(Status::Lost);
                        agent.row.reason = "server stopped".into();
                        if agent.row.ended == 0 {
                            agent.row.ended = crate::server::pane::now_micros();
                        }
                        fixes.push(Op::Agent(Box::new(agent.row.clone())));
                    }
                    a.records.insert(agent.row.key.clone(), agent);
                }
            }
        }
        (a, fixes)
    }

    pub fn ready(&self) -> CmdResult<&Store> {
        self.store.as_ref().map_err(store_err)
    }

    pub fn members(&self, group: &str) -> impl Iterator<Item = &Agent> {
        self.records
            .values()
            .filter(move |a| a.row.group.as_deref() == Some(group))
    }

    fn view(&self, a: &Agent) -> AgentView {
        let r = &a.row;
        AgentView {
            key: r.key.clone(),
            session: r.session_name.clone(),
            session_id: a.session.map(|s| s.to_string()),
            kind: r.kind.clone(),
            objective: r.objective.clone(),
            role: r.role.clone(),
            status: a.status(),
            created: r.created / 1_000_000,
            activity: r.activity,
            tasks_completed: r.tasks,
            interactions: r.interactions,
            group: r.group.clone(),
            coordinator: r.coordinator,
            parent: r.parent.clone(),
            mode: r.mode.clone(),
            depth: r.depth,
            result: r.result.clone(),
            reason: r.reason.clone(),
            tokens: r.tokens,
            turns: r.turns,
        }
    }
}

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

    pub fn agent_of_session(&self, s: SessionId) -> Option<&Agent> {
        let key = self.agents.by_session.get(&s)?;
        self.agents.records.get(key)
    }

    /// A key from a session name, made unique among the records.
    fn new_key(&self, name: &str) -> String {
        let base = format!("agent:{name}");
        if !self.agents.records.contains_key(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|k| !self.agents.records.contains_key(k))
            .unwrap_or(base)
    }

    pub fn agent_ready(&self, session: Option<SessionId>) -> CmdResult {
        self.agents.ready()?;
        if let Some(s) = session
            && let Some(a) = self.agent_of_session(s)
        {
            bail!(
                "session {} is already an agent: {}",
                a.row.session_name,
                a.row.key
            );
        }
        Ok(())
    }

    pub fn make_agent(&mut self, home: PaneId, spec: AgentSpec) -> CmdResult {
        self.prune_agents();
        let Some(f) = self.found_pane(home) else {
            bail!("can't find pane: {home}");
        };
        self.agent_ready(Some(f.session))?;
        let name = self
            .sessions
            .get(&f.session)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let key = self.new_key(&name);
        let t = now();
        let row = AgentRow {
            key: key.clone(),
            session_name: name,
            kind: spec.kind,
            objective: spec.objective,
            role: String::new(),
            status: Status::Active.as_str().to_string(),
            status_explicit: false,
            created: crate::server::pane::now_micros(),
            activity: t,
            tasks: 0,
            interactions: 0,
            group: None,
            coordinator: false,
            joined: 0,
            parent: None,
            ..AgentRow::default()
        };
        self.agents.records.insert(
            key.clone(),
            Agent {
                row,
                session: Some(f.session),
                home: Some(home),
                idle_timer: false,
            },
        );
        self.agents.by_session.insert(f.session, key.clone());
        self.save_agents(&[&key]);
        self.schedule_agent_idle(&key);
        Ok(())
    }

    /// The pane the caller's process runs in, found from its process id
    /// and its ancestors: what its environment says is not trusted.
    pub fn verified_pane(&self, io: &Io) -> Option<PaneId> {
        let pid = io.caller.pid?;
        let panes: HashMap<u32, PaneId> = self.panes.values().map(|p| (p.io.pid, p.id)).collect();
        let mut cur = pid;
        for _ in 0..64 {
            if let Some(p) = panes.get(&cur) {
                return Some(*p);
            }
            cur = parent_pid(cur)?;
            if cur <= 1 {
                return None;
            }
        }
        None
    }

    /// Who is calling, for the writer of shared context and the sender of
    /// messages: the agent of the pane it runs in, that pane, or `user`.
    pub fn caller_identity(&self, io: &Io) -> String {
        if let Some(p) = self.verified_pane(io) {
            return match self
                .found_pane(p)
                .and_then(|f| self.agent_of_session(f.session))
            {
                Some(a) => a.row.key.clone(),
                None => p.to_string(),
            };
        }
        // Outside the server's panes is the person or script driving it:
        // one identity, so that its threads hold together across commands.
        "user".to_string()
    }

    pub fn agent_key(&self, io: &Io, target: Option<&str>) -> CmdResult<String> {
        self.agents.ready()?;
        let session = match target {
            Some(t) if t.starts_with("agent:") => {
                return match self.agents.records.contains_key(t) {
                    true => Ok(t.to_string()),
                    false => Err(CmdError::new(format!("can't find agent: {t}"))),
                };
            }
            Some(t) => match self.resolve(io, Some(t), TargetKind::Session) {
                Ok(f) => f.session,
                Err(e) => {
                    // An agent whose session is gone, by its session's name.
                    let name = t.trim_start_matches('=').trim_end_matches(':');
                    return self
                        .agents
                        .records
                        .values()
                        .filter(|a| a.session.is_none() && a.row.session_name == name)
                        .map(|a| a.row.key.clone())
                        .next_back()
                        .ok_or(e);
                }
            },
            None => match self.verified_pane(io).and_then(|p| self.found_pane(p)) {
                // Inside a pane, the caller is that pane's agent, whatever
                // its environment says.
                Some(f) => f.session,
                None => match self.current(io) {
                    Some(f) => f.session,
                    None => bail!("no current agent"),
                },
            },
        };
        match self.agents.by_session.get(&session) {
            Some(k) => Ok(k.clone()),
            None => {
                let name = self
                    .sessions
                    .get(&session)
                    .map_or(String::new(), |s| s.name.clone());
                bail!("session {name} is not an agent")
            }
        }
    }

    pub fn agent_view(&self, key: &str) -> Option<AgentView> {
        self.agents.records.get(key).map(|a| self.agents.view(a))
    }

    pub fn agent_views(&self) -> Vec<AgentView> {
        let mut v: Vec<&Agent> = self.agents.records.values().collect();
        v.sort_by(|a, b| (a.row.created, &a.row.key).cmp(&(b.row.created, &b.row.key)));
        v.into_iter().map(|a| self.agents.view(a)).collect()
    }

    pub fn set_agent(&mut self, key: &str, c: AgentChange) -> CmdResult {
        self.agents.ready()?;
        let Some(a) = self.agents.records.get_mut(key) else {
            bail!("can't find agent: {key}");
        };
        if let Some(o) = c.objective {
            a.row.objective = o;
        }
        if let Some(r) = c.role {
            a.row.role = r;
        }
        if let Some(s) = c.status {
            a.set_status(s);
            // Active and idle are the automatic states: setting one hands
            // the status back to the pane's output.
            a.row.status_explicit = !matches!(s, Status::Active | Status::Idle);
        }
        if c.task_done {
            a.row.tasks += 1;
        }
        if c.interaction {
            a.row.interactions += 1;
        }
        if let Some(n) = c.tokens {
            a.row.tokens = a.row.tokens.saturating_add(n);
        }
        let status_changed = c.status.map(|s| s.as_str().to_string());
        a.row.activity = now();
        self.save_agents(&[key]);
        if let Some(s) = status_changed {
            self.agent_event(key, "status", &s);
            self.run_hooks("agent-status-changed", key, &s);
        }
        self.schedule_agent_idle(key);
        self.redraw_all();
        Ok(())
    }

    pub fn coordinator_of(&self, group: &str) -> Option<&Agent> {
        self.agents.members(group).find(|a| a.row.coordinator)
    }

    pub fn agent_join(&mut self, key: &str, group: &str, want: bool, force: bool) -> CmdResult {
        self.agents.ready()?;
        self.prune_groups();
        let Some(me) = self.agents.records.get(key) else {
            bail!("can't find agent: {key}");
        };
        match me.row.group.as_deref() {
            Some(g) if g != group => bail!("{key} is already in group {g}: leave it first"),
            Some(_) if !want || me.row.coordinator => return Ok(()),
            Some(_) => {}
            None => {
                let max = self.server_num("max-peers").max(1) as usize;
                let members = self.agents.members(group).count();
                if members >= max {
                    bail!("group {group} is full: max-peers is {max}");
                }
            }
        }
        let coordinator = self
            .coordinator_of(group)
            .map(|c| (c.row.key.clone(), c.session.is_some()));
        let mut changed = vec![key.to_string()];
        let take = match &coordinator {
            None => true,
            Some((c, alive)) if want => {
                if *alive && !force {
                    bail!("group {group} has a coordinator: {c} (-f takes over)");
                }
                true
            }
            Some(_) => false,
        };
        if take && let Some((c, _)) = coordinator {
            if let Some(old) = self.agents.records.get_mut(&c) {
                old.row.coordinator = false;
            }
            changed.push(c);
        }
        let t = now();
        let joined = crate::server::pane::now_micros();
        if let Some(me) = self.agents.records.get_mut(key) {
            if me.row.group.is_none() {
                me.row.joined = joined;
            }
            me.row.group = Some(group.to_string());
            me.row.coordinator |= take;
            me.row.activity = t;
        }
        let g = self
            .agents
            .groups
            .entry(group.to_string())
            .or_insert_with(|| Group {
                row: GroupRow {
                    name: group.to_string(),
                    created: t,
                    emptied: None,
                },
                context: BTreeMap::new(),
            });
        g.row.emptied = None;
        let group_op = Op::Group(g.row.clone());
        let keys: Vec<&str> = changed.iter().map(String::as_str).collect();
        self.save_agents(&keys);
        self.persist(vec![group_op]);
        self.redraw_all();
        Ok(())
    }

    pub fn agent_leave(&mut self, key: &str) -> CmdResult {
        self.agents.ready()?;
        let Some(me) = self.agents.records.get(key) else {
            bail!("can't find agent: {key}");
        };
        let Some(group) = me.row.group.clone() else {
            bail!("{key} is not in a group");
        };
        self.leave(key, &group);
        Ok(())
    }

    /// Takes an agent out of its group: the coordinator role passes to the
    /// member there longest (a live one if there is), and a group left
    /// empty keeps its context for agent-history-limit seconds.
    fn leave(&mut self, key: &str, group: &str) {
        let was_coordinator = self
            .agents
            .records
            .get_mut(key)
            .map(|a| {
                let c = a.row.coordinator;
                a.row.group = None;
                a.row.coordinator = false;
                a.row.joined = 0;
                c
            })
            .unwrap_or(false);
        let mut changed = vec![key.to_string()];
        if was_coordinator {
            let next = self
                .agents
                .members(group)
                .min_by_key(|a| (a.session.is_none(), a.row.joined, a.row.key.clone()))
                .map(|a| a.row.key.clone());
            if let Some(n) = next {
                if let Some(a) = self.agents.records.get_mut(&n) {
                    a.row.coordinator = true;
                }
                changed.push(n);
            }
        }
        let keys: Vec<&str> = changed.iter().map(String::as_str).collect();
        self.save_agents(&keys);
        if self.agents.members(group).next().is_none()
            && let Some(g) = self.agents.groups.get_mut(group)
        {
            g.row.emptied = Some(now());
            let op = Op::Group(g.row.clone());
            self.persist(vec![op]);
        }
        self.redraw_all();
    }

    pub fn agent_forget(&mut self, key: &str) -> CmdResult {
        self.agents.ready()?;
        let Some(a) = self.agents.records.get(key) else {
            bail!("can't find agent: {key}");
        };
        if let Some(g) = a.row.group.clone() {
            self.leave(key, &g);
        }
        if let Some(a) = self.agents.records.remove(key)
            && let Some(s) = a.session
        {
            self.agents.by_session.remove(&s);
        }
        self.persist(vec![Op::ForgetAgent(key.to_string())]);
        self.redraw_all();
        Ok(())
    }

    /// Drops groups left empty longer than agent-history-limit seconds.
    fn prune_groups(&mut self) {
        let keep = self.server_num("agent-history-limit");
        let t = now();
        let old: Vec<String> = self
            .agents
            .groups
            .values()
            .filter(|g| g.row.emptied.is_some_and(|e| t.saturating_sub(e) >= keep))
            .map(|g| g.row.name.clone())
            .collect();
        for name in old {
            if self.agents.members(&name).next().is_none() {
                self.agents.groups.remove(&name);
                self.persist(vec![Op::DropGroup(name)]);
            }
        }
    }

    pub fn group_views(&mut self) -> Vec<GroupView> {
        self.prune_groups();
        // A group with no members is not listed; its context is kept for a
        // while in case members come back.
        self.agents
            .groups
            .values()
            .filter(|g| self.agents.members(&g.row.name).next().is_some())
            .map(|g| GroupView {
                name: g.row.name.clone(),
                members: self.agents.members(&g.row.name).count(),
                coordinator: self.coordinator_of(&g.row.name).map(|a| a.row.key.clone()),
                context_keys: g.context.len(),
                context_bytes: g.bytes(),
                created: g.row.created,
            })
            .collect()
    }

    pub fn group_delete(&mut self, group: &str) -> CmdResult {
        self.agents.ready()?;
        if !self.agents.groups.contains_key(group) {
            bail!("can't find group: {group}");
        }
        let n = self.agents.members(group).count();
        if n > 0 {
            bail!("group {group} has {n} members: they must leave first");
        }
        self.agents.groups.remove(group);
        self.persist(vec![Op::DropGroup(group.to_string())]);
        Ok(())
    }

    pub fn share(
        &mut self,
        io: &Io,
        key: &str,
        group: &str,
        ops: Vec<ShareOp>,
        if_version: Option<u64>,
    ) -> CmdResult {
        self.agents.ready()?;
        let Some(me) = self.agents.records.get(key) else {
            bail!("can't find agent: {key}");
        };
        if me.row.group.as_deref() != Some(group) {
            bail!("{key} is not a member of group {group}");
        }
        let key_max = self.server_num("agent-key-max").max(1) as usize;
        let value_max = self.server_num("agent-value-max").max(1) as usize;
        let group_max = self.server_num("agent-context-max").max(1) as usize;
        let writer = self.caller_identity(io);
        let Some(g) = self.agents.groups.get(group) else {
            bail!("can't find group: {group}");
        };
        // Check everything first: a list of changes is made whole or not
        // at all.
        let mut size = g.bytes() as i64;
        let mut rows = Vec::new();
        let t = now();
        for op in &ops {
            let (k, value) = match op {
                ShareOp::Set { key, value } => (key, Some(value)),
                ShareOp::Delete { key } => (key, None),
            };
            if k.is_empty() || k.chars().any(char::is_control) {
                bail!("invalid key: {k:?}");
            }
            if k.len() > key_max {
                bail!(
                    "key too long: {} bytes (agent-key-max is {key_max})",
                    k.len()
                );
            }
            let current = g.context.get(k);
            let version = current.map_or(0, |e| e.version);
            if let Some(want) = if_version
                && want != version
            {
                bail!("version conflict on {k}: expected {want}, current is {version}");
            }
            size -= current.map_or(0, |e| (e.key.len() + value_bytes(&e.value)) as i64);
            match value {
                None if current.is_none() => bail!("no such key in {group}: {k}"),
                None => rows.push((k.clone(), None)),
                Some(v) => {
                    let text = v.to_string();
                    let len = match v {
                        serde_json::Value::String(s) => s.len(),
                        _ => text.len(),
                    };
                    if len > value_max {
                        bail!(
                            "value of {k} too long: {len} bytes (agent-value-max is {value_max})"
                        );
                    }
                    size += (k.len() + len) as i64;
                    rows.push((
                        k.clone(),
                        Some(EntryRow {
                            group: group.to_string(),
                            key: k.clone(),
                            value: text,
                            version: version + 1,
                            writer: writer.clone(),
                            time: t,
                        }),
                    ));
                }
            }
        }
        if size > group_max as i64 {
            bail!(
                "group {group}'s context would be {size} bytes (agent-context-max is {group_max})"
            );
        }
        let mut store_ops = Vec::new();
        if let Some(g) = self.agents.groups.get_mut(group) {
            for (k, row) in rows {
                match row {
                    Some(r) => {
                        store_ops.push(Op::Entry(r.clone()));
                        g.context.insert(k, r);
                    }
                    None => {
                        g.context.remove(&k);
                        store_ops.push(Op::DropEntry {
                            group: group.to_string(),
                            key: k,
                        });
                    }
                }
            }
        }
        if let Some(a) = self.agents.records.get_mut(key) {
            a.row.activity = t;
        }
        let what: Vec<String> = store_ops
            .iter()
            .map(|op| match op {
                Op::Entry(e) => format!("set {} v{}", e.key, e.version),
                Op::DropEntry { key, .. } => format!("delete {key}"),
                _ => String::new(),
            })
            .collect();
        self.persist(store_ops);
        self.agent_event(key, "share", &format!("{group}: {}", what.join(", ")));
        Ok(())
    }

    pub fn context(&mut self, group: &str) -> CmdResult<Vec<ContextEntry>> {
        self.prune_groups();
        let Some(g) = self.agents.groups.get(group) else {
            bail!("can't find group: {group}");
        };
        Ok(g.context
            .values()
            .map(|e| ContextEntry {
                key: e.key.clone(),
                value: serde_json::from_str(&e.value)
                    .unwrap_or_else(|_| serde_json::Value::String(e.value.clone())),
                version: e.version,
                writer: e.writer.clone(),
                time: e.time,
            })
            .collect())
    }

    // What happens to agents as their sessions and panes do things.

    /// The session was renamed: so is the agent's record.
    pub fn agent_session_renamed(&mut self, s: SessionId, name: &str) {
        let Some(key) = self.agents.by_session.get(&s).cloned() else {
            return;
        };
        if let Some(a) = self.agents.records.get_mut(&key) {
            a.row.session_name = name.to_string();
        }
        self.save_agents(&[&key]);
    }

    /// The agent whose home is pane `p`.
    fn agent_at_home(&self, p: PaneId) -> Option<String> {
        self.agents
            .records
            .values()
            .find(|a| a.home == Some(p))
            .map(|a| a.row.key.clone())
    }

    /// The agent's home pane's program exited: its work is done, well or
    /// not, unless it said otherwise.
    pub fn agent_pane_exited(&mut self, p: PaneId, status: i32) {
        let Some(key) = self.agent_at_home(p) else {
            return;
        };
        // A sub-agent whose program ends without agent-done ends with its
        // exit status and the last lines it printed, sent to its parent.
        if let Some(a) = self.agents.records.get(&key)
            && a.row.depth > 0
            && a.row.ended == 0
        {
            let tail = self.recent_output(p, 10);
            let result = spawn::exit_result(status, &tail);
            self.agent_finished(&key, Status::finished(status == 0), &result, "exit");
            if let Some(a) = self.agents.records.get_mut(&key) {
                a.home = None;
            }
            return;
        }
        if let Some(a) = self.agents.records.get_mut(&key) {
            a.home = None;
            if !a.row.status_explicit || !a.status().ended() {
                a.set_status(Status::finished(status == 0));
                a.row.status_explicit = true;
            }
            a.row.activity = now();
        }
        self.save_agents(&[&key]);
    }

    /// The session ended: an agent that had not finished is lost. Its
    /// record stays, in its group, until it leaves or is forgotten.
    pub fn agent_session_gone(&mut self, s: SessionId) {
        let Some(key) = self.agents.by_session.remove(&s) else {
            return;
        };
        if let Some(a) = self.agents.records.get_mut(&key) {
            a.session = None;
            a.home = None;
            if !a.status().ended() {
                a.set_status(Status::Lost);
            }
        }
        self.save_agents(&[&key]);
    }

    /// Output from a pane: its agent, if it is one's home, is active.
    pub fn agent_output(&mut self, p: PaneId) {
        let Some(key) = self.agent_at_home(p) else {
            return;
        };
        let Some(a) = self.agents.records.get_mut(&key) else {
            return;
        };
        a.row.activity = now();
        if !a.row.status_explicit && a.status() == Status::Idle {
            a.set_status(Status::Active);
            self.save_agents(&[&key]);
            self.agent_event(&key, "status", "active");
            self.run_hooks("agent-status-changed", &key, "active");
            self.redraw_all();
        }
        self.schedule_agent_idle(&key);
        if self.agents.delivering.contains_key(&key) {
            self.pump_delivery(&key);
        }
    }

    /// Checks, agent-idle-time after the last output, whether the pane is
    /// still quiet.
    pub fn schedule_agent_idle(&mut self, key: &str) {
        let idle_s = self.server_num("agent-idle-time").max(1);
        let Some(a) = self.agents.records.get_mut(key) else {
            return;
        };
        if a.idle_timer || a.row.status_explicit || a.home.is_none() {
            return;
        }
        a.idle_timer = true;
        let last = a.home.and_then(|p| self.panes.get(&p)).map_or(0, |p| {
            p.io.shared
                .activity
                .load(std::sync::atomic::Ordering::Relaxed)
        });
        let due = (last + idle_s * 1_000_000).saturating_sub(crate::server::pane::now_micros());
        let events = self.events.clone();
        let key = key.to_string();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_micros(due.max(1000))).await;
            let _ = events.send(crate::server::Event::AgentIdle(key));
        });
    }

    pub fn agent_idle_check(&mut self, key: &str) {
        let idle_us = self.server_num("agent-idle-time").max(1) * 1_000_000;
        let Some(a) = self.agents.records.get_mut(key) else {
            return;
        };
        a.idle_timer = false;
        if a.row.status_explicit || a.status() != Status::Active {
            return;
        }
        let last = a.home.and_then(|p| self.panes.get(&p)).map(|p| {
            p.io.shared
                .activity
                .load(std::sync::atomic::Ordering::Relaxed)
        });
        let Some(last) = last else {
            return;
        };
        if crate::server::pane::now_micros().saturating_sub(last) + 1000 >= idle_us {
            a.set_status(Status::Idle);
            self.save_agents(&[key]);
            self.agent_event(key, "status", "idle");
            self.run_hooks("agent-status-changed", key, "idle");
            self.redraw_all();
        } else {
            self.schedule_agent_idle(key);
        }
    }
}

/// The parent of a process, from /proc.
fn parent_pid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields start after
    // the last ')'.
    let rest = stat.rsplit_once(')')?.1;
    rest.split_whitespace().nth(1)?.parse().ok()
}
