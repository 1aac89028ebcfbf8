//! Sub-agents and messages, with small scripted agents of the tests' own:
//! spawning under limits, results pushed to the parent, threads with a
//! round limit and REPLY_SKIP, messages typed into panes once they are
//! quiet, waits and timeouts, and the store across a crash.

mod common;
use common::{BIN, Mux, SLEEP, eventually};
use serde_json::Value;
use std::path::PathBuf;

fn json(s: &str) -> Value {
    serde_json::from_str(s.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

/// Writes an executable script in the test's directory.
fn script(m: &Mux, name: &str, body: &str) -> PathBuf {
    let path = m.socket_dir().parent().unwrap().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::os::unix::fs::PermissionsExt::set_mode(
        &mut std::fs::metadata(&path).unwrap().permissions(),
        0o755,
    );
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    path
}

fn root(m: &Mux, name: &str) {
    m.ok(&["new-session", "-d", "-s", name, "-G", "shell", SLEEP]);
}

#[test]
fn a_coordinator_gets_exactly_its_workers_results() {
    let m = Mux::new();
    // A worker adds up the numbers of its task and says so.
    let worker = script(
        &m,
        "worker.sh",
        &format!("sum=$(seq $1 $2 | awk '{{s+=$1}} END {{print s}}')\n{BIN} agent-done \"$sum\""),
    );
    // The coordinator spawns three, waits (no polling) and adds up.
    let coord = script(
        &m,
        "coord.sh",
        &format!(
            "{BIN} agent-type worker -- {w} {{task}}\n\
             for r in '1 30' '31 60' '61 100'; do {BIN} agent-spawn -T worker \"$r\"; done\n\
             {BIN} agent-wait > results\n\
             echo TOTAL=$(awk '{{s+=$3}} END {{print s}}' results)\n\
             exec sleep 1000",
            w = worker.display()
        ),
    );
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "coord",
        "-G",
        "shell",
        coord.to_str().unwrap(),
    ]);
    m.wait_text("coord", "TOTAL=5050");
    let inbox = json(&m.ok(&["agent-inbox", "-t", "coord", "--json"]));
    let results: Vec<&Value> = inbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "result")
        .collect();
    assert_eq!(results.len(), 3, "{inbox}");
    let mut sums: Vec<&str> = results
        .iter()
        .map(|r| r["body"].as_str().unwrap())
        .collect();
    sums.sort_unstable();
    assert_eq!(sums, ["1365", "3220", "465"]);
    assert!(
        results.iter().all(|r| r["read"] == true),
        "agent-wait collected them"
    );
    // The runs are over: records kept, sessions gone.
    assert_eq!(
        m.ok(&[
            "list-agents",
            "-a",
            "-p",
            "coord",
            "-F",
            "#{agent_key} #{agent_status} #{agent_depth}"
        ]),
        "agent:coord:sub:1 completed 1\nagent:coord:sub:2 completed 1\nagent:coord:sub:3 completed 1\n"
    );
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "coord\n");
    assert_eq!(
        m.ok(&["list-agents", "-a", "--tree", "-F", "#{agent_key}"]),
        "agent:coord\n  agent:coord:sub:1\n  agent:coord:sub:2\n  agent:coord:sub:3\n"
    );
}

#[test]
fn a_run_that_exits_or_times_out_reports_to_its_parent() {
    let m = Mux::new();
    root(&m, "p");
    m.ok(&[
        "agent-spawn",
        "-t",
        "p",
        "echo computing; echo the answer; exit 3",
    ]);
    let out = m.ok(&["agent-wait", "-p", "p", "--timeout", "10"]);
    assert_eq!(out, "agent:p:sub:1 failed: exit 3\ncomputing\nthe answer\n");
    m.ok(&["agent-spawn", "-t", "p", "--timeout", "1", "sleep 100"]);
    let r = m.run(&["agent-wait", "-p", "p", "--timeout", "10"]);
    assert_eq!(r.stdout, "agent:p:sub:2 failed: timed out after 1 s\n");
    assert_eq!(r.code, 0);
    let v = json(&m.ok(&["show-agent", "-t", "agent:p:sub:2", "--json"]));
    assert_eq!(
        (v["reason"].as_str(), v["session_id"].as_str()),
        (Some("timeout"), None)
    );
    // The parent's history records the spawn, done to its child.
    assert!(
        m.ok(&["agent-history", "-t", "p"])
            .contains("event spawned sleep 100 (on agent:p:sub:2)")
    );
}

#[test]
fn files_env_and_the_task_reach_the_child() {
    let m = Mux::new();
    root(&m, "p");
    let src = m.socket_dir().parent().unwrap().join("notes.txt");
    std::fs::write(&src, "remember this").unwrap();
    m.ok(&[
        "agent-spawn",
        "-t",
        "p",
        "-m",
        "session",
        "-n",
        "kid",
        "-a",
        src.to_str().unwrap(),
        "echo task=$AGMUX_TASK; echo me=$AGMUX_AGENT; cat $AGMUX_FILES/notes.txt; exec sleep 1000",
    ]);
    // The original goes; the child's copy stays.
    std::fs::remove_file(&src).unwrap();
    let screen = m.wait_text("kid", "remember this");
    assert!(screen.contains("me=agent:p:sub:1\n"), "{screen}");
    assert!(screen.contains("task=echo task="), "{screen}");
    assert_eq!(
        m.fail(&["agent-spawn", "-t", "p", "-a", "/nonexistent/file", "true"]),
        "can't copy /nonexistent/file: not a readable file"
    );
    // The child starts where its parent works, unless its type says.
    let dir = m.socket_dir().parent().unwrap().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "q",
        "-G",
        "shell",
        "-c",
        dir.to_str().unwrap(),
        SLEEP,
    ]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "q",
        "-m",
        "session",
        "-n",
        "qk",
        "pwd; exec sleep 1000",
    ]);
    m.wait_text("qk", &format!("{}\n", dir.display()));
    m.ok(&[
        "agent-type",
        "-c",
        "/",
        "rooted",
        "--",
        "sh",
        "-c",
        "pwd; exec sleep 1000",
    ]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "q",
        "-T",
        "rooted",
        "-m",
        "session",
        "-n",
        "qr",
        "x",
    ]);
    m.wait_text("qr", "/\n");
    // Shares are in the sharer's history.
    m.ok(&["agent-join-group", "-t", "q", "g"]);
    m.ok(&["agent-share", "-t", "q", "g", "k=v"]);
    assert!(
        m.ok(&["agent-history", "-t", "q"])
            .contains("event share g: set k v1 (by operator)\n")
    );
    // A session-mode agent stays after agent-done.
    m.ok(&["agent-done", "-t", "kid", "first part"]);
    assert_eq!(m.display("kid", "#{agent_status}"), "completed");
    m.ok(&["has-session", "-t", "kid"]);
    assert_eq!(
        m.line(&["agent-wait", "-p", "p"]),
        "agent:p:sub:1 completed: first part"
    );
}

#[test]
fn limits_refuse_and_name_themselves() {
    let m = Mux::new();
    root(&m, "p");
    m.ok(&["agent-type", "idler", "--", "sh", "-c", "exec sleep 1000"]);
    m.ok(&["set", "-s", "agent-max-children", "2"]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "p",
        "-T",
        "idler",
        "-m",
        "session",
        "-n",
        "c1",
        "x",
    ]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "p",
        "-T",
        "idler",
        "-m",
        "session",
        "-n",
        "c2",
        "x",
    ]);
    assert_eq!(
        m.fail(&["agent-spawn", "-t", "p", "-T", "idler", "x"]),
        "agent:p may not spawn: agent-max-children is 2"
    );
    // A child at the depth limit may not spawn.
    assert_eq!(
        m.fail(&["agent-spawn", "-t", "c1", "x"]),
        "agent:p:sub:1 may not spawn: agent-max-depth is 1 and it is at depth 1"
    );
    m.ok(&["set", "-s", "agent-max-children", "5"]);
    m.ok(&["set", "-s", "agent-max-concurrent", "3"]);
    assert_eq!(
        m.fail(&["agent-spawn", "-t", "p", "-T", "idler", "x"]),
        "agent:p may not spawn: agent-max-concurrent is 3 and 3 agents run"
    );
    m.ok(&["set", "-s", "agent-max-concurrent", "8"]);
    m.ok(&["set", "-s", "agent-spawn-allow", "shell=shell"]);
    assert_eq!(
        m.fail(&["agent-spawn", "-t", "p", "-T", "idler", "x"]),
        "agent:p may not spawn idler: agent-spawn-allow lets shell spawn shell"
    );
    assert_eq!(
        m.fail(&["agent-spawn", "-t", "p", "-T", "ghost", "x"]),
        "unknown agent type: ghost"
    );
    // Turns: the task is the first; a message is the second.
    m.ok(&["set", "-s", "agent-max-turns", "2"]);
    m.ok(&["agent-send", "-t", "c1", "one more"]);
    assert_eq!(
        m.fail(&["agent-send", "-t", "c1", "and another"]),
        "agent:p:sub:1 has had its turns: agent-max-turns is 2"
    );
    // Tokens, as the agent reports them.
    m.ok(&["set", "-s", "agent-max-tokens", "100"]);
    m.ok(&["set-agent", "-t", "c2", "--tokens", "60"]);
    m.ok(&["set-agent", "-t", "c2", "--tokens", "60"]);
    assert_eq!(m.display("c2", "#{agent_tokens}"), "120");
    assert_eq!(
        m.fail(&["agent-send", "-t", "c2", "hi"]),
        "agent:p:sub:2 is over its tokens: agent-max-tokens is 100 and it used 120"
    );
}

#[test]
fn threads_alternate_end_on_reply_skip_and_have_a_round_limit() {
    let m = Mux::new();
    root(&m, "a");
    // b answers each message in its inbox: the first two with a counter
    // offer, the third with REPLY_SKIP.
    let negotiator = script(
        &m,
        "negotiate.sh",
        &format!(
            "n=0\nwhile read line; do\n\
               msg=$({BIN} agent-inbox --unread --json | sed -n 's/.*\"id\":\\([0-9]*\\),\"thread\":\"\\([^\"]*\\)\".*/\\1 \\2/p' | tail -1)\n\
               id=${{msg% *}}; thread=${{msg#* }}\n\
               {BIN} agent-inbox --ack $id\n\
               n=$((n+1))\n\
               if [ $n -lt 3 ]; then {BIN} agent-reply $thread \"counter $n to: $line\"; else {BIN} agent-reply $thread REPLY_SKIP; fi\n\
             done"
        ),
    );
    m.ok(&[
        "agent-type",
        "negotiator",
        "--inject",
        "--",
        negotiator.to_str().unwrap(),
    ]);
    m.ok(&["set", "-s", "agent-deliver-quiet", "100"]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "a",
        "-T",
        "negotiator",
        "-m",
        "session",
        "-n",
        "b",
        "haggle",
    ]);
    let r = m.run(&["agent-send", "-t", "b", "--wait", "20", "offer 10"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "counter 1 to: offer 10\n"),
        "{}",
        r.stderr
    );
    let thread = json(&m.ok(&["agent-inbox", "-t", "b", "--json"]))[0]["thread"]
        .as_str()
        .unwrap()
        .to_string();
    let r = m.run(&[
        "agent-send",
        "-t",
        "b",
        "--thread",
        &thread,
        "--wait",
        "20",
        "offer 12",
    ]);
    assert_eq!(r.stdout, "counter 2 to: offer 12\n", "{}", r.stderr);
    let r = m.run(&[
        "agent-send",
        "-t",
        "b",
        "--thread",
        &thread,
        "--wait",
        "20",
        "offer 15",
    ]);
    assert_eq!(r.stdout, "REPLY_SKIP\n", "{}", r.stderr);
    assert_eq!(
        m.fail(&["agent-send", "-t", "b", "--thread", &thread, "offer 16"]),
        format!("thread {thread} has ended (REPLY_SKIP)")
    );
    // Nobody answers for b, the operator included.
    let t2 = m.line(&["agent-send", "-t", "b", "--no-inject", "ping"]);
    assert_eq!(
        m.fail(&["agent-reply", "-t", "b", &t2, "pong"]),
        "operator may not reply for agent:a:sub:1"
    );
}

#[test]
fn the_round_limit_refuses_a_sixth_exchange() {
    let m = Mux::new();
    root(&m, "a");
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "b",
        "-G",
        "shell",
        &m.runner("b"),
    ]);
    // The operator sends and b answers: five rounds, then the sixth is
    // refused.
    let t = m.line(&["agent-send", "-t", "b", "--no-inject", "round 1"]);
    m.inside_ok("b", &["agent-reply", &t, "ok 1"]);
    // Turns alternate: b may not answer twice.
    assert_eq!(
        m.inside_fail("b", &["agent-reply", &t, "ok again"]),
        format!("not agent:b's turn on {t}: waiting for operator")
    );
    for i in 2..=5 {
        m.ok(&[
            "agent-send",
            "-t",
            "b",
            "--thread",
            &t,
            &format!("round {i}"),
        ]);
        m.inside_ok("b", &["agent-reply", &t, &format!("ok {i}")]);
    }
    assert_eq!(
        m.fail(&["agent-send", "-t", "b", "--thread", &t, "round 6"]),
        format!("thread {t} is over: agent-max-rounds is 5")
    );
    assert_eq!(m.ok(&["agent-inbox", "-t", "b"]).lines().count(), 5);
}

#[test]
fn wait_times_out_with_status_2_and_the_message_stays() {
    let m = Mux::new();
    root(&m, "quiet");
    let r = m.run(&["agent-send", "-t", "quiet", "--wait", "1", "anyone there?"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("timed out waiting for a reply from agent:quiet on t"),
        "{}",
        r.stderr
    );
    let inbox = json(&m.ok(&["agent-inbox", "-t", "quiet", "--unread", "--json"]));
    assert_eq!(inbox[0]["body"], "anyone there?");
    let id = inbox[0]["id"].as_u64().unwrap().to_string();
    m.ok(&["agent-inbox", "-t", "quiet", "--ack", &id]);
    assert_eq!(m.ok(&["agent-inbox", "-t", "quiet", "--unread"]), "");
    assert_eq!(
        m.fail(&["agent-inbox", "-t", "quiet", "--ack", "999"]),
        "no message 999 in agent:quiet's inbox"
    );
    assert_eq!(
        m.fail(&["agent-send", "-t", "quiet", "--wait", "x", "hi"]),
        "invalid wait: x"
    );
}

#[test]
fn a_busy_pane_gets_the_message_once_whole_after_it_goes_quiet() {
    let m = Mux::new();
    root(&m, "p");
    // Busy for a while, then echoes what it reads.
    let busy = script(
        &m,
        "busy.sh",
        "i=0; while [ $i -lt 30 ]; do echo busy $i; sleep 0.05; i=$((i+1)); done\n\
         while read l; do echo \"GOT[$l]\"; done",
    );
    m.ok(&[
        "agent-type",
        "busy",
        "--inject",
        "--",
        busy.to_str().unwrap(),
    ]);
    m.ok(&["set", "-s", "agent-deliver-quiet", "300"]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "p",
        "-T",
        "busy",
        "-m",
        "session",
        "-n",
        "w",
        "work",
    ]);
    m.wait_text("w", "busy 2");
    m.ok(&[
        "agent-send",
        "-t",
        "w",
        "a long message, with words; and signs: $HOME 'quoted'",
    ]);
    let out = m.wait_history("w", "GOT[");
    let lines: Vec<&str> = out.lines().collect();
    let got: Vec<&&str> = lines.iter().filter(|l| l.starts_with("GOT[")).collect();
    assert_eq!(
        got,
        [&"GOT[a long message, with words; and signs: $HOME 'quoted']"],
        "{out}"
    );
    let last_busy = lines.iter().position(|l| *l == "busy 29").unwrap();
    let typed = lines
        .iter()
        .position(|l| l.starts_with("a long message"))
        .expect("the typed line");
    assert!(
        typed > last_busy,
        "typed only once the output stopped:\n{out}"
    );
    eventually(10, "marked delivered", || {
        let v = json(&m.ok(&["agent-inbox", "-t", "w", "--json"]));
        (v[0]["delivered"] == true).then_some(())
    });
}

#[test]
fn a_full_screen_program_with_bracketed_paste_gets_the_message_exactly_once() {
    let m = Mux::new();
    root(&m, "p");
    // A prompt_toolkit REPL: bracketed paste on, like the agent CLIs.
    let repl = script(
        &m,
        "repl.sh",
        r#"exec python3 -c '
from prompt_toolkit import PromptSession
s = PromptSession()
while True:
    text = s.prompt("> ")
    print("SUBMITTED[" + text + "]", flush=True)
'"#,
    );
    m.ok(&[
        "agent-type",
        "repl",
        "--inject",
        "--",
        repl.to_str().unwrap(),
    ]);
    m.ok(&["set", "-s", "agent-deliver-quiet", "300"]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "p",
        "-T",
        "repl",
        "-m",
        "session",
        "-n",
        "r",
        "x",
    ]);
    // prompt_toolkit turns bracketed paste on before it draws its prompt.
    eventually(10, "the prompt", || {
        m.capture("r")
            .lines()
            .any(|l| l.trim_end() == ">")
            .then_some(())
    });
    m.ok(&["agent-send", "-t", "r", "line one\nline two"]);
    let out = m.wait_history("r", "SUBMITTED[");
    let submitted: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("SUBMITTED["))
        .collect();
    assert_eq!(submitted, ["SUBMITTED[line one"], "{out}");
    assert!(out.contains("line two]"), "{out}");
    // Nothing was submitted twice: one more message shows the count.
    m.ok(&["agent-send", "-t", "r", "second"]);
    let out = m.wait_history("r", "SUBMITTED[second]");
    assert_eq!(out.matches("SUBMITTED[").count(), 2, "{out}");
}

#[test]
fn messages_and_results_survive_a_crash_and_running_children_are_lost() {
    let m = Mux::new();
    root(&m, "p");
    m.ok(&["agent-spawn", "-t", "p", "echo done-early"]);
    m.ok(&["agent-wait", "-p", "p", "--timeout", "10"]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "p",
        "-m",
        "session",
        "-n",
        "long",
        &m.runner("long"),
    ]);
    let t = m.line(&["agent-send", "-t", "long", "--no-inject", "keep this"]);
    m.inside_ok("long", &["agent-reply", &t, "and this"]);
    let pid = m.server_pid().unwrap();
    // SAFETY: kill sends a signal to a process we started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    eventually(10, "the server gone", || (!Mux::alive(pid)).then_some(()));
    m.ok(&["new-session", "-d", "-s", "again", SLEEP]);
    assert_eq!(
        m.ok(&["list-agents", "-a", "-F", "#{agent_key} #{agent_status}"]),
        "agent:p lost\nagent:p:sub:1 completed\nagent:p:sub:2 lost\n"
    );
    let inbox = m.ok(&["agent-inbox", "-t", "agent:p:sub:2"]);
    assert!(inbox.contains("keep this"), "{inbox}");
    let hist = json(&m.ok(&["agent-history", "-t", "agent:p:sub:2", "--json"]));
    let bodies: Vec<&str> = hist["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["keep this", "and this"]);
    let parent_inbox = json(&m.ok(&["agent-inbox", "-t", "agent:p", "--json"]));
    assert!(
        parent_inbox[0]["body"]
            .as_str()
            .unwrap()
            .contains("done-early")
    );
}

#[test]
fn hooks_run_on_agent_events() {
    let m = Mux::new();
    root(&m, "p");
    let log = m.socket_dir().parent().unwrap().join("hooks.log");
    let cmd = format!(
        "run-shell \"echo #{{hook}} #{{hook_agent}} >> {}\"",
        log.display()
    );
    m.ok(&["set-hook", "-g", "agent-spawned", &cmd]);
    m.ok(&["set-hook", "-g", "agent-done", &cmd]);
    m.ok(&["set-hook", "-ga", "agent-done", "set -g @done yes"]);
    assert_eq!(
        m.ok(&["show-hooks", "-g"])
            .lines()
            .filter(|l| l.starts_with("agent-done["))
            .count(),
        2
    );
    m.ok(&["agent-spawn", "-t", "p", "true"]);
    m.ok(&["agent-wait", "-p", "p", "--timeout", "10"]);
    // Each hook's run-shell runs in the background: either may finish first.
    eventually(10, "the hooks' lines", || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let mut lines: Vec<&str> = text.lines().collect();
        lines.sort_unstable();
        (lines == ["agent-done agent:p:sub:1", "agent-spawned agent:p:sub:1"]).then_some(())
    });
    assert_eq!(m.line(&["show", "-gv", "@done"]), "yes");
    assert_eq!(
        m.fail(&["set-hook", "-g", "no-such-hook", "x"]),
        "invalid option: no-such-hook"
    );
    m.ok(&["set-hook", "-gu", "agent-done"]);
    // Unset, agmux's own hooks leave the listing tmux's.
    assert!(!m.ok(&["show-hooks", "-g"]).contains("agent-done"));
    assert_eq!(m.ok(&["show-hooks", "-g", "agent-done"]), "agent-done\n");
}

#[test]
fn types_from_the_config_history_and_pruning() {
    let m = Mux::new();
    let conf = m.socket_dir().parent().unwrap().join("agents.conf");
    std::fs::write(
        &conf,
        "agent-type -e GREETING=hello echoer -- sh -c 'echo $GREETING $AGMUX_TASK; exec sleep 1000'\n",
    )
    .unwrap();
    m.ok(&[
        "-f",
        conf.to_str().unwrap(),
        "new-session",
        "-d",
        "-s",
        "p",
        "-G",
        "shell",
        SLEEP,
    ]);
    assert!(
        m.ok(&["list-agent-types"])
            .contains("agent-type -e GREETING=hello --no-inject echoer -- sh -c \"echo \\$GREETING \\$AGMUX_TASK; exec sleep 1000\"\n"),
        "{}",
        m.ok(&["list-agent-types"])
    );
    m.ok(&[
        "agent-spawn",
        "-t",
        "p",
        "-T",
        "echoer",
        "-m",
        "session",
        "-n",
        "e",
        "world",
    ]);
    m.wait_text("e", "hello world");
    let h = m.ok(&["agent-history", "-t", "e", "-p"]);
    assert!(h.starts_with("agent:p:sub:1 [echoer] active\n"), "{h}");
    assert!(h.contains("event spawned world (by agent:p)\n"), "{h}");
    assert!(h.ends_with("--- pane\nhello world\n"), "{h}");
    let last = json(&m.ok(&["agent-history", "-t", "e", "-n", "1", "--json"]));
    assert_eq!(last["events"].as_array().unwrap().len(), 1);

    // Ended records go after agent-history-time seconds; 0 keeps them.
    m.ok(&["agent-spawn", "-t", "p", "true"]);
    m.ok(&[
        "agent-wait",
        "-p",
        "p",
        "-t",
        "agent:p:sub:2",
        "--timeout",
        "10",
    ]);
    m.ok(&["set", "-s", "agent-history-time", "0"]);
    assert!(m.ok(&["list-agents", "-a"]).contains("agent:p:sub:2"));
    m.ok(&["set", "-s", "agent-history-time", "1"]);
    eventually(10, "the ended run pruned", || {
        (!m.ok(&["list-agents", "-a"]).contains("agent:p:sub:2")).then_some(())
    });
    assert_eq!(
        m.fail(&["agent-history", "-t", "agent:p:sub:2"]),
        "can't find agent: agent:p:sub:2"
    );
}

#[test]
fn an_inbox_wait_returns_when_a_message_comes() {
    let m = Mux::new();
    root(&m, "a");
    // A scripted agent that waits on its inbox (no polling) and answers.
    let responder = script(
        &m,
        "respond.sh",
        &format!(
            "while line=$({BIN} agent-inbox --mark-read --wait 30 | tail -1); do\n\
               set -- $line\n\
               {BIN} agent-reply $4 \"pong to $7\"\n\
             done"
        ),
    );
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "r",
        "-G",
        "shell",
        responder.to_str().unwrap(),
    ]);
    for i in 0..3 {
        let r = m.run(&["agent-send", "-t", "r", "--wait", "20", &format!("ping{i}")]);
        assert_eq!(r.stdout, format!("pong to ping{i}\n"), "{}", r.stderr);
    }
    let r = m.run(&["agent-inbox", "-t", "a", "--wait", "0.2"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (2, "timed out waiting for a message to agent:a\n")
    );
}

#[test]
fn labels_any_and_the_parents_status_line() {
    let m = Mux::new();
    root(&m, "p");
    let t = common::tty::Tty::spawn(&m, &["attach", "-t", "p"], 100, 10);
    t.wait_text("[p]");
    m.ok(&["agent-type", "idler", "--", "sh", "-c", "exec sleep 1000"]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "p",
        "-T",
        "idler",
        "-m",
        "session",
        "-n",
        "rev",
        "review",
    ]);
    m.ok(&["set-agent", "-t", "rev", "-r", "reviewer"]);
    // -l finds the agent by its role (or session name).
    let thread = m.line(&["agent-send", "-l", "reviewer", "look at this"]);
    assert_eq!(
        json(&m.ok(&["agent-inbox", "-t", "rev", "--json"]))[0]["thread"],
        thread
    );
    assert_eq!(
        m.fail(&["agent-send", "-l", "nobody", "hi"]),
        "no agent labelled nobody"
    );
    let log = m.socket_dir().parent().unwrap().join("events.log");
    let hook = format!(
        "run-shell \"echo #{{hook}} #{{hook_detail}} >> {}\"",
        log.display()
    );
    m.ok(&["set-hook", "-g", "agent-message", &hook]);
    m.ok(&["set-hook", "-g", "agent-status-changed", &hook]);
    m.ok(&["agent-send", "-t", "rev", "second note"]);
    m.ok(&["set-agent", "-t", "rev", "-s", "waiting"]);
    eventually(10, "both hooks", || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let mut lines: Vec<&str> = text.lines().collect();
        lines.sort_unstable();
        (lines == ["agent-message second note", "agent-status-changed waiting"]).then_some(())
    });
    // --any returns with the first child to end; its result shows on the
    // parent's status line.
    m.ok(&["agent-spawn", "-t", "p", "echo quick"]);
    let out = m.ok(&["agent-wait", "-p", "p", "--any", "--timeout", "10"]);
    assert_eq!(out, "agent:p:sub:2 completed: exit 0\nquick\n");
    t.wait_text("agent:p:sub:2 completed: exit 0");
}
