//! `agmux mcp` driven by the official MCP Python SDK (tests/mcp/client.py):
//! the tools and their schemas, spawning workers whose results are pushed
//! as notifications, a negotiation over sessions_send with waits,
//! compare-and-set on shared context, identity from the process tree, a
//! depth-limited child not offered sessions_spawn, and a server restart
//! under a connected client.

mod common;
use common::{BIN, Mux, SLEEP, eventually, sh_quote};
use serde_json::{Value, json};

const CLIENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mcp/client.py");

fn parse(stdout: &str) -> Value {
    let line = stdout.lines().last().unwrap_or("");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("no JSON from the client ({e}): {stdout}"))
}

/// Runs the client with `steps` as the operator.
fn mcp(m: &Mux, steps: Value) -> Value {
    let out = m
        .command_as("python3", &[CLIENT, &steps.to_string()])
        .env("AGMUX_BIN", BIN)
        .output()
        .expect("run the MCP client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse(&stdout)
}

/// Runs the client with `steps` inside runner `name`'s pane: as its agent.
fn mcp_inside(m: &Mux, name: &str, steps: Value) -> Value {
    let script = format!(
        "AGMUX_BIN={BIN} exec python3 {CLIENT} {}",
        sh_quote(&steps.to_string())
    );
    let r = m.inside_sh(name, &script);
    assert_eq!(r.code, 0, "client failed: {}", r.stderr);
    parse(&r.stdout)
}

fn tool_names(v: &Value) -> Vec<String> {
    v["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

/// A call's text, which must not be an error.
fn ok_text(call: &Value) -> Value {
    assert_eq!(call["error"], false, "{call}");
    serde_json::from_str(call["text"].as_str().unwrap()).unwrap_or(Value::Null)
}

#[test]
fn tools_and_their_schemas() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "base", SLEEP]);
    let v = mcp(&m, json!([{"list": true}]));
    let names = tool_names(&v);
    for t in [
        "sessions_spawn",
        "sessions_send",
        "sessions_list",
        "sessions_history",
        "sessions_reply",
        "sessions_inbox",
        "sessions_wait",
        "sessions_done",
        "context_share",
        "context_get",
        "groups_join",
        "groups_leave",
        "groups_list",
        "peers_list",
        "status_report",
    ] {
        assert!(names.contains(&t.to_string()), "{t} missing from {names:?}");
    }
    let spawn = v["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "sessions_spawn")
        .unwrap();
    let props = &spawn["schema"]["properties"];
    for p in [
        "task",
        "agent",
        "mode",
        "label",
        "cwd",
        "runTimeoutSeconds",
        "attachments",
    ] {
        assert!(props.get(p).is_some(), "sessions_spawn lacks {p}: {spawn}");
    }
    assert_eq!(spawn["schema"]["required"], json!(["task"]));
    assert!(spawn["description"].as_str().unwrap().contains("result"));
    let send = v["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "sessions_send")
        .unwrap();
    for p in ["sessionKey", "label", "message", "timeoutSeconds", "thread"] {
        assert!(send["schema"]["properties"].get(p).is_some(), "{send}");
    }
    // Errors are tool errors with the command's own line.
    let v = mcp(
        &m,
        json!([{"call": "sessions_send", "args": {"sessionKey": "agent:nobody", "message": "x"}}]),
    );
    assert_eq!(v["calls"][0]["error"], true);
    assert_eq!(v["calls"][0]["text"], "can't find agent: agent:nobody");
}

#[test]
fn three_workers_results_arrive_as_notifications() {
    let m = Mux::new();
    m.runner_agent("coord");
    let worker = m.dir.join("worker.sh");
    std::fs::write(
        &worker,
        format!("#!/bin/sh\nsum=$(seq $1 $2 | awk '{{s+=$1}} END {{print s}}')\n{BIN} agent-done \"$sum\"\n"),
    )
    .unwrap();
    std::fs::set_permissions(&worker, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    m.ok(&[
        "agent-type",
        "worker",
        "--",
        "sh",
        "-c",
        &format!("{} {{task}}", worker.display()),
    ]);
    let spawn =
        |task: &str| json!({"call": "sessions_spawn", "args": {"task": task, "agent": "worker"}});
    let v = mcp_inside(
        &m,
        "coord",
        json!([spawn("1 30"), spawn("31 60"), spawn("61 100"), {"logs": 3, "timeout": 30}]),
    );
    for c in v["calls"].as_array().unwrap() {
        let r = ok_text(c);
        assert!(
            r["sessionKey"]
                .as_str()
                .unwrap()
                .starts_with("agent:coord:sub:"),
            "{r}"
        );
    }
    let logs = v["logs"].as_array().unwrap();
    assert_eq!(logs.len(), 3, "{v}");
    let mut sums: Vec<&str> = logs.iter().map(|l| l["result"].as_str().unwrap()).collect();
    sums.sort_unstable();
    assert_eq!(sums, ["1365", "3220", "465"]);
    assert!(
        logs.iter()
            .all(|l| l["type"] == "result" && l["status"] == "completed")
    );
}

#[test]
fn a_negotiation_over_sessions_send_with_waits() {
    let m = Mux::new();
    m.runner_agent("a");
    // b answers what is typed to it: twice with a counter offer, then
    // REPLY_SKIP.
    let negotiator = m.dir.join("negotiate.sh");
    std::fs::write(
        &negotiator,
        format!(
            "#!/bin/sh\nn=0\nwhile read line; do\n\
               t=$({BIN} agent-inbox --unread --json | sed -n 's/.*\"thread\":\"\\([^\"]*\\)\".*/\\1/p' | tail -1)\n\
               {BIN} agent-inbox --mark-read > /dev/null\n\
               n=$((n+1))\n\
               if [ $n -lt 3 ]; then {BIN} agent-reply $t \"counter $n to: $line\"; else {BIN} agent-reply $t REPLY_SKIP; fi\n\
             done\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &negotiator,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    m.ok(&[
        "agent-type",
        "--inject",
        "negotiator",
        "--",
        negotiator.to_str().unwrap(),
    ]);
    m.ok(&["set", "-s", "agent-deliver-quiet", "100"]);
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "b",
        "-G",
        "negotiator",
        negotiator.to_str().unwrap(),
    ]);
    let send = |msg: &str| json!({"call": "sessions_send", "args": {"sessionKey": "b", "message": msg, "timeoutSeconds": 20}});
    let v = mcp_inside(&m, "a", json!([send("offer 10")]));
    let first = ok_text(&v["calls"][0]);
    assert_eq!(first["status"], "replied");
    assert_eq!(first["reply"], "counter 1 to: offer 10");
    let thread = first["thread"].as_str().unwrap();
    let on = |msg: &str| json!({"call": "sessions_send", "args": {"sessionKey": "b", "message": msg, "timeoutSeconds": 20, "thread": thread}});
    let v = mcp_inside(
        &m,
        "a",
        json!([on("offer 12"), on("offer 15"), on("offer 16")]),
    );
    assert_eq!(ok_text(&v["calls"][0])["reply"], "counter 2 to: offer 12");
    assert_eq!(ok_text(&v["calls"][1])["reply"], "REPLY_SKIP");
    assert_eq!(v["calls"][2]["error"], true);
    assert_eq!(
        v["calls"][2]["text"],
        format!("thread {thread} has ended (REPLY_SKIP)")
    );
}

#[test]
fn shared_context_with_compare_and_set_written_as_the_caller() {
    let m = Mux::new();
    m.runner_agent("a");
    m.runner_agent("b");
    m.inside_ok("b", &["agent-join-group", "other"]);
    let t = m.line(&["agent-send", "-t", "b", "--no-inject", "for b only"]);
    let share = |args: Value| json!({"call": "context_share", "args": args});
    let v = mcp_inside(
        &m,
        "a",
        json!([
            {"call": "groups_join", "args": {"group": "dev"}},
            share(json!({"group": "dev", "key": "plan", "value": "lexer first", "ifVersion": 0})),
            share(json!({"group": "dev", "key": "plan", "value": "again", "ifVersion": 0})),
            share(json!({"group": "dev", "key": "plan", "value": {"step": 2}, "ifVersion": 1})),
            {"call": "context_get", "args": {"group": "dev", "key": "plan"}},
            // Not as anyone else: not b's thread, not b's group.
            {"call": "sessions_reply", "args": {"thread": t, "message": "forged"}},
            share(json!({"group": "other", "key": "k", "value": "forged"})),
        ]),
    );
    let c = &v["calls"];
    assert_eq!(ok_text(&c[1])["version"], 1);
    assert_eq!(c[2]["error"], true);
    assert_eq!(
        c[2]["text"],
        "version conflict on plan: expected 0, current is 1"
    );
    let entry = ok_text(&c[4]);
    assert_eq!(
        (entry["version"].clone(), entry["value"]["step"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(entry["writer"], "agent:a");
    assert_eq!(c[5]["error"], true);
    assert_eq!(c[5]["text"], format!("agent:a is not in thread {t}"));
    assert_eq!(
        c[6]["text"],
        "agent:a may not write to group other: it is not a member"
    );
}

#[test]
fn a_child_that_may_not_spawn_is_not_offered_sessions_spawn() {
    let m = Mux::new();
    m.runner_agent("p");
    m.ok(&[
        "agent-type",
        "--deny-tools",
        "sessions_send",
        "limited",
        "--",
        "sh",
        "-c",
        "{task}",
    ]);
    let out = m.dir.join("child-tools.json");
    let task = format!(
        "AGMUX_BIN={BIN} python3 {CLIENT} '[{{\"list\": true}}]' > {o}.part && mv {o}.part {o}; exec sleep 1000",
        o = out.display()
    );
    m.inside_ok(
        "p",
        &["agent-spawn", "-T", "limited", "-m", "session", &task],
    );
    // Renamed into place once whole, so a read never sees half of it.
    let text = eventually(30, "the child's tools", || {
        std::fs::read_to_string(&out).ok().filter(|s| !s.is_empty())
    });
    let names = tool_names(&parse(&text));
    assert!(!names.contains(&"sessions_spawn".to_string()), "{names:?}");
    assert!(!names.contains(&"sessions_send".to_string()), "{names:?}");
    assert!(names.contains(&"sessions_done".to_string()), "{names:?}");
    // Its parent, at depth 0, is offered it.
    let v = mcp_inside(&m, "p", json!([{"list": true}]));
    assert!(tool_names(&v).contains(&"sessions_spawn".to_string()));
}

#[test]
fn a_connected_client_survives_a_server_restart() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "base", SLEEP]);
    let mark = |n: &str| m.dir.join(format!("mark-{n}")).display().to_string();
    let list = json!({"call": "sessions_list", "args": {}});
    let steps = json!([
        list, {"touch": mark("1")},
        {"wait_file": mark("down")}, list, {"touch": mark("2")},
        {"wait_file": mark("up")}, list,
    ]);
    let child = m
        .command_as("python3", &[CLIENT, &steps.to_string()])
        .env("AGMUX_BIN", BIN)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the client");
    eventually(30, "the first call", || std::fs::metadata(mark("1")).ok());
    let pid = m.server_pid().unwrap();
    // SAFETY: kill sends a signal to a process we started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    eventually(10, "the server gone", || (!Mux::alive(pid)).then_some(()));
    std::fs::write(mark("down"), "").unwrap();
    eventually(30, "the call while it is down", || {
        std::fs::metadata(mark("2")).ok()
    });
    m.ok(&["new-session", "-d", "-s", "again", SLEEP]);
    std::fs::write(mark("up"), "").unwrap();
    let out = child.wait_with_output().expect("client output");
    let v = parse(&String::from_utf8_lossy(&out.stdout));
    let c = &v["calls"];
    assert_eq!(c[0]["error"], false);
    assert_eq!(c[1]["error"], true);
    assert!(
        c[1]["text"]
            .as_str()
            .unwrap()
            .starts_with("no server running on "),
        "{c}"
    );
    assert_eq!(c[2]["error"], false, "{c}");
}

#[test]
fn protocol_garbage_gets_json_rpc_errors_and_the_server_goes_on() {
    use std::io::{BufRead, Write};
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "base", SLEEP]);
    let mut child = m
        .command(&["mcp"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start agmux mcp");
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || -> Value { serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap() };
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"}}});
    writeln!(stdin, "{init}").unwrap();
    assert_eq!(next()["id"], 1);
    writeln!(
        stdin,
        "{}",
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
    )
    .unwrap();
    writeln!(stdin, "this is not json {{").unwrap();
    let e = next();
    assert_eq!(
        (e["error"]["code"].clone(), e["id"].clone()),
        (json!(-32700), Value::Null)
    );
    writeln!(
        stdin,
        "{}",
        json!({"jsonrpc": "2.0", "id": 2, "method": "no/such"})
    )
    .unwrap();
    assert_eq!(next()["error"]["code"], -32601);
    let call = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "sessions_list", "arguments": {}}});
    writeln!(stdin, "{call}").unwrap();
    let r = next();
    assert_eq!(
        (r["id"].clone(), r["result"]["isError"].clone()),
        (json!(3), json!(false))
    );
    drop(stdin);
    assert!(
        child.wait().unwrap().success(),
        "it ends when its input does"
    );
}
