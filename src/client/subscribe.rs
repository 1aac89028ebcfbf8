//! `agmux subscribe`: the client side of an event subscription. It sends
//! the subscribe frame and prints each event as it comes, flushing each
//! line, until the server goes, cuts it off, or the client is interrupted.

use commands::proto::{self, ClientMsg, PROTOCOL_VERSION, ServerMsg};
use commands::subscribe::Subscribe;
use serde_json::Value;
use std::io::Write;
use std::os::unix::net::UnixStream;

pub fn run(stream: &UnixStream, args: &[String]) -> i32 {
    let sub = match Subscribe::parse(args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let env = std::env::vars_os()
        .map(|(k, v)| format!("{}={}", k.to_string_lossy(), v.to_string_lossy()))
        .collect();
    let request = match sub.request(env) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let mut frames = proto::encode(&ClientMsg::Hello {
        version: PROTOCOL_VERSION,
    });
    frames.extend(proto::encode(&ClientMsg::Subscribe(request)));
    let mut w = stream;
    if let Err(e) = w.write_all(&frames) {
        eprintln!("lost server: {e}");
        return 1;
    }
    let mut r = stream;
    let mut last = None;
    let mut badges = Vec::new();
    let stdout = std::io::stdout();
    loop {
        let body = match proto::read_frame(&mut r) {
            Ok(Some(b)) => b,
            Ok(None) | Err(_) => {
                match last {
                    Some(id) => eprintln!("server exited: resume with --since {id}"),
                    None => eprintln!("server exited"),
                }
                return 1;
            }
        };
        let msg: ServerMsg = match proto::decode(&body) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("{e}");
                return 1;
            }
        };
        match msg {
            ServerMsg::Hello { version, .. } if version != PROTOCOL_VERSION => {
                eprintln!(
                    "protocol version mismatch (client {PROTOCOL_VERSION}, server {version})"
                );
                return 1;
            }
            ServerMsg::Event { event } => {
                if let Some(id) = event.get("id").and_then(Value::as_u64) {
                    last = Some(id);
                }
                let line = if sub.json {
                    event.to_string()
                } else if sub.pretty {
                    pretty(&event, &mut badges)
                } else {
                    plain(&event)
                };
                let screen = event.get("type").and_then(Value::as_str) == Some("screen");
                let mut out = stdout.lock();
                // A reader that went away ends the subscription quietly.
                if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
                    return 0;
                }
                // The next screen update comes once this one is out.
                if screen && proto::write_frame(&mut w, &ClientMsg::Drawn).is_err() {
                    eprintln!("lost server");
                    return 1;
                }
            }
            ServerMsg::Error { message } => {
                eprintln!("{message}");
                return 1;
            }
            _ => {}
        }
    }
}

/// An event as a line of text: `ID TIME TYPE AGENT (by ACTOR): DETAIL`, and
/// a pane's output as it came.
fn plain(e: &Value) -> String {
    let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("");
    match s("type") {
        "output" => return s("data").trim_end_matches('\n').to_string(),
        "screen" => return e.to_string(),
        _ => {}
    }
    let time = s("time").get(11..19).unwrap_or("");
    let by = match s("actor") {
        "" => String::new(),
        a => format!(" (by {a})"),
    };
    let id = e.get("id").and_then(Value::as_u64).unwrap_or(0);
    format!(
        "{id} {time} {} {}{by}: {}",
        s("type"),
        s("agent"),
        s("detail")
    )
}

/// Badge colours (ANSI backgrounds), given to agents in the order they
/// first appear.
const BADGES: [u8; 6] = [44, 42, 43, 41, 45, 46];

/// An event for people: `12:03:04 [worker1] share  team: set plan v2`,
/// the agent's name on its colour, who did it when someone else did.
fn pretty(e: &Value, badges: &mut Vec<String>) -> String {
    let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("");
    if s("type") == "output" || s("type") == "screen" {
        return plain(e);
    }
    let time = commands::util::parse_iso_time(s("time"))
        .map(|us| commands::format::strftime("%H:%M:%S", (us / 1_000_000) as i64))
        .unwrap_or_default();
    let agent = s("agent");
    let badge = if agent.is_empty() {
        String::new()
    } else {
        let i = badges.iter().position(|a| a == agent).unwrap_or_else(|| {
            badges.push(agent.to_string());
            badges.len() - 1
        });
        let name = agent.strip_prefix("agent:").unwrap_or(agent);
        format!("\x1b[30;{}m {name} \x1b[0m ", BADGES[i % BADGES.len()])
    };
    let by = match s("actor") {
        "" => String::new(),
        a if a == agent => String::new(),
        a => format!(
            " \x1b[2m(by {})\x1b[0m",
            a.strip_prefix("agent:").unwrap_or(a)
        ),
    };
    format!(
        "\x1b[2m{time}\x1b[0m {badge}\x1b[1m{}\x1b[0m {}{by}",
        s("type"),
        printable(s("detail"))
    )
}

/// Text an agent wrote, safe to print on a terminal: control characters
/// shown as `^X` or `\\u{..}`, never obeyed.
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{0}'..='\u{1f}' => {
                out.push('^');
                out.push((c as u8 + 64) as char);
            }
            '\u{7f}'..='\u{9f}' => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pretty_lines_badge_agents_in_order_and_defuse_escapes() {
        let mut badges = Vec::new();
        let e = json!({"time": "2026-12-02T05:12:33.000000Z", "type": "share", "agent": "agent:w1",
            "actor": "operator", "detail": "team: set k \u{1b}]0;x\u{7}"});
        let line = pretty(&e, &mut badges);
        assert!(line.contains("\x1b[30;44m w1 \x1b[0m"), "{line:?}");
        assert!(line.contains("team: set k ^[]0;x^G"), "{line:?}");
        assert!(line.contains("(by operator)"), "{line:?}");
        let e = json!({"time": "2026-12-02T05:12:34.000000Z", "type": "status", "agent": "agent:w2", "actor": "agent:w2"});
        let line = pretty(&e, &mut badges);
        assert!(line.contains("\x1b[30;42m w2 \x1b[0m"), "{line:?}");
        assert!(!line.contains("(by"), "{line:?}");
    }
}
