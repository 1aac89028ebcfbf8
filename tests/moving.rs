//! break-pane, join-pane, move-pane and swap-pane: panes change places and
//! windows while their programs go on. Expected results come from tmux 3.3a
//! running the same commands.

mod common;
use common::tty::Tty;
use common::{Mux, SLEEP};

/// Every pane of every session: target, id, active flag and size.
fn panes(m: &Mux) -> String {
    m.ok(&[
        "list-panes",
        "-a",
        "-F",
        "#{window_index}.#{pane_index}:#{pane_id}#{?pane_active,*,}:#{pane_width}x#{pane_height}",
    ])
    .lines()
    .collect::<Vec<_>>()
    .join(" ")
}

fn three_panes(m: &Mux) {
    m.session("a", SLEEP);
    m.ok(&["split-window", "-d", SLEEP]);
    m.ok(&["split-window", "-d", "-h", SLEEP]);
    assert_eq!(panes(m), "0.0:%0*:40x12 0.1:%2:39x12 0.2:%1:80x11");
}

#[test]
fn swap_pane_follows_tmux() {
    let m = Mux::new();
    three_panes(&m);
    m.ok(&["swap-pane", "-D"]);
    assert_eq!(panes(&m), "0.0:%2:40x12 0.1:%0*:39x12 0.2:%1:80x11");
    m.ok(&["swapp", "-U"]);
    assert_eq!(panes(&m), "0.0:%0*:40x12 0.1:%2:39x12 0.2:%1:80x11");
    // -d: the active pane stays the active pane, wherever it goes.
    m.ok(&["swap-pane", "-d", "-s", "%0", "-t", "%2"]);
    assert_eq!(panes(&m), "0.0:%2:40x12 0.1:%0*:39x12 0.2:%1:80x11");
    // Without -d the target becomes the active pane.
    m.ok(&["swap-pane", "-s", "%1", "-t", "%2"]);
    assert_eq!(panes(&m), "0.0:%1:40x12 0.1:%0:39x12 0.2:%2*:80x11");
    m.ok(&["swap-pane", "-s", "%0", "-t", "%0"]);

    // Across windows each window's incoming pane becomes active and takes
    // the size of the place it lands in.
    m.ok(&["new-window", "-d", SLEEP]);
    m.ok(&["swap-pane", "-s", "a:1.0", "-t", "a:0.0"]);
    assert_eq!(
        panes(&m),
        "0.0:%3*:40x12 0.1:%0:39x12 0.2:%2:80x11 1.0:%1*:80x24"
    );
    assert_eq!(
        m.fail(&["swap-pane", "-s", "%9", "-t", "%0"]),
        "can't find pane: %9"
    );
}

#[test]
fn break_pane_makes_or_moves_a_window() {
    let m = Mux::new();
    m.session("a", SLEEP);
    m.ok(&["new-window", "-d", SLEEP]);
    m.ok(&["split-window", "-d", "-t", "a:0", SLEEP]);
    let out = m.ok(&["break-pane", "-P", "-s", "a:0.1"]);
    assert_eq!(out, "a:2.0\n");
    assert_eq!(panes(&m), "0.0:%0*:80x24 1.0:%1*:80x24 2.0:%2*:80x24");
    assert_eq!(m.display("a", "#{window_index}"), "2", "new window current");
    // A window of one pane moves as it is: same id, new index.
    m.ok(&["break-pane", "-s", "a:0.0"]);
    assert_eq!(
        m.ok(&["list-windows", "-F", "#{window_index}:#{window_id}"]),
        "1:@1\n2:@2\n3:@0\n"
    );
    assert_eq!(
        m.fail(&["breakp", "-s", "a:1", "-t", "a:1"]),
        "same index: 1"
    );
    assert_eq!(
        m.fail(&["breakp", "-s", "a:1", "-t", "a:2"]),
        "index in use: 2"
    );
    let out = m.ok(&[
        "break-pane",
        "-d",
        "-s",
        "a:1",
        "-t",
        "a:5",
        "-n",
        "foo",
        "-P",
        "-F",
        "#{window_index} #{window_name}",
    ]);
    assert_eq!(out, "5 foo\n");
    assert_eq!(
        m.display("a", "#{window_index}"),
        "3",
        "-d keeps the current window"
    );

    // Into another session: the last window leaving ends the session.
    m.ok(&["new-session", "-d", "-s", "b", SLEEP]);
    m.ok(&["break-pane", "-s", "b:0.0", "-t", "a:7"]);
    assert_eq!(m.fail(&["has-session", "-t", "b"]), "can't find session: b");
    assert_eq!(
        m.ok(&["list-windows", "-t", "a", "-F", "#{window_index}"]),
        "2\n3\n5\n7\n"
    );
}

#[test]
fn join_and_move_pane() {
    let m = Mux::new();
    m.session("a", SLEEP);
    m.ok(&["new-window", "-d", SLEEP]);
    m.ok(&["new-window", "-d", SLEEP]);
    m.ok(&["join-pane", "-s", "a:1", "-t", "a:0", "-h", "-l", "10"]);
    assert_eq!(panes(&m), "0.0:%0:69x24 0.1:%1*:10x24 2.0:%2*:80x24");
    assert_eq!(
        m.fail(&["joinp", "-s", "a:0.0", "-t", "a:0.0"]),
        "source and target panes must be different"
    );
    // Within its own window: the pane leaves its place for the new one.
    m.ok(&["join-pane", "-s", "a:0.0", "-t", "a:0.1"]);
    assert_eq!(panes(&m), "0.0:%1:80x12 0.1:%0*:80x11 2.0:%2*:80x24");
    // move-pane is the same command; -b goes above, -d keeps the active pane.
    m.ok(&["move-pane", "-b", "-d", "-s", "a:2", "-t", "a:0.0"]);
    assert_eq!(panes(&m), "0.0:%2:80x6 0.1:%1:80x5 0.2:%0*:80x11");
    assert_eq!(
        m.ok(&["list-windows", "-F", "#{window_index}"]),
        "0\n",
        "the emptied windows are gone"
    );
    // A pane too small to split refuses and nothing moves.
    m.ok(&["new-window", "-d", SLEEP]);
    m.ok(&["resize-pane", "-t", "a:0.1", "-y", "2"]);
    let before = panes(&m);
    assert_eq!(
        m.fail(&["join-pane", "-s", "a:1", "-t", "a:0.1", "-l", "50"]),
        "create pane failed: pane too small"
    );
    assert_eq!(panes(&m), before);
}

#[test]
fn default_keys_break_and_swap() {
    let m = Mux::new();
    let mut t = Tty::spawn(&m, &["new-session", "-s", "k", SLEEP], 80, 24);
    t.wait_text("[k] 0:");
    m.ok(&["split-window", "-t", "k", SLEEP]);
    assert_eq!(m.display("k", "#{pane_id}"), "%1");
    t.send(b"\x02}");
    common::eventually(10, "prefix } to swap down", || {
        (m.display("k", "#{pane_index}:#{pane_id}") == "0:%1").then_some(())
    });
    t.send(b"\x02{");
    common::eventually(10, "prefix { to swap up", || {
        (m.display("k", "#{pane_index}:#{pane_id}") == "1:%1").then_some(())
    });
    t.send(b"\x02!");
    common::eventually(10, "prefix ! to break the pane out", || {
        (m.display("k", "#{window_index}:#{window_panes}:#{pane_id}") == "1:1:%1").then_some(())
    });
    t.wait_text("1:sleep*");
}
