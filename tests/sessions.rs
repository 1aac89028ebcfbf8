//! new-session, has-session, list-sessions, kill-session, rename-session.

mod common;
use common::{Mux, eventually};

#[test]
fn new_session_flags() {
    let m = Mux::new();
    let dir = m.dir.join("start");
    std::fs::create_dir(&dir).unwrap();
    let out = m.ok(&[
        "new-session",
        "-d",
        "-P",
        "-s",
        "work",
        "-n",
        "editor",
        "-c",
        dir.to_str().unwrap(),
        "-e",
        "AGMUX_T=42",
        "-x",
        "100",
        "-y",
        "30",
        "exec sleep 1000",
    ]);
    assert_eq!(out, "work:\n");
    assert_eq!(
        m.display(
            "work",
            "#{window_name} #{window_width}x#{window_height} #{pane_start_path}"
        ),
        format!("editor 100x30 {}", dir.display())
    );
    assert_eq!(m.display("work", "#{pane_current_command}"), "sleep");
    assert_eq!(
        m.line(&["show-environment", "-t", "work", "AGMUX_T"]),
        "AGMUX_T=42"
    );
    let out = m.ok(&[
        "new-session",
        "-d",
        "-P",
        "-F",
        "#{session_id}|#{window_index}",
        "-s",
        "two",
    ]);
    assert_eq!(out, "$1|0\n");
}

#[test]
fn default_names_and_sizes() {
    let m = Mux::new();
    m.ok(&["new-session", "-d"]);
    m.ok(&["new-session", "-d"]);
    assert_eq!(m.ok(&["list-sessions", "-F", "#{session_name}"]), "0\n1\n");
    assert_eq!(m.display("0", "#{window_width}x#{window_height}"), "80x24");
    m.ok(&["set-option", "-g", "default-size", "120x40"]);
    m.ok(&["new-session", "-d", "-s", "big", "-y", "10"]);
    assert_eq!(
        m.display("big", "#{window_width}x#{window_height}"),
        "120x10"
    );
}

#[test]
fn argv_commands_run_without_a_shell() {
    let m = Mux::new();
    m.session("keep", "sleep 1000");
    m.ok(&["set-option", "-g", "remain-on-exit", "on"]);
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "a",
        "printf",
        "%s|%s\\n",
        "one two",
        "three",
    ]);
    m.wait_history("a", "one two|three");
}

#[test]
fn a_pane_starts_alone_in_its_session_on_its_terminal() {
    // What spawning must give the program, as tmux's fork and exec do: its
    // own session, with the pane's terminal as its controlling terminal
    // and standard streams; none of the server's descriptors; no signal
    // ignored (the server ignores SIGPIPE); the directory asked for, or
    // HOME when that is gone. Read from /proc, so the program is only
    // sleep.
    let m = Mux::new();
    let gone = m.dir.join("gone");
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "p",
        "-c",
        gone.to_str().unwrap(),
        "exec sleep 1000",
    ]);
    let pid = m.display("p", "#{pane_pid}");
    let tty = m.display("p", "#{pane_tty}");
    let proc = |f: &str| std::path::PathBuf::from(format!("/proc/{pid}/{f}"));
    // Until the shell has exec'd sleep, its descriptors may differ.
    eventually(10, "the pane's program to be sleep", || {
        let comm = std::fs::read_to_string(proc("comm")).ok()?;
        (comm.trim() == "sleep").then_some(())
    });
    let stat = std::fs::read_to_string(proc("stat")).unwrap();
    // pid (comm) state ppid pgrp session tty_nr tpgid ...
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    assert_eq!(
        (fields[3], fields[5]),
        (pid.as_str(), pid.as_str()),
        "session and foreground group: {stat}"
    );
    let mut fds: Vec<String> = std::fs::read_dir(proc("fd"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    fds.sort();
    assert_eq!(fds, ["0", "1", "2"]);
    for fd in ["fd/0", "fd/1", "fd/2"] {
        assert_eq!(
            std::fs::read_link(proc(fd)).unwrap().display().to_string(),
            tty
        );
    }
    assert_eq!(std::fs::read_link(proc("cwd")).unwrap(), m.home);
    // The 31 standard signals must all be at default (real-time ones are
    // left as the server got them).
    let status = std::fs::read_to_string(proc("status")).unwrap();
    let ignored = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .expect("the SigIgn line");
    assert_eq!(ignored & 0x7fff_ffff, 0, "{status}");
}

#[test]
fn duplicate_and_attach_existing() {
    let m = Mux::new();
    m.session("dup", "sleep 1000");
    assert_eq!(
        m.fail(&["new-session", "-d", "-s", "dup"]),
        "duplicate session: dup"
    );
    // -A with -d on an existing session does nothing and succeeds.
    m.ok(&["new-session", "-A", "-d", "-s", "dup"]);
    assert_eq!(m.ok(&["list-sessions", "-F", "#{session_name}"]), "dup\n");
}

#[test]
fn attach_needs_a_terminal() {
    let m = Mux::new();
    m.session("keep", "sleep 1000");
    assert_eq!(
        m.fail(&["new-session", "-s", "x"]),
        "open terminal failed: not a terminal"
    );
    assert_eq!(m.fail(&["has-session", "-t", "x"]), "can't find session: x");
}

#[test]
fn session_names_are_cleaned() {
    let m = Mux::new();
    m.session("a:b.c", "sleep 1000");
    assert_eq!(m.ok(&["list-sessions", "-F", "#{session_name}"]), "a_b_c\n");
    assert_eq!(
        m.fail(&["rename-session", "-t", "a_b_c", ""]),
        "invalid session:"
    );
}

#[test]
fn has_session_matching() {
    let m = Mux::new();
    m.session("alpha", "sleep 1000");
    m.session("alpine", "sleep 1000");
    m.session("beta", "sleep 1000");
    m.ok(&["has-session", "-t", "alpha"]);
    m.ok(&["has-session", "-t", "be"]);
    m.ok(&["has-session", "-t", "b*"]);
    m.ok(&["has-session", "-t", "$0"]);
    assert_eq!(
        m.fail(&["has-session", "-t", "alp"]),
        "can't find session: alp"
    );
    assert_eq!(
        m.fail(&["has-session", "-t", "=alp"]),
        "can't find session: alp"
    );
    assert_eq!(
        m.fail(&["has-session", "-t", "$9"]),
        "can't find session: $9"
    );
    assert_eq!(m.fail(&["has", "-t", "nope"]), "can't find session: nope");
}

#[test]
fn list_sessions_formats_and_filters() {
    let m = Mux::new();
    m.session("a", "sleep 1000");
    m.session("b", "sleep 1000");
    m.ok(&["new-window", "-t", "b", "-d", "sleep 1000"]);
    let out = m.ok(&["list-sessions"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("a: 1 windows (created "), "{out}");
    assert!(lines[1].starts_with("b: 2 windows (created "), "{out}");
    assert!(lines[1].ends_with(')'), "{out}");
    assert_eq!(
        m.ok(&[
            "ls",
            "-F",
            "#{session_name}:#{session_windows}",
            "-f",
            "#{==:#{session_windows},2}"
        ]),
        "b:2\n"
    );
}

#[test]
fn kill_session_one_and_all_others() {
    let m = Mux::new();
    for n in ["a", "b", "c"] {
        m.session(n, "sleep 1000");
    }
    m.ok(&["kill-session", "-t", "b"]);
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "a\nc\n");
    m.ok(&["kill-session", "-a", "-t", "c"]);
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "c\n");
}

#[test]
fn rename_session() {
    let m = Mux::new();
    m.session("old", "sleep 1000");
    m.session("other", "sleep 1000");
    m.ok(&["rename-session", "-t", "old", "new"]);
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "new\nother\n");
    assert_eq!(
        m.fail(&["rename", "-t", "new", "other"]),
        "duplicate session: other"
    );
    assert_eq!(
        m.fail(&["rename-session", "-t", "new"]),
        "command rename-session: too few arguments (need at least 1)"
    );
}

#[test]
fn last_session_exit_ends_the_server() {
    let m = Mux::new();
    m.session("brief", "sleep 1000");
    let pid = m.server_pid().unwrap();
    m.ok(&["kill-session", "-t", "brief"]);
    eventually(5, "server exit", || (!Mux::alive(pid)).then_some(()));
    assert!(!m.socket().exists(), "socket left behind");
    assert_eq!(
        m.fail(&["ls"]),
        format!("no server running on {}", m.socket().display())
    );
}
