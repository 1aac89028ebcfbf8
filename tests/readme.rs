//! The README's tours, run as written: every `sh` block of the two tour
//! sections goes to bash with `-e`, from the clone, with `agmux` on PATH.
//! For the agent CLIs' block, small scripts stand in for `claude` and
//! `aider` (nothing else in the tours needs more than a Debian machine).

mod common;
use common::*;

use std::path::{Path, PathBuf};

const README: &str = include_str!("../README.md");

/// The `sh` blocks of the README section titled `title`.
fn blocks(title: &str) -> Vec<String> {
    let start = README
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("README has no section {title:?}"));
    let body = &README[start + title.len() + 5..];
    let body = &body[..body.find("\n## ").unwrap_or(body.len())];
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("```sh\n") {
        let after = &rest[i + 6..];
        let end = after.find("\n```").expect("an unterminated sh block");
        out.push(after[..end].to_string());
        rest = &after[end..];
    }
    out
}

/// A directory for PATH holding `agmux` and the given stand-in programs.
fn bin_dir(m: &Mux, programs: &[(&str, &str)]) -> PathBuf {
    let dir = m.dir.join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    let link = dir.join("agmux");
    if !link.exists() {
        std::os::unix::fs::symlink(BIN, &link).unwrap();
    }
    // Panes run login shells, which reset PATH from /etc/profile; rustup's
    // ~/.profile line is what puts an installed agmux back.
    let profile = format!("PATH=\"{}:$PATH\"\n", dir.display());
    std::fs::write(m.home.join(".profile"), profile).unwrap();
    for (name, body) in programs {
        let path = dir.join(name);
        std::fs::write(&path, body).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
    }
    dir
}

/// Runs `script` as the README reader would, and returns its output.
fn run_tour(m: &Mux, bin: &Path, script: &str) -> String {
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("timeout")
        .args(["120", "bash", "-e", "-c", script])
        .env_clear()
        .envs(m.env_pairs())
        .env("PATH", path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the tour failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    stdout
}

#[test]
fn the_two_minute_tour_runs_as_written() {
    let m = Mux::new();
    let bin = bin_dir(&m, &[]);
    let tour = blocks("A two-minute tour");
    assert_eq!(tour.len(), 1);
    let out = run_tour(&m, &bin, &tour[0]);
    assert!(out.contains("0: build") && out.contains("1: logs"), "{out}");
    // capture-pane shows what the waited-for command printed.
    assert!(out.contains("Cargo.toml"), "{out}");
    assert!(out.contains("1:logs "), "{out}");
    assert!(!m.socket().exists(), "kill-server left the server running");
}

/// Claude Code as far as the tour needs it: a prompt that takes typed
/// input, and says what it was given.
const CLAUDE: &str = r#"#!/usr/bin/env python3
from prompt_toolkit import PromptSession
s = PromptSession()
while True:
    print("GOT" + repr(s.prompt("> ")), flush=True)
"#;

/// aider with --message: does the one task and exits.
const AIDER: &str = "#!/bin/sh\nfor a; do last=$a; done\necho \"aider did: $last\"\n";

#[test]
fn the_agent_tour_runs_as_written() {
    let m = Mux::new();
    let bin = bin_dir(&m, &[("claude", CLAUDE), ("aider", AIDER)]);
    let tour = blocks("Agents in two minutes");
    assert_eq!(tour.len(), 3, "{tour:?}");
    let out = run_tour(&m, &bin, &format!("{}\n{}", tour[0], tour[1]));
    for line in [
        "agent:planner   planner   shell   active",
        "agent:planner",
        "owner=worker1",
        "\"version\":1",
        "active in parser",
        "completed: exit 0",
        "reviewed: ready for review?",
        "t5\tmessage\toperator: how far along?",
    ] {
        let line = line.replace('\t', " ");
        assert!(out.contains(&line), "no {line:?} in:\n{out}");
    }
    // The keys are what the README shows.
    assert_eq!(
        m.ok(&["list-agents", "-a", "-F", "#{agent_key}"]),
        "agent:planner\nagent:worker1\nagent:reviewer\nagent:planner:sub:1\nagent:planner:sub:2\n"
    );
    // worker1 answered for itself, through its pane.
    eventually(20, "worker1's reply", || {
        let h = m.ok(&["agent-history", "-t", "worker1"]);
        h.contains("reply to operator [t5]: halfway").then_some(())
    });
    let peers = m.ok(&["agent-peers", "-t", "worker1"]);
    assert!(peers.contains("(coordinator)"), "{peers}");

    // The agent CLIs' block, with the stand-ins on PATH.
    let out = run_tour(&m, &bin, &tour[2]);
    assert!(out.contains("aider did: port the lexer"), "{out}");
    m.wait_history("lead", "GOT'the lexer is ported, have a look'");
    let types = m.ok(&["list-agent-types"]);
    for t in ["claude", "codex", "aider"] {
        assert!(
            types.contains(&format!("agent-type --inject {t} -- ")),
            "{types}"
        );
    }
}
