//! Trust between agents: who may do what. Each test is a hole a hostile
//! agent could use: writing as another agent (replies, results, shares,
//! status), escaping its pane to pass for the operator, spoofing its
//! environment, and driving another agent's pane with tmux's commands.

mod common;
use common::{BIN, Mux, SLEEP, eventually, sh_quote};
use serde_json::Value;

fn json(s: &str) -> Value {
    serde_json::from_str(s.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn history(m: &Mux, who: &str) -> String {
    m.ok(&["agent-history", "-t", who])
}

#[test]
fn nobody_replies_for_another_agent() {
    let m = Mux::new();
    m.runner_agent("a");
    m.runner_agent("b");
    let t = m.line(&["agent-send", "-t", "b", "--no-inject", "are you there?"]);
    assert_eq!(
        m.inside_fail("a", &["agent-reply", "-t", "b", &t, "forged"]),
        "agent:a may not reply for agent:b"
    );
    assert_eq!(
        m.fail(&["agent-reply", "-t", "b", &t, "forged"]),
        "operator may not reply for agent:b"
    );
    // Nothing was stored: b's turn is still to come, and it takes it.
    let inbox = json(&m.ok(&["agent-inbox", "-t", "b", "--json"]));
    assert_eq!(inbox.as_array().unwrap().len(), 1, "{inbox}");
    m.inside_ok("b", &["agent-reply", &t, "yes"]);
    let h = history(&m, "b");
    assert!(h.contains(&format!("reply to operator [{t}]: yes")), "{h}");
    assert!(!h.contains("forged"), "{h}");
}

#[test]
fn only_the_child_or_the_operator_ends_its_task() {
    let m = Mux::new();
    m.runner_agent("p");
    m.runner_agent("a");
    m.inside_ok(
        "p",
        &[
            "agent-spawn",
            "-m",
            "session",
            "-n",
            "kid",
            &m.runner("kid"),
        ],
    );
    m.wait_text("kid", "RUNNER");
    let kid = "agent:p:sub:1";
    assert_eq!(
        m.inside_fail("a", &["agent-done", "-t", kid, "forged result"]),
        format!("agent:a may not end {kid}'s task")
    );
    assert_eq!(
        m.inside_fail("p", &["agent-done", "-t", kid, "forged result"]),
        format!("agent:p may not end {kid}'s task")
    );
    assert_eq!(m.display("kid", "#{agent_status}"), "active");
    // The child ends its own task; its parent gets the result from it.
    m.inside_ok("kid", &["agent-done", "the real result"]);
    let inbox = json(&m.ok(&["agent-inbox", "-t", "p", "--json"]));
    assert_eq!(inbox[0]["from"], kid);
    assert_eq!(inbox[0]["actor"], kid);
    assert_eq!(inbox[0]["body"], "the real result");
    // The operator may end it too, in its own name.
    m.ok(&["agent-done", "-t", kid, "--failed", "called off"]);
    let inbox = json(&m.ok(&["agent-inbox", "-t", "p", "--json"]));
    assert_eq!(inbox[1]["actor"], "operator");
    assert!(
        history(&m, kid).contains("event done failed: called off (by operator)"),
        "{}",
        history(&m, kid)
    );
}

#[test]
fn status_and_membership_change_only_with_authority_and_say_who() {
    let m = Mux::new();
    for n in ["a", "b", "c"] {
        m.runner_agent(n);
    }
    m.inside_ok("c", &["agent-join-group", "dev"]);
    m.inside_ok("b", &["agent-join-group", "dev"]);
    // A stranger may not change b or take it out of its group.
    assert_eq!(
        m.inside_fail("a", &["set-agent", "-t", "b", "-s", "completed"]),
        "agent:a may not change agent:b"
    );
    assert_eq!(
        m.inside_fail("a", &["agent-leave-group", "-t", "b"]),
        "agent:a may not take agent:b out of its group"
    );
    assert_eq!(
        m.inside_fail("a", &["set-agent", "-t", "b", "--tokens", "5"]),
        "agent:a may not report usage for agent:b"
    );
    assert_eq!(
        m.display("b", "#{agent_status}|#{agent_group}"),
        "active|dev"
    );
    // The coordinator may, and both histories say who did what to whom.
    m.inside_ok("c", &["set-agent", "-t", "b", "-s", "paused"]);
    assert_eq!(m.display("b", "#{agent_status}"), "paused");
    assert!(history(&m, "b").contains("event status paused (by agent:c)"));
    assert!(history(&m, "c").contains("event status paused (on agent:b)"));
    m.inside_ok("c", &["agent-leave-group", "-t", "b"]);
    assert!(history(&m, "b").contains("event left dev (by agent:c)"));
    // The operator may too, recorded as the operator.
    m.ok(&["set-agent", "-t", "a", "-o", "review"]);
    assert!(history(&m, "a").contains("event changed objective \"review\" (by operator)"));
}

#[test]
fn shares_are_written_by_the_caller_into_its_own_group() {
    let m = Mux::new();
    for n in ["a", "c"] {
        m.runner_agent(n);
    }
    m.inside_ok("c", &["agent-join-group", "dev"]);
    assert_eq!(
        m.inside_fail("a", &["agent-share", "-t", "c", "dev", "k=forged"]),
        "agent:a may not share as agent:c"
    );
    assert_eq!(
        m.inside_fail("a", &["agent-share", "dev", "k=forged"]),
        "agent:a may not write to group dev: it is not a member"
    );
    assert_eq!(
        m.inside_fail("a", &["agent-context", "dev"]),
        "agent:a may not read group dev's context: it is not a member"
    );
    assert_eq!(m.ok(&["agent-context", "dev"]), "");
    assert!(!history(&m, "c").contains("share"), "{}", history(&m, "c"));
    m.inside_ok("c", &["agent-share", "dev", "k=mine"]);
    let ctx = json(&m.ok(&["agent-context", "--json", "dev", "k"]));
    assert_eq!(ctx["writer"], "agent:c");
}

/// Runs `script` detached from runner `name`'s pane (by `how`), and waits
/// for what the agmux command in it printed.
fn escaped(m: &Mux, name: &str, how: &str, args: &str) -> (i32, String) {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let out = m.dir.join(format!("escaped-{name}-{n}"));
    let o = out.display();
    let inner = format!("{BIN} {args} > {o}.out 2>&1; echo $? > {o}.tmp; mv {o}.tmp {o}.code");
    let script = match how {
        "setsid" => format!("setsid -f sh -c {}", sh_quote(&inner)),
        "double-fork" => format!("(sh -c {} &) ; exit 0", sh_quote(&inner)),
        _ => format!(
            "nohup sh -c {} > /dev/null 2>&1 &",
            sh_quote(&format!("sleep 0.2; {inner}"))
        ),
    };
    let r = m.inside_sh(name, &script);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let code = eventually(20, "the escaped command", || {
        std::fs::read_to_string(format!("{o}.code")).ok()
    });
    let text = std::fs::read_to_string(format!("{o}.out")).unwrap_or_default();
    (code.trim().parse().unwrap_or(-1), text.trim().to_string())
}

#[test]
fn a_process_that_leaves_its_pane_is_not_the_operator() {
    let m = Mux::new();
    m.runner_agent("a");
    m.runner_agent("b");
    m.inside_ok("b", &["agent-join-group", "dev"]);
    let b_pane = m.display("b", "#{pane_id}");
    for how in ["setsid", "double-fork", "nohup"] {
        let (code, text) = escaped(&m, "a", how, "agent-share -t b dev k=forged");
        assert_eq!(code, 1, "{how}: {text}");
        assert!(
            text.ends_with("left the pane it was started in: it may not act on agents"),
            "{how}: {text}"
        );
        // Its environment naming b's pane does not make it b either.
        let (code, text) = escaped(
            &m,
            "a",
            how,
            &format!("agent-done 2>&1; AGMUX_PANE={b_pane} TMUX_PANE={b_pane} {BIN} agent-done"),
        );
        assert_eq!(code, 1, "{how}: {text}");
        assert!(text.contains("it is no agent"), "{how}: {text}");
    }
    assert_eq!(m.ok(&["agent-context", "dev"]), "");
    assert_eq!(m.display("b", "#{agent_status}"), "active");
}

#[test]
fn what_an_agent_starts_speaks_as_the_agent() {
    let m = Mux::new();
    m.runner_agent("a");
    m.runner_agent("b");
    let t = m.line(&["agent-send", "-t", "b", "--no-inject", "hello"]);
    let out = m.dir.join("started");
    let o = out.display();
    let forge = format!("{BIN} agent-reply -t b {t} forged");
    // A new session, a new window and a run-shell job of a's: all a.
    m.inside_ok(
        "a",
        &[
            "new-session",
            "-d",
            "-s",
            "mine",
            &format!("{forge} > {o}.1 2>&1; {SLEEP}"),
        ],
    );
    m.inside_ok("a", &["run-shell", &format!("{forge} > {o}.2 2>&1; true")]);
    for n in 1..=2 {
        let text = eventually(10, "the forger's output", || {
            std::fs::read_to_string(format!("{o}.{n}"))
                .ok()
                .filter(|s| !s.is_empty())
        });
        assert_eq!(text.trim(), "agent:a may not reply for agent:b", "{n}");
    }
    // a may not start an agent of its own outside agent-spawn.
    assert_eq!(
        m.inside_fail("a", &["new-session", "-d", "-G", "shell", SLEEP]),
        "agent:a may not start a top-level agent: agents start sub-agents with agent-spawn"
    );
    assert_eq!(m.ok(&["agent-inbox", "-t", "b"]).lines().count(), 1);
}

#[test]
fn isolation_keeps_agents_out_of_each_others_panes() {
    let m = Mux::new();
    m.runner_agent("a");
    m.runner_agent("b");
    m.ok(&["new-session", "-d", "-s", "plain", &m.runner("plain")]);
    m.wait_text("plain", "RUNNER");
    let b = m.display("b", "#{pane_id}");
    let touch = |cmd: &[&str]| m.inside_fail("a", cmd);
    let refused = format!("agent:a may not touch pane {b} (agent:b's): agent-isolation is on");
    assert_eq!(
        touch(&["send-keys", "-t", &b, "echo owned", "Enter"]),
        refused
    );
    assert_eq!(touch(&["respawn-pane", "-k", "-t", &b, "sh"]), refused);
    assert_eq!(touch(&["kill-pane", "-t", &b]), refused);
    assert_eq!(touch(&["kill-session", "-t", "b"]), refused);
    assert_eq!(touch(&["new-window", "-t", "b", SLEEP]), refused);
    assert_eq!(
        touch(&["capture-pane", "-p", "-t", &b]),
        format!("agent:a may not read pane {b} (agent:b's): agent-isolation is on")
    );
    // The operator's own panes are out of reach too.
    let plain = m.display("plain", "#{pane_id}");
    assert_eq!(
        touch(&["send-keys", "-t", &plain, "agmux kill-server", "Enter"]),
        format!("agent:a may not touch pane {plain} (the operator's): agent-isolation is on")
    );
    // Nor may it change the server for everyone.
    assert_eq!(
        touch(&["kill-server"]),
        "agent:a may not run kill-server: agent-isolation is on"
    );
    assert_eq!(
        touch(&["set", "-g", "agent-isolation", "off"]),
        "agent:a may not set server or global options: agent-isolation is on"
    );
    assert_eq!(
        touch(&["bind-key", "x", "kill-server"]),
        "agent:a may not run bind-key: agent-isolation is on"
    );
    assert_eq!(m.capture(&b).matches("owned").count(), 0);
    // Its own session is its own, windows it makes included.
    m.inside_ok("a", &["new-window", "-d", "-n", "scratch", "cat"]);
    m.inside_ok(
        "a",
        &["send-keys", "-t", "a:scratch", "typed by a", "Enter"],
    );
    m.wait_text("a:scratch", "typed by a");
    // The operator and a plain pane keep tmux's rules.
    m.inside_ok("plain", &["send-keys", "-t", &b, "echo from-plain"]);
    m.ok(&["send-keys", "-t", &b, " and-operator"]);
    m.wait_text(&b, "echo from-plain and-operator");
    // Turned off by the operator, agents are back to tmux's rules.
    m.ok(&["set", "-g", "agent-isolation", "off"]);
    m.inside_ok("a", &["send-keys", "-t", &b, " now-a"]);
    m.wait_text(&b, "and-operator now-a");
}

#[test]
fn a_parent_reaches_its_childrens_panes() {
    let m = Mux::new();
    m.runner_agent("p");
    m.runner_agent("q");
    m.inside_ok("p", &["agent-spawn", "-m", "session", "-n", "kid", "cat"]);
    m.inside_ok("p", &["send-keys", "-t", "kid", "hello child", "Enter"]);
    m.wait_text("kid", "hello child");
    assert!(
        m.inside_ok("p", &["capture-pane", "-p", "-t", "kid"])
            .contains("hello child")
    );
    assert!(
        m.inside_fail("q", &["send-keys", "-t", "kid", "x"])
            .starts_with("agent:q may not touch pane ")
    );
    // A parent reads its child's history; a stranger does not.
    m.inside_ok("p", &["agent-history", "-t", "kid"]);
    assert_eq!(
        m.inside_fail("q", &["agent-history", "-t", "kid"]),
        "agent:q may not read agent:p:sub:1's history"
    );
}

#[test]
fn a_parent_or_the_operator_stops_an_agent_and_the_parent_hears() {
    let m = Mux::new();
    m.runner_agent("p");
    m.runner_agent("q");
    m.ok(&["set", "-s", "agent-stop-grace", "1"]);
    // A child that ignores SIGTERM and SIGHUP: only SIGKILL ends it.
    m.inside_ok(
        "p",
        &[
            "agent-spawn",
            "-m",
            "session",
            "-n",
            "stubborn",
            "trap '' TERM HUP; echo started; sleep 1000",
        ],
    );
    m.wait_text("stubborn", "started");
    let kid = "agent:p:sub:1";
    assert_eq!(
        m.inside_fail("q", &["agent-stop", "-t", kid]),
        format!("agent:q may not stop {kid}")
    );
    m.inside_ok(
        "p",
        &["agent-stop", "-t", kid, "--reason", "no longer needed"],
    );
    assert_eq!(
        m.display("stubborn", "#{agent_status}"),
        "stopped",
        "stopped at once"
    );
    assert_eq!(
        m.inside_ok("p", &["agent-wait", "--timeout", "10"]),
        format!("{kid} stopped: no longer needed\n")
    );
    eventually(10, "SIGKILL after the grace period", || {
        (m.run(&["has-session", "-t", "stubborn"]).code == 1).then_some(())
    });
    assert!(history(&m, kid).contains("event done stopped: no longer needed (by agent:p)"));
    // The operator may stop a root agent too; nobody stops itself.
    assert_eq!(
        m.inside_fail("q", &["agent-stop"]),
        "agent:q may not stop agent:q"
    );
    m.ok(&["agent-stop", "-t", "q"]);
    assert_eq!(
        m.ok(&["show-agent", "-t", "agent:q", "-F", "#{agent_status}"]),
        "stopped\n"
    );
}

#[test]
fn what_an_agent_says_cannot_run_as_the_operators_hooks() {
    let m = Mux::new();
    m.runner_agent("a");
    m.runner_agent("b");
    let log = m.dir.join("hook.log");
    let pwned = m.dir.join("pwned");
    m.ok(&[
        "set-hook",
        "-g",
        "agent-message",
        &format!("run-shell \"echo #{{hook_detail}} >> {}\"", log.display()),
    ]);
    let evil = format!(
        "hi\"; kill-server; \" $(touch {p}) `touch {p}`; touch {p}",
        p = pwned.display()
    );
    m.inside_ok("a", &["agent-send", "-t", "b", "--no-inject", &evil]);
    let text = eventually(10, "the hook's line", || {
        std::fs::read_to_string(&log).ok().filter(|s| !s.is_empty())
    });
    assert!(text.starts_with("hi_"), "{text}");
    assert!(!pwned.exists(), "the message ran a command: {text}");
    m.ok(&["has-session", "-t", "a"]);
}
