//! pipe-pane: a pane's output copied to a shell command's standard input,
//! and with -I the command's output typed into the pane. The reader of
//! the pane hands each read to [`Shared::pipe_out`]; everything else is
//! here.

use super::Event;
use super::pane::{PaneWriter, Shared};
use super::state::{Job, State};
use commands::host::{Io, JobResult};
use commands::{CmdError, CmdResult, Flow, PaneId, bail};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

/// A pane's open pipe, as its reader sees it.
pub struct PipeTx {
    /// The pane's output, for the task that writes it to the command.
    out: Option<UnboundedSender<Vec<u8>>>,
    /// Cleared when the pipe breaks: the command stopped reading (or, with
    /// -I, writing), as tmux notices it.
    open: Arc<AtomicBool>,
    /// The task typing the command's output into the pane (-I).
    typing: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for PipeTx {
    fn drop(&mut self) {
        // Closing our end: the command reads end-of-file (its output, if
        // still read, goes nowhere).
        if let Some(t) = &self.typing {
            t.abort();
        }
    }
}

impl Shared {
    fn pipe(&self) -> std::sync::MutexGuard<'_, Option<PipeTx>> {
        self.pipe.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Copies output read from the pane to its pipe, if it has one open.
    pub fn pipe_out(&self, data: &[u8]) {
        let pipe = self.pipe();
        if let Some(p) = pipe.as_ref()
            && p.open.load(Ordering::Acquire)
            && let Some(tx) = &p.out
        {
            let _ = tx.send(data.to_vec());
        }
    }

    /// Whether a pipe is open (`#{pane_pipe}`).
    pub fn piping(&self) -> bool {
        p_open(&self.pipe())
    }

    /// Replaces the pipe, closing the old one; returns whether one was
    /// open.
    pub fn set_pipe(&self, new: Option<PipeTx>) -> bool {
        let old = std::mem::replace(&mut *self.pipe(), new);
        old.is_some_and(|p| p.open.load(Ordering::Acquire))
    }

    /// Hands the pipe to the pane's next run (respawn keeps it, as tmux).
    pub fn take_pipe(&self) -> Option<PipeTx> {
        self.pipe().take()
    }
}

fn p_open(pipe: &Option<PipeTx>) -> bool {
    pipe.as_ref()
        .is_some_and(|p| p.open.load(Ordering::Acquire))
}

/// What pipe-pane opens.
pub struct PipeSpec<'a> {
    pub command: &'a str,
    /// The command's output goes to the pane (-I).
    pub input: bool,
    /// The pane's output goes to the command (-O, or neither flag).
    pub output: bool,
}

impl State {
    /// Closes a pane's pipe; returns whether one was open. A dead pane
    /// has none to close or open.
    pub fn close_pipe(&mut self, p: PaneId) -> CmdResult<bool> {
        let Some(pane) = self.panes.get(&p) else {
            bail!("can't find pane: {p}");
        };
        if pane.dead {
            bail!("target pane has exited");
        }
        Ok(pane.io.shared.set_pipe(None))
    }

    /// Starts `spec.command` with `/bin/sh -c`, as tmux does, joined to
    /// pane `p`.
    pub fn open_pipe(&mut self, io: &Io, p: PaneId, spec: PipeSpec<'_>) -> CmdResult {
        let at = self.found_pane(p);
        let Some(pane) = self.panes.get(&p) else {
            bail!("can't find pane: {p}");
        };
        let (shared, writer) = (pane.io.shared.clone(), pane.io.writer());
        let cwd = self.env.value("HOME").unwrap_or("/").to_string();
        let env: Vec<(String, String)> = self
            .job_env(at.as_ref())
            .pairs()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let piped = |on: bool| if on { Stdio::piped() } else { Stdio::null() };
        let mut child = tokio::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(spec.command)
            .env_clear()
            .envs(env)
            .current_dir(&cwd)
            .stdin(piped(spec.output))
            .stdout(piped(spec.input))
            .stderr(Stdio::null())
            .kill_on_drop(false)
            .spawn()
            .map_err(|e| CmdError(format!("fork error: {e}")))?;
        let open = Arc::new(AtomicBool::new(true));
        let out = child.stdin.take().map(|stdin| feed(stdin, open.clone()));
        let typing = child
            .stdout
            .take()
            .map(|stdout| tokio::spawn(type_into(stdout, writer, open.clone())));
        self.watch_pipe(io, child);
        shared.set_pipe(Some(PipeTx { out, open, typing }));
        Ok(())
    }

    /// Reaps the command when it exits. Until then it is a job of the
    /// caller's: what it runs speaks as them.
    fn watch_pipe(&mut self, io: &Io, mut child: tokio::process::Child) {
        self.next_job += 1;
        let id = self.next_job;
        let pid = child.id();
        if let Some(pid) = pid {
            self.job_pids.insert(pid, self.who(io).clone());
        }
        self.jobs.insert(
            id,
            Job {
                queue: None,
                then: Box::new(|_, _, _| Ok(Flow::Continue)),
                io: Io::default(),
                spec: None,
                pid,
            },
        );
        let events = self.events.clone();
        tokio::spawn(async move {
            let _ = child.wait().await;
            let _ = events.send(Event::JobDone {
                job: id,
                result: JobResult::default(),
            });
        });
    }
}

/// Writes the pane's output to the command until it stops reading.
fn feed(mut stdin: tokio::process::ChildStdin, open: Arc<AtomicBool>) -> UnboundedSender<Vec<u8>> {
    let (tx, mut rx) = unbounded_channel::<Vec<u8>>();
    tokio::spawn(async move {
        while let Some(data) = rx.recv().await {
            if stdin.write_all(&data).await.is_err() {
                open.store(false, Ordering::Release);
                break;
            }
        }
    });
    tx
}

/// Types the command's output into the pane until it ends.
async fn type_into(
    mut stdout: tokio::process::ChildStdout,
    pane: PaneWriter,
    open: Arc<AtomicBool>,
) {
    let mut buf = vec![0u8; 4096];
    loop {
        match stdout.read(&mut buf).await {
            Ok(n) if n > 0 => {
                if !pane.write(&buf[..n]) {
                    break;
                }
            }
            _ => break,
        }
    }
    open.store(false, Ordering::Release);
}
