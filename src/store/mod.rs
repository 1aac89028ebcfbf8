//! The agent store: agent records, groups and shared context in an SQLite
//! database beside the server's socket, so that they outlive the server.
//!
//! Everything is read once when the server starts. After that the server
//! keeps its state in memory and sends the store the rows that changed; a
//! writer thread commits them (several batches in one transaction when they
//! queue up) with a full sync, and reports back, so that a command's reply
//! waits for its changes to be on disk without the server waiting on the
//! disk.

use rusqlite::{Connection, OptionalExtension, params};
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
#[derive(Debug, Clone, PartialEq)]
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    pub name: String,
    pub created: u64,
    /// When its last member left (seconds); its context is kept a while.
    pub emptied: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntryRow {
    pub group: String,
    pub key: String,
    /// The value as JSON text.
    pub value: String,
    pub version: u64,
    pub writer: String,
    pub time: u64,
}

/// A change to store.
#[derive(Debug, Clone)]
pub enum Op {
    Agent(AgentRow),
    ForgetAgent(String),
    Group(GroupRow),
    /// A group and its context.
    DropGroup(String),
    Entry(EntryRow),
    DropEntry {
        group: String,
        key: String,
    },
}

/// What the store held when the server started.
#[derive(Debug, Default)]
pub struct Loaded {
    pub agents: Vec<AgentRow>,
    pub groups: Vec<GroupRow>,
    pub entries: Vec<EntryRow>,
}

/// A batch of changes, and who waits for them.
struct Batch {
    ops: Vec<Op>,
    ticket: Option<u64>,
}

/// The handle the server keeps: changes go to the writer thread.
pub struct Store {
    pub path: PathBuf,
    tx: mpsc::Sender<Batch>,
}

/// What the writer reports for each batch: its ticket, and an error if the
/// commit failed.
pub type Done = Box<dyn Fn(Option<u64>, Option<String>) + Send>;

const SCHEMA_VERSION: i64 = 1;

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
CREATE TABLE IF NOT EXISTS groups (
    name TEXT PRIMARY KEY,
    created INTEGER NOT NULL,
    emptied INTEGER
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
    std::thread::Builder::new()
        .name("store".into())
        .spawn(move || writer(conn, rx, done))
        .map_err(|e| fail(path, e))?;
    Ok((
        Store {
            path: path.to_path_buf(),
            tx,
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
    conn.execute_batch(SCHEMA)?;
    let version: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE name = 'schema'", [], |r| {
            r.get(0)
        })
        .optional()?;
    match version.as_deref().map(str::parse::<i64>) {
        None => {
            conn.execute(
                "INSERT INTO meta (name, value) VALUES ('schema', ?1)",
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

fn load(conn: &Connection) -> rusqlite::Result<Loaded> {
    let mut agents = Vec::new();
    let mut st = conn.prepare(
        "SELECT key, session_name, kind, objective, role, status, status_explicit, created,
                activity, tasks, interactions, grp, coordinator, joined, parent
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
        })
    })? {
        entries.push(row?);
    }
    Ok(Loaded {
        agents,
        groups,
        entries,
    })
}

impl Store {
    /// Stores changes; `done` hears of `ticket` once they are on disk.
    pub fn write(&self, ops: Vec<Op>, ticket: Option<u64>) -> bool {
        if ops.is_empty() && ticket.is_none() {
            return true;
        }
        self.tx.send(Batch { ops, ticket }).is_ok()
    }
}

/// Commits batches as they come, grouping those that queued up meanwhile
/// into one transaction: one sync for many small changes.
fn writer(mut conn: Connection, rx: mpsc::Receiver<Batch>, done: Done) {
    while let Ok(first) = rx.recv() {
        let mut batches = vec![first];
        while let Ok(more) = rx.try_recv() {
            batches.push(more);
        }
        let result = commit(&mut conn, &batches).err().map(|e| e.to_string());
        for b in batches {
            done(b.ticket, result.clone());
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
        Op::Agent(a) => {
            tx.execute(
                "INSERT OR REPLACE INTO agents (key, session_name, kind, objective, role, status,
                     status_explicit, created, activity, tasks, interactions, grp, coordinator,
                     joined, parent)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
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
                    a.parent
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
        Op::DropEntry { group, key } => {
            tx.execute(
                "DELETE FROM context WHERE grp = ?1 AND key = ?2",
                params![group, key],
            )?;
        }
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
        }
    }

    #[test]
    fn rows_survive_a_reopen() {
        let path = tmp("reopen");
        let (done_tx, done_rx) = mpsc::channel();
        let (store, loaded) = open(
            &path,
            Box::new(move |t, e| {
                let _ = done_tx.send((t, e));
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
        };
        store.write(
            vec![
                Op::Agent(agent("agent:s")),
                Op::Group(GroupRow {
                    name: "g".into(),
                    created: 1,
                    emptied: None,
                }),
                Op::Entry(entry.clone()),
            ],
            Some(42),
        );
        assert_eq!(done_rx.recv().unwrap(), (Some(42), None));
        drop(store);
        let (_store, loaded) = open(&path, Box::new(|_, _| {})).unwrap();
        assert_eq!(loaded.agents, vec![agent("agent:s")]);
        assert_eq!(loaded.entries, vec![entry]);
        assert_eq!(loaded.groups.len(), 1);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_and_kept() {
        let path = tmp("garbage");
        std::fs::write(&path, b"this is not sqlite, and it is mine").unwrap();
        let err = open(&path, Box::new(|_, _| {})).err().unwrap();
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
