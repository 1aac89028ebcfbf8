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
                } else {
                    plain(&event)
                };
                let mut out = stdout.lock();
                // A reader that went away ends the subscription quietly.
                if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
                    return 0;
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
    if s("type") == "output" {
        return s("data").trim_end_matches('\n').to_string();
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
