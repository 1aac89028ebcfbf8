//! Nothing half-written: when the store cannot write (here: a tiny tmpfs
//! that fills up), the command fails with one line and memory is exactly as
//! before it; a later write never makes the failed one durable.
//!
//! Mounting a tmpfs needs root, which CI has; elsewhere these tests say so
//! and do nothing.

mod common;
use common::{Mux, SLEEP, eventually};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn json(s: &str) -> Value {
    serde_json::from_str(s.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

/// A tmpfs of `size` over the test's socket directory, unmounted on drop.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(m: &Mux, size: &str) -> Option<Tmpfs> {
        // SAFETY: getuid has no preconditions.
        if unsafe { libc::getuid() } != 0 {
            eprintln!("store_faults: not root, cannot mount a tmpfs: skipped");
            return None;
        }
        let dir = m.socket_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(&dir)
            .status()
            .expect("run mount")
            .success();
        assert!(ok, "mount a tmpfs on {}", dir.display());
        Some(Tmpfs { dir })
    }

    /// Fills the file system to the last byte.
    fn fill(&self) {
        let _ = Command::new("dd")
            .args(["if=/dev/zero", "bs=4k"])
            .arg(format!("of={}", self.dir.join("filler").display()))
            .stderr(std::process::Stdio::null())
            .status();
    }

    fn free(&self) {
        std::fs::remove_file(self.dir.join("filler")).expect("remove filler");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

fn full(line: &str) -> bool {
    line.starts_with("agent store ") && line.contains("full")
}

/// The test's Mux and its tmpfs: the server goes before the file system.
struct Fixture {
    m: Mux,
    fs: Tmpfs,
}

#[test]
fn a_write_the_store_refuses_leaves_no_trace() {
    let m = Mux::new();
    let Some(fs) = Tmpfs::mount(&m, "4m") else {
        return;
    };
    let fx = Fixture { m, fs };
    let (m, fs) = (&fx.m, &fx.fs);
    m.runner_agent("a");
    m.runner_agent("b");
    m.ok(&["agent-join-group", "-t", "a", "dev"]);
    m.ok(&["agent-share", "-t", "a", "dev", "n=1"]);
    m.ok(&["set", "-s", "agent-deliver-quiet", "100"]);
    fs.fill();

    // A share: refused, and not there for anyone to read or build on.
    let e = m.fail(&["agent-share", "-t", "a", "--if-version", "1", "dev", "n=2"]);
    assert!(full(&e), "{e}");
    let e = m.inside_fail("a", &["agent-share", "dev", "k=lost"]);
    assert!(full(&e), "{e}");
    assert_eq!(m.ok(&["agent-context", "dev"]), "n=1\n");
    // A message: not in the inbox, not typed, no waiter woken.
    let e = m.fail(&["agent-send", "-t", "b", "--inject", "hello"]);
    assert!(full(&e), "{e}");
    assert_eq!(m.ok(&["agent-inbox", "-t", "b"]), "");
    // A new agent: no session, no record.
    let e = m.fail(&["new-session", "-d", "-s", "c", "-G", "shell", SLEEP]);
    assert!(full(&e), "{e}");
    assert_eq!(m.run(&["has-session", "-t", "c"]).code, 1);
    // A status change.
    let e = m.fail(&["set-agent", "-t", "a", "-s", "paused"]);
    assert!(full(&e), "{e}");
    assert_eq!(m.display("a", "#{agent_status}"), "active");
    assert_eq!(
        m.ok(&["list-agents", "-a", "-F", "#{agent_key}"]),
        "agent:a\nagent:b\n"
    );
    // The panes and plain commands go on.
    m.ok(&["new-session", "-d", "-s", "plain", SLEEP]);
    m.ok(&["kill-session", "-t", "plain"]);

    // With room again, the chain goes on from what was stored.
    fs.free();
    m.ok(&["agent-share", "-t", "a", "--if-version", "1", "dev", "n=3"]);
    let n = json(&m.ok(&["agent-context", "--json", "dev", "n"]));
    assert_eq!(
        (n["value"].as_str(), n["version"].as_u64()),
        (Some("3"), Some(2))
    );
    m.ok(&["agent-send", "-t", "b", "--no-inject", "after"]);
    assert!(
        !m.capture("b").contains("hello"),
        "the refused message was typed"
    );

    // And across a crash, only what was stored comes back.
    let pid = m.server_pid().expect("server pid");
    // SAFETY: kill sends a signal to a process we started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    eventually(10, "the server gone", || (!Mux::alive(pid)).then_some(()));
    m.ok(&["new-session", "-d", "-s", "again", SLEEP]);
    assert_eq!(m.ok(&["agent-context", "dev"]), "n=3\n");
    let inbox = json(&m.ok(&["agent-inbox", "-t", "agent:b", "--json"]));
    let bodies: Vec<&str> = inbox
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["after"]);
    assert_eq!(
        m.ok(&["list-agents", "-a", "-F", "#{agent_key} #{agent_status}"]),
        "agent:a lost\nagent:b lost\n"
    );
}
