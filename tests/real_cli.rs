//! Message delivery into a real agent CLI: Claude Code, at its composer,
//! with a fake API key and no network (its API calls fail at once, or
//! after a few retries). Slow and needing the CLI, these tests are ignored
//! by `cargo test`; `.ci/run` installs Claude Code and runs them:
//!
//!     AGMUX_TEST_CLAUDE=/path/to/claude cargo test --test real_cli -- --ignored

mod common;
use common::{Mux, eventually};
use serde_json::Value;

fn json(s: &str) -> Value {
    serde_json::from_str(s.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn claude_binary() -> String {
    std::env::var("AGMUX_TEST_CLAUDE").unwrap_or_else(|_| {
        panic!("set AGMUX_TEST_CLAUDE to a claude executable (.ci/run installs one)")
    })
}

/// A lead agent and an agent type `claude` that runs Claude Code offline,
/// its first-run screens answered in its configuration; `retries` is how
/// many times it retries its (failing) API call, so how long it stays busy.
fn claude_type(m: &Mux, name: &str, retries: u32) {
    let work = m.dir.join("work");
    let home = m.dir.join("claude-home");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let work = work.canonicalize().unwrap();
    let key = "sk-ant-fake";
    let config = serde_json::json!({
        "hasCompletedOnboarding": true,
        "customApiKeyResponses": {"approved": [key], "rejected": []},
        "projects": {work.display().to_string(): {"hasTrustDialogAccepted": true}},
    });
    std::fs::write(home.join(".claude.json"), config.to_string()).unwrap();
    let env = |k: &str, v: &str| format!("{k}={v}");
    let h = home.display().to_string();
    let mut args: Vec<String> = vec!["agent-type".into(), "--inject".into()];
    for kv in [
        env("HOME", &h),
        env("CLAUDE_CONFIG_DIR", &h),
        env("ANTHROPIC_API_KEY", key),
        // A closed port: every API call fails, at once.
        env("ANTHROPIC_BASE_URL", "http://127.0.0.1:9"),
        env("DISABLE_AUTOUPDATER", "1"),
        env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
        env("CLAUDE_CODE_MAX_RETRIES", &retries.to_string()),
    ] {
        args.push("-e".into());
        args.push(kv);
    }
    args.extend([
        "-c".into(),
        work.display().to_string(),
        name.into(),
        "--".into(),
        claude_binary(),
    ]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "lead",
        "-G",
        "shell",
        "exec sleep 1000",
    ]);
    m.ok(&["set", "-s", "agent-deliver-quiet", "300"]);
    m.ok(&refs);
}

/// Spawns a Claude Code agent and waits for its empty composer, and for it
/// to go idle (when agmux learns how its empty input line looks).
fn spawn_claude(m: &Mux, kind: &str, name: &str) -> String {
    let key = m.line(&[
        "agent-spawn",
        "-t",
        "lead",
        "-T",
        kind,
        "-m",
        "session",
        "-n",
        name,
        "-P",
        "x",
    ]);
    eventually(60, "Claude Code's composer", || {
        m.capture(name).contains("? for shortcuts").then_some(())
    });
    eventually(30, "the agent idle", || {
        (m.display(name, "#{agent_status}") == "idle").then_some(())
    });
    key
}

/// The pane's text with its history, no-break spaces as spaces: Claude
/// Code shows what it was given as `❯ text` lines.
fn transcript(m: &Mux, name: &str) -> String {
    m.ok(&["capture-pane", "-p", "-S", "-", "-t", name])
        .replace('\u{a0}', " ")
}

fn delivery(m: &Mux, key: &str, n: usize) -> (String, String) {
    let v = json(&m.ok(&["agent-inbox", "-t", key, "--json"]));
    let d = v[n]["delivery"].as_str().unwrap_or("").to_string();
    let note = v[n]["note"].as_str().unwrap_or("").to_string();
    (d, note)
}

/// The composer's line: ❯, a no-break space, and what it holds.
fn composer(m: &Mux, name: &str) -> String {
    m.capture(name)
        .lines()
        .rfind(|l| l.starts_with('❯'))
        .unwrap_or("")
        .trim_start_matches('❯')
        .trim_start_matches('\u{a0}')
        .trim_end()
        .to_string()
}

#[test]
#[ignore = "needs Claude Code (AGMUX_TEST_CLAUDE); .ci/run runs it"]
fn claude_code_gets_messages_whole_and_never_glued_to_a_draft() {
    let m = Mux::new();
    claude_type(&m, "claude", 0);
    let key = spawn_claude(&m, "claude", "cc");

    // A person's draft in the composer: the message waits, then goes
    // alone once the person clears it (Esc twice).
    m.ok(&["send-keys", "-t", "cc", "-l", "typed by hand"]);
    eventually(10, "the draft", || {
        (composer(&m, "cc") == "typed by hand").then_some(())
    });
    m.ok(&["agent-send", "-t", "cc", "INJECTED one"]);
    eventually(10, "the message to wait", || {
        let (d, note) = delivery(&m, &key, 0);
        (d == "queued" && note == "someone has typed into its input line").then_some(())
    });
    assert_eq!(composer(&m, "cc"), "typed by hand");
    m.ok(&["send-keys", "-t", "cc", "Escape", "Escape"]);
    eventually(30, "the message delivered", || {
        (delivery(&m, &key, 0).0 == "delivered").then_some(())
    });
    let t = transcript(&m, "cc");
    assert!(t.contains("❯ INJECTED one\n"), "{t}");
    assert!(!t.contains("typed by handINJECTED"), "{t}");

    // Several lines, then two messages back to back.
    m.ok(&["agent-send", "-t", "cc", "line one\nline two\nline three"]);
    m.ok(&["agent-send", "-t", "cc", "first of two"]);
    m.ok(&["agent-send", "-t", "cc", "second of two"]);
    eventually(60, "all delivered", || {
        (1..=3)
            .all(|i| delivery(&m, &key, i).0 == "delivered")
            .then_some(())
    });
    let t = transcript(&m, "cc");
    assert!(t.contains("❯ line one\n  line two\n  line three\n"), "{t}");
    let first = t.find("❯ first of two\n").expect(&t);
    let second = t.find("❯ second of two\n").expect(&t);
    assert!(first < second, "{t}");
}

#[test]
#[ignore = "needs Claude Code (AGMUX_TEST_CLAUDE); .ci/run runs it"]
fn claude_code_putting_its_prompt_back_after_esc_gets_nothing_glued_on() {
    let m = Mux::new();
    // Retrying its API call keeps it busy for seconds: time for Esc.
    claude_type(&m, "claude", 4);
    let key = spawn_claude(&m, "claude", "cs");
    m.ok(&["agent-send", "-t", "cs", "please work"]);
    eventually(30, "busy with it", || {
        let title = m.display("cs", "#{pane_title}");
        let spinning = title
            .chars()
            .next()
            .is_some_and(|c| ('\u{2801}'..='\u{28ff}').contains(&c));
        (spinning && delivery(&m, &key, 0).0 == "delivered").then_some(())
    });
    // Interrupted, Claude Code puts the prompt back into its composer.
    m.ok(&["send-keys", "-t", "cs", "Escape"]);
    eventually(20, "the prompt back", || {
        (composer(&m, "cs") == "please work").then_some(())
    });
    m.ok(&["agent-send", "-t", "cs", "second"]);
    eventually(10, "the message to wait", || {
        let (d, note) = delivery(&m, &key, 1);
        (d == "queued" && !note.is_empty()).then_some(())
    });
    assert_eq!(composer(&m, "cs"), "please work");
    assert!(!m.capture("cs").contains("please worksecond"));
}
