//! What the agent commands and the server share: an agent's record as
//! commands see it, groups, shared context entries, and the changes the
//! commands ask for.

use serde::{Deserialize, Serialize};

/// Where an agent is in its life. `active` and `idle` follow the output of
/// its home pane unless another status was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Idle,
    Waiting,
    Paused,
    Completed,
    Failed,
    /// Ended by agent-stop (its parent or the operator).
    Stopped,
    Lost,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Active,
        Status::Idle,
        Status::Waiting,
        Status::Paused,
        Status::Completed,
        Status::Failed,
        Status::Stopped,
        Status::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Idle => "idle",
            Status::Waiting => "waiting",
            Status::Paused => "paused",
            Status::Completed => "completed",
            Status::Failed => "failed",
            Status::Stopped => "stopped",
            Status::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// How a finished agent ended: completed when its program, or its
    /// agent-done, said it succeeded.
    pub fn finished(ok: bool) -> Status {
        if ok {
            Status::Completed
        } else {
            Status::Failed
        }
    }

    /// Finished one way or another: no longer running.
    pub fn ended(self) -> bool {
        matches!(
            self,
            Status::Completed | Status::Failed | Status::Stopped | Status::Lost
        )
    }
}

/// An agent's record, as `show-agent --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct AgentView {
    pub key: String,
    /// The session's name (its last name, once the session is gone).
    pub session: String,
    /// `$N` while the session is alive.
    pub session_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub objective: String,
    pub role: String,
    pub status: Status,
    /// Seconds since the epoch (ISO 8601 in JSON).
    #[serde(serialize_with = "iso")]
    pub created: u64,
    #[serde(serialize_with = "iso")]
    pub activity: u64,
    pub tasks_completed: u64,
    pub interactions: u64,
    pub group: Option<String>,
    pub coordinator: bool,
    pub parent: Option<String>,
    /// "run" or "session" for a sub-agent; empty for a root agent.
    pub mode: String,
    pub depth: u64,
    /// What it ended with, once it has.
    pub result: Option<String>,
    /// Why it ended when not by agent-done: exit, timeout, killed.
    pub reason: String,
    pub tokens: u64,
    pub turns: u64,
    pub tokens_in: u64,
    pub tokens_out: u64,
    /// Dollars it reported spending.
    pub cost: f64,
    pub model: String,
    /// Its worktree and branch (agent-spawn --worktree), if it has one.
    pub worktree: Option<String>,
    pub branch: Option<String>,
    /// Whether it may spawn at all: its depth and its type allow it (the
    /// counts of children and running agents are checked at spawn).
    pub may_spawn: bool,
    /// Its type's MCP tool lists (empty tools: all).
    pub tools: Vec<String>,
    pub deny_tools: Vec<String>,
    /// The server it runs on, when that is another host sharing the store
    /// (agent-store).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

impl AgentView {
    /// Whether it is running now, here or on another host.
    pub fn running(&self) -> bool {
        self.session_id.is_some() || (self.host.is_some() && !self.status.ended())
    }
}

/// A coordination group, as `list-agent-groups --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub name: String,
    pub members: usize,
    pub coordinator: Option<String>,
    /// Keys in its shared context and their bytes (keys and values).
    pub context_keys: usize,
    pub context_bytes: usize,
    /// Its members' usage: tokens and dollars.
    pub tokens: u64,
    pub cost: f64,
    #[serde(serialize_with = "iso")]
    pub created: u64,
    /// The hosts its members run on, in a store shared by several
    /// (agent-store).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
}

/// One key of a group's shared context.
#[derive(Debug, Clone, Serialize)]
pub struct ContextEntry {
    pub key: String,
    /// The value: a string, or any JSON value if it was shared with -j.
    pub value: serde_json::Value,
    pub version: u64,
    /// Who wrote it: the agent key of the pane the writer ran in, `%N` for
    /// another pane, or `operator` for a caller outside the server's panes.
    pub writer: String,
    #[serde(serialize_with = "iso")]
    pub time: u64,
    /// The host whose server took the write, in a store shared by
    /// several (agent-store): its writer is a caller there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

/// What set-agent changes.
#[derive(Debug, Clone, Default)]
pub struct AgentChange {
    pub objective: Option<String>,
    pub role: Option<String>,
    pub status: Option<Status>,
    pub task_done: bool,
    pub interaction: bool,
    /// Tokens used since the last report (set-agent --tokens).
    pub tokens: Option<u64>,
    /// Tokens in and out, and cost in millionths of a dollar: added, or
    /// with `totals` set as the totals so far (a status line's numbers).
    pub tokens_in: Option<u64>,
    pub tokens_out: Option<u64>,
    pub cost_micros: Option<u64>,
    pub totals: bool,
    /// The model it runs.
    pub model: Option<String>,
}

/// A change to a group's shared context.
#[derive(Debug, Clone)]
pub enum ShareOp {
    Set {
        key: String,
        value: serde_json::Value,
    },
    Delete {
        key: String,
    },
}

/// What makes a new session (or its new pane) an agent: -G and -o.
#[derive(Debug, Clone, Default)]
pub struct AgentSpec {
    pub kind: String,
    pub objective: String,
    /// Take over the ended agent of the same name (--resume): its group,
    /// its counters, its history; otherwise an ended record of that name
    /// starts afresh.
    pub resume: bool,
}

/// Seconds since the epoch, in JSON as an ISO 8601 time in UTC.
fn iso<S: serde::Serializer>(secs: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::util::iso_time(secs.saturating_mul(1_000_000)))
}

/// A time for people: local, to the second.
pub fn local_time(secs: u64) -> String {
    crate::format::strftime("%Y-%m-%d %H:%M:%S", secs as i64)
}

/// Prints records as JSON, one document for the whole list.
pub fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// A program agents run, from `agent-type`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentType {
    /// The agent that defined it, for itself and its sub-agents; None for
    /// the operator's types, which are everyone's.
    pub owner: Option<String>,
    pub name: String,
    /// Where its agents start (default: the parent's directory).
    pub cwd: Option<String>,
    /// `VAR=value` for its agents' environment.
    pub env: Vec<String>,
    /// Messages are typed into its agents' panes.
    pub inject: bool,
    /// The command; `{task}` in an argument becomes the task.
    pub command: Vec<String>,
    /// Its agents work in git worktrees of their own.
    #[serde(default)]
    pub worktree: bool,
    /// The MCP tools its agents are offered (empty: all), and those they
    /// are not.
    #[serde(default)]
    pub tools: Vec<String>,
    #[serde(default)]
    pub deny_tools: Vec<String>,
    /// Arguments that make its program carry on where it left off
    /// (`--continue` for Claude Code): agent-group-restore adds them when
    /// it resumes an agent of this type.
    #[serde(default)]
    pub resume: Vec<String>,
}

/// How a sub-agent runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpawnMode {
    /// One task: when it ends its session goes, its result to the parent.
    Run,
    /// Stays, taking messages, until ended.
    Session,
}

impl SpawnMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SpawnMode::Run => "run",
            SpawnMode::Session => "session",
        }
    }
}

/// What agent-spawn asks for.
#[derive(Debug, Clone)]
pub struct AgentSpawn {
    pub kind: Option<String>,
    pub mode: SpawnMode,
    pub name: Option<String>,
    /// Seconds the run may take.
    pub timeout: Option<u64>,
    /// Files copied into the child's own directory.
    pub files: Vec<String>,
    /// Where it starts (else its type's directory, else its parent's).
    pub cwd: Option<String>,
    pub task: String,
    /// A git worktree of its own: asked for, or made for it already.
    pub worktree: Worktree,
    /// Print the new agent with this format (-P).
    pub print: Option<String>,
}

/// An agent's own git worktree (agent-spawn --worktree).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Worktree {
    #[default]
    No,
    /// Wanted: the host makes it (off its main loop), then spawns.
    Wanted,
    /// Made: the directory, its branch, and the commit it started from.
    Made {
        path: String,
        branch: String,
        base: String,
    },
}

/// A message as agent-inbox and agent-history show it.
#[derive(Debug, Clone, Serialize)]
pub struct MessageView {
    pub id: u64,
    pub thread: String,
    /// An agent key, `%N` for another pane, or `user` outside them.
    pub from: String,
    pub to: String,
    pub body: String,
    /// Seconds since the epoch (ISO 8601 in JSON).
    #[serde(serialize_with = "iso")]
    pub time: u64,
    /// message, reply or result.
    pub kind: String,
    pub read: bool,
    pub delivered: bool,
    /// Who caused it, when not the sender itself (the operator ending a
    /// child's task).
    pub actor: String,
    /// Typing it into the recipient's pane: empty (inbox only), queued,
    /// typing, delivered, unconfirmed, or inbox (not typed after all).
    pub delivery: String,
    /// Why it waits, or why it was not confirmed.
    pub note: String,
    /// The host whose server took it, in a store shared by several
    /// (agent-store): its sender is a caller there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

impl MessageView {
    /// Its sender, with its host where that says more: the operator (or
    /// a pane) of another host is not this one's.
    pub fn sender(&self) -> String {
        match &self.host {
            Some(h) if !self.from.starts_with("agent:") => format!("{}@{h}", self.from),
            _ => self.from.clone(),
        }
    }
}

/// What agent-send asks for.
#[derive(Debug, Clone, Default)]
pub struct SendSpec {
    /// Continue this thread (else a new one).
    pub thread: Option<String>,
    /// Type it into the target's pane (Some(true)), or not (Some(false));
    /// None: as the target's type says.
    pub inject: Option<bool>,
    /// Seconds to wait for the reply; None or 0: do not wait.
    pub wait: Option<f64>,
    pub body: String,
    /// Print the outcome as JSON: thread, id, status, reply.
    pub json: bool,
    /// Print nothing when not waiting (not even the thread).
    pub quiet: bool,
}

/// One entry of an agent's history.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    #[serde(serialize_with = "iso")]
    pub time: u64,
    /// The agent it happened to (empty for a group's event).
    pub agent: String,
    /// Who did it, when not the agent itself.
    pub actor: String,
    pub kind: String,
    pub detail: String,
}

/// agent-history: the record, its messages both ways and its events.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    pub agent: AgentView,
    pub messages: Vec<MessageView>,
    pub events: Vec<EventView>,
    /// The pane's recent output, with -p.
    pub output: Option<String>,
}
