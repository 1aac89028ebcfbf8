//! One browser connection. It has its own subscription to the server's
//! events (resumed from the browser's last event id after a reconnect, and
//! after a server restart), its own filter, and its own focused agent,
//! whose pane's screen comes over a second subscription that follows the
//! focus. Each message to the browser is an envelope
//! `{"protocol":"agmux-dashboard","version":2,"type":…,"agent_id":…,"payload":…}`.

use super::link::Link;
use axum::extract::ws::{Message, WebSocket};
use commands::proto::SubscribeRequest;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

pub const PROTOCOL: &str = "agmux-dashboard";
pub const VERSION: u64 = 2;

/// How often changed agents' records are read again, at most.
const REFRESH: Duration = Duration::from_millis(150);
/// How long to wait before subscribing again after the server went.
const RETRY: Duration = Duration::from_millis(500);

fn envelope(kind: &str, agent: Option<&str>, payload: Value) -> String {
    json!({
        "protocol": PROTOCOL,
        "version": VERSION,
        "type": kind,
        "agent_id": agent,
        "payload": payload,
    })
    .to_string()
}

/// A message for the browser, and who to tell once it is written.
struct Out {
    text: String,
    written: Option<oneshot::Sender<()>>,
}

#[derive(Clone)]
struct Sender(mpsc::UnboundedSender<Out>);

impl Sender {
    fn send(&self, kind: &str, agent: Option<&str>, payload: Value) {
        let text = envelope(kind, agent, payload);
        let _ = self.0.send(Out {
            text,
            written: None,
        });
    }

    /// Sends, and waits until the message is written to the browser's
    /// connection: the pace a screen's updates follow.
    async fn send_written(&self, kind: &str, agent: Option<&str>, payload: Value) -> bool {
        let (tx, rx) = oneshot::channel();
        let text = envelope(kind, agent, payload);
        let out = Out {
            text,
            written: Some(tx),
        };
        self.0.send(out).is_ok() && rx.await.is_ok()
    }

    fn error(&self, agent: Option<&str>, message: &str) {
        self.send("ERROR", agent, json!({ "message": message }));
    }
}

/// Which events go to this browser.
struct Filter {
    global: bool,
    agents: HashSet<String>,
}

impl Filter {
    fn admits(&self, e: &Value) -> bool {
        let field = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("");
        self.global || self.agents.contains(field("agent")) || self.agents.contains(field("actor"))
    }
}

/// What the browser's screen shows: an agent, and the subscription that
/// carries its pane's rows.
struct Focus {
    agent: String,
    pane: Option<String>,
    task: JoinHandle<()>,
}

struct Session {
    link: Link,
    out: Sender,
    filter: Filter,
    focus: Option<Focus>,
    /// Agents whose records changed, and whether each is new.
    dirty: BTreeMap<String, bool>,
    last_id: u64,
    /// The focused screen's task tells its pane here.
    panes: mpsc::UnboundedSender<(String, String)>,
}

pub async fn run(socket: WebSocket, link: Link, since: Option<u64>) {
    let (mut sink, mut stream) = socket.split();
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Out>();
    let writer = tokio::spawn(async move {
        while let Some(o) = out_rx.recv().await {
            if sink.send(Message::Text(o.text.into())).await.is_err() {
                break;
            }
            if let Some(w) = o.written {
                let _ = w.send(());
            }
        }
        let _ = sink.close().await;
    });
    let (ev_tx, mut ev_rx) = mpsc::channel(256);
    let events = tokio::spawn(pump_events(link.clone(), since, ev_tx));
    let (pane_tx, mut pane_rx) = mpsc::unbounded_channel();
    let mut s = Session {
        link,
        out: Sender(out_tx),
        filter: Filter {
            global: true,
            agents: HashSet::new(),
        },
        focus: None,
        dirty: BTreeMap::new(),
        last_id: since.unwrap_or(0),
        panes: pane_tx,
    };
    let mut tick = tokio::time::interval(REFRESH);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            msg = stream.next() => match msg {
                Some(Ok(Message::Text(t))) => s.request(t.as_str()).await,
                Some(Ok(Message::Binary(_))) => s.out.error(None, "bad message: binary frames are not part of the protocol"),
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            ev = ev_rx.recv() => match ev {
                Some(Ok(e)) => s.event(e).await,
                Some(Err(why)) => s.out.error(None, &why),
                None => break,
            },
            Some((agent, pane)) = pane_rx.recv() => {
                if let Some(f) = s.focus.as_mut().filter(|f| f.agent == agent) {
                    f.pane = Some(pane);
                }
            }
            _ = tick.tick(), if !s.dirty.is_empty() => s.refresh().await,
        }
    }
    events.abort();
    if let Some(f) = s.focus.take() {
        f.task.abort();
    }
    drop(s);
    let _ = writer.await;
}

/// The server's events, resumed after the last one seen whenever the
/// subscription breaks (the server restarted); each (re)subscription
/// starts with a `subscribed` event.
async fn pump_events(link: Link, since: Option<u64>, tx: mpsc::Sender<Result<Value, String>>) {
    let mut since = since;
    let mut told = false;
    loop {
        let req = SubscribeRequest {
            since,
            announce: true,
            ..SubscribeRequest::default()
        };
        match link.subscribe(req).await {
            Ok(mut sub) => {
                told = false;
                loop {
                    match sub.next().await {
                        Ok(e) => {
                            if let Some(id) = e.get("id").and_then(Value::as_u64) {
                                since = Some(id);
                            } else if since.is_none() {
                                since = e.get("head").and_then(Value::as_u64);
                            }
                            if tx.send(Ok(e)).await.is_err() {
                                return;
                            }
                        }
                        Err(why) => {
                            if tx.send(Err(why)).await.is_err() {
                                return;
                            }
                            break;
                        }
                    }
                }
            }
            // Said once, not at every retry.
            Err(why) if !told => {
                told = true;
                if tx.send(Err(why)).await.is_err() {
                    return;
                }
            }
            Err(_) => {}
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// A field of a browser's message: in its payload, or on the envelope.
fn field<'a>(msg: &'a Value, k: &str) -> Option<&'a Value> {
    msg.get("payload")
        .and_then(|p| p.get(k))
        .or_else(|| msg.get(k))
        .filter(|v| !v.is_null())
}

fn text_field<'a>(msg: &'a Value, k: &str) -> Result<&'a str, String> {
    field(msg, k)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{k} missing"))
}

impl Session {
    async fn request(&mut self, text: &str) {
        let msg: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => return self.out.error(None, &format!("bad message: {e}")),
        };
        let kind = msg.get("type").and_then(Value::as_str).unwrap_or("");
        let agent = field(&msg, "agent_id")
            .and_then(Value::as_str)
            .map(str::to_string);
        let done = match kind {
            "SUBSCRIBE" => {
                self.subscribe(&msg);
                Ok(())
            }
            "REQUEST_AGENT_LIST" => {
                self.agent_list().await;
                Ok(())
            }
            "FOCUS_AGENT" => match agent.as_deref() {
                Some(a) => self.focus(a).await,
                None => Err("agent_id missing".to_string()),
            },
            "REQUEST_TRANSCRIPT" => match agent.as_deref() {
                Some(a) => self.transcript(a).await,
                None => Err("agent_id missing".to_string()),
            },
            "GROUP_SAVE" => self.group_save(&msg).await,
            "GROUP_RESTORE" => self.group_restore(&msg).await,
            "INPUT" => self.input(&msg).await,
            "USER_MESSAGE" => self.message(&msg).await,
            "" => Err("bad message: no type".to_string()),
            other => Err(format!("unknown message type: {other}")),
        };
        if let Err(why) = done {
            self.out.error(agent.as_deref(), &format!("{kind}: {why}"));
        }
    }

    fn subscribe(&mut self, msg: &Value) {
        let agents = field(msg, "agents")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let global = field(msg, "global")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        self.filter = Filter { global, agents };
    }

    /// Everything the overview shows: the agents (ended ones too), the
    /// groups with their shared context, and the event it reflects.
    async fn agent_list(&mut self) {
        let agents = match self.link.json(&["list-agents", "-a", "--json"]).await {
            Ok(a) => a,
            Err(why) => return self.out.error(None, &why),
        };
        let mut groups = self
            .link
            .json(&["list-agent-groups", "--json"])
            .await
            .unwrap_or(json!([]));
        if let Some(list) = groups.as_array_mut() {
            for g in list {
                let name = g
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let context = self
                    .link
                    .json(&["agent-context", "--json", &name])
                    .await
                    .unwrap_or(json!({}));
                g["context"] = context;
            }
        }
        let payload = json!({"agents": agents, "groups": groups, "last_event_id": self.last_id});
        self.out.send("AGENT_LIST", None, payload);
    }

    async fn event(&mut self, e: Value) {
        let kind = e
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if kind == "subscribed" {
            if let Some(head) = e.get("head").and_then(Value::as_u64) {
                self.last_id = self.last_id.max(head);
            }
            return self.agent_list().await;
        }
        if let Some(id) = e.get("id").and_then(Value::as_u64) {
            self.last_id = id;
        }
        let agent = e
            .get("agent")
            .and_then(Value::as_str)
            .filter(|a| !a.is_empty())
            .map(str::to_string);
        if let Some(a) = &agent {
            match kind.as_str() {
                "unregistered" => {
                    self.dirty.remove(a);
                    self.out
                        .send("AGENT_UNREGISTERED", Some(a), json!({"key": a}));
                }
                "registered" => {
                    self.dirty.insert(a.clone(), true);
                }
                _ => {
                    self.dirty.entry(a.clone()).or_insert(false);
                }
            }
        }
        if kind == "share" {
            self.context(&e).await;
        }
        if self.filter.admits(&e) {
            self.out.send("ACTIVITY", agent.as_deref(), e);
        }
    }

    /// A key of a group's context changed: its value, as now stored.
    async fn context(&mut self, e: &Value) {
        let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (group, key) = (s("group"), s("key"));
        let deleted = e.get("deleted").and_then(Value::as_bool).unwrap_or(false);
        let value = if deleted {
            Value::Null
        } else {
            self.link
                .json(&["agent-context", "--json", &group, &key])
                .await
                .unwrap_or(Value::Null)
        };
        let payload = json!({
            "group": group,
            "key": key,
            "version": e.get("version"),
            "writer": e.get("writer"),
            "deleted": deleted,
            "entry": value,
            "event": e.get("id"),
        });
        let agent = e.get("agent").and_then(Value::as_str);
        self.out.send("CONTEXT", agent, payload);
    }

    /// Reads the changed agents' records again.
    async fn refresh(&mut self) {
        let dirty = std::mem::take(&mut self.dirty);
        for (key, new) in dirty {
            match self.link.json(&["show-agent", "-t", &key, "--json"]).await {
                Ok(record) => {
                    let kind = if new {
                        "AGENT_REGISTERED"
                    } else {
                        "AGENT_STATUS"
                    };
                    self.out.send(kind, Some(&key), record);
                }
                Err(_) => self
                    .out
                    .send("AGENT_UNREGISTERED", Some(&key), json!({"key": key})),
            }
        }
    }

    /// The pane an agent's input goes to: the focused screen's, or its
    /// session's active pane.
    async fn pane_of(&self, agent: &str) -> Result<String, String> {
        if let Some(p) = self
            .focus
            .as_ref()
            .filter(|f| f.agent == agent)
            .and_then(|f| f.pane.clone())
        {
            return Ok(p);
        }
        let record = self
            .link
            .json(&["show-agent", "-t", agent, "--json"])
            .await?;
        record
            .get("session_id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| format!("{agent} has no live pane"))
    }

    async fn focus(&mut self, agent: &str) -> Result<(), String> {
        if let Some(f) = self.focus.take() {
            f.task.abort();
        }
        let live = self.pane_of(agent).await;
        let target = match live {
            Ok(t) => t,
            // A past run: its transcript and messages instead.
            Err(why) => {
                return match self.transcript(agent).await {
                    Ok(()) => Ok(()),
                    Err(_) => Err(why),
                };
            }
        };
        let req = SubscribeRequest {
            screen: Some(target),
            // No stored event is of this kind: the screen only.
            events: vec!["screen".to_string()],
            ..SubscribeRequest::default()
        };
        let sub = self.link.subscribe(req).await?;
        let task = tokio::spawn(pump_screen(
            sub,
            agent.to_string(),
            self.out.clone(),
            self.panes.clone(),
        ));
        self.focus = Some(Focus {
            agent: agent.to_string(),
            pane: None,
            task,
        });
        self.inbox(agent).await;
        Ok(())
    }

    /// agent-group-save, to the file named or GROUP.json in the directory
    /// `agmux web` runs in.
    async fn group_save(&mut self, msg: &Value) -> Result<(), String> {
        let group = text_field(msg, "group")?.to_string();
        let file = field(msg, "file")
            .and_then(Value::as_str)
            .filter(|f| !f.is_empty())
            .map_or_else(|| format!("{group}.json"), str::to_string);
        self.command(vec!["agent-group-save".into(), group.clone(), file.clone()])
            .await?;
        self.out.send(
            "DONE",
            None,
            json!({"what": "GROUP_SAVE", "group": group, "file": file}),
        );
        Ok(())
    }

    async fn group_restore(&mut self, msg: &Value) -> Result<(), String> {
        let file = text_field(msg, "file")?.to_string();
        self.command(vec!["agent-group-restore".into(), file.clone()])
            .await?;
        self.out
            .send("DONE", None, json!({"what": "GROUP_RESTORE", "file": file}));
        Ok(())
    }

    /// Runs a command; its error as one line.
    async fn command(&self, argv: Vec<String>) -> Result<(), String> {
        let c = self.link.run(argv).await?;
        if c.code != 0 {
            return Err(c.stderr.trim_end().to_string());
        }
        Ok(())
    }

    /// What an agent's pane printed (kept after it ended), with its
    /// record, messages and events: a past run, or the history of a live
    /// one.
    async fn transcript(&mut self, agent: &str) -> Result<(), String> {
        let history = self
            .link
            .json(&["agent-history", "-p", "-n", "1000", "--json", "-t", agent])
            .await?;
        self.out.send("TRANSCRIPT", Some(agent), history);
        Ok(())
    }

    async fn inbox(&mut self, agent: &str) {
        match self
            .link
            .json(&["agent-inbox", "-t", agent, "--json"])
            .await
        {
            Ok(messages) => self
                .out
                .send("INBOX", Some(agent), json!({"messages": messages})),
            Err(why) => self.out.error(Some(agent), &why),
        }
    }

    /// Keys typed in the browser's terminal, already encoded as the
    /// terminal would send them: written to the pane as they are.
    async fn input(&mut self, msg: &Value) -> Result<(), String> {
        let agent = text_field(msg, "agent_id")?.to_string();
        let keys = text_field(msg, "keys")?;
        if keys.is_empty() {
            return Ok(());
        }
        let pane = self.pane_of(&agent).await?;
        let mut argv = vec!["send-keys".to_string(), "-t".into(), pane, "-H".into()];
        argv.extend(keys.bytes().map(|b| format!("{b:02x}")));
        self.command(argv).await
    }

    async fn message(&mut self, msg: &Value) -> Result<(), String> {
        let agent = text_field(msg, "agent_id")?.to_string();
        let content = text_field(msg, "content")?;
        let mut argv = vec!["agent-send".to_string(), "-t".into(), agent.clone()];
        match field(msg, "inject").and_then(Value::as_bool) {
            Some(true) => argv.push("--inject".into()),
            Some(false) => argv.push("--no-inject".into()),
            None => {}
        }
        argv.push("--".into());
        argv.push(content.to_string());
        self.command(argv).await?;
        self.inbox(&agent).await;
        Ok(())
    }
}

/// The focused pane's screen: SCREEN with every row first, ROWS with the
/// changed ones after, each acknowledged to the server once written to the
/// browser, so the rows never queue up.
async fn pump_screen(
    mut sub: super::link::Subscription,
    agent: String,
    out: Sender,
    panes: mpsc::UnboundedSender<(String, String)>,
) {
    let mut told = false;
    loop {
        let e = match sub.next().await {
            Ok(e) => e,
            Err(why) => return out.error(Some(&agent), &why),
        };
        if e.get("type").and_then(Value::as_str) != Some("screen") {
            continue;
        }
        if !told && let Some(p) = e.get("pane").and_then(Value::as_str) {
            told = true;
            let _ = panes.send((agent.clone(), p.to_string()));
        }
        if e.get("closed").and_then(Value::as_bool) == Some(true) {
            out.send("SCREEN", Some(&agent), e);
            return;
        }
        let full = e.get("full").and_then(Value::as_bool) == Some(true);
        let kind = if full { "SCREEN" } else { "ROWS" };
        if !out.send_written(kind, Some(&agent), e).await || sub.drawn().await.is_err() {
            return;
        }
    }
}
