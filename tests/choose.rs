//! choose-tree: the tree of sessions, windows and panes in a pane, picked
//! from with keys sent to the pane or typed in an attached client.

mod common;
use common::tty::Tty;
use common::{Mux, SLEEP, eventually};

fn two_sessions(m: &Mux) {
    m.session("work", SLEEP);
    m.ok(&["new-window", "-d", "-t", "work", SLEEP]);
    m.ok(&["split-window", "-d", "-t", "work:1", SLEEP]);
    m.ok(&["new-session", "-d", "-s", "other", SLEEP]);
    // The shells exec sleep a moment later, which names their windows.
    eventually(10, "every window to be named sleep", || {
        let names = m.ok(&["list-windows", "-a", "-F", "#{window_name}"]);
        names.lines().all(|n| n == "sleep").then_some(())
    });
}

/// Keys for the tree in pane work:0.0.
fn keys(m: &Mux, keys: &[&str]) {
    let mut argv = vec!["send-keys", "-t", "work:0.0"];
    argv.extend_from_slice(keys);
    m.ok(&argv);
}

#[test]
fn choose_from_the_command_line() {
    let m = Mux::new();
    two_sessions(&m);
    m.ok(&["choose-tree", "-t", "work:0.0", "set-buffer -b picked '%%'"]);
    assert_eq!(
        m.display("work:0.0", "#{pane_in_mode} #{pane_mode}"),
        "1 tree-mode"
    );
    // Everything is expanded and the current window is selected: work:0.
    // Down moves to work:1, Right would open it; Enter chooses.
    keys(&m, &["Down", "Enter"]);
    assert_eq!(m.ok(&["show-buffer", "-b", "picked"]), "=work:1.");
    assert_eq!(m.display("work:0.0", "#{pane_in_mode}"), "0");

    // Shortcuts choose at once: with sessions collapsed, (1) is "other"
    // (sessions in the order they were made, as tmux sorts by index).
    m.ok(&[
        "choose-tree",
        "-s",
        "-t",
        "work:0.0",
        "set-buffer -b picked '%%'",
    ]);
    keys(&m, &["1"]);
    assert_eq!(m.ok(&["show-buffer", "-b", "picked"]), "=other:");

    // Opening a session and a window reaches a pane; Left goes back up.
    m.ok(&[
        "choose-tree",
        "-s",
        "-t",
        "work:0.0",
        "set-buffer -b picked '%%'",
    ]);
    keys(&m, &["Right", "Down", "Down", "Right", "Down", "Down"]);
    keys(&m, &["Enter"]);
    assert_eq!(m.ok(&["show-buffer", "-b", "picked"]), "=work:1.%2");
    m.ok(&["choose-tree", "-t", "work:0.0", "set-buffer -b picked '%%'"]);
    keys(&m, &["Left", "Left", "Enter"]);
    assert_eq!(m.ok(&["show-buffer", "-b", "picked"]), "=work:");

    // q leaves without choosing; keys in the mode never reach the program.
    m.ok(&["choose-tree", "-t", "work:0.0", "set-buffer -b picked '%%'"]);
    keys(&m, &["x", "q"]);
    assert_eq!(m.display("work:0.0", "#{pane_in_mode}"), "0");
    assert_eq!(m.ok(&["show-buffer", "-b", "picked"]), "=work:");
}

#[test]
fn zoom_while_choosing() {
    let m = Mux::new();
    two_sessions(&m);
    m.ok(&["choose-tree", "-Z", "-t", "work:1.1"]);
    assert_eq!(
        m.display("work:1", "#{window_zoomed_flag} #{pane_index}"),
        "1 1"
    );
    m.ok(&["send-keys", "-t", "work:1.1", "Escape"]);
    eventually(5, "unzoomed on leaving", || {
        (m.display("work:1", "#{window_zoomed_flag} #{pane_in_mode}") == "0 0").then_some(())
    });
}

#[test]
fn prefix_w_in_an_attached_client() {
    let m = Mux::new();
    two_sessions(&m);
    let mut t = Tty::spawn(&m, &["attach-session", "-t", "work"], 80, 24);
    t.wait_text("[work] 0:");
    t.send(b"\x02w");
    // prefix w: choose-tree -Zw, windows collapsed.
    let screen = t.wait_text("(4) └─> 0: sleep*");
    let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
    assert_eq!(
        lines[..5],
        [
            "(0) - work: 2 windows (attached)",
            "(1) ├─>   0: sleep*",
            "(2) └─> + 1: sleep",
            "(3) - other: 1 windows",
            "(4) └─> 0: sleep*",
        ],
        "{screen}"
    );
    // The current window is selected, drawn in mode-style (yellow).
    let bg = t.with_screen(|s| s.cell(1, 0).map(|c| c.bgcolor()));
    assert_eq!(bg, Some(vt100::Color::Idx(3)));
    assert!(screen.contains("┌ 0 "), "preview box: {screen}");
    // Choosing "other" switches the client to it.
    t.send(b"3");
    eventually(10, "the client on session other", || {
        (m.ok(&["list-clients", "-F", "#{client_session}"]) == "other\n").then_some(())
    });
    t.wait_text("[other] 0:");
    // prefix s: sessions collapsed; Enter on the current one.
    t.send(b"\x02s");
    t.wait_text("(1) + other: 1 windows");
    t.send(b"k\r");
    eventually(10, "the client back on work", || {
        (m.ok(&["list-clients", "-F", "#{client_session}"]) == "work\n").then_some(())
    });
}

/// Whether any cell of the screen has this background.
fn has_bg(s: &vt100::Screen, bg: vt100::Color) -> bool {
    let (rows, cols) = s.size();
    (0..rows.get())
        .any(|y| (0..cols.get()).any(|x| s.cell(y, x).is_some_and(|c| c.bgcolor() == bg)))
}

#[test]
fn display_panes_numbers_and_choice() {
    let m = Mux::new();
    let mut t = Tty::spawn(&m, &["new-session", "-s", "p", "exec sh"], 80, 24);
    t.wait_text("$");
    m.ok(&["split-window", "-h", "-t", "p", SLEEP]);
    assert_eq!(m.display("p", "#{pane_index}"), "1");
    m.ok(&["set", "-g", "display-panes-time", "60000"]);
    t.send(b"\x02q");
    // Big digits in blocks of colour: red on the active pane, blue on the other.
    t.wait_until("pane numbers", |s| {
        has_bg(s, vt100::Color::Idx(1)) && has_bg(s, vt100::Color::Idx(4))
    });
    assert!(
        t.contents().contains("39x23"),
        "pane sizes shown: {}",
        t.contents()
    );
    t.send(b"0");
    eventually(10, "pane 0 chosen", || {
        (m.display("p", "#{pane_index}") == "0").then_some(())
    });
    t.wait_until("numbers gone", |s| !has_bg(s, vt100::Color::Idx(4)));

    // Another key hides the numbers and goes on to the pane.
    t.send(b"\x02q");
    t.wait_until("pane numbers again", |s| has_bg(s, vt100::Color::Idx(1)));
    t.send(b"echo gone\r");
    m.wait_text("p:0.0", "gone\n");
    t.wait_until("numbers hidden by the key", |s| {
        !has_bg(s, vt100::Color::Idx(1))
    });
    assert_eq!(m.display("p", "#{pane_index}"), "0");

    // -d: they go by themselves; -N: numbers do not choose.
    m.ok(&[
        "display-panes",
        "-N",
        "-d",
        "200",
        "-t",
        &m.line(&["list-clients", "-F", "#{client_name}"]),
    ]);
    t.wait_until("numbers shown", |s| has_bg(s, vt100::Color::Idx(1)));
    t.wait_until("numbers timed out", |s| !has_bg(s, vt100::Color::Idx(1)));
    assert_eq!(
        m.fail(&["display-panes", "-d", "soon"]),
        "invalid duration: soon"
    );
}

/// find-window: choose-tree filtered on window names, pane titles and
/// what panes show, as tmux builds the filter.
#[test]
fn find_window_shows_only_what_matches() {
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "work", "-n", "alpha", SLEEP]);
    m.ok(&["set", "-g", "automatic-rename", "off"]);
    let content = "echo needle-$((6*7)); exec sleep 1000";
    m.ok(&["new-window", "-d", "-t", "work:1", "-n", "beta", content]);
    m.ok(&["new-window", "-d", "-t", "work:2", "-n", "gamma", SLEEP]);
    m.ok(&["select-pane", "-t", "work:2.0", "-T", "a needle title"]);
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "other",
        "-n",
        "needlework",
        SLEEP,
    ]);
    m.wait_text("work:1", "needle-42");
    let mut t = Tty::spawn(&m, &["attach-session", "-t", "work"], 80, 24);
    t.wait_text("[work] 0:");
    // The tree's rows once the screen shows `want` and `ok` holds for
    // them (the screen of the tree before may still be there).
    let rows = |t: &Tty, want: &str, ok: &dyn Fn(&[String]) -> bool| -> Vec<String> {
        eventually(10, &format!("a tree with {want:?}"), || {
            let screen = t.contents();
            let rows: Vec<String> = screen
                .lines()
                .take_while(|l| !l.starts_with('┌'))
                .map(|l| l.trim_end().to_string())
                .filter(|l| !l.is_empty())
                .collect();
            (screen.contains(want) && ok(&rows)).then_some(rows)
        })
    };
    let find = |args: &[&str]| {
        let mut argv = vec!["find-window", "-t", "work:0.0"];
        argv.extend_from_slice(args);
        m.ok(&argv);
    };

    find(&["needle"]);
    let shown = rows(&t, "(filter: active)", &|r| r.len() == 5);
    let texts: Vec<&str> = shown
        .iter()
        .map(|l| l.rsplit("> ").next().unwrap_or(l))
        .collect();
    assert_eq!(texts.len(), 5, "{shown:?}");
    assert!(shown[0].contains("work: 3 windows (attached)"), "{shown:?}");
    assert!(texts[1].starts_with("1: beta"), "{shown:?}");
    assert!(texts[2].starts_with("2: gamma"), "{shown:?}");
    assert!(shown[3].contains("other: 1 windows"), "{shown:?}");
    assert!(texts[4].starts_with("0: needlework"), "{shown:?}");
    m.ok(&["send-keys", "-t", "work:0.0", "q"]);

    for (args, only) in [
        (&["-C", "needle"][..], "1: beta"),
        (&["-T", "needle"][..], "2: gamma"),
        (&["-T", "-i", "NEEDLE"][..], "2: gamma"),
        (&["-N", "needle"][..], "0: needlework"),
        (&["-C", "-r", "needle-[0-9]+$"][..], "1: beta"),
    ] {
        find(args);
        // A session and its one window.
        let shown = rows(&t, "(filter: active)", &|r| {
            r.len() == 2 && r.iter().any(|l| l.contains(only))
        });
        assert!(shown[1].contains(only), "{args:?}: {shown:?}");
        m.ok(&["send-keys", "-t", "work:0.0", "q"]);
    }

    // Nothing matches: everything shows, and the box says so. (tmux wraps
    // a -r pattern in `*...*` as it does a glob, which glibc's regcomp
    // takes literally: -N -r and -T -r find nothing there either.)
    for args in [
        &["-N", "nothing-like-this"][..],
        &["-N", "-r", "need.ew"][..],
    ] {
        find(args);
        let shown = rows(&t, "(filter: no matches)", &|_| true);
        assert!(shown.iter().any(|l| l.contains("0: alpha")), "{shown:?}");
        m.ok(&["send-keys", "-t", "work:0.0", "q"]);
    }

    // Enter chooses: the client goes to the window found.
    find(&["-C", "needle"]);
    rows(&t, "(filter: active)", &|r| r.len() == 2);
    t.send(b"1");
    eventually(10, "the client on work:1", || {
        (m.display("work", "#{window_index}") == "1").then_some(())
    });
}

/// choose-agent (prefix A) in an attached client: three agents with their
/// status, the highlighted one's pane previewed; m sends it a message, x
/// stops it once confirmed, Enter switches to it.
#[test]
fn choose_agent_lists_agents_with_a_preview() {
    let m = Mux::new();
    for (name, objective) in [("a1", "lead"), ("a2", "parse"), ("a3", "test")] {
        let program = format!("echo preview-of-{name}; exec sleep 1000");
        m.ok(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-G",
            "shell",
            "-o",
            objective,
            &program,
        ]);
    }
    m.ok(&["agent-join-group", "-t", "a1", "team"]);
    m.ok(&["agent-join-group", "-t", "a2", "team"]);
    m.ok(&["set-agent", "-t", "a3", "-s", "waiting"]);
    let mut t = Tty::spawn(&m, &["attach-session", "-t", "a1"], 100, 30);
    t.wait_text("preview-of-a1");
    t.send(b"\x02A");
    let screen = t.wait_text("(2) ◐ a3");
    let rows: Vec<&str> = screen.lines().take(3).map(str::trim_end).collect();
    assert!(
        rows[0].starts_with("(0) ● a1  shell  lead  team*  0 tokens  "),
        "{screen}"
    );
    assert!(
        rows[1].starts_with("(1) ● a2  shell  parse  team  0 tokens  "),
        "{screen}"
    );
    assert!(
        rows[2].starts_with("(2) ◐ a3  shell  test  -  0 tokens  "),
        "{screen}"
    );
    assert!(screen.contains("preview-of-a1"), "the preview: {screen}");
    // Down: a2 highlighted, its pane previewed.
    t.send(b"j");
    t.wait_text("preview-of-a2");
    // m: a message to a2, typed in the prompt.
    t.send(b"m");
    t.wait_text("message to a2:");
    t.send(b"hello from the list\r");
    eventually(10, "the message in a2's inbox", || {
        let inbox = m.ok(&["agent-inbox", "-t", "a2"]);
        inbox.contains("hello from the list").then_some(())
    });
    // x on a3 stops it, once confirmed.
    t.send(b"j");
    t.wait_text("preview-of-a3");
    t.send(b"x");
    t.wait_text("stop a3? (y/n)");
    t.send(b"y");
    eventually(10, "a3 stopped", || {
        let all = m.ok(&["list-agents", "-a", "-F", "#{agent_key} #{agent_status}"]);
        all.lines().any(|l| l == "agent:a3 stopped").then_some(())
    });
    // Enter switches the client to the highlighted agent.
    t.wait_text("(1) ● a2");
    t.send(b"k\r");
    eventually(10, "the client on a2", || {
        (m.ok(&["list-clients", "-F", "#{client_session}"]) == "a2\n").then_some(())
    });
    // agmux's own key; agmux invoked as tmux keeps tmux's bindings exactly.
    assert!(
        m.ok(&["list-keys", "-T", "prefix"])
            .contains("choose-agent -Z")
    );
    let tmux = m.agmux_as_tmux();
    let as_tmux = |args: &[&str]| m.command_as(&tmux, args).output().unwrap();
    assert!(
        as_tmux(&["new-session", "-d", "-s", "t", SLEEP])
            .status
            .success()
    );
    let keys = as_tmux(&["list-keys", "-T", "prefix"]);
    assert!(keys.status.success());
    let keys = String::from_utf8_lossy(&keys.stdout);
    assert!(
        keys.contains("choose-tree -Zs") && !keys.contains("choose-agent"),
        "{keys}"
    );
    as_tmux(&["kill-server"]);
}
