//! The agent store: agent records, groups and shared context in an SQLite
//! database beside the server's socket, so that they outlive the server.
//!
//! Everything is read once when the server starts. After that the server
//! keeps its state in memory and sends the store the rows that changed, in
//! numbered batches; a writer thread commits them in order (several in one
//! transaction when they queue up) with a full sync, and reports back, so
//! that a command's reply waits for its changes to be on disk without the
//! server waiting on the disk.
//!
//! When a commit fails (disk full, read-only, I/O error) the writer fails
//! every later batch of the same epoch without writing it: they may build
//! on the one that failed, and a later write must never make an earlier
//! failed one durable. The server then reads the database again
//! ([`load_path`]), so that its memory is exactly what is stored, and goes
//! on in a new epoch.

pub mod redis;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Why the store cannot be used: one line naming the file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("agent store {path}: {reason}")]
pub struct StoreError {
    pub path: String,
    pub reason: String,
}

/// An agent's record as stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentRow {
    pub key: String,
    pub session_name: String,
    pub kind: String,
    pub objective: String,
    pub role: String,
    pub status: String,
    /// Set by set-agent: the status no longer follows the pane's output.
    pub status_explicit: bool,
    /// Microseconds since the epoch: it orders agents made in the same
    /// second.
    pub created: u64,
    /// Seconds since the epoch.
    pub activity: u64,
    pub tasks: u64,
    pub interactions: u64,
    pub group: Option<String>,
    pub coordinator: bool,
    /// When it joined its group, in microseconds: the longest-standing
    /// member takes over from a leaving coordinator.
    pub joined: u64,
    pub parent: Option<String>,
    /// How it was spawned: "run", "session", or empty for a root agent.
    pub mode: String,
    /// 0 for a root agent, its parent's plus one for a sub-agent.
    pub depth: u64,
    /// What it ended with (agent-done, its program's exit, a timeout).
    pub result: Option<String>,
    /// Why it ended, when not by agent-done: "exit", "timeout", "killed".
    pub reason: String,
    /// Tokens it reported using (set-agent --tokens).
    pub tokens: u64,
    /// Messages it was given: its task and every message since.
    pub turns: u64,
    /// Sub-agents it spawned, ever: numbers their keys.
    pub spawned: u64,
    /// When it ended, in microseconds; 0 while it runs.
    pub ended: u64,
    /// Seconds a run may take (agent-spawn --timeout); 0 for no limit.
    pub timeout: u64,
    /// Usage it reported: tokens in and out, cost in millionths of a
    /// dollar, the model it runs.
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_micros: u64,
    pub model: String,
    /// A worktree of its own (agent-spawn --worktree): its path, branch and
    /// the commit it started from.
    pub worktree: String,
    pub branch: String,
    pub base: String,
    /// The server it runs on, in a store shared by several hosts
    /// (`agent-host-name`); empty in a server's own store.
    pub host: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub name: String,
    pub created: u64,
    /// When its last member left (seconds); its context is kept a while.
    pub emptied: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryRow {
    pub group: String,
    pub key: String,
    /// The value as JSON text.
    pub value: String,
    pub version: u64,
    pub writer: String,
    pub time: u64,
    /// The host whose server took the write, in a store shared by several
    /// (its writer is a caller there); empty in a server's own store.
    #[serde(default)]
    pub host: String,
}

/// A message in an agent's inbox: sent, replied, or a child's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageRow {
    pub id: u64,
    pub thread: String,
    /// Agent keys, or `user` for a sender outside the agents.
    pub sender: String,
    pub recipient: String,
    pub body: String,
    /// Microseconds since the epoch.
    pub time: u64,
    /// "message", "reply" or "result".
    pub kind: String,
    pub read: bool,
    /// Typed into the recipient's pane (for agents that take messages so).
    pub delivered: bool,
    /// Who caused it, verified: the sender itself for a message or reply;
    /// for a result, the child or whoever ended it (the operator).
    pub actor: String,
    /// Typing it into the recipient's pane: "" (inbox only), queued,
    /// typing, delivered, unconfirmed, or inbox (not typed after all).
    pub delivery: String,
    /// Why it waits, or why it was not confirmed.
    pub note: String,
    /// The host whose server took it, in a store shared by several (its
    /// sender is a caller there); empty in a server's own store.
    #[serde(default)]
    pub host: String,
}

/// Something that happened to an agent, for its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: u64,
    /// The agent it happened to; empty for a group's own event.
    pub agent: String,
    /// Who did it, when that was not the agent itself.
    pub actor: String,
    pub time: u64,
    /// spawned, status, share, sent, done, session-created...
    pub kind: String,
    /// Words for agent-history.
    pub detail: String,
    /// The event's fields, a JSON object, for subscribers.
    pub data: String,
    /// The host whose server it happened on, in a store shared by
    /// several; empty in a server's own store.
    #[serde(default)]
    pub host: String,
}

/// A change to store.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Op {
    Message(MessageRow),
    Event(EventRow),
    /// An agent's messages and events, when its record is pruned.
    DropHistory(String),
    /// Events up to this id that belong to no agent (the multiplexer's),
    /// when the log has grown past its limit.
    DropEventsBefore(u64),
    Agent(Box<AgentRow>),
    ForgetAgent(String),
    Group(GroupRow),
    /// A group and its context.
    DropGroup(String),
    Entry(EntryRow),
    /// An agent type: its owner (empty for the operator's), name, and
    /// definition as JSON.
    Type {
        owner: String,
        name: String,
        spec: String,
    },
    DropEntry {
        group: String,
        key: String,
    },
    /// Agent `key` starts, and at most `max` may run at once: a shared
    /// store checks it against every host's running agents, atomically
    /// (an embedded store's server has counted them all already).
    Claim {
        key: String,
        max: u64,
    },
    /// A server asks the server of `host` to start an agent for its
    /// caller (`agent-spawn --host`): `argv` is that agent-spawn, `caller`
    /// who asked (an agent key of the asking host, or `operator`). Only
    /// in the shared store's stream.
    Request {
        id: String,
        host: String,
        from: String,
        caller: String,
        argv: Vec<String>,
    },
    /// The answer to request `id`, for the server of `host`.
    Answer {
        id: String,
        host: String,
        code: i32,
        out: String,
        err: String,
    },
    /// A message the store does not have after all (a shared store's
    /// answer to a refused batch).
    DropMessage(u64),
}

/// What the store held when the server started.
#[derive(Debug, Default)]
pub struct Loaded {
    pub agents: Vec<AgentRow>,
    pub groups: Vec<GroupRow>,
    pub entries: Vec<EntryRow>,
    pub messages: Vec<MessageRow>,
    pub events: Vec<EventRow>,
    /// Agent types: (owner, name, definition as JSON).
    pub types: Vec<(String, String, String)>,
    /// A shared store's number for this host, in the low bits of the
    /// message ids it gives; 0 for a server's own store.
    pub host_no: u64,
}

/// A batch of changes: its number, and the epoch it was made in.
pub struct Batch {
    pub ops: Vec<Op>,
    pub seq: u64,
    pub epoch: u64,
}

/// The handle the server keeps: changes go to the writer.
pub struct Store {
    /// What error messages call it: the database's path, or the Redis
    /// URL without its password.
    pub name: String,
    backend: Backend,
    writer: std::thread::JoinHandle<()>,
}

enum Backend {
    Sqlite {
        path: PathBuf,
        tx: mpsc::Sender<Batch>,
    },
    Redis(redis::Handle),
}

/// What the writer tells the server.
#[derive(Debug)]
pub enum Report {
    /// Batch `seq` of `epoch` is stored, or was refused (`error`).
    Stored {
        seq: u64,
        epoch: u64,
        error: Option<String>,
        /// A shared store numbers events as it stores them: the batch's
        /// events with their numbers, for the server to log and publish.
        events: Vec<EventRow>,
        /// A shared store refused a batch: what it holds now for every row
        /// the batch touched, so that memory can be made what is stored
        /// without reading everything again. None when it could not be
        /// read (the store is unreachable).
        restore: Option<Vec<Op>>,
    },
    /// Changes another host stored, in the order the store took them.
    Remote(Vec<Op>),
    /// A shared store is unreachable: agent commands fail until it is back.
    Down(String),
    /// A shared store is reachable again, and this is what it holds.
    Reloaded(Box<Loaded>),
    /// Another host's lease ran out: its server is gone, and its agents
    /// with it.
    HostLost(String),
    /// The hosts whose leases are current, when that changes.
    Hosts(Vec<String>),
}

impl Store {
    /// Lets the writer store what was sent, for at most `within`: a
    /// server that ends tells the store (and other hosts) its last
    /// changes, its agents' ends among them.
    pub fn close(self, within: std::time::Duration) {
        let Store {
            backend, writer, ..
        } = self;
        drop(backend);
        let until = std::time::Instant::now() + within;
        while !writer.is_finished() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        if writer.is_finished() {
            let _ = writer.join();
        }
    }

    /// Whether it is shared with other hosts (Redis).
    pub fn shared(&self) -> Option<&redis::Handle> {
        match &self.backend {
            Backend::Redis(h) => Some(h),
            Backend::Sqlite { .. } => None,
        }
    }

    /// The error a refused batch is reported with: a shared store's
    /// errors already say what they are about.
    pub fn describe(&self, error: &str) -> String {
        match &self.backend {
            Backend::Sqlite { .. } => format!("agent store {}: {error}", self.name),
            Backend::Redis(_) => error.to_string(),
        }
    }

    /// The database's path, for an embedded store: it can be read again
    /// at once after a failed write.
    pub fn path(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Sqlite { path, .. } => Some(path),
            Backend::Redis(_) => None,
        }
    }
}

/// What the writer reports for each batch: its number and epoch, and an
/// error if it was not stored.
pub type Done = Box<dyn Fn(Report) + Send + Sync>;

/// The report of an embedded store's batch.
fn stored(done: &Done, b: &Batch, error: Option<String>) {
    done(Report::Stored {
        seq: b.seq,
        epoch: b.epoch,
        error,
        events: Vec::new(),
        restore: None,
    });
}

const SCHEMA_VERSION: i64 = 7;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS agents (
    key TEXT PRIMARY KEY,
    session_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    objective TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    status_explicit INTEGER NOT NULL,
    created INTEGER NOT NULL,
    activity INTEGER NOT NULL,
    tasks INTEGER NOT NULL,
    interactions INTEGER NOT NULL,
    grp TEXT,
    coordinator INTEGER NOT NULL,
    joined INTEGER NOT NULL,
    parent TEXT
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    thread TEXT NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    time INTEGER NOT NULL,
    kind TEXT NOT NULL,
    read INTEGER NOT NULL,
    delivered INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    time INTEGER NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS groups (
    name TEXT PRIMARY KEY,
    created INTEGER NOT NULL,
    emptied INTEGER
);
CREATE TABLE IF NOT EXISTS types (
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    spec TEXT NOT NULL,
    PRIMARY KEY (owner, name)
);
CREATE TABLE IF NOT EXISTS context (
    grp TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    version INTEGER NOT NULL,
    writer TEXT NOT NULL,
    time INTEGER NOT NULL,
    PRIMARY KEY (grp, key)
);
";

/// The database for a server's socket: beside it, `NAME.db`.
pub fn path_for(socket: &Path) -> PathBuf {
    let mut p = socket.as_os_str().to_owned();
    p.push(".db");
    PathBuf::from(p)
}

fn fail(path: &Path, reason: impl std::fmt::Display) -> StoreError {
    StoreError {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

/// Opens (or creates) the database, checks it, reads it, and starts the
/// writer. A file that is not a sound agmux database is an error, never
/// replaced.
pub fn open(path: &Path, done: Done) -> Result<(Store, Loaded), StoreError> {
    let conn = Connection::open(path).map_err(|e| fail(path, e))?;
    prepare(&conn).map_err(|e| fail(path, e))?;
    let loaded = load(&conn).map_err(|e| fail(path, e))?;
    let (tx, rx) = mpsc::channel::<Batch>();
    let thread = std::thread::Builder::new()
        .name("store".into())
        .spawn(move || writer(conn, rx, done))
        .map_err(|e| fail(path, e))?;
    Ok((
        Store {
            name: path.display().to_string(),
            backend: Backend::Sqlite {
                path: path.to_path_buf(),
                tx,
            },
            writer: thread,
        },
        loaded,
    ))
}

fn prepare(conn: &Connection) -> rusqlite::Result<()> {
    // Anything but "ok" means damage: refuse rather than build on it.
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some(format!("database is damaged: {check}")),
        ));
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // The schema and its upgrades in one transaction: one sync to disk
    // for a new database where each statement alone cost one (37 of
    // them, 0.1 s of a server's start on a busy disk), and all or none of
    // an upgrade if the server dies halfway.
    let tx = conn.unchecked_transaction()?;
    migrate(&tx)?;
    tx.commit()
}

/// Creates the tables, or brings an older database's up to date.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    let version: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE name = 'schema'", [], |r| {
            r.get(0)
        })
        .optional()?;
    match version.as_deref().map(str::parse::<i64>) {
        None => {
            add_agent_columns(conn)?;
            conn.execute(
                "INSERT INTO meta (name, value) VALUES ('schema', ?1)",
                params![SCHEMA_VERSION.to_string()],
            )?;
        }
        Some(Ok(1..=6)) => {
            // Version 1 had no sub-agents, version 2 no actors, version 3
            // no delivery states, version 4 no event data: their columns
            // are added.
            add_agent_columns(conn)?;
            conn.execute(
                "UPDATE meta SET value = ?1 WHERE name = 'schema'",
                params![SCHEMA_VERSION.to_string()],
            )?;
        }
        Some(Ok(SCHEMA_VERSION)) => {}
        Some(_) => {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISMATCH),
                Some(format!(
                    "schema version {} is not {SCHEMA_VERSION}: made by another agmux",
                    version.unwrap_or_default()
                )),
            ));
        }
    }
    Ok(())
}

/// The sub-agent columns of schema 2, with their defaults.
const AGENT_COLUMNS: &[&str] = &[
    "mode TEXT NOT NULL DEFAULT ''",
    "depth INTEGER NOT NULL DEFAULT 0",
    "result TEXT",
    "reason TEXT NOT NULL DEFAULT ''",
    "tokens INTEGER NOT NULL DEFAULT 0",
    "turns INTEGER NOT NULL DEFAULT 0",
    "spawned INTEGER NOT NULL DEFAULT 0",
    "ended INTEGER NOT NULL DEFAULT 0",
    "timeout INTEGER NOT NULL DEFAULT 0",
    // Schema 7: usage meters and worktrees.
    "tokens_in INTEGER NOT NULL DEFAULT 0",
    "tokens_out INTEGER NOT NULL DEFAULT 0",
    "cost_micros INTEGER NOT NULL DEFAULT 0",
    "model TEXT NOT NULL DEFAULT ''",
    "worktree TEXT NOT NULL DEFAULT ''",
    "branch TEXT NOT NULL DEFAULT ''",
    "base TEXT NOT NULL DEFAULT ''",
];

/// The actor columns of schema 3.
const ACTOR_COLUMNS: &[&str] = &["actor TEXT NOT NULL DEFAULT ''"];

/// The delivery columns of schema 4.
const DELIVERY_COLUMNS: &[&str] = &[
    "delivery TEXT NOT NULL DEFAULT ''",
    "note TEXT NOT NULL DEFAULT ''",
];

fn add_agent_columns(conn: &Connection) -> rusqlite::Result<()> {
    add_columns(conn, "agents", AGENT_COLUMNS)?;
    add_columns(conn, "messages", ACTOR_COLUMNS)?;
    add_columns(conn, "messages", DELIVERY_COLUMNS)?;
    add_columns(conn, "events", ACTOR_COLUMNS)?;
    add_columns(conn, "events", &["data TEXT NOT NULL DEFAULT '{}'"])
}

fn add_columns(conn: &Connection, table: &str, columns: &[&str]) -> rusqlite::Result<()> {
    let have: Vec<String> = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for col in columns {
        let name = col.split(' ').next().unwrap_or(col);
        if !have.iter().any(|h| h == name) {
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {col}"))?;
        }
    }
    Ok(())
}

fn load(conn: &Connection) -> rusqlite::Result<Loaded> {
    let mut agents = Vec::new();
    let mut st = conn.prepare(
        "SELECT key, session_name, kind, objective, role, status, status_explicit, created,
                activity, tasks, interactions, grp, coordinator, joined, parent, mode, depth,
                result, reason, tokens, turns, spawned, ended, timeout, tokens_in, tokens_out,
                cost_micros, model, worktree, branch, base
         FROM agents ORDER BY created, key",
    )?;
    let rows = st.query_map([], |r| {
        Ok(AgentRow {
            key: r.get(0)?,
            session_name: r.get(1)?,
            kind: r.get(2)?,
            objective: r.get(3)?,
            role: r.get(4)?,
            status: r.get(5)?,
            status_explicit: r.get(6)?,
            created: r.get(7)?,
            activity: r.get(8)?,
            tasks: r.get(9)?,
            interactions: r.get(10)?,
            group: r.get(11)?,
            coordinator: r.get(12)?,
            joined: r.get(13)?,
            parent: r.get(14)?,
            mode: r.get(15)?,
            depth: r.get(16)?,
            result: r.get(17)?,
            reason: r.get(18)?,
            tokens: r.get(19)?,
            turns: r.get(20)?,
            spawned: r.get(21)?,
            ended: r.get(22)?,
            timeout: r.get(23)?,
            tokens_in: r.get(24)?,
            tokens_out: r.get(25)?,
            cost_micros: r.get(26)?,
            model: r.get(27)?,
            worktree: r.get(28)?,
            branch: r.get(29)?,
            base: r.get(30)?,
            host: String::new(),
        })
    })?;
    for row in rows {
        agents.push(row?);
    }
    let mut groups = Vec::new();
    let mut st = conn.prepare("SELECT name, created, emptied FROM groups ORDER BY name")?;
    for row in st.query_map([], |r| {
        Ok(GroupRow {
            name: r.get(0)?,
            created: r.get(1)?,
            emptied: r.get(2)?,
        })
    })? {
        groups.push(row?);
    }
    let mut entries = Vec::new();
    let mut st = conn
        .prepare("SELECT grp, key, value, version, writer, time FROM context ORDER BY grp, key")?;
    for row in st.query_map([], |r| {
        Ok(EntryRow {
            group: r.get(0)?,
            key: r.get(1)?,
            value: r.get(2)?,
            version: r.get(3)?,
            writer: r.get(4)?,
            time: r.get(5)?,
            host: String::new(),
        })
    })? {
        entries.push(row?);
    }
    let mut messages = Vec::new();
    let mut st = conn.prepare(
        "SELECT id, thread, sender, recipient, body, time, kind, read, delivered, actor,
                delivery, note
         FROM messages ORDER BY id",
    )?;
    for row in st.query_map([], |r| {
        Ok(MessageRow {
            id: r.get(0)?,
            thread: r.get(1)?,
            sender: r.get(2)?,
            recipient: r.get(3)?,
            body: r.get(4)?,
            time: r.get(5)?,
            kind: r.get(6)?,
            read: r.get(7)?,
            delivered: r.get(8)?,
            actor: r.get(9)?,
            delivery: r.get(10)?,
            note: r.get(11)?,
            host: String::new(),
        })
    })? {
        messages.push(row?);
    }
    let mut events = Vec::new();
    let mut st =
        conn.prepare("SELECT id, agent, actor, time, kind, detail, data FROM events ORDER BY id")?;
    for row in st.query_map([], |r| {
        Ok(EventRow {
            id: r.get(0)?,
            agent: r.get(1)?,
            actor: r.get(2)?,
            time: r.get(3)?,
            kind: r.get(4)?,
            detail: r.get(5)?,
            data: r.get(6)?,
            host: String::new(),
        })
    })? {
        events.push(row?);
    }
    let mut types = Vec::new();
    let mut st = conn.prepare("SELECT owner, name, spec FROM types ORDER BY owner, name")?;
    for row in st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
        types.push(row?);
    }
    Ok(Loaded {
        agents,
        groups,
        entries,
        messages,
        events,
        types,
        host_no: 0,
    })
}

impl Store {
    /// Stores batch `seq` of `epoch`; `done` hears of it once it is on
    /// disk, or was refused. False if the writer is gone.
    pub fn write(&self, ops: Vec<Op>, seq: u64, epoch: u64) -> bool {
        let b = Batch { ops, seq, epoch };
        match &self.backend {
            Backend::Sqlite { tx, .. } => tx.send(b).is_ok(),
            Backend::Redis(h) => h.write(b),
        }
    }
}

/// Reads a store again, through a connection of its own: what is on disk,
/// after a write failed.
pub fn load_path(path: &Path) -> Result<Loaded, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| fail(path, e))?;
    load(&conn).map_err(|e| fail(path, e))
}

/// Commits batches as they come, grouping those that queued up meanwhile
/// into one transaction: one sync for many small changes. After a failure,
/// the rest of that epoch is refused unwritten.
fn writer(mut conn: Connection, rx: mpsc::Receiver<Batch>, done: Done) {
    let mut poisoned: Option<u64> = None;
    while let Ok(first) = rx.recv() {
        let mut batches = vec![first];
        while let Ok(more) = rx.try_recv() {
            batches.push(more);
        }
        let (dead, live): (Vec<Batch>, Vec<Batch>) = batches
            .into_iter()
            .partition(|b| poisoned.is_some_and(|p| b.epoch <= p));
        for b in dead {
            stored(
                &done,
                &b,
                Some("not written: an earlier write failed".into()),
            );
        }
        // One transaction per epoch: a failure poisons only its own.
        let mut rest = live;
        while !rest.is_empty() {
            let epoch = rest[0].epoch;
            let split = rest
                .iter()
                .position(|b| b.epoch != epoch)
                .unwrap_or(rest.len());
            let later = rest.split_off(split);
            let result = commit(&mut conn, &rest).err().map(|e| e.to_string());
            if result.is_some() {
                poisoned = Some(poisoned.map_or(epoch, |p| p.max(epoch)));
            }
            for b in &rest {
                stored(&done, b, result.clone());
            }
            rest = later;
        }
    }
}

fn commit(conn: &mut Connection, batches: &[Batch]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    for op in batches.iter().flat_map(|b| &b.ops) {
        apply(&tx, op)?;
    }
    tx.commit()
}

fn apply(tx: &rusqlite::Transaction<'_>, op: &Op) -> rusqlite::Result<()> {
    match op {
        Op::Message(m) => {
            tx.execute(
                "INSERT OR REPLACE INTO messages (id, thread, sender, recipient, body, time, kind,
                     read, delivered, actor, delivery, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    m.id,
                    m.thread,
                    m.sender,
                    m.recipient,
                    m.body,
                    m.time,
                    m.kind,
                    m.read,
                    m.delivered,
                    m.actor,
                    m.delivery,
                    m.note
                ],
            )?;
        }
        Op::Event(e) => {
            tx.execute(
                "INSERT OR REPLACE INTO events (id, agent, actor, time, kind, detail, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![e.id, e.agent, e.actor, e.time, e.kind, e.detail, e.data],
            )?;
        }
        Op::DropHistory(key) => {
            tx.execute(
                "DELETE FROM messages WHERE sender = ?1 OR recipient = ?1",
                params![key],
            )?;
            tx.execute("DELETE FROM events WHERE agent = ?1", params![key])?;
        }
        Op::DropEventsBefore(id) => {
            tx.execute(
                "DELETE FROM events WHERE id < ?1 AND agent = ''",
                params![id],
            )?;
        }
        Op::Agent(a) => {
            tx.execute(
                "INSERT OR REPLACE INTO agents (key, session_name, kind, objective, role, status,
                     status_explicit, created, activity, tasks, interactions, grp, coordinator,
                     joined, parent, mode, depth, result, reason, tokens, turns, spawned, ended,
                     timeout, tokens_in, tokens_out, cost_micros, model, worktree, branch, base)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                     ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
                params![
                    a.key,
                    a.session_name,
                    a.kind,
                    a.objective,
                    a.role,
                    a.status,
                    a.status_explicit,
                    a.created,
                    a.activity,
                    a.tasks,
                    a.interactions,
                    a.group,
                    a.coordinator,
                    a.joined,
                    a.parent,
                    a.mode,
                    a.depth,
                    a.result,
                    a.reason,
                    a.tokens,
                    a.turns,
                    a.spawned,
                    a.ended,
                    a.timeout,
                    a.tokens_in,
                    a.tokens_out,
                    a.cost_micros,
                    a.model,
                    a.worktree,
                    a.branch,
                    a.base
                ],
            )?;
        }
        Op::ForgetAgent(key) => {
            tx.execute("DELETE FROM agents WHERE key = ?1", params![key])?;
        }
        Op::Group(g) => {
            tx.execute(
                "INSERT OR REPLACE INTO groups (name, created, emptied) VALUES (?1, ?2, ?3)",
                params![g.name, g.created, g.emptied],
            )?;
        }
        Op::DropGroup(name) => {
            tx.execute("DELETE FROM context WHERE grp = ?1", params![name])?;
            tx.execute("DELETE FROM groups WHERE name = ?1", params![name])?;
        }
        Op::Entry(e) => {
            tx.execute(
                "INSERT OR REPLACE INTO context (grp, key, value, version, writer, time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![e.group, e.key, e.value, e.version, e.writer, e.time],
            )?;
        }
        Op::Type { owner, name, spec } => {
            tx.execute(
                "INSERT OR REPLACE INTO types (owner, name, spec) VALUES (?1, ?2, ?3)",
                params![owner, name, spec],
            )?;
        }
        Op::DropEntry { group, key } => {
            tx.execute(
                "DELETE FROM context WHERE grp = ?1 AND key = ?2",
                params![group, key],
            )?;
        }
        Op::DropMessage(id) => {
            tx.execute("DELETE FROM messages WHERE id = ?1", params![id])?;
        }
        Op::Claim { .. } | Op::Request { .. } | Op::Answer { .. } => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("agmux-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("s.db")
    }

    fn agent(key: &str) -> AgentRow {
        AgentRow {
            key: key.into(),
            session_name: "s".into(),
            kind: "shell".into(),
            objective: "o".into(),
            role: String::new(),
            status: "active".into(),
            status_explicit: false,
            created: 1,
            activity: 2,
            tasks: 3,
            interactions: 4,
            group: Some("g".into()),
            coordinator: true,
            joined: 5,
            parent: None,
            mode: "run".into(),
            depth: 1,
            result: Some("r".into()),
            reason: "exit".into(),
            tokens: 6,
            turns: 7,
            spawned: 8,
            ended: 9,
            timeout: 10,
            tokens_in: 11,
            tokens_out: 12,
            cost_micros: 13,
            model: "m".into(),
            worktree: "/w".into(),
            branch: "agmux/s".into(),
            base: "abc".into(),
            host: String::new(),
        }
    }

    #[test]
    fn rows_survive_a_reopen() {
        let path = tmp("reopen");
        let (done_tx, done_rx) = mpsc::channel();
        let (store, loaded) = open(
            &path,
            Box::new(move |r| {
                if let Report::Stored { seq, error, .. } = r {
                    let _ = done_tx.send((seq, error));
                }
            }),
        )
        .unwrap();
        assert!(loaded.agents.is_empty());
        let entry = EntryRow {
            group: "g".into(),
            key: "k".into(),
            value: "\"v\"".into(),
            version: 7,
            writer: "agent:s".into(),
            time: 9,
            host: String::new(),
        };
        store.write(
            vec![
                Op::Agent(Box::new(agent("agent:s"))),
                Op::Group(GroupRow {
                    name: "g".into(),
                    created: 1,
                    emptied: None,
                }),
                Op::Entry(entry.clone()),
            ],
            42,
            1,
        );
        assert_eq!(done_rx.recv().unwrap(), (42, None));
        drop(store);
        let (_store, loaded) = open(&path, Box::new(|_| {})).unwrap();
        assert_eq!(loaded.agents, vec![agent("agent:s")]);
        assert_eq!(loaded.entries, vec![entry]);
        assert_eq!(loaded.groups.len(), 1);
    }

    #[test]
    fn a_version_1_store_gains_the_sub_agent_columns() {
        let path = tmp("v1");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(
                "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
                 INSERT INTO meta VALUES ('schema', '1');
                 CREATE TABLE agents (key TEXT PRIMARY KEY, session_name TEXT NOT NULL,
                     kind TEXT NOT NULL, objective TEXT NOT NULL, role TEXT NOT NULL,
                     status TEXT NOT NULL, status_explicit INTEGER NOT NULL,
                     created INTEGER NOT NULL, activity INTEGER NOT NULL, tasks INTEGER NOT NULL,
                     interactions INTEGER NOT NULL, grp TEXT, coordinator INTEGER NOT NULL,
                     joined INTEGER NOT NULL, parent TEXT);
                 INSERT INTO agents VALUES ('agent:old', 'old', 'shell', '', '', 'lost', 0, 1,
                     2, 0, 0, NULL, 0, 0, NULL);",
            )
            .unwrap();
        }
        let (_s, loaded) = open(&path, Box::new(|_| {})).unwrap();
        assert_eq!(loaded.agents.len(), 1);
        assert_eq!(loaded.agents[0].key, "agent:old");
        assert_eq!(
            (loaded.agents[0].depth, loaded.agents[0].mode.as_str()),
            (0, "")
        );
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_and_kept() {
        let path = tmp("garbage");
        std::fs::write(&path, b"this is not sqlite, and it is mine").unwrap();
        let err = open(&path, Box::new(|_| {})).err().unwrap();
        assert!(
            err.to_string()
                .starts_with(&format!("agent store {}: ", path.display())),
            "{err}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"this is not sqlite, and it is mine"
        );
    }
}
