//! `agmux web`'s protocol, from a WebSocket client: the token and origin
//! guard, the agent list on connect, events in order and resumed after a
//! reconnect, the focused pane's screen and input, messages, and two
//! browsers with their own focus.

mod common;
#[path = "common/web.rs"]
mod web;

use common::*;
use serde_json::{Value, json};
use web::{Dash, Web, row_text, rows_text};

/// Three agents running a shell each, `a1` and `a2` in group `team`.
fn agents(m: &Mux) {
    for a in ["a1", "a2", "a3"] {
        m.ok(&[
            "new-session",
            "-d",
            "-s",
            a,
            "-x",
            "60",
            "-y",
            "8",
            "-G",
            "shell",
            "-o",
            &format!("task of {a}"),
        ]);
    }
    m.ok(&["agent-join-group", "-t", "a1", "team"]);
    m.ok(&["agent-join-group", "-t", "a2", "team"]);
    m.ok(&["set-agent", "-t", "a3", "-s", "waiting"]);
}

fn kind(v: &Value) -> &str {
    v["type"].as_str().unwrap_or("")
}

#[test]
fn every_request_needs_the_token_and_the_dashboards_own_origin() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "a"]);
    let w = Web::start(&m);
    let with_token = format!("/?token={}", w.token);
    assert_eq!(w.get("/", &[]).0, 401);
    assert_eq!(w.get("/app.js", &[]).0, 401);
    assert_eq!(w.get("/?token=nope", &[]).0, 401);
    let (status, head, body) = w.get(&with_token, &[]);
    assert_eq!(status, 200);
    assert!(body.contains("<title>agmux dashboard</title>"), "{body}");
    let cookie = format!("agmux_token={}", w.token);
    assert!(head.contains(&format!("set-cookie: {cookie};")), "{head}");
    // The cookie the page set is enough for what the page loads next.
    assert_eq!(w.get("/app.js", &[("Cookie", &cookie)]).0, 200);
    assert_eq!(
        w.get("/style.css", &[("Cookie", "x=1; agmux_token=bad")]).0,
        401
    );
    // Another site, or another name for this host (DNS rebinding).
    assert_eq!(
        w.get(&with_token, &[("Origin", "http://evil.example")]).0,
        403
    );
    let own = format!("http://{}", w.host());
    assert_eq!(w.get(&with_token, &[("Origin", &own)]).0, 200);
    let rebound = format!("evil.example:{}", w.port);
    assert_eq!(w.get(&with_token, &[("Host", &rebound)]).0, 403);
    // The socket likewise.
    let refused = w.connect_with("", &[]).err().unwrap_or_default();
    assert!(refused.contains("401"), "{refused}");
    let token = format!("token={}", w.token);
    let refused = w
        .connect_with(&token, &[("Origin", "http://evil.example")])
        .err()
        .unwrap_or_default();
    assert!(refused.contains("403"), "{refused}");
    assert!(w.connect_with(&token, &[("Origin", &own)]).is_ok());
    assert!(w.connect_with("", &[("Cookie", &cookie)]).is_ok());
}

#[test]
fn the_agent_list_comes_first_then_every_event_in_order() {
    let m = Mux::new();
    agents(&m);
    let w = Web::start(&m);
    let mut d = w.connect("");
    let list = d.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    assert_eq!(d.seen.len(), 1, "AGENT_LIST is the first message");
    let keys: Vec<&str> = list["payload"]["agents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["key"].as_str())
        .collect();
    assert_eq!(keys, ["agent:a1", "agent:a2", "agent:a3"]);
    let statuses: Vec<&str> = list["payload"]["agents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["status"].as_str())
        .collect();
    assert_eq!(statuses, ["active", "active", "waiting"]);
    assert_eq!(list["payload"]["groups"][0]["name"], "team");
    d.send("SUBSCRIBE", None, json!({"agents": [], "global": true}));
    for i in 1..=20 {
        m.ok(&["agent-share", "-t", "a1", "team", &format!("n={i}")]);
    }
    let mut versions = Vec::new();
    while versions.len() < 20 {
        let v = d.until(10, "share events", |v| {
            kind(v) == "ACTIVITY" && v["payload"]["type"] == "share"
        });
        assert_eq!(v["agent_id"], "agent:a1");
        versions.push(v["payload"]["version"].as_u64().unwrap());
    }
    assert_eq!(versions, (1..=20).collect::<Vec<u64>>());
    // Each share's CONTEXT goes just before its ACTIVITY.
    let ctx = d
        .seen
        .iter()
        .find(|v| kind(v) == "CONTEXT" && v["payload"]["version"] == 20)
        .cloned()
        .expect("the last CONTEXT");
    assert_eq!(ctx["payload"]["entry"]["value"], "20");
    // The operator wrote it, on a1's behalf: never stored as a1.
    assert_eq!(ctx["payload"]["writer"], "operator");
    // A status change reaches the card.
    m.ok(&["set-agent", "-t", "a2", "-s", "paused"]);
    let st = d.until(10, "AGENT_STATUS", |v| {
        kind(v) == "AGENT_STATUS" && v["payload"]["status"] == "paused"
    });
    assert_eq!(st["agent_id"], "agent:a2");
    // A new agent appears, an unknown message is an error, the connection
    // goes on.
    m.ok(&["new-session", "-d", "-s", "a4", "-G", "shell"]);
    d.until(10, "AGENT_REGISTERED", |v| {
        kind(v) == "AGENT_REGISTERED" && v["agent_id"] == "agent:a4"
    });
    d.send("NOPE", None, json!({}));
    let e = d.until(10, "ERROR", |v| kind(v) == "ERROR");
    assert_eq!(e["payload"]["message"], "NOPE: unknown message type: NOPE");
    d.send("REQUEST_AGENT_LIST", None, json!({}));
    let list = d.until(10, "AGENT_LIST again", |v| kind(v) == "AGENT_LIST");
    assert_eq!(list["payload"]["agents"].as_array().unwrap().len(), 4);
}

#[test]
fn a_browser_that_reconnects_gets_the_state_and_misses_no_event() {
    let m = Mux::new();
    agents(&m);
    let w = Web::start(&m);
    let mut d = w.connect("");
    d.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    m.ok(&["agent-share", "-t", "a1", "team", "k=1"]);
    let first = d.until(10, "share 1", |v| v["payload"]["type"] == "share");
    let last = first["payload"]["id"].as_u64().unwrap();
    drop(d);
    for i in 2..=5 {
        m.ok(&["agent-share", "-t", "a1", "team", &format!("k={i}")]);
    }
    let mut d = w.connect(&format!("&since={last}"));
    let list = d.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    assert_eq!(list["payload"]["agents"].as_array().unwrap().len(), 3);
    let mut versions = Vec::new();
    while versions.len() < 4 {
        let v = d.until(10, "missed shares", |v| {
            kind(v) == "ACTIVITY" && v["payload"]["type"] == "share"
        });
        assert!(v["payload"]["id"].as_u64().unwrap() > last);
        versions.push(v["payload"]["version"].as_u64().unwrap());
    }
    assert_eq!(versions, [2, 3, 4, 5]);
    assert_eq!(w.get("/ws?since=x", &[]).0, 401);
    let bad = w.connect_with(&format!("token={}&since=x", w.token), &[]);
    assert!(bad.err().unwrap_or_default().contains("400"));
}

#[test]
fn the_focused_agents_screen_comes_live_and_input_reaches_its_pane() {
    let m = Mux::new();
    agents(&m);
    m.ok(&["send-keys", "-t", "a2", "echo second-agent", "Enter"]);
    eventually(10, "a2's echo", || {
        m.capture("a2")
            .lines()
            .any(|l| l == "second-agent")
            .then_some(())
    });
    let w = Web::start(&m);
    let mut d = w.connect("");
    d.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    d.send(
        "FOCUS_AGENT",
        Some("agent:a1"),
        json!({"agent_id": "agent:a1"}),
    );
    let screen = d.until(10, "SCREEN", |v| kind(v) == "SCREEN");
    assert_eq!(screen["agent_id"], "agent:a1");
    assert_eq!(screen["payload"]["cols"], 60);
    assert_eq!(screen["payload"]["rows"], 8);
    assert_eq!(screen["payload"]["lines"].as_array().unwrap().len(), 8);
    // The inbox comes with the focus, before or after the screen.
    if !d.seen.iter().any(|v| kind(v) == "INBOX") {
        d.until(10, "INBOX", |v| kind(v) == "INBOX");
    }
    // Typed as a terminal sends it: Enter is a carriage return.
    d.send(
        "INPUT",
        Some("agent:a1"),
        json!({"agent_id": "agent:a1", "keys": "echo hi\r"}),
    );
    eventually(10, "hi in a1's pane", || {
        m.capture("a1").lines().any(|l| l == "hi").then_some(())
    });
    let rows = d.until(10, "ROWS with hi", |v| {
        kind(v) == "ROWS" && rows_text(&v["payload"]).iter().any(|t| t == "hi")
    });
    assert_eq!(rows["agent_id"], "agent:a1");
    // Focus moves: the other agent's whole screen.
    d.send(
        "FOCUS_AGENT",
        Some("agent:a2"),
        json!({"agent_id": "agent:a2"}),
    );
    let screen = d.until(10, "a2's SCREEN", |v| {
        kind(v) == "SCREEN" && v["agent_id"] == "agent:a2"
    });
    assert!(
        rows_text(&screen["payload"])
            .iter()
            .any(|t| t == "second-agent"),
        "{screen}"
    );
    assert!(row_text(&screen["payload"], 0).is_some());
    d.send(
        "FOCUS_AGENT",
        Some("agent:nobody"),
        json!({"agent_id": "agent:nobody"}),
    );
    let e = d.until(10, "ERROR", |v| kind(v) == "ERROR");
    assert!(
        e["payload"]["message"]
            .as_str()
            .unwrap()
            .starts_with("FOCUS_AGENT: "),
        "{e}"
    );
}

#[test]
fn a_message_from_the_browser_reaches_the_agents_inbox() {
    let m = Mux::new();
    agents(&m);
    let w = Web::start(&m);
    let mut d = w.connect("");
    d.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    d.send(
        "USER_MESSAGE",
        Some("agent:a2"),
        json!({"agent_id": "agent:a2", "content": "-please look at the tests", "inject": false}),
    );
    let inbox = d.until(10, "INBOX", |v| kind(v) == "INBOX");
    assert_eq!(
        inbox["payload"]["messages"][0]["body"],
        "-please look at the tests"
    );
    let out = m.ok(&["agent-inbox", "-t", "a2", "--json"]);
    let msgs: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(msgs[0]["body"], "-please look at the tests");
    assert_eq!(msgs[0]["from"], "operator");
}

#[test]
fn two_browsers_each_get_only_their_own_focused_rows() {
    let m = Mux::new();
    agents(&m);
    let w = Web::start(&m);
    let mut one = w.connect("");
    let mut two = w.connect("");
    one.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    two.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    one.send(
        "FOCUS_AGENT",
        Some("agent:a1"),
        json!({"agent_id": "agent:a1"}),
    );
    two.send(
        "FOCUS_AGENT",
        Some("agent:a2"),
        json!({"agent_id": "agent:a2"}),
    );
    one.until(10, "SCREEN a1", |v| kind(v) == "SCREEN");
    two.until(10, "SCREEN a2", |v| kind(v) == "SCREEN");
    // Only a2's filter on the second.
    two.send(
        "SUBSCRIBE",
        None,
        json!({"agents": ["agent:a2"], "global": false}),
    );
    m.ok(&["send-keys", "-t", "a1", "echo only-one", "Enter"]);
    m.ok(&["send-keys", "-t", "a2", "echo only-two", "Enter"]);
    one.until(10, "a1's rows", |v| {
        kind(v) == "ROWS" && rows_text(&v["payload"]).iter().any(|t| t == "only-one")
    });
    two.until(10, "a2's rows", |v| {
        kind(v) == "ROWS" && rows_text(&v["payload"]).iter().any(|t| t == "only-two")
    });
    m.ok(&["agent-share", "-t", "a1", "team", "x=1"]);
    m.ok(&["agent-share", "-t", "a2", "team", "y=1"]);
    two.until(10, "a2's share", |v| {
        kind(v) == "ACTIVITY" && v["payload"]["key"] == "y"
    });
    one.until(10, "a2's share, seen by all", |v| {
        kind(v) == "ACTIVITY" && v["payload"]["key"] == "y"
    });
    for v in &one.seen {
        if matches!(kind(v), "SCREEN" | "ROWS") {
            assert_eq!(v["agent_id"], "agent:a1", "{v}");
        }
    }
    for v in &two.seen {
        if matches!(kind(v), "SCREEN" | "ROWS") {
            assert_eq!(v["agent_id"], "agent:a2", "{v}");
        }
        if kind(v) == "ACTIVITY" && v["payload"]["type"] == "share" {
            assert_eq!(v["agent_id"], "agent:a2", "{v}");
        }
    }
}

const BROWSER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/python/dashboard_browser.py"
);

/// What the browser test needs, if something is missing.
fn browser_missing() -> Option<String> {
    for p in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
        if !std::path::Path::new(p).exists() {
            return Some(p.to_string());
        }
    }
    let selenium = std::process::Command::new("python3")
        .args(["-c", "import selenium"])
        .output()
        .is_ok_and(|o| o.status.success());
    (!selenium).then(|| "python3's selenium".to_string())
}

/// The page in headless Chromium: tabs with statuses, a share in the
/// stream within a second, the filter, a tab's screen, typing into the
/// pane, Alt+digit; screenshots under target/dashboard/. `.ci/run`
/// installs Chromium, its driver and Selenium; without them this test says
/// so and passes.
#[test]
fn the_dashboard_in_a_real_browser() {
    if let Some(what) = browser_missing() {
        eprintln!("skipped: {what} is not installed");
        return;
    }
    let m = Mux::new();
    for a in ["a1", "a2", "a3"] {
        let program = format!("echo {a} ready; exec sh");
        m.ok(&[
            "new-session",
            "-d",
            "-s",
            a,
            "-x",
            "70",
            "-y",
            "10",
            "-G",
            "shell",
            &program,
        ]);
    }
    m.ok(&["agent-join-group", "-t", "a1", "team"]);
    m.ok(&["agent-join-group", "-t", "a2", "team"]);
    m.ok(&["set-agent", "-t", "a3", "-s", "waiting"]);
    let w = Web::start(&m);
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/target/dashboard");
    let out = m
        .command_as("python3", &[BROWSER, &w.url, BIN, shots])
        .output()
        .expect("run the browser driver");
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("ok"),
        "browser test: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A past run: focusing an agent that ended shows its transcript, result
/// and messages, from the files and the store, not a live pane.
#[test]
fn a_past_run_shows_its_transcript_and_result() {
    let m = Mux::new();
    m.runner_agent("boss");
    let program = format!("echo past-marker; {BIN} agent-done finished-well; exec sleep 1000");
    m.ok(&["agent-type", "once", "--", "sh", "-c", &program]);
    m.inside_ok(
        "boss",
        &["agent-spawn", "-T", "once", "-n", "kid", "-m", "run", "x"],
    );
    m.inside_ok("boss", &["agent-wait", "-t", "kid", "--timeout", "20"]);
    let w = Web::start(&m);
    let mut d = w.connect("");
    let list = d.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    let kid = list["payload"]["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["session"] == "kid")
        .cloned()
        .expect("the ended agent is listed");
    assert_eq!(kid["status"], "completed");
    assert_eq!(kid["result"], "finished-well");
    let key = kid["key"].as_str().unwrap();
    d.send("FOCUS_AGENT", Some(key), json!({"agent_id": key}));
    let t = d.until(10, "TRANSCRIPT", |v| kind(v) == "TRANSCRIPT");
    assert_eq!(t["agent_id"], key);
    let output = t["payload"]["output"].as_str().unwrap();
    assert!(output.lines().any(|l| l == "past-marker"), "{output}");
    assert_eq!(t["payload"]["agent"]["result"], "finished-well");
    assert!(
        !d.seen.iter().any(|v| kind(v) == "SCREEN"),
        "no live screen for a past run"
    );
}

/// The dashboard's save and restore buttons: agent-group-save and
/// agent-group-restore, run as whoever started `agmux web`.
#[test]
fn groups_are_saved_and_restored_from_the_dashboard() {
    let m = Mux::new();
    agents(&m);
    m.ok(&["agent-share", "-t", "a1", "team", "plan=ready"]);
    let w = Web::start(&m);
    let mut d = w.connect("");
    d.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    let file = m.dir.join("saved-team.json");
    let path = file.to_str().unwrap();
    d.send("GROUP_SAVE", None, json!({"group": "team", "file": path}));
    let done = d.until(10, "DONE", |v| kind(v) == "DONE");
    assert_eq!(done["payload"]["file"], path);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["group"], "team");
    assert_eq!(saved["context"][0]["key"], "plan");
    d.send("GROUP_RESTORE", None, json!({"file": path}));
    d.until(10, "DONE restoring", |v| {
        kind(v) == "DONE" && v["payload"]["what"] == "GROUP_RESTORE"
    });
    d.send(
        "GROUP_RESTORE",
        None,
        json!({"file": "/nonexistent/x.json"}),
    );
    let e = d.until(10, "ERROR", |v| kind(v) == "ERROR");
    assert_eq!(
        e["payload"]["message"],
        "GROUP_RESTORE: /nonexistent/x.json: No such file or directory"
    );
}

/// Reads of shared context are events (an agent's first read of each
/// version), so the overview can draw writer → key → reader.
#[test]
fn context_reads_reach_the_dashboard_as_edges() {
    let m = Mux::new();
    m.runner_agent("r");
    m.ok(&["agent-join-group", "-t", "r", "team"]);
    m.ok(&["agent-share", "-t", "r", "team", "plan=v1"]);
    let w = Web::start(&m);
    let mut d = w.connect("");
    d.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    let reads = |d: &Dash| {
        d.seen
            .iter()
            .filter(|v| kind(v) == "ACTIVITY" && v["payload"]["type"] == "read-context")
            .count()
    };
    m.inside_ok("r", &["agent-context", "team", "plan"]);
    let e = d.until(10, "read-context", |v| {
        v["payload"]["type"] == "read-context"
    });
    assert_eq!(e["agent_id"], "agent:r");
    assert_eq!(e["payload"]["key"], "plan");
    assert_eq!(e["payload"]["version"], 1);
    // The same version again is no new edge; the next version is.
    m.inside_ok("r", &["agent-context", "team"]);
    m.ok(&["agent-share", "-t", "r", "team", "plan=v2"]);
    m.inside_ok("r", &["agent-context", "--json", "team"]);
    let e = d.until(10, "read of v2", |v| {
        v["payload"]["type"] == "read-context" && v["payload"]["version"] == 2
    });
    assert_eq!(e["payload"]["detail"], "team: read plan v2");
    assert_eq!(reads(&d), 2);
    // The operator's reads are not the agents' edges.
    m.ok(&["agent-context", "team"]);
    m.ok(&["agent-share", "-t", "r", "team", "done=1"]);
    d.until(10, "the last share", |v| v["payload"]["key"] == "done");
    assert_eq!(reads(&d), 2);
}

/// On every address, any host name may reach it (the token decides), it
/// warns that it is reachable, and a page of another origin is still
/// refused.
#[test]
fn listening_beyond_loopback_warns_and_still_checks_origin() {
    use std::io::BufRead;
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "a"]);
    let mut w = Web::start_on(&m, "0.0.0.0:0", true);
    let mut warning = String::new();
    std::io::BufReader::new(w.stderr.take().unwrap())
        .read_line(&mut warning)
        .unwrap();
    assert!(
        warning.starts_with("web: warning: listening on 0.0.0.0:"),
        "{warning}"
    );
    let named = format!("box.example:{}", w.port);
    let page = format!("/?token={}", w.token);
    assert_eq!(w.get(&page, &[("Host", &named)]).0, 200);
    assert_eq!(w.get("/", &[("Host", &named)]).0, 401);
    let own = format!("http://{named}");
    assert_eq!(w.get(&page, &[("Host", &named), ("Origin", &own)]).0, 200);
    let other = format!("http://{}", w.host());
    assert_eq!(w.get(&page, &[("Host", &named), ("Origin", &other)]).0, 403);
}

/// The dashboard follows a server that was killed and started again: the
/// same browser connection gets the state afresh and the events after.
#[test]
fn a_browser_stays_connected_through_a_server_restart() {
    let m = Mux::new();
    agents(&m);
    let w = Web::start(&m);
    let mut d = w.connect("");
    d.until(10, "AGENT_LIST", |v| kind(v) == "AGENT_LIST");
    let pid = m.server_pid().unwrap();
    // SAFETY: kill sends a signal to a process we started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    eventually(10, "the server gone", || (!Mux::alive(pid)).then_some(()));
    m.ok(&["new-session", "-d", "-s", "a1", "-G", "shell", "--resume"]);
    let list = d.until(20, "AGENT_LIST again", |v| kind(v) == "AGENT_LIST");
    let keys: Vec<&str> = list["payload"]["agents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["key"].as_str())
        .collect();
    assert!(keys.contains(&"agent:a1"), "{list}");
    m.ok(&["agent-share", "-t", "a1", "team", "after=restart"]);
    d.until(10, "a share after the restart", |v| {
        kind(v) == "ACTIVITY" && v["payload"]["key"] == "after"
    });
}
