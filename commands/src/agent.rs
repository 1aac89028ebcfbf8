//! What the agent commands and the server share: an agent's record as
//! commands see it, groups, shared context entries, and the changes the
//! commands ask for.

use serde::Serialize;

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
    Lost,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Active,
        Status::Idle,
        Status::Waiting,
        Status::Paused,
        Status::Completed,
        Status::Failed,
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
            Status::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Finished one way or another: no longer running.
    pub fn ended(self) -> bool {
        matches!(self, Status::Completed | Status::Failed | Status::Lost)
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
    /// Seconds since the epoch.
    pub created: u64,
    pub activity: u64,
    pub tasks_completed: u64,
    pub interactions: u64,
    pub group: Option<String>,
    pub coordinator: bool,
    pub parent: Option<String>,
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
    pub created: u64,
}

/// One key of a group's shared context.
#[derive(Debug, Clone, Serialize)]
pub struct ContextEntry {
    pub key: String,
    /// The value: a string, or any JSON value if it was shared with -j.
    pub value: serde_json::Value,
    pub version: u64,
    /// Who wrote it: the agent key of the pane the writer ran in, `%N` for
    /// another pane, or `pid:N` for a process outside the server's panes.
    pub writer: String,
    pub time: u64,
}

/// What set-agent changes.
#[derive(Debug, Clone, Default)]
pub struct AgentChange {
    pub objective: Option<String>,
    pub role: Option<String>,
    pub status: Option<Status>,
    pub task_done: bool,
    pub interaction: bool,
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
}

/// Prints records as JSON, one document for the whole list.
pub fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
