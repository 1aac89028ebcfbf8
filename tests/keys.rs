//! send-keys (key names, -l, -H, -N) and capture-pane (-p -e -J -S -E,
//! into a buffer).

mod common;
use common::{Mux, SLEEP, eventually};

/// A pane running [`common::hexdump`] after `setup`.
fn hexdump(m: &Mux, name: &str, setup: &str) {
    m.ok(&["new-session", "-d", "-s", name, &common::hexdump(setup)]);
    m.wait_text(name, "READY");
}

fn expect_bytes(m: &Mux, name: &str, want: &[&str]) {
    let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    eventually(10, &format!("bytes {want:?}"), || {
        let got = m.received(name);
        (got == want).then_some(())
    });
}

#[test]
fn key_names_become_sequences() {
    let m = Mux::new();
    hexdump(&m, "k", "");
    m.ok(&[
        "send-keys",
        "-t",
        "k",
        "Enter",
        "Escape",
        "Tab",
        "BSpace",
        "Space",
        "C-a",
        "M-x",
    ]);
    expect_bytes(&m, "k", &["0d", "1b", "09", "7f", "20", "01", "1b", "78"]);
}

#[test]
fn cursor_and_function_keys() {
    let m = Mux::new();
    hexdump(&m, "k", "");
    m.ok(&[
        "send-keys",
        "-t",
        "k",
        "Up",
        "Home",
        "PageDown",
        "F1",
        "F12",
        "C-Left",
    ]);
    expect_bytes(
        &m,
        "k",
        &[
            "1b", "5b", "41", "1b", "5b", "31", "7e", "1b", "5b", "36", "7e", "1b", "4f", "50",
            "1b", "5b", "32", "34", "7e", "1b", "5b", "31", "3b", "35", "44",
        ],
    );
}

#[test]
fn application_cursor_mode_changes_arrows() {
    let m = Mux::new();
    hexdump(&m, "k", "printf '\\033[?1h'; ");
    m.ok(&["send-keys", "-t", "k", "Up"]);
    expect_bytes(&m, "k", &["1b", "4f", "41"]);
}

#[test]
fn literal_hex_and_repeat() {
    let m = Mux::new();
    hexdump(&m, "k", "");
    m.ok(&["send-keys", "-t", "k", "-l", "Enter"]);
    m.ok(&["send-keys", "-t", "k", "-H", "41", "0a"]);
    m.ok(&["send-keys", "-t", "k", "-N", "3", "z"]);
    m.ok(&["send", "-t", "k", "hi!"]);
    expect_bytes(
        &m,
        "k",
        &[
            "45", "6e", "74", "65", "72", "41", "0a", "7a", "7a", "7a", "68", "69", "21",
        ],
    );
    assert_eq!(
        m.fail(&["send-keys", "-t", "k", "-H", "zz"]),
        "invalid hex: zz"
    );
    assert_eq!(
        m.fail(&["send-keys", "-t", "k", "-N", "0", "x"]),
        "repeat count too small"
    );
    assert_eq!(
        m.fail(&["send-keys", "-t", "k", "-N", "x", "x"]),
        "repeat count invalid"
    );
}

#[test]
fn typing_into_a_shell() {
    let m = Mux::new();
    m.shell("sh");
    m.ok(&["send-keys", "-t", "sh", "echo $((6 * 7))", "Enter"]);
    m.wait_text("sh", "42");
}

#[test]
fn capture_history_and_ranges() {
    let m = Mux::new();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "c",
        "-y",
        "5",
        "seq 1 30; exec sleep 1000",
    ]);
    m.wait_text("c", "30");
    assert_eq!(m.capture("c"), "27\n28\n29\n30\n\n");
    assert_eq!(m.display("c", "#{history_size}"), "26");
    assert_eq!(
        m.ok(&["capture-pane", "-p", "-t", "c", "-S", "-3", "-E", "1"]),
        "24\n25\n26\n27\n28\n"
    );
    let all = m.ok(&["capture-pane", "-p", "-t", "c", "-S", "-", "-E", "-"]);
    assert_eq!(all.lines().next(), Some("1"));
    assert_eq!(all.lines().count(), 31);
    assert_eq!(
        m.ok(&["capture-pane", "-p", "-t", "c", "-S", "-1000", "-E", "-26"]),
        "1\n"
    );
    m.ok(&["clear-history", "-t", "c"]);
    assert_eq!(m.display("c", "#{history_size}"), "0");
    assert_eq!(
        m.fail(&["capture-pane", "-p", "-t", "c", "-S", "x"]),
        "start line invalid: x"
    );
}

#[test]
fn capture_escapes_and_joins() {
    let m = Mux::new();
    m.ok(&[
        "new-session", "-d", "-s", "c", "-x", "10",
        "printf '\\033[31mred\\033[0m \\033[1;44mbold\\033[0m\\n0123456789abcdef  \\n'; exec sleep 1000",
    ]);
    m.wait_text("c", "abcdef");
    let plain = m.capture("c");
    assert!(
        plain.starts_with("red bold\n0123456789\nabcdef\n"),
        "{plain:?}"
    );
    let esc = m.ok(&["capture-pane", "-p", "-e", "-t", "c"]);
    assert!(
        esc.starts_with("\x1b[31mred\x1b[39m \x1b[1;44mbold\x1b[0m\n"),
        "{esc:?}"
    );
    let joined = m.ok(&["capture-pane", "-p", "-J", "-t", "c"]);
    assert!(
        joined.starts_with("red bold\n0123456789abcdef  \n"),
        "{joined:?}"
    );
}

#[test]
fn capture_into_buffers() {
    let m = Mux::new();
    m.session("c", "echo captured; exec sleep 1000");
    m.wait_text("c", "captured");
    m.ok(&["capture-pane", "-t", "c"]);
    m.ok(&["capture-pane", "-t", "c", "-b", "mine", "-E", "0"]);
    assert_eq!(m.ok(&["show-buffer", "-b", "mine"]), "captured\n");
    assert!(
        m.ok(&["show-buffer", "-b", "buffer0"])
            .starts_with("captured\n\n")
    );
    assert_eq!(
        m.ok(&["list-buffers", "-F", "#{buffer_name}:#{buffer_size}"])
            .lines()
            .next(),
        Some("mine:9")
    );
    assert_eq!(m.fail(&["capture-pane", "-t", "%9"]), "can't find pane: %9");
}

#[test]
fn unicode_and_wide_characters() {
    let m = Mux::new();
    m.session("u", "printf 'héllo 日本語 ok\\n'; exec sleep 1000");
    m.wait_text("u", "héllo 日本語 ok");
    assert_eq!(m.display("u", "#{cursor_x},#{cursor_y}"), "0,1");
}

#[test]
fn program_queries_get_answers() {
    let m = Mux::new();
    // The shell asks for the cursor position; the answer comes back as input.
    m.session("q", "stty raw -echo; printf 'ab\\033[6n'; dd bs=1 count=6 2>/dev/null | od -An -c; exec sleep 1000");
    m.wait_text("q", "033   [   1   ;   3   R");
    let _ = SLEEP;
}

#[test]
fn buffers_set_show_list_save_load_delete() {
    let m = Mux::new();
    m.session("b", SLEEP);
    assert_eq!(m.fail(&["show-buffer"]), "no buffers");
    m.ok(&["set-buffer", "one"]);
    m.ok(&["set-buffer", "-b", "named", "line1\nline2"]);
    m.ok(&["set-buffer", "-a", "-b", "named", "!"]);
    assert_eq!(m.ok(&["show-buffer", "-b", "named"]), "line1\nline2!");
    assert_eq!(m.ok(&["show-buffer"]), "line1\nline2!");
    assert_eq!(
        m.ok(&["list-buffers"]),
        "named: 12 bytes: \"line1\\nline2!\"\nbuffer0: 3 bytes: \"one\"\n"
    );
    let file = m.dir.join("saved.txt");
    m.ok(&["save-buffer", "-b", "named", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "line1\nline2!");
    m.ok(&["save-buffer", "-a", "-b", "buffer0", "saved.txt"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "line1\nline2!one");
    m.ok(&["load-buffer", "-b", "loaded", "saved.txt"]);
    assert_eq!(
        m.ok(&["save-buffer", "-b", "loaded", "-"]),
        "line1\nline2!one"
    );
    m.ok(&["set-buffer", "-b", "loaded", "-n", "renamed"]);
    assert_eq!(m.fail(&["show-buffer", "-b", "loaded"]), "no buffer loaded");
    m.ok(&["delete-buffer", "-b", "renamed"]);
    assert_eq!(
        m.fail(&["delete-buffer", "-b", "renamed"]),
        "no buffer renamed"
    );
    assert!(
        m.fail(&["load-buffer", "missing.txt"])
            .ends_with("missing.txt: No such file or directory")
    );
}

#[test]
fn paste_buffer_into_a_pane() {
    let m = Mux::new();
    hexdump(&m, "k", "");
    m.ok(&["set-buffer", "-b", "p", "a\nb"]);
    m.ok(&["paste-buffer", "-b", "p", "-t", "k"]);
    m.ok(&["paste-buffer", "-r", "-d", "-b", "p", "-t", "k"]);
    expect_bytes(&m, "k", &["61", "0d", "62", "61", "0a", "62"]);
    assert_eq!(m.fail(&["show-buffer", "-b", "p"]), "no buffer p");
}

#[test]
fn paste_buffer_brackets_when_asked() {
    let m = Mux::new();
    hexdump(&m, "k", "printf '\\033[?2004h'; ");
    m.ok(&["set-buffer", "-b", "p", "x"]);
    m.ok(&["paste-buffer", "-p", "-b", "p", "-t", "k"]);
    expect_bytes(
        &m,
        "k",
        &[
            "1b", "5b", "32", "30", "30", "7e", "78", "1b", "5b", "32", "30", "31", "7e",
        ],
    );
}
