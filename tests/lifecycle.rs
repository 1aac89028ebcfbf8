//! An agent's life: its role handed on when it ends, stopped by its parent,
//! its type kept across a restart, and a program that cannot start marking
//! its agent failed with the reason.

mod common;
use common::{BIN, Mux, SLEEP, eventually};
use serde_json::Value;

fn json(s: &str) -> Value {
    serde_json::from_str(s.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn coordinator(m: &Mux) -> String {
    let v = json(&m.ok(&["list-agent-groups", "--json"]));
    v[0]["coordinator"].as_str().unwrap_or("").to_string()
}

#[test]
fn the_coordinator_role_goes_on_when_its_holder_fails_or_is_lost() {
    let m = Mux::new();
    for n in ["a", "b", "c"] {
        m.runner_agent(n);
        m.inside_ok(n, &["agent-join-group", "dev"]);
    }
    assert_eq!(coordinator(&m), "agent:a");
    // a fails: b, there longest after it, coordinates at once.
    m.inside_ok("a", &["set-agent", "-s", "failed"]);
    assert_eq!(coordinator(&m), "agent:b");
    // b is lost (its session killed): c.
    m.ok(&["kill-session", "-t", "b"]);
    assert_eq!(coordinator(&m), "agent:c");
    assert!(
        m.ok(&["agent-history", "-t", "c"])
            .contains("event coordinator dev (from agent:b)")
    );
    // With nobody live left the role stays where it is, until someone
    // live joins.
    m.ok(&["kill-session", "-t", "c"]);
    assert_eq!(coordinator(&m), "agent:c");
    m.runner_agent("d");
    m.inside_ok("d", &["agent-join-group", "dev"]);
    assert_eq!(coordinator(&m), "agent:d");
}

#[test]
fn stopping_a_run_mode_child_tells_its_parent() {
    let m = Mux::new();
    m.runner_agent("p");
    m.ok(&["set", "-s", "agent-stop-grace", "1"]);
    let key = m
        .inside_ok("p", &["agent-spawn", "-P", "exec sleep 1000"])
        .trim()
        .to_string();
    m.inside_ok("p", &["agent-stop", "-t", &key, "--reason", "enough"]);
    let results = json(&m.inside_ok("p", &["agent-wait", "--json", "--timeout", "10"]));
    assert_eq!(
        results,
        serde_json::json!([{"agent": key, "status": "stopped", "result": "enough"}])
    );
    eventually(10, "the run's session gone", || {
        (m.ok(&["ls", "-F", "#S"]) == "p\n").then_some(())
    });
}

#[test]
fn agent_types_survive_a_restart() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "base", SLEEP]);
    m.ok(&[
        "agent-type",
        "--inject",
        "-e",
        "K=v",
        "--tools",
        "sessions_send,sessions_done",
        "coder",
        "--",
        "sh",
        "-c",
        "{task}",
    ]);
    let before = m.ok(&["list-agent-types"]);
    assert!(before.contains("coder"), "{before}");
    m.ok(&["kill-server"]);
    m.ok(&["new-session", "-d", "-s", "again", SLEEP]);
    assert_eq!(m.ok(&["list-agent-types"]), before);
    let t = json(&m.ok(&["list-agent-types", "--json"]));
    let coder = t
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "coder")
        .unwrap()
        .clone();
    assert_eq!(
        coder["tools"],
        serde_json::json!(["sessions_send", "sessions_done"])
    );
}

#[test]
fn a_program_that_cannot_start_marks_its_agent_failed_with_why() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "base", SLEEP]);
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "ghost",
        "-G",
        "claude",
        // exec: the shell's business, so only its failure can tell.
        "exec no-such-agent-program --flag",
    ]);
    let v = eventually(10, "the agent to fail", || {
        let v = json(&m.ok(&["show-agent", "-t", "agent:ghost", "--json"]));
        (v["status"] == "failed").then_some(v)
    });
    assert_eq!(v["reason"], "exit");
    let result = v["result"].as_str().unwrap();
    assert!(result.starts_with("exit 127\n"), "{result}");
    assert!(result.contains("no-such-agent-program"), "{result}");
    assert!(result.contains("not found"), "{result}");
}

#[test]
fn an_agent_whose_program_is_plainly_missing_is_refused_at_once() {
    let m = Mux::new();
    for command in ["no-such-agent-program --flag", "./not-here"] {
        let e = m.fail(&["new-session", "-d", "-s", "ghost", "-G", "claude", command]);
        let program = command.split(' ').next().unwrap();
        assert_eq!(
            e,
            format!("can't start agent: {program}: command not found")
        );
    }
    // Nothing was made, and the server is still there for what comes next.
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "ghost",
        "-G",
        "claude",
        "sh -c 'exec sleep 100'",
    ]);
    assert_eq!(
        m.ok(&["list-agents", "-a", "-F", "#{agent_key}"]),
        "agent:ghost\n"
    );
    // A plain session keeps tmux's behaviour.
    m.ok(&["new-session", "-d", "-s", "plain", "no-such-program"]);
}

#[test]
fn output_people_can_read() {
    let m = Mux::new();
    m.runner_agent("planner");
    m.runner_agent("w1");
    m.inside_ok("planner", &["agent-join-group", "parser"]);
    m.ok(&["set-agent", "-t", "w1", "-o", "port the lexer"]);
    // Columns line up.
    let ls = m.ok(&["list-agents"]);
    let lines: Vec<&str> = ls.lines().collect();
    assert_eq!(lines.len(), 2, "{ls}");
    assert!(
        lines[0].starts_with("agent:planner  planner  shell  active  parser*  "),
        "{ls}"
    );
    assert!(
        lines[1].starts_with("agent:w1       w1       shell  active  -        "),
        "{ls}"
    );
    assert!(lines[1].ends_with("  port the lexer"), "{ls}");
    let col = |l: &str, w: &str| l.find(w).unwrap();
    assert_eq!(col(lines[0], "shell"), col(lines[1], "shell"), "{ls}");
    // Local times, to the second; ISO in JSON.
    let date = std::process::Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .unwrap();
    let today = String::from_utf8_lossy(&date.stdout).trim().to_string();
    let h = m.ok(&["agent-history", "-t", "w1"]);
    let event = h.lines().nth(1).unwrap();
    assert!(event.starts_with(&today), "{event}");
    assert_eq!(event.as_bytes()[10], b' ', "{event}");
    let v = json(&m.ok(&["show-agent", "-t", "w1", "--json"]));
    assert!(v["created"].as_str().unwrap().ends_with('Z'), "{v}");
    // A message its agent replied to is no longer unread.
    let t = m.line(&["agent-send", "-t", "w1", "--no-inject", "status?"]);
    assert_eq!(
        m.ok(&["agent-inbox", "-t", "w1", "--unread"])
            .lines()
            .count(),
        1
    );
    m.inside_ok("w1", &["agent-reply", &t, "halfway"]);
    assert_eq!(m.ok(&["agent-inbox", "-t", "w1", "--unread"]), "");
}

/// A run-mode agent's transcript (what its pane printed, escapes obeyed)
/// is readable with agent-history -p after it ended, and after the server
/// was killed; agent-forget removes it.
#[test]
fn a_transcript_outlives_the_agent_and_the_server() {
    let m = Mux::new();
    m.runner_agent("boss");
    let program = format!(
        "printf '\\033[32mtranscript-marker\\033[0m %s\\n' \"$AGMUX_TASK\"; {BIN} agent-done printed; exec sleep 1000"
    );
    m.ok(&["agent-type", "printer", "--", "sh", "-c", &program]);
    m.inside_ok(
        "boss",
        &[
            "agent-spawn",
            "-T",
            "printer",
            "-n",
            "kid",
            "-m",
            "run",
            "its-task",
        ],
    );
    let out = m.inside_ok("boss", &["agent-wait", "-t", "kid", "--timeout", "20"]);
    assert!(out.contains("printed"), "{out}");
    let history = m.ok(&["agent-history", "-p", "-t", "kid"]);
    assert!(
        history.lines().any(|l| l == "transcript-marker its-task"),
        "{history}"
    );
    let pid = m.server_pid().unwrap();
    // SAFETY: kill sends a signal to a process we started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    eventually(10, "the server gone", || (!Mux::alive(pid)).then_some(()));
    m.ok(&["new-session", "-d", "-s", "again", SLEEP]);
    let history = m.ok(&["agent-history", "-p", "-t", "kid"]);
    assert!(
        history.lines().any(|l| l == "transcript-marker its-task"),
        "{history}"
    );
    let files = || {
        std::fs::read_dir(m.socket_dir().join("default.transcripts"))
            .unwrap()
            .count()
    };
    assert_eq!(files(), 2, "boss's and kid's");
    m.ok(&["agent-forget", "-t", "kid"]);
    assert_eq!(files(), 1, "boss's only");
}

fn group_state(m: &Mux) -> (Vec<(String, String)>, String, Value) {
    let agents = json(&m.ok(&["list-agents", "--json"]));
    let mut members: Vec<(String, String)> = agents
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let key = a["key"].as_str().unwrap_or("").to_string();
            (key, a["group"].as_str().unwrap_or("").to_string())
        })
        .collect();
    members.sort();
    let mut context = json(&m.ok(&["agent-context", "--json", "team"]));
    for (_, e) in context.as_object_mut().unwrap() {
        let e = e.as_object_mut().unwrap();
        e.remove("time");
        e.remove("writer");
        e.remove("version");
    }
    (members, coordinator(m), context)
}

/// agent-group-save writes the group, its agents (with their directories)
/// and context; after kill-server, agent-group-restore brings the same
/// agents back into the same group with the same coordinator and context,
/// from the store; and again with the store gone, from the file alone.
#[test]
fn a_saved_group_comes_back_after_kill_server() {
    let m = Mux::new();
    let work = m.dir.join("work-a2");
    std::fs::create_dir_all(&work).unwrap();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "a1",
        "-G",
        "shell",
        "-o",
        "lead",
        SLEEP,
    ]);
    let cwd = work.to_str().unwrap();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "a2",
        "-G",
        "shell",
        "-c",
        cwd,
        SLEEP,
    ]);
    m.ok(&["agent-join-group", "-t", "a2", "team"]);
    m.ok(&["agent-join-group", "-t", "a1", "team"]);
    m.ok(&["agent-join-group", "-C", "-f", "-t", "a1", "team"]);
    m.ok(&["agent-share", "-t", "a1", "team", "plan=ready"]);
    m.ok(&["agent-share", "-j", "-t", "a2", "team", r#"spec={"n":2}"#]);
    let before = group_state(&m);
    assert_eq!(before.1, "agent:a1");
    let file = m.dir.join("team.json");
    m.ok(&["agent-group-save", "team", file.to_str().unwrap()]);
    let saved = json(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(saved["agents"][1]["cwd"], cwd);
    m.ok(&["kill-server"]);
    m.ok(&["agent-group-restore", file.to_str().unwrap()]);
    assert_eq!(group_state(&m), before);
    let path = m.ok(&["display", "-p", "-t", "a2", "#{pane_current_path}"]);
    assert_eq!(path.trim(), cwd);
    // Nothing to do the second time.
    m.ok(&["agent-group-restore", file.to_str().unwrap()]);
    assert_eq!(group_state(&m), before);
    // With the store gone, the file alone.
    m.ok(&["kill-server"]);
    for entry in std::fs::read_dir(m.socket_dir()).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("default.db")
        {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    m.ok(&["agent-group-restore", file.to_str().unwrap()]);
    assert_eq!(group_state(&m), before);
    // A file that is not a saved group.
    std::fs::write(&file, "{}").unwrap();
    let err = m.fail(&["agent-group-restore", file.to_str().unwrap()]);
    assert!(err.ends_with("not a saved group (agmux_group 1)"), "{err}");
}

/// An agent type that knows how to carry on (`agent-type --resume`) gets
/// those arguments when agent-group-restore resumes one of its agents.
#[test]
fn a_restored_agent_resumes_as_its_type_says() {
    let m = Mux::new();
    let prog = m.dir.join("prog");
    std::fs::write(&prog, "#!/bin/sh\necho \"args:$*:\"\nexec sleep 1000\n").unwrap();
    std::fs::set_permissions(&prog, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let prog = prog.to_str().unwrap();
    m.ok(&["new-session", "-d", "-s", "c1", "-G", "carrier", prog]);
    m.ok(&["agent-type", "--resume=--continue", "carrier", "--", prog]);
    m.wait_text("c1", "args::");
    m.ok(&["agent-join-group", "-t", "c1", "crew"]);
    let file = m.dir.join("crew.json");
    m.ok(&["agent-group-save", "crew", file.to_str().unwrap()]);
    m.ok(&["kill-server"]);
    m.ok(&["agent-group-restore", file.to_str().unwrap()]);
    m.wait_text("c1", "args:--continue:");
}

/// A respawned agent pane keeps writing the same transcript.
#[test]
fn a_transcript_goes_on_through_a_respawn() {
    let m = Mux::new();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-G",
        "shell",
        "echo before-respawn; exec sleep 1000",
    ]);
    m.wait_text("t", "before-respawn");
    m.ok(&[
        "respawn-pane",
        "-k",
        "-t",
        "t",
        "echo after-respawn; exec sleep 1000",
    ]);
    m.wait_text("t", "after-respawn");
    let history = eventually(10, "both runs in the transcript", || {
        let h = m.ok(&["agent-history", "-p", "-t", "t"]);
        (h.contains("before-respawn") && h.contains("after-respawn")).then_some(h)
    });
    let at = |w: &str| history.find(w).unwrap();
    assert!(at("before-respawn") < at("after-respawn"), "{history}");
}
