//! The server: a socket listener, a task per client connection, and one
//! state actor that runs every command. Started by the first client that
//! needs it (which hands over one end of a socket pair as its connection) or
//! in the foreground with `agmux server`.

mod acl;
mod agents;
mod alerts;
mod client;
mod clock;
mod control;
mod copy;
mod customize;
mod emulator;
mod find;
mod formats;
mod hooks;
mod host;
mod input;
mod layout;
mod links;
mod marked;
mod messages;
mod mouse;
mod moving;
mod ops;
mod overlay;
mod pane;
mod pipe;
mod popup;
mod prompt;
mod reaper;
mod render;
mod screens;
mod spawn;
mod state;
mod style;
mod tmux_formats;
mod tree;
mod tty;
mod windows;

use crate::Global;
use crate::paths::Flavor;
use commands::PaneId;
use commands::environ::Environ;
use commands::host::JobResult;
use commands::proto::{self, ClientMsg, CommandRequest, PROTOCOL_VERSION, ServerMsg};
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;
use tokio::net::UnixStream;
use tokio::sync::mpsc::{self, UnboundedSender, unbounded_channel};

/// Where a command's replies go.
pub type Reply = UnboundedSender<ServerMsg>;

/// Everything the state actor hears about.
pub enum Event {
    /// A line from a control-mode client; None: it leaves.
    ControlLine {
        conn: u64,
        line: Option<String>,
    },
    Command {
        conn: u64,
        request: CommandRequest,
        reply: Reply,
        pid: Option<u32>,
    },
    /// A client connected: while any is, the server stays even with no
    /// sessions, as tmux's does.
    Opened {
        conn: u64,
        uid: u32,
    },
    Closed {
        conn: u64,
    },
    PaneOutput(PaneRef),
    PaneEof(PaneRef),
    ChildExit {
        pane: PaneRef,
        status: i32,
    },
    ExitGrace(PaneRef),
    JobDone {
        job: u64,
        result: JobResult,
    },
    Shutdown,
    ClientInput {
        conn: u64,
        data: Vec<u8>,
    },
    ClientResize {
        conn: u64,
        cols: u16,
        rows: u16,
        cell: (u16, u16),
    },
    /// A subscriber handled its last screen update.
    ClientDrawn {
        conn: u64,
    },
    /// An attached client handed over its terminal (none: the message
    /// came without a descriptor).
    ClientTty {
        conn: u64,
        fd: Option<OwnedFd>,
        reply: Reply,
    },
    /// A client's terminal has taken the last frame.
    TtyWritten {
        conn: u64,
    },
    /// A client's terminal hung up.
    TtyLost {
        conn: u64,
    },
    /// A client locked or suspended has its terminal again.
    ClientWakeup {
        conn: u64,
    },
    ClientTimer {
        conn: u64,
        kind: client::TimerKind,
        generation: u64,
    },
    /// Time to redraw status lines (their clocks).
    StatusTick,
    /// What the agent store has to say: a batch stored (or refused),
    /// another host's changes, that it is down or back.
    Store(crate::store::Report),
    /// Time to see whether an agent's pane has gone quiet.
    AgentIdle(String),
    /// A run's --timeout passed.
    AgentTimeout(String),
    /// An agent-stop's grace period is over: kill what is left of these
    /// process groups.
    AgentKill(Vec<u32>),
    /// A wait (agent-send --wait, agent-wait --timeout) timed out.
    WaitTimeout(u64),
    /// A window's monitor-silence timer of this generation ran out.
    Silence(commands::WindowId, u64),
    /// Time to move a message's delivery into a pane on.
    Deliver(String),
    /// A child of the server exited: reap it if it is an orphan.
    ChildExited,
    /// A connection asks for events, to go into `tx`.
    Subscribe {
        conn: u64,
        pid: Option<u32>,
        request: commands::proto::SubscribeRequest,
        tx: mpsc::Sender<ServerMsg>,
        reply: Reply,
    },
    /// A subscriber's connection wrote its queued events: room for more.
    SubscriberMore {
        conn: u64,
    },
    /// A delayed job's time has come (run-shell -d).
    JobDue(u64),
}

/// A pane as one program run in it: respawn-pane starts a new run in the
/// same pane, and events from the old one must not touch the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaneRef {
    pub id: PaneId,
    pub run: u64,
}

/// Facts about this server for formats and panes.
pub struct Info {
    pub socket: PathBuf,
    pub pid: u32,
    pub start_time: u64,
    pub flavor: Flavor,
    pub host: String,
}

/// `agmux server [--client-fd N]`.
pub fn main(flavor: Flavor, g: &Global, args: &[String]) -> i32 {
    let socket = match crate::client::socket_path(flavor, g) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let client_fd = match args {
        [] => None,
        [flag, n] if flag == "--client-fd" => match n.parse::<i32>() {
            // SAFETY: the starting client put a socket at this descriptor
            // for us and nothing else owns it.
            Ok(fd) if fd > 2 => Some(unsafe { OwnedFd::from_raw_fd(fd) }),
            _ => {
                eprintln!("server: bad --client-fd: {n}");
                return 1;
            }
        },
        _ => {
            eprintln!("usage: agmux [-L name | -S path] server");
            return 1;
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("server: {e}");
            return 1;
        }
    };
    // The actor and the tasks that wake it on every key (a terminal's
    // reader, a pane's reader) run on one local set: a task woken there by
    // another runs next, without a turn of the I/O driver in between.
    let local = tokio::task::LocalSet::new();
    rt.block_on(local.run_until(run(flavor, socket, client_fd, g.config.clone())))
}

fn bind(path: &Path) -> std::io::Result<std::os::unix::net::UnixListener> {
    match std::os::unix::net::UnixListener::bind(path) {
        Ok(l) => Ok(l),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            if std::os::unix::net::UnixStream::connect(path).is_ok() {
                return Err(std::io::Error::other(format!(
                    "a server is already running on {}",
                    path.display()
                )));
            }
            std::fs::remove_file(path)?;
            std::os::unix::net::UnixListener::bind(path)
        }
        Err(e) => Err(e),
    }
}

async fn run(
    flavor: Flavor,
    socket: PathBuf,
    client_fd: Option<OwnedFd>,
    config: Option<PathBuf>,
) -> i32 {
    let first = client_fd.and_then(|fd| {
        let std = std::os::unix::net::UnixStream::from(fd);
        std.set_nonblocking(true).ok()?;
        UnixStream::from_std(std).ok()
    });
    let listener = match bind(&socket).and_then(|l| {
        l.set_nonblocking(true)?;
        tokio::net::UnixListener::from_std(l)
    }) {
        Ok(l) => l,
        Err(e) => {
            let msg = format!("couldn't listen on {}: {e}", socket.display());
            if let Some(mut s) = first {
                let _ = s
                    .write_all(&proto::encode(&ServerMsg::Error {
                        message: msg.clone(),
                    }))
                    .await;
            }
            eprintln!("{msg}");
            return 1;
        }
    };

    reaper::become_subreaper();
    let (events, mut rx) = unbounded_channel::<Event>();
    let info = Info {
        socket: socket.clone(),
        pid: std::process::id(),
        start_time: pane::now_micros() / 1_000_000,
        flavor,
        host: pane::hostname(),
    };
    let skip = ["AGMUX", "AGMUX_PANE", "TMUX", "TMUX_PANE"];
    let env_pairs: Vec<String> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let env = Environ::from_pairs(env_pairs.iter().map(String::as_str));
    let mut state = state::State::new(info, events.clone(), env);
    state.load_config(config);
    if !state.config_loading {
        state.open_shared_store();
    }

    spawn_signals(events.clone());
    spawn_status_ticks(events.clone());
    // Every connection task holds a sender: when all are gone, every reply
    // has been written.
    let (alive, mut all_closed) = mpsc::channel::<()>(1);
    if let Some(s) = first {
        tokio::spawn(connection(s, events.clone(), 0, true, alive.clone()));
    }
    let accept_events = events.clone();
    let accept_alive = alive.clone();
    let acceptor = tokio::spawn(async move {
        let mut next = 1u64;
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors the connection stays queued and the
                    // socket stays readable: accepting again at once would
                    // spin. Back off; the connections being served go on,
                    // and one that closes frees a descriptor.
                    let pause = match e.raw_os_error() {
                        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM) => 50,
                        _ => 5,
                    };
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                    continue;
                }
            };
            next += 1;
            tokio::spawn(connection(
                stream,
                accept_events.clone(),
                next,
                false,
                accept_alive.clone(),
            ));
        }
    });
    drop(alive);
    drop(events);

    // The actor is a task of the local set, not the future the runtime
    // blocks on: a local task that wakes it (a key read, a pane's output)
    // is then followed by the actor at once, where waking the blocked-on
    // future costs a turn of the I/O driver first.
    let actor = tokio::task::spawn_local(async move {
        while let Some(ev) = rx.recv().await {
            if !state.handle(ev) {
                break;
            }
        }
        (state, rx)
    });
    let Ok((mut state, rx)) = actor.await else {
        // The actor panicked: nothing is left to save.
        let _ = std::fs::remove_file(&socket);
        return 1;
    };
    acceptor.abort();
    let _ = std::fs::remove_file(&socket);
    state.flush_store();
    if let Ok(store) = std::mem::replace(
        &mut state.agents.store,
        Err(crate::store::StoreError {
            path: String::new(),
            reason: "the server is stopping".into(),
        }),
    ) {
        store.close(std::time::Duration::from_secs(2));
    }
    drop(state);
    drop(rx);
    // Let the last replies (kill-server's exit status) reach their clients.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), all_closed.recv()).await;
    0
}

fn spawn_signals(events: UnboundedSender<Event>) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int), Ok(mut hup), Ok(mut chld)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::hangup()),
        signal(SignalKind::child()),
    ) else {
        return;
    };
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = term.recv() => break,
                _ = int.recv() => break,
                // The server has no terminal; a hangup means nothing to it.
                _ = hup.recv() => continue,
                _ = chld.recv() => {
                    let _ = events.send(Event::ChildExited);
                }
            }
        }
        let _ = events.send(Event::Shutdown);
    });
}

/// Status lines show a clock: redraw them now and then. Clients only hear
/// of it when their status line changed.
fn spawn_status_ticks(events: UnboundedSender<Event>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(15)).await;
            if events.send(Event::StatusTick).is_err() {
                break;
            }
        }
    });
}

/// Writes a connection's replies and, for a subscriber, its events: events
/// first, so that a final error comes after the events before it. Each time
/// a full queue has drained, the actor hears it may send more.
async fn write_loop(
    mut wr: tokio::net::unix::OwnedWriteHalf,
    mut replies: tokio::sync::mpsc::UnboundedReceiver<ServerMsg>,
    mut event_rx: mpsc::Receiver<ServerMsg>,
    events: UnboundedSender<Event>,
    conn: u64,
) {
    let mut events_open = true;
    let mut since_more = 0usize;
    loop {
        let msg = tokio::select! {
            biased;
            ev = event_rx.recv(), if events_open => match ev {
                Some(m) => {
                    since_more += 1;
                    m
                }
                None => {
                    events_open = false;
                    continue;
                }
            },
            r = replies.recv() => match r {
                Some(m) => m,
                None => break,
            },
        };
        if wr.write_all(&proto::encode(&msg)).await.is_err() {
            break;
        }
        if since_more >= agents::SUBSCRIBER_QUEUE / 2 && event_rx.is_empty() {
            since_more = 0;
            let _ = events.send(Event::SubscriberMore { conn });
        }
    }
}

/// Whether a peer may talk to us: the same user, root, or a user
/// server-access let in. Its pid and uid.
fn peer(stream: &UnixStream) -> Result<(Option<u32>, u32), String> {
    use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
    let creds =
        getsockopt(stream, PeerCredentials).map_err(|e| format!("peer credentials: {e}"))?;
    if acl::admits(creds.uid()).is_none() {
        return Err("access not allowed".into());
    }
    let pid = u32::try_from(creds.pid()).ok().filter(|p| *p > 0);
    Ok((pid, creds.uid()))
}

/// A connection's read side: buffered, and read with recvmsg so that a
/// descriptor passed along (an attached client's terminal) is kept.
struct Inbound {
    half: tokio::net::unix::OwnedReadHalf,
    buf: Vec<u8>,
    /// Where the unread bytes of `buf` start.
    at: usize,
    fds: std::collections::VecDeque<OwnedFd>,
}

impl Inbound {
    /// Descriptors kept for messages still to come; any more are closed.
    const MAX_FDS: usize = 2;

    fn new(half: tokio::net::unix::OwnedReadHalf) -> Inbound {
        Inbound {
            half,
            buf: Vec::with_capacity(16 * 1024),
            at: 0,
            fds: Default::default(),
        }
    }

    /// Fills `out` whole; an error at the end of the stream.
    async fn read_exact(&mut self, out: &mut [u8]) -> std::io::Result<()> {
        let mut done = 0;
        while done < out.len() {
            if self.at == self.buf.len() {
                self.fill().await?;
            }
            let n = (self.buf.len() - self.at).min(out.len() - done);
            out[done..done + n].copy_from_slice(&self.buf[self.at..self.at + n]);
            self.at += n;
            done += n;
        }
        Ok(())
    }

    /// One read into the emptied buffer (a message is a header and a body:
    /// buffered, that is one read, not three, for the usual small message).
    async fn fill(&mut self) -> std::io::Result<()> {
        self.buf.resize(16 * 1024, 0);
        self.at = 0;
        let stream: &UnixStream = self.half.as_ref();
        loop {
            stream.readable().await?;
            let got = stream.try_io(tokio::io::Interest::READABLE, || {
                recv_with_fds(stream, &mut self.buf)
            });
            match got {
                Ok((0, _)) => {
                    self.buf.clear();
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                Ok((n, fds)) => {
                    self.buf.truncate(n);
                    for fd in fds {
                        if self.fds.len() < Self::MAX_FDS {
                            self.fds.push_back(fd);
                        }
                    }
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(e) => {
                    self.buf.clear();
                    return Err(e);
                }
            }
        }
    }
}

/// One recvmsg: the bytes read and the descriptors that came with them.
fn recv_with_fds(stream: &UnixStream, buf: &mut [u8]) -> std::io::Result<(usize, Vec<OwnedFd>)> {
    use nix::sys::socket::{ControlMessageOwned, MsgFlags, recvmsg};
    use std::os::fd::AsRawFd;
    let mut iov = [std::io::IoSliceMut::new(buf)];
    let mut space = nix::cmsg_space!([std::os::fd::RawFd; 2]);
    let msg = recvmsg::<()>(
        stream.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::MSG_CMSG_CLOEXEC,
    )
    .map_err(std::io::Error::from)?;
    let mut fds = Vec::new();
    for c in msg.cmsgs().map_err(std::io::Error::from)? {
        if let ControlMessageOwned::ScmRights(raw) = c {
            // SAFETY: the kernel just installed these descriptors for us;
            // nothing else owns them.
            fds.extend(
                raw.into_iter()
                    .map(|fd| unsafe { OwnedFd::from_raw_fd(fd) }),
            );
        }
    }
    Ok((msg.bytes, fds))
}

/// One client connection: reads frames, hands commands to the actor, and
/// writes back what the actor replies, in order.
async fn connection(
    stream: UnixStream,
    events: UnboundedSender<Event>,
    conn: u64,
    greet: bool,
    _alive: mpsc::Sender<()>,
) {
    let pid = peer(&stream);
    let (rd, wr) = stream.into_split();
    let mut rd = Inbound::new(rd);
    let (reply, replies) = unbounded_channel::<ServerMsg>();
    // Events for a subscriber wait here, a bounded queue: a subscriber that
    // does not read is cut off rather than hold memory or the server.
    let (event_tx, event_rx) = mpsc::channel::<ServerMsg>(agents::SUBSCRIBER_QUEUE);
    let mut event_tx = Some(event_tx);
    let writer = tokio::spawn(write_loop(wr, replies, event_rx, events.clone(), conn));
    let hello = ServerMsg::Hello {
        version: PROTOCOL_VERSION,
        pid: std::process::id(),
    };
    let (pid, uid) = match pid {
        Ok(p) => p,
        Err(message) => {
            let _ = reply.send(ServerMsg::Error { message });
            drop(reply);
            let _ = writer.await;
            return;
        }
    };
    if greet {
        let _ = reply.send(hello.clone());
    }
    let mut greeted = false;
    if events.send(Event::Opened { conn, uid }).is_err() {
        return;
    }
    loop {
        let mut header = [0u8; 4];
        if rd.read_exact(&mut header).await.is_err() {
            break;
        }
        let len = match proto::body_len(header) {
            Ok(n) => n,
            Err(e) => {
                // The frame boundary is lost: say why and hang up.
                let _ = reply.send(ServerMsg::Error {
                    message: e.to_string(),
                });
                break;
            }
        };
        let mut body = vec![0u8; len];
        if rd.read_exact(&mut body).await.is_err() {
            break;
        }
        match proto::decode::<ClientMsg>(&body) {
            Err(e) => {
                let _ = reply.send(ServerMsg::Error {
                    message: e.to_string(),
                });
            }
            Ok(ClientMsg::Hello { version }) if version != PROTOCOL_VERSION => {
                let _ = reply.send(ServerMsg::Error {
                    message: format!(
                        "protocol version mismatch (client {version}, server {PROTOCOL_VERSION})"
                    ),
                });
                break;
            }
            Ok(ClientMsg::Hello { .. }) => {
                greeted = true;
                let _ = reply.send(hello.clone());
            }
            Ok(ClientMsg::Command(request)) if greeted => {
                let ev = Event::Command {
                    conn,
                    request,
                    reply: reply.clone(),
                    pid,
                };
                if events.send(ev).is_err() {
                    break;
                }
            }
            Ok(ClientMsg::Command(_)) => {
                let _ = reply.send(ServerMsg::Error {
                    message: "protocol error: command before hello".into(),
                });
            }
            Ok(ClientMsg::Tty) => {
                let fd = rd.fds.pop_front();
                let _ = events.send(Event::ClientTty {
                    conn,
                    fd,
                    reply: reply.clone(),
                });
            }
            Ok(ClientMsg::Resize { cols, rows, cell }) => {
                let _ = events.send(Event::ClientResize {
                    conn,
                    cols,
                    rows,
                    cell,
                });
            }
            Ok(ClientMsg::Drawn) => {
                let _ = events.send(Event::ClientDrawn { conn });
            }
            Ok(ClientMsg::Unlock | ClientMsg::Wakeup) => {
                let _ = events.send(Event::ClientWakeup { conn });
            }
            Ok(ClientMsg::ControlLine { line }) => {
                let _ = events.send(Event::ControlLine { conn, line });
            }
            Ok(ClientMsg::Subscribe(request)) if greeted => {
                let Some(tx) = event_tx.take() else {
                    let _ = reply.send(ServerMsg::Error {
                        message: "this connection is subscribed already".into(),
                    });
                    continue;
                };
                let ev = Event::Subscribe {
                    conn,
                    pid,
                    request,
                    tx,
                    reply: reply.clone(),
                };
                if events.send(ev).is_err() {
                    break;
                }
            }
            Ok(ClientMsg::Subscribe(_)) => {
                let _ = reply.send(ServerMsg::Error {
                    message: "protocol error: subscribe before hello".into(),
                });
            }
        }
    }
    let _ = events.send(Event::Closed { conn });
    drop(reply);
    let _ = writer.await;
}
