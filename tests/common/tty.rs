//! An attached client on a pseudo terminal of the test's own, with its
//! output read back through a terminal emulator, so tests see what a person
//! would see.

use super::{BIN, Mux, eventually};
use portable_pty::{CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("terminal sizes are not zero")
}

pub struct Tty {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    output: Arc<Mutex<Vec<u8>>>,
    closed: Arc<AtomicBool>,
}

impl Tty {
    /// Runs `agmux args...` on a terminal of `cols` x `rows`.
    pub fn spawn(m: &Mux, args: &[&str], cols: u16, rows: u16) -> Tty {
        Tty::spawn_env(m, args, cols, rows, &[])
    }

    /// Like [`Tty::spawn`] with more environment variables.
    pub fn spawn_env(m: &Mux, args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Tty {
        Tty::spawn_program(m, std::path::Path::new(BIN), args, cols, rows, env)
    }

    /// Runs another program (agmux under another name, or tmux itself).
    pub fn spawn_program(
        m: &Mux,
        program: &std::path::Path,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Tty {
        Tty::spawn_pixels(m, program, args, (cols, rows), (0, 0), env)
    }

    /// Like [`Tty::spawn_program`], on a terminal that gives its size in
    /// pixels too.
    pub fn spawn_pixels(
        m: &Mux,
        program: &std::path::Path,
        args: &[&str],
        (cols, rows): (u16, u16),
        (pixel_width, pixel_height): (u16, u16),
        env: &[(&str, &str)],
    ) -> Tty {
        let pty = portable_pty::native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width,
                pixel_height,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        for (k, v) in m.env_pairs() {
            cmd.env(k, v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(&m.dir);
        let child = pair.slave.spawn_command(cmd).expect("spawn client");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let output = Arc::new(Mutex::new(Vec::new()));
        let closed = Arc::new(AtomicBool::new(false));
        let (p, o, c) = (parser.clone(), output.clone(), closed.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        p.lock().unwrap().process(&buf[..n]);
                        o.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                }
            }
            c.store(true, Ordering::SeqCst);
        });
        Tty {
            master: pair.master,
            writer,
            child,
            parser,
            output,
            closed,
        }
    }

    /// The screen's text, rows joined by newlines, trailing blanks trimmed.
    pub fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn row(&self, y: u16) -> String {
        let p = self.parser.lock().unwrap();
        let (_, cols) = p.screen().size();
        p.screen()
            .rows(0, cols.get())
            .nth(y as usize)
            .unwrap_or_default()
    }

    /// Runs `f` on the screen.
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.parser.lock().unwrap().screen())
    }

    /// Waits until the screen shows `text`; returns the screen.
    pub fn wait_text(&self, text: &str) -> String {
        eventually(10, &format!("{text:?} on the client's screen"), || {
            let c = self.contents();
            c.contains(text).then_some(c)
        })
    }

    /// Waits until a condition on the screen holds.
    pub fn wait_until(&self, what: &str, f: impl Fn(&vt100::Screen) -> bool) {
        eventually(10, what, || self.with_screen(&f).then_some(()))
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to client");
        self.writer.flush().expect("flush");
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        // The screen takes the new size before the client can hear of it:
        // a client quick to redraw would otherwise be read at the old size.
        let mut parser = self.parser.lock().unwrap();
        parser.set_size(nz(rows), nz(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
    }

    /// Everything the client wrote, as text.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Waits for the client to exit; returns its status.
    pub fn wait_exit(&mut self) -> u32 {
        let status = eventually(10, "the client to exit", || {
            self.child.try_wait().ok().flatten()
        });
        eventually(5, "the client's terminal to close", || {
            self.closed.load(Ordering::SeqCst).then_some(())
        });
        status.exit_code()
    }

    /// Whether the client's terminal is in raw mode (no echo, no lines).
    pub fn raw_mode(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("master fd");
        // SAFETY: tcgetattr fills the zeroed struct we own from an open fd.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0, "tcgetattr");
        t.c_lflag & (libc::ICANON | libc::ECHO) == 0
    }

    pub fn alternate_screen(&self) -> bool {
        self.with_screen(|s| s.alternate_screen())
    }

    /// The process on the terminal (the client).
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the client's pid")
    }
}

impl Drop for Tty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
