//! Typing and the mouse in an attached client: unbound keys reach the pane
//! exactly as a terminal sends them, and with `mouse on` clicks select
//! panes and windows, borders drag, the wheel scrolls into copy mode and a
//! drag selects, while programs that ask for the mouse get it.

mod common;
use common::tty::Tty;
use common::{Mux, SLEEP, eventually, real_tmux};
use std::path::Path;

/// A session whose pane prints each byte it receives in hex, attached.
fn hexdump_client(m: &Mux, setup: &str) -> Tty {
    let t = Tty::spawn(
        m,
        &["new-session", "-s", "h", &common::hexdump(setup)],
        80,
        24,
    );
    m.wait_text("h", "READY");
    t
}

fn received(m: &Mux) -> String {
    m.received("h").join(" ")
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn expect(m: &Mux, want: &[u8]) {
    let want = hex(want);
    eventually(10, &format!("bytes {want}"), || {
        (received(m) == want).then_some(())
    });
}

#[test]
fn typed_keys_pass_through_exactly() {
    let m = Mux::new();
    let mut t = hexdump_client(&m, "");
    // Modified arrows, function keys with modifiers, Alt, a control key and
    // UTF-8: each as the terminal sent it.
    let typed: &[&[u8]] = &[
        b"\x1b[1;5A",
        b"\x1b[1;2D",
        b"\x1b[15;3~",
        b"\x1bOP",
        b"\x1bx",
        b"\x01",
        "é".as_bytes(),
    ];
    let mut all = Vec::new();
    for k in typed {
        t.send(k);
        all.extend_from_slice(k);
        expect(&m, &all);
    }
}

#[test]
fn pastes_and_focus_reach_programs_that_ask() {
    let m = Mux::new();
    // The program asks for bracketed paste and focus reports.
    let mut t = hexdump_client(&m, "printf '\\033[?2004h\\033[?1004h'; ");
    m.ok(&["set", "-s", "focus-events", "on"]);
    t.send(b"\x1b[200~hi\x1b[201~");
    let mut want = b"\x1b[200~hi\x1b[201~".to_vec();
    expect(&m, &want);
    t.send(b"\x1b[I");
    want.extend_from_slice(b"\x1b[I");
    expect(&m, &want);
    t.send(b"\x1b[O");
    want.extend_from_slice(b"\x1b[O");
    expect(&m, &want);
    // Without focus-events, focus changes are not passed on.
    m.ok(&["set", "-s", "focus-events", "off"]);
    t.send(b"\x1b[Ix");
    want.push(b'x');
    expect(&m, &want);
}

/// An SGR mouse report for the cell at (x, y), from 0.
fn sgr(code: u32, x: u16, y: u16, release: bool) -> Vec<u8> {
    let end = if release { 'm' } else { 'M' };
    format!("\x1b[<{code};{};{}{end}", x + 1, y + 1).into_bytes()
}

fn click(t: &mut Tty, x: u16, y: u16) {
    t.send(&sgr(0, x, y, false));
    t.send(&sgr(0, x, y, true));
}

fn drag(t: &mut Tty, from: (u16, u16), to: (u16, u16)) {
    t.send(&sgr(0, from.0, from.1, false));
    let steps = 4;
    for i in 1..=steps {
        let x = from.0 as i32 + (to.0 as i32 - from.0 as i32) * i / steps;
        let y = from.1 as i32 + (to.1 as i32 - from.1 as i32) * i / steps;
        t.send(&sgr(32, x as u16, y as u16, false));
    }
    t.send(&sgr(0, to.0, to.1, true));
}

fn pane_width(m: &Mux, target: &str) -> String {
    m.display(target, "#{pane_width}")
}

#[test]
fn mouse_is_off_by_default_and_clicks_select_panes() {
    let m = Mux::new();
    let mut t = Tty::spawn(&m, &["new-session", "-s", "w", SLEEP], 80, 24);
    t.wait_text("[w] 0:");
    m.ok(&["split-window", "-h", "-t", "w", SLEEP]);
    assert_eq!(m.display("w", "#{pane_index}"), "1");
    assert!(t.with_screen(|s| s.mouse_protocol_mode() == vt100::MouseProtocolMode::None));
    click(&mut t, 5, 5);
    // Nothing happens. A key typed after the click shows it was handled:
    // a client's input is handled in order.
    m.ok(&["set", "-g", "display-time", "60000"]);
    t.send(b"\x02i");
    t.wait_text("current pane 1");
    t.send(b"x");
    assert_eq!(m.display("w", "#{pane_index}"), "1");

    m.ok(&["set", "-g", "mouse", "on"]);
    t.wait_until("the client to ask for the mouse", |s| {
        s.mouse_protocol_mode() != vt100::MouseProtocolMode::None
    });
    click(&mut t, 5, 5);
    eventually(10, "the left pane selected", || {
        (m.display("w", "#{pane_index}") == "0").then_some(())
    });
    click(&mut t, 60, 5);
    eventually(10, "the right pane selected", || {
        (m.display("w", "#{pane_index}") == "1").then_some(())
    });
}

#[test]
fn dragging_a_border_resizes() {
    let m = Mux::new();
    let mut t = Tty::spawn(&m, &["new-session", "-s", "w", SLEEP], 80, 24);
    t.wait_text("[w] 0:");
    m.ok(&["set", "-g", "mouse", "on"]);
    m.ok(&["split-window", "-h", "-t", "w", SLEEP]);
    assert_eq!(pane_width(&m, "w:0.0"), "40");
    // The border is column 40.
    drag(&mut t, (40, 10), (30, 10));
    eventually(10, "the border to follow the mouse", || {
        (pane_width(&m, "w:0.0") == "30").then_some(())
    });
    assert_eq!(pane_width(&m, "w:0.1"), "49");
    // A horizontal border, in the right half.
    m.ok(&["split-window", "-v", "-t", "w:0.1", SLEEP]);
    let h = |m: &Mux| m.display("w:0.1", "#{pane_height}");
    assert_eq!(h(&m), "11");
    drag(&mut t, (50, 11), (50, 15));
    eventually(10, "the horizontal border to move", || {
        (h(&m) == "15").then_some(())
    });
}

#[test]
fn wheel_scrolls_into_copy_mode_and_drag_selects() {
    let m = Mux::new();
    let mut t = Tty::spawn(
        &m,
        &["new-session", "-s", "w", "seq 1 100; exec sleep 1000"],
        80,
        24,
    );
    t.wait_text("100");
    m.ok(&["set", "-g", "mouse", "on"]);
    t.wait_until("mouse on", |s| {
        s.mouse_protocol_mode() != vt100::MouseProtocolMode::None
    });
    t.send(&sgr(64, 10, 10, false));
    eventually(10, "copy mode", || {
        (m.display("w", "#{pane_in_mode} #{scroll_position}") == "1 0").then_some(())
    });
    t.send(&sgr(64, 10, 10, false));
    eventually(10, "five lines up", || {
        (m.display("w", "#{scroll_position}") == "5").then_some(())
    });
    // Down to the bottom leaves (copy-mode -e).
    t.send(&sgr(65, 10, 10, false));
    eventually(10, "copy mode left", || {
        (m.display("w", "#{pane_in_mode}") == "0").then_some(())
    });

    // A drag selects from where it starts to where it ends, and copies.
    // The pane's 23 rows show 79..100 and the cursor's line: row 2 is "81".
    // With emacs keys the end is before the cursor, as tmux gives it.
    drag(&mut t, (0, 2), (1, 4));
    eventually(10, "the dragged selection copied", || {
        (m.run(&["show-buffer"]).stdout == "81\n82\n8").then_some(())
    });
    assert_eq!(m.display("w", "#{pane_in_mode}"), "0");
}

#[test]
fn status_line_clicks_and_wheel_change_windows() {
    let m = Mux::new();
    let mut t = Tty::spawn(&m, &["new-session", "-s", "w", SLEEP], 80, 24);
    t.wait_text("[w] 0:");
    m.ok(&["set", "-g", "mouse", "on"]);
    m.ok(&["new-window", "-d", "-t", "w", SLEEP]);
    m.ok(&["new-window", "-d", "-t", "w", SLEEP]);
    let status = t.wait_text("2:sleep");
    let row = status.lines().last().unwrap().to_string();
    let col = row.find("2:sleep").unwrap() as u16;
    click(&mut t, col + 1, 23);
    eventually(10, "window 2 selected", || {
        (m.display("w", "#{window_index}") == "2").then_some(())
    });
    // The wheel works over the window list only, as in tmux: over
    // status-left (column 0) it does nothing.
    t.send(&sgr(64, 0, 23, false));
    t.send(&sgr(64, col + 1, 23, false));
    eventually(10, "wheel up: previous window", || {
        (m.display("w", "#{window_index}") == "1").then_some(())
    });
    t.send(&sgr(65, col + 1, 23, false));
    eventually(10, "wheel down: next window", || {
        (m.display("w", "#{window_index}") == "2").then_some(())
    });
}

#[test]
fn programs_that_ask_for_the_mouse_get_it() {
    let m = Mux::new();
    // The program turns on button reports in SGR form.
    let mut t = hexdump_client(&m, "printf '\\033[?1000h\\033[?1006h'; ");
    m.ok(&["set", "-g", "mouse", "on"]);
    eventually(10, "mouse_any_flag", || {
        (m.display("h", "#{mouse_any_flag}") == "1").then_some(())
    });
    t.wait_until("mouse on", |s| {
        s.mouse_protocol_mode() != vt100::MouseProtocolMode::None
    });
    // Press and release at (4, 2): the pane gets both, at the same place.
    click(&mut t, 4, 2);
    let mut want = sgr(0, 4, 2, false);
    want.extend(sgr(0, 4, 2, true));
    expect(&m, &want);
    // The wheel goes to the program, not into copy mode.
    t.send(&sgr(64, 4, 2, false));
    want.extend(sgr(64, 4, 2, false));
    expect(&m, &want);
    assert_eq!(m.display("h", "#{pane_in_mode}"), "0");
    assert_eq!(m.fail(&["send-keys", "-M", "-t", "h"]), "no mouse target");
}

/// Runs `tmux args` (agmux as tmux, or tmux), giving its output.
fn run_as(m: &Mux, tmux: &Path, args: &[&str]) -> String {
    let out = m.command_as(tmux, args).output().expect("run tmux");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The row of the client's screen that shows `text`, and where on it.
fn find_on(t: &Tty, text: &str) -> (u16, u16) {
    let screen = t.wait_text(text);
    screen
        .lines()
        .enumerate()
        .find_map(|(y, l)| Some((l[..l.find(text)?].chars().count() as u16, y as u16)))
        .expect("text on screen")
}

/// Button 3 down at (x, y) until the client shows `text`: a press soon
/// after another is a second or third click (tmux counts them for 300ms),
/// which opens no menu; a later one does.
fn press_until(t: &mut Tty, (x, y): (u16, u16), text: &str) {
    for _ in 0..4 {
        t.send(&sgr(2, x, y, false));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        while std::time::Instant::now() < deadline {
            if t.contents().contains(text) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    panic!("{text:?} never showed: {}", t.contents());
}

/// tmux's default pane menu (right button on a pane), driven by the
/// mouse: a drag highlights the item under the button, its release there
/// runs it, a release outside closes the menu. What happened, step by step.
fn pane_menu_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let mut out = Vec::new();
    let t = |args: &[&str]| run_as(m, tmux, args);
    t(&[
        "-f",
        "/dev/null",
        "new",
        "-d",
        "-s",
        "s",
        "-x",
        "80",
        "-y",
        "24",
        "cat",
    ]);
    t(&["set", "-g", "mouse", "on"]);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 80, 24, &[]);
    tty.wait_text("[s] 0:");
    tty.wait_until("the client to ask for the mouse", |s| {
        s.mouse_protocol_mode() != vt100::MouseProtocolMode::None
    });
    // Button 3 down on the pane: the menu opens below the mouse.
    tty.send(&sgr(2, 9, 4, false));
    let (x, y) = find_on(&tty, "Vertical Split");
    out.push(format!("menu item at {x},{y}"));
    // Dragging onto an item highlights it (mode-style).
    tty.send(&sgr(34, x + 1, y, false));
    tty.wait_until("the item highlighted", |s| {
        s.cell(y, x)
            .is_some_and(|c| c.bgcolor() != vt100::Color::Default)
    });
    out.push("highlighted".into());
    // Releasing it there runs it.
    tty.send(&sgr(2, x + 1, y, true));
    out.push(eventually(10, "the split", || {
        let panes = t(&["list-panes", "-F", "#{pane_top}"]);
        (panes.lines().count() == 2).then_some(panes)
    }));
    tty.wait_until("the menu gone", |s| {
        !s.contents().contains("Vertical Split")
    });
    // Opened again and released outside it: closed, nothing run.
    press_until(&mut tty, (9, 4), "Vertical Split");
    tty.send(&sgr(2, 70, 20, true));
    tty.wait_until("the menu closed", |s| {
        !s.contents().contains("Vertical Split")
    });
    // A click on an item chooses it too: button 1 down highlights, up runs.
    press_until(&mut tty, (9, 4), "Horizontal Split");
    let (x, y) = find_on(&tty, "Horizontal Split");
    tty.send(&sgr(0, x + 1, y, false));
    tty.send(&sgr(0, x + 1, y, true));
    out.push(eventually(10, "the second split", || {
        let panes = t(&["list-panes", "-F", "#{pane_left},#{pane_top}"]);
        (panes.lines().count() == 3).then_some(panes)
    }));
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn the_mouse_chooses_in_menus_as_in_tmux() {
    let m = Mux::new();
    let ours = pane_menu_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(
        ours,
        [
            "menu item at 2,6",
            "highlighted",
            "0\n12\n",
            "0,0\n41,0\n0,12\n",
        ]
    );
    if let Some(real) = real_tmux() {
        assert_eq!(ours, pane_menu_transcript(&real, &Mux::new()));
    }
}

/// A popup over a pane: a click outside it is ignored, a click inside
/// reaches its program (which asked for the mouse) in the popup's own
/// cells, and button 1 on its border drags it.
fn popup_mouse_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let mut out = Vec::new();
    let t = |args: &[&str]| run_as(m, tmux, args);
    t(&[
        "-f",
        "/dev/null",
        "new",
        "-d",
        "-s",
        "p",
        "-x",
        "80",
        "-y",
        "24",
        "cat",
    ]);
    t(&["set", "-g", "mouse", "on"]);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "p"], 80, 24, &[]);
    tty.wait_text("[p] 0:");
    let program = "printf '\\033[?1000h\\033[?1006h'; stty raw -echo; printf READY; \
        dd bs=1 count=18 2>/dev/null | tr '\\033' E; exec sleep 100";
    let mut popup = m
        .command_as(
            tmux,
            &[
                "display-popup",
                "-w",
                "40",
                "-h",
                "10",
                "-x",
                "5",
                "-y",
                "15",
                program,
            ],
        )
        .spawn()
        .expect("display-popup");
    let (x, y) = find_on(&tty, "READY");
    out.push(format!("popup inside from {x},{y}"));
    // Outside: nothing for anyone (the pane's cat would echo it).
    tty.send(&sgr(0, 70, 20, false));
    tty.send(&sgr(0, 70, 20, true));
    // Inside, at the popup's (2,1): its program reads press and release.
    tty.send(&sgr(0, 8, 7, false));
    tty.send(&sgr(0, 8, 7, true));
    let (x, y) = find_on(&tty, "E[<");
    out.push(format!("{x},{y} {}", tty.row(y).trim()));
    // Button 1 on the top border, dragged: the popup follows.
    tty.send(&sgr(0, 10, 5, false));
    tty.send(&sgr(32, 11, 5, false));
    tty.send(&sgr(32, 20, 8, false));
    tty.send(&sgr(0, 20, 8, true));
    tty.wait_until("the popup moved", |s| {
        s.contents()
            .lines()
            .nth(8)
            .is_some_and(|l| l.get(15..).is_some_and(|r| r.starts_with('┌')))
    });
    let (x, y) = find_on(&tty, "E[<");
    out.push(format!("moved: {x},{y}"));
    out.push(t(&["capture-pane", "-p", "-t", "p"]).trim().to_string());
    tty.send(b"\x1b");
    let status = eventually(10, "the popup closed", || popup.try_wait().unwrap());
    out.push(format!("closed {:?}", status.code()));
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn popups_take_the_mouse_as_in_tmux() {
    let m = Mux::new();
    let ours = popup_mouse_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(
        ours,
        [
            "popup inside from 6,6",
            "11,6 │READYE[<0;3;2ME[<0;3;2m               │",
            "moved: 21,9",
            "",
            "closed Some(129)",
        ]
    );
    if let Some(real) = real_tmux() {
        assert_eq!(ours, popup_mouse_transcript(&real, &Mux::new()));
    }
}

/// Two quick clicks on a word: tmux's DoubleClick1Pane binding copies it
/// (once no third click has come) and leaves copy mode.
fn double_click_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| run_as(m, tmux, args);
    let program = "printf 'alpha beta gamma\\n'; exec cat";
    t(&[
        "-f",
        "/dev/null",
        "new",
        "-d",
        "-s",
        "d",
        "-x",
        "80",
        "-y",
        "24",
        program,
    ]);
    t(&["set", "-g", "mouse", "on"]);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "d"], 80, 24, &[]);
    tty.wait_text("alpha beta");
    tty.wait_until("the client to ask for the mouse", |s| {
        s.mouse_protocol_mode() != vt100::MouseProtocolMode::None
    });
    let mut out = Vec::new();
    click(&mut tty, 7, 0);
    click(&mut tty, 7, 0);
    out.push(eventually(10, "the word copied", || {
        Some(t(&["list-buffers", "-F", "#{buffer_sample}"])).filter(|b| !b.is_empty())
    }));
    out.push(t(&["display", "-p", "#{pane_in_mode}"]));
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn a_double_click_copies_a_word_as_in_tmux() {
    let m = Mux::new();
    let ours = double_click_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(ours, ["beta\n", "0\n"]);
    if let Some(real) = real_tmux() {
        assert_eq!(ours, double_click_transcript(&real, &Mux::new()));
    }
}
