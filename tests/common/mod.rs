//! Test harness: each [`Mux`] is a private socket directory and the server
//! that lives in it, driven through the real binary. Nothing here sleeps to
//! synchronise: [`eventually`] polls a condition until a deadline.

#![allow(dead_code)]

pub mod tty;
pub mod wire;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_agmux");

/// A pane program that stays, and names its window `sleep` (dash would
/// otherwise keep `sh` in front of it).
pub const SLEEP: &str = "exec sleep 1000";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Polls `f` until it returns `Some`, or panics naming `what` after `secs`.
pub fn eventually<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut pause = Duration::from_millis(2);
    loop {
        if let Some(v) = f() {
            return v;
        }
        if Instant::now() > deadline {
            panic!("timed out after {secs}s waiting for {what}");
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// tmux itself, where it is installed (not a test's own link to agmux).
pub fn real_tmux() -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    path.split(':')
        .map(|d| Path::new(d).join("tmux"))
        .find(|p| p.is_file() && !p.starts_with(std::env::temp_dir()))
}

pub struct Mux {
    pub dir: PathBuf,
    pub home: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Mux {
    pub fn new() -> Mux {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("agmux-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create test dir");
        let home = dir.join("home");
        std::fs::create_dir_all(&home).expect("create test home");
        Mux { dir, home }
    }

    /// A directory, to put first on PATH, whose `tmux` is `program`
    /// (agmux, or tmux itself).
    pub fn tmux_dir(&self, program: &Path) -> PathBuf {
        let dir = self.dir.join("bin");
        std::fs::create_dir_all(&dir).expect("create the test's bin");
        let link = dir.join("tmux");
        if !link.exists() {
            std::os::unix::fs::symlink(program, &link).expect("link tmux");
        }
        dir
    }

    /// agmux linked as `tmux`, so that it presents itself as tmux.
    pub fn agmux_as_tmux(&self) -> PathBuf {
        self.tmux_dir(Path::new(BIN)).join("tmux")
    }

    /// The socket directory agmux uses under this test's AGMUX_TMPDIR.
    pub fn socket_dir(&self) -> PathBuf {
        let uid = unsafe { libc::getuid() };
        self.dir.join(format!("agmux-{uid}"))
    }

    pub fn socket(&self) -> PathBuf {
        self.socket_dir().join("default")
    }

    /// The environment every agmux process of this test runs with.
    pub fn env_pairs(&self) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| {
                ![
                    "AGMUX",
                    "AGMUX_PANE",
                    "TMUX",
                    "TMUX_PANE",
                    "TMPDIR",
                    "EDITOR",
                    "VISUAL",
                ]
                .contains(&k.as_str())
            })
            .collect();
        let set = [
            ("AGMUX_TMPDIR", self.dir.display().to_string()),
            ("TMUX_TMPDIR", self.dir.display().to_string()),
            ("HOME", self.home.display().to_string()),
            ("SHELL", "/bin/sh".to_string()),
            ("TERM", "xterm-256color".to_string()),
            ("LC_ALL", "C.UTF-8".to_string()),
            ("PS1", "$ ".to_string()),
        ];
        env.retain(|(k, _)| !set.iter().any(|(s, _)| s == k));
        env.extend(set.iter().map(|(k, v)| (k.to_string(), v.clone())));
        env
    }

    /// A command for the binary with this test's environment.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_as(BIN, args)
    }

    /// Runs `program args...` and returns its stdout and stderr, one after
    /// the other, as a transcript shows them.
    pub fn output_as(&self, program: impl AsRef<Path>, args: &[&str]) -> String {
        let r: Run = self.command_as(program, args).output().expect("run").into();
        format!("{}{}", r.stdout, r.stderr)
    }

    pub fn command_as(&self, program: impl AsRef<Path>, args: &[&str]) -> Command {
        let mut c = Command::new(program.as_ref());
        c.args(args)
            .env("AGMUX_TMPDIR", &self.dir)
            .env("TMUX_TMPDIR", &self.dir)
            .env("HOME", &self.home)
            .env("SHELL", "/bin/sh")
            .env("TERM", "xterm-256color")
            .env("LC_ALL", "C.UTF-8")
            // The same prompt for root and others, so tests can wait for it.
            .env("PS1", "$ ")
            .env_remove("AGMUX")
            .env_remove("AGMUX_PANE")
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .env_remove("TMPDIR")
            // Set, they choose vi or emacs keys.
            .env_remove("EDITOR")
            .env_remove("VISUAL")
            .current_dir(&self.dir)
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.command(args).output().expect("run agmux").into()
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(r.code, 0, "agmux {args:?} failed: {}", r.stderr);
        r.stdout
    }

    /// Runs and expects exit status 1 with one line on stderr; returns it.
    pub fn fail(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(
            r.code,
            1,
            "agmux {args:?} should fail, got {r:?}",
            r = (r.code, &r.stdout)
        );
        let line = r.stderr.trim_end().to_string();
        assert!(!line.is_empty(), "agmux {args:?} failed without a message");
        assert!(
            !line.contains('\n'),
            "agmux {args:?} error is not one line: {line:?}"
        );
        line
    }

    /// One line of output, trimmed.
    pub fn line(&self, args: &[&str]) -> String {
        self.ok(args).trim_end_matches('\n').to_string()
    }

    pub fn display(&self, target: &str, fmt: &str) -> String {
        self.line(&["display-message", "-p", "-t", target, fmt])
    }

    pub fn capture(&self, target: &str) -> String {
        self.ok(&["capture-pane", "-p", "-t", target])
    }

    /// Waits until the pane's screen contains `text`; returns the screen.
    pub fn wait_text(&self, target: &str, text: &str) -> String {
        eventually(10, &format!("{text:?} in pane {target}"), || {
            let r = self.run(&["capture-pane", "-p", "-t", target]);
            (r.code == 0 && r.stdout.contains(text)).then_some(r.stdout)
        })
    }

    /// Like [`Mux::wait_text`] but looks in the history too.
    pub fn wait_history(&self, target: &str, text: &str) -> String {
        eventually(
            10,
            &format!("{text:?} in pane {target} or its history"),
            || {
                let r = self.run(&["capture-pane", "-p", "-S", "-", "-t", target]);
                (r.code == 0 && r.stdout.contains(text)).then_some(r.stdout)
            },
        )
    }

    /// Starts a session running `cmd` (detached) and returns its name.
    pub fn session(&self, name: &str, cmd: &str) -> String {
        self.ok(&["new-session", "-d", "-s", name, cmd]);
        name.to_string()
    }

    /// A session with a shell whose prompt has appeared. It is not a login
    /// shell, so /etc/profile cannot change the prompt it is waited for by.
    pub fn shell(&self, name: &str) -> String {
        self.ok(&["new-session", "-d", "-s", name, "exec sh"]);
        self.wait_text(name, "$");
        name.to_string()
    }

    /// The bytes a pane running [`hexdump`] has received so far (history
    /// too), in hex.
    pub fn received(&self, target: &str) -> Vec<String> {
        self.ok(&["capture-pane", "-p", "-S", "-", "-t", target])
            .split_whitespace()
            .filter(|w| *w != "READY")
            .map(str::to_string)
            .collect()
    }

    pub fn server_pid(&self) -> Option<i32> {
        let r = self.run(&["display-message", "-p", "#{pid}"]);
        r.stdout.trim().parse().ok()
    }

    pub fn alive(pid: i32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| {
                !s.rsplit(')')
                    .next()
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('Z')
            })
            .unwrap_or(false)
    }
}

/// Quotes an argument for sh.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Mux {
    fn runner_dir(&self, name: &str) -> PathBuf {
        self.dir.join(format!("runner-{name}"))
    }

    /// A pane program that runs the test's commands from inside itself
    /// (see [`Mux::inside`]): how a test acts as the agent, or the pane,
    /// that the program's process tree belongs to.
    /// A top-level agent session `name` whose pane runs the test's
    /// commands (see [`Mux::runner`]), ready for them.
    pub fn runner_agent(&self, name: &str) {
        self.ok(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-G",
            "shell",
            &self.runner(name),
        ]);
        self.wait_text(name, "RUNNER");
    }

    pub fn runner(&self, name: &str) -> String {
        let d = self.runner_dir(name);
        std::fs::create_dir_all(&d).expect("runner dir");
        let fifo = d.join("in");
        let c = std::ffi::CString::new(fifo.to_str().expect("utf-8 path")).expect("path");
        // SAFETY: mkfifo reads a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
        let d = d.display();
        format!(
            "echo RUNNER; while :; do IFS= read -r n < {d}/in || continue; \
             sh {d}/cmd.$n > {d}/out.$n 2> {d}/err.$n; echo $? > {d}/code.$n.tmp; \
             mv {d}/code.$n.tmp {d}/code.$n; done"
        )
    }

    /// Runs agmux with `args` inside runner `name`'s pane and waits for it.
    pub fn inside(&self, name: &str, args: &[&str]) -> Run {
        let words: Vec<String> = args.iter().map(|a| sh_quote(a)).collect();
        self.inside_sh(name, &format!("exec {BIN} {}", words.join(" ")))
    }

    /// Runs a shell command inside runner `name`'s pane and waits for it.
    pub fn inside_sh(&self, name: &str, script: &str) -> Run {
        let d = self.runner_dir(name);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        std::fs::write(d.join(format!("cmd.{n}")), script).expect("write command");
        let fifo = d.join("in");
        // Opening a FIFO to write fails until its reader is there.
        let mut f = eventually(20, &format!("runner {name} to listen"), || {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&fifo)
                .ok()
        });
        std::io::Write::write_all(&mut f, format!("{n}\n").as_bytes()).expect("write fifo");
        drop(f);
        let code = eventually(30, &format!("command {n} in runner {name}"), || {
            std::fs::read_to_string(d.join(format!("code.{n}"))).ok()
        });
        let read =
            |what: &str| std::fs::read_to_string(d.join(format!("{what}.{n}"))).unwrap_or_default();
        Run {
            code: code.trim().parse().unwrap_or(-1),
            stdout: read("out"),
            stderr: read("err"),
        }
    }

    /// Like [`Mux::inside`], expecting success; returns stdout.
    pub fn inside_ok(&self, name: &str, args: &[&str]) -> String {
        let r = self.inside(name, args);
        assert_eq!(r.code, 0, "{args:?} inside {name} failed: {}", r.stderr);
        r.stdout
    }

    /// Like [`Mux::inside`], expecting exit status 1 and one line on
    /// stderr; returns it.
    pub fn inside_fail(&self, name: &str, args: &[&str]) -> String {
        let r = self.inside(name, args);
        assert_eq!(
            r.code, 1,
            "{args:?} inside {name} should fail: {}",
            r.stdout
        );
        let line = r.stderr.trim_end().to_string();
        assert!(!line.is_empty() && !line.contains('\n'), "{line:?}");
        line
    }
}

/// A pane's program that runs `setup`, prints READY, then prints each byte
/// it receives in hex, one a line, with the terminal raw.
pub fn hexdump(setup: &str) -> String {
    format!("{setup}stty raw -echo; echo READY; exec od -An -tx1 -w1 -v")
}

impl Drop for Mux {
    fn drop(&mut self) {
        let pid = self.server_pid();
        let _ = self.command(&["kill-server"]).output();
        if let Some(pid) = pid {
            let deadline = Instant::now() + Duration::from_secs(3);
            while Mux::alive(pid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            if Mux::alive(pid) {
                unsafe { libc::kill(pid, 9) };
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
