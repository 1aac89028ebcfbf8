//! Limits on what one caller can push: oversize messages, results, tasks,
//! attachments and names are refused naming the limit, and a server out of
//! file descriptors backs off, keeps serving, and recovers.

mod common;
use common::wire::Wire;
use common::{Mux, SLEEP, eventually};
use std::os::unix::net::UnixStream;

#[test]
fn oversize_messages_results_tasks_and_names_are_refused() {
    let m = Mux::new();
    m.runner_agent("a");
    m.ok(&["set", "-s", "agent-message-max", "100"]);
    let big = "x".repeat(101);
    let fits = "y".repeat(100);
    assert_eq!(
        m.fail(&["agent-send", "-t", "a", "--no-inject", &big]),
        "message too long: 101 bytes (agent-message-max is 100)"
    );
    let t = m.line(&["agent-send", "-t", "a", "--no-inject", &fits]);
    assert_eq!(
        m.inside_fail("a", &["agent-reply", &t, &big]),
        "reply too long: 101 bytes (agent-message-max is 100)"
    );
    assert_eq!(
        m.inside_fail("a", &["agent-spawn", &big]),
        "task too long: 101 bytes (agent-message-max is 100)"
    );
    assert_eq!(
        m.inside_fail("a", &["agent-done", &big]),
        "result too long: 101 bytes (agent-message-max is 100)"
    );
    assert_eq!(
        m.fail(&["set-agent", "-t", "a", "-o", &big]),
        "objective or role too long: 101 bytes (agent-message-max is 100)"
    );
    // Attachments, all together.
    let file = m.dir.join("big.txt");
    std::fs::write(&file, vec![b'z'; 3000]).unwrap();
    m.ok(&["set", "-s", "agent-attachment-max", "5000"]);
    assert_eq!(
        m.inside_fail(
            "a",
            &[
                "agent-spawn",
                "-a",
                file.to_str().unwrap(),
                "-a",
                file.to_str().unwrap(),
                "true"
            ]
        ),
        "attachments too large: 6000 bytes (agent-attachment-max is 5000)"
    );
    // Nothing of it was stored.
    assert_eq!(m.ok(&["agent-inbox", "-t", "a"]).lines().count(), 1);
    assert_eq!(
        m.ok(&["list-agents", "-a", "-F", "#{agent_key}"]),
        "agent:a\n"
    );
    // Names: a session and a window.
    let long = "n".repeat(300);
    assert_eq!(
        m.fail(&["new-session", "-d", "-s", &long, SLEEP]),
        "session name too long: 300 bytes (at most 256)"
    );
    assert_eq!(
        m.fail(&["rename-window", "-t", "a", &long]),
        "window name too long: 300 bytes (at most 256)"
    );
    assert_eq!(
        m.fail(&[
            "new-session",
            "-d",
            "-s",
            "g",
            "-G",
            "shell",
            "-o",
            &big,
            SLEEP
        ]),
        "objective too long: 101 bytes (agent-message-max is 100)"
    );
    assert_eq!(
        m.run(&["has-session", "-t", "g"]).code,
        1,
        "no session left over"
    );
}

/// CPU time (user + system) of a process, in clock ticks.
fn cpu_ticks(pid: i32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn out_of_descriptors_the_server_backs_off_and_recovers() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "s", SLEEP]);
    let pid = m.server_pid().unwrap();
    let mut served = Wire::connect(&m.socket());
    let open = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count() as u64;
    let limit = libc::rlimit {
        rlim_cur: open + 4,
        rlim_max: open + 4,
    };
    // SAFETY: prlimit reads `limit` and writes nothing back (old is null).
    let rc = unsafe { libc::prlimit(pid, libc::RLIMIT_NOFILE, &limit, std::ptr::null_mut()) };
    assert_eq!(rc, 0, "prlimit: {}", std::io::Error::last_os_error());
    // More connections than descriptors: the rest wait in the backlog.
    let held: Vec<UnixStream> = (0..20)
        .map(|_| UnixStream::connect(m.socket()).expect("connect"))
        .collect();
    let before = cpu_ticks(pid);
    // A measurement window, not a wait for something to happen.
    std::thread::sleep(std::time::Duration::from_secs(1));
    let spent = cpu_ticks(pid) - before;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
    assert!(
        spent * 5 < hz,
        "the server spun: {spent} ticks of {hz} in 1 s"
    );
    // The connection it had still works.
    assert_eq!(served.run(&["has-session", "-t", "s"]).code, 0);
    drop(held);
    eventually(10, "the server to answer again", || {
        let r = m.run(&["has-session", "-t", "s"]);
        (r.code == 0).then_some(())
    });
}
