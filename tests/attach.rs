//! Attaching: what a person sees in the client, keys, detaching, several
//! clients, resizing, and the terminal put back on every way out.

mod common;
use common::tty::Tty;
use common::{Mux, SLEEP, eventually};

const C_B: &[u8] = b"\x02";

#[test]
fn new_session_attaches_and_detaches() {
    let m = Mux::new();
    let mut t = Tty::spawn(&m, &["new-session", "-s", "work", "exec sh"], 80, 24);
    t.wait_text("$");
    assert!(t.alternate_screen(), "client uses the alternate screen");
    assert!(t.raw_mode(), "client puts its terminal in raw mode");
    // The window is named after its program once the shell has started.
    t.wait_until("the status line", |s| {
        s.contents()
            .lines()
            .last()
            .unwrap_or("")
            .starts_with("[work] 0:sh*")
    });
    t.send(b"echo $((40 + 2))\r");
    t.wait_text("42");
    assert_eq!(m.display("work", "#{session_attached}"), "1");
    t.send(C_B);
    t.send(b"d");
    assert_eq!(t.wait_exit(), 0);
    assert!(!t.alternate_screen(), "alternate screen left");
    assert!(!t.raw_mode(), "raw mode off");
    assert!(
        t.output().ends_with("[detached (from session work)]\r\n"),
        "{:?}",
        t.output()
    );
    // The session goes on without it.
    assert_eq!(m.display("work", "#{session_attached}"), "0");
    m.ok(&["has-session", "-t", "work"]);
    // The event log has the client coming and going.
    let mut w = common::wire::Wire::connect(&m.socket());
    w.subscribe(commands::proto::SubscribeRequest {
        since: Some(0),
        events: vec!["client-attached".into(), "client-detached".into()],
        ..Default::default()
    });
    let kinds: Vec<String> = (0..2)
        .map(|_| w.next_event()["type"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(kinds, ["client-attached", "client-detached"]);
}

#[test]
fn attach_session_and_no_arguments() {
    let m = Mux::new();
    m.session("bg", "echo in-bg; exec sleep 1000");
    let mut t = Tty::spawn(&m, &["attach-session", "-t", "bg"], 80, 24);
    t.wait_text("in-bg");
    t.send(C_B);
    t.send(b"d");
    assert_eq!(t.wait_exit(), 0);
    // With no command, agmux makes a session and attaches.
    let mut t = Tty::spawn(&m, &[], 60, 10);
    t.wait_until("status line of session 1", |s| {
        s.contents().contains("[1] 0:")
    });
    t.send(C_B);
    t.send(b"d");
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "1\nbg\n");
    assert_eq!(
        m.fail(&["attach", "-t", "nope"]),
        "can't find session: nope"
    );
}

#[test]
fn splits_borders_and_colours_are_drawn() {
    let m = Mux::new();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "c",
        "printf '\\033[31mred\\033[0m \\033[1;44mbold\\033[0m\\n'; exec sleep 1000",
    ]);
    m.ok(&[
        "split-window",
        "-h",
        "-t",
        "c",
        "echo right-side; exec sleep 1000",
    ]);
    let t = Tty::spawn(&m, &["attach", "-t", "c"], 80, 24);
    t.wait_text("right-side");
    t.with_screen(|s| {
        let cell = s.cell(0, 0).unwrap();
        assert_eq!(cell.contents(), "r");
        assert_eq!(cell.fgcolor(), vt100::Color::Idx(1));
        let b = s.cell(0, 4).unwrap();
        assert!(b.bold());
        assert_eq!(b.bgcolor(), vt100::Color::Idx(4));
        // The border between the panes, next to the active (right) pane: green.
        let border = s.cell(5, 40).unwrap();
        assert_eq!(border.contents(), "│");
        assert_eq!(border.fgcolor(), vt100::Color::Idx(2));
        assert_eq!(s.cell(0, 41).unwrap().contents(), "r");
    });
}

#[test]
fn status_line_shows_windows_and_follows_options() {
    let m = Mux::new();
    m.session("st", SLEEP);
    m.ok(&["new-window", "-d", "-t", "st", "-n", "logs", SLEEP]);
    let t = Tty::spawn(&m, &["attach", "-t", "st"], 80, 24);
    t.wait_until("status line", |s| {
        s.contents().contains("[st] 0:sleep* 1:logs")
    });
    t.with_screen(|s| {
        let c = s.cell(23, 0).unwrap();
        assert_eq!(
            (c.bgcolor(), c.fgcolor()),
            (vt100::Color::Idx(2), vt100::Color::Idx(0))
        );
    });
    m.ok(&["select-window", "-t", "st:1"]);
    t.wait_text("[st] 0:sleep- 1:logs*");
    m.ok(&[
        "set",
        "-t",
        "st",
        "status-left",
        "#[fg=red]<#{session_name}> ",
    ]);
    m.ok(&["set", "-t", "st", "status-right", "RIGHT"]);
    t.wait_until("custom status", |s| {
        s.contents()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("<st> 0:sleep") && l.ends_with("RIGHT"))
    });
    t.with_screen(|s| assert_eq!(s.cell(23, 0).unwrap().fgcolor(), vt100::Color::Idx(1)));
    m.ok(&["set", "-t", "st", "status", "off"]);
    t.wait_until("no status line", |s| !s.contents().contains("RIGHT"));
    assert_eq!(m.display("st", "#{window_height}"), "24");
}

#[test]
fn messages_show_on_the_status_line() {
    let m = Mux::new();
    m.session("msg", SLEEP);
    let mut t = Tty::spawn(&m, &["attach", "-t", "msg"], 80, 24);
    t.wait_text("[msg] 0:");
    m.ok(&["set", "-g", "display-time", "0"]);
    t.send(C_B);
    t.send(b":");
    t.wait_until("the prompt", |s| {
        s.contents().lines().last().map(str::trim_end) == Some(":")
    });
    t.send(b"display-message 'hello #S'\r");
    t.wait_text("hello msg");
    // An error of a command typed at the prompt is shown there too.
    t.send(b"x");
    t.wait_until("message cleared by a key", |s| {
        !s.contents().contains("hello msg")
    });
    t.send(C_B);
    t.send(b":bogus-cmd\r");
    t.wait_text("Unknown command: bogus-cmd");
}

#[test]
fn prefix_bindings_drive_the_session() {
    let m = Mux::new();
    m.session("keys", "exec sh");
    let mut t = Tty::spawn(&m, &["attach", "-t", "keys"], 80, 24);
    t.wait_text("$");
    t.send(C_B);
    t.send(b"c");
    eventually(5, "a second window", || {
        (m.ok(&["lsw", "-t", "keys", "-F", "#I"]) == "0\n1\n").then_some(())
    });
    t.send(C_B);
    t.send(b"p");
    eventually(5, "previous window", || {
        (m.display("keys", "#I") == "0").then_some(())
    });
    t.send(C_B);
    t.send(b"%");
    eventually(5, "a split", || {
        (m.display("keys", "#{window_panes}") == "2").then_some(())
    });
    t.send(C_B);
    t.send(b"\x1b[D");
    eventually(5, "left pane active", || {
        (m.display("keys", "#P") == "0").then_some(())
    });
    t.send(C_B);
    t.send(b"z");
    eventually(5, "zoomed", || {
        (m.display("keys", "#{window_zoomed_flag}") == "1").then_some(())
    });
    // A key not bound in the prefix table is dropped; after it keys go to the pane.
    t.send(C_B);
    t.send(b"Y");
    t.send(b"echo after-prefix\r");
    t.wait_text("after-prefix");
}

#[test]
fn two_clients_of_different_sizes() {
    let m = Mux::new();
    m.session("two", SLEEP);
    let a = Tty::spawn(&m, &["attach", "-t", "two"], 100, 30);
    a.wait_text("[two]");
    eventually(5, "window sized by the first client", || {
        (m.display("two", "#{window_width}x#{window_height}") == "100x29").then_some(())
    });
    let b = Tty::spawn(&m, &["attach", "-t", "two"], 60, 15);
    b.wait_text("[two]");
    // window-size latest: the newest client decides.
    eventually(5, "window sized by the latest client", || {
        (m.display("two", "#{window_width}x#{window_height}") == "60x14").then_some(())
    });
    assert_eq!(m.display("two", "#{session_attached}"), "2");
    m.ok(&["set", "-w", "-t", "two", "window-size", "largest"]);
    let first = m.ok(&["lsc", "-F", "#{client_name}"]);
    m.ok(&["refresh-client", "-t", first.lines().next().unwrap()]);
    eventually(5, "largest", || {
        (m.display("two", "#{window_width}x#{window_height}") == "100x29").then_some(())
    });
    let names = m.ok(&[
        "list-clients",
        "-F",
        "#{client_width}x#{client_height} #{client_session}",
    ]);
    let mut sizes: Vec<&str> = names.lines().collect();
    sizes.sort_unstable();
    assert_eq!(sizes, ["100x30 two", "60x15 two"]);
}

#[test]
fn resizing_the_terminal_resizes_the_window() {
    let m = Mux::new();
    m.session("rs", "exec sh");
    let t = Tty::spawn(&m, &["attach", "-t", "rs"], 80, 24);
    t.wait_text("$");
    t.resize(100, 40);
    eventually(5, "window follows the client", || {
        (m.display("rs", "#{window_width}x#{window_height}") == "100x39").then_some(())
    });
    t.wait_until("status line at the new bottom", |s| {
        s.contents().lines().count() == 40 || s.cell(39, 0).is_some_and(|c| c.contents() == "[")
    });
}

#[test]
fn client_exits_when_its_session_ends() {
    let m = Mux::new();
    m.session("keep", SLEEP);
    m.session("brief", "exec sh");
    let mut t = Tty::spawn(&m, &["attach", "-t", "brief"], 80, 24);
    t.wait_text("$");
    t.send(b"exit\r");
    assert_eq!(t.wait_exit(), 0);
    assert!(t.output().ends_with("[exited]\r\n"), "{:?}", t.output());
    assert!(!t.alternate_screen() && !t.raw_mode());
}

#[test]
fn terminal_restored_when_the_server_is_killed() {
    let m = Mux::new();
    m.session("k", SLEEP);
    let mut t = Tty::spawn(&m, &["attach", "-t", "k"], 80, 24);
    t.wait_text("[k]");
    m.ok(&["kill-server"]);
    assert_eq!(t.wait_exit(), 0);
    assert!(
        t.output().ends_with("[server exited]\r\n"),
        "{:?}",
        t.output()
    );
    assert!(!t.alternate_screen() && !t.raw_mode());
}

#[test]
fn terminal_restored_on_sigterm_and_lost_server() {
    let m = Mux::new();
    m.session("sig", SLEEP);
    let mut t = Tty::spawn(&m, &["attach", "-t", "sig"], 80, 24);
    t.wait_text("[sig]");
    let pid: i32 = m
        .ok(&["lsc", "-F", "#{client_pid}"])
        .trim()
        .parse()
        .unwrap();
    unsafe { libc::kill(pid, libc::SIGTERM) };
    assert_eq!(t.wait_exit(), 1);
    assert!(t.output().ends_with("[terminated]\r\n"), "{:?}", t.output());
    assert!(!t.alternate_screen() && !t.raw_mode());

    let mut t = Tty::spawn(&m, &["attach", "-t", "sig"], 80, 24);
    t.wait_text("[sig]");
    let server = m.server_pid().unwrap();
    unsafe { libc::kill(server, libc::SIGKILL) };
    assert_eq!(t.wait_exit(), 1);
    assert!(
        t.output().ends_with("[lost server]\r\n"),
        "{:?}",
        t.output()
    );
    assert!(!t.alternate_screen() && !t.raw_mode());
}

#[test]
fn detach_client_and_switch_client_commands() {
    let m = Mux::new();
    m.session("one", SLEEP);
    m.session("other", SLEEP);
    let mut t = Tty::spawn(&m, &["attach", "-t", "one"], 80, 24);
    t.wait_text("[one]");
    let name = m.line(&["list-clients", "-F", "#{client_name}"]);
    m.ok(&["switch-client", "-c", &name, "-t", "other"]);
    t.wait_text("[other]");
    m.ok(&["switch-client", "-c", &name, "-l"]);
    t.wait_text("[one]");
    assert_eq!(
        m.fail(&["switch-client", "-c", "/dev/nope", "-t", "other"]),
        "can't find client: /dev/nope"
    );
    m.ok(&["detach-client", "-s", "one"]);
    assert_eq!(t.wait_exit(), 0);
    assert!(t.output().ends_with("[detached (from session one)]\r\n"));
}

#[test]
fn attaching_needs_a_terminal_and_is_not_nested() {
    let m = Mux::new();
    m.session("outer", SLEEP);
    assert_eq!(
        m.fail(&["attach", "-t", "outer"]),
        "open terminal failed: not a terminal"
    );
    // From inside a pane of the same server: refused, as tmux refuses.
    let sock = m.socket().display().to_string();
    let mut t = Tty::spawn_env(
        &m,
        &["-S", &sock, "attach", "-t", "outer"],
        80,
        24,
        &[("AGMUX", &format!("{sock},1,0"))],
    );
    assert_eq!(t.wait_exit(), 1);
    assert!(
        t.output()
            .contains("sessions should be nested with care, unset $AGMUX to force"),
        "{:?}",
        t.output()
    );
}

/// A bell in another window flags it on the status line and rings the
/// client's terminal; with visual-bell on, a message says where instead.
#[test]
fn a_bell_in_another_window_rings_or_says_so() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "s", "-n", "main", SLEEP]);
    let mut t = Tty::spawn(&m, &["attach-session", "-t", "s"], 80, 24);
    t.wait_text("0:main*");
    let bells = |t: &Tty| t.output().matches('\x07').count();
    let before = bells(&t);
    m.ok(&[
        "new-window",
        "-d",
        "-n",
        "ring",
        "printf '\\a'; exec sleep 1000",
    ]);
    t.wait_text("1:ring!");
    eventually(10, "the client's terminal to ring", || {
        (bells(&t) > before).then_some(())
    });
    m.ok(&["set", "-g", "visual-bell", "on"]);
    let before = bells(&t);
    m.ok(&[
        "new-window",
        "-d",
        "-n",
        "again",
        "printf '\\a'; exec sleep 1000",
    ]);
    t.wait_text("Bell in window 2");
    assert_eq!(bells(&t), before, "visual-bell on: a message, no bell");
    // Seen once selected.
    t.send(b"\x021");
    t.wait_text("1:ring*");
}

/// The server reads the keys and draws on the terminal itself, as tmux's
/// does: with the client process stopped, typing still echoes. After
/// detaching, the terminal reads block again for the shell.
#[test]
fn the_server_holds_the_terminal_while_attached() {
    let m = Mux::new();
    m.session("main", "exec cat");
    let program = format!(
        "{} attach -t main; python3 -c 'import fcntl,os; \
         print(\"nonblock\", bool(fcntl.fcntl(0, fcntl.F_GETFL) & os.O_NONBLOCK))'; \
         exec sleep 1000",
        common::BIN
    );
    let mut t = Tty::spawn_program(
        &m,
        std::path::Path::new("/bin/sh"),
        &["-c", &program],
        80,
        24,
        &[],
    );
    t.wait_text("[main] 0:");
    let client = eventually(10, "the attached client", || {
        let pid = m.ok(&["list-clients", "-F", "#{client_pid}"]);
        pid.trim().parse::<i32>().ok()
    });
    let client = nix::unistd::Pid::from_raw(client);
    nix::sys::signal::kill(client, nix::sys::signal::Signal::SIGSTOP).unwrap();
    t.send(b"typed-while-stopped");
    t.wait_text("typed-while-stopped");
    nix::sys::signal::kill(client, nix::sys::signal::Signal::SIGCONT).unwrap();
    m.ok(&["detach-client", "-s", "main"]);
    t.wait_text("[detached (from session main)]");
    t.wait_text("nonblock False");
}
