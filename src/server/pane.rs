//! A pane's program on its pseudo terminal: spawning it, the reader thread
//! that feeds its output to the emulator, the writer that feeds it input,
//! and the watch on its exit.
//!
//! Output is parsed on the pane's own thread, not the state actor, so panes
//! parse in parallel and a busy pane never delays commands. The actor hears
//! of output through a flag: one event per burst, not per read.

use super::emulator::{Emu, Emulator};
use super::spawn::Program;
use super::{Event, PaneRef};
use portable_pty::{MasterPty, PtySize};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

/// What the reader thread and the actor share.
pub struct Shared {
    emu: Mutex<Box<dyn Emulator>>,
    /// Microseconds since the epoch of the last output.
    pub activity: AtomicU64,
    /// Set by the reader when output arrived and the actor was not told yet.
    pub dirty: AtomicBool,
    /// The program rang the bell since the actor last looked.
    pub bell: AtomicBool,
    /// Someone wants the raw output (a subscriber's --pane-output).
    tapped: AtomicBool,
    /// Output read since the actor last took it, while tapped.
    tap: Mutex<Vec<u8>>,
    /// Where pipe-pane sends the output, while it pipes.
    pub(super) pipe: Mutex<Option<super::pipe::PipeTx>>,
    /// Where an agent's pane keeps what it printed, beyond the pane's life.
    transcript: Mutex<Option<super::agents::Transcript>>,
}

/// Raw output kept for a tap between two looks of the actor's.
const TAP_MAX: usize = 1 << 20;

impl Shared {
    pub fn set_transcript(&self, t: Option<super::agents::Transcript>) {
        *self.transcript.lock().unwrap_or_else(|e| e.into_inner()) = t;
    }

    pub fn take_transcript(&self) -> Option<super::agents::Transcript> {
        self.transcript
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// Appends output to the pane's transcript, if it keeps one; a write
    /// that fails (a full disk) ends the transcript, never the pane.
    fn transcribe(&self, data: &[u8]) {
        let mut t = self.transcript.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(file) = t.as_mut()
            && file.write(data).is_err()
        {
            *t = None;
        }
    }

    /// Starts (or stops) keeping the raw output for the actor.
    pub fn tap(&self, on: bool) {
        self.tapped.store(on, Ordering::Release);
        if !on {
            self.tap.lock().unwrap_or_else(|e| e.into_inner()).clear();
        }
    }

    fn keep(&self, data: &[u8]) {
        if !self.tapped.load(Ordering::Acquire) {
            return;
        }
        let mut tap = self.tap.lock().unwrap_or_else(|e| e.into_inner());
        // A subscriber that falls this far behind loses the oldest output.
        if tap.len() + data.len() > TAP_MAX {
            let drop = (tap.len() + data.len() - TAP_MAX).min(tap.len());
            tap.drain(..drop);
        }
        tap.extend_from_slice(data);
    }

    /// The output kept so far: an unfinished UTF-8 sequence at the end
    /// waits for the rest.
    pub fn take_tapped_bytes(&self) -> Vec<u8> {
        let mut tap = self.tap.lock().unwrap_or_else(|e| e.into_inner());
        let end = match std::str::from_utf8(&tap) {
            Ok(_) => tap.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => tap.len(),
        };
        let rest = tap.split_off(end);
        std::mem::replace(&mut *tap, rest)
    }

    /// The emulator, even if a reader thread panicked while holding it: the
    /// screen may be odd but the server keeps going.
    pub fn emu(&self) -> MutexGuard<'_, Box<dyn Emulator>> {
        self.emu.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What to run in a pane.
pub struct Spawn {
    pub argv: Vec<String>,
    /// Run `argv[0]` as a login shell (`-sh`).
    pub login: bool,
    pub cwd: String,
    pub env: Vec<(String, String)>,
    pub cols: u16,
    pub rows: u16,
    pub history: usize,
}

/// The live parts of a pane: its pty, child and threads.
pub struct PaneIo {
    master: Box<dyn MasterPty + Send>,
    pub shared: Arc<Shared>,
    pub pid: u32,
    /// Which run of the pane this is.
    pub run: PaneRef,
    input: UnboundedSender<Vec<u8>>,
    /// Chunks handed to the writer task and not written yet.
    queued: Arc<std::sync::atomic::AtomicUsize>,
    /// The master, for writes that need not wait.
    write_fd: OwnedFd,
    /// Tells a worker thread reading bulk output to stop.
    stop: OwnedFd,
    reading: tokio::task::JoinHandle<()>,
    pub tty: String,
}

pub fn now_micros() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
}

fn errno_io(e: nix::Error) -> std::io::Error {
    std::io::Error::from(e)
}

impl PaneIo {
    /// Starts the program. Events about the pane go to `events`.
    pub fn spawn(
        run: PaneRef,
        spec: Spawn,
        events: UnboundedSender<Event>,
    ) -> Result<PaneIo, String> {
        let pty = portable_pty::native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: spec.rows.max(1),
                cols: spec.cols.max(1),
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| format!("open terminal failed: {e}"))?;
        let tty_path = pair
            .master
            .tty_name()
            .ok_or_else(|| "open terminal failed: no terminal name".to_string())?;
        let pid = Program::resolve(&spec.argv, spec.login, spec.env, &spec.cwd)
            .and_then(|p| p.spawn(&tty_path))
            .map_err(|e| format!("create pane failed: {e}"))?;
        // The slave belongs to the child now; holding it would keep the pty
        // open after the program exits.
        drop(pair.slave);
        let master = pair.master;
        let tty = tty_path.display().to_string();
        let fd = master
            .as_raw_fd()
            .ok_or_else(|| "open terminal failed: no descriptor".to_string())?;
        set_nonblocking(fd).map_err(|e| format!("open terminal failed: {e}"))?;

        let mut emu = Emu::new(spec.cols, spec.rows, spec.history);
        emu.set_title(&hostname());
        let shared = Arc::new(Shared {
            emu: Mutex::new(Box::new(emu)),
            activity: AtomicU64::new(now_micros()),
            dirty: AtomicBool::new(false),
            bell: AtomicBool::new(false),
            tapped: AtomicBool::new(false),
            tap: Mutex::new(Vec::new()),
            pipe: Mutex::new(None),
            transcript: Mutex::new(None),
        });
        let dup = |fd: RawFd| -> Result<OwnedFd, String> {
            // SAFETY: fd is the master's descriptor, open for the call.
            let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
            borrowed
                .try_clone_to_owned()
                .map_err(|e| format!("open terminal failed: {e}"))
        };
        let write_fd = dup(fd)?;
        let stop = nix::sys::eventfd::EventFd::from_flags(
            nix::sys::eventfd::EfdFlags::EFD_CLOEXEC | nix::sys::eventfd::EfdFlags::EFD_NONBLOCK,
        )
        .map_err(|e| format!("eventfd: {e}"))?;
        let stop: OwnedFd = stop.into();
        let reader = Arc::new(Reader {
            run,
            shared: shared.clone(),
            events: events.clone(),
            replies: dup(fd)?,
            stop: stop.try_clone().map_err(|e| format!("eventfd: {e}"))?,
        });
        let reading = tokio::task::spawn_local(read_loop(reader, dup(fd)?, dup(fd)?));

        let (input, mut input_rx) = unbounded_channel::<Vec<u8>>();
        let queued = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let writer_queued = queued.clone();
        let direct_fd = dup(fd)?;
        tokio::spawn(async move {
            let mut write_fd = Some(write_fd);
            while let Some(data) = input_rx.recv().await {
                let Some(fd) = write_fd.take() else { break };
                // Watched for room only while input waits: a terminal always
                // watched for it wakes the server each time its program reads.
                // SAFETY: the OwnedFd stays open, and is the same descriptor,
                // for as long as the AsyncFd owns it.
                let Ok(afd) = (unsafe {
                    tokio::io::unix::AsyncFd::register_with_interest(
                        fd,
                        tokio::io::Interest::WRITABLE,
                    )
                }) else {
                    break;
                };
                let ok = write_all_async(&afd, &data).await.is_ok();
                writer_queued.fetch_sub(1, Ordering::AcqRel);
                if !ok {
                    break;
                }
                write_fd = Some(afd.into_inner());
            }
        });
        watch_exit(run, pid, events);
        Ok(PaneIo {
            master,
            shared,
            pid,
            run,
            input,
            queued,
            write_fd: direct_fd,
            stop,
            reading,
            tty,
        })
    }

    /// Writes bytes to the program's input, in order: at once when nothing
    /// is waiting and the terminal takes them, else through the writer task
    /// (a program that is not reading must not block the server).
    pub fn write(&self, data: &[u8]) {
        let mut rest = data;
        if self.queued.load(Ordering::Acquire) == 0 {
            while !rest.is_empty() {
                match nix::unistd::write(self.write_fd.as_fd(), rest) {
                    Ok(n) => rest = &rest[n..],
                    Err(nix::errno::Errno::EINTR) => continue,
                    Err(_) => break,
                }
            }
        }
        if !rest.is_empty() {
            self.queued.fetch_add(1, Ordering::AcqRel);
            let _ = self.input.send(rest.to_vec());
        }
    }

    /// A handle that writes to the program's input from elsewhere
    /// (pipe-pane -I), in order with [`PaneIo::write`]'s queue.
    pub fn writer(&self) -> PaneWriter {
        PaneWriter {
            input: self.input.clone(),
            queued: self.queued.clone(),
        }
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        let _ = self.master.resize(PtySize {
            rows: rows.max(1),
            cols: cols.max(1),
            pixel_width: 0,
            pixel_height: 0,
        });
        self.shared.emu().resize(cols.max(1), rows.max(1));
    }

    /// The foreground process group of the terminal, or the child.
    pub fn foreground(&self) -> u32 {
        self.master
            .process_group_leader()
            .map(|p| p as u32)
            .unwrap_or(self.pid)
    }

    /// The program's process group and, if another is in the foreground,
    /// that one too.
    pub fn process_groups(&self) -> Vec<u32> {
        let fg = self.foreground();
        [self.pid, fg]
            .into_iter()
            .filter(|g| *g > 1)
            .enumerate()
            .filter(|(i, g)| *i == 0 || *g != self.pid)
            .map(|(_, g)| g)
            .collect()
    }

    /// Hangs up the program's process group and stops the reader.
    pub fn kill(&self) {
        if self.pid > 0 {
            let pid = nix::unistd::Pid::from_raw(self.pid as i32);
            let _ = nix::sys::signal::killpg(pid, nix::sys::signal::Signal::SIGHUP);
        }
        self.stop_reader();
    }

    pub fn stop_reader(&self) {
        let _ = nix::unistd::write(self.stop.as_fd(), &1u64.to_ne_bytes());
        self.reading.abort();
    }
}

/// Writes to a pane's program from another task.
pub struct PaneWriter {
    input: UnboundedSender<Vec<u8>>,
    queued: Arc<std::sync::atomic::AtomicUsize>,
}

impl PaneWriter {
    /// False once the pane's writer has gone.
    pub fn write(&self, data: &[u8]) -> bool {
        self.queued.fetch_add(1, Ordering::AcqRel);
        self.input.send(data.to_vec()).is_ok()
    }
}

impl Drop for PaneIo {
    fn drop(&mut self) {
        self.stop_reader();
    }
}

fn set_nonblocking(fd: RawFd) -> std::io::Result<()> {
    use nix::fcntl::{FcntlArg, OFlag, fcntl};
    // SAFETY: fd is open for the duration of the call.
    let b = unsafe { BorrowedFd::borrow_raw(fd) };
    let flags = OFlag::from_bits_truncate(fcntl(b, FcntlArg::F_GETFL).map_err(errno_io)?);
    fcntl(b, FcntlArg::F_SETFL(flags | OFlag::O_NONBLOCK)).map_err(errno_io)?;
    Ok(())
}

pub fn hostname() -> String {
    nix::unistd::gethostname()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A read this large means the program is writing fast: reading moves to a
/// worker thread until it goes quiet. (A pty read returns at most 4095
/// bytes, a full line-discipline buffer.)
const BULK: usize = 2048;

/// How long a worker waits for more output before handing reading back.
const QUIET_MS: u16 = 20;

/// What reading a pane's output needs, shared by the main-thread reader and
/// the worker thread.
struct Reader {
    run: PaneRef,
    shared: Arc<Shared>,
    events: UnboundedSender<Event>,
    /// Where answers to the program's queries go.
    replies: OwnedFd,
    stop: OwnedFd,
}

impl Reader {
    /// Feeds output to the emulator and tells the server (once a burst);
    /// false if the server is gone.
    fn consume(&self, data: &[u8]) -> bool {
        self.consume_all(&[data])
    }

    /// As `consume`, for reads that queued up: one lock, one event.
    fn consume_all(&self, reads: &[&[u8]]) -> bool {
        let answer = {
            let mut emu = self.shared.emu();
            for data in reads {
                emu.process(data);
                self.shared.keep(data);
                self.shared.pipe_out(data);
            }
            if emu.take_bells() > 0 {
                self.shared.bell.store(true, Ordering::Release);
            }
            emu.take_replies()
        };
        // The transcript's file is written with the emulator let go: the
        // actor draws from it meanwhile.
        for data in reads {
            self.shared.transcribe(data);
        }
        if !answer.is_empty() {
            let _ = write_all_blocking(self.replies.as_raw_fd(), &answer);
        }
        self.shared.activity.store(now_micros(), Ordering::Relaxed);
        self.shared.dirty.swap(true, Ordering::AcqRel)
            || self.events.send(Event::PaneOutput(self.run)).is_ok()
    }
}

/// Reads into the spare capacity of `buf`: an idle pane never touches it.
fn read_into(fd: RawFd, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    buf.clear();
    // SAFETY: read writes at most capacity bytes into our buffer; we set the
    // length to what it wrote.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.capacity()) };
    if n < 0 {
        return Err(std::io::Error::last_os_error());
    }
    unsafe { buf.set_len(n as usize) };
    Ok(n as usize)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Drained {
    /// The output went quiet; reading goes back to the main thread.
    Quiet,
    /// The terminal closed.
    Eof,
    /// The pane was killed, or the server is going.
    Stopped,
}

/// Reads a pane's output on the server's main thread, so that the echo of a
/// key reaches the screen without waking another thread. Bulk output moves
/// to a worker thread until it quiets down, so that busy panes parse in
/// parallel and never hold up commands.
async fn read_loop(reader: Arc<Reader>, fd: OwnedFd, worker_fd: OwnedFd) {
    // SAFETY: the OwnedFd is open, and the same descriptor, for as long as
    // the AsyncFd owns it.
    let Ok(afd) = (unsafe {
        tokio::io::unix::AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE)
    }) else {
        return;
    };
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut worker_fd = Some(worker_fd);
    let mut worker: Option<std::sync::mpsc::Sender<tokio::sync::oneshot::Sender<Drained>>> = None;
    loop {
        let Ok(mut guard) = afd.readable().await else {
            break;
        };
        let n = match guard.try_io(|inner| read_into(inner.as_raw_fd(), &mut buf)) {
            Err(_would_block) => continue,
            Ok(Ok(n)) => n,
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // EIO: every program holding the terminal is gone.
            Ok(Err(_)) => 0,
        };
        if n == 0 {
            break;
        }
        if n < BULK {
            // A short read took all the terminal had (its buffer holds up
            // to 4095 bytes); more output wakes us anew. Saves a read that
            // would only say EAGAIN, on the path of every key's echo.
            guard.clear_ready();
        }
        if !reader.consume(&buf) {
            return;
        }
        if n < BULK {
            continue;
        }
        if worker.is_none() {
            let (jobs, rx) = std::sync::mpsc::channel();
            let (r, fd) = (reader.clone(), worker_fd.take());
            let started = std::thread::Builder::new()
                .name(format!("pane{}", reader.run.id.0))
                .stack_size(128 * 1024)
                .spawn(move || {
                    if let Some(fd) = fd {
                        bulk_reader(r, fd, rx);
                    }
                });
            if started.is_err() {
                continue;
            }
            worker = Some(jobs);
        }
        let (done, wait) = tokio::sync::oneshot::channel();
        if worker.as_ref().is_none_or(|w| w.send(done).is_err()) {
            continue;
        }
        match wait.await {
            Ok(Drained::Quiet) => continue,
            Ok(Drained::Stopped) => return,
            Ok(Drained::Eof) | Err(_) => break,
        }
    }
    let _ = reader.events.send(Event::PaneEof(reader.run));
}

/// What the bulk reading thread hands its parsing thread.
enum Chunk {
    Data(Vec<u8>),
    /// The burst is over: answer the main-thread reader once everything
    /// before this is parsed.
    End(tokio::sync::oneshot::Sender<Drained>, Drained),
}

/// Reads a pane may run ahead of its parsing: enough that reading and
/// parsing overlap, little enough that the screen stays current.
const READ_AHEAD: usize = 8;

/// The worker thread: reads bulk output until it goes quiet for a moment,
/// each time the main-thread reader hands over, and passes it to a parsing
/// thread, so that a flood is read and parsed at once on two cores.
fn bulk_reader(
    reader: Arc<Reader>,
    fd: OwnedFd,
    jobs: std::sync::mpsc::Receiver<tokio::sync::oneshot::Sender<Drained>>,
) {
    let (chunks, parse_rx) = std::sync::mpsc::sync_channel(READ_AHEAD);
    let parsing = reader.clone();
    let started = std::thread::Builder::new()
        .name(format!("pane{}parse", reader.run.id.0))
        .stack_size(128 * 1024)
        .spawn(move || bulk_parser(&parsing, &parse_rx));
    if started.is_err() {
        return;
    }
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    while let Ok(done) = jobs.recv() {
        let result = read_burst(&reader, &fd, &mut buf, &chunks);
        if chunks.send(Chunk::End(done, result)).is_err() || result != Drained::Quiet {
            return;
        }
    }
}

/// The parsing thread: parses what was read, as much as has queued up at
/// a time.
fn bulk_parser(reader: &Reader, chunks: &std::sync::mpsc::Receiver<Chunk>) {
    let mut pending: Vec<Vec<u8>> = Vec::new();
    while let Ok(first) = chunks.recv() {
        let mut next = Some(first);
        let mut end = None;
        while let Some(chunk) = next.take() {
            match chunk {
                Chunk::Data(d) => pending.push(d),
                Chunk::End(done, result) => {
                    end = Some((done, result));
                    break;
                }
            }
            next = chunks.try_recv().ok();
        }
        if !pending.is_empty() {
            let reads: Vec<&[u8]> = pending.iter().map(Vec::as_slice).collect();
            let alive = reader.consume_all(&reads);
            pending.clear();
            if !alive {
                if let Some((done, _)) = end {
                    let _ = done.send(Drained::Stopped);
                }
                return;
            }
        }
        if let Some((done, result)) = end {
            let _ = done.send(result);
            if result != Drained::Quiet {
                return;
            }
        }
    }
}

/// Reads one burst of output into `chunks` until it goes quiet, ends, or
/// the pane is stopped.
fn read_burst(
    reader: &Reader,
    fd: &OwnedFd,
    buf: &mut Vec<u8>,
    chunks: &std::sync::mpsc::SyncSender<Chunk>,
) -> Drained {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    loop {
        let mut fds = [
            PollFd::new(fd.as_fd(), PollFlags::POLLIN),
            PollFd::new(reader.stop.as_fd(), PollFlags::POLLIN),
        ];
        match poll(&mut fds, PollTimeout::from(QUIET_MS)) {
            Ok(0) => return Drained::Quiet,
            Ok(_) => {}
            Err(nix::errno::Errno::EINTR) => continue,
            Err(_) => return Drained::Eof,
        }
        if fds[1].revents().is_some_and(|r| !r.is_empty()) {
            return Drained::Stopped;
        }
        match read_into(fd.as_raw_fd(), buf) {
            Ok(0) => return Drained::Eof,
            Ok(_) => {
                if chunks.send(Chunk::Data(buf.clone())).is_err() {
                    return Drained::Stopped;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted
                ) => {}
            Err(_) => return Drained::Eof,
        }
    }
}

fn write_all_blocking(fd: RawFd, mut data: &[u8]) -> std::io::Result<()> {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    // SAFETY: fd stays open for this call.
    let b = unsafe { BorrowedFd::borrow_raw(fd) };
    while !data.is_empty() {
        match nix::unistd::write(b, data) {
            Ok(n) => data = &data[n..],
            Err(nix::errno::Errno::EAGAIN) => {
                let mut fds = [PollFd::new(b, PollFlags::POLLOUT)];
                let _ = poll(&mut fds, PollTimeout::from(1000u16));
            }
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

async fn write_all_async(
    afd: &tokio::io::unix::AsyncFd<OwnedFd>,
    mut data: &[u8],
) -> std::io::Result<()> {
    while !data.is_empty() {
        let mut guard = afd.writable().await?;
        match guard.try_io(|inner| nix::unistd::write(inner.get_ref(), data).map_err(errno_io)) {
            Ok(Ok(n)) => data = &data[n..],
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Ok(Err(e)) => return Err(e),
            Err(_would_block) => continue,
        }
    }
    Ok(())
}

/// Watches the child through a pidfd and reaps it when it exits.
fn watch_exit(run: PaneRef, pid: u32, events: UnboundedSender<Event>) {
    if pid == 0 {
        return;
    }
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor.
    let raw = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) } as RawFd;
    if raw < 0 {
        return;
    }
    // SAFETY: raw is a new descriptor we own.
    let pidfd = unsafe { OwnedFd::from_raw_fd(raw) };
    tokio::spawn(async move {
        // SAFETY: as above, the OwnedFd is the AsyncFd's for its lifetime.
        let afd = unsafe {
            tokio::io::unix::AsyncFd::register_with_interest(pidfd, tokio::io::Interest::READABLE)
        };
        if let Ok(afd) = afd {
            let _ = afd.readable().await;
        }
        let status = reap(pid);
        let _ = events.send(Event::ChildExit { pane: run, status });
    });
}

/// Reaps a child: its exit status, or 128 + the signal that killed it.
fn reap(pid: u32) -> i32 {
    use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
    let pid = nix::unistd::Pid::from_raw(pid as i32);
    loop {
        match waitpid(pid, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(_, code)) => return code,
            Ok(WaitStatus::Signaled(_, sig, _)) => return 128 + sig as i32,
            Ok(WaitStatus::StillAlive) => return 0,
            Ok(_) => continue,
            Err(nix::errno::Errno::EINTR) => continue,
            Err(_) => return 0,
        }
    }
}
