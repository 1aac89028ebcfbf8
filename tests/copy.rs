//! Copy mode: scrolling back through a pane, selecting, searching and
//! copying into a paste buffer, from the command line and from the keys of
//! an attached client.

mod common;
use common::tty::Tty;
use common::{Mux, eventually};

const C_B: &[u8] = b"\x02";

/// A 40x10 session whose pane printed 1 to 30: 21 lines of history.
fn numbers(m: &Mux) {
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "n",
        "-x",
        "40",
        "-y",
        "10",
        "seq 1 30; exec sleep 1000",
    ]);
    m.wait_text("n", "30");
}

fn x(m: &Mux, args: &[&str]) {
    let mut argv = vec!["send-keys", "-t", "n", "-X"];
    argv.extend_from_slice(args);
    m.ok(&argv);
}

#[test]
fn select_and_copy_from_the_command_line() {
    let m = Mux::new();
    numbers(&m);
    assert_eq!(m.display("n", "#{pane_in_mode}"), "0");
    assert_eq!(
        m.fail(&["send-keys", "-t", "n", "-X", "cursor-up"]),
        "not in a mode"
    );
    m.ok(&["copy-mode", "-t", "n"]);
    assert_eq!(
        m.display(
            "n",
            "#{pane_in_mode} #{pane_mode} #{scroll_position} #{history_size}"
        ),
        "1 copy-mode 0 21"
    );
    x(&m, &["history-top"]);
    assert_eq!(
        m.display("n", "#{scroll_position} #{copy_cursor_x},#{copy_cursor_y}"),
        "21 0,0"
    );
    x(&m, &["begin-selection"]);
    m.ok(&["send-keys", "-t", "n", "-X", "-N", "2", "cursor-down"]);
    x(&m, &["end-of-line"]);
    assert_eq!(m.display("n", "#{selection_present}"), "1");
    x(&m, &["copy-selection-and-cancel"]);
    assert_eq!(m.ok(&["show-buffer"]), "1\n2\n3");
    assert_eq!(m.display("n", "#{pane_in_mode}"), "0");

    // A line from the middle of the screen, then a rectangle.
    m.ok(&["copy-mode", "-t", "n"]);
    x(&m, &["top-line"]);
    x(&m, &["select-line"]);
    x(&m, &["copy-selection"]);
    // With emacs keys (the default), without its newline, as tmux.
    assert_eq!(m.ok(&["show-buffer"]), "22");
    assert_eq!(
        m.display("n", "#{pane_in_mode}"),
        "1",
        "copy-selection stays"
    );
    x(&m, &["cursor-right"]);
    x(&m, &["begin-selection"]);
    x(&m, &["rectangle-toggle"]);
    m.ok(&["send-keys", "-t", "n", "-X", "-N", "2", "cursor-down"]);
    x(&m, &["copy-selection-and-cancel"]);
    assert_eq!(m.ok(&["show-buffer"]), "2\n3\n4");
    assert_eq!(
        m.ok(&["list-buffers", "-F", "#{buffer_name}"]),
        "buffer2\nbuffer1\nbuffer0\n"
    );

    m.ok(&["copy-mode", "-t", "n"]);
    assert_eq!(
        m.fail(&["send-keys", "-t", "n", "-X", "frobnicate"]),
        "unknown command: frobnicate"
    );
    m.ok(&["copy-mode", "-q", "-t", "n"]);
    assert_eq!(m.display("n", "#{pane_in_mode}"), "0");
}

#[test]
fn search_pages_and_leaving_at_the_bottom() {
    let m = Mux::new();
    numbers(&m);
    m.ok(&["copy-mode", "-u", "-t", "n"]);
    assert_eq!(m.display("n", "#{scroll_position}"), "10", "-u: a page up");
    x(&m, &["search-backward", "7"]);
    // The cursor stays on the bottom row (21); back from there, 17 comes
    // before 7.
    let at = "#{scroll_position} #{copy_cursor_x},#{copy_cursor_y}";
    assert_eq!(m.display("n", at), "10 1,5");
    x(&m, &["search-again"]);
    assert_eq!(m.display("n", at), "15 0,0", "7, at the top of the view");
    x(&m, &["search-reverse"]);
    assert_eq!(
        m.display("n", at),
        "14 1,9",
        "forward again: 17, at the bottom"
    );
    x(&m, &["start-of-line"]);
    x(&m, &["copy-end-of-line"]);
    assert_eq!(m.ok(&["show-buffer"]), "17");
    assert_eq!(m.display("n", "#{pane_in_mode}"), "0");

    // -e: scrolling back to the bottom leaves copy mode.
    m.ok(&["copy-mode", "-e", "-u", "-t", "n"]);
    x(&m, &["halfpage-down"]);
    assert_eq!(m.display("n", "#{pane_in_mode} #{scroll_position}"), "1 5");
    x(&m, &["page-down"]);
    assert_eq!(m.display("n", "#{pane_in_mode}"), "0");
}

#[test]
fn view_holds_while_output_arrives() {
    let m = Mux::new();
    m.shell("s");
    m.ok(&["send-keys", "-t", "s", "seq 1 100", "Enter"]);
    m.wait_text("s", "100\n");
    m.ok(&["copy-mode", "-t", "s"]);
    m.ok(&["send-keys", "-t", "s", "-X", "history-top"]);
    let top: usize = m.display("s", "#{scroll_position}").parse().unwrap();
    // Keys sent to a pane in copy mode go to the mode, not the shell
    // (keys the mode leaves unbound: with tmux's tables Space pages down
    // and t prompts for a character, which fails without a client).
    m.ok(&["send-keys", "-t", "s", "echoloss", "Enter"]);
    // Output arriving moves the view further from the bottom; the top line
    // stays where it was.
    let tty = m.display("s", "#{pane_tty}");
    std::fs::write(&tty, "a\r\nb\r\nc\r\n").unwrap();
    eventually(10, "the view to hold", || {
        let now: usize = m.display("s", "#{scroll_position}").parse().unwrap();
        (now == top + 3).then_some(())
    });
    m.ok(&["send-keys", "-t", "s", "-X", "copy-end-of-line"]);
    assert_eq!(m.ok(&["show-buffer"]), "$ seq 1 100");
    m.ok(&["send-keys", "-t", "s", "echo ok", "Enter"]);
    m.wait_text("s", "ok\n");
    assert!(!m.capture("s").contains("loss"));
}

#[test]
fn keys_in_an_attached_client() {
    let m = Mux::new();
    let mut t = Tty::spawn_env(
        &m,
        &["new-session", "-s", "k", "seq 1 50; exec sleep 1000"],
        40,
        12,
        &[("VISUAL", "/usr/bin/vim")],
    );
    t.wait_text("50");
    assert_eq!(m.line(&["show", "-gwv", "mode-keys"]), "vi", "VISUAL=vim");
    t.send(C_B);
    t.send(b"[");
    // The position indicator, top right, in mode-style.
    t.wait_until("position indicator", |s| {
        s.contents()
            .lines()
            .next()
            .unwrap_or("")
            .ends_with("[0/40]")
    });
    t.send(b"k");
    t.wait_until("view scrolled by the cursor", |_| {
        m.display("k", "#{copy_cursor_y}") == "9"
    });
    t.send(b"gV");
    t.wait_text("[40/40]");
    let first = t.with_screen(|s| {
        s.cell(0, 0)
            .map(|c| (c.contents().to_string(), c.bgcolor()))
    });
    assert_eq!(
        first,
        Some(("1".to_string(), vt100::Color::Idx(3))),
        "selected line in yellow"
    );
    t.send(b"j\r");
    eventually(10, "the copied lines", || {
        (m.run(&["show-buffer"]).stdout == "1\n2\n").then_some(())
    });
    assert_eq!(m.display("k", "#{pane_in_mode}"), "0");
    t.wait_until("indicator gone", |s| !s.contents().contains("[40/40]"));

    // Search through the prompt, then leave with q.
    t.send(C_B);
    t.send(b"[");
    t.wait_text("[0/40]");
    t.send(b"?");
    t.wait_text("(search up)");
    t.send(b"12\r");
    t.wait_until("found 12", |_| {
        m.display("k", "#{scroll_position} #{copy_cursor_y}") == "29 0"
    });
    t.send(b"q");
    t.wait_until("copy mode left", |_| {
        m.display("k", "#{pane_in_mode}") == "0"
    });

    // With emacs keys, C-b PPage enters a page up and M-w copies.
    m.ok(&["set", "-gw", "mode-keys", "emacs"]);
    t.send(C_B);
    t.send(b"\x1b[5~");
    t.wait_until("a page up", |_| {
        m.display("k", "#{scroll_position}") == "11"
    });
    t.send(b"\x01\x00\x05\x1bw");
    eprintln!(
        "DEBUG {:?} {}",
        m.run(&["show-buffer"]).stdout,
        m.display("k", "#{pane_in_mode} #{selection_present} #{copy_cursor_x}")
    );
    eventually(10, "the copied line", || {
        (m.run(&["show-buffer"]).stdout == "40").then_some(())
    });
}

#[test]
fn output_of_keys_goes_to_view_mode() {
    let m = Mux::new();
    let mut t = Tty::spawn(&m, &["new-session", "-s", "v", "exec sh"], 80, 24);
    t.wait_text("$");
    // prefix ? lists the keys in view mode, from the top.
    t.send(b"\x02?");
    let screen = t.wait_text("Send the prefix key");
    assert_eq!(m.display("v", "#{pane_mode}"), "view-mode");
    assert!(
        screen.lines().next().unwrap().starts_with("C-b "),
        "{screen}"
    );
    assert!(
        screen.lines().next().unwrap().ends_with(']'),
        "position shown: {screen}"
    );
    t.send(b"q");
    t.wait_until("view mode left", |_| {
        m.display("v", "#{pane_in_mode}") == "0"
    });
    // Output of a command typed at the prompt too; more output appends.
    t.send(b"\x02:display-message -p first\r");
    t.wait_text("first");
    t.send(b"\x02:display-message -p second\r");
    let screen = t.wait_text("second");
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[0].starts_with("first") && lines[1].trim_end() == "second",
        "{screen}"
    );
    // An error still goes to the status line.
    t.send(b"q\x02:nosuchcommand\r");
    t.wait_text("Unknown command: nosuchcommand");
    assert_eq!(m.display("v", "#{pane_in_mode}"), "0");
}
