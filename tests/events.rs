//! The event stream: every change is an event with an id that only grows,
//! stored with the change; `agmux subscribe` prints them as they are
//! stored, replays the stored ones after --since first with no gap and no
//! duplicate (across a server SIGKILL), keeps up with many subscribers,
//! and cuts off one that stops reading instead of waiting for it.

mod common;
use common::wire::Wire;
use common::{BIN, Mux, SLEEP, eventually};
use serde_json::Value;
use std::io::BufRead;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};

/// `agmux subscribe --json ARGS` running, its events collected.
struct Sub {
    child: Child,
    events: Arc<Mutex<Vec<Value>>>,
}

impl Sub {
    fn start(m: &Mux, args: &[&str]) -> Sub {
        let mut all = vec!["subscribe", "--json"];
        all.extend_from_slice(args);
        let mut child = m
            .command(&all)
            .stdout(Stdio::piped())
            // Its errors show in the test's output.
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start subscribe");
        let events = Arc::new(Mutex::new(Vec::new()));
        let out = child.stdout.take().expect("stdout");
        let e = events.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                let v: Value = serde_json::from_str(&line).expect("an event a line");
                e.lock().unwrap().push(v);
            }
        });
        Sub { child, events }
    }

    fn events(&self) -> Vec<Value> {
        self.events.lock().unwrap().clone()
    }

    /// Waits until an event matches `f`; returns all events so far.
    fn until(&self, what: &str, f: impl Fn(&Value) -> bool) -> Vec<Value> {
        eventually(20, what, || {
            let ev = self.events();
            ev.iter().any(&f).then_some(ev)
        })
    }

    /// Waits until the subscription is live: `poke` makes a change it
    /// hears of, until it has heard of one (it may not be registered yet).
    fn live(&self, poke: impl Fn()) {
        eventually(20, "the subscription to be live", || {
            poke();
            (!self.events().is_empty()).then_some(())
        });
    }

    fn ids(&self) -> Vec<u64> {
        self.events()
            .iter()
            .filter_map(|e| e["id"].as_u64())
            .collect()
    }
}

impl Drop for Sub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn of_type<'a>(ev: &'a [Value], t: &str) -> Vec<&'a Value> {
    ev.iter().filter(|e| e["type"] == t).collect()
}

#[test]
fn every_change_is_one_event_in_order() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "base", SLEEP]);
    // Everything from the first event on.
    let sub = Sub::start(&m, &["--since", "0"]);
    m.runner_agent("a");
    m.runner_agent("b");
    m.inside_ok("a", &["agent-join-group", "dev"]);
    m.inside_ok("b", &["agent-join-group", "dev"]);
    m.inside_ok("a", &["agent-share", "dev", "plan=x", "n=1"]);
    let t = m.line(&["agent-send", "-t", "a", "--no-inject", "hello"]);
    m.inside_ok("a", &["agent-reply", &t, "hi"]);
    m.inside_ok("a", &["agent-inbox", "--mark-read"]);
    m.ok(&["set-agent", "-t", "b", "-s", "paused"]);
    m.inside_ok(
        "a",
        &[
            "agent-spawn",
            "-m",
            "session",
            "-n",
            "kid",
            "exec sleep 1000",
        ],
    );
    m.ok(&["set", "-s", "agent-max-children", "1"]);
    assert!(
        m.inside("a", &["agent-spawn", "true"])
            .stderr
            .contains("agent-max-children")
    );
    m.ok(&["agent-done", "-t", "agent:a:sub:1", "finished"]);
    m.inside_ok("b", &["agent-leave-group"]);
    m.ok(&["rename-window", "-t", "b", "bw"]);
    m.ok(&["rename-session", "-t", "base", "base2"]);
    m.ok(&["kill-session", "-t", "b"]);
    m.ok(&["agent-forget", "-t", "agent:b"]);
    // A message typed into a pane that takes them.
    m.ok(&["agent-type", "--inject", "catter", "--", "cat"]);
    m.ok(&["set", "-s", "agent-deliver-quiet", "100"]);
    m.ok(&["set", "-s", "agent-max-children", "5"]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "a",
        "-T",
        "catter",
        "-m",
        "session",
        "-n",
        "c",
        "x",
    ]);
    m.ok(&["agent-send", "-t", "c", "typed in"]);
    // A pane whose program exits.
    m.ok(&["new-window", "-d", "-t", "base2:", "exit 3"]);
    sub.until("the typed message delivered and the pane exited", |_| {
        let ev = sub.events();
        !of_type(&ev, "delivered").is_empty() && !of_type(&ev, "pane-exited").is_empty()
    });
    // What until returns was read before the check's own snapshot.
    let ev = sub.events();
    let one = |t: &str, f: &dyn Fn(&Value) -> bool| {
        let n = ev.iter().filter(|e| e["type"] == t && f(e)).count();
        assert_eq!(n, 1, "{t}: {n} events in {ev:#?}");
    };
    one("registered", &|e| e["agent"] == "agent:a");
    one("registered", &|e| e["agent"] == "agent:b");
    one("joined", &|e| {
        e["agent"] == "agent:b" && e["group"] == "dev"
    });
    one("coordinator", &|e| {
        e["agent"] == "agent:a" && e["group"] == "dev"
    });
    one("share", &|e| {
        e["key"] == "plan" && e["version"] == 1 && e["writer"] == "agent:a"
    });
    one("share", &|e| e["key"] == "n");
    one("sent", &|e| {
        e["agent"] == "agent:a" && e["actor"] == "operator" && e["thread"] == t
    });
    one("reply", &|e| {
        e["agent"] == "operator" && e["actor"] == "agent:a"
    });
    one("read", &|e| e["agent"] == "agent:a");
    one("status", &|e| {
        e["agent"] == "agent:b" && e["status"] == "paused" && e["actor"] == "operator"
    });
    one("spawned", &|e| {
        e["agent"] == "agent:a:sub:1" && e["actor"] == "agent:a"
    });
    one("refused", &|e| {
        e["limit"] == "agent-max-children" && e["value"] == "1"
    });
    one("done", &|e| {
        e["agent"] == "agent:a:sub:1" && e["result"] == "finished"
    });
    one("left", &|e| e["agent"] == "agent:b" && e["group"] == "dev");
    one("status", &|e| {
        e["agent"] == "agent:b" && e["status"] == "lost"
    });
    one("session-created", &|e| e["name"] == "a");
    one("window-renamed", &|e| e["name"] == "bw");
    one("session-closed", &|e| e["name"] == "b");
    one("unregistered", &|e| e["agent"] == "agent:b");
    one("delivered", &|e| e["agent"] == "agent:a:sub:2");
    one("pane-exited", &|e| e["status"] == 3);
    one("session-renamed", &|e| {
        e["name"] == "base2" && e["old"] == "base"
    });
    let b_session = of_type(&ev, "session-created")
        .into_iter()
        .find(|e| e["name"] == "b")
        .map(|e| e["session"].clone())
        .unwrap();
    one("window-closed", &|e| e["session"] == b_session);
    assert!(!of_type(&ev, "pane-created").is_empty());
    assert!(!of_type(&ev, "window-created").is_empty());
    // Ids only grow, one by one: nothing was skipped or sent twice.
    let ids = sub.ids();
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "{ids:?}");
    for e in &ev {
        assert!(e["time"].as_str().is_some_and(|t| t.ends_with('Z')), "{e}");
    }
}

#[test]
fn since_replays_what_was_missed_across_a_crash() {
    let m = Mux::new();
    m.runner_agent("a");
    m.inside_ok("a", &["agent-join-group", "g"]);
    let live = Sub::start(&m, &["-g", "g"]);
    live.live(|| {
        m.inside_ok("a", &["agent-share", "g", "k=0"]);
    });
    let seen = *live.ids().last().unwrap();
    let base = live.events().last().unwrap()["version"].as_u64().unwrap();
    for i in 1..=20 {
        m.inside_ok("a", &["agent-share", "g", &format!("k={i}")]);
    }
    let expect: Vec<u64> = live
        .until("the last share", |e| e["version"] == base + 20)
        .iter()
        .filter_map(|e| e["id"].as_u64())
        .filter(|id| *id > seen)
        .collect();
    assert_eq!(expect.len(), 20);
    // The server dies mid-stream; a new one replays from the store.
    let pid = m.server_pid().unwrap();
    // SAFETY: kill sends a signal to a process we started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    eventually(10, "the server gone", || (!Mux::alive(pid)).then_some(()));
    drop(live);
    m.ok(&["new-session", "-d", "-s", "again", SLEEP]);
    let since = seen.to_string();
    let again = Sub::start(&m, &["-g", "g", "--since", &since]);
    let got = eventually(20, "the replay", || {
        let ids = again.ids();
        (ids.len() >= expect.len()).then_some(ids)
    });
    assert_eq!(&got[..expect.len()], &expect[..], "exactly the missed ones");
    assert!(got.windows(2).all(|w| w[1] > w[0]), "{got:?}");
    // Then live again: a change after the replay arrives once.
    m.ok(&["agent-share", "-t", "agent:a", "g", "after=1"]);
    let ev = again.until("the live share", |e| e["key"] == "after");
    assert_eq!(ev.iter().filter(|e| e["key"] == "after").count(), 1);
}

#[test]
fn ten_subscribers_keep_up_with_a_thousand_events() {
    let m = Mux::new();
    m.runner_agent("a");
    m.inside_ok("a", &["agent-join-group", "g"]);
    let subs: Vec<Sub> = (0..10)
        .map(|_| Sub::start(&m, &["-g", "g", "--events", "share"]))
        .collect();
    for s in &subs {
        s.live(|| {
            m.inside_ok("a", &["agent-share", "g", "warm=1"]);
        });
    }

    // 1000 shares: 10 commands of 100 keys.
    for c in 0..10 {
        let pairs: Vec<String> = (0..100).map(|k| format!("k{c}x{k}=v")).collect();
        let mut args = vec!["agent-share", "g"];
        args.extend(pairs.iter().map(String::as_str));
        m.inside_ok("a", &args);
    }
    let burst = |ev: &[Value]| -> Vec<u64> {
        ev.iter()
            .filter(|e| e["key"].as_str().is_some_and(|k| k.starts_with('k')))
            .filter_map(|e| e["id"].as_u64())
            .collect()
    };
    for s in &subs {
        let ids = eventually(30, "1000 shares", || {
            let ids = burst(&s.events());
            (ids.len() >= 1000).then_some(ids)
        });
        assert_eq!(ids.len(), 1000);
        assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "{ids:?}");
    }
}

#[test]
fn a_subscriber_that_stops_reading_is_cut_off() {
    let m = Mux::new();
    m.runner_agent("a");
    m.inside_ok("a", &["agent-join-group", "g"]);
    // A raw subscriber that never reads.
    let mut w = Wire::connect(&m.socket());
    w.subscribe(commands::proto::SubscribeRequest {
        group: Some("g".into()),
        ..Default::default()
    });
    let pairs: Vec<String> = (0..500)
        .map(|k| format!("k{k}=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"))
        .collect();
    for _ in 0..20 {
        let mut args = vec!["agent-share", "g"];
        args.extend(pairs.iter().map(String::as_str));
        m.inside_ok("a", &args);
        m.ok(&["has-session", "-t", "a"]);
    }
    // It gets what fit, then the reason and where to resume.
    let (events, error) = w.drain_events();
    assert!(events > 0);
    assert!(
        error.starts_with("subscriber too slow: cut off after event ")
            && error.contains("resume with --since "),
        "{error}"
    );
    m.ok(&["has-session", "-t", "a"]);
}

#[test]
fn pane_output_and_what_an_agent_may_hear() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "c", "cat"]);
    let out = Sub::start(&m, &["--pane-output", "c", "--events", "none"]);
    m.ok(&["rename-session", "-t", "c", "c"]);
    m.ok(&["send-keys", "-t", "c", "hello there", "Enter"]);
    out.until("the pane's output", |e| {
        e["type"] == "output"
            && e["data"]
                .as_str()
                .is_some_and(|d| d.contains("hello there"))
    });
    // An agent hears of itself, not of others.
    m.runner_agent("a");
    m.runner_agent("b");
    let d = m.dir.join("a-events");
    // In a window of a's session: a process of a's that stays in its tree.
    let script = format!(
        "{BIN} subscribe --json --events status > {} 2>&1",
        d.display()
    );
    m.inside_ok("a", &["new-window", "-d", &script]);
    // Wait until it listens: its own change reaches it.
    eventually(20, "a's subscription", || {
        m.ok(&["set-agent", "-t", "a", "-s", "waiting"]);
        std::fs::read_to_string(&d)
            .ok()
            .filter(|s| s.contains("\"waiting\""))
    });
    m.ok(&["set-agent", "-t", "b", "-s", "paused"]);
    m.ok(&["set-agent", "-t", "a", "-s", "paused"]);
    let text = eventually(20, "a's own pause", || {
        std::fs::read_to_string(&d)
            .ok()
            .filter(|s| s.contains("\"paused\""))
    });
    assert!(!text.contains("agent:b"), "{text}");
}
