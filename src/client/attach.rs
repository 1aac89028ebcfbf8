//! The attached client: it puts its terminal in raw mode on the alternate
//! screen and hands it to the server, which reads the keys and draws there
//! itself (`server/tty`), as tmux's server does. The client then only waits:
//! for the terminal's size changing, for the server asking it to lend the
//! terminal to a lock command or to stop, and for the word to leave. The
//! terminal is restored on every way out: detach, the session ending, the
//! server dying, signals and panics.

use commands::proto::{self, ClientMsg, ServerMsg};
use crossterm::{cursor, event, execute, terminal};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Puts the terminal back as it was. Also run from the panic hook.
fn restore_terminal() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        event::DisableMouseCapture,
        event::DisableBracketedPaste,
        event::DisableFocusChange,
        cursor::SetCursorStyle::DefaultUserShape,
        cursor::Show,
        terminal::LeaveAlternateScreen
    );
    let _ = terminal::disable_raw_mode();
}

/// Takes the terminal again after a lock or suspend: raw mode and the
/// alternate screen; the server draws everything again.
fn retake_terminal() {
    let _ = terminal::enable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        terminal::EnterAlternateScreen,
        terminal::Clear(terminal::ClearType::All)
    );
}

/// Restores the terminal when dropped, however the client leaves.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        blocking_stdin();
        restore_terminal();
    }
}

/// Signals the attached client reacts to, as flags set by handlers, with a
/// pipe to wake the poll.
struct Signals {
    winch: Arc<AtomicBool>,
    term: Arc<AtomicBool>,
    wake: UnixStream,
}

impl Signals {
    fn new() -> io::Result<Signals> {
        let (wake, wake_w) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        let winch = Arc::new(AtomicBool::new(false));
        let term = Arc::new(AtomicBool::new(false));
        for (sig, flag) in [
            (signal_hook::consts::SIGWINCH, &winch),
            (signal_hook::consts::SIGTERM, &term),
            (signal_hook::consts::SIGHUP, &term),
            (signal_hook::consts::SIGINT, &term),
        ] {
            signal_hook::flag::register(sig, flag.clone())?;
            signal_hook::low_level::pipe::register(sig, wake_w.try_clone()?)?;
        }
        Ok(Signals { winch, term, wake })
    }
}

/// Runs the attached client until it is told to leave; returns the exit
/// status. `pending` is output that arrived before attaching.
pub fn run(stream: &UnixStream, pending: Vec<u8>) -> i32 {
    let signals = match Signals::new() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("signals: {e}");
            return 1;
        }
    };
    if let Err(e) = terminal::enable_raw_mode() {
        eprintln!("open terminal failed: {e}");
        return 1;
    }
    let guard = Guard;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    let mut out = io::stdout();
    let _ = execute!(
        out,
        terminal::EnterAlternateScreen,
        terminal::Clear(terminal::ClearType::All)
    );
    let result = hand_over(stream).and_then(|()| session(stream, &signals));
    drop(guard);
    let _ = io::stdout().write_all(&pending);
    match result {
        Ok((message, code)) => {
            if !message.is_empty() {
                println!("{message}");
            }
            code
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

fn send(stream: &UnixStream, msg: &ClientMsg) -> io::Result<()> {
    let mut w = stream;
    w.write_all(&proto::encode(msg))
}

/// Gives the server the terminal, opened afresh by name so that the
/// server's non-blocking reads do not change how our own descriptors
/// behave; a copy of stdin if it has no name we can open.
fn hand_over(stream: &UnixStream) -> io::Result<()> {
    use nix::sys::socket::{ControlMessage, MsgFlags, sendmsg};
    let stdin = io::stdin();
    let tty: OwnedFd = match nix::unistd::ttyname(&stdin).and_then(|name| {
        nix::fcntl::open(
            &name,
            nix::fcntl::OFlag::O_RDWR | nix::fcntl::OFlag::O_NOCTTY | nix::fcntl::OFlag::O_CLOEXEC,
            nix::sys::stat::Mode::empty(),
        )
    }) {
        Ok(fd) => fd,
        Err(_) => stdin.as_fd().try_clone_to_owned()?,
    };
    let frame = proto::encode(&ClientMsg::Tty);
    let fds = [tty.as_raw_fd()];
    let sent = sendmsg::<()>(
        stream.as_raw_fd(),
        &[io::IoSlice::new(&frame)],
        &[ControlMessage::ScmRights(&fds)],
        MsgFlags::empty(),
        None,
    )
    .map_err(|e| io::Error::other(format!("open terminal failed: {e}")))?;
    // The descriptor went with the first byte; the rest is plain data.
    let mut w = stream;
    w.write_all(&frame[sent..])
}

/// Clears O_NONBLOCK on stdin, which the server set if it was given a copy
/// of it: the shell after us expects blocking reads.
fn blocking_stdin() {
    use nix::fcntl::{FcntlArg, OFlag, fcntl};
    let stdin = io::stdin();
    if let Ok(flags) = fcntl(&stdin, FcntlArg::F_GETFL) {
        let mut flags = OFlag::from_bits_truncate(flags);
        if flags.contains(OFlag::O_NONBLOCK) {
            flags.remove(OFlag::O_NONBLOCK);
            let _ = fcntl(&stdin, FcntlArg::F_SETFL(flags));
        }
    }
}

/// The attached loop: returns the message to print and the exit status.
fn session(stream: &UnixStream, signals: &Signals) -> io::Result<(String, i32)> {
    let mut inbox: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        let mut fds = [
            PollFd::new(stream.as_fd(), PollFlags::POLLIN),
            PollFd::new(signals.wake.as_fd(), PollFlags::POLLIN),
        ];
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) => {}
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e.into()),
        }
        let ready = |i: usize| fds[i].revents().is_some_and(|r| !r.is_empty());
        let (server_in, signal_in) = (ready(0), ready(1));
        if signal_in {
            let mut sink = [0u8; 64];
            while (&signals.wake).read(&mut sink).is_ok_and(|n| n > 0) {}
            if signals.term.swap(false, Ordering::SeqCst) {
                return Ok(("[terminated]".to_string(), 1));
            }
            if signals.winch.swap(false, Ordering::SeqCst) {
                send(stream, &size_now())?;
            }
        }
        if !server_in {
            continue;
        }
        let n = match (&*stream).read(&mut chunk) {
            Ok(n) if n > 0 => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // EOF, or a reset from a server that died.
            _ => return Ok(("[lost server]".to_string(), 1)),
        };
        inbox.extend_from_slice(&chunk[..n]);
        while inbox.len() >= 4 {
            let len = proto::body_len([inbox[0], inbox[1], inbox[2], inbox[3]])
                .map_err(io::Error::other)?;
            if inbox.len() < 4 + len {
                break;
            }
            let msg: ServerMsg = proto::decode(&inbox[4..4 + len]).map_err(io::Error::other)?;
            inbox.drain(..4 + len);
            match msg {
                ServerMsg::Detach { message, code } => return Ok((message, code)),
                ServerMsg::Exit { code } => return Ok((String::new(), code)),
                ServerMsg::Error { message } => return Ok((message, 1)),
                ServerMsg::Lock { command } => {
                    // As tmux's client: the command runs on the terminal,
                    // as it was before attaching.
                    restore_terminal();
                    let _ = std::process::Command::new("/bin/sh")
                        .arg("-c")
                        .arg(&command)
                        .status();
                    retake_terminal();
                    send(stream, &ClientMsg::Unlock)?;
                }
                ServerMsg::Suspend => {
                    restore_terminal();
                    // Stops here until continued (fg in the shell).
                    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP);
                    retake_terminal();
                    send(stream, &size_now())?;
                    send(stream, &ClientMsg::Wakeup)?;
                }
                _ => {}
            }
        }
    }
}

/// The terminal's size now, for the server: after SIGWINCH, and after the
/// client was suspended (the terminal may have changed meanwhile).
fn size_now() -> ClientMsg {
    let (cols, rows) = super::terminal_size().unwrap_or((80, 24));
    ClientMsg::Resize {
        cols,
        rows,
        cell: super::terminal_cell(),
    }
}
