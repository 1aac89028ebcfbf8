//! The server is a child subreaper: processes that leave a pane's process
//! tree (`setsid -f`, a double fork) are re-parented to it instead of to
//! init. That keeps them apart from the operator's processes when the
//! server works out who is calling (see `agents/identity.rs`), and makes
//! the server reap them when they exit.

use super::state::State;
use std::collections::HashSet;

/// Asks the kernel to re-parent orphaned descendants to this process.
pub fn become_subreaper() {
    // SAFETY: prctl with PR_SET_CHILD_SUBREAPER takes an integer argument
    // and touches no memory of ours.
    let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    if rc != 0 {
        eprintln!(
            "server: can't become a child subreaper: {}",
            std::io::Error::last_os_error()
        );
    }
}

/// The server's children, from every thread's list (a child belongs to
/// the thread that forked it; an orphan to any of them).
fn children() -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for t in tasks.flatten() {
        if let Ok(list) = std::fs::read_to_string(t.path().join("children")) {
            out.extend(
                list.split_whitespace()
                    .filter_map(|p| p.parse::<u32>().ok()),
            );
        }
    }
    out
}

fn is_zombie(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, r)| r.trim_start().starts_with('Z'))
        })
        .unwrap_or(false)
}

impl State {
    /// Reaps exited orphans: children that are neither a pane's program
    /// nor a job's, whose owners reap them themselves.
    pub fn reap_orphans(&mut self) {
        let ours: HashSet<u32> = self
            .panes
            .values()
            .map(|p| p.io.pid)
            .chain(self.job_pids.keys().copied())
            .collect();
        for pid in children() {
            if ours.contains(&pid) || !is_zombie(pid) {
                continue;
            }
            let _ = nix::sys::wait::waitpid(
                nix::unistd::Pid::from_raw(pid as i32),
                Some(nix::sys::wait::WaitPidFlag::WNOHANG),
            );
        }
    }
}
