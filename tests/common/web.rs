//! `agmux web` under test: the process, its URL, and a WebSocket client of
//! its protocol. Included by the suites that need it (`#[path]`), not by
//! every test crate through `common`.

use crate::common::Mux;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::{self, Message, client::IntoClientRequest};

pub struct Web {
    child: Child,
    /// Its standard error, when started to read it.
    pub stderr: Option<std::process::ChildStderr>,
    pub url: String,
    pub port: u16,
    pub token: String,
}

impl Web {
    /// Starts `agmux web` on a free loopback port and reads the URL it
    /// prints.
    pub fn start(m: &Mux) -> Web {
        Web::start_on(m, "127.0.0.1:0", false)
    }

    /// Starts it listening on `listen`, its standard error kept to read
    /// if `stderr`.
    pub fn start_on(m: &Mux, listen: &str, stderr: bool) -> Web {
        let mut child = m
            .command(&["web", "--listen", listen])
            .stdout(Stdio::piped())
            .stderr(if stderr {
                Stdio::piped()
            } else {
                Stdio::inherit()
            })
            .spawn()
            .expect("start agmux web");
        let err = child.stderr.take();
        let mut line = String::new();
        let stdout = child.stdout.take().expect("web stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the URL");
        let url = line.trim().to_string();
        let rest = url
            .strip_prefix("http://127.0.0.1:")
            .unwrap_or_else(|| panic!("a loopback URL, not {url:?}"));
        let (port, token) = rest.split_once("/?token=").expect("a token in the URL");
        Web {
            port: port.parse().expect("a port"),
            token: token.to_string(),
            url: url.clone(),
            child,
            stderr: err,
        }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A plain HTTP/1.1 GET with these extra headers: (status, headers,
    /// body).
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
        let mut s = TcpStream::connect(self.host()).expect("connect to web");
        let mut req = format!("GET {path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            req.push_str(&format!("Host: {}\r\n", self.host()));
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).expect("send request");
        let mut resp = String::new();
        s.read_to_string(&mut resp).expect("read response");
        let (head, body) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    /// A dashboard connection with the token in the query.
    pub fn connect(&self, query: &str) -> Dash {
        self.connect_with(&format!("token={}{query}", self.token), &[])
            .expect("connect to /ws")
    }

    pub fn connect_with(&self, query: &str, headers: &[(&str, &str)]) -> Result<Dash, String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let url = format!("ws://{}/ws?{query}", self.host());
        let mut req = url.into_client_request().map_err(|e| e.to_string())?;
        for (k, v) in headers {
            let name: tungstenite::http::HeaderName = k.parse().map_err(|_| "header name")?;
            req.headers_mut()
                .insert(name, v.parse().map_err(|_| "header value")?);
        }
        let ws = rt
            .block_on(tokio_tungstenite::connect_async(req))
            .map_err(|e| e.to_string())?
            .0;
        Ok(Dash {
            rt,
            ws,
            seen: Vec::new(),
        })
    }
}

impl Drop for Web {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One browser's connection, driven synchronously.
pub struct Dash {
    rt: tokio::runtime::Runtime,
    ws: Stream,
    /// Every envelope received, in order.
    pub seen: Vec<Value>,
}

impl Dash {
    pub fn send(&mut self, kind: &str, agent: Option<&str>, payload: Value) {
        use futures_util::SinkExt;
        let msg = json!({
            "protocol": "agmux-dashboard",
            "version": 2,
            "type": kind,
            "agent_id": agent,
            "payload": payload,
        });
        self.rt
            .block_on(self.ws.send(Message::Text(msg.to_string().into())))
            .expect("send to web");
    }

    /// The next envelope within `secs`, if one comes.
    pub fn next(&mut self, secs: f64) -> Option<Value> {
        use futures_util::StreamExt;
        let deadline = Duration::from_secs_f64(secs);
        loop {
            let got = self
                .rt
                .block_on(async { tokio::time::timeout(deadline, self.ws.next()).await });
            match got {
                Ok(Some(Ok(Message::Text(t)))) => {
                    let v: Value = serde_json::from_str(t.as_str()).expect("JSON envelope");
                    assert_eq!(v["protocol"], "agmux-dashboard", "{v}");
                    assert_eq!(v["version"], 2, "{v}");
                    self.seen.push(v.clone());
                    return Some(v);
                }
                Ok(Some(Ok(_))) => continue,
                _ => return None,
            }
        }
    }

    /// Envelopes until one satisfies `want`, within `secs`.
    pub fn until(&mut self, secs: u64, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                panic!("timed out after {secs}s waiting for {what}");
            }
            if let Some(v) = self.next(left.as_secs_f64())
                && want(&v)
            {
                return v;
            }
        }
    }
}

/// The text of a SCREEN or ROWS payload's row `y`, if it has it.
pub fn row_text(payload: &Value, y: u64) -> Option<String> {
    payload["lines"]
        .as_array()?
        .iter()
        .find(|l| l["y"] == y)
        .map(|l| {
            l["runs"]
                .as_array()
                .map(|runs| runs.iter().filter_map(|r| r["t"].as_str()).collect())
                .unwrap_or_default()
        })
}

/// Every row's text in a SCREEN or ROWS payload.
pub fn rows_text(payload: &Value) -> Vec<String> {
    payload["lines"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .map(|l| {
                    l["runs"]
                        .as_array()
                        .map(|runs| runs.iter().filter_map(|r| r["t"].as_str()).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}
