//! The agent layer: agent records on sessions, coordination groups and
//! their shared context, kept in memory and stored through the store.
//!
//! A change is made in memory at once and sent to the store; the reply to
//! the command list that made it waits until the store has it on disk
//! (see `persist` and `State::finish`), so a command that said it succeeded
//! is never lost to a crash.

mod authority;
mod context;
mod delivery;
mod events;
mod groups;
mod history;
mod host;
mod identity;
mod isolation;
mod lifecycle;
mod messages;
mod program;
mod shared;
mod spawn;
mod teammates;
mod transcript;
mod txn;
mod worktree;

pub use authority::Act;
pub use delivery::InputTrack;
pub use events::QUEUE as SUBSCRIBER_QUEUE;
pub use transcript::Transcript;

/// Kills what is left of process groups an agent-stop asked to end.
pub fn kill_groups(groups: &[u32]) {
    for g in groups {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(*g as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

use crate::server::state::State;
use crate::store::{self, AgentRow, EntryRow, GroupRow, Op, Store, StoreError};
use commands::agent::{AgentChange, AgentSpec, AgentView, Status};
use commands::host::{Identity, Io};
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
    /// The status last set with set-agent -s, and when (µs): an agent's
    /// hooks say so when it works and when it waits for input.
    pub reported: Option<(Status, u64)>,
}

impl Agent {
    /// A record as stored, running nowhere here (yet).
    pub fn stored(row: AgentRow) -> Agent {
        Agent {
            row,
            session: None,
            home: None,
            idle_timer: false,
            reported: None,
        }
    }

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
    /// (reader, group, key, version) read-context events already told.
    pub context_reads: std::collections::HashSet<(String, String, String, u64)>,
    pub records: BTreeMap<String, Agent>,
    pub by_session: HashMap<SessionId, String>,
    /// Agents that live in a pane rather than a session (Claude Code's
    /// teammates): a process in that pane is that agent.
    pub by_pane: HashMap<PaneId, String>,
    pub groups: BTreeMap<String, Group>,
    /// Batches on their way to the store, and what waits for them.
    pub txn: txn::Txn,
    /// Agent types by (owner, name): the owner's key, empty for the
    /// operator's.
    pub types: BTreeMap<(String, String), commands::agent::AgentType>,
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
    pub delivering: HashMap<String, delivery::Delivery>,
    /// Connections streaming events, and the last event id stored.
    pub subscribers: Vec<events::Subscriber>,
    pub published: u64,
    /// This server's name in a shared store (`agent-host-name`).
    pub host: String,
    /// A shared store's number for this host (message ids); 0 otherwise.
    pub host_no: u64,
    /// Why a shared store cannot be used now: agent commands fail with
    /// this until it is back.
    pub down: Option<String>,
    /// Other hosts' replies handed to a wait here: never typed in too.
    pub answered: std::collections::HashSet<u64>,
    /// Other hosts whose leases are current.
    pub hosts_up: Vec<String>,
    /// Command lists run for another host's request: (request id, host)
    /// by queue, answered when they end.
    pub answering: HashMap<u64, (String, String)>,
    pub next_request: u64,
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
        let mut a = Agents::empty("");
        let mut fixes = Vec::new();
        match store::open(&store::path_for(socket), done) {
            Err(e) => a.store = Err(e),
            Ok((s, loaded)) => {
                a.store = Ok(s);
                a.apply_loaded(loaded);
                for agent in a.records.values_mut() {
                    if !agent.status().ended() {
                        agent.row.reason.clear();
                        txn::mark_lost(agent);
                        fixes.push(Op::Agent(Box::new(agent.row.clone())));
                    }
                }
            }
        }
        (a, fixes)
    }

    /// An agent layer with nothing in it and no store yet.
    fn empty(host: &str) -> Agents {
        Agents {
            store: Err(StoreError {
                path: String::new(),
                reason: String::new(),
            }),
            records: BTreeMap::new(),
            by_session: HashMap::new(),
            by_pane: HashMap::new(),
            groups: BTreeMap::new(),
            txn: txn::Txn::default(),
            types: spawn::builtin_types()
                .into_iter()
                .map(|t| ((String::new(), t.name.clone()), t))
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
            subscribers: Vec::new(),
            context_reads: Default::default(),
            published: 0,
            host: host.to_string(),
            host_no: 0,
            down: None,
            answered: Default::default(),
            hosts_up: Vec::new(),
            answering: HashMap::new(),
            next_request: 0,
        }
    }

    /// Whether the store is shared with other hosts.
    pub fn store_shared(&self) -> bool {
        self.store.as_ref().is_ok_and(|s| s.shared().is_some())
    }

    /// Takes what the store holds as the agent layer's memory. Nothing in it
    /// runs yet: the caller says which agents have sessions.
    pub fn apply_loaded(&mut self, loaded: store::Loaded) {
        self.groups.clear();
        for g in loaded.groups {
            let group = Group {
                row: g,
                context: BTreeMap::new(),
            };
            self.groups.insert(group.row.name.clone(), group);
        }
        for e in loaded.entries {
            if let Some(g) = self.groups.get_mut(&e.group) {
                g.context.insert(e.key.clone(), e);
            }
        }
        self.host_no = loaded.host_no;
        self.next_event = loaded.events.last().map_or(1, |e| e.id + 1);
        // Everything read from the store is stored: subscribers may have it.
        self.published = self.next_event - 1;
        self.messages = loaded.messages;
        self.count_messages();
        self.events = loaded.events;
        for (owner, name, spec) in loaded.types {
            if let Ok(t) = serde_json::from_str::<commands::agent::AgentType>(&spec) {
                self.types.insert((owner, name), t);
            }
        }
        self.records = loaded
            .agents
            .into_iter()
            .map(|row| (row.key.clone(), Agent::stored(row)))
            .collect();
    }

    pub fn ready(&self) -> CmdResult<&Store> {
        if let Some(why) = &self.down {
            return Err(CmdError::new(why.clone()));
        }
        self.store.as_ref().map_err(store_err)
    }

    pub fn members(&self, group: &str) -> impl Iterator<Item = &Agent> {
        self.records
            .values()
            .filter(move |a| a.row.group.as_deref() == Some(group))
    }
}

impl State {
    /// An agent's record as commands see it.
    fn view(&self, a: &Agent) -> AgentView {
        let r = &a.row;
        let t = self.agent_type_for(r.parent.as_deref().unwrap_or(""), &r.kind);
        AgentView {
            key: r.key.clone(),
            session: r.session_name.clone(),
            session_id: self.agent_session(a).map(|s| s.to_string()),
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
            tokens_in: r.tokens_in,
            tokens_out: r.tokens_out,
            cost: r.cost_micros as f64 / 1_000_000.0,
            model: r.model.clone(),
            worktree: Some(r.worktree.clone()).filter(|w| !w.is_empty()),
            branch: Some(r.branch.clone()).filter(|b| !b.is_empty()),
            may_spawn: self.may_spawn(a),
            tools: t.map(|t| t.tools.clone()).unwrap_or_default(),
            deny_tools: t.map(|t| t.deny_tools.clone()).unwrap_or_default(),
            host: Some(r.host.clone()).filter(|_| self.agents.remote(a)),
        }
    }

    /// The session an agent runs in: a teammate's is wherever its pane
    /// is now.
    fn agent_session(&self, a: &Agent) -> Option<SessionId> {
        let pane_session = a.home.and_then(|p| self.found_pane(p)).map(|f| f.session);
        match a.row.mode == teammates::MODE {
            true => a.session.and(pane_session.or(a.session)),
            false => a.session,
        }
    }

    pub fn agent_of_session(&self, s: SessionId) -> Option<&Agent> {
        let key = self.agents.by_session.get(&s)?;
        self.agents.records.get(key)
    }

    /// Whether the caller may make a session an agent (one that answers to
    /// nobody: agents start sub-agents with agent-spawn), and the session
    /// may become one.
    pub fn agent_ready(&self, io: &Io, session: Option<SessionId>) -> CmdResult {
        self.agents.ready()?;
        let who = self.who(io);
        if !who.is_operator() {
            return Err(authority::refused(
                who,
                "start a top-level agent: agents start sub-agents with agent-spawn",
            ));
        }
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

    /// Makes the session of the pane just made for it an agent. The pane
    /// goes again if it can't be.
    pub fn make_agent(&mut self, io: &Io, home: PaneId, spec: AgentSpec) -> CmdResult {
        self.prune_agents();
        let Some(f) = self.found_pane(home) else {
            bail!("can't find pane: {home}");
        };
        let ready = self
            .check_text_size("objective", &spec.objective)
            .and_then(|()| self.agent_ready(io, Some(f.session)));
        if let Err(e) = ready {
            self.destroy_pane(home);
            return Err(e);
        }
        let name = self
            .sessions
            .get(&f.session)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        // The key is always the session's name: an ended agent of that name
        // is taken over (with --resume, its group, counters and history
        // too), a live one (its session renamed since) is refused.
        let key = format!("agent:{name}");
        let old = self
            .agents
            .records
            .get(&key)
            .map(|a| (a.session, a.row.clone()));
        if let Some((Some(s), _)) = &old {
            let now_called = self.sessions.get(s).map_or("", |x| x.name.as_str());
            let e = CmdError::new(format!(
                "{key} is session {now_called}'s: choose another name"
            ));
            self.destroy_pane(home);
            return Err(e);
        }
        let old = old.map(|(_, row)| row);
        if let Some(o) = &old
            && !spec.resume
            && let Some(g) = o.group.clone()
        {
            self.leave(&key, &g);
        }
        let t = now();
        let (row_kind, row_objective) = (spec.kind.clone(), spec.objective.clone());
        let fresh = AgentRow {
            key: key.clone(),
            session_name: name.clone(),
            kind: spec.kind.clone(),
            objective: spec.objective.clone(),
            status: Status::Active.as_str().to_string(),
            created: crate::server::pane::now_micros(),
            activity: t,
            ..AgentRow::default()
        };
        let resumed = spec.resume && old.is_some();
        let row = match old {
            Some(o) if spec.resume => AgentRow {
                session_name: name,
                kind: spec.kind,
                objective: if spec.objective.is_empty() {
                    o.objective.clone()
                } else {
                    spec.objective
                },
                status: Status::Active.as_str().to_string(),
                status_explicit: false,
                activity: t,
                result: None,
                reason: String::new(),
                ended: 0,
                // Still the coordinator only if nobody took the role on
                // when this one ended.
                ..o
            },
            _ => fresh,
        };
        self.agents.records.insert(
            key.clone(),
            Agent {
                row,
                session: Some(f.session),
                home: Some(home),
                idle_timer: false,
                reported: None,
            },
        );
        self.agents.by_session.insert(f.session, key.clone());
        self.start_transcript(&key, home);
        self.save_agents(&[&key]);
        // An agent the store never had leaves no pane behind.
        self.undo_on_failure(txn::Undo::KillPane(home));
        let who = self.who(io).name();
        let data = serde_json::json!({
            "type": row_kind,
            "objective": row_objective,
            "session": f.session.to_string(),
            "resumed": resumed,
        });
        let detail = if resumed { "resumed" } else { "" };
        self.emit("registered", &key, &who, detail, data);
        self.schedule_agent_idle(&key);
        Ok(())
    }

    /// The agent a command is about: `-t` (an agent key, a session, or the
    /// name of an agent whose session is gone), else the caller's own. The
    /// environment only picks the operator's default, as TMUX_PANE does.
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
                    // An agent whose session is gone, or a teammate (which
                    // has none of its own), by its name.
                    let name = t.trim_start_matches('=').trim_end_matches(':');
                    let pane_bound = |a: &Agent| a.row.mode == teammates::MODE;
                    return self
                        .agents
                        .records
                        .values()
                        .filter(|a| a.session.is_none() || pane_bound(a))
                        .filter(|a| a.row.session_name == name)
                        .max_by_key(|a| (a.session.is_some(), a.row.created))
                        .map(|a| a.row.key.clone())
                        .ok_or(e);
                }
            },
            None => match self.who(io) {
                Identity::Agent(k) => return Ok(k.clone()),
                Identity::Unknown(why) => bail!("{why}: it is no agent"),
                Identity::Operator | Identity::Pane(_) => match self.current(io) {
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
        self.agents.records.get(key).map(|a| self.view(a))
    }

    pub fn agent_views(&self) -> Vec<AgentView> {
        let mut v: Vec<&Agent> = self.agents.records.values().collect();
        v.sort_by(|a, b| (a.row.created, &a.row.key).cmp(&(b.row.created, &b.row.key)));
        v.into_iter().map(|a| self.view(a)).collect()
    }

    pub fn set_agent(&mut self, io: &Io, key: &str, c: AgentChange) -> CmdResult {
        self.agents.ready()?;
        if !self.agents.records.contains_key(key) {
            bail!("can't find agent: {key}");
        }
        let who = self.who(io).clone();
        for text in [&c.objective, &c.role].into_iter().flatten() {
            self.check_text_size("objective or role", text)?;
        }
        if c.objective.is_some() || c.role.is_some() || c.status.is_some() {
            self.authorize(&who, Act::Change, key)?;
        }
        let usage = c.tokens_in.is_some()
            || c.tokens_out.is_some()
            || c.cost_micros.is_some()
            || c.model.is_some();
        if c.task_done || c.interaction || c.tokens.is_some() || usage {
            self.authorize(&who, Act::Report, key)?;
        }
        let Some(a) = self.agents.records.get_mut(key) else {
            bail!("can't find agent: {key}");
        };
        let mut changed = Vec::new();
        let (new_objective, new_role) = (c.objective.clone(), c.role.clone());
        if let Some(o) = c.objective {
            changed.push(format!("objective {o:?}"));
            a.row.objective = o;
        }
        if let Some(r) = c.role {
            changed.push(format!("role {r:?}"));
            a.row.role = r;
        }
        if let Some(s) = c.status {
            a.reported = Some((s, crate::server::pane::now_micros()));
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
        // In and out count in the total too; totals replace, reports add.
        let meter = |have: &mut u64, total: &mut u64, n: Option<u64>| {
            if let Some(n) = n {
                let new = if c.totals { n } else { have.saturating_add(n) };
                *total = total.saturating_add(new).saturating_sub(*have);
                *have = new;
            }
        };
        let mut tokens = a.row.tokens;
        meter(&mut a.row.tokens_in, &mut tokens, c.tokens_in);
        meter(&mut a.row.tokens_out, &mut tokens, c.tokens_out);
        a.row.tokens = tokens;
        if let Some(n) = c.cost_micros {
            a.row.cost_micros = if c.totals {
                n
            } else {
                a.row.cost_micros.saturating_add(n)
            };
        }
        if let Some(m) = &c.model {
            a.row.model = m.clone();
        }
        let status_changed = c.status.map(|s| s.as_str().to_string());
        a.row.activity = now();
        self.save_agents(&[key]);
        let actor = who.name();
        if !changed.is_empty() {
            let data = serde_json::json!({"objective": new_objective, "role": new_role});
            self.emit("changed", key, &actor, &changed.join(", "), data);
        }
        if let Some(s) = status_changed {
            self.emit("status", key, &actor, &s, serde_json::json!({"status": s}));
            self.run_hooks("agent-status-changed", key, &s);
            self.coordinator_ended(key);
        }
        self.schedule_agent_idle(key);
        self.redraw_all();
        Ok(())
    }

    pub fn agent_forget(&mut self, io: &Io, key: &str, cleanup: bool) -> CmdResult {
        self.agents.ready()?;
        let Some(a) = self.agents.records.get(key) else {
            bail!("can't find agent: {key}");
        };
        let group = a.row.group.clone();
        let who = self.who(io).clone();
        self.authorize(&who, Act::Forget, key)?;
        if cleanup && let Some(a) = self.agents.records.get(key) {
            if a.session.is_some() {
                bail!("{key} is still running: stop it before removing its worktree");
            }
            State::remove_worktree(&a.row)?;
        }
        if let Some(g) = group {
            self.leave(key, &g);
        }
        self.emit("unregistered", key, &who.name(), "", serde_json::json!({}));
        if let Some(a) = self.agents.records.remove(key)
            && let Some(s) = a.session
        {
            self.agents.by_session.remove(&s);
        }
        self.persist(vec![Op::ForgetAgent(key.to_string())]);
        let gone = key.to_string();
        self.after_commit(move |s| s.remove_transcript(&gone));
        self.redraw_all();
        Ok(())
    }
}
