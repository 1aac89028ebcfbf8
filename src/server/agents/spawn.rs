//! Sub-agents: agent types, spawning under the limits, ending with a
//! result that goes to the parent at once, and waiting for children.

use super::Act;
use super::Agent;
use super::authority::refused;
use crate::server::pane::now_micros;
use crate::server::state::State;
use crate::store::{AgentRow, MessageRow, Op};
use commands::agent::{AgentSpawn, AgentType, Status, Worktree};
use commands::host::AgentHost;
use commands::host::{Identity, Io, NewSessionSpec, SpawnSpec};
use commands::options::Value;
use commands::{CmdResult, Flow, Host, PaneId, SessionId, bail};

/// The type an agent-spawn without -T gets: the task is a shell command.
pub fn builtin_types() -> Vec<AgentType> {
    vec![AgentType {
        owner: None,
        name: "shell".into(),
        cwd: None,
        env: Vec::new(),
        inject: false,
        command: vec!["{task}".into()],
        worktree: false,
        tools: Vec::new(),
        deny_tools: Vec::new(),
        resume: Vec::new(),
    }]
}

/// Where a new agent goes.
struct Place {
    key: String,
    /// Its number among its parent's children (0 for a top-level agent).
    number: u64,
    name: String,
    depth: u64,
    /// Where it starts unless its type or the caller says otherwise.
    cwd: String,
}

/// What a wait is for.
pub enum WaitFor {
    /// A reply on a thread from its other party, to message `id`; `json`
    /// prints the outcome as JSON.
    Reply {
        thread: String,
        from: String,
        id: u64,
        json: bool,
    },
    /// An unread message for an agent (agent-inbox --wait).
    Inbox { key: String, mark: bool, json: bool },
    /// Another host's answer to request `id` (agent-spawn --host).
    Answer { id: String, host: String },
    /// Children of a parent to end: all of them, or any.
    Children {
        parent: String,
        children: Vec<String>,
        any: bool,
        json: bool,
    },
}

pub struct Waiter {
    pub id: u64,
    pub queue: u64,
    pub what: WaitFor,
}

impl State {
    /// Defines a type. The operator's types are everyone's; an agent's
    /// are its own and its descendants', so that no agent can change what
    /// another's sub-agents run.
    pub fn define_agent_type(&mut self, io: &Io, mut t: AgentType) -> CmdResult {
        let who = self.who(io);
        t.owner = match who {
            Identity::Operator | Identity::Pane(_) => None,
            Identity::Agent(k) => Some(k.clone()),
            Identity::Unknown(_) => return Err(refused(who, "define agent types")),
        };
        let owner = t.owner.clone().unwrap_or_default();
        let op = crate::store::Op::Type {
            owner: owner.clone(),
            name: t.name.clone(),
            spec: serde_json::to_string(&t).unwrap_or_default(),
        };
        self.agents.types.insert((owner, t.name.clone()), t);
        self.persist(vec![op]);
        Ok(())
    }

    /// The type `name` as agent `key` sees it: its own, an ancestor's
    /// (nearest first), else the operator's.
    pub fn agent_type_for(&self, key: &str, name: &str) -> Option<&AgentType> {
        let mut cur = Some(key.to_string());
        for _ in 0..64 {
            let Some(k) = cur else { break };
            if let Some(t) = self.agents.types.get(&(k.clone(), name.to_string())) {
                return Some(t);
            }
            cur = self
                .agents
                .records
                .get(&k)
                .and_then(|a| a.row.parent.clone());
        }
        self.agents.types.get(&(String::new(), name.to_string()))
    }

    /// Whether an agent may spawn at all: under the depth limit, and its
    /// type allowed to spawn some type.
    pub fn may_spawn(&self, a: &Agent) -> bool {
        if a.row.depth + 1 > self.server_num("agent-max-depth") {
            return false;
        }
        let Some(Value::Array(rules)) = self.server_options.get("agent-spawn-allow") else {
            return true;
        };
        rules
            .iter()
            .filter_map(|r| r.split_once('='))
            .filter(|(who, _)| who.trim() == a.row.kind)
            .all(|(_, allowed)| allowed.split(',').any(|t| !t.trim().is_empty()))
    }

    /// Refuses a spawn that a limit forbids, naming the limit and its value.
    fn check_spawn_limits(&self, parent: &Agent, kind: &str) -> CmdResult {
        let key = &parent.row.key;
        let max_depth = self.server_num("agent-max-depth");
        if parent.row.depth + 1 > max_depth {
            bail!(
                "{key} may not spawn: agent-max-depth is {max_depth} and it is at depth {}",
                parent.row.depth
            );
        }
        let max_children = self.server_num("agent-max-children") as usize;
        let children = self
            .agents
            .records
            .values()
            .filter(|a| a.row.parent.as_deref() == Some(key) && a.session.is_some())
            .count();
        if children >= max_children {
            bail!("{key} may not spawn: agent-max-children is {max_children}");
        }
        let max_live = self.server_num("agent-max-concurrent") as usize;
        let live = self
            .agents
            .records
            .values()
            .filter(|a| self.agents.running(a))
            .count();
        if live >= max_live {
            bail!("{key} may not spawn: agent-max-concurrent is {max_live} and {live} agents run");
        }
        let max_tokens = self.server_num("agent-max-tokens");
        if parent.row.depth > 0 && parent.row.tokens > max_tokens {
            bail!(
                "{key} may not spawn: agent-max-tokens is {max_tokens} and it used {}",
                parent.row.tokens
            );
        }
        if let Some(max) = self.max_cost_micros()
            && parent.row.depth > 0
            && parent.row.cost_micros > max
        {
            bail!(
                "{key} may not spawn: agent-max-cost is {} and it spent {}",
                crate::server::formats::dollars(max),
                crate::server::formats::dollars(parent.row.cost_micros)
            );
        }
        // agent-spawn-allow: PARENT-TYPE=TYPE,TYPE... ; a type not listed
        // may spawn any.
        if let Some(Value::Array(rules)) = self.server_options.get("agent-spawn-allow") {
            for rule in rules {
                let Some((who, allowed)) = rule.split_once('=') else {
                    continue;
                };
                if who.trim() != parent.row.kind {
                    continue;
                }
                let ok = allowed
                    .split(',')
                    .map(str::trim)
                    .any(|t| t == kind || t == "*");
                if !ok {
                    bail!(
                        "{key} may not spawn {kind}: agent-spawn-allow lets {} spawn {}",
                        parent.row.kind,
                        if allowed.trim().is_empty() {
                            "nothing"
                        } else {
                            allowed.trim()
                        }
                    );
                }
            }
        }
        Ok(())
    }

    /// Spawns an agent: a sub-agent of `parent` under the limits, or with
    /// no parent a top-level agent (the operator's only).
    pub fn agent_spawn(
        &mut self,
        io: &mut Io,
        parent: Option<&str>,
        spec: AgentSpawn,
    ) -> CmdResult<Flow> {
        self.agents.ready()?;
        self.prune_agents();
        self.check_text_size("task", &spec.task)?;
        let kind = spec.kind.clone().unwrap_or_else(|| "shell".into());
        let place = match parent {
            Some(p) => self.place_child(io, p, &kind, spec.name.as_deref())?,
            None => self.place_top(io, spec.name.as_deref())?,
        };
        let Some(t) = self.agent_type_for(parent.unwrap_or(""), &kind).cloned() else {
            bail!("unknown agent type: {kind}");
        };
        let key = place.key;
        let cwd = spec
            .cwd
            .clone()
            .or_else(|| t.cwd.clone())
            .unwrap_or(place.cwd);
        if spec.worktree == Worktree::Wanted || (t.worktree && spec.worktree == Worktree::No) {
            return self.spawn_in_new_worktree(io, parent, spec, &key, &cwd);
        }
        let files = self.copy_files(&key, &spec.files)?;
        let mut env = vec![
            format!("AGMUX_TASK={}", spec.task),
            format!("AGMUX_AGENT={key}"),
        ];
        if let Some(p) = parent {
            env.push(format!("AGMUX_PARENT={p}"));
        }
        if let Some(dir) = &files {
            env.push(format!("AGMUX_FILES={dir}"));
        }
        env.extend(t.env.iter().cloned());
        let command: Vec<String> = t
            .command
            .iter()
            .map(|a| a.replace("{task}", &spec.task))
            .collect();
        let found = Host::new_session(
            self,
            &*io,
            NewSessionSpec {
                name: Some(place.name.clone()),
                window_name: None,
                size: None,
                spawn: SpawnSpec {
                    command,
                    cwd: Some(cwd),
                    env,
                },
                group: None,
            },
        )?;
        self.undo_on_failure(super::txn::Undo::KillSession(found.session));
        let t_us = now_micros();
        let row = AgentRow {
            key: key.clone(),
            session_name: place.name,
            kind: kind.clone(),
            objective: spec.task.clone(),
            status: Status::Active.as_str().into(),
            created: t_us,
            activity: t_us / 1_000_000,
            parent: parent.map(str::to_string),
            mode: spec.mode.as_str().into(),
            depth: place.depth,
            turns: 1,
            timeout: spec.timeout.unwrap_or(0),
            ..AgentRow::default()
        };
        let row = match &spec.worktree {
            Worktree::Made { path, branch, base } => AgentRow {
                worktree: path.clone(),
                branch: branch.clone(),
                base: base.clone(),
                ..row
            },
            _ => row,
        };
        self.agents.records.insert(
            key.clone(),
            Agent {
                row,
                session: Some(found.session),
                home: Some(found.pane),
                idle_timer: false,
                reported: None,
            },
        );
        self.agents.by_session.insert(found.session, key.clone());
        self.start_transcript(&key, found.pane);
        let mut changed = vec![key.clone()];
        if let Some(p) = parent
            && let Some(a) = self.agents.records.get_mut(p)
        {
            a.row.spawned = place.number;
            changed.push(p.to_string());
        }
        let keys: Vec<&str> = changed.iter().map(String::as_str).collect();
        self.save_agents(&keys);
        // Counted again where every host's agents are: a shared store
        // refuses the spawn if others started meanwhile.
        let max = self.server_num("agent-max-concurrent");
        self.persist(vec![Op::Claim {
            key: key.clone(),
            max,
        }]);
        let data = serde_json::json!({
            "parent": parent,
            "type": kind,
            "mode": spec.mode.as_str(),
            "task": spec.task,
            "session": found.session.to_string(),
        });
        let actor = parent.map_or_else(|| self.who(io).name(), str::to_string);
        self.emit("spawned", &key, &actor, &spec.task, data);
        self.run_hooks("agent-spawned", &key, &spec.task);
        if let Some(secs) = spec.timeout {
            let events = self.events.clone();
            let k = key.clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_secs(secs)).await;
                let _ = events.send(crate::server::Event::AgentTimeout(k));
            });
        }
        self.schedule_agent_idle(&key);
        if let Some(fmt) = &spec.print {
            let line = AgentHost::agent_expand(self, io, fmt, &key);
            io.print(&line);
        }
        Ok(Flow::Continue)
    }

    /// Where a sub-agent of `parent_key` goes: its key, number, session
    /// name and depth, once the limits allow it.
    fn place_child(
        &mut self,
        io: &Io,
        parent_key: &str,
        kind: &str,
        name: Option<&str>,
    ) -> CmdResult<Place> {
        if !self.agents.records.contains_key(parent_key) {
            bail!("can't find agent: {parent_key}");
        }
        self.authorize(self.who(io), Act::Spawn, parent_key)?;
        let Some(parent) = self.agents.records.get(parent_key) else {
            bail!("can't find agent: {parent_key}");
        };
        // A parent on another host (agent-spawn --host) has no session
        // here: its child starts in this server's home directory.
        let psession = parent.session;
        if !self.agents.running(parent) {
            bail!("{parent_key} is not running: it may not spawn");
        }
        if self.agent_type_for(parent_key, kind).is_none() {
            bail!("unknown agent type: {kind}");
        }
        if let Err(e) = self.check_spawn_limits(parent, kind) {
            let who = self.who(io).name();
            self.limit_refused(parent_key, &who, "spawn", &e.0);
            return Err(e);
        }
        let depth = parent.row.depth + 1;
        let mut n = parent.row.spawned + 1;
        while self
            .agents
            .records
            .contains_key(&format!("{parent_key}:sub:{n}"))
        {
            n += 1;
        }
        let pname = match psession.and_then(|s| self.sessions.get(&s)) {
            Some(s) => s.name.clone(),
            None => parent.row.session_name.clone(),
        };
        let name = self.spawn_name(name, &format!("{pname}-{n}"))?;
        Ok(Place {
            key: format!("{parent_key}:sub:{n}"),
            number: n,
            name,
            depth,
            cwd: match psession {
                Some(s) => self.parent_cwd(s),
                None => self.env.value("HOME").unwrap_or("/").to_string(),
            },
        })
    }

    /// Where a top-level agent goes: the operator's, named after its
    /// session.
    fn place_top(&mut self, io: &Io, name: Option<&str>) -> CmdResult<Place> {
        let who = self.who(io);
        if !who.is_operator() {
            return Err(super::authority::refused(
                who,
                "start a top-level agent: agents start sub-agents with agent-spawn",
            ));
        }
        let live = self
            .agents
            .records
            .values()
            .filter(|a| self.agents.running(a))
            .count();
        let max_live = self.server_num("agent-max-concurrent") as usize;
        if live >= max_live {
            let message =
                format!("may not spawn: agent-max-concurrent is {max_live} and {live} agents run");
            self.limit_refused("", &who.name(), "spawn", &message);
            bail!("{} {message}", who.name());
        }
        let name = self.spawn_name(name, "agent")?;
        // Its key is its name's; an ended agent of that name starts afresh.
        let key = format!("agent:{name}");
        match self
            .agents
            .records
            .get(&key)
            .map(|a| (a.session.is_some(), a.row.group.clone()))
        {
            Some((true, _)) => bail!("{key} is another session's: choose another name"),
            Some((false, Some(g))) => self.leave(&key, &g),
            _ => {}
        }
        let cwd = io
            .caller
            .cwd
            .clone()
            .or_else(|| self.env.value("HOME").map(str::to_string))
            .unwrap_or_else(|| "/".into());
        Ok(Place {
            key,
            number: 0,
            name,
            depth: 0,
            cwd,
        })
    }

    /// A session name for a new agent: the one asked for (which must be
    /// free), else `base`, made unique.
    fn spawn_name(&self, asked: Option<&str>, base: &str) -> CmdResult<String> {
        if let Some(name) = asked {
            let name = commands::util::session_name(name)?;
            if self.session_named(&name).is_some() {
                bail!("duplicate session: {name}");
            }
            return Ok(name);
        }
        let mut name = base.to_string();
        let mut k = 2;
        while self.session_named(&name).is_some() {
            name = format!("{base}-{k}");
            k += 1;
        }
        Ok(name)
    }

    /// Where the parent works: its pane's directory, else its session's.
    fn parent_cwd(&self, s: SessionId) -> String {
        let pane = self
            .agent_of_session(s)
            .and_then(|a| a.home)
            .or_else(|| self.found_session(s).map(|f| f.pane))
            .and_then(|p| self.panes.get(&p));
        if let Some(p) = pane
            && let Ok(dir) = std::fs::read_link(format!("/proc/{}/cwd", p.io.foreground()))
        {
            return dir.display().to_string();
        }
        self.sessions
            .get(&s)
            .map_or_else(|| "/".to_string(), |x| x.cwd.clone())
    }

    /// Copies files for a child into a directory of its own, beside the
    /// store: the child keeps them whatever happens to the originals.
    fn copy_files(&self, key: &str, files: &[String]) -> CmdResult<Option<String>> {
        if files.is_empty() {
            return Ok(None);
        }
        if self.agents.store.is_err() {
            bail!("no agent store to keep files in");
        }
        let max = self.server_num("agent-attachment-max").max(1);
        let mut total = 0u64;
        for f in files {
            let meta = std::fs::metadata(f);
            match meta {
                Ok(m) if m.is_file() => total += m.len(),
                _ => bail!("can't copy {f}: not a readable file"),
            }
        }
        if total > max {
            bail!("attachments too large: {total} bytes (agent-attachment-max is {max})");
        }
        let mut dir = crate::store::path_for(&self.info.socket).into_os_string();
        dir.push(".d");
        let dir = std::path::PathBuf::from(dir).join(key.replace(':', "_"));
        std::fs::create_dir_all(&dir).map_err(|e| {
            commands::CmdError::new(format!(
                "can't make {}: {}",
                dir.display(),
                commands::util::os_error(&e)
            ))
        })?;
        for f in files {
            let name = std::path::Path::new(f)
                .file_name()
                .map(|n| n.to_os_string())
                .unwrap_or_default();
            std::fs::copy(f, dir.join(&name)).map_err(|e| {
                commands::CmdError::new(format!("can't copy {f}: {}", commands::util::os_error(&e)))
            })?;
        }
        Ok(Some(dir.display().to_string()))
    }

    /// An agent's task ended: record the result, tell its parent at once
    /// (inbox, status line, hook, waiters) and, for a run, remove its
    /// session once the command that ended it has replied.
    /// `actor` is who ended it, when not the agent itself or its program.
    pub fn agent_finished(
        &mut self,
        actor: &str,
        key: &str,
        status: Status,
        result: &str,
        reason: &str,
    ) {
        // An agent in a worktree of its own reports its branch and what
        // changed there, with its result.
        let summary = self
            .agents
            .records
            .get(key)
            .and_then(|a| State::worktree_summary(&a.row));
        let with_summary;
        let result = match summary {
            Some(s) => {
                with_summary = format!("{result}\n\n{s}");
                with_summary.as_str()
            }
            None => result,
        };
        let Some(a) = self.agents.records.get_mut(key) else {
            return;
        };
        let old = a.status();
        a.row.status = status.as_str().into();
        a.row.status_explicit = true;
        a.row.result = Some(result.to_string());
        a.row.reason = reason.to_string();
        a.row.ended = now_micros();
        a.row.activity = now_micros() / 1_000_000;
        if status == Status::Completed {
            a.row.tasks += 1;
        }
        let parent = a.row.parent.clone();
        let run = a.row.mode == "run";
        let session = a.session;
        self.save_agents(&[key]);
        self.coordinator_ended(key);
        let what = format!("{}: {result}", status.as_str());
        let data =
            serde_json::json!({"status": status.as_str(), "result": result, "reason": reason});
        self.emit("done", key, actor, &what, data);
        if old != status {
            self.run_hooks("agent-status-changed", key, status.as_str());
        }
        self.run_hooks("agent-done", key, &what);
        if let Some(p) = parent.filter(|p| self.agents.records.contains_key(p)) {
            self.deliver_result(actor, key, &p, result);
            let line = format!("{key} {what}");
            self.after_commit(move |s| s.message_session_of(&p, &line));
        }
        self.after_commit(|s| s.wake_child_waiters());
        if run && let Some(s) = session {
            match self.current_queue {
                Some(q) => self.agents.end_after.entry(q).or_default().push(s),
                None => self.after_commit(move |st| st.destroy_session(s)),
            }
        }
        self.redraw_all();
    }

    /// The child's result, as a message in the parent's inbox.
    fn deliver_result(&mut self, actor: &str, child: &str, parent: &str, result: &str) {
        let id = self.agents.new_message_id();
        let row = MessageRow {
            id,
            thread: format!("r{id}"),
            sender: child.to_string(),
            recipient: parent.to_string(),
            body: result.to_string(),
            time: now_micros(),
            kind: "result".into(),
            read: false,
            delivered: false,
            actor: if actor.is_empty() { child } else { actor }.to_string(),
            delivery: String::new(),
            note: String::new(),
            host: self.agents.host.clone(),
        };
        self.agents.messages.push(row.clone());
        let status = self
            .agents
            .records
            .get(child)
            .map_or(String::new(), |a| a.row.status.clone());
        let by = row.actor.clone();
        self.persist(vec![Op::Message(row)]);
        let data = serde_json::json!({
            "id": id, "child": child, "status": status, "result": result,
        });
        self.emit("result", parent, &by, &format!("{child} {status}"), data);
        self.wake_inbox_waiters(parent);
    }

    /// Shows a line on the status lines of the clients of an agent's
    /// session.
    fn message_session_of(&mut self, key: &str, line: &str) {
        let Some(s) = self.agents.records.get(key).and_then(|a| a.session) else {
            return;
        };
        let conns: Vec<u64> = self
            .clients
            .values()
            .filter(|c| c.session == s)
            .map(|c| c.conn)
            .collect();
        for c in conns {
            self.message(c, line);
        }
    }

    pub fn agent_done(&mut self, io: &Io, key: &str, failed: bool, result: &str) -> CmdResult {
        let Some(a) = self.agents.records.get(key) else {
            bail!("can't find agent: {key}");
        };
        self.agents.runs_here(a, "end its task")?;
        if a.row.mode == "run" && a.row.ended != 0 {
            bail!("{key} has already ended: {}", a.status().as_str());
        }
        let who = self.who(io).clone();
        self.authorize(&who, Act::Done, key)?;
        self.check_text_size("result", result)?;
        self.agent_finished(&who.name(), key, Status::finished(!failed), result, "");
        Ok(())
    }

    /// Stops an agent: it ends as stopped at once (its parent hears of it),
    /// and once that is stored its program gets SIGTERM, then SIGKILL.
    pub fn agent_stop(&mut self, io: &Io, key: &str, reason: &str) -> CmdResult {
        let Some(a) = self.agents.records.get(key) else {
            bail!("can't find agent: {key}");
        };
        self.agents.runs_here(a, "stop it")?;
        if a.row.ended != 0 && a.session.is_none() {
            bail!("{key} has already ended: {}", a.status().as_str());
        }
        let home = a.home;
        let who = self.who(io).clone();
        self.authorize(&who, Act::Stop, key)?;
        self.check_text_size("reason", reason)?;
        let result = match reason {
            "" => format!("stopped by {}", who.name()),
            r => r.to_string(),
        };
        self.agent_finished(&who.name(), key, Status::Stopped, &result, "stopped");
        let grace = self.server_num("agent-stop-grace");
        if let Some(p) = home {
            self.after_commit(move |s| s.stop_program(p, grace));
        }
        Ok(())
    }

    /// SIGTERM to a pane's program now, SIGKILL to what is left after
    /// `grace` seconds, pane or no pane.
    fn stop_program(&mut self, p: PaneId, grace: u64) {
        let Some(pane) = self.panes.get(&p).filter(|x| !x.dead) else {
            return;
        };
        let groups = pane.io.process_groups();
        for g in &groups {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(*g as i32),
                nix::sys::signal::Signal::SIGTERM,
            );
        }
        let events = self.events.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_secs(grace)).await;
            let _ = events.send(crate::server::Event::AgentKill(groups));
        });
    }

    /// A run's time is up.
    pub fn agent_timeout(&mut self, key: &str) {
        let Some(a) = self.agents.records.get(key) else {
            return;
        };
        if a.row.ended != 0 || a.session.is_none() {
            return;
        }
        let secs = a.row.timeout;
        self.agent_finished(
            "",
            key,
            Status::Failed,
            &format!("timed out after {secs} s"),
            "timeout",
        );
        if let Some(s) = self.agents.records.get(key).and_then(|a| a.session) {
            self.after_commit(move |st| st.destroy_session(s));
        }
    }

    /// The sessions of runs that ended during a command list, removed
    /// once the list has replied.
    pub fn end_runs_after(&mut self, queue: u64) {
        for s in self.agents.end_after.remove(&queue).unwrap_or_default() {
            self.destroy_session(s);
        }
    }

    pub fn agent_wait(
        &mut self,
        io: &mut Io,
        parent: &str,
        children: Vec<String>,
        any: bool,
        json: bool,
        timeout: Option<f64>,
    ) -> CmdResult<Flow> {
        self.authorize(self.who(io), Act::WaitChildren, parent)?;
        let children = if children.is_empty() {
            // Its running children, and those whose results it has not
            // collected yet.
            self.agents
                .records
                .values()
                .filter(|a| a.row.parent.as_deref() == Some(parent))
                .filter(|a| a.row.ended == 0 || self.unread_result(&a.row.key, parent))
                .map(|a| a.row.key.clone())
                .collect()
        } else {
            children
        };
        let what = WaitFor::Children {
            parent: parent.to_string(),
            children,
            any,
            json,
        };
        if self.children_ready(&what) {
            self.print_results(&what, io);
            return Ok(Flow::Continue);
        }
        Ok(self.park(what, timeout))
    }

    fn unread_result(&self, child: &str, parent: &str) -> bool {
        self.agents
            .messages
            .iter()
            .any(|m| m.kind == "result" && m.sender == child && m.recipient == parent && !m.read)
    }

    fn children_ready(&self, what: &WaitFor) -> bool {
        let WaitFor::Children { children, any, .. } = what else {
            return false;
        };
        let ended = |k: &String| self.agents.records.get(k).is_none_or(|a| a.row.ended != 0);
        if *any {
            children.is_empty() || children.iter().any(ended)
        } else {
            children.iter().all(ended)
        }
    }

    /// Prints the results of the ended children and marks them collected.
    fn print_results(&mut self, what: &WaitFor, io: &mut Io) {
        let WaitFor::Children {
            parent,
            children,
            json,
            ..
        } = what
        else {
            return;
        };
        let mut read: Vec<u64> = Vec::new();
        let mut ended = Vec::new();
        for c in children {
            let Some(a) = self.agents.records.get(c) else {
                ended.push((c.clone(), "forgotten".to_string(), String::new()));
                continue;
            };
            if a.row.ended == 0 {
                continue;
            }
            let result = a.row.result.clone().unwrap_or_default();
            ended.push((c.clone(), a.status().as_str().to_string(), result));
            read.extend(
                self.agents
                    .messages
                    .iter()
                    .filter(|m| {
                        m.kind == "result" && &m.sender == c && &m.recipient == parent && !m.read
                    })
                    .map(|m| m.id),
            );
        }
        if *json {
            let list: Vec<serde_json::Value> = ended
                .iter()
                .map(|(c, status, result)| {
                    serde_json::json!({"agent": c, "status": status, "result": result})
                })
                .collect();
            io.print(&serde_json::Value::Array(list).to_string());
        } else {
            for (c, status, result) in &ended {
                match status.as_str() {
                    "forgotten" => io.print(&format!("{c} forgotten")),
                    _ => io.print(&format!("{c} {status}: {result}")),
                }
            }
        }
        self.mark_read(&read);
    }

    /// Parks the current command list until `what` happens, or the
    /// timeout passes (exit status 2).
    pub fn park(&mut self, what: WaitFor, timeout: Option<f64>) -> Flow {
        let Some(queue) = self.current_queue else {
            return Flow::Continue;
        };
        let id = self.agents.next_waiter;
        self.agents.next_waiter += 1;
        self.agents
            .waiters
            .push(super::spawn::Waiter { id, queue, what });
        if let Some(secs) = timeout {
            let events = self.events.clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_secs_f64(secs)).await;
                let _ = events.send(crate::server::Event::WaitTimeout(id));
            });
        }
        Flow::Wait
    }

    /// Wakes the child waits that are now satisfied.
    pub fn wake_child_waiters(&mut self) {
        let ready: Vec<u64> = self
            .agents
            .waiters
            .iter()
            .filter(|w| matches!(w.what, WaitFor::Children { .. }) && self.children_ready(&w.what))
            .map(|w| w.id)
            .collect();
        for id in ready {
            let Some(pos) = self.agents.waiters.iter().position(|w| w.id == id) else {
                continue;
            };
            let w = self.agents.waiters.remove(pos);
            let Some(mut q) = self.parked.remove(&w.queue) else {
                continue;
            };
            self.print_results(&w.what, &mut q.io);
            self.parked.insert(q.id, q);
            self.ready.push_back(w.queue);
        }
    }

    /// A wait's time ran out: what ended so far is printed, then the
    /// command fails with status 2.
    pub fn wait_timeout(&mut self, id: u64) {
        let Some(pos) = self.agents.waiters.iter().position(|w| w.id == id) else {
            return;
        };
        let w = self.agents.waiters.remove(pos);
        let Some(mut q) = self.parked.remove(&w.queue) else {
            return;
        };
        let why = match &w.what {
            WaitFor::Children { .. } => {
                self.print_results(&w.what, &mut q.io);
                "timed out waiting for agents to end".to_string()
            }
            WaitFor::Reply {
                thread,
                from,
                id,
                json,
            } => {
                if *json {
                    let out = serde_json::json!({"thread": thread, "id": id, "status": "timeout"});
                    q.io.print(&out.to_string());
                }
                format!("timed out waiting for a reply from {from} on {thread}")
            }
            WaitFor::Inbox { key, .. } => format!("timed out waiting for a message to {key}"),
            WaitFor::Answer { host, .. } => format!("host {host} did not answer"),
        };
        q.io.err.push_str(&why);
        q.io.err.push('\n');
        q.io.status = 2;
        q.items.clear();
        self.parked.insert(q.id, q);
        self.ready.push_back(w.queue);
    }
}

/// Whether a run-mode agent's parent should hear of a program exit: the
/// last lines of its output, as its result.
pub fn exit_result(status: i32, tail: &str) -> String {
    let what = if status > 128 {
        format!("killed by signal {}", status - 128)
    } else {
        format!("exit {status}")
    };
    if tail.is_empty() {
        what
    } else {
        format!("{what}\n{tail}")
    }
}
