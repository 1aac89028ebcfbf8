//! The attached client: it takes over the terminal (raw mode, alternate
//! screen), forwards what is typed to the server as it comes, and draws the
//! frames the server sends with ratatui, whose buffer diff writes only the
//! cells that changed. The terminal is restored on every way out: detach,
//! the session ending, the server dying, signals and panics.

use commands::proto::{self, ClientMsg, Frame, ServerMsg, modes};
use crossterm::{cursor, event, execute, terminal};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use unicode_width::UnicodeWidthChar;

/// Draws frames: the previous screen is diffed against the next and only
/// the changed cells go out, in one write.
struct Painter {
    backend: CrosstermBackend<io::BufWriter<io::Stdout>>,
    shown: Buffer,
    cursor_visible: Option<bool>,
}

impl Painter {
    fn new() -> Painter {
        Painter {
            backend: CrosstermBackend::new(io::BufWriter::with_capacity(256 * 1024, io::stdout())),
            shown: Buffer::empty(Rect::default()),
            cursor_visible: None,
        }
    }

    /// Paints the rows that changed (all of them when `rows` is `None`).
    fn paint(&mut self, screen: &Screen, rows: Option<&[u16]>) -> io::Result<()> {
        use ratatui::backend::Backend;
        let mut rows = rows;
        if self.shown.area != screen.buf.area {
            // A new size: everything is drawn again on a cleared screen.
            self.backend.clear()?;
            self.shown = Buffer::empty(screen.buf.area);
            rows = None;
        }
        let updates = match rows {
            None => self.shown.diff(&screen.buf),
            Some(rows) => row_diff(&self.shown, &screen.buf, rows),
        };
        if !updates.is_empty() {
            self.backend.draw(updates.iter().copied())?;
        }
        for (x, y, cell) in updates {
            self.shown[(x, y)] = cell.clone();
        }
        let visible = screen.modes & modes::CURSOR_HIDDEN == 0;
        if visible {
            self.backend
                .set_cursor_position(Position::new(screen.cursor.0, screen.cursor.1))?;
        }
        if self.cursor_visible != Some(visible) {
            if visible {
                self.backend.show_cursor()?;
            } else {
                self.backend.hide_cursor()?;
            }
            self.cursor_visible = Some(visible);
        }
        Backend::flush(&mut self.backend)
    }
}

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

/// Takes the terminal again after a lock or suspend: raw mode, the
/// alternate screen, the modes of the last frame; the next frame is
/// drawn whole.
fn retake_terminal(painter: &mut Painter, screen: &Screen) {
    let _ = terminal::enable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        terminal::EnterAlternateScreen,
        terminal::Clear(terminal::ClearType::All)
    );
    set_modes(&mut out, 0, screen.modes);
    painter.shown = Buffer::empty(Rect::default());
    painter.cursor_visible = None;
}

/// Restores the terminal when dropped, however the client leaves.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn colour(v: i32) -> Color {
    match v {
        -1 => Color::Reset,
        0..=255 => Color::Indexed(v as u8),
        v => Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8),
    }
}

fn style(s: &[i32; 3]) -> Style {
    let mut st = Style::default().fg(colour(s[0])).bg(colour(s[1]));
    for (bit, m) in [
        (1, Modifier::BOLD),
        (2, Modifier::DIM),
        (4, Modifier::ITALIC),
        (8, Modifier::UNDERLINED),
        (16, Modifier::REVERSED),
        (32, Modifier::SLOW_BLINK),
        (64, Modifier::HIDDEN),
        (128, Modifier::CROSSED_OUT),
    ] {
        if s[2] & bit != 0 {
            st = st.add_modifier(m);
        }
    }
    st
}

/// The client's copy of its screen.
struct Screen {
    buf: Buffer,
    cursor: (u16, u16),
    cursor_style: u8,
    modes: u8,
}

impl Screen {
    fn apply(&mut self, f: &Frame) {
        let area = Rect::new(0, 0, f.cols, f.rows);
        if f.full || self.buf.area != area {
            self.buf = Buffer::empty(area);
        }
        for line in &f.lines {
            if line.y >= f.rows {
                continue;
            }
            let mut x: u16 = 0;
            for run in &line.runs {
                let st = style(&run.s);
                for ch in run.t.chars() {
                    let w = ch.width().unwrap_or(0) as u16;
                    if w == 0 {
                        if x > 0 {
                            let prev = &mut self.buf[(x - 1, line.y)];
                            let sym = format!("{}{ch}", prev.symbol());
                            prev.set_symbol(&sym);
                        }
                        continue;
                    }
                    if x + w > f.cols {
                        break;
                    }
                    let mut buf = [0u8; 4];
                    self.buf[(x, line.y)]
                        .set_symbol(ch.encode_utf8(&mut buf))
                        .set_style(st);
                    if w == 2 {
                        self.buf[(x + 1, line.y)].reset();
                    }
                    x += w;
                }
            }
            for rest in x..f.cols {
                self.buf[(rest, line.y)].reset();
            }
        }
        self.cursor = f.cursor;
        self.cursor_style = f.cursor_style;
    }
}

/// The cells of some rows that differ, as ratatui's own diff finds them: a
/// cell hidden under a wide character is skipped, and cells after one whose
/// width changed are drawn again.
fn row_diff<'a>(
    prev: &Buffer,
    next: &'a Buffer,
    rows: &[u16],
) -> Vec<(u16, u16, &'a ratatui::buffer::Cell)> {
    use unicode_width::UnicodeWidthStr;
    let mut out = Vec::new();
    let width = next.area.width;
    for &y in rows.iter().filter(|y| **y < next.area.height) {
        let (mut invalidated, mut to_skip) = (0usize, 0usize);
        for x in 0..width {
            let (cur, old) = (&next[(x, y)], &prev[(x, y)]);
            if (cur != old || invalidated > 0) && to_skip == 0 {
                out.push((x, y, cur));
            }
            let w = cur.symbol().width();
            to_skip = w.saturating_sub(1);
            invalidated = w
                .max(old.symbol().width())
                .max(invalidated)
                .saturating_sub(1);
        }
    }
    out
}

fn set_modes(out: &mut impl Write, old: u8, new: u8) {
    let changed = old ^ new;
    if changed & modes::MOUSE != 0 {
        let _ = if new & modes::MOUSE != 0 {
            execute!(out, event::EnableMouseCapture)
        } else {
            execute!(out, event::DisableMouseCapture)
        };
    }
    if changed & modes::BRACKETED_PASTE != 0 {
        let _ = if new & modes::BRACKETED_PASTE != 0 {
            execute!(out, event::EnableBracketedPaste)
        } else {
            execute!(out, event::DisableBracketedPaste)
        };
    }
    if changed & modes::FOCUS != 0 {
        let _ = if new & modes::FOCUS != 0 {
            execute!(out, event::EnableFocusChange)
        } else {
            execute!(out, event::DisableFocusChange)
        };
    }
}

fn cursor_shape(n: u8) -> cursor::SetCursorStyle {
    use cursor::SetCursorStyle::*;
    match n {
        1 => BlinkingBlock,
        2 => SteadyBlock,
        3 => BlinkingUnderScore,
        4 => SteadyUnderScore,
        5 => BlinkingBar,
        6 => SteadyBar,
        _ => DefaultUserShape,
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
    let result = session(stream, &signals);
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

/// The attached loop: returns the message to print and the exit status.
fn session(stream: &UnixStream, signals: &Signals) -> io::Result<(String, i32)> {
    let mut painter = Painter::new();
    let mut screen = Screen {
        buf: Buffer::empty(Rect::default()),
        cursor: (0, 0),
        cursor_style: 0,
        modes: 0,
    };
    let mut shape_shown = 0u8;
    let mut inbox: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let stdin = io::stdin();
    loop {
        let mut fds = [
            PollFd::new(stdin.as_fd(), PollFlags::POLLIN),
            PollFd::new(stream.as_fd(), PollFlags::POLLIN),
            PollFd::new(signals.wake.as_fd(), PollFlags::POLLIN),
        ];
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) => {}
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e.into()),
        }
        let ready = |i: usize| fds[i].revents().is_some_and(|r| !r.is_empty());
        let (key_in, server_in, signal_in) = (ready(0), ready(1), ready(2));
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
        if key_in {
            match stdin.lock().read(&mut chunk) {
                Ok(0) | Err(_) => return Ok(("[lost tty]".to_string(), 1)),
                Ok(n) => {
                    send(
                        stream,
                        &ClientMsg::Input {
                            data: chunk[..n].to_vec(),
                        },
                    )?;
                }
            }
        }
        if server_in {
            let n = match (&*stream).read(&mut chunk) {
                Ok(n) if n > 0 => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // EOF, or a reset from a server that died.
                _ => return Ok(("[lost server]".to_string(), 1)),
            };
            inbox.extend_from_slice(&chunk[..n]);
            let mut frames = Vec::new();
            while inbox.len() >= 4 {
                let len = proto::body_len([inbox[0], inbox[1], inbox[2], inbox[3]])
                    .map_err(io::Error::other)?;
                if inbox.len() < 4 + len {
                    break;
                }
                let msg: ServerMsg = proto::decode(&inbox[4..4 + len]).map_err(io::Error::other)?;
                inbox.drain(..4 + len);
                match msg {
                    ServerMsg::Frame(f) => frames.push(f),
                    ServerMsg::Detach { message, code } => return Ok((message, code)),
                    ServerMsg::Exit { code } => return Ok((String::new(), code)),
                    ServerMsg::Bell => {
                        let _ = io::stdout().write_all(b"\x07");
                    }
                    ServerMsg::Error { message } => return Ok((message, 1)),
                    ServerMsg::Lock { command } => {
                        // As tmux's client: the command runs on the
                        // terminal, as it was before attaching.
                        restore_terminal();
                        let _ = std::process::Command::new("/bin/sh")
                            .arg("-c")
                            .arg(&command)
                            .status();
                        retake_terminal(&mut painter, &screen);
                        send(stream, &ClientMsg::Unlock)?;
                    }
                    ServerMsg::Suspend => {
                        restore_terminal();
                        // Stops here until continued (fg in the shell).
                        let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP);
                        retake_terminal(&mut painter, &screen);
                        send(stream, &size_now())?;
                        send(stream, &ClientMsg::Wakeup)?;
                    }
                    _ => {}
                }
            }
            if !frames.is_empty() {
                let mut changed: Vec<u16> = Vec::new();
                let mut all = false;
                for f in &frames {
                    all |= f.full;
                    changed.extend(f.lines.iter().map(|l| l.y));
                    let old = screen.modes;
                    screen.apply(f);
                    screen.modes = f.modes;
                    let mut out = io::stdout();
                    set_modes(&mut out, old, f.modes);
                }
                changed.sort_unstable();
                changed.dedup();
                painter.paint(&screen, (!all).then_some(&changed[..]))?;
                if screen.cursor_style != shape_shown {
                    shape_shown = screen.cursor_style;
                    let _ = execute!(io::stdout(), cursor_shape(shape_shown));
                }
                for _ in &frames {
                    send(stream, &ClientMsg::Drawn)?;
                }
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
