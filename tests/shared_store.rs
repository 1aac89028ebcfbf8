//! Groups across hosts: several servers, each with its own socket and
//! `agent-host-name`, standing for hosts, share one Redis (started here on
//! a private loopback port, with its files in the test's directory).

mod common;

use common::wire::Wire;
use common::{BIN, Mux, eventually};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A redis-server of the test's own, appending every write to its AOF
/// before it answers, so that a restart shows exactly what was
/// acknowledged.
struct Redis {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
    /// Arguments beyond the test's defaults (TLS, a password).
    extra: Vec<String>,
}

impl Redis {
    fn start(mux: &Mux) -> Redis {
        Redis::start_with(mux, Vec::new())
    }

    fn start_with(mux: &Mux, extra: Vec<String>) -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let dir = mux.dir.join("redis");
        std::fs::create_dir_all(&dir).expect("redis dir");
        let mut r = Redis {
            port,
            dir,
            child: None,
            extra,
        };
        r.restart();
        r
    }

    fn restart(&mut self) {
        let port = self.port.to_string();
        let ports = match self.extra.iter().any(|a| a == "--tls-cert-file") {
            true => ["--port", "0", "--tls-port", &port],
            false => ["--port", &port, "--tls-port", "0"],
        };
        let child = Command::new("redis-server")
            .args(ports)
            .args(["--bind", "127.0.0.1"])
            .args(&self.extra)
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server (Debian's redis-server package) to start");
        self.child = Some(child);
        match self.extra.is_empty() {
            true => eventually(20, "redis-server to answer", || self.ping().then_some(())),
            // TLS or a password: listening is as far as a plain probe goes.
            false => eventually(20, "redis-server to listen", || {
                TcpStream::connect(("127.0.0.1", self.port)).ok().map(drop)
            }),
        }
    }

    fn ping(&self) -> bool {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
        let mut buf = [0u8; 7];
        s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
    }

    /// Stops it the hard way: what it acknowledged must be in its AOF.
    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A server standing for host `name`, sharing `redis`.
fn host(redis: &Redis, name: &str, extra: &str) -> Mux {
    let m = Mux::new();
    let conf = format!(
        "set -g agent-store {}\nset -g agent-host-name {name}\n{extra}",
        redis.url()
    );
    std::fs::write(m.home.join(".agmux.conf"), conf).expect("write config");
    m
}

fn context(m: &Mux, group: &str, key: &str) -> serde_json::Value {
    let out = m.ok(&["agent-context", "--json", group, key]);
    serde_json::from_str(&out).expect("context JSON")
}

#[test]
fn a_group_spans_two_hosts() {
    let (m0, redis) = {
        let m = Mux::new();
        let r = Redis::start(&m);
        (m, r)
    };
    let a = host(&redis, "alpha", "");
    let b = host(&redis, "beta", "");
    a.ok(&["new-session", "-d", "-s", "planner", "-G", "shell"]);
    b.ok(&["new-session", "-d", "-s", "worker", "-G", "shell"]);
    a.ok(&["agent-join-group", "-t", "planner", "parser"]);
    b.ok(&["agent-join-group", "-t", "worker", "parser"]);

    // Each host lists the other's agent, saying where it runs.
    let listed = eventually(10, "alpha to list beta's worker", || {
        let out = a.ok(&["list-agents"]);
        out.contains("worker@beta").then_some(out)
    });
    assert!(listed.contains("agent:planner  planner "), "{listed}");
    let peers = b.ok(&["agent-peers", "-t", "worker"]);
    assert_eq!(
        peers,
        "agent:planner: planner@alpha [shell] active (coordinator)\n"
    );
    let groups = a.ok(&["list-agent-groups"]);
    assert!(
        groups.starts_with("parser: 2 members on alpha,beta, coordinator agent:planner"),
        "{groups}"
    );
    let json = a.ok(&["list-agents", "--json"]);
    assert!(json.contains(r#""host":"beta""#), "{json}");
    assert_eq!(
        a.ok(&["list-agents", "-F", "#{agent_host}", "-g", "parser"]),
        "alpha\nbeta\n"
    );

    // Context written on one host is read on the other, versions and
    // writers intact, and compare-and-set holds across them.
    a.ok(&["agent-share", "-t", "planner", "parser", "plan=lexer first"]);
    let v = eventually(10, "beta to see the plan", || {
        let v = context(&b, "parser", "plan");
        (v["version"] == 1).then_some(v)
    });
    assert_eq!(v["value"], "lexer first");
    // The writer is the verified caller (here the operator, recording the
    // change against planner), whatever host reads it.
    assert_eq!(v["writer"], "operator");
    assert_eq!(v["host"], "alpha");
    b.ok(&[
        "agent-share",
        "-t",
        "worker",
        "--if-version",
        "1",
        "parser",
        "plan=done",
    ]);
    eventually(10, "alpha to see version 2", || {
        (context(&a, "parser", "plan")["version"] == 2).then_some(())
    });
    // A server ends only its own agents' programs.
    let err = a.fail(&["agent-stop", "-t", "worker"]);
    assert_eq!(err, "agent:worker runs on host beta: stop it there");
    let err = a.fail(&[
        "agent-share",
        "-t",
        "planner",
        "--if-version",
        "1",
        "parser",
        "plan=x",
    ]);
    assert!(err.contains("version conflict on plan"), "{err}");

    // Events of both hosts, numbered in one sequence, reach a subscriber
    // of either.
    let mut w = Wire::connect(&b.socket());
    w.subscribe(commands::proto::SubscribeRequest {
        since: Some(0),
        events: vec!["share".into()],
        ..Default::default()
    });
    let first = w.next_event();
    let second = w.next_event();
    assert_eq!(first["agent"], "agent:planner", "{first}");
    assert_eq!(second["agent"], "agent:worker", "{second}");
    assert_eq!(first["writer"], "operator", "{first}");
    assert_eq!(first["host"], "alpha", "{first}");
    assert_eq!(second["host"], "beta", "{second}");
    assert!(second["id"].as_u64() > first["id"].as_u64());
    drop(m0);
}

/// Slow (minutes on two cores): `.ci/run` runs it with the ignored ones.
#[test]
#[ignore]
fn compare_and_set_from_twenty_clients_on_two_hosts_counts_to_ten_thousand() {
    let m0 = Mux::new();
    let redis = Redis::start(&m0);
    let a = host(&redis, "alpha", "");
    let b = host(&redis, "beta", "");
    for (m, s) in [(&a, "one"), (&b, "two")] {
        m.ok(&["new-session", "-d", "-s", s, "-G", "shell"]);
        m.ok(&["agent-join-group", "-t", s, "count"]);
    }
    a.ok(&["agent-share", "count", "n=0"]);
    eventually(10, "beta to see n", || {
        b.run(&["agent-context", "count", "n"])
            .code
            .eq(&0)
            .then_some(())
    });
    let per_client = 500;
    let clients: Vec<_> = (0..20)
        .map(|i| {
            let socket = if i % 2 == 0 { a.socket() } else { b.socket() };
            std::thread::spawn(move || {
                let mut w = Wire::connect(&socket);
                let mut done = 0;
                while done < per_client {
                    let r = w.run(&["agent-context", "--json", "count", "n"]);
                    let v: serde_json::Value = serde_json::from_str(&r.out).expect("JSON");
                    let n = match &v["value"] {
                        serde_json::Value::String(s) => s.parse::<u64>().ok(),
                        other => other.as_u64(),
                    }
                    .expect("n");
                    let version = v["version"].as_u64().expect("version").to_string();
                    let set = format!("n={}", n + 1);
                    let r = w.run(&["agent-share", "--if-version", &version, "count", &set]);
                    match r.code {
                        0 => done += 1,
                        _ => assert!(r.err.contains("version conflict"), "{}", r.err),
                    }
                }
            })
        })
        .collect();
    for c in clients {
        c.join().expect("client");
    }
    for m in [&a, &b] {
        eventually(10, "both hosts to agree", || {
            let v = context(m, "count", "n")["value"].to_string();
            (v.trim_matches('"') == "10000").then_some(())
        });
    }
    assert_eq!(context(&a, "count", "n")["version"], 10001);
}

#[test]
fn a_message_and_its_reply_cross_hosts() {
    let m0 = Mux::new();
    let redis = Redis::start(&m0);
    let a = host(&redis, "alpha", "");
    let b = host(&redis, "beta", "");
    a.runner_agent("lead");
    // The reviewer answers what it is sent: typed into its pane by its
    // own server, its reply handed to the wait on the other.
    let bin_dir = PathBuf::from(BIN).parent().expect("bin dir").to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let reviewer = std::env::current_dir()
        .expect("cwd")
        .join("examples/reviewer.sh");
    let started = b
        .command(&["new-session", "-d", "-s", "reviewer", "-G", "script"])
        .arg(reviewer)
        .env("PATH", &path)
        .status()
        .expect("start reviewer");
    assert!(started.success());
    eventually(10, "alpha to see the reviewer", || {
        a.ok(&["list-agents"])
            .contains("reviewer@beta")
            .then_some(())
    });
    let out = a.inside_ok(
        "lead",
        &["agent-send", "-t", "reviewer", "--wait", "20", "ready?"],
    );
    assert_eq!(out.trim(), "reviewed: ready?");
    let inbox = b.ok(&["agent-inbox", "-t", "reviewer"]);
    assert!(inbox.contains("message agent:lead: ready?"), "{inbox}");
    // The operator of another host is named with it.
    a.ok(&["agent-send", "-t", "reviewer", "from the alpha operator"]);
    eventually(10, "the operator's message to arrive", || {
        let inbox = b.ok(&["agent-inbox", "-t", "reviewer"]);
        inbox
            .contains("message operator@alpha: from the alpha operator")
            .then_some(())
    });
    // The sender is the verified caller on its host, whatever host reads it.
    let history = a.ok(&["agent-history", "-t", "reviewer"]);
    assert!(history.contains("message from agent:lead"), "{history}");
}

#[test]
fn redis_lost_and_back_loses_nothing_acknowledged() {
    let m0 = Mux::new();
    let mut redis = Redis::start(&m0);
    let a = host(&redis, "alpha", "");
    a.ok(&["new-session", "-d", "-s", "w", "-G", "shell"]);
    a.ok(&["agent-join-group", "-t", "w", "g"]);
    for i in 0..50 {
        a.ok(&["agent-share", "g", &format!("k{i}={i}")]);
    }
    redis.kill();
    // Agent commands fail with one clear line; the multiplexer goes on.
    let err = eventually(10, "the store to be seen unreachable", || {
        let r = a.run(&["agent-share", "g", "late=1"]);
        (r.code == 1).then_some(r.stderr)
    });
    assert!(err.starts_with("agent store unreachable: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    a.ok(&["new-window", "-d", "-t", "w:"]);
    assert_eq!(
        a.ok(&["list-windows", "-t", "w:", "-F", "#{window_index}"]),
        "0\n1\n"
    );
    // Back, with its AOF: everything acknowledged is there, and the server
    // found its way back by itself.
    redis.restart();
    eventually(20, "agent commands to work again", || {
        (a.run(&["agent-share", "g", "after=1"]).code == 0).then_some(())
    });
    let all = a.ok(&["agent-context", "g"]);
    for i in 0..50 {
        assert!(all.contains(&format!("k{i}={i}\n")), "k{i} lost: {all}");
    }
    assert!(all.contains("after=1"), "{all}");
    assert!(!all.contains("late="), "{all}");
}

#[test]
fn a_host_that_dies_has_its_agents_marked_lost_by_the_others() {
    let m0 = Mux::new();
    let redis = Redis::start(&m0);
    let lease = "set -g agent-host-lease 2\n";
    let a = host(&redis, "alpha", lease);
    let b = host(&redis, "beta", lease);
    a.ok(&["new-session", "-d", "-s", "stays", "-G", "shell"]);
    b.ok(&["new-session", "-d", "-s", "doomed", "-G", "shell"]);
    eventually(10, "alpha to see beta's agent", || {
        a.ok(&["list-agents"]).contains("doomed@beta").then_some(())
    });
    let pid = b.server_pid().expect("beta's server");
    // SAFETY: kill sends a signal to a process this test started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    let row = eventually(20, "alpha to mark beta's agent lost", || {
        let out = a.ok(&[
            "list-agents",
            "-a",
            "-F",
            "#{agent_key} #{agent_status} #{agent_host}",
        ]);
        out.lines()
            .find(|l| l.starts_with("agent:doomed lost"))
            .map(str::to_string)
    });
    assert_eq!(row, "agent:doomed lost beta");
    let history = a.ok(&["agent-history", "-t", "agent:doomed"]);
    assert!(history.contains("host beta lost"), "{history}");
    // Still listed with -a, never forgotten; alpha's own agent runs on.
    assert!(a.ok(&["list-agents"]).contains("agent:stays"));
}

#[test]
fn agent_max_concurrent_counts_every_host_at_once() {
    let m0 = Mux::new();
    let redis = Redis::start(&m0);
    let limit = "set -g agent-max-concurrent 3\n";
    let a = host(&redis, "alpha", limit);
    let b = host(&redis, "beta", limit);
    // Both servers up before the race.
    a.ok(&["new-session", "-d", "-s", "base"]);
    b.ok(&["new-session", "-d", "-s", "base"]);
    // Six starts at once, three on each host: three may run.
    let starts: Vec<_> = (0..6)
        .map(|i| {
            let m = if i % 2 == 0 { &a } else { &b };
            m.command(&[
                "agent-spawn",
                "--top",
                "-m",
                "session",
                "-n",
                &format!("w{i}"),
                "exec sleep 1000",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("agent-spawn")
        })
        .collect();
    let mut refused = Vec::new();
    let mut started = 0;
    for c in starts {
        let out = c.wait_with_output().expect("agent-spawn");
        match out.status.code() {
            Some(0) => started += 1,
            _ => refused.push(String::from_utf8_lossy(&out.stderr).into_owned()),
        }
    }
    assert_eq!(started, 3, "{refused:?}");
    for e in &refused {
        assert!(e.contains("agent-max-concurrent is 3"), "{e}");
    }
    let running = |m: &Mux| {
        eventually(10, "both hosts to list three", || {
            let out = m.ok(&["list-agents"]);
            (out.lines().count() == 3).then_some(out)
        })
    };
    running(&a);
    running(&b);
}

#[test]
fn a_child_started_on_another_host_reports_to_its_parent() {
    let m0 = Mux::new();
    let redis = Redis::start(&m0);
    let lease = "set -g agent-host-lease 2\n";
    let a = host(&redis, "alpha", lease);
    let b = host(&redis, "beta", lease);
    a.runner_agent("lead");
    b.ok(&["new-session", "-d", "-s", "base"]);
    // The lead asks beta's server to start a run there, as itself.
    let key = eventually(10, "beta to be connected", || {
        let r = a.inside(
            "lead",
            &[
                "agent-spawn",
                "--host",
                "beta",
                "-P",
                "-n",
                "kid",
                "echo from-beta",
            ],
        );
        (r.code == 0).then_some(r.stdout)
    });
    assert_eq!(key.trim(), "agent:lead:sub:1");
    assert!(
        b.ok(&["list-agents", "-a"])
            .contains("agent:lead:sub:1  kid ")
    );
    // Its result reaches the parent on alpha.
    let out = a.inside_ok("lead", &["agent-wait", "--timeout", "20"]);
    assert!(out.contains("from-beta"), "{out}");
    let inbox = a.inside_ok("lead", &["agent-inbox"]);
    assert!(inbox.contains("result agent:lead:sub:1"), "{inbox}");
    // A host that is not there, and one's own name, are refused clearly.
    let err = a.inside_fail("lead", &["agent-spawn", "--host", "gamma", "true"]);
    assert_eq!(err, "host gamma is not connected to the agent store");
    let err = a.inside_fail("lead", &["agent-spawn", "--host", "alpha", "true"]);
    assert_eq!(err, "alpha is this host: leave --host out");
    // The other host applies its own rules: an agent of alpha may not
    // start sub-agents under an agent it has no authority over.
    a.ok(&["new-session", "-d", "-s", "other", "-G", "shell"]);
    let err = a.inside_fail(
        "lead",
        &["agent-spawn", "--host", "beta", "-t", "other", "true"],
    );
    assert!(err.contains("may not"), "{err}");
}

/// Runs openssl in `dir`; the test needs it (Debian's openssl package).
fn openssl(dir: &std::path::Path, args: &[&str]) {
    let ok = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(ok.success(), "openssl {args:?}");
}

#[test]
fn a_store_over_tls_with_a_password_from_a_file() {
    let m0 = Mux::new();
    let pki = m0.dir.join("pki");
    std::fs::create_dir_all(&pki).expect("pki dir");
    let days = ["-days", "2"];
    openssl(
        &pki,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            days[0],
            days[1],
            "-subj",
            "/CN=agmux-test-ca",
        ],
    );
    openssl(
        &pki,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    std::fs::write(
        pki.join("ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .expect("ext");
    openssl(
        &pki,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            days[0],
            days[1],
            "-extfile",
            "ext",
        ],
    );
    std::fs::write(pki.join("pw"), "s3cret word\n").expect("password file");
    let path = |f: &str| pki.join(f).display().to_string();
    let extra = vec![
        "--tls-cert-file".into(),
        path("server.crt"),
        "--tls-key-file".into(),
        path("server.key"),
        "--tls-ca-cert-file".into(),
        path("ca.crt"),
        "--tls-auth-clients".into(),
        "no".into(),
        "--requirepass".into(),
        "s3cret word".into(),
    ];
    let redis = Redis::start_with(&m0, extra);
    let url = format!(
        "rediss://localhost:{}/0?password-file={}&ca-file={}",
        redis.port,
        path("pw"),
        path("ca.crt")
    );
    let conf = |name: &str, url: &str| {
        format!("set -g agent-store '{url}'\nset -g agent-host-name {name}\n")
    };
    let a = Mux::new();
    std::fs::write(a.home.join(".agmux.conf"), conf("alpha", &url)).expect("config");
    let b = Mux::new();
    std::fs::write(b.home.join(".agmux.conf"), conf("beta", &url)).expect("config");
    a.ok(&["new-session", "-d", "-s", "w", "-G", "shell"]);
    a.ok(&["agent-join-group", "-t", "w", "g"]);
    a.ok(&["agent-share", "g", "over=tls"]);
    b.ok(&["new-session", "-d", "-s", "base"]);
    let v = eventually(10, "beta to read through TLS", || {
        let r = b.run(&["agent-context", "g", "over"]);
        (r.code == 0).then_some(r.stdout)
    });
    assert_eq!(v, "tls\n");
    // The wrong password: agent commands say so, in one line, and the
    // password itself is never shown.
    let c = Mux::new();
    let bad = format!(
        "rediss://:wrong@localhost:{}/0?ca-file={}",
        redis.port,
        path("ca.crt")
    );
    std::fs::write(c.home.join(".agmux.conf"), conf("gamma", &bad)).expect("config");
    c.ok(&["new-session", "-d", "-s", "base"]);
    let err = c.fail(&["agent-share", "g", "x=1"]);
    assert!(err.starts_with("agent store "), "{err}");
    assert!(!err.contains("wrong"), "{err}");
    assert!(err.contains("password authentication failed"), "{err}");
}
