//! The server's edges: startup, kill-server, the socket directory, peer
//! checks, malformed input on the socket, errors, and the tmux drop-in.

mod common;
use common::{BIN, Mux, SLEEP, eventually};
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;

fn frame(body: &[u8]) -> Vec<u8> {
    let mut f = (body.len() as u32).to_be_bytes().to_vec();
    f.extend_from_slice(body);
    f
}

fn read_frame(s: &mut UnixStream) -> Option<serde_json::Value> {
    let mut h = [0u8; 4];
    s.read_exact(&mut h).ok()?;
    let mut b = vec![0u8; u32::from_be_bytes(h) as usize];
    s.read_exact(&mut b).ok()?;
    serde_json::from_slice(&b).ok()
}

fn connect(m: &Mux) -> UnixStream {
    let s = UnixStream::connect(m.socket()).expect("connect");
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    s
}

#[test]
fn errors_are_one_line_with_status_one() {
    let m = Mux::new();
    m.session("main", SLEEP);
    assert_eq!(m.fail(&["bogus-command"]), "unknown command: bogus-command");
    assert_eq!(
        m.fail(&["list"]),
        "ambiguous command: list, could be: list-buffers, list-clients, list-commands, list-keys, list-panes, list-sessions, list-windows"
    );
    assert_eq!(
        m.fail(&["new-session", "-Z"]),
        "command new-session: unknown flag -Z"
    );
    assert_eq!(
        m.fail(&["has-session", "-t"]),
        "command has-session: -t expects an argument"
    );
    assert_eq!(
        m.fail(&["has-session", "x", "y"]),
        "command has-session: too many arguments (need at most 0)"
    );
    assert_eq!(
        m.fail(&["kill-pane", "-t", "nope:1.2"]),
        "can't find session: nope"
    );
    // The server kept everything.
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "main\n");
}

#[test]
fn garbage_frames_get_an_error_and_the_server_goes_on() {
    let m = Mux::new();
    m.session("main", SLEEP);
    let mut s = connect(&m);
    s.write_all(&frame(b"this is not json")).unwrap();
    let reply = read_frame(&mut s).expect("error reply");
    assert_eq!(reply["type"], "error");
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .starts_with("malformed frame"),
        "{reply}"
    );
    // The frame boundary held, so the same connection still works.
    s.write_all(&frame(br#"{"type":"hello","version":3}"#))
        .unwrap();
    assert_eq!(read_frame(&mut s).unwrap()["type"], "hello");
    s.write_all(&frame(
        br##"{"type":"command","argv":["display","-p","#S"],"cwd":"/","env":[]}"##,
    ))
    .unwrap();
    assert_eq!(read_frame(&mut s).unwrap()["data"], "main\n");
    assert_eq!(read_frame(&mut s).unwrap()["code"], 0);
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "main\n");
}

#[test]
fn oversized_frames_are_refused_unread() {
    let m = Mux::new();
    m.session("main", SLEEP);
    let mut s = connect(&m);
    s.write_all(&0xffff_fff0u32.to_be_bytes()).unwrap();
    let reply = read_frame(&mut s).expect("error reply");
    assert_eq!(reply["type"], "error");
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .contains("larger than the limit"),
        "{reply}"
    );
    // The connection is closed after that, and others are still served.
    assert!(read_frame(&mut s).is_none());
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "main\n");
}

#[test]
fn protocol_version_and_order_are_checked() {
    let m = Mux::new();
    m.session("main", SLEEP);
    let mut s = connect(&m);
    s.write_all(&frame(
        br#"{"type":"command","argv":["ls"],"cwd":"/","env":[]}"#,
    ))
    .unwrap();
    let reply = read_frame(&mut s).unwrap();
    assert_eq!(reply["message"], "protocol error: command before hello");
    s.write_all(&frame(br#"{"type":"hello","version":99}"#))
        .unwrap();
    let reply = read_frame(&mut s).unwrap();
    assert_eq!(
        reply["message"],
        "protocol version mismatch (client 99, server 3)"
    );
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "main\n");
}

#[test]
fn half_a_frame_then_hang_up() {
    let m = Mux::new();
    m.session("main", SLEEP);
    {
        let mut s = connect(&m);
        s.write_all(&[0, 0, 1, 0, b'{', b'"']).unwrap();
    }
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "main\n");
}

#[test]
fn kill_server_ends_everything() {
    let m = Mux::new();
    m.session("a", SLEEP);
    m.session("b", SLEEP);
    let pid = m.server_pid().unwrap();
    let child: i32 = m.display("a", "#{pane_pid}").parse().unwrap();
    m.ok(&["kill-server"]);
    eventually(5, "server to exit", || (!Mux::alive(pid)).then_some(()));
    eventually(5, "pane program to end", || {
        (!Mux::alive(child)).then_some(())
    });
    assert!(!m.socket().exists());
    let no_server = format!("no server running on {}", m.socket().display());
    assert_eq!(m.fail(&["kill-server"]), no_server);
    assert_eq!(m.fail(&["has-session", "-t", "a"]), no_server);
}

#[test]
fn start_server_and_exit_empty() {
    let m = Mux::new();
    m.ok(&["start-server"]);
    // With no sessions and exit-empty on, it is gone again.
    eventually(5, "empty server to exit", || {
        (!m.socket().exists()).then_some(())
    });
    m.ok(&["start-server", ";", "set-option", "-s", "exit-empty", "off"]);
    assert_eq!(m.ok(&["ls"]), "");
    assert!(m.socket().exists());
}

#[test]
fn server_can_run_in_the_foreground() {
    let m = Mux::new();
    let sock = m.dir.join("fg.sock");
    let mut server = m
        .command(&["-S", sock.to_str().unwrap(), "server"])
        .spawn()
        .unwrap();
    eventually(5, "foreground server socket", || {
        sock.exists().then_some(())
    });
    assert_eq!(
        m.ok(&[
            "-S",
            sock.to_str().unwrap(),
            "new-session",
            "-d",
            "-s",
            "fg",
            "-P",
            SLEEP
        ]),
        "fg:\n"
    );
    m.ok(&["-S", sock.to_str().unwrap(), "kill-server"]);
    assert!(server.wait().unwrap().success());
}

#[test]
fn socket_directory_is_private_and_checked() {
    let m = Mux::new();
    m.session("main", SLEEP);
    let meta = std::fs::metadata(m.socket_dir()).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o700);
    m.ok(&["kill-server"]);

    let open = Mux::new();
    std::fs::create_dir_all(open.socket_dir()).unwrap();
    std::fs::set_permissions(open.socket_dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let err = open.fail(&["new-session", "-d"]);
    assert_eq!(
        err,
        format!(
            "unsafe socket directory {}: mode 777 lets others in",
            open.socket_dir().display()
        )
    );

    let link = Mux::new();
    std::os::unix::fs::symlink("/tmp", link.socket_dir()).unwrap();
    let err = link.fail(&["new-session", "-d"]);
    assert_eq!(
        err,
        format!(
            "unsafe socket directory {}: not a directory",
            link.socket_dir().display()
        )
    );
}

#[test]
fn foreign_directory_and_peers_are_refused() {
    if unsafe { libc::getuid() } != 0 {
        eprintln!("not root: cannot make a directory owned by someone else; checked as root in CI");
        return;
    }
    let m = Mux::new();
    std::fs::create_dir_all(m.socket_dir()).unwrap();
    std::fs::set_permissions(m.socket_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::chown(m.socket_dir(), Some(65534), None).unwrap();
    let err = m.fail(&["new-session", "-d"]);
    assert_eq!(
        err,
        format!(
            "unsafe socket directory {}: owned by uid 65534, not 0",
            m.socket_dir().display()
        )
    );

    // Another user who can reach the socket is refused by the server itself.
    let p = Mux::new();
    let shared = p.dir.join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&p.dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let sock = shared.join("s");
    p.ok(&[
        "-S",
        sock.to_str().unwrap(),
        "new-session",
        "-d",
        "-s",
        "mine",
        SLEEP,
    ]);
    std::fs::set_permissions(&sock, std::fs::Permissions::from_mode(0o777)).unwrap();
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(setpriv) = setpriv else {
        panic!("setpriv (util-linux) is needed for this test");
    };
    let out = p
        .command_as(
            setpriv,
            &[
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                BIN,
                "-S",
                sock.to_str().unwrap(),
                "ls",
            ],
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "access not allowed\n");
    assert_eq!(
        p.ok(&["-S", sock.to_str().unwrap(), "ls", "-F", "#S"]),
        "mine\n"
    );
    p.ok(&["-S", sock.to_str().unwrap(), "kill-server"]);
}

#[test]
fn tmux_drop_in() {
    let m = Mux::new();
    let bin = m.dir.join("bin");
    std::fs::create_dir(&bin).unwrap();
    let tmux = bin.join("tmux");
    std::os::unix::fs::symlink(BIN, &tmux).unwrap();
    let run = |args: &[&str]| -> common::Run { m.command_as(&tmux, args).output().unwrap().into() };
    assert_eq!(run(&["-V"]).stdout, "tmux 3.3a\n");
    assert_eq!(
        run(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "echo \"[$TMUX_PANE][${TMUX%%,*}]\"; exec sleep 1000"
        ])
        .code,
        0
    );
    let uid = unsafe { libc::getuid() };
    let sock = m.dir.join(format!("tmux-{uid}/default"));
    assert!(sock.exists(), "socket in TMUX_TMPDIR/tmux-UID");
    common::eventually(10, "tmux env in pane", || {
        let out = run(&["capture-pane", "-p", "-t", "t"]).stdout;
        out.contains(&format!("[%0][{}]", sock.display()))
            .then_some(())
    });
    assert_eq!(
        run(&["display", "-p", "#{version}|#{no_such_var}|"]).stdout,
        "3.3a||\n"
    );
    assert_eq!(run(&["kill-server"]).code, 0);
}

/// An attach over the socket, as a client with a terminal says it: the
/// server answers `attached` and waits for the terminal itself.
fn attach_over(m: &Mux) -> UnixStream {
    let mut s = connect(m);
    s.write_all(&frame(br#"{"type":"hello","version":3}"#))
        .unwrap();
    assert_eq!(read_frame(&mut s).unwrap()["type"], "hello");
    s.write_all(&frame(
        br#"{"type":"command","argv":["attach","-t","main"],"cwd":"/","env":[],"tty":true,"size":[80,24]}"#,
    ))
    .unwrap();
    assert_eq!(read_frame(&mut s).unwrap()["type"], "attached");
    s
}

/// Sends a message with `fd` passed along (SCM_RIGHTS).
fn send_fd(s: &UnixStream, body: &[u8], fd: std::os::fd::RawFd) {
    use nix::sys::socket::{ControlMessage, MsgFlags, sendmsg};
    use std::os::fd::AsRawFd;
    let f = frame(body);
    let fds = [fd];
    let n = sendmsg::<()>(
        s.as_raw_fd(),
        &[std::io::IoSlice::new(&f)],
        &[ControlMessage::ScmRights(&fds)],
        MsgFlags::empty(),
        None,
    )
    .unwrap();
    assert_eq!(n, f.len());
}

#[test]
fn the_terminal_handed_over_must_be_one() {
    let m = Mux::new();
    m.session("main", SLEEP);
    // The message without a descriptor: the client is let go, one line.
    let mut s = attach_over(&m);
    s.write_all(&frame(br#"{"type":"tty"}"#)).unwrap();
    let reply = read_frame(&mut s).unwrap();
    assert_eq!(reply["type"], "detach", "{reply}");
    assert_eq!(
        reply["message"],
        "open terminal failed: no terminal was passed"
    );
    assert_eq!(reply["code"], 1);
    // A pipe is not a terminal.
    let mut s = attach_over(&m);
    let (r, _w) = std::io::pipe().unwrap();
    let tty = br#"{"type":"tty"}"#;
    send_fd(&s, tty, std::os::fd::AsRawFd::as_raw_fd(&r));
    let reply = read_frame(&mut s).unwrap();
    assert_eq!(reply["message"], "open terminal failed: not a terminal");
    assert_eq!(reply["code"], 1);
    // A connection that is not attached has no use for a terminal.
    let mut s = connect(&m);
    s.write_all(&frame(br#"{"type":"hello","version":3}"#))
        .unwrap();
    read_frame(&mut s).unwrap();
    send_fd(&s, tty, std::os::fd::AsRawFd::as_raw_fd(&r));
    let reply = read_frame(&mut s).unwrap();
    assert_eq!(reply["message"], "open terminal failed: not attached");
    // Descriptors sent with other messages are dropped and change nothing.
    send_fd(
        &s,
        br##"{"type":"command","argv":["display","-p","#S"],"cwd":"/","env":[]}"##,
        std::os::fd::AsRawFd::as_raw_fd(&r),
    );
    assert_eq!(read_frame(&mut s).unwrap()["data"], "main\n");
    assert_eq!(read_frame(&mut s).unwrap()["code"], 0);
    assert_eq!(m.ok(&["list-clients", "-F", "#{client_name}"]), "");
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "main\n");
}
