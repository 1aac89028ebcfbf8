//! `agmux integrate`: the small glue between agent CLIs and agmux, so that
//! a person gets live status and usage meters without writing any.
//!
//!   agmux integrate claude [--install]   Claude Code's hooks and status line
//!   agmux integrate codex                Codex's notify line
//!   agmux integrate claude-statusline    what Claude Code's status line runs
//!   agmux integrate codex-notify JSON    what Codex's notify runs
//!
//! The last two report as the agent whose program runs them (the server
//! tells from the process tree), and never fail the program that runs
//! them: outside agmux they only print.

use super::Captured;
use crate::Global;
use crate::paths::Flavor;
use serde_json::{Value, json};
use std::io::Read;

pub fn run(flavor: Flavor, g: &Global, args: &[String]) -> i32 {
    let what = args.first().map(String::as_str).unwrap_or("");
    let rest = &args[args.len().min(1)..];
    match what {
        "claude" => claude(rest),
        "codex" => {
            println!("# ~/.codex/config.toml: Codex tells agmux when a turn is done");
            println!("notify = [\"agmux\", \"integrate\", \"codex-notify\"]");
            0
        }
        "claude-statusline" => claude_statusline(flavor, g),
        "codex-notify" => codex_notify(flavor, g, rest),
        _ => {
            eprintln!("usage: agmux integrate claude [--install] | codex");
            1
        }
    }
}

/// What Claude Code's settings need: hooks that say when it works and
/// when it waits, and a status line that reports its model and cost.
fn claude_settings() -> Value {
    let hook = |status: &str| json!([{"hooks": [{"type": "command", "command": format!("agmux set-agent -s {status}")}]}]);
    json!({
        "hooks": {
            "UserPromptSubmit": hook("active"),
            "Stop": hook("waiting"),
            "Notification": hook("waiting"),
        },
        "statusLine": {"type": "command", "command": "agmux integrate claude-statusline"},
    })
}

fn claude(args: &[String]) -> i32 {
    let ours = claude_settings();
    if !args.iter().any(|a| a == "--install") {
        println!("// .claude/settings.json (or ~/.claude/settings.json); --install merges it");
        println!(
            "{}",
            serde_json::to_string_pretty(&ours).unwrap_or_default()
        );
        return 0;
    }
    let path = std::path::Path::new(".claude/settings.json");
    let mut settings: Value = match std::fs::read_to_string(path) {
        Ok(text) => match serde_json::from_str(&text) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                eprintln!("{}: not a JSON object: left as it is", path.display());
                return 1;
            }
        },
        Err(_) => json!({}),
    };
    merge(&mut settings, &ours);
    let text = serde_json::to_string_pretty(&settings).unwrap_or_default();
    let written =
        std::fs::create_dir_all(".claude").and_then(|()| std::fs::write(path, text + "\n"));
    match written {
        Ok(()) => {
            println!("agmux hooks and status line merged into {}", path.display());
            0
        }
        Err(e) => {
            eprintln!("can't write {}: {e}", path.display());
            1
        }
    }
}

/// Adds ours to theirs: hook lists get our entries (once), objects merge,
/// and what they set already wins.
fn merge(theirs: &mut Value, ours: &Value) {
    match (theirs, ours) {
        (Value::Object(t), Value::Object(o)) => {
            for (k, v) in o {
                match t.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(o)) => {
            for v in o {
                if !t.contains(v) {
                    t.push(v.clone());
                }
            }
        }
        _ => {}
    }
}

/// Runs agmux words as this process, ignoring failure (not in agmux).
/// Outside every pane nothing is reported: the operator's default target
/// would be some other session's agent.
fn report(flavor: Flavor, g: &Global, words: Vec<String>) -> Option<Captured> {
    let inside = std::env::var_os(flavor.env_var()).is_some_and(|v| !v.is_empty());
    if !inside {
        return None;
    }
    super::capture(flavor, g, words)
        .ok()
        .filter(|c| c.code == 0)
}

fn claude_statusline(flavor: Flavor, g: &Global) -> i32 {
    let mut input = String::new();
    let _ = std::io::stdin().read_to_string(&mut input);
    let v: Value = serde_json::from_str(&input).unwrap_or(Value::Null);
    let model = v["model"]["display_name"]
        .as_str()
        .or_else(|| v["model"]["id"].as_str())
        .unwrap_or("")
        .to_string();
    let cost = v["cost"]["total_cost_usd"].as_f64();
    let mut words = vec!["set-agent".to_string(), "--totals".into()];
    if !model.is_empty() {
        words.extend(["--model".into(), model.clone()]);
    }
    if let Some(c) = cost {
        words.extend(["--cost".into(), format!("{c:.6}")]);
    }
    for (field, flag) in [
        ("total_input_tokens", "--tokens-in"),
        ("total_output_tokens", "--tokens-out"),
    ] {
        if let Some(n) = v["context_window"][field].as_u64() {
            words.extend([flag.into(), n.to_string()]);
        }
    }
    let reported = words.len() > 2 && report(flavor, g, words).is_some();
    let key = if reported {
        report(
            flavor,
            g,
            vec!["show-agent".into(), "-F".into(), "#{agent_key}".into()],
        )
        .map(|c| c.stdout.trim().to_string())
    } else {
        None
    };
    let mut parts = Vec::new();
    if let Some(k) = key {
        parts.push(k);
    }
    if !model.is_empty() {
        parts.push(model);
    }
    if let Some(c) = cost {
        parts.push(format!("${c:.2}"));
    }
    println!("{}", parts.join(" · "));
    0
}

fn codex_notify(flavor: Flavor, g: &Global, args: &[String]) -> i32 {
    let v: Value = args
        .last()
        .and_then(|a| serde_json::from_str(a).ok())
        .unwrap_or(Value::Null);
    if v["type"] == "agent-turn-complete" {
        let words = ["set-agent", "-s", "waiting", "--interaction"];
        report(flavor, g, words.iter().map(|w| w.to_string()).collect());
    }
    0
}
