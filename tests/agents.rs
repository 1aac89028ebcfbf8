//! Agents and coordination groups: agent metadata on sessions, groups with
//! a coordinator, shared context with versions, and the store that keeps
//! them across a crash of the server.

mod common;
use common::wire::Wire;
use common::{BIN, Mux, SLEEP, eventually};
use serde_json::Value;

fn json(s: &str) -> Value {
    serde_json::from_str(s.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn agent(m: &Mux, name: &str, kind: &str) {
    m.ok(&["new-session", "-d", "-s", name, "-G", kind, SLEEP]);
}

#[test]
fn agent_metadata_show_set_and_list() {
    let m = Mux::new();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "w",
        "-G",
        "claude",
        "-o",
        "fix the parser",
        SLEEP,
    ]);
    m.ok(&["new-session", "-d", "-s", "plain", SLEEP]);
    let v = json(&m.ok(&["show-agent", "-t", "w", "--json"]));
    assert_eq!(v["key"], "agent:w");
    assert_eq!(v["session"], "w");
    assert_eq!(v["session_id"], "$0");
    assert_eq!(v["type"], "claude");
    assert_eq!(v["objective"], "fix the parser");
    assert_eq!(v["status"], "active");
    assert_eq!(v["group"], Value::Null);
    assert_eq!(v["coordinator"], false);
    assert!(v["created"].as_str().unwrap().starts_with("20"), "{v}");
    let plain = m.ok(&["show-agent", "-t", "w"]);
    assert!(plain.contains("objective \"fix the parser\"\n"), "{plain}");
    assert!(plain.contains("status active\n"), "{plain}");

    m.ok(&[
        "set-agent",
        "-t",
        "w",
        "-o",
        "review",
        "-r",
        "reviewer",
        "-s",
        "waiting",
    ]);
    m.ok(&["set-agent", "-t", "w", "--task-done", "--interaction"]);
    m.ok(&["set-agent", "-t", "w", "--task-done"]);
    assert_eq!(
        m.line(&[
            "show-agent",
            "-t",
            "w",
            "-F",
            "#{agent_objective}|#{agent_role}|#{agent_status}|#{agent_tasks}|#{agent_interactions}"
        ]),
        "review|reviewer|waiting|2|1"
    );
    assert_eq!(
        m.fail(&["set-agent", "-t", "w", "-s", "lost"]),
        "invalid status: lost (active, idle, waiting, paused, completed or failed)"
    );
    assert_eq!(
        m.fail(&["show-agent", "-t", "plain"]),
        "session plain is not an agent"
    );
    assert_eq!(
        m.fail(&["show-agent", "-t", "agent:nope"]),
        "can't find agent: agent:nope"
    );
    assert_eq!(
        m.fail(&["new-session", "-d", "-o", "x", SLEEP]),
        "-o needs -G: an objective is for an agent"
    );

    // Sessions that are not agents are untouched: formats are empty.
    assert_eq!(m.display("plain", "[#{agent_type}#{agent_status}]"), "[]");
    assert_eq!(
        m.display("w", "#{agent_type} #{agent_key}"),
        "claude agent:w"
    );

    // new-window and split-window make the session an agent with the new
    // pane as its home; a session is one agent.
    m.ok(&["split-window", "-t", "plain", "-G", "aider", SLEEP]);
    assert_eq!(m.display("plain", "#{agent_type}"), "aider");
    assert_eq!(
        m.fail(&["new-window", "-t", "w", "-G", "codex", SLEEP]),
        "session w is already an agent: agent:w"
    );
    assert_eq!(
        m.ok(&["list-agents", "-F", "#{agent_key} #{agent_type}"]),
        "agent:w claude\nagent:plain aider\n"
    );
    let all = json(&m.ok(&["list-agents", "--json"]));
    assert_eq!(all.as_array().unwrap().len(), 2);

    // A killed session's agent is kept as lost, listed with -a only.
    m.ok(&["kill-session", "-t", "plain"]);
    assert_eq!(m.ok(&["list-agents", "-F", "#{agent_key}"]), "agent:w\n");
    assert_eq!(
        m.ok(&["list-agents", "-a", "-F", "#{agent_key} #{agent_status}"]),
        "agent:w waiting\nagent:plain lost\n"
    );
    // Its name still finds it; agent-forget removes it.
    assert_eq!(
        m.line(&["show-agent", "-t", "plain", "-F", "#{agent_status}"]),
        "lost"
    );
    m.ok(&["agent-forget", "-t", "agent:plain"]);
    assert_eq!(
        m.ok(&["list-agents", "-a", "-F", "#{agent_key}"]),
        "agent:w\n"
    );
}

#[test]
fn status_follows_the_pane_going_quiet() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "a", "-G", "shell", "exec cat"]);
    m.ok(&["set", "-s", "agent-idle-time", "1"]);
    eventually(10, "idle after a second of quiet", || {
        (m.display("a", "#{agent_status}") == "idle").then_some(())
    });
    m.ok(&["send-keys", "-t", "a", "ping", "Enter"]);
    eventually(10, "active on output", || {
        (m.display("a", "#{agent_status}") == "active").then_some(())
    });
    eventually(10, "idle again", || {
        (m.display("a", "#{agent_status}") == "idle").then_some(())
    });
    // A status set by hand stays.
    m.ok(&["set-agent", "-t", "a", "-s", "paused"]);
    m.ok(&["send-keys", "-t", "a", "pong", "Enter"]);
    m.wait_text("a", "pong\npong");
    assert_eq!(m.display("a", "#{agent_status}"), "paused");
    // The default status line marks agent sessions.
    assert_eq!(m.display("a", "#{T:status-left}"), "[a] paused ");
}

#[test]
fn groups_coordinators_and_limits() {
    let m = Mux::new();
    for n in ["a", "b", "c", "d"] {
        agent(&m, n, "shell");
    }
    m.ok(&["agent-join-group", "-t", "a", "dev"]);
    m.ok(&["agent-join-group", "-t", "b", "dev"]);
    m.ok(&["agent-join-group", "-t", "c", "dev"]);
    assert_eq!(m.display("a", "#{agent_coordinator} #{agent_peers}"), "1 2");
    assert_eq!(
        m.fail(&["agent-join-group", "-C", "-t", "b", "dev"]),
        "group dev has a coordinator: agent:a (-f takes over)"
    );
    assert_eq!(
        m.fail(&["agent-join-group", "-t", "a", "ops"]),
        "agent:a is already in group dev: leave it first"
    );
    let peers = json(&m.ok(&["agent-peers", "-t", "b", "--json"]));
    let keys: Vec<&str> = peers
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["agent:a", "agent:c"]);
    assert_eq!(peers[0]["coordinator"], true);
    assert_eq!(peers[0]["status"], "active");
    assert_eq!(
        m.ok(&[
            "agent-peers",
            "-t",
            "c",
            "-F",
            "#{agent_key}#{?agent_coordinator,*,}"
        ]),
        "agent:a*\nagent:b\n"
    );
    assert_eq!(
        m.fail(&["agent-peers", "-t", "d"]),
        "agent:d is not in a group"
    );

    // The coordinator leaves: the member there longest takes over.
    m.ok(&["agent-leave-group", "-t", "a"]);
    assert_eq!(m.display("b", "#{agent_coordinator}"), "1");
    assert_eq!(m.display("a", "[#{agent_group}]"), "[]");
    assert_eq!(
        m.fail(&["agent-leave-group", "-t", "a"]),
        "agent:a is not in a group"
    );
    // -C -f takes the role from a live coordinator.
    m.ok(&["agent-join-group", "-C", "-f", "-t", "c", "dev"]);
    assert_eq!(m.display("c", "#{agent_coordinator}"), "1");
    assert_eq!(m.display("b", "#{agent_coordinator}"), "0");
    // A coordinator that died does not block -C.
    m.ok(&["kill-session", "-t", "c"]);
    m.ok(&["agent-join-group", "-C", "-t", "b", "dev"]);
    assert_eq!(m.display("b", "#{agent_coordinator}"), "1");

    let groups = json(&m.ok(&["list-agent-groups", "--json"]));
    assert_eq!(groups[0]["name"], "dev");
    assert_eq!(groups[0]["members"], 2, "b and the lost c");
    assert_eq!(groups[0]["coordinator"], "agent:b");
    assert_eq!(
        m.ok(&["list-agent-groups"]),
        "dev: 2 members, coordinator agent:b, 0 keys (0 bytes)\n"
    );

    // max-peers refuses a join past it, naming the limit.
    m.ok(&["set", "-s", "max-peers", "2"]);
    assert_eq!(
        m.fail(&["agent-join-group", "-t", "d", "dev"]),
        "group dev is full: max-peers is 2"
    );
    assert_eq!(
        m.fail(&["agent-join-group", "-t", "d", "bad name"]),
        "invalid group name: \"bad name\""
    );
}

#[test]
fn shared_context_versions_members_and_limits() {
    let m = Mux::new();
    for n in ["a", "b", "z"] {
        agent(&m, n, "shell");
    }
    m.ok(&["agent-join-group", "-t", "a", "dev"]);
    m.ok(&["agent-join-group", "-t", "b", "dev"]);
    m.ok(&[
        "agent-share",
        "-t",
        "a",
        "dev",
        "plan=split the parser",
        "n=1",
    ]);
    m.ok(&[
        "agent-share",
        "-j",
        "-t",
        "b",
        "dev",
        "cfg={\"jobs\":[1,2]}",
    ]);
    assert_eq!(
        m.ok(&["agent-context", "dev"]),
        "cfg={\"jobs\":[1,2]}\nn=1\nplan=split the parser\n"
    );
    assert_eq!(
        m.line(&["agent-context", "dev", "plan"]),
        "split the parser"
    );
    let all = json(&m.ok(&["agent-context", "-t", "a", "--json"]));
    assert_eq!(all["cfg"]["value"]["jobs"][1], 2);
    assert_eq!(all["n"]["version"], 1);
    assert_eq!(
        all["n"]["writer"], "operator",
        "written from outside the panes"
    );

    // Compare-and-set: the version must match; a conflict names the current.
    m.ok(&["agent-share", "-t", "b", "--if-version", "1", "dev", "n=2"]);
    assert_eq!(
        m.fail(&["agent-share", "-t", "a", "--if-version", "1", "dev", "n=3"]),
        "version conflict on n: expected 1, current is 2"
    );
    m.ok(&[
        "agent-share",
        "-t",
        "a",
        "--if-version",
        "0",
        "dev",
        "fresh=x",
    ]);
    assert_eq!(
        m.fail(&[
            "agent-share",
            "-t",
            "a",
            "--if-version",
            "0",
            "dev",
            "fresh=y"
        ]),
        "version conflict on fresh: expected 0, current is 1"
    );
    let n = json(&m.ok(&["agent-context", "dev", "n", "--json"]));
    assert_eq!(
        (n["value"].as_str(), n["version"].as_u64()),
        (Some("2"), Some(2))
    );

    // Changes are recorded against members only.
    assert_eq!(
        m.fail(&["agent-share", "-t", "z", "dev", "n=9"]),
        "agent:z is not a member of group dev"
    );
    m.ok(&["agent-share", "-t", "a", "-d", "fresh", "dev"]);
    assert_eq!(
        m.fail(&["agent-context", "dev", "fresh"]),
        "no such key in dev: fresh"
    );
    assert_eq!(
        m.fail(&["agent-share", "-t", "a", "-d", "fresh", "dev"]),
        "no such key in dev: fresh"
    );
    assert_eq!(
        m.fail(&["agent-share", "-t", "a", "dev", "novalue"]),
        "invalid key=value: novalue"
    );
    assert!(
        m.fail(&["agent-share", "-j", "-t", "a", "dev", "k={"])
            .starts_with("invalid JSON for k: ")
    );

    // Size limits, with their option and value.
    m.ok(&["set", "-s", "agent-key-max", "4"]);
    m.ok(&["set", "-s", "agent-value-max", "8"]);
    assert_eq!(
        m.fail(&["agent-share", "-t", "a", "dev", "longkey=v"]),
        "key too long: 7 bytes (agent-key-max is 4)"
    );
    assert_eq!(
        m.fail(&["agent-share", "-t", "a", "dev", "k=123456789"]),
        "value of k too long: 9 bytes (agent-value-max is 8)"
    );
    // 39 bytes now (keys and values as given): 9 more is too many.
    m.ok(&["set", "-s", "agent-context-max", "45"]);
    assert_eq!(
        m.fail(&["agent-share", "-t", "a", "dev", "k=12345678"]),
        "group dev's context would be 48 bytes (agent-context-max is 45)"
    );
    // A failed list changes nothing.
    assert_eq!(m.ok(&["agent-context", "dev"]).lines().count(), 3);

    // A group whose members all left is not listed, but keeps its context
    // until deleted.
    m.ok(&["agent-leave-group", "-t", "a"]);
    m.ok(&["agent-leave-group", "-t", "b"]);
    assert_eq!(m.ok(&["list-agent-groups"]), "");
    assert_eq!(m.line(&["agent-context", "dev", "n"]), "2");
    m.ok(&["agent-group-delete", "dev"]);
    assert_eq!(m.fail(&["agent-context", "dev"]), "can't find group: dev");
    assert_eq!(
        m.fail(&["agent-group-delete", "dev"]),
        "can't find group: dev"
    );

    // Past agent-history-limit seconds, an empty group's context goes.
    m.ok(&["agent-join-group", "-t", "a", "tmp"]);
    m.ok(&["agent-share", "-t", "a", "tmp", "k=v"]);
    assert_eq!(
        m.fail(&["agent-group-delete", "tmp"]),
        "group tmp has 1 members: they must leave first"
    );
    m.ok(&["set", "-s", "agent-history-limit", "0"]);
    m.ok(&["agent-leave-group", "-t", "a"]);
    assert_eq!(m.fail(&["agent-context", "tmp"]), "can't find group: tmp");
}

#[test]
fn commands_in_a_pane_act_as_its_agent() {
    let m = Mux::new();
    agent(&m, "x", "shell");
    m.ok(&["agent-join-group", "-t", "x", "dev"]);
    // The pane of agent w shares without -t, and then claims to be x's
    // pane: it is still w. Naming x with -t is sharing as x: refused.
    let x_pane = m.display("x", "#{pane_id}");
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "w",
        "-G",
        "shell",
        &m.runner("w"),
    ]);
    m.inside_ok("w", &["agent-join-group", "dev"]);
    m.inside_ok("w", &["agent-share", "dev", "from=w"]);
    let spoof = m.inside_sh(
        "w",
        &format!("AGMUX_PANE={x_pane} TMUX_PANE={x_pane} exec {BIN} agent-share dev spoof=1"),
    );
    assert_eq!(spoof.code, 0, "{}", spoof.stderr);
    assert_eq!(
        m.inside_fail("w", &["agent-share", "-t", "x", "dev", "named=1"]),
        "agent:w may not share as agent:x"
    );
    let ctx = json(&m.ok(&["agent-context", "dev", "--json"]));
    assert_eq!(ctx["from"]["writer"], "agent:w");
    assert_eq!(ctx["spoof"]["writer"], "agent:w");
    assert!(ctx.get("named").is_none(), "{ctx}");
    assert_eq!(m.display("w", "#{agent_group}"), "dev");
}

#[test]
fn everything_survives_the_server_being_killed() {
    let m = Mux::new();
    for n in ["a", "b", "c"] {
        agent(&m, n, "shell");
    }
    m.ok(&["set-agent", "-t", "c", "-o", "keep me", "-s", "completed"]);
    m.ok(&["agent-join-group", "-t", "a", "dev"]);
    m.ok(&["agent-join-group", "-t", "b", "dev"]);
    m.ok(&["agent-join-group", "-C", "-f", "-t", "b", "dev"]);
    m.ok(&["agent-share", "-t", "a", "dev", "plan=ship", "n=1"]);
    m.ok(&["agent-share", "-t", "b", "--if-version", "1", "dev", "n=2"]);
    let pid = m.server_pid().expect("server pid");
    // SAFETY: kill sends a signal to a process we started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    eventually(10, "the server gone", || (!Mux::alive(pid)).then_some(()));

    // A new server reads the store: lost agents, their group, coordinator
    // and context.
    m.ok(&["new-session", "-d", "-s", "after", SLEEP]);
    assert_eq!(
        m.ok(&[
            "list-agents",
            "-a",
            "-F",
            "#{agent_key} #{agent_status} #{agent_group} #{agent_coordinator} #{agent_objective}"
        ]),
        "agent:a lost dev 0 \nagent:b lost dev 1 \nagent:c completed  0 keep me\n"
    );
    assert_eq!(m.ok(&["list-agents"]), "", "none has a live session");
    let ctx = json(&m.ok(&["agent-context", "dev", "--json"]));
    assert_eq!(ctx["plan"]["value"], "ship");
    assert_eq!(
        (ctx["n"]["value"].as_str(), ctx["n"]["version"].as_u64()),
        (Some("2"), Some(2))
    );
    assert_eq!(
        m.ok(&["list-agent-groups"]),
        "dev: 2 members, coordinator agent:b, 2 keys (10 bytes)\n"
    );
    // A new session of the same name takes the name's key: started afresh,
    // it is out of the old group.
    agent(&m, "a", "shell");
    assert_eq!(m.display("a", "#{agent_key}|#{agent_group}"), "agent:a|");
    // With --resume it takes over the lost agent: its group, its role, its
    // history.
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "b",
        "-G",
        "shell",
        "--resume",
        SLEEP,
    ]);
    assert_eq!(
        m.display(
            "b",
            "#{agent_key}|#{agent_group}|#{agent_coordinator}|#{agent_status}"
        ),
        "agent:b|dev|1|active"
    );
    assert!(
        m.ok(&["agent-history", "-t", "b"])
            .contains("event registered resumed")
    );
    // Lost agents stay members until they leave or are forgotten.
    m.ok(&["agent-leave-group", "-t", "agent:b"]);
    assert_eq!(m.ok(&["list-agent-groups"]), "");
}

#[test]
fn a_damaged_store_is_refused_and_kept() {
    let m = Mux::new();
    std::fs::create_dir_all(m.socket_dir()).unwrap();
    std::fs::set_permissions(
        m.socket_dir(),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let db = m.socket_dir().join("default.db");
    std::fs::write(&db, b"not a database at all, but somebody's file").unwrap();
    m.ok(&["new-session", "-d", "-s", "plain", SLEEP]);
    let err = m.fail(&["new-session", "-d", "-s", "w", "-G", "shell", SLEEP]);
    assert_eq!(
        err,
        format!("agent store {}: file is not a database", db.display())
    );
    assert_eq!(
        m.fail(&["agent-join-group", "-t", "plain", "dev"]),
        format!("agent store {}: file is not a database", db.display())
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        b"not a database at all, but somebody's file"
    );
    m.ok(&["has-session", "-t", "plain"]);
}

/// 20 clients each add 1 to one key 500 times with compare-and-set,
/// retrying on conflicts: the key ends at exactly 10000.
#[test]
fn concurrent_compare_and_set_loses_nothing() {
    let m = Mux::new();
    agent(&m, "counter", "shell");
    m.ok(&["agent-join-group", "-t", "counter", "race"]);
    m.ok(&["agent-share", "-t", "counter", "race", "n=0"]);
    let socket = m.socket();
    let clients: Vec<_> = (0..20)
        .map(|_| {
            let socket = socket.clone();
            std::thread::spawn(move || {
                let mut w = Wire::connect(&socket);
                let mut conflicts = 0u64;
                for _ in 0..500 {
                    loop {
                        let r = w.run(&["agent-context", "race", "n", "--json"]);
                        assert_eq!(r.code, 0, "read failed: {}", r.err);
                        let v = json(&r.out);
                        let n: u64 = v["value"].as_str().unwrap().parse().unwrap();
                        let version = v["version"].as_u64().unwrap().to_string();
                        let next = format!("n={}", n + 1);
                        let r = w.run(&[
                            "agent-share",
                            "-t",
                            "counter",
                            "--if-version",
                            &version,
                            "race",
                            &next,
                        ]);
                        if r.code == 0 {
                            break;
                        }
                        assert!(
                            r.err.starts_with("version conflict on n: "),
                            "only conflicts may fail: {}",
                            r.err
                        );
                        conflicts += 1;
                    }
                }
                conflicts
            })
        })
        .collect();
    let conflicts: u64 = clients.into_iter().map(|c| c.join().unwrap()).sum();
    assert_eq!(m.line(&["agent-context", "race", "n"]), "10000");
    let v = json(&m.ok(&["agent-context", "race", "n", "--json"]));
    assert_eq!(v["version"], 10001);
    eprintln!("{conflicts} conflicts retried");
}
