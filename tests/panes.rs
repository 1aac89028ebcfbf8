//! split-window, list-panes, select-pane, kill-pane, resize-pane,
//! select-layout, pane death and remain-on-exit.

mod common;
use common::{Mux, SLEEP, eventually};

fn geometry(m: &Mux, t: &str) -> String {
    m.ok(&[
        "list-panes",
        "-t",
        t,
        "-F",
        "#{pane_id}:#{pane_left},#{pane_top},#{pane_width}x#{pane_height}#{?pane_active,*,}",
    ])
    .lines()
    .collect::<Vec<_>>()
    .join(" ")
}

#[test]
fn split_window_sizes_match_tmux() {
    let m = Mux::new();
    m.session("main", SLEEP);
    let out = m.ok(&["split-window", "-h", "-P", "-t", "main", SLEEP]);
    assert_eq!(out, "main:0.1\n");
    assert_eq!(geometry(&m, "main"), "%0:0,0,40x24 %1:41,0,39x24*");
    m.ok(&["split-window", "-v", "-t", "main:0.1", SLEEP]);
    assert_eq!(
        geometry(&m, "main"),
        "%0:0,0,40x24 %1:41,0,39x12 %2:41,13,39x11*"
    );
    m.ok(&["split-window", "-d", "-v", "-l", "30%", "-t", "%0", SLEEP]);
    assert_eq!(
        geometry(&m, "main"),
        "%0:0,0,40x16 %3:0,17,40x7 %1:41,0,39x12 %2:41,13,39x11*"
    );
    assert_eq!(
        m.display("main", "#{window_layout}"),
        "7587,80x24,0,0{40x24,0,0[40x16,0,0,0,40x7,0,17,3],39x24,41,0[39x12,41,0,1,39x11,41,13,2]}"
    );
}

#[test]
fn split_before_full_and_cells() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["split-window", "-h", "-b", "-l", "10", "-t", "main", SLEEP]);
    assert_eq!(geometry(&m, "main"), "%1:0,0,10x24* %0:11,0,69x24");
    m.ok(&["split-window", "-v", "-f", "-l", "5", "-t", "main", SLEEP]);
    assert_eq!(
        geometry(&m, "main"),
        "%1:0,0,10x18 %0:11,0,69x18 %2:0,19,80x5*"
    );
    let out = m.ok(&[
        "split-window",
        "-d",
        "-P",
        "-F",
        "#{pane_id}:#{pane_active}",
        "-t",
        "%0",
        SLEEP,
    ]);
    assert_eq!(out, "%3:0\n");
}

#[test]
fn split_window_cwd_env_and_command() {
    let m = Mux::new();
    m.session("main", SLEEP);
    let dir = m.dir.join("there");
    std::fs::create_dir(&dir).unwrap();
    m.ok(&[
        "split-window",
        "-t",
        "main",
        "-c",
        dir.to_str().unwrap(),
        "-e",
        "SPLIT_V=yes",
        "echo \"$SPLIT_V:$PWD\"; sleep 1000",
    ]);
    m.wait_text("main.1", &format!("yes:{}", dir.display()));
}

#[test]
fn no_space_for_new_pane() {
    let m = Mux::new();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "tiny",
        "-x",
        "10",
        "-y",
        "5",
        SLEEP,
    ]);
    let mut last = String::new();
    for _ in 0..6 {
        let r = m.run(&["split-window", "-t", "tiny", SLEEP]);
        if r.code != 0 {
            last = r.stderr;
            break;
        }
    }
    assert_eq!(last.trim_end(), "no space for new pane");
    assert_eq!(
        m.fail(&["split-window", "-l", "abc", "-t", "tiny"]),
        "size invalid: abc"
    );
}

#[test]
fn list_panes_scopes_and_default_format() {
    let m = Mux::new();
    m.session("a", SLEEP);
    m.ok(&["split-window", "-t", "a", SLEEP]);
    m.ok(&["new-window", "-t", "a", SLEEP]);
    m.session("b", SLEEP);
    let out = m.ok(&["list-panes", "-t", "a:0"]);
    assert_eq!(
        out,
        // As tmux 3.3a counts them: each line of its grid is 32 bytes.
        "0: [80x12] [history 0/2000, 384 bytes] %0\n1: [80x11] [history 0/2000, 352 bytes] %1 (active)\n"
    );
    assert_eq!(
        m.ok(&[
            "list-panes",
            "-s",
            "-t",
            "a",
            "-F",
            "#{window_index}.#{pane_index}"
        ]),
        "0.0\n0.1\n1.0\n"
    );
    assert_eq!(
        m.ok(&["lsp", "-a", "-F", "#S:#I.#P"]),
        "a:0.0\na:0.1\na:1.0\nb:0.0\n"
    );
    assert_eq!(
        m.ok(&["lsp", "-a", "-F", "#D", "-f", "#{pane_active}"]),
        "%1\n%2\n%3\n"
    );
}

#[test]
fn select_pane_directions_last_and_title() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["split-window", "-h", "-t", "main", SLEEP]); // %1 right
    m.ok(&["split-window", "-v", "-t", "main", SLEEP]); // %2 below %1
    let active = || m.display("main", "#{pane_id}");
    assert_eq!(active(), "%2");
    m.ok(&["select-pane", "-U", "-t", "main"]);
    assert_eq!(active(), "%1");
    m.ok(&["select-pane", "-L", "-t", "main"]);
    assert_eq!(active(), "%0");
    m.ok(&["select-pane", "-R", "-t", "main"]);
    // Of the two panes on the right, the most recently active is chosen.
    assert_eq!(active(), "%1");
    m.ok(&["select-pane", "-D", "-t", "main"]);
    assert_eq!(active(), "%2");
    m.ok(&["select-pane", "-l", "-t", "main"]);
    assert_eq!(active(), "%1");
    m.ok(&["last-pane", "-t", "main"]);
    assert_eq!(active(), "%2");
    m.ok(&["select-pane", "-t", "main:0.0"]);
    assert_eq!(active(), "%0");
    m.ok(&["select-pane", "-t", "main:0.{right}"]);
    m.ok(&["select-pane", "-t", "%0", "-T", "editor #{pane_index}"]);
    assert_eq!(m.display("%0", "#{pane_title}"), "editor 0");
    assert_eq!(
        m.fail(&["select-pane", "-t", "main:0.7"]),
        "can't find pane: 7"
    );
    assert_eq!(
        m.fail(&["select-pane", "-t", "%99"]),
        "can't find pane: %99"
    );
}

#[test]
fn kill_pane_and_others() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["split-window", "-h", "-t", "main", SLEEP]);
    m.ok(&["split-window", "-h", "-t", "main", SLEEP]);
    m.ok(&["kill-pane", "-t", "%1"]);
    assert_eq!(m.ok(&["lsp", "-t", "main", "-F", "#D"]), "%0\n%2\n");
    m.ok(&["split-window", "-t", "main", SLEEP]);
    m.ok(&["kill-pane", "-a", "-t", "%0"]);
    assert_eq!(geometry(&m, "main"), "%0:0,0,80x24*");
}

#[test]
fn resize_pane_borders_sizes_and_zoom() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["split-window", "-h", "-t", "main", SLEEP]);
    m.ok(&["resize-pane", "-t", "%0", "-R", "5"]);
    assert_eq!(geometry(&m, "main"), "%0:0,0,45x24 %1:46,0,34x24*");
    m.ok(&["resize-pane", "-t", "%1", "-L"]);
    assert_eq!(geometry(&m, "main"), "%0:0,0,44x24 %1:45,0,35x24*");
    m.ok(&["resize-pane", "-t", "%1", "-x", "20"]);
    assert_eq!(geometry(&m, "main"), "%0:0,0,59x24 %1:60,0,20x24*");
    m.ok(&["resize-pane", "-t", "%0", "-x", "50%"]);
    assert_eq!(geometry(&m, "main"), "%0:0,0,40x24 %1:41,0,39x24*");
    m.ok(&["split-window", "-v", "-t", "%1", SLEEP]);
    m.ok(&["resize-pane", "-t", "%1", "-y", "5"]);
    m.ok(&["resize-pane", "-t", "%2", "-U", "2"]);
    assert_eq!(
        geometry(&m, "main"),
        "%0:0,0,40x24 %1:41,0,39x3 %2:41,4,39x20*"
    );
    m.ok(&["resize-pane", "-t", "%1", "-D", "10"]);
    assert_eq!(
        geometry(&m, "main"),
        "%0:0,0,40x24 %1:41,0,39x13 %2:41,14,39x10*"
    );
    m.ok(&["resize-pane", "-Z", "-t", "%1"]);
    assert_eq!(
        m.display(
            "main",
            "#{window_zoomed_flag} #{pane_id} #{pane_width}x#{pane_height} #{window_flags}"
        ),
        "1 %1 80x24 *Z"
    );
    m.ok(&["resize-pane", "-Z", "-t", "%1"]);
    assert_eq!(
        m.display("main", "#{window_zoomed_flag} #{pane_width}x#{pane_height}"),
        "0 39x13"
    );
    assert_eq!(
        m.fail(&["resize-pane", "-t", "%1", "-x", "wide"]),
        "width invalid: wide"
    );
    assert_eq!(
        m.fail(&["resize-pane", "-t", "%1", "-L", "zero"]),
        "adjustment invalid: zero"
    );
}

#[test]
fn pane_sizes_reach_the_program() {
    let m = Mux::new();
    m.session("main", SLEEP);
    m.ok(&["split-window", "-h", "-t", "main", "stty size; sleep 1000"]);
    m.wait_text("%1", "24 39");
}

#[test]
fn select_layout_presets_and_strings() {
    let m = Mux::new();
    m.session("main", SLEEP);
    for _ in 0..3 {
        m.ok(&["split-window", "-t", "main", SLEEP]);
        m.ok(&["select-layout", "-t", "main", "tiled"]);
    }
    // The checksum depends on the pane ids; tmux's strings (from panes
    // 0,3,1,2) are checked in the layout unit tests.
    let layout = |name: &str| {
        m.ok(&["select-layout", "-t", "main", name]);
        let l = m.display("main", "#{window_layout}");
        l.split_once(',')
            .map(|(_, body)| body.to_string())
            .unwrap_or(l)
    };
    assert_eq!(
        layout("even-horizontal"),
        "80x24,0,0{19x24,0,0,0,19x24,20,0,1,19x24,40,0,2,20x24,60,0,3}"
    );
    assert_eq!(
        layout("even-vertical"),
        "80x24,0,0[80x5,0,0,0,80x5,0,6,1,80x5,0,12,2,80x6,0,18,3]"
    );
    assert_eq!(
        layout("main-vertical"),
        "80x24,0,0{78x24,0,0,0,1x24,79,0[1x7,79,0,1,1x7,79,8,2,1x8,79,16,3]}"
    );
    assert_eq!(
        layout("main-h"),
        "80x24,0,0[80x22,0,0,0,80x1,0,23{26x1,0,23,1,26x1,27,23,2,26x1,54,23,3}]"
    );
    m.ok(&["select-layout", "-t", "main", "tiled"]);
    let tiled = m.display("main", "#{window_layout}");
    m.ok(&["select-layout", "-t", "main", "even-vertical"]);
    m.ok(&["select-layout", "-t", "main", &tiled]);
    assert_eq!(m.display("main", "#{window_layout}"), tiled);
    // A layout string leaves the last preset as it was: even-vertical,
    // then main-horizontal.
    m.ok(&["next-layout", "-t", "main"]);
    assert_eq!(
        layout(""),
        "80x24,0,0[80x22,0,0,0,80x1,0,23{26x1,0,23,1,26x1,27,23,2,26x1,54,23,3}]"
    );
    m.ok(&["select-layout", "-t", "main", "tiled"]);
    m.ok(&["next-layout", "-t", "main"]);
    assert_eq!(
        layout(""),
        "80x24,0,0{19x24,0,0,0,19x24,20,0,1,19x24,40,0,2,20x24,60,0,3}"
    );
    m.ok(&["select-layout", "-n", "-t", "main"]);
    m.ok(&["previous-layout", "-t", "main"]);
    m.ok(&["select-layout", "-p", "-t", "main"]);
    assert_eq!(
        m.fail(&["select-layout", "-t", "main", "bogus"]),
        "invalid layout: bogus"
    );
    assert_eq!(
        m.fail(&["select-layout", "-t", "main", "0000,80x24,0,0,0"]),
        "invalid layout: 0000,80x24,0,0,0"
    );
}

#[test]
fn exiting_pane_closes_and_the_session_goes_with_it() {
    let m = Mux::new();
    m.session("keep", SLEEP);
    m.session("main", SLEEP);
    m.ok(&["split-window", "-t", "main", "exit 0"]);
    eventually(5, "pane to close", || {
        (m.ok(&["lsp", "-t", "main", "-F", "#D"]) == "%1\n").then_some(())
    });
    m.ok(&["send-keys", "-t", "main", "C-c"]);
    eventually(5, "session to close", || {
        (m.ok(&["ls", "-F", "#S"]) == "keep\n").then_some(())
    });
}

#[test]
fn remain_on_exit_keeps_dead_panes() {
    let m = Mux::new();
    m.session("keep", SLEEP);
    m.ok(&["set-option", "-g", "remain-on-exit", "on"]);
    m.ok(&["new-session", "-d", "-s", "main", "echo bye; exit 3"]);
    eventually(5, "pane to die", || {
        (m.display("main", "#{pane_dead}") == "1").then_some(())
    });
    assert_eq!(m.display("main", "#{pane_dead_status}"), "3");
    let screen = m.wait_history("main", "Pane is dead (status 3, ");
    assert!(screen.contains("bye"), "{screen}");
    m.ok(&["respawn-pane", "-t", "main", "echo again; sleep 1000"]);
    m.wait_text("main", "again");
    assert_eq!(m.display("main", "#{pane_dead}"), "0");
    assert_eq!(
        m.fail(&["respawn-pane", "-t", "main"]),
        "respawn pane failed: pane main:0.0 still active"
    );
    m.ok(&["respawn-pane", "-k", "-t", "main", "echo third; sleep 1000"]);
    m.wait_text("main", "third");
}

#[test]
fn remain_on_exit_failed_only_keeps_failures() {
    let m = Mux::new();
    m.session("keep", SLEEP);
    m.ok(&["set-option", "-g", "remain-on-exit", "failed"]);
    m.ok(&["new-session", "-d", "-s", "good", "exit 0"]);
    m.ok(&["new-session", "-d", "-s", "bad", "exit 1"]);
    eventually(5, "bad pane to die", || {
        (m.display("bad", "#{pane_dead}") == "1").then_some(())
    });
    eventually(5, "good session to go", || {
        (!m.ok(&["ls", "-F", "#S"]).contains("good")).then_some(())
    });
}

/// Children of the server that are zombies (exited, not reaped).
fn zombies(server: i32) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some(rest) = stat.rsplit(')').next() else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.len() > 2 && fields[0] == "Z" && fields[1] == server.to_string() {
            out.push(stat);
        }
    }
    out
}

#[test]
fn exited_and_killed_children_are_reaped() {
    let m = Mux::new();
    // Tall enough for every split even if no exited pane has gone yet.
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "keep",
        "-x",
        "200",
        "-y",
        "200",
        SLEEP,
    ]);
    let server = m.server_pid().unwrap();
    for _ in 0..3 {
        m.ok(&["split-window", "-t", "keep", "exit 0"]);
        m.ok(&["split-window", "-d", "-t", "keep", SLEEP]);
    }
    let before: Vec<String> = m
        .ok(&["lsp", "-t", "keep", "-F", "#D"])
        .lines()
        .map(String::from)
        .collect();
    for p in before.iter().skip(1) {
        let _ = m.run(&["kill-pane", "-t", p]);
    }
    eventually(10, "every pane but the first to go", || {
        (m.ok(&["lsp", "-t", "keep", "-F", "#D"]) == "%0\n").then_some(())
    });
    eventually(10, "no zombie children", || {
        zombies(server).is_empty().then_some(())
    });
}

#[test]
fn a_flood_of_output_arrives_whole_and_in_order() {
    // Big output is read and parsed on threads of its own, handed over to
    // and back from the server's main thread: no read may be lost,
    // doubled or reordered on the way.
    let m = Mux::new();
    m.ok(&["new-session", "-d", "-s", "boot", "exec sleep 100"]);
    m.ok(&["set-option", "-g", "history-limit", "200000"]);
    m.session(
        "flood",
        // Through cat, so that it comes in big writes, as from a file.
        "awk 'BEGIN { for (i = 1; i <= 50000; i++) print i }' | cat; echo END; exec sleep 100",
    );
    m.wait_text("flood", "END");
    let all = m.ok(&["capture-pane", "-p", "-S", "-", "-t", "flood"]);
    let lines: Vec<&str> = all.lines().collect();
    let end = lines.iter().position(|l| *l == "END").expect("END line");
    let numbers: Vec<&str> = lines[..end].to_vec();
    assert_eq!(numbers.len(), 50000, "every line kept");
    for (i, l) in numbers.iter().enumerate() {
        assert_eq!(*l, (i + 1).to_string(), "line {} of the flood", i + 1);
    }
}
