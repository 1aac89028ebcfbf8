//! customize-mode: the tree of options and key bindings, drawn as tmux
//! 3.3a draws it (checked against tmux itself where it is installed), and
//! the changes made from it: values edited in the prompt, flags toggled,
//! options reset and unset, key bindings changed and removed.

mod common;
use common::tty::Tty;
use common::{Mux, Run, eventually, real_tmux};
use std::path::Path;

/// The list part of a 100x30 pane in customize-mode (its first 18 rows;
/// the preview takes the last 12), after each step of keys sent to it.
fn tree_rows(m: &Mux, tmux: &Path, steps: &[(&[&str], &str)]) -> Vec<Vec<String>> {
    let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
    let new = [
        "-f",
        "/dev/null",
        "new",
        "-d",
        "-s",
        "s",
        "-x",
        "100",
        "-y",
        "30",
        "exec sh",
        ";",
        "set",
        "-g",
        "status",
        "off",
    ];
    assert_eq!(t(&new).code, 0);
    let tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 100, 30, &[]);
    tty.wait_until("the shell", |s| s.contents().contains('$'));
    assert_eq!(t(&["customize-mode", "-t", "s:"]).code, 0);
    let mut out = Vec::new();
    for (keys, until) in steps {
        if !keys.is_empty() {
            let mut argv = vec!["send-keys", "-t", "s:"];
            argv.extend_from_slice(keys);
            assert_eq!(t(&argv).code, 0);
        }
        tty.wait_until(until, |s| s.contents().contains(until));
        out.push(
            (0..=18)
                .map(|y| tty.row(y).trim_end().to_string())
                .collect(),
        );
    }
    let _ = t(&["kill-server"]);
    out
}

const STEPS: &[(&[&str], &str)] = &[
    (&[], "(6) + Key Table - root"),
    (&["Down", "Right"], "├─>   activity-action: other"),
    (&["Left", "Down", "Right"], "(2)   - Window & Pane Options"),
];

#[test]
fn the_tree_is_drawn_as_tmux_draws_it() {
    let m = Mux::new();
    let ours = tree_rows(&m, &m.agmux_as_tmux(), STEPS);
    assert_eq!(
        ours[0][..8],
        [
            "(0) + Server Options",
            "(1) + Session Options",
            "(2) + Window & Pane Options",
            "(3) + Key Table - copy-mode",
            "(4) + Key Table - copy-mode-vi",
            "(5) + Key Table - prefix",
            "(6) + Key Table - root",
            "",
        ]
    );
    assert_eq!(ours[1][2], "(2)   ├─>   activity-action: other");
    assert!(
        ours[1][18].starts_with("┌ Session Options ─"),
        "{:?}",
        ours[1]
    );
    let Some(tmux) = real_tmux() else {
        return;
    };
    let m = Mux::new();
    assert_eq!(ours, tree_rows(&m, &tmux, STEPS));
}

/// An attached client on session s (a shell) with customize-mode open
/// from `args`, showing `until`.
fn customizing(m: &Mux, args: &[&str], until: &str) -> Tty {
    if m.run(&["has-session", "-t", "s"]).code != 0 {
        m.ok(&[
            "new-session",
            "-d",
            "-s",
            "s",
            "-x",
            "100",
            "-y",
            "30",
            "exec sh",
        ]);
    }
    let tty = Tty::spawn(m, &["attach-session", "-t", "s"], 100, 31);
    tty.wait_text("[s] 0:");
    let mut argv = vec!["customize-mode", "-t", "s:"];
    argv.extend_from_slice(args);
    m.ok(&argv);
    tty.wait_text(until);
    tty
}

fn keys(m: &Mux, keys: &[&str]) {
    let mut argv = vec!["send-keys", "-t", "s:"];
    argv.extend_from_slice(keys);
    m.ok(&argv);
}

#[test]
fn options_are_edited_reset_and_unset_from_the_tree() {
    let m = Mux::new();
    let only = "#{==:#{option_name},history-limit}";
    let mut tty = customizing(&m, &["-Z", "-f", only], "(1) + Session Options");
    assert_eq!(m.display("s:", "#{pane_mode}"), "options-mode");
    // What the filter does not match is not there, but every section is.
    assert!(
        tty.row(0).starts_with("(0)   Server Options"),
        "{}",
        tty.contents()
    );
    keys(&m, &["Down", "Right", "Down"]);
    tty.wait_text("(2) └─> history-limit: 2000 lines");
    tty.wait_text("┌ history-limit (filter: active) ");
    // Enter edits the session's value in the prompt, the old one given.
    keys(&m, &["Enter"]);
    tty.wait_text("(history-limit, for session s) 2000");
    tty.send(b"\x7f\x7f\x7f\x7f5000\r");
    eventually(10, "the session's value", || {
        (m.ok(&["show-options", "-t", "s:", "history-limit"]) == "history-limit 5000\n")
            .then_some(())
    });
    // The row says where the value is from, the preview what it was.
    tty.wait_text("(2) └─> history-limit: (session s) 5000 lines");
    tty.wait_text("The default is: 2000 lines");
    tty.wait_text("Global value: 2000 lines");
    // d resets it, once confirmed.
    keys(&m, &["d"]);
    tty.wait_text("Reset history-limit to default? ");
    tty.send(b"y");
    eventually(10, "the session's value gone", || {
        m.ok(&["show-options", "-t", "s:", "history-limit"])
            .is_empty()
            .then_some(())
    });
    tty.wait_text("(2) └─> history-limit: 2000 lines");
    // u unsets a global one: it goes back to its default. q leaves.
    m.ok(&["set", "-g", "history-limit", "7"]);
    keys(&m, &["u"]);
    tty.wait_text("Unset history-limit? ");
    tty.send(b"y");
    eventually(10, "the global value reset", || {
        (m.ok(&["show-options", "-g", "history-limit"]) == "history-limit 2000\n").then_some(())
    });
    keys(&m, &["q"]);
    eventually(10, "out of the mode", || {
        (m.display("s:", "#{pane_in_mode}") == "0").then_some(())
    });
}

#[test]
fn flags_toggle_and_formats_and_no_preview_are_honoured() {
    let m = Mux::new();
    let only = "#{==:#{option_name},synchronize-panes}";
    let fmt = "[#{option_value}] #{?option_is_global,global,#{option_scope}}";
    let tty = customizing(
        &m,
        &["-N", "-f", only, "-F", fmt],
        "(2) + Window & Pane Options",
    );
    keys(&m, &["Down", "Down", "Right", "Down"]);
    tty.wait_text("(3) └─> synchronize-panes: [off] global");
    // No preview: nothing below the list.
    assert!(!tty.contents().contains('┌'), "{}", tty.contents());
    // A flag changes at once, on the pane (synchronize-panes may be a
    // pane's), as tmux's Enter.
    keys(&m, &["Enter"]);
    tty.wait_text("(3) └─> synchronize-panes: [on] pane 0");
    assert_eq!(
        m.ok(&["show-options", "-p", "-t", "s:", "synchronize-panes"]),
        "synchronize-panes on\n"
    );
}

#[test]
fn key_bindings_are_changed_and_removed_from_the_tree() {
    let m = Mux::new();
    let only = "#{&&:#{is_key},#{==:#{key},t}}";
    let mut tty = customizing(&m, &["-f", only], "(5) + Key Table - prefix");
    // The prefix table's t, and under it its command, note and repeat.
    keys(&m, &["5", "Right", "Down", "Right"]);
    tty.wait_text("(7)       ├─> Command: clock-mode");
    tty.wait_text("This key is in the prefix table.");
    tty.wait_text("This key does not repeat.");
    keys(&m, &["Down", "Down", "Down", "Enter"]);
    tty.wait_text("Repeat: on");
    assert_eq!(
        m.ok(&["list-keys", "-T", "prefix", "t"])
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["bind-key", "-r", "-T", "prefix", "t", "clock-mode"]
    );
    // Its command edited in the prompt.
    keys(&m, &["Up", "Up", "Enter"]);
    tty.wait_text("(t) clock-mode");
    tty.send(b"\x15display-message hi\r");
    tty.wait_text("Command: display-message hi");
    tty.wait_text("The default is: clock-mode");
    // d puts the default back; u removes the binding.
    keys(&m, &["d"]);
    tty.wait_text("Reset t to default? ");
    tty.send(b"y");
    tty.wait_text("Command: clock-mode");
    keys(&m, &["u"]);
    tty.wait_text("Unset t? ");
    tty.send(b"y");
    eventually(10, "t unbound", || {
        (m.run(&["list-keys", "-T", "prefix", "t"]).code == 1).then_some(())
    });
}

#[test]
fn prefix_c_opens_it_zoomed() {
    let m = Mux::new();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "s",
        "-x",
        "100",
        "-y",
        "30",
        "exec sh",
    ]);
    m.ok(&["split-window", "-d", "-t", "s:", "exec sh"]);
    let mut tty = Tty::spawn(&m, &["attach-session", "-t", "s"], 100, 31);
    tty.wait_text("[s] 0:");
    tty.send(b"\x02C");
    tty.wait_text("(6) + Key Table - root");
    assert_eq!(
        m.display("s:", "#{pane_mode} #{window_zoomed_flag}"),
        "options-mode 1"
    );
}
