//! new-window, list-windows, select-window, next/previous/last-window,
//! rename-window, kill-window.

mod common;
use common::{Mux, SLEEP};

fn indices(m: &Mux, s: &str) -> String {
    m.ok(&[
        "list-windows",
        "-t",
        s,
        "-F",
        "#{window_index}:#{window_name}#{window_flags}",
    ])
    .lines()
    .collect::<Vec<_>>()
    .join(" ")
}

#[test]
fn new_window_flags() {
    let m = Mux::new();
    m.session("main", SLEEP);
    let dir = m.dir.join("wd");
    std::fs::create_dir(&dir).unwrap();
    let out = m.ok(&[
        "new-window",
        "-P",
        "-t",
        "main",
        "-n",
        "ed",
        "-c",
        dir.to_str().unwrap(),
        "-e",
        "WV=7",
        SLEEP,
    ]);
    assert_eq!(out, "main:1.0\n");
    assert_eq!(indices(&m, "main"), "0:sleep- 1:ed*");
    assert_eq!(
        m.display("main:1", "#{pane_start_path}"),
        dir.display().to_string()
    );
    m.ok(&["new-window", "-d", "-t", "main", "-n", "bg", SLEEP]);
    assert_eq!(indices(&m, "main"), "0:sleep- 1:ed* 2:bg");
    let out = m.ok(&[
        "new-window",
        "-d",
        "-P",
        "-F",
        "#{window_id} #{window_index}",
        "-t",
        "main:7",
        SLEEP,
    ]);
    assert_eq!(out, "@3 7\n");
    assert_eq!(
        m.fail(&["new-window", "-t", "main:7", SLEEP]),
        "create window failed: index 7 in use"
    );
    m.ok(&[
        "new-window",
        "-d",
        "-k",
        "-t",
        "main:7",
        "-n",
        "swapped",
        SLEEP,
    ]);
    assert_eq!(indices(&m, "main"), "0:sleep- 1:ed* 2:bg 7:swapped");
}

#[test]
fn new_window_environment() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&[
        "new-window",
        "-t",
        "main",
        "-e",
        "WV=seven",
        "echo \"[$WV]\"; sleep 1000",
    ]);
    m.wait_text("main:1", "[seven]");
}

#[test]
fn new_window_after_and_before() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["new-window", "-d", "-t", "main", "-n", "one", SLEEP]);
    m.ok(&["new-window", "-d", "-t", "main", "-n", "two", SLEEP]);
    m.ok(&[
        "new-window",
        "-d",
        "-a",
        "-t",
        "main:0",
        "-n",
        "after0",
        SLEEP,
    ]);
    assert_eq!(indices(&m, "main"), "0:sleep* 1:after0 2:one 3:two");
    m.ok(&[
        "new-window",
        "-d",
        "-b",
        "-t",
        "main:0",
        "-n",
        "first",
        SLEEP,
    ]);
    assert_eq!(indices(&m, "main"), "0:first 1:sleep* 2:after0 3:one 4:two");
}

#[test]
fn base_index_and_renumbering() {
    let m = Mux::new();
    m.session("keep", SLEEP);
    m.ok(&["set-option", "-g", "base-index", "1"]);
    m.ok(&["set-option", "-g", "renumber-windows", "on"]);
    m.session("main", SLEEP);
    m.ok(&["new-window", "-d", "-t", "main", SLEEP]);
    m.ok(&["new-window", "-d", "-t", "main", SLEEP]);
    assert_eq!(m.ok(&["lsw", "-t", "main", "-F", "#I"]), "1\n2\n3\n");
    m.ok(&["kill-window", "-t", "main:2"]);
    assert_eq!(m.ok(&["lsw", "-t", "main", "-F", "#I"]), "1\n2\n");
}

#[test]
fn list_windows_default_and_all() {
    let m = Mux::new();
    m.session("a", SLEEP);
    m.session("b", SLEEP);
    let out = m.ok(&["list-windows", "-t", "a"]);
    assert_eq!(
        out,
        "0: sleep* (1 panes) [80x24] [layout b25d,80x24,0,0,0] @0 (active)\n"
    );
    let out = m.ok(&["list-windows", "-a"]);
    assert_eq!(
        out,
        "a:0: sleep* (1 panes) [80x24] \nb:0: sleep* (1 panes) [80x24] \n"
    );
    assert_eq!(
        m.ok(&[
            "lsw",
            "-a",
            "-F",
            "#{session_name}/#{window_id}",
            "-f",
            "#{==:#S,b}"
        ]),
        "b/@1\n"
    );
}

#[test]
fn select_next_previous_last() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["new-window", "-d", "-t", "main", SLEEP]);
    m.ok(&["new-window", "-d", "-t", "main", SLEEP]);
    let cur = || m.display("main", "#{window_index}");
    m.ok(&["select-window", "-t", "main:2"]);
    assert_eq!(cur(), "2");
    m.ok(&["next-window", "-t", "main"]);
    assert_eq!(cur(), "0");
    m.ok(&["previous-window", "-t", "main"]);
    assert_eq!(cur(), "2");
    m.ok(&["select-window", "-t", "main:1"]);
    m.ok(&["last-window", "-t", "main"]);
    assert_eq!(cur(), "2");
    m.ok(&["select-window", "-l", "-t", "main"]);
    assert_eq!(cur(), "1");
    m.ok(&["select-window", "-n", "-t", "main"]);
    assert_eq!(cur(), "2");
    m.ok(&["select-window", "-p", "-t", "main"]);
    assert_eq!(cur(), "1");
    m.ok(&["select-window", "-T", "-t", "main:1"]);
    assert_eq!(cur(), "2");
    m.ok(&["select-window", "-t", "main:{start}"]);
    assert_eq!(cur(), "0");
    m.ok(&["select-window", "-t", "main:{end}"]);
    assert_eq!(cur(), "2");
    m.ok(&["select-window", "-t", "main:-"]);
    assert_eq!(cur(), "1");
    assert_eq!(
        m.fail(&["select-window", "-t", "main:9"]),
        "can't find window: 9"
    );
}

#[test]
fn single_window_has_no_next() {
    let m = Mux::new();
    m.session("main", SLEEP);
    assert_eq!(m.fail(&["next-window", "-t", "main"]), "no next window");
    assert_eq!(
        m.fail(&["previous-window", "-t", "main"]),
        "no previous window"
    );
    assert_eq!(m.fail(&["last-window", "-t", "main"]), "no last window");
}

#[test]
fn rename_and_find_by_name() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["new-window", "-d", "-t", "main", SLEEP]);
    m.ok(&["rename-window", "-t", "main:1", "logs"]);
    assert_eq!(m.display("main:logs", "#{window_index}"), "1");
    assert_eq!(m.display("main:lo", "#{window_index}"), "1");
    assert_eq!(m.display("main:l*", "#{window_index}"), "1");
    assert_eq!(m.display("@1", "#{window_name}"), "logs");
    assert_eq!(
        m.fail(&["select-window", "-t", "main:nope"]),
        "can't find window: nope"
    );
}

#[test]
fn kill_window_and_all_others() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["new-window", "-t", "main", SLEEP]);
    m.ok(&["new-window", "-t", "main", SLEEP]);
    m.ok(&["kill-window", "-t", "main:1"]);
    assert_eq!(m.ok(&["lsw", "-t", "main", "-F", "#I"]), "0\n2\n");
    m.ok(&["kill-window", "-a", "-t", "main:2"]);
    assert_eq!(m.ok(&["lsw", "-t", "main", "-F", "#I"]), "2\n");
    // The session's last window going closes the session.
    m.session("other", SLEEP);
    m.ok(&["kill-window", "-t", "main:2"]);
    assert_eq!(m.ok(&["ls", "-F", "#S"]), "other\n");
}

#[test]
fn current_window_after_kill_is_the_last_one() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["new-window", "-t", "main", SLEEP]);
    m.ok(&["new-window", "-t", "main", SLEEP]);
    m.ok(&["select-window", "-t", "main:0"]);
    m.ok(&["select-window", "-t", "main:2"]);
    m.ok(&["kill-window", "-t", "main:2"]);
    assert_eq!(m.display("main", "#{window_index}"), "0");
}
