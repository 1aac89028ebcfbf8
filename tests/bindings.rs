//! bind-key, unbind-key, list-keys and send-prefix, the command prompt with
//! its history, and confirm-before, driven from an attached client.

mod common;
use common::tty::Tty;
use common::{Mux, SLEEP, eventually};

const C_B: &[u8] = b"\x02";

#[test]
fn bind_list_and_unbind_as_tmux_prints_them() {
    let m = Mux::new();
    m.session("s", SLEEP);
    m.ok(&["bind-key", "-n", "M-q", "display-message", "hi"]);
    m.ok(&["bind", "-r", "-T", "mytable", "x", "kill-pane"]);
    m.ok(&[
        "bind",
        "-N",
        "my note",
        "-T",
        "prefix",
        "y",
        "rename-window",
        "foo",
    ]);
    // Lines and errors as tmux 3.3a prints them for the same commands.
    assert_eq!(
        m.ok(&["list-keys", "-T", "mytable"]),
        "bind-key -r -T mytable x kill-pane\n"
    );
    assert_eq!(
        m.ok(&["list-keys", "-T", "root", "M-q"]),
        "bind-key -T root M-q display-message hi\n"
    );
    assert_eq!(m.ok(&["list-keys", "-1N", "y"]), "C-b y my note\n");
    assert_eq!(m.ok(&["list-keys", "-N", "-T", "mytable"]), "");
    assert_eq!(
        m.fail(&["list-keys", "-T", "nosuch"]),
        "table nosuch doesn't exist"
    );
    assert_eq!(
        m.fail(&["bind-key", "-T", "root", "BadKeyX", "foo"]),
        "unknown key: BadKeyX"
    );
    m.ok(&["unbind", "-T", "root", "M-q"]);
    assert_eq!(
        m.fail(&["list-keys", "-T", "root", "M-q"]),
        "unknown key: M-q"
    );
    m.ok(&["unbind-key", "-a", "-T", "mytable"]);
    assert_eq!(
        m.fail(&["list-keys", "-T", "mytable"]),
        "table mytable doesn't exist"
    );
    assert_eq!(m.fail(&["unbind", "-n", "BadKeyX"]), "unknown key: BadKeyX");

    // -N lists notes in tmux's key order and layout.
    let notes = m.ok(&["list-keys", "-N"]);
    let first: Vec<&str> = notes.lines().take(3).collect();
    assert_eq!(
        first,
        [
            "C-b C-b     Send the prefix key",
            "C-b C-o     Rotate through the panes",
            "C-b C-z     Suspend the current client",
        ]
    );
    assert!(
        notes.contains("C-b M-Right Resize the pane right by 5\n"),
        "{notes}"
    );
    assert!(notes.contains("C-b y       my note\n"), "{notes}");
    // unbind -a with no table empties the prefix table, as tmux.
    m.ok(&["unbind", "-a"]);
    assert_eq!(
        m.fail(&["list-keys", "-T", "prefix"]),
        "table prefix doesn't exist"
    );
}

#[test]
fn root_tables_repeat_and_send_prefix() {
    let m = Mux::new();
    let mut t = Tty::spawn(
        &m,
        &["new-session", "-s", "k", &common::hexdump("")],
        80,
        24,
    );
    m.wait_text("k", "READY");
    let got = |m: &Mux| m.received("k").join(" ");
    // A root binding takes the key; the pane never sees it.
    m.ok(&["bind", "-n", "F5", "set", "-g", "@f5", "pressed"]);
    t.send(b"\x1b[15~a");
    eventually(10, "the root binding ran", || {
        (m.run(&["show", "-gv", "@f5"]).stdout.trim_end() == "pressed" && got(&m) == "61")
            .then_some(())
    });
    // The prefix twice sends it to the pane (send-prefix).
    t.send(C_B);
    t.send(C_B);
    eventually(10, "C-b in the pane", || (got(&m) == "61 02").then_some(()));
    // A table of one's own, entered with switch-client -T.
    m.ok(&["bind", "-T", "mine", "z", "set", "-g", "@z", "yes"]);
    m.ok(&["bind", "-n", "F6", "switch-client", "-T", "mine"]);
    t.send(b"\x1b[17~z");
    eventually(10, "the key in my table", || {
        (m.run(&["show", "-gv", "@z"]).stdout.trim_end() == "yes").then_some(())
    });
    // -r: the key repeats without the prefix within repeat-time.
    m.ok(&["set", "-g", "repeat-time", "5000"]);
    m.ok(&["bind", "-r", "Right", "set", "-ga", "@r", "x"]);
    t.send(C_B);
    t.send(b"\x1b[C\x1b[C\x1b[C");
    eventually(10, "three repeats", || {
        (m.run(&["show", "-gv", "@r"]).stdout.trim_end() == "xxx").then_some(())
    });
    assert_eq!(
        got(&m),
        "61 02",
        "bound keys and repeats never reach the pane"
    );
}

#[test]
fn prompt_with_history_and_confirm_before() {
    let m = Mux::new();
    let mut t = Tty::spawn(&m, &["new-session", "-s", "p", SLEEP], 80, 24);
    t.wait_text("[p] 0:");
    m.ok(&["split-window", "-t", "p", SLEEP]);
    // prefix : runs a command typed at the prompt.
    t.send(b"\x02:");
    t.wait_until("the prompt", |s| {
        s.contents().lines().last().map(str::trim_end) == Some(":")
    });
    t.send(b"set -g @typed one\r");
    eventually(10, "the command ran", || {
        (m.run(&["show", "-gv", "@typed"]).stdout.trim_end() == "one").then_some(())
    });
    // Up brings the last command back; edit it and run it again.
    t.send(b"\x02:\x1b[A");
    t.wait_text(":set -g @typed one");
    t.send(b"\x7f\x7f\x7ftwo\r");
    eventually(10, "the edited command ran", || {
        (m.run(&["show", "-gv", "@typed"]).stdout.trim_end() == "two").then_some(())
    });
    // Escape cancels.
    t.send(b"\x02:set -g @typed three");
    t.wait_text(":set -g @typed three");
    t.send(b"\x1b");
    t.wait_until("the prompt gone", |s| !s.contents().contains(":set"));
    assert_eq!(m.line(&["show", "-gv", "@typed"]), "two");

    // prefix x asks first; n keeps the pane, y kills it.
    t.send(b"\x02x");
    t.wait_text("kill-pane 1? (y/n)");
    t.send(b"n");
    t.wait_until("question gone", |s| !s.contents().contains("(y/n)"));
    assert_eq!(m.display("p", "#{window_panes}"), "2");
    t.send(b"\x02x");
    t.wait_text("kill-pane 1? (y/n)");
    t.send(b"y");
    eventually(10, "the pane killed", || {
        (m.display("p", "#{window_panes}") == "1").then_some(())
    });
    // command-prompt -p with a template: the answer fills %%.
    t.send(b"\x02,");
    t.wait_text("(rename-window) sleep");
    t.send(b"\x15work\r");
    eventually(10, "the window renamed", || {
        (m.display("p", "#W") == "work").then_some(())
    });
}
