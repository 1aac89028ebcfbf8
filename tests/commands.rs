//! display-message, wait-for, options, environment, run-shell, if-shell,
//! list-commands, -V.

mod common;
use common::wire::Wire;
use common::{BIN, Mux, SLEEP, eventually};

#[test]
fn display_message_print_and_all() {
    let m = Mux::new();
    m.session("main", SLEEP);
    assert_eq!(
        m.line(&[
            "display-message",
            "-p",
            "-t",
            "main",
            "#S #{window_index} #D"
        ]),
        "main 0 %0"
    );
    assert_eq!(m.line(&["display", "-p", "-F", "#{session_name}"]), "main");
    let all = m.ok(&["display-message", "-a", "-t", "main"]);
    assert!(all.lines().any(|l| l == "session_name=main"), "{all}");
    assert!(all.lines().any(|l| l.starts_with("pid=")), "{all}");
    // Without -p and with no client attached there is nowhere to show it.
    assert_eq!(m.ok(&["display-message", "-t", "main", "hello"]), "");
    assert_eq!(
        m.fail(&["display", "-p", "-F", "x", "y"]),
        "only one of -F or argument must be given"
    );
    let year = m.line(&["display", "-p", "%Y"]);
    assert_eq!(year.len(), 4, "{year}");
}

#[test]
fn wait_for_signal_and_locks() {
    let m = Mux::new();
    m.session("main", SLEEP);
    // A waiter parks: a command sent after it on the same connection
    // answers first. Signalled, it exits.
    let mut w = Wire::connect(&m.socket());
    w.start(&["wait-for", "chan"]);
    assert_eq!(w.run(&["display", "-p", "after"]).out, "after\n");
    m.ok(&["wait-for", "-S", "chan"]);
    assert_eq!(w.finish().code, 0);
    // A signal with nobody waiting is remembered for the next wait.
    m.ok(&["wait-for", "-S", "later"]);
    m.ok(&["wait-for", "later"]);
    // A second locker waits until the first unlocks.
    m.ok(&["wait-for", "-L", "lock"]);
    w.start(&["wait-for", "-L", "lock"]);
    assert_eq!(w.run(&["display", "-p", "after"]).out, "after\n");
    m.ok(&["wait-for", "-U", "lock"]);
    assert_eq!(w.finish().code, 0);
    m.ok(&["wait-for", "-U", "lock"]);
    assert_eq!(
        m.fail(&["wait-for", "-U", "lock"]),
        "channel lock not locked"
    );
}

#[test]
fn options_set_show_unset() {
    let m = Mux::new();
    m.session("main", SLEEP);
    assert_eq!(
        m.line(&["show-options", "-g", "history-limit"]),
        "history-limit 2000"
    );
    m.ok(&["set-option", "-g", "history-limit", "5000"]);
    assert_eq!(m.line(&["show", "-gv", "history-limit"]), "5000");
    m.ok(&["set-option", "-t", "main", "history-limit", "10"]);
    assert_eq!(
        m.line(&["show-options", "-t", "main", "history-limit"]),
        "history-limit 10"
    );
    assert_eq!(m.display("main", "#{history-limit}"), "10");
    m.ok(&["set-option", "-u", "-t", "main", "history-limit"]);
    assert_eq!(m.ok(&["show-options", "-t", "main", "history-limit"]), "");
    assert_eq!(
        m.line(&["show-options", "-A", "-t", "main", "history-limit"]),
        "history-limit* 5000"
    );
    m.ok(&["set-option", "-gu", "history-limit"]);
    assert_eq!(m.line(&["show", "-gv", "history-limit"]), "2000");
    // Flags toggle with no value; window options work with -w or without.
    m.ok(&["set-option", "-g", "renumber-windows"]);
    assert_eq!(m.line(&["show", "-gv", "renumber-windows"]), "on");
    m.ok(&["set-option", "-w", "-t", "main", "remain-on-exit", "on"]);
    assert_eq!(
        m.line(&["show-options", "-w", "-t", "main"]),
        "remain-on-exit on"
    );
    m.ok(&["set-option", "-p", "-t", "main", "remain-on-exit", "failed"]);
    assert_eq!(
        m.line(&["show-options", "-p", "-t", "main"]),
        "remain-on-exit failed"
    );
    m.ok(&["set", "-s", "exit-empty", "off"]);
    assert_eq!(m.line(&["show", "-sv", "exit-empty"]), "off");
    // User options at any level, with -a and -o and -F.
    m.ok(&["set-option", "-g", "@note", "a b"]);
    m.ok(&["set-option", "-ga", "@note", "!"]);
    assert_eq!(m.line(&["show-options", "-g", "@note"]), "@note \"a b!\"");
    assert_eq!(m.display("main", "#{@note}"), "a b!");
    m.ok(&[
        "set-option",
        "-F",
        "-t",
        "main",
        "@where",
        "#{session_name}",
    ]);
    assert_eq!(m.line(&["show", "-v", "-t", "main", "@where"]), "main");
    // Arrays.
    m.ok(&["set-option", "-ga", "update-environment", "EXTRA"]);
    let arr = m.ok(&["show-options", "-g", "update-environment"]);
    assert!(arr.ends_with("update-environment[8] EXTRA\n"), "{arr}");
    assert_eq!(m.line(&["show", "-gv", "update-environment[8]"]), "EXTRA");
}

#[test]
fn option_errors() {
    let m = Mux::new();
    m.session("main", SLEEP);
    assert_eq!(
        m.fail(&["set-option", "-g", "bogus", "1"]),
        "invalid option: bogus"
    );
    m.ok(&["set-option", "-gq", "bogus", "1"]);
    assert_eq!(
        m.fail(&["set-option", "-g", "history-limit", "abc"]),
        "value is invalid: abc"
    );
    assert_eq!(
        m.fail(&["set-option", "-g", "history-limit", "-5"]),
        "value is too small: -5"
    );
    assert_eq!(
        m.fail(&["set-option", "-g", "remain-on-exit", "maybe"]),
        "unknown value: maybe"
    );
    assert_eq!(
        m.fail(&["set-option", "-g", "renumber-windows", "perhaps"]),
        "bad value: perhaps"
    );
    assert_eq!(
        m.fail(&["show-options", "-g", "bogus"]),
        "invalid option: bogus"
    );
    assert_eq!(
        m.fail(&["set-option", "-t", "nope", "history-limit", "5"]),
        "can't find session: nope"
    );
    m.ok(&["set-option", "-t", "main", "@once", "1"]);
    assert_eq!(
        m.fail(&["set-option", "-o", "-t", "main", "@once", "2"]),
        "already set: @once"
    );
}

#[test]
fn history_limit_applies_to_new_panes() {
    let m = Mux::new();
    m.session("keep", SLEEP);
    m.ok(&["set-option", "-g", "history-limit", "10"]);
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "h",
        "-y",
        "5",
        "seq 1 100; exec sleep 1000",
    ]);
    m.wait_text("h", "100");
    assert_eq!(m.display("h", "#{history_size}/#{history_limit}"), "10/10");
}

#[test]
fn environment_set_show_and_panes() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["set-environment", "-g", "GLOBAL_V", "g"]);
    m.ok(&["set-environment", "-t", "main", "SESSION_V", "s"]);
    m.ok(&["set-environment", "-t", "main", "-r", "HOME"]);
    m.ok(&["set-environment", "-g", "-h", "SECRET", "x"]);
    assert_eq!(
        m.line(&["show-environment", "-g", "GLOBAL_V"]),
        "GLOBAL_V=g"
    );
    let session = m.ok(&["show-environment", "-t", "main"]);
    assert!(
        session.contains("SESSION_V=s\n") && session.contains("-HOME\n"),
        "{session}"
    );
    assert_eq!(
        m.line(&["show-environment", "-s", "-t", "main", "SESSION_V"]),
        "SESSION_V=\"s\"; export SESSION_V;"
    );
    assert_eq!(
        m.line(&["show-environment", "-s", "-t", "main", "HOME"]),
        "unset HOME;"
    );
    assert!(!m.ok(&["show-environment", "-g"]).contains("SECRET"));
    assert_eq!(m.line(&["show-environment", "-gh"]), "SECRET=x");
    m.ok(&[
        "new-window",
        "-t",
        "main",
        "echo \"[$GLOBAL_V|$SESSION_V|${HOME-unset}|$SECRET]\"; exec sleep 1000",
    ]);
    m.wait_text("main:1", "[g|s|unset|x]");
    m.ok(&["set-environment", "-u", "-g", "GLOBAL_V"]);
    assert_eq!(
        m.fail(&["show-environment", "-g", "GLOBAL_V"]),
        "unknown variable: GLOBAL_V"
    );
    assert_eq!(
        m.fail(&["set-environment", "-g", "NOVALUE"]),
        "no value specified"
    );
    assert_eq!(
        m.fail(&["set-environment", "-g", "A=B", "c"]),
        "variable name contains ="
    );
}

#[test]
fn update_environment_copies_from_the_client() {
    let m = Mux::new();
    m.session("keep", SLEEP);
    let out = m
        .command(&[
            "new-session",
            "-d",
            "-s",
            "upd",
            "echo \"[$DISPLAY]\"; exec sleep 1000",
        ])
        .env("DISPLAY", ":42")
        .output()
        .unwrap();
    assert!(out.status.success());
    m.wait_text("upd", "[:42]");
    assert_eq!(
        m.line(&["show-environment", "-t", "upd", "DISPLAY"]),
        "DISPLAY=:42"
    );
}

#[test]
fn run_shell_output_status_and_background() {
    let m = Mux::new();
    m.session("main", SLEEP);
    assert_eq!(m.ok(&["run-shell", "echo out; echo err >&2"]), "out\n");
    let r = m.run(&["run-shell", "echo partial; exit 3"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, "partial\n"));
    assert_eq!(r.stderr, "'echo partial; exit 3' returned 3\n");
    let marker = m.dir.join("bg-done");
    let cmd = format!("touch {}", marker.display());
    assert_eq!(m.ok(&["run-shell", "-b", &cmd]), "");
    eventually(5, "background job", || marker.exists().then_some(()));
    assert_eq!(
        m.ok(&["run", "-C", "display -p ran-as-command"]),
        "ran-as-command\n"
    );
    assert_eq!(m.ok(&["run", "-d", "0.05", "echo delayed"]), "delayed\n");
    // The job sees the session's environment.
    m.ok(&["set-environment", "-t", "main", "JOB_V", "seen"]);
    assert_eq!(m.ok(&["run-shell", "-t", "main", "echo $JOB_V"]), "seen\n");
}

#[test]
fn if_shell_branches() {
    let m = Mux::new();
    m.session("main", SLEEP);
    assert_eq!(
        m.ok(&["if-shell", "true", "display -p yes", "display -p no"]),
        "yes\n"
    );
    assert_eq!(
        m.ok(&["if", "false", "display -p yes", "display -p no"]),
        "no\n"
    );
    assert_eq!(m.ok(&["if", "false", "display -p yes"]), "");
    assert_eq!(
        m.ok(&[
            "if-shell",
            "-F",
            "#{==:#{session_name},main}",
            "display -p F-yes"
        ]),
        "F-yes\n"
    );
    assert_eq!(
        m.ok(&[
            "if-shell",
            "-F",
            "0",
            "display -p a",
            "display -p b ; display -p c"
        ]),
        "b\nc\n"
    );
    m.ok(&["if-shell", "-b", "true", "set -g @bg done"]);
    eventually(5, "background if-shell", || {
        (m.run(&["show", "-gv", "@bg"]).stdout == "done\n").then_some(())
    });
    assert_eq!(
        m.fail(&["if-shell", "true", "bogus-command"]),
        "unknown command: bogus-command"
    );
}

#[test]
fn list_commands_and_version() {
    let m = Mux::new();
    m.session("main", SLEEP);
    let all = m.ok(&["list-commands"]);
    assert!(all.lines().any(|l| l.starts_with(
        "new-session (new) [-AdDEP] [-c start-directory] [-e environment] [-f flags] [-F format] [-G agent-type] [-n window-name] [-o objective] [-s session-name] [-t target-session] [-x width] [-y height] [--resume] [shell-command ...]"
    )), "{all}");
    assert_eq!(
        m.line(&[
            "lscm",
            "-F",
            "#{command_list_name}:#{command_list_alias}",
            "has-session"
        ]),
        "has-session:has"
    );
    let v = std::process::Command::new(BIN).arg("-V").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&v.stdout),
        format!("agmux {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn command_sequences() {
    let m = Mux::new();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "main",
        SLEEP,
        ";",
        "new-window",
        "-d",
        "-t",
        "main",
        SLEEP,
        ";",
        "set",
        "-g",
        "@a",
        "1",
    ]);
    assert_eq!(m.ok(&["lsw", "-t", "main", "-F", "#I"]), "0\n1\n");
    // A failing command stops the rest of its list.
    let r = m.run(&[
        "display",
        "-p",
        "one",
        ";",
        "has-session",
        "-t",
        "nope",
        ";",
        "display",
        "-p",
        "three",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (1, "one\n", "can't find session: nope\n")
    );
    // Parsing happens before anything runs.
    let r = m.run(&["set", "-g", "@b", "1", ";", "split-window", "-Q"]);
    assert_eq!(r.code, 1);
    assert_eq!(m.fail(&["show", "-gv", "@b"]), "invalid option: @b");
}
