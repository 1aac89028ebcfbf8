//! Usage meters: tokens in and out, cost and model per agent, added up per
//! group and for the server, agent-max-cost, and the glue that reports
//! them from agent CLIs (Claude Code's status line, recorded here).

mod common;
use common::{BIN, Mux, sh_quote};
use serde_json::Value;

fn json(s: &str) -> Value {
    serde_json::from_str(s.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

#[test]
fn agents_report_usage_and_it_adds_up() {
    let m = Mux::new();
    m.runner_agent("a");
    m.runner_agent("b");
    m.inside_ok("a", &["agent-join-group", "g"]);
    m.inside_ok("b", &["agent-join-group", "g"]);
    m.inside_ok(
        "a",
        &[
            "set-agent",
            "--tokens-in",
            "100",
            "--tokens-out",
            "50",
            "--cost",
            "0.10",
        ],
    );
    m.inside_ok("a", &["set-agent", "--tokens-in", "10", "--cost", "0.05"]);
    let v = json(&m.ok(&["show-agent", "-t", "a", "--json"]));
    assert_eq!(
        (
            v["tokens_in"].as_u64(),
            v["tokens_out"].as_u64(),
            v["tokens"].as_u64()
        ),
        (Some(110), Some(50), Some(160))
    );
    assert_eq!(m.display("a", "#{agent_cost}"), "0.15");
    // Totals replace what was reported.
    m.inside_ok(
        "b",
        &[
            "set-agent",
            "--totals",
            "--tokens-in",
            "1000",
            "--cost",
            "1.5",
            "--model",
            "m1",
        ],
    );
    m.inside_ok(
        "b",
        &[
            "set-agent",
            "--totals",
            "--tokens-in",
            "1200",
            "--cost",
            "2",
        ],
    );
    assert_eq!(
        m.display("b", "#{agent_tokens_in} #{agent_cost} #{agent_model}"),
        "1200 2.00 m1"
    );
    assert_eq!(
        m.ok(&["list-agent-groups"]),
        "g: 2 members, coordinator agent:a, 0 keys (0 bytes); 1360 tokens, $2.15\n"
    );
    assert_eq!(m.line(&["display-message", "-p", "#{agents_cost}"]), "2.15");
    let ls = m.ok(&["list-agents"]);
    assert!(ls.contains("  160 tokens, $0.15\n"), "{ls}");
    assert_eq!(
        m.inside_fail("a", &["set-agent", "--cost", "lots"]),
        "invalid cost: lots (dollars, like 0.25)"
    );
    assert_eq!(
        m.inside_fail("a", &["set-agent", "-t", "b", "--cost", "1"]),
        "agent:a may not report usage for agent:b"
    );
}

#[test]
fn agent_max_cost_stops_a_sub_agent_that_spent_too_much() {
    let m = Mux::new();
    m.runner_agent("p");
    m.inside_ok(
        "p",
        &[
            "agent-spawn",
            "-m",
            "session",
            "-n",
            "kid",
            "exec sleep 1000",
        ],
    );
    m.ok(&["set", "-s", "agent-max-cost", "1.00"]);
    m.ok(&["set-agent", "-t", "kid", "--cost", "1.20"]);
    assert_eq!(
        m.fail(&["agent-send", "-t", "kid", "more work"]),
        "agent:p:sub:1 is over its cost: agent-max-cost is 1.00 and it spent 1.20"
    );
}

#[test]
fn claude_codes_status_line_reports_model_and_cost() {
    let m = Mux::new();
    m.runner_agent("w");
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/claude-statusline.json"
    );
    // What Claude Code runs with its status JSON on stdin, as its child.
    let r = m.inside_sh(
        "w",
        &format!("{BIN} integrate claude-statusline < {}", sh_quote(data)),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "agent:w · Opus 4.8 · $0.42\n");
    assert_eq!(
        m.display("w", "#{agent_model} #{agent_cost}"),
        "Opus 4.8 0.42"
    );
    // Run again with the same totals, nothing doubles.
    m.inside_sh(
        "w",
        &format!("{BIN} integrate claude-statusline < {}", sh_quote(data)),
    );
    assert_eq!(m.display("w", "#{agent_cost}"), "0.42");
    // Outside agmux it only prints, and never fails Claude Code.
    let out = m
        .command(&["integrate", "claude-statusline"])
        .stdin(std::fs::File::open(data).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Opus 4.8 · $0.42\n");
}

#[test]
fn integrate_prints_and_installs_claude_codes_settings() {
    let m = Mux::new();
    let printed = m.ok(&["integrate", "claude"]);
    let json_part = printed.split_once('\n').unwrap().1;
    let v = json(json_part);
    assert_eq!(
        v["statusLine"]["command"],
        "agmux integrate claude-statusline"
    );
    assert_eq!(
        v["hooks"]["Stop"][0]["hooks"][0]["command"],
        "agmux set-agent -s waiting"
    );
    // --install merges into what is there, keeping it.
    let dir = m.dir.join("proj");
    std::fs::create_dir_all(dir.join(".claude")).unwrap();
    std::fs::write(
        dir.join(".claude/settings.json"),
        r#"{"model": "opus", "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "mine"}]}]}}"#,
    )
    .unwrap();
    let out = m
        .command(&["integrate", "claude", "--install"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&std::fs::read_to_string(dir.join(".claude/settings.json")).unwrap());
    assert_eq!(v["model"], "opus");
    assert_eq!(v["hooks"]["Stop"].as_array().unwrap().len(), 2);
    assert_eq!(v["hooks"]["Stop"][0]["hooks"][0]["command"], "mine");
    assert_eq!(
        v["statusLine"]["command"],
        "agmux integrate claude-statusline"
    );
    assert!(
        m.ok(&["integrate", "codex"])
            .contains("notify = [\"agmux\", \"integrate\", \"codex-notify\"]")
    );
}
