//! An attached client's terminal, held by the server as tmux's server holds
//! it: the client hands it over (SCM_RIGHTS) once it is in raw mode, and
//! from then on the server reads the keys typed and writes the frames
//! itself. A key's echo then wakes only the server and the pane's program,
//! not a client process in between.
//!
//! The state actor paints frames into bytes ([`paint`]); a task per
//! terminal does the I/O, never blocking the actor: it writes what it is
//! given in order, reads keys into [`Event::ClientInput`], and passes on a
//! message for the client (lock, suspend, detach) only once everything
//! before it is on the terminal and reading has stopped, so the client
//! never takes the terminal back under the server's feet.

pub mod paint;

use super::{Event, Reply};
use commands::proto::ServerMsg;
use std::collections::VecDeque;
use std::io;
use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::unix::AsyncFd;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// Terminal modes a client's terminal is put in, as bits.
pub mod modes {
    pub const MOUSE: u8 = 1;
    pub const BRACKETED_PASTE: u8 = 2;
    pub const FOCUS: u8 = 4;
    pub const CURSOR_HIDDEN: u8 = 8;
}

/// How long a client that is leaving waits for its last output to reach a
/// terminal that is not reading (a stopped `ssh`, XOFF) before it goes
/// without it.
const LAST_WRITE: Duration = Duration::from_secs(2);

enum Cmd {
    /// Bytes for the terminal; `frame`: say [`Event::TtyWritten`] once
    /// they are all written.
    Write { bytes: Vec<u8>, frame: bool },
    /// Stop reading keys: the client is about to take the terminal back.
    Pause,
    /// Read keys again.
    Resume,
    /// A message for the client, once what came before is written.
    Then(ServerMsg),
    /// The last message for the client: after it, let the terminal go.
    Close(ServerMsg),
}

/// The server's end of a client's terminal. Dropping it lets the terminal
/// go at once, with whatever was not written yet.
pub struct Tty {
    tx: UnboundedSender<Cmd>,
    /// The client's connection, for messages when the task has ended.
    reply: Reply,
    /// The terminal, for writing a frame at once when the task has nothing
    /// in hand: one wake-up less between a pane's output and the screen.
    write_fd: OwnedFd,
    shared: Arc<Shared>,
}

/// What the handle and the task both keep count of.
#[derive(Default)]
struct Shared {
    /// Commands sent to the task that it has not finished.
    busy: AtomicUsize,
    /// Bytes handed over for the terminal (tmux's client_written).
    written: AtomicU64,
}

impl Tty {
    /// Takes over the terminal `fd` for client `conn`; `reply` is the
    /// client's connection, for the messages that must follow the output.
    pub fn start(
        fd: OwnedFd,
        conn: u64,
        events: UnboundedSender<Event>,
        reply: Reply,
    ) -> io::Result<Tty> {
        if !nix::unistd::isatty(&fd).unwrap_or(false) {
            return Err(io::Error::other("not a terminal"));
        }
        set_nonblocking(&fd, true)?;
        let write_fd = fd.try_clone()?;
        let shared = Arc::new(Shared::default());
        // SAFETY: an OwnedFd is open, owned here and keeps its number until
        // the AsyncFd drops it.
        let fd = unsafe { AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }
            .map_err(|e| e.into_parts().1)?;
        let (tx, rx) = unbounded_channel();
        let task_reply = reply.clone();
        tokio::task::spawn_local(run(
            fd,
            rx,
            Io {
                conn,
                events,
                reply: task_reply,
                shared: shared.clone(),
            },
        ));
        Ok(Tty {
            tx,
            reply,
            write_fd,
            shared,
        })
    }

    /// Writes a frame's bytes, at once if the terminal takes them: true if
    /// they are all out. Otherwise [`Event::TtyWritten`] says when.
    pub fn frame(&self, bytes: Vec<u8>) -> bool {
        self.write(bytes, true)
    }

    pub fn bell(&self) {
        self.write(b"\x07".to_vec(), false);
    }

    /// Bytes handed over for the terminal so far.
    pub fn written(&self) -> u64 {
        self.shared.written.load(Ordering::Relaxed)
    }

    fn write(&self, bytes: Vec<u8>, frame: bool) -> bool {
        self.shared
            .written
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let mut done = 0;
        // With nothing queued before them, the bytes may go straight out;
        // the rest keeps its place behind the queue.
        if self.shared.busy.load(Ordering::Acquire) == 0 {
            while done < bytes.len() {
                match nix::unistd::write(&self.write_fd, &bytes[done..]) {
                    Ok(n) => done += n,
                    Err(nix::errno::Errno::EINTR) => continue,
                    Err(_) => break,
                }
            }
            if done == bytes.len() {
                return true;
            }
        }
        let bytes = bytes[done..].to_vec();
        self.send(Cmd::Write { bytes, frame });
        false
    }

    /// Stops reading and then sends `msg`: the client gives the terminal to
    /// something else for a while (lock-command, suspend).
    pub fn lend(&self, msg: ServerMsg) {
        self.send(Cmd::Pause);
        self.send(Cmd::Then(msg));
    }

    /// The client has its terminal back: read keys again.
    pub fn resume(&self) {
        self.send(Cmd::Resume);
    }

    /// Queues a command for the task; a message for the client goes
    /// straight to it if the task has ended (its terminal was lost).
    fn send(&self, cmd: Cmd) {
        self.shared.busy.fetch_add(1, Ordering::AcqRel);
        if let Err(e) = self.tx.send(cmd) {
            self.shared.busy.fetch_sub(1, Ordering::AcqRel);
            if let Cmd::Then(m) | Cmd::Close(m) = e.0 {
                let _ = self.reply.send(m);
            }
        }
    }

    /// Writes what is queued, then sends `msg` and lets the terminal go.
    pub fn close(self, msg: ServerMsg) {
        self.send(Cmd::Close(msg));
    }
}

/// What the task reports to: the actor and the client's connection.
struct Io {
    conn: u64,
    events: UnboundedSender<Event>,
    reply: Reply,
    shared: Arc<Shared>,
}

impl Io {
    /// `n` commands are finished with.
    fn done(&self, n: usize) {
        self.shared.busy.fetch_sub(n, Ordering::AcqRel);
    }
}

/// The terminal's I/O until the client lets it go or is gone.
async fn run(fd: AsyncFd<OwnedFd>, mut cmds: UnboundedReceiver<Cmd>, io: Io) {
    let mut out: Vec<u8> = Vec::new();
    // Write commands whose bytes are in `out`.
    let mut writes = 0;
    let mut frame_pending = false;
    let mut after: VecDeque<ServerMsg> = VecDeque::new();
    let mut reading = true;
    let mut closing: Option<tokio::time::Instant> = None;
    // Watched for room only while output waits: a terminal always watched
    // for it wakes the server each time the other end reads a frame.
    let mut blocked: Option<AsyncFd<OwnedFd>> = None;
    let mut input = vec![0u8; 16 * 1024];
    loop {
        if !out.is_empty() && blocked.is_none() {
            match write(fd.get_ref(), &out) {
                Ok(n) => {
                    out.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    blocked = watch_room(fd.get_ref());
                    if blocked.is_none() {
                        lost(&io);
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    lost(&io);
                    break;
                }
            }
            continue;
        }
        if out.is_empty() {
            blocked = None;
            io.done(std::mem::take(&mut writes));
            if frame_pending {
                frame_pending = false;
                let _ = io.events.send(Event::TtyWritten { conn: io.conn });
            }
            while let Some(m) = after.pop_front() {
                let _ = io.reply.send(m);
                io.done(1);
            }
            if closing.is_some() {
                break;
            }
        }
        let deadline = closing.unwrap_or_else(tokio::time::Instant::now);
        tokio::select! {
            biased;
            cmd = cmds.recv(), if closing.is_none() => match cmd {
                // The client went without a word: let go at once.
                None => break,
                Some(Cmd::Write { bytes, frame }) => {
                    out.extend_from_slice(&bytes);
                    writes += 1;
                    frame_pending |= frame;
                }
                Some(Cmd::Pause) => {
                    reading = false;
                    io.done(1);
                }
                Some(Cmd::Resume) => {
                    reading = true;
                    io.done(1);
                }
                Some(Cmd::Then(m)) => after.push_back(m),
                Some(Cmd::Close(m)) => {
                    after.push_back(m);
                    reading = false;
                    closing = Some(tokio::time::Instant::now() + LAST_WRITE);
                }
            },
            _ = tokio::time::sleep_until(deadline), if closing.is_some() => out.clear(),
            room = async { blocked.as_ref()?.writable().await.ok().map(|mut g| g.clear_ready()) },
                if blocked.is_some() => {
                // Try the write again at the top of the loop.
                if room.is_none() {
                    lost(&io);
                    break;
                }
                blocked = None;
            }
            guard = fd.readable(), if reading => {
                let Ok(mut guard) = guard else { break };
                match guard.try_io(|fd| read(fd.get_ref(), &mut input)) {
                    Ok(Ok(n)) if n > 0 => {
                        // A terminal in raw mode hands over all it has: a
                        // short read emptied it, and more input wakes us
                        // anew, so there is no need to read until EAGAIN.
                        if n < input.len() {
                            guard.clear_ready();
                        }
                        let data = input[..n].to_vec();
                        let _ = io.events.send(Event::ClientInput { conn: io.conn, data });
                    }
                    // End of file or an error: the terminal hung up.
                    Ok(_) => {
                        reading = false;
                        lost(&io);
                    }
                    Err(_would_block) => {}
                }
            }
        }
    }
    // Whatever was to follow the output still reaches the client.
    for m in after {
        let _ = io.reply.send(m);
    }
    // The descriptor may share its open file with the client's own
    // (a client that could not open its terminal by name sent a copy).
    let _ = set_nonblocking(fd.get_ref(), false);
}

/// A copy of the terminal watched for room to write.
fn watch_room(fd: &OwnedFd) -> Option<AsyncFd<OwnedFd>> {
    let copy = fd.try_clone().ok()?;
    // SAFETY: the copy is open, owned by the AsyncFd and keeps its number
    // until dropped.
    unsafe { AsyncFd::register_with_interest(copy, tokio::io::Interest::WRITABLE) }.ok()
}

fn lost(io: &Io) {
    let _ = io.events.send(Event::TtyLost { conn: io.conn });
}

fn write(fd: &OwnedFd, bytes: &[u8]) -> io::Result<usize> {
    nix::unistd::write(fd, bytes).map_err(io::Error::from)
}

fn read(fd: &OwnedFd, buf: &mut [u8]) -> io::Result<usize> {
    nix::unistd::read(fd, buf).map_err(io::Error::from)
}

fn set_nonblocking(fd: &OwnedFd, on: bool) -> io::Result<()> {
    use nix::fcntl::{FcntlArg, OFlag, fcntl};
    let flags = fcntl(fd, FcntlArg::F_GETFL).map_err(io::Error::from)?;
    let mut flags = OFlag::from_bits_truncate(flags);
    flags.set(OFlag::O_NONBLOCK, on);
    fcntl(fd, FcntlArg::F_SETFL(flags)).map_err(io::Error::from)?;
    Ok(())
}
