//! A store shared by the servers of several hosts, in Redis
//! (`agent-store redis://HOST:PORT/DB`).
//!
//! Each server keeps its agent layer in memory as with the embedded store;
//! what changes here is where batches go and what comes back:
//!
//! - A batch is stored by one Lua script, so whole or not at all: it
//!   checks every context write's version against what Redis holds
//!   (compare-and-set across hosts), writes the rows, numbers the batch's
//!   events from one counter (so event ids grow across hosts, and
//!   `subscribe --since` works on any of them), and appends the batch to
//!   the `ops` stream, which every server reads in order.
//! - Reading that stream is how a server learns of every batch, its own
//!   included: its own come back as "stored" with their event numbers,
//!   other hosts' are applied to its memory. One cursor, taken by whoever
//!   reads, keeps them in the stream's order.
//! - A refused batch comes back with what Redis holds now for each row it
//!   touched, so memory is made what is stored without reading everything.
//! - When Redis cannot be reached the server hears `Down`, refuses batches
//!   at once, and keeps trying; once back it reads everything again
//!   (`Reloaded`).

use super::{
    AgentRow, Batch, Done, EntryRow, EventRow, GroupRow, Loaded, MessageRow, Op, Report, Store,
    StoreError,
};
use redis::aio::MultiplexedConnection;
use redis::streams::{StreamRangeReply, StreamReadOptions, StreamReadReply};
use redis::{AsyncCommands, AsyncConnectionConfig, Client};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, mpsc};

/// Every key agmux keeps starts with this.
const PREFIX: &str = "agmux:";
/// How long a command to Redis may take before the store counts as
/// unreachable.
const TIMEOUT: Duration = Duration::from_secs(5);
/// How often to try again while Redis is unreachable.
const RETRY: Duration = Duration::from_millis(500);
/// How long the stream reader blocks at a time.
const BLOCK_MS: usize = 2000;
/// Stream entries read at a time.
const PAGE: usize = 500;

/// The server's side of the shared store.
pub struct Handle {
    tx: mpsc::UnboundedSender<Batch>,
}

impl Handle {
    pub fn write(&self, b: Batch) -> bool {
        self.tx.send(b).is_ok()
    }
}

/// The store's URL without a password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

/// What agmux reads out of the URL's query before the redis crate sees
/// it: `password-file=PATH` (its first line becomes the password, a
/// secret kept out of the config file) and `ca-file=PATH` (the PEM
/// certificates a `rediss://` server's must chain to, in place of the
/// system's).
struct Url {
    url: String,
    ca: Option<Vec<u8>>,
}

fn parse_url(url: &str) -> Result<Url, String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok(Url {
            url: url.to_string(),
            ca: None,
        });
    };
    let mut rest = Vec::new();
    let (mut password_file, mut ca_file) = (None, None);
    for kv in query.split('&') {
        if let Some(p) = kv.strip_prefix("password-file=") {
            password_file = Some(p.to_string());
        } else if let Some(p) = kv.strip_prefix("ca-file=") {
            ca_file = Some(p.to_string());
        } else {
            rest.push(kv);
        }
    }
    let ca = match ca_file {
        Some(f) => Some(std::fs::read(&f).map_err(|e| format!("CA file {f}: {e}"))?),
        None => None,
    };
    let mut out = match password_file {
        Some(f) => with_password(base, &f)?,
        None => base.to_string(),
    };
    if !rest.is_empty() {
        out.push('?');
        out.push_str(&rest.join("&"));
    }
    Ok(Url { url: out, ca })
}

fn with_password(base: &str, file: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("password file {file}: {e}"))?;
    let password = text.lines().next().unwrap_or("").trim();
    let Some(s) = base.find("://") else {
        return Err("not a redis:// URL".into());
    };
    let hostpart = base[s + 3..].rsplit('@').next().unwrap_or("");
    let enc: String = password
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    Ok(format!("{}://:{enc}@{hostpart}", &base[..s]))
}

/// Connects to the store at `url` as host `host` and reads it. An
/// unreachable Redis is not an error here: the store starts down
/// (`Report::Down` follows) and comes up by itself. A URL that cannot be
/// used is.
pub fn open(
    url: &str,
    host: &str,
    lease: Duration,
    slot: &str,
    done: Done,
) -> Result<(Store, Option<Loaded>), StoreError> {
    let name = redact(url);
    let fail = |reason: String| StoreError {
        path: name.clone(),
        reason,
    };
    let real = parse_url(url).map_err(fail)?;
    // rustls needs a provider chosen once per process for rediss://.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = match real.ca {
        Some(ca) => Client::build_with_tls(
            real.url.as_str(),
            redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(ca),
            },
        ),
        None => Client::open(real.url.as_str()),
    }
    .map_err(|e| fail(e.to_string()))?;
    let (tx, rx) = mpsc::unbounded_channel();
    let (first_tx, first_rx) = std::sync::mpsc::channel();
    let shared = Arc::new(Shared {
        done,
        instance: instance_id(slot),
        host: host.to_string(),
        name: name.clone(),
        cursor: Mutex::new("0-0".into()),
        lease,
    });
    let writer = std::thread::Builder::new()
        .name("store-redis".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = first_tx.send(Err(e.to_string()));
                    return;
                }
            };
            rt.block_on(run(client, shared, rx, first_tx));
        })
        .map_err(|e| fail(e.to_string()))?;
    let loaded = match first_rx.recv() {
        Ok(Ok(l)) => Some(l),
        Ok(Err(_)) => None,
        Err(_) => return Err(fail("its thread stopped".into())),
    };
    let store = Store {
        name,
        backend: super::Backend::Redis(Handle { tx }),
        writer,
    };
    Ok((store, loaded))
}

/// Tells this server's own stream entries from those of another server
/// that uses the same host name (by mistake, or a restart). Before the
/// `|`: the machine and socket (`slot`), the same for a server started
/// again after a crash, which may take its own name back at once.
fn instance_id(slot: &str) -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{slot}|{}-{t:x}", std::process::id())
}

struct Shared {
    done: Done,
    instance: String,
    host: String,
    name: String,
    /// The last `ops` entry handed to the server.
    cursor: Mutex<String>,
    /// How long a host is taken to be alive after its last heartbeat.
    lease: Duration,
}

impl Shared {
    fn unreachable(&self, e: &redis::RedisError) -> String {
        if e.code() == Some("HOSTTAKEN") {
            return format!(
                "agent store {}: host name {} is in use by another server (agent-host-name); waiting for its lease to run out",
                self.name, self.host
            );
        }
        let refused = e.kind() == redis::ErrorKind::AuthenticationFailed
            || matches!(e.code(), Some("NOAUTH" | "WRONGPASS"));
        if refused {
            return format!("agent store {}: password authentication failed", self.name);
        }
        format!("agent store unreachable: {e} ({})", self.name)
    }
}

async fn connect(
    client: &Client,
    timeout: Option<Duration>,
) -> redis::RedisResult<MultiplexedConnection> {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(TIMEOUT))
        .set_response_timeout(timeout);
    client
        .get_multiplexed_async_connection_with_config(&config)
        .await
}

/// Connects, reads, serves batches; after losing Redis, tries again.
async fn run(
    client: Client,
    shared: Arc<Shared>,
    mut rx: mpsc::UnboundedReceiver<Batch>,
    first: std::sync::mpsc::Sender<Result<Loaded, String>>,
) {
    let mut first = Some(first);
    let mut down: Option<String> = None;
    loop {
        let up = async {
            let mut conn = connect(&client, Some(TIMEOUT)).await?;
            let loaded = load(&mut conn, &shared).await?;
            Ok::<_, redis::RedisError>((conn, loaded))
        }
        .await;
        match up {
            Ok((conn, loaded)) => {
                match first.take() {
                    Some(f) => {
                        let _ = f.send(Ok(loaded));
                    }
                    None => (shared.done)(Report::Reloaded(Box::new(loaded))),
                }
                let tail = tokio::spawn(tailer(client.clone(), shared.clone()));
                let beat = tokio::spawn(heartbeat(conn.clone(), shared.clone()));
                let result = serve(conn, &mut rx, &shared).await;
                tail.abort();
                beat.abort();
                match result {
                    Ok(()) => return,
                    Err(e) => {
                        let why = shared.unreachable(&e);
                        (shared.done)(Report::Down(why.clone()));
                        down = Some(why);
                    }
                }
            }
            Err(e) => {
                let why = shared.unreachable(&e);
                if let Some(f) = first.take() {
                    let _ = f.send(Err(why.clone()));
                }
                if down.is_none() {
                    (shared.done)(Report::Down(why.clone()));
                }
                down = Some(why);
            }
        }
        // Down: refuse what comes until it is time to try again.
        let why = down.clone().unwrap_or_default();
        let until = tokio::time::Instant::now() + RETRY;
        loop {
            match tokio::time::timeout_at(until, rx.recv()).await {
                Ok(Some(b)) => refused(&shared, &b, why.clone(), None),
                Ok(None) => return,
                Err(_) => break,
            }
        }
    }
}

fn refused(shared: &Shared, b: &Batch, error: String, restore: Option<Vec<Op>>) {
    (shared.done)(Report::Stored {
        seq: b.seq,
        epoch: b.epoch,
        error: Some(error),
        events: Vec::new(),
        restore,
    });
}

/// Stores batches as they come. Returns when the server is gone (Ok) or
/// Redis is (Err).
async fn serve(
    mut conn: MultiplexedConnection,
    rx: &mut mpsc::UnboundedReceiver<Batch>,
    shared: &Shared,
) -> redis::RedisResult<()> {
    // After a refusal, the rest of that epoch may build on it: refused too.
    let mut poisoned: Option<u64> = None;
    while let Some(b) = rx.recv().await {
        if poisoned.is_some_and(|p| b.epoch <= p) {
            let error = "not written: an earlier write failed".to_string();
            refuse_restoring(&mut conn, shared, &b, error).await?;
            continue;
        }
        match commit(&mut conn, shared, &b).await {
            Ok(()) => {
                if let Err(e) = catch_up(&mut conn, shared).await {
                    // Stored, but the server cannot hear so: it reads
                    // everything again once Redis is back.
                    refused(shared, &b, shared.unreachable(&e), None);
                    return Err(e);
                }
            }
            Err(e) if matches!(e.code(), Some("CONFLICT" | "LIMIT")) => {
                poisoned = Some(poisoned.map_or(b.epoch, |p| p.max(b.epoch)));
                let why = match e.code() {
                    Some("LIMIT") => limit(e.detail().unwrap_or("")),
                    _ => conflict(e.detail().unwrap_or("")),
                };
                refuse_restoring(&mut conn, shared, &b, why).await?;
            }
            Err(e)
                if e.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::ResponseError) =>
            {
                poisoned = Some(poisoned.map_or(b.epoch, |p| p.max(b.epoch)));
                let why = format!("agent store {}: {e}", shared.name);
                refuse_restoring(&mut conn, shared, &b, why).await?;
            }
            Err(e) => {
                refused(shared, &b, shared.unreachable(&e), None);
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Refuses batch `b` with what Redis holds for the rows it touched. If
/// that cannot be read, it is refused all the same (every batch is
/// answered for, or agent commands would wait for it for ever) and the
/// store is down until it is read whole again.
async fn refuse_restoring(
    conn: &mut MultiplexedConnection,
    shared: &Shared,
    b: &Batch,
    why: String,
) -> redis::RedisResult<()> {
    match restore(conn, &b.ops).await {
        Ok(rows) => {
            refused(shared, b, why, Some(rows));
            Ok(())
        }
        Err(e) => {
            refused(shared, b, shared.unreachable(&e), None);
            Err(e)
        }
    }
}

/// The words for a compare-and-set the store refused: `["group", "key",
/// version]` from the script.
fn conflict(detail: &str) -> String {
    match serde_json::from_str::<(String, String, u64)>(detail) {
        Ok((group, key, version)) => format!(
            "version conflict on {key}: group {group}'s {key} was changed on another host (current is {version})"
        ),
        Err(_) => format!("version conflict: {detail}"),
    }
}

/// The words for a start the store refused: `[max, running]`.
fn limit(detail: &str) -> String {
    match serde_json::from_str::<(u64, u64)>(detail) {
        Ok((max, n)) => {
            format!("may not spawn: agent-max-concurrent is {max} and {n} agents run across hosts")
        }
        Err(_) => format!("may not spawn: {detail}"),
    }
}

/// A batch as the commit script takes it: five arguments an op.
fn script_args(op: &Op, host: &str) -> [String; 5] {
    let s = String::new;
    match op {
        Op::Agent(a) => {
            let mut row = (**a).clone();
            if row.host.is_empty() {
                row.host = host.to_string();
            }
            ["agent".into(), row.key.clone(), s(), s(), json(&row)]
        }
        Op::ForgetAgent(k) => ["forget".into(), k.clone(), s(), s(), s()],
        Op::Group(g) => ["group".into(), g.name.clone(), s(), s(), json(g)],
        Op::DropGroup(n) => ["dropgroup".into(), n.clone(), s(), s(), s()],
        Op::Entry(e) => [
            "entry".into(),
            e.group.clone(),
            e.key.clone(),
            e.version.to_string(),
            json(e),
        ],
        Op::DropEntry { group, key } => ["dropentry".into(), group.clone(), key.clone(), s(), s()],
        Op::Type { owner, name, spec } => {
            let field = serde_json::json!([owner, name]).to_string();
            ["type".into(), field, s(), s(), spec.clone()]
        }
        Op::Message(m) => ["message".into(), m.id.to_string(), s(), s(), json(m)],
        Op::DropMessage(id) => ["dropmessage".into(), id.to_string(), s(), s(), s()],
        Op::Event(e) => {
            // The script puts the id it gives in place of this 0.
            let row = EventRow { id: 0, ..e.clone() };
            ["event".into(), s(), s(), s(), json(&row)]
        }
        Op::DropHistory(k) => ["drophistory".into(), k.clone(), s(), s(), s()],
        Op::DropEventsBefore(id) => ["dropevents".into(), id.to_string(), s(), s(), s()],
        Op::Claim { key, max } => ["claim".into(), key.clone(), max.to_string(), s(), s()],
        // Only for the stream: nothing to keep.
        Op::Request { .. } | Op::Answer { .. } => ["pass".into(), s(), s(), s(), s()],
    }
}

/// A row as JSON text; rows always serialize (strings and integers).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

const COMMIT: &str = include_str!("commit.lua");

async fn commit(
    conn: &mut MultiplexedConnection,
    shared: &Shared,
    b: &Batch,
) -> redis::RedisResult<()> {
    let ops: Vec<Op> = b
        .ops
        .iter()
        .map(|op| match op {
            Op::Agent(a) if a.host.is_empty() => {
                let mut row = (**a).clone();
                row.host = shared.host.clone();
                Op::Agent(Box::new(row))
            }
            Op::Event(e) => Op::Event(EventRow { id: 0, ..e.clone() }),
            other => other.clone(),
        })
        .collect();
    let batch = serde_json::to_string(&ops).unwrap_or_default();
    let script = redis::Script::new(COMMIT);
    let mut inv = script.prepare_invoke();
    inv.arg(PREFIX)
        .arg(&shared.instance)
        .arg(&shared.host)
        .arg(b.seq)
        .arg(b.epoch)
        .arg(batch)
        .arg(b.ops.len());
    for op in &b.ops {
        for a in script_args(op, &shared.host) {
            inv.arg(a);
        }
    }
    let _: String = inv.invoke_async(conn).await?;
    Ok(())
}

/// What Redis holds now for every row the ops touch, as ops that make
/// memory so.
async fn restore(conn: &mut MultiplexedConnection, ops: &[Op]) -> redis::RedisResult<Vec<Op>> {
    let mut out = Vec::new();
    for op in ops {
        match op {
            Op::Agent(a) => out.push(agent_now(conn, &a.key).await?),
            Op::ForgetAgent(k) => out.push(agent_now(conn, k).await?),
            Op::Group(g) => out.extend(group_now(conn, &g.name).await?),
            Op::DropGroup(n) => out.extend(group_now(conn, n).await?),
            Op::Entry(e) => out.push(entry_now(conn, &e.group, &e.key).await?),
            Op::DropEntry { group, key } => out.push(entry_now(conn, group, key).await?),
            Op::Message(m) => out.push(message_now(conn, m.id).await?),
            Op::DropMessage(id) => out.push(message_now(conn, *id).await?),
            Op::Type { owner, name, .. } => {
                let field = serde_json::json!([owner, name]).to_string();
                let spec: Option<String> = conn.hget(key("types"), field).await?;
                if let Some(spec) = spec {
                    out.push(Op::Type {
                        owner: owner.clone(),
                        name: name.clone(),
                        spec,
                    });
                }
            }
            // Events are not in memory until stored; history drops are
            // made again by whatever prunes.
            Op::Event(_)
            | Op::DropHistory(_)
            | Op::DropEventsBefore(_)
            | Op::Claim { .. }
            | Op::Request { .. }
            | Op::Answer { .. } => {}
        }
    }
    Ok(out)
}

fn key(name: &str) -> String {
    format!("{PREFIX}{name}")
}

async fn agent_now(conn: &mut MultiplexedConnection, k: &str) -> redis::RedisResult<Op> {
    let json: Option<String> = conn.hget(key("agents"), k).await?;
    Ok(
        match json.and_then(|j| serde_json::from_str::<AgentRow>(&j).ok()) {
            Some(row) => Op::Agent(Box::new(row)),
            None => Op::ForgetAgent(k.to_string()),
        },
    )
}

async fn group_now(conn: &mut MultiplexedConnection, name: &str) -> redis::RedisResult<Vec<Op>> {
    let json: Option<String> = conn.hget(key("groups"), name).await?;
    let Some(row) = json.and_then(|j| serde_json::from_str::<GroupRow>(&j).ok()) else {
        return Ok(vec![Op::DropGroup(name.to_string())]);
    };
    let mut out = vec![Op::DropGroup(name.to_string()), Op::Group(row)];
    let entries: Vec<(String, String)> = conn.hgetall(key(&format!("ctx:{name}"))).await?;
    out.extend(
        entries
            .iter()
            .filter_map(|(_, j)| serde_json::from_str::<EntryRow>(j).ok())
            .map(Op::Entry),
    );
    Ok(out)
}

async fn entry_now(
    conn: &mut MultiplexedConnection,
    group: &str,
    k: &str,
) -> redis::RedisResult<Op> {
    let json: Option<String> = conn.hget(key(&format!("ctx:{group}")), k).await?;
    Ok(
        match json.and_then(|j| serde_json::from_str::<EntryRow>(&j).ok()) {
            Some(row) => Op::Entry(row),
            None => Op::DropEntry {
                group: group.to_string(),
                key: k.to_string(),
            },
        },
    )
}

async fn message_now(conn: &mut MultiplexedConnection, id: u64) -> redis::RedisResult<Op> {
    let json: Option<String> = conn.hget(key("messages"), id).await?;
    Ok(
        match json.and_then(|j| serde_json::from_str::<MessageRow>(&j).ok()) {
            Some(row) => Op::Message(row),
            None => Op::DropMessage(id),
        },
    )
}

/// Reads everything: at start, and after Redis was unreachable.
async fn load(conn: &mut MultiplexedConnection, shared: &Shared) -> redis::RedisResult<Loaded> {
    // Where the stream is now, first: what comes after may already be in
    // what is read below, and applying it twice changes nothing.
    let last: StreamRangeReply = conn.xrevrange_count(key("ops"), "+", "-", 1).await?;
    *shared.cursor.lock().await = last.ids.first().map_or("0-0".into(), |e| e.id.clone());
    let host_no: u64 = redis::Script::new(HOST_NO)
        .prepare_invoke()
        .arg(PREFIX)
        .arg(&shared.host)
        .arg(&shared.instance)
        .invoke_async(conn)
        .await?;
    let mut agents: Vec<AgentRow> = rows(conn.hgetall(key("agents")).await?);
    agents.sort_by(|a, b| (a.created, &a.key).cmp(&(b.created, &b.key)));
    let mut groups: Vec<GroupRow> = rows(conn.hgetall(key("groups")).await?);
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    let mut entries = Vec::new();
    for g in &groups {
        let mut e: Vec<EntryRow> = rows(conn.hgetall(key(&format!("ctx:{}", g.name))).await?);
        e.sort_by(|a, b| a.key.cmp(&b.key));
        entries.extend(e);
    }
    let mut messages: Vec<MessageRow> = rows(conn.hgetall(key("messages")).await?);
    messages.sort_by_key(|m| m.id);
    let types_raw: Vec<(String, String)> = conn.hgetall(key("types")).await?;
    let types = types_raw
        .into_iter()
        .filter_map(|(field, spec)| {
            let (owner, name) = serde_json::from_str::<(String, String)>(&field).ok()?;
            Some((owner, name, spec))
        })
        .collect();
    let mut events = Vec::new();
    let mut start = "-".to_string();
    loop {
        let page: StreamRangeReply = conn.xrange_count(key("events"), &start, "+", PAGE).await?;
        let n = page.ids.len();
        for e in &page.ids {
            if let Some(row) = e
                .get::<String>("e")
                .and_then(|j| serde_json::from_str::<EventRow>(&j).ok())
            {
                events.push(row);
            }
            start = format!("({}", e.id);
        }
        if n < PAGE {
            break;
        }
    }
    Ok(Loaded {
        agents,
        groups,
        entries,
        messages,
        events,
        types,
        host_no,
    })
}

/// Rows of a hash whose values are JSON; one that does not parse (written
/// by something else) is left out rather than guessed at.
fn rows<T: serde::de::DeserializeOwned>(hash: Vec<(String, String)>) -> Vec<T> {
    hash.iter()
        .filter_map(|(_, j)| serde_json::from_str(j).ok())
        .collect()
}

/// This host's number: the low bits of the message ids it gives, so that
/// two hosts never give the same one.
const HOST_NO: &str = r#"
local p, host, me = ARGV[1], ARGV[2], ARGV[3]
local alive = redis.call('GET', p .. 'alive:' .. host)
local function slot(i) return string.match(i, '^(.*)|') end
if alive and slot(alive) ~= slot(me) then
  return redis.error_reply('HOSTTAKEN ' .. host)
end
local n = redis.call('HGET', p .. 'hosts', host)
if n then return tonumber(n) end
n = redis.call('INCR', p .. 'host-seq')
redis.call('HSET', p .. 'hosts', host, n)
return n
"#;

/// Keeps this host's lease (`alive:HOST`, a key with a time to live) and
/// watches the others': a host whose lease ran out is reported once, until
/// it is back.
async fn heartbeat(mut conn: MultiplexedConnection, shared: Arc<Shared>) {
    let lease_ms = shared.lease.as_millis().max(300) as u64;
    let mut lost = std::collections::HashSet::new();
    let mut up_before: Option<Vec<String>> = None;
    let mut tick = tokio::time::interval(Duration::from_millis(lease_ms / 3));
    loop {
        tick.tick().await;
        let alive = key(&format!("alive:{}", shared.host));
        let set: redis::RedisResult<()> = redis::cmd("SET")
            .arg(&alive)
            .arg(&shared.instance)
            .arg("PX")
            .arg(lease_ms)
            .query_async(&mut conn)
            .await;
        if set.is_err() {
            continue;
        }
        let hosts: Vec<String> = match conn.hkeys(key("hosts")).await {
            Ok(h) => h,
            Err(_) => continue,
        };
        let mut up_now = Vec::new();
        for h in hosts.into_iter().filter(|h| *h != shared.host) {
            let up: bool = match conn.exists(key(&format!("alive:{h}"))).await {
                Ok(up) => up,
                Err(_) => continue,
            };
            if up {
                lost.remove(&h);
                up_now.push(h);
            } else if lost.insert(h.clone()) {
                (shared.done)(Report::HostLost(h));
            }
        }
        up_now.sort();
        if up_before.as_ref() != Some(&up_now) {
            (shared.done)(Report::Hosts(up_now.clone()));
            up_before = Some(up_now);
        }
    }
}

/// Waits for entries on the `ops` stream and hands them over.
async fn tailer(client: Client, shared: Arc<Shared>) {
    loop {
        let Ok(mut conn) = connect(&client, None).await else {
            tokio::time::sleep(RETRY).await;
            continue;
        };
        loop {
            let cursor = shared.cursor.lock().await.clone();
            let opts = StreamReadOptions::default().block(BLOCK_MS).count(1);
            let r: redis::RedisResult<Option<StreamReadReply>> =
                conn.xread_options(&[key("ops")], &[cursor], &opts).await;
            match r {
                Ok(Some(_)) => {
                    if catch_up(&mut conn, &shared).await.is_err() {
                        break;
                    }
                }
                Ok(None) => {}
                Err(_) => break,
            }
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// Hands the server every `ops` entry after the cursor, in order.
async fn catch_up(conn: &mut MultiplexedConnection, shared: &Shared) -> redis::RedisResult<()> {
    let mut cursor = shared.cursor.lock().await;
    loop {
        let start = format!("({}", *cursor);
        let page: StreamRangeReply = conn.xrange_count(key("ops"), &start, "+", PAGE).await?;
        let n = page.ids.len();
        for e in &page.ids {
            deliver(shared, e);
            *cursor = e.id.clone();
        }
        if n < PAGE {
            return Ok(());
        }
    }
}

fn deliver(shared: &Shared, e: &redis::streams::StreamId) {
    let field = |k: &str| e.get::<String>(k).unwrap_or_default();
    let mut ops: Vec<Op> = serde_json::from_str(&field("b")).unwrap_or_default();
    let ids = field("ids");
    let mut ids = ids.split(',').filter_map(|s| s.parse::<u64>().ok());
    let mut events = Vec::new();
    for op in &mut ops {
        if let Op::Event(ev) = op {
            ev.id = ids.next().unwrap_or(0);
            events.push(ev.clone());
        }
    }
    if field("i") == shared.instance {
        (shared.done)(Report::Stored {
            seq: field("s").parse().unwrap_or(0),
            epoch: field("p").parse().unwrap_or(0),
            error: None,
            events,
            restore: None,
        });
    } else {
        (shared.done)(Report::Remote(ops));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_kept_out_of_messages() {
        assert_eq!(redact("redis://:s3cret@db:6379/2"), "redis://db:6379/2");
        assert_eq!(redact("rediss://u:p@h/0"), "rediss://h/0");
        assert_eq!(redact("redis://h:1/0"), "redis://h:1/0");
    }

    #[test]
    fn a_password_file_goes_into_the_url() {
        let dir = std::env::temp_dir().join(format!("agmux-pw-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let f = dir.join("pw");
        std::fs::write(&f, "p@ss word\n").unwrap();
        let url = format!("redis://h:7/1?password-file={}", f.display());
        assert_eq!(parse_url(&url).unwrap().url, "redis://:p%40ss%20word@h:7/1");
        assert!(parse_url("redis://h/0?password-file=/nonexistent/x").is_err());
        assert!(parse_url("rediss://h/0?ca-file=/nonexistent/x").is_err());
    }
}
