//! agmux invoked as `tmux`, against recordings of tmux 3.3a. Each script
//! is a transcript: `$ args` runs a command, plain lines are its expected
//! standard output, `! line` its standard error, `? N` its exit status
//! (0 if not given), `~` an empty output line; `$~ args` runs a command
//! again until it gives the recording (for a pane's output, which reaches
//! the server in its own time), within a deadline. agmux must give exactly the recording; where tmux is
//! installed (as in CI) the same script runs against it too, so a
//! recording can never drift from what tmux really does.

mod common;
use common::tty::Tty;
use common::*;

use std::path::Path;

struct Step {
    args: Vec<String>,
    stdout: String,
    stderr: String,
    code: i32,
    poll: bool,
}

/// Splits a command line as sh would for plain quoting: '...', "..." and
/// backslash escapes outside single quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut any = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' if !any => {}
            ' ' => {
                out.push(std::mem::take(&mut cur));
                any = false;
            }
            '\'' => {
                any = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                any = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        // As in sh, a backslash in double quotes escapes
                        // only what is special there.
                        '\\' => match chars.next() {
                            Some(n @ ('$' | '`' | '"' | '\\')) => cur.push(n),
                            Some(n) => {
                                cur.push('\\');
                                cur.push(n);
                            }
                            None => cur.push('\\'),
                        },
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                any = true;
                cur.extend(chars.next());
            }
            c => {
                any = true;
                cur.push(c);
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

fn steps(script: &str) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    for line in script.lines() {
        let line = line.strip_prefix("    ").unwrap_or(line);
        let (cmd, poll) = match line.strip_prefix("$~ ") {
            Some(cmd) => (Some(cmd), true),
            None => (line.strip_prefix("$ "), false),
        };
        if let Some(cmd) = cmd {
            out.push(Step {
                args: words(cmd),
                stdout: String::new(),
                stderr: String::new(),
                code: 0,
                poll,
            });
            continue;
        }
        let Some(step) = out.last_mut() else {
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let line = if line == "~" { "" } else { line };
        if let Some(err) = line.strip_prefix("! ") {
            step.stderr.push_str(err);
            step.stderr.push('\n');
        } else if let Some(code) = line.strip_prefix("? ") {
            step.code = code.parse().expect("an exit status");
        } else {
            step.stdout.push_str(line);
            step.stdout.push('\n');
        }
    }
    out
}

/// Runs a transcript against `tmux` in a fresh server, returning the first
/// difference.
fn replay(tmux: &Path, m: &Mux, script: &str, label: &str) {
    // `@TMUX@` in a step names the binary under test, for programs in
    // panes that call back.
    let script = script.replace("@TMUX@", &tmux.display().to_string());
    for step in steps(&script) {
        let args: Vec<&str> = step.args.iter().map(String::as_str).collect();
        let want = (step.code, step.stdout.clone(), step.stderr.clone());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let got = loop {
            let r: Run = m.command_as(tmux, &args).output().expect("run tmux").into();
            // A path in an error names the test's own directory.
            let dir = m.dir.display().to_string();
            let got = (r.code, r.stdout, r.stderr.replace(&dir, "$TMUX_TMPDIR"));
            if !step.poll || got == want || std::time::Instant::now() > deadline {
                break got;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert_eq!(got, want, "{label}: tmux {args:?} (code, stdout, stderr)");
    }
    let _ = m.command_as(tmux, &["kill-server"]).output();
}

/// The transcript must hold for agmux, and for tmux where it is installed.
fn check(script: &str) {
    let m = Mux::new();
    replay(&m.agmux_as_tmux(), &m, script, "agmux");
    if let Some(tmux) = real_tmux() {
        let m = Mux::new();
        replay(&tmux, &m, script, "tmux 3.3a");
    }
}

#[test]
fn a_repeated_flag_takes_its_last_value() {
    // libtmux's new-window passes -t twice.
    check(
        "
    $ new-session -d -s s -x 80 -y 24
    $ new-window -d -P -F '#{window_id}' -t '$0:' -t '$0:'
    @1
    $ new-window -d -P -F '#{window_index}' -n one -n two -t s:5 -t s:7
    7
    $ list-windows -F '#{window_index}#{?#{==:#{window_name},two}, two,}'
    0
    1
    7 two
    ",
    );
}

#[test]
fn tmux_abbreviations_resolve_as_in_tmux() {
    check(
        "
    $ new-session -d -s s
    $ a -t nosuch
    ! can't find session: nosuch
    ? 1
    $ at -t s
    ! open terminal failed: not a terminal
    ? 1
    $ attac -t s
    ! open terminal failed: not a terminal
    ? 1
    $ lsw -F '#{window_index}'
    0
    $ list-se -F '#{session_name}'
    s
    $ neww -d -P -F '#{window_index}'
    1
    $ killw -t :1
    $ splitw -d -P -F '#{pane_index}'
    1
    $ selectl -t s even-horizontal
    $ setw -t s:0 automatic-rename off
    $ showw -t s:0
    automatic-rename off
    $ showw -v -t s:0 automatic-rename
    off
    $ show -gv focus-events
    off
    $ setw -g no-such-option on
    ! invalid option: no-such-option
    ? 1
    $ set-window-option -g pane-base-index 1
    $ show-window-options -g pane-base-index
    pane-base-index 1
    ",
    );
}

#[test]
fn new_session_in_the_startup_configuration_is_detached() {
    let m = Mux::new();
    std::fs::write(m.home.join(".tmux.conf"), "new-session -s fromconf\n").unwrap();
    let tmux = m.agmux_as_tmux();
    let r: Run = m
        .command_as(&tmux, &["start-server"])
        .output()
        .unwrap()
        .into();
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let r: Run = m
        .command_as(&tmux, &["ls", "-F", "#{session_name} #{session_attached}"])
        .output()
        .unwrap()
        .into();
    assert_eq!(r.stdout, "fromconf 0\n");
    let _ = m.command_as(&tmux, &["kill-server"]).output();
}

#[test]
fn hooks_are_set_and_shown_as_in_tmux() {
    check(
        "
    $ new-session -d -s s
    $ set-hook -t s session-renamed 'display -p hi'
    $ set-hook -a -t s session-renamed 'display two'
    $ set-hook -t s 'session-renamed[5]' 'neww -dP'
    $ show-hooks -t s
    session-renamed[0] display-message -p hi
    session-renamed[1] display-message two
    session-renamed[5] new-window -Pd
    $ show-hooks -t s session-renamed
    session-renamed[0] display-message -p hi
    session-renamed[1] display-message two
    session-renamed[5] new-window -Pd
    $ show-hooks -t s session-created
    $ show-hooks -g session-created
    session-created
    $ set-hook -g -a session-created 'display a'
    $ set-hook -g -a session-created 'display b'
    $ set-hook -gu 'session-created[0]'
    $ show-hooks -g session-created
    session-created[1] display-message b
    $ set-hook -g -a session-created 'display c'
    $ show-hooks -g session-created
    session-created[0] display-message c
    session-created[1] display-message b
    $ set-hook -g session-created
    ! empty value
    ? 1
    $ set-hook -g nope x
    ! invalid option: nope
    ? 1
    $ set-hook -g session-created 'nosuchcommand'
    ! unknown command: nosuchcommand
    ? 1
    $ set-hook -w -t s window-renamed 'display x'
    $ show-hooks -w -t s
    window-renamed[0] display-message x
    $ show-hooks -w
    window-renamed[0] display-message x
    $ set-hook -p pane-exited 'display y'
    $ show-hooks -p
    pane-exited[0] display-message y
    $ show-hooks -gw
    pane-died
    pane-exited
    pane-focus-in
    pane-focus-out
    pane-mode-changed
    pane-set-clipboard
    pane-title-changed
    window-layout-changed
    window-pane-changed
    window-renamed
    window-resized
    $ show-options -t s
    ",
    );
}

#[test]
fn show_hooks_g_lists_every_session_hook_as_tmux() {
    let m = Mux::new();
    let tmux = m.agmux_as_tmux();
    let r: Run = m.command_as(&tmux, &["new", "-d"]).output().unwrap().into();
    assert_eq!(r.code, 0);
    let r: Run = m
        .command_as(&tmux, &["show-hooks", "-g"])
        .output()
        .unwrap()
        .into();
    // tmux 3.3a's list, as it prints it.
    let want = "after-bind-key after-capture-pane after-copy-mode after-display-message \
after-display-panes after-kill-pane after-list-buffers after-list-clients after-list-keys \
after-list-panes after-list-sessions after-list-windows after-load-buffer after-lock-server \
after-new-session after-new-window after-paste-buffer after-pipe-pane after-queue \
after-refresh-client after-rename-session after-rename-window after-resize-pane \
after-resize-window after-save-buffer after-select-layout after-select-pane \
after-select-window after-send-keys after-set-buffer after-set-environment after-set-hook \
after-set-option after-show-environment after-show-messages after-show-options \
after-split-window after-unbind-key alert-activity alert-bell alert-silence client-active \
client-attached client-detached client-focus-in client-focus-out client-resized \
client-session-changed session-closed session-created session-renamed \
session-window-changed window-linked window-unlinked";
    assert_eq!(
        r.stdout.split_whitespace().collect::<Vec<_>>().join(" "),
        want
    );
    if let Some(real) = real_tmux() {
        let m = Mux::new();
        let _ = m.command_as(&real, &["new", "-d"]).output();
        let r: Run = m
            .command_as(&real, &["show-hooks", "-g"])
            .output()
            .unwrap()
            .into();
        let _ = m.command_as(&real, &["kill-server"]).output();
        assert_eq!(
            r.stdout.split_whitespace().collect::<Vec<_>>().join(" "),
            want
        );
    }
    let _ = m.command_as(&tmux, &["kill-server"]).output();
}

/// Hooks fire where tmux fires them, with #{hook_*} set (after-hooks
/// have only #{hook}, as in tmux), and the commands they run set off no
/// hooks of their own.
#[test]
fn hooks_fire_with_their_variables() {
    let m = Mux::new();
    fires(&m.agmux_as_tmux(), &m);
    if let Some(real) = real_tmux() {
        fires(&real, &Mux::new());
    }
}

fn fires(tmux: &Path, m: &Mux) {
    let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
    // Automatic renames (tmux fires window-renamed for them too) would
    // race with the log.
    let new = [
        "new",
        "-d",
        "-s",
        "s",
        ";",
        "set",
        "-g",
        "automatic-rename",
        "off",
    ];
    assert_eq!(t(&new).code, 0);
    for (hook, cmd) in [
        (
            "session-renamed",
            "set -gaF @log '#{hook}:#{hook_session_name} '",
        ),
        (
            "after-new-window",
            "set -gaF @log '#{hook}:#{hook_window_name} '",
        ),
        (
            "window-renamed",
            "set -gaF @log '#{hook}:#{hook_window_name} '",
        ),
        (
            "window-layout-changed",
            "set -gaF @log '#{hook}:#{hook_window} '",
        ),
        (
            "session-closed",
            "set -gaF @log '#{hook}:#{hook_session_name} '",
        ),
        ("after-set-option", "rename-window -t s:0 loop"),
    ] {
        let r = t(&["set-hook", "-g", hook, cmd]);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{hook}");
    }
    t(&["set-hook", "-gu", "after-set-option"]);
    t(&["rename-session", "-t", "s", "renamed"]);
    t(&["new-window", "-d", "-n", "extra", "-t", "renamed"]);
    t(&["rename-window", "-t", "renamed:1", "named"]);
    t(&["select-layout", "-t", "renamed:1", "tiled"]);
    t(&["new", "-d", "-s", "brief"]);
    t(&["kill-session", "-t", "brief"]);
    let log = t(&["show", "-gv", "@log"]).stdout;
    let wid = t(&["display", "-p", "-t", "renamed:1", "#{window_id}"]).stdout;
    assert_eq!(
        log,
        format!(
            "session-renamed:renamed after-new-window: window-renamed:named \
window-layout-changed:{} session-closed:brief \n",
            wid.trim()
        ),
        "{}",
        tmux.display()
    );
    let _ = t(&["kill-server"]);
}

/// What Claude Code 2.1's agent teams (teammateMode tmux) were traced
/// calling, in order, and the older versions' calls after them.
#[test]
fn claude_code_teams_sequence() {
    check(
        "
    $ new -d -s lead -x 200 -y 50 ; set -g automatic-rename off
    $ show -gv focus-events
    off
    $ display-message -p '#{client_termtype}'
    ~
    $ display-message -t %0 -p '#{window_id}'
    @0
    $ list-panes -t @0 -F '#{pane_id}'
    %0
    $ split-window -d -t %0 -h -l 70% -P -F '#{pane_id}' -- cat
    %1
    $ set-option -p -t %1 window-style bg=default,fg=blue
    $ set-option -p -t %1 pane-border-style fg=blue
    $ set-option -p -t %1 pane-active-border-style fg=blue
    $ select-pane -t %1 -T worker1
    $ set-option -p -t %1 pane-border-format '#[fg=blue,bold] #{pane_title} #[default]'
    $ set-option -w -t @0 pane-border-status top
    $ set-option -p -t %1 remain-on-exit failed
    $ respawn-pane -k -t %1 -- 'cd /tmp && env FOO=1 sleep 100'
    $ display -p -t %1 '#{pane_title} #{pane_width}x#{pane_height} #{pane_top}'
    worker1 140x49 1
    $ select-pane -t %1 -P bg=red,fg=blue
    $ select-pane -t %1 -g
    bg=red,fg=blue
    $ select-layout -t @0 main-vertical
    $ list-panes -t @0 -F '#{pane_id} #{pane_width}x#{pane_height} #{pane_top}'
    %0 80x49 1
    %1 119x49 1
    $ select-layout -t @0 tiled
    $ resize-pane -t %1 -x 30%
    $ list-panes -t @0 -F '#{pane_id} #{pane_width}x#{pane_height}'
    %0 200x23
    %1 200x25
    $ break-pane -d -s %1
    $ join-pane -h -s %1 -t %0
    $ display -p -t @0 '#{window_layout}'
    cf3a,200x50,0,0{100x50,0,0,0,99x50,101,0,1}
    $ show -p -t %1 pane-border-style
    pane-border-style fg=blue
    $ show -w -t @0 pane-border-status
    pane-border-status top
    $ set -w -t @0 synchronize-panes on
    $ display -p -t %1 '#{synchronize-panes} #{pane_input_off}'
    1 0
    $ kill-pane -t %1
    $ list-panes -t @0 -F '#{pane_id}'
    %0
    ",
    );
}

/// A client attached to a window with pane-border-status top draws each
/// pane's border line as tmux does.
#[test]
fn pane_border_status_lines_are_drawn_as_tmux_draws_them() {
    let m = Mux::new();
    let ours = border_rows(&m.agmux_as_tmux(), &m);
    assert_eq!(
        ours[0],
        "──0 \"top-left\"────────────────────┬── worker1 ──────────────────────────────────"
    );
    if let Some(real) = real_tmux() {
        assert_eq!(border_rows(&real, &Mux::new()), ours);
    }
}

fn border_rows(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
    let new = [
        "new", "-d", "-s", "s", "-x", "80", "-y", "24", "cat", ";", "set", "-g", "status", "off",
    ];
    assert_eq!(t(&new).code, 0);
    t(&["split-window", "-d", "-h", "-l", "45", "-t", "%0", "cat"]);
    t(&["select-pane", "-t", "%0", "-T", "top-left"]);
    t(&["select-pane", "-t", "%1", "-T", "worker1"]);
    t(&[
        "set",
        "-p",
        "-t",
        "%1",
        "pane-border-format",
        "#[fg=blue,bold] #{pane_title} #[default]",
    ]);
    t(&["set", "-w", "-t", "s:0", "pane-border-status", "top"]);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 80, 24, &[]);
    tty.wait_until("the border line", |s| s.contents().contains("worker1"));
    let rows: Vec<String> = (0..2).map(|y| tty.row(y)).collect();
    tty.send(b"\x02d");
    let _ = t(&["kill-server"]);
    rows
}

#[test]
fn command_aliases_as_in_tmux() {
    check(
        "
    $ new -d -s s -x 80 -y 24
    $ splitp -d -P -F '#{pane_index}'
    1
    $ split-pane -d -P -F '#{pane_index}' -l 3
    1
    $ show -s command-alias
    command-alias[0] split-pane=split-window
    command-alias[1] splitp=split-window
    command-alias[2] \"server-info=show-messages -JT\"
    command-alias[3] \"info=show-messages -JT\"
    command-alias[4] \"choose-window=choose-tree -w\"
    command-alias[5] \"choose-session=choose-tree -s\"
    $ set -sa command-alias 'hi=display -p hello'
    $ hi
    hello
    $ hi -F
    ! command display-message: too many arguments (need at most 1)
    ? 1
    $ bogus
    ! unknown command: bogus
    ? 1
    ",
    );
}

/// show-options lists tmux's options, with tmux's defaults, in tmux's
/// order (agmux's own follow them, and its status line says more).
#[test]
fn options_are_listed_as_tmux_lists_them() {
    let Some(real) = real_tmux() else {
        return;
    };
    let (m, r) = (Mux::new(), Mux::new());
    let ours = m.agmux_as_tmux();
    for scope in [&["show", "-s"][..], &["show", "-g"], &["show", "-gw"]] {
        let list = |tmux: &Path, m: &Mux| -> Vec<String> {
            let _ = m
                .command_as(tmux, &["-f", "/dev/null", "new", "-d"])
                .output();
            let r: Run = m.command_as(tmux, scope).output().unwrap().into();
            r.stdout
                .lines()
                .filter(|l| !l.starts_with("agent-") && !l.starts_with("max-peers"))
                .filter(|l| !l.starts_with("status-left") && !l.starts_with("status-right "))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(list(&ours, &m), list(&real, &r), "{scope:?}");
    }
    let _ = m.command_as(&ours, &["kill-server"]).output();
    let _ = r.command_as(&real, &["kill-server"]).output();
}

/// synchronize-panes copies keys to the window's other panes that have it
/// on; select-pane -d stops keys reaching a pane and -e lets them again.
#[test]
fn synchronized_panes_and_input_off() {
    let m = Mux::new();
    m.ok(&["new", "-d", "-s", "s", "cat"]);
    m.ok(&["split-window", "-d", "-t", "s", "cat"]);
    m.ok(&["split-window", "-d", "-t", "s", "cat"]);
    m.ok(&["set", "-w", "-t", "s:0", "synchronize-panes", "on"]);
    m.ok(&["set", "-p", "-t", "%2", "synchronize-panes", "off"]);
    m.ok(&["send-keys", "-t", "%0", "-l", "together"]);
    m.wait_text("%1", "together");
    m.ok(&["send-keys", "-t", "%2", "-l", "alone"]);
    m.wait_text("%2", "alone");
    m.ok(&["select-pane", "-d", "-t", "%1"]);
    assert_eq!(m.display("%1", "#{pane_input_off}"), "1");
    m.ok(&["send-keys", "-t", "%0", "-l", "-again"]);
    m.wait_text("%0", "together-again");
    m.ok(&["select-pane", "-e", "-t", "%1"]);
    m.ok(&["send-keys", "-t", "%1", "-l", "-back"]);
    m.wait_text("%0", "together-again-back");
    for (pane, want) in [("%1", "together-back"), ("%2", "alone")] {
        let screen = m.capture(pane);
        assert_eq!(screen.trim_end(), want, "{pane}");
    }
}
/// `#{session_name}:#{window_index} name` with `*` for the current window
/// and `-` for the last one, for every window.
const LSW: &str = "lsw -a -F '#{session_name}:#{window_index} #{window_name}#{?window_active,*,}#{?window_last_flag,-,}'";

/// A transcript with `$ L` standing for [`LSW`].
fn check_windows(script: &str) {
    check(&script.replace("$ L\n", &format!("$ {LSW}\n")));
}

#[test]
fn move_window_moves_selects_and_refuses_as_tmux() {
    check_windows(
        "
    $ new -d -s s -n a ; set -g automatic-rename off
    $ neww -d -n b
    $ neww -d -n c
    $ new -d -s t -n x
    $ movew -s s:1 -t s:5
    $ L
    s:0 a-
    s:2 c
    s:5 b*
    t:0 x*
    $ movew -s s:5
    $ L
    s:0 a*
    s:2 c
    t:0 x-
    t:1 b*
    $ movew -s s:0 -t s:2
    ! index in use: 2
    ? 1
    $ movew -s s:0 -t s:0
    ! same index: 0
    ? 1
    $ movew -k -s s:2 -t s:2
    ! same index: 2
    ? 1
    $ movew -d -s s:9 -t t:
    ! can't find window: 9
    ? 1
    $ movew -r -t s
    $ L
    s:0 a*
    s:1 c
    t:0 x-
    t:1 b*
    $ movew -r -t nosuch ; display -p not-reached
    $ movew -s nosuch -r
    ! can't find window: nosuch
    ? 1
    $ movew -a -s t:0 -t s:0
    $ L
    s:0 a-
    s:1 x*
    s:2 c
    t:1 b*
    $ movew -b -s t:1 -t s:0
    $ L
    s:0 b*
    s:1 a
    s:2 x-
    s:3 c
    $ movew -d -s s:0 -t s:7
    $ L
    s:1 a-
    s:2 x*
    s:3 c
    s:7 b
    $ movew -k -s s:1 -t s:2
    $ L
    s:2 a*
    s:3 c
    s:7 b
    $ movew -x
    ! command move-window: unknown flag -x
    ? 1
    ",
    );
}

#[test]
fn link_window_links_and_unlink_window_unlinks_as_tmux() {
    check(
        "
    $ new -d -s s -n a ; set -g automatic-rename off
    $ neww -d -n b
    $ new -d -s t -n x
    $ linkw -s s:1 -t t
    $ lsw -a -F '#{session_name}:#{window_index} #{window_name}#{window_flags} #{window_linked} #{window_linked_sessions_list}'
    s:0 a* 0 s
    s:1 b 1 s,t
    t:0 x- 0 t
    t:1 b* 1 s,t
    $ linkw -s s:1 -t t:1
    ! same index: 1
    ? 1
    $ linkw -s s:1 -t t:0
    ! index in use: 0
    ? 1
    $ linkw -k -s s:1 -t t:0
    $ lsw -a -F '#{session_name}:#{window_index} #{window_name}#{window_flags} #{window_linked} #{window_linked_sessions_list}'
    s:0 a* 0 s
    s:1 b 1 s,t,t
    t:0 b* 1 s,t,t
    t:1 b- 1 s,t,t
    $ unlinkw -t s:0
    ! window only linked to one session
    ? 1
    $ unlinkw -t t:0
    $ linkw -s s:1 -t s:4
    $ linkw -a -s s:1 -t s:4
    $ linkw -d -b -s s:1 -t s:0
    $ lsw -a -F '#{session_name}:#{window_index} #{window_name}#{window_flags} #{window_linked} #{window_linked_sessions_list}'
    s:0 b 1 s,t,s,s,s
    s:1 a 0 s
    s:2 b 1 s,t,s,s,s
    s:4 b- 1 s,t,s,s,s
    s:5 b* 1 s,t,s,s,s
    t:1 b* 1 s,t,s,s,s
    $ killw -t s:1
    $ unlinkw -k -t t:0
    ! can't find window: 0
    ? 1
    $ unlinkw -x
    ! command unlink-window: unknown flag -x
    ? 1
    $ kill-session -t t
    $ new -d -s u -n y
    $ linkw -s s:0 -t u:3 ; movew -s s:2 -t u:5 ; unlinkw -k -t s:5 ; unlinkw -t s:4
    $ lsw -a -F '#{session_name}:#{window_index} #{window_name}#{window_flags} #{window_linked} #{window_linked_sessions_list}'
    s:0 b* 1 s,u,u
    u:0 y 0 u
    u:3 b- 1 s,u,u
    u:5 b* 1 s,u,u
    $ list-panes -a -F '#{session_name}:#{window_index}.#{pane_index} #{pane_id}'
    s:0.0 %1
    u:0.0 %3
    u:3.0 %1
    u:5.0 %1
    $ display -p -t %1 '#{session_name}:#{window_index}'
    u:5
    $ killw -t s:0
    $ lsw -a -F '#{session_name}:#{window_index} #{window_name}#{window_flags} #{window_linked} #{window_linked_sessions_list}'
    u:0 y* 0 u
    ",
    );
}

#[test]
fn grouped_sessions_share_their_windows_as_tmux() {
    check(
        "
    $ new -d -s a -n x ; set -g automatic-rename off
    $ new -d -t a -s b ; new -d -t b ; new -d -t grp ; new -d -t grp -s g2 ; new -d -s 5 ; new -d -t a
    $ ls -F '#{session_name} #{session_id} #{session_group} #{session_grouped} #{session_group_size} #{session_group_list} #{session_group_attached} #{session_group_many_attached} [#{session_group_attached_list}] #{session_windows}'
    5 $5  0     [] 1
    a $0 a 1 4 a,b,a-2,a-6 0 0 [] 1
    a-2 $2 a 1 4 a,b,a-2,a-6 0 0 [] 1
    a-6 $6 a 1 4 a,b,a-2,a-6 0 0 [] 1
    b $1 a 1 4 a,b,a-2,a-6 0 0 [] 1
    g2 $4 grp 1 2 grp-3,g2 0 0 [] 1
    grp-3 $3 grp 1 2 grp-3,g2 0 0 [] 1
    $ new -d -t a -n foo
    ! command or window name given with target
    ? 1
    $ new -d -t a ls
    ! command or window name given with target
    ? 1
    $ kill-session -t a-2 ; kill-session -t a-6 ; kill-session -t 5 ; kill-session -t grp-3 ; kill-session -t g2
    $ ls -F '#{session_name}: #{session_windows} windows#{?session_grouped, (group ,}#{session_group}#{?session_grouped,),}'
    a: 1 windows (group a)
    b: 1 windows (group a)
    $ neww -d -t b -n y ; neww -t a -n z
    $ lsw -a -F '#{session_name}:#{window_index} #{window_id} #{window_name}#{window_flags} #{window_linked} #{window_linked_sessions} #{window_linked_sessions_list}'
    a:0 @0 x- 0 2 a,b
    a:1 @7 y 0 2 a,b
    a:2 @8 z* 0 2 a,b
    b:0 @0 x* 0 2 a,b
    b:1 @7 y 0 2 a,b
    b:2 @8 z 0 2 a,b
    $ lsp -a -F '#{session_name}:#{window_index} #{pane_id}'
    a:0 %0
    a:1 %7
    a:2 %8
    b:0 %0
    b:1 %7
    b:2 %8
    $ killw -t b:0
    $ new -d -s c -n c
    $ linkw -s c:0 -t a:5
    $ lsw -a -F '#{session_name}:#{window_index} #{window_id} #{window_name}#{window_flags} #{window_linked} #{window_linked_sessions} #{window_linked_sessions_list}'
    a:1 @7 y 0 2 a,b
    a:2 @8 z- 0 2 a,b
    a:5 @9 c* 1 3 c,a,b
    b:1 @7 y 0 2 a,b
    b:2 @8 z* 0 2 a,b
    b:5 @9 c 1 3 c,a,b
    c:0 @9 c* 1 3 c,a,b
    $ linkw -s a:1 -t b:7
    ! sessions are grouped
    ? 1
    $ unlinkw -t b:5
    $ unlinkw -t a:1
    ! window only linked to one session
    ? 1
    $ lsw -a -F '#{session_name}:#{window_index} #{window_id} #{window_name}#{window_flags} #{window_linked} #{window_linked_sessions} #{window_linked_sessions_list}'
    a:1 @7 y 0 2 b,a
    a:2 @8 z* 0 2 b,a
    b:1 @7 y 0 2 b,a
    b:2 @8 z* 0 2 b,a
    c:0 @9 c* 0 1 c
    $ kill-session -t a
    $ ls -F '#{session_name}: #{session_windows} windows#{?session_grouped, (group ,}#{session_group}#{?session_grouped,),}'
    b: 2 windows (group a)
    c: 1 windows
    $ new -d -t b
    $ ls -F '#{session_name}:#{session_group_list}'
    a-8:b,a-8
    b:b,a-8
    c:
    ",
    );
}

#[test]
fn grouped_sessions_follow_each_other_as_tmux() {
    check(
        "
    $ new -d -s a -n x ; set -g automatic-rename off ; neww -d -n y ; neww -d -n z
    $ new -d -t a -s b
    $ selectw -t b:2
    $ lsw -a -F '#{session_name}:#{window_index} #{window_id} #{window_name}#{window_flags}'
    a:0 @0 x*
    a:1 @1 y
    a:2 @2 z
    b:0 @0 x-
    b:1 @1 y
    b:2 @2 z*
    $ movew -s a:1 -t a:5 ; swapw -s b:0 -t b:2
    $ lsw -a -F '#{session_name}:#{window_index} #{window_id} #{window_name}#{window_flags}'
    a:0 @2 z-
    a:2 @0 x
    a:5 @1 y*
    b:0 @2 z-
    b:2 @0 x*
    b:5 @1 y
    $ set -g renumber-windows on ; killw -t a:2
    $ lsw -a -F '#{session_name}:#{window_index} #{window_id} #{window_name}#{window_flags}'
    a:0 @2 z-
    a:1 @1 y*
    b:0 @2 z*
    b:1 @1 y
    $ splitw -d -t a:0 ; breakp -d -s a:0.1 -n q ; neww -k -t b:0 -n k
    $ lsw -a -F '#{session_name}:#{window_index} #{window_id} #{window_name}#{window_flags}'
    a:0 @5 k-
    a:1 @1 y*
    a:2 @4 q
    b:0 @5 k*
    b:1 @1 y
    b:2 @4 q
    $ lsp -a -F '#{session_name}:#{window_index} #{pane_id}'
    a:0 %5
    a:1 %1
    a:2 %4
    b:0 %5
    b:1 %1
    b:2 %4
    $ new -d -s c -n cc ; linkw -s c:0 -t b:9 ; killw -t a:0 ; killw -t a:1
    $ lsw -a -F '#{session_name}:#{window_index} #{window_id} #{window_name}#{window_flags}'
    a:0 @1 y*
    a:1 @6 cc
    b:0 @1 y
    b:1 @6 cc*
    c:0 @6 cc*
    $ killw -t a:0 ; unlinkw -t b:0
    $ ls -F '#{session_name}'
    a
    c
    $ lsw -a -F '#{session_name}:#{window_index} #{window_id} #{window_linked_sessions_list}'
    a:0 @6 c,a
    c:0 @6 c,a
    ",
    );
}

#[test]
fn prompt_history_is_shown_and_cleared_as_tmux() {
    check(
        "
    $ new -d -s s
    $ showphist -T search
    History for search:
    ~
    ~
    $ show-prompt-history -T bogus
    ! invalid type: bogus
    ? 1
    $ clear-prompt-history -T nope
    ! invalid type: nope
    ? 1
    $ clearphist ; clear-prompt-history -T window-target
    $ show-prompt-history
    History for command:
    ~
    ~
    History for search:
    ~
    ~
    History for target:
    ~
    ~
    History for window-target:
    ~
    ~
    ",
    );
}

/// What the command prompt typed at an attached client leaves in the
/// history.
fn prompt_history_after_typing(tmux: &Path, m: &Mux) -> (String, String) {
    let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
    let new = [
        "new",
        "-d",
        "-s",
        "s",
        "-x",
        "40",
        "-y",
        "12",
        "stty -echo; exec cat",
    ];
    assert_eq!(t(&new).code, 0);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 40, 12, &[]);
    eventually(10, "the client attached", || {
        (!t(&["list-clients"]).stdout.is_empty()).then_some(())
    });
    // Keys typed before the client has taken its terminal are lost.
    tty.wait_text("[s] 0:");
    eventually(10, "the client's terminal in raw mode", || {
        tty.raw_mode().then_some(())
    });
    // A key typed just as the client starts may still be lost (tmux's
    // too): open the prompt again if it has not shown in a while.
    let prompt = |s: &vt100::Screen| s.contents().lines().last().map(str::trim_end) == Some(":");
    let mut shown = false;
    for _ in 0..5 {
        tty.send(b"\x02:");
        let until = std::time::Instant::now() + std::time::Duration::from_secs(2);
        while !shown && std::time::Instant::now() < until {
            shown = tty.with_screen(prompt);
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        if shown {
            break;
        }
    }
    assert!(shown, "the prompt never showed: {}", tty.contents());
    tty.send(b"set -g @typed yes\r");
    eventually(10, "the typed command", || {
        (t(&["show", "-gv", "@typed"]).stdout == "yes\n").then_some(())
    });
    let shown = t(&["show-prompt-history", "-T", "command"]).stdout;
    t(&["clear-prompt-history", "-T", "command"]);
    let cleared = t(&["show-prompt-history", "-T", "command"]).stdout;
    tty.send(b"\x02d");
    let _ = t(&["kill-server"]);
    (shown, cleared)
}

#[test]
fn the_command_prompt_keeps_its_history_as_tmux() {
    let m = Mux::new();
    let ours = prompt_history_after_typing(&m.agmux_as_tmux(), &m);
    assert_eq!(ours.0, "History for command:\n\n1: set -g @typed yes\n\n");
    assert_eq!(ours.1, "History for command:\n\n\n");
    if let Some(real) = real_tmux() {
        assert_eq!(prompt_history_after_typing(&real, &Mux::new()), ours);
    }
}

#[test]
fn move_window_renumbers_the_source_as_tmux() {
    check_windows(
        "
    $ new -d -s s -n a ; set -g automatic-rename off ; set -g renumber-windows on
    $ neww -d -n b
    $ neww -d -n c
    $ new -d -s t -n x
    $ selectw -t s:1
    $ movew -t t:5
    $ L
    s:0 a-
    s:1 b*
    s:2 c
    t:0 x*
    $ movew -s s:0 -t t:3
    $ L
    s:1 b*
    s:2 c
    t:0 x-
    t:3 a*
    $ movew -t s:
    $ L
    s:0 a*
    s:1 b-
    s:2 c
    t:0 x*
    ",
    );
}

#[test]
fn swap_window_swaps_as_tmux() {
    check_windows(
        "
    $ new -d -s s -n a ; set -g automatic-rename off
    $ neww -d -n b
    $ neww -d -n c
    $ new -d -s t -n x
    $ swapw -s s:0 -t s:2
    $ L
    s:0 c*
    s:1 b
    s:2 a
    t:0 x*
    $ swapw -d -s s:1 -t s:2
    $ L
    s:0 c-
    s:1 a
    s:2 b*
    t:0 x*
    $ swapw -s s:0 -t t:0
    $ L
    s:0 x-
    s:1 a
    s:2 b*
    t:0 c*
    $ swapw -d -s s:0 -t t:0
    $ L
    s:0 c*
    s:1 a
    s:2 b-
    t:0 x*
    $ swapw -s s:9 -t t:0
    ! can't find window: 9
    ? 1
    $ swapw -s s:0 -t s:0
    $ swapw -t s:1
    $ L
    s:0 c*
    s:1 x
    s:2 b-
    t:0 a*
    ",
    );
}

#[test]
fn rotate_window_rotates_panes_as_tmux() {
    check(
        "
    $ new -d -s s -x 80 -y 24 ; set -g automatic-rename off
    $ splitw -h -t s:0
    $ splitw -v -t s:0.1
    $ selectp -t s:0.0
    $ rotatew -t s:0
    $ lsp -t s:0 -F '#{pane_index} #{pane_id} #{pane_left},#{pane_top} #{pane_width}x#{pane_height}#{?pane_active, *,}'
    0 %1 0,0 40x24 *
    1 %2 41,0 39x12
    2 %0 41,13 39x11
    $ rotatew -D -t s:0
    $ rotatew -D -t s:0
    $ lsp -t s:0 -F '#{pane_index} #{pane_id} #{pane_left},#{pane_top} #{pane_width}x#{pane_height}#{?pane_active, *,}'
    0 %2 0,0 40x24 *
    1 %0 41,0 39x12
    2 %1 41,13 39x11
    $ selectp -t s:0.2
    $ rotatew
    $ lsp -t s:0 -F '#{pane_index} #{pane_id}#{?pane_active, *,}'
    0 %0
    1 %1
    2 %2 *
    $ resizep -Z -t s:0.1
    $ rotatew -Z -t s:0
    $ display -p -t s:0 '#{window_zoomed_flag} #{pane_id}'
    1 %2
    $ rotatew -t s:0
    $ display -p -t s:0 '#{window_zoomed_flag} #{pane_id}'
    0 %0
    $ rotatew -t s:7
    ! can't find window: 7
    ? 1
    $ rotatew -x
    ! command rotate-window: unknown flag -x
    ? 1
    ",
    );
}

#[test]
fn resize_window_sizes_as_tmux() {
    check(
        "
    $ new -d -s s -x 80 -y 24 ; set -g automatic-rename off
    $ splitw -h -t s:0
    $ resizew -t s:0 -x 100 -y 30
    $ display -p -t s:0 '#{window_width}x#{window_height} #{pane_width}'
    100x30 49
    $ showw -t s:0 window-size
    window-size manual
    $ showw -g window-size
    window-size latest
    $ resizew -L -t s:0
    $ resizew -L -t s:0 10
    $ resizew -R 5
    $ resizew -U 3
    $ resizew -D 13
    $ display -p -t s:0 '#{window_width}x#{window_height}'
    94x40
    $ resizew -x 0
    ! width too small
    ? 1
    $ resizew -x 10001
    ! width too large
    ? 1
    $ resizew -x abc
    ! width invalid
    ? 1
    $ resizew -y 0
    ! height too small
    ? 1
    $ resizew 0
    ! adjustment too small
    ? 1
    $ resizew abc
    ! adjustment invalid
    ? 1
    $ resizew -L 99999999999
    ! adjustment too large
    ? 1
    $ resizew -A
    $ display -p -t s:0 '#{window_width}x#{window_height}'
    80x24
    $ set -g default-size 90x20
    $ resizew -x 50 -a
    $ display -p -t s:0 '#{window_width}x#{window_height}'
    80x24
    $ resizew -t s:0.1 -x 3 -y 2
    $ resizew -L 5
    $ display -p -t s:0 '#{window_width}x#{window_height}'
    3x2
    $ resizew -t s:4
    ! can't find window: 4
    ? 1
    $ resizew a b
    ! command resize-window: too many arguments (need at most 1)
    ? 1
    ",
    );
}

#[test]
fn resize_window_reflows_wrapped_lines_as_tmux() {
    // Lines the program wrapped rejoin when the pane grows wider and
    // split again when it narrows, through history and screen, the
    // cursor (moved back into the last line) kept on its character: a
    // line longer than the pane, a run of wide characters that leaves the
    // last column empty where it wraps, a line exactly as wide as the
    // pane, and a height change with the width.
    check(
        "
    $ new -d -s s -x 80 -y 12 'printf \"head\\n\"; printf \"%0130d\\n\" 0 | tr 0 a; printf \"wide:\"; for i in 1 2 3 4 5 6 7 8 9; do printf \"日日日日日\"; done; printf \"\\n%079d\\n\" 5; printf \"x%0120d\" 0 | tr 0 y; printf \"\\033[30D\"; exec cat'
    $~ capture-pane -p
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    wide:日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日
    日日日日日日日日
    0000000000000000000000000000000000000000000000000000000000000000000000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    ~
    ~
    ~
    ~
    $~ display -p '#{cursor_x},#{cursor_y} #{history_size}'
    11,7 0
    $ capture-pane -p -S -
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    wide:日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日
    日日日日日日日日
    0000000000000000000000000000000000000000000000000000000000000000000000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    ~
    ~
    ~
    ~
    $ capture-pane -pJ -S -
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    wide:日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日
    0000000000000000000000000000000000000000000000000000000000000000000000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    ~
    ~
    ~
    ~
    $ resize-window -x 40
    $ display -p '#{cursor_x},#{cursor_y} #{history_size}'
    11,6 6
    $ capture-pane -p -S -
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    aaaaaaaaaa
    wide:日日日日日日日日日日日日日日日日日
    日日日日日日日日日日日日日日日日日日日日
    日日日日日日日日
    0000000000000000000000000000000000000000
    000000000000000000000000000000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    y
    ~
    ~
    ~
    ~
    $ capture-pane -pJ -S -
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    wide:日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日
    0000000000000000000000000000000000000000000000000000000000000000000000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    ~
    ~
    ~
    ~
    $ resize-window -x 100
    $ display -p '#{cursor_x},#{cursor_y} #{history_size}'
    91,5 0
    $ capture-pane -p -S -
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    wide:日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日
    0000000000000000000000000000000000000000000000000000000000000000000000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    yyyyyyyyyyyyyyyyyyyyy
    ~
    ~
    ~
    ~
    ~
    $ capture-pane -pJ -S -
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    wide:日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日
    0000000000000000000000000000000000000000000000000000000000000000000000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    ~
    ~
    ~
    ~
    ~
    $ resize-window -x 33 -y 7
    $ display -p '#{cursor_x},#{cursor_y} #{history_size}'
    25,5 8
    $ capture-pane -p -S -
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    wide:日日日日日日日日日日日日日日
    日日日日日日日日日日日日日日日日
    日日日日日日日日日日日日日日日
    000000000000000000000000000000000
    000000000000000000000000000000000
    0000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    yyyyyyyyyyyyyyyyyyyyyy
    $ capture-pane -pJ -S -
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    wide:日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日
    0000000000000000000000000000000000000000000000000000000000000000000000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    $ resize-window -x 80 -y 12
    $ display -p '#{cursor_x},#{cursor_y} #{history_size}'
    11,6 1
    $ capture-pane -p -S -
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    wide:日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日
    日日日日日日日日
    0000000000000000000000000000000000000000000000000000000000000000000000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    ~
    ~
    ~
    ~
    ~
    $ capture-pane -pJ -S -
    head
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    wide:日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日日
    0000000000000000000000000000000000000000000000000000000000000000000000000000005
    xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    ~
    ~
    ~
    ~
    ~
    ",
    );
}

#[test]
fn the_main_screen_reflows_once_when_the_alternate_screen_is_left() {
    // Resized three times under the alternate screen, the main screen
    // rewraps once, from the size it had to the size it comes back to,
    // with the cursor restored by 1049 first and rewrapped with its text.
    check(
        "
    $ new -d -s s -x 20 -y 6 'printf \"abcdefghijklmnopqrstuvwxyz0123456789\\n> \"; printf \"\\033[?1049h\\033[Hin alt\"; read x; printf \"\\033[?1049l\"; exec cat'
    $~ capture-pane -p
    in alt
    ~
    ~
    ~
    ~
    ~
    $ resize-window -x 8 -y 4
    $ resize-window -x 30 -y 3
    $ resize-window -x 12 -y 6
    $ display -p '#{cursor_x},#{cursor_y} #{history_size} #{alternate_on}'
    6,0 0 1
    $ send-keys Enter
    $~ display -p '#{cursor_x},#{cursor_y} #{history_size} #{alternate_on}'
    2,2 1 0
    $ capture-pane -p -S -
    abcdefghijkl
    mnopqrstuvwx
    yz0123456789
    >
    ~
    ~
    ~
    $ capture-pane -pJ -S -
    abcdefghijklmnopqrstuvwxyz0123456789
    > 
    ~
    ~
    ~
    ",
    );
}

#[test]
fn respawn_window_keeps_the_first_pane_and_its_title() {
    check(
        "
    $ new -d -s s -x 80 -y 24 -n w ; set -g automatic-rename off ; set -g remain-on-exit on
    $ selectp -t s:0.0 -T first
    $ splitw -h -t s:0
    $ selectp -t s:0.1 -T second
    $ respawnw -t s:0
    ! respawn window failed: window s:0 still active
    ? 1
    $ respawnp -t s:0.1
    ! respawn pane failed: pane s:0.1 still active
    ? 1
    $ respawnw -t s:0 -k 'sleep 100'
    $ lsp -t s:0 -F '#{pane_index} #{pane_id} #{pane_width}x#{pane_height} #{pane_title} #{pane_dead}#{?pane_active, *,}'
    0 %0 80x24 first 0 *
    $ display -p -t s:0 '#{pane_start_command}'
    \"sleep 100\"
    $ respawnw -k -t s:0
    $ display -p -t s:0 '#{pane_start_command} #{pane_title}'
    \"sleep 100\" first
    $ respawnw -t s:5
    ! can't find window: 5
    ? 1
    $ respawnw -x
    ! command respawn-window: unknown flag -x
    ? 1
    ",
    );
}

#[test]
fn new_session_with_a_size_sets_its_default_size() {
    check(
        "
    $ new -d -s s -x 70 -y 20
    $ show -t s
    default-size 70x20
    $ new -d -s t
    $ show -t t
    $ new -d -s u -x 70
    $ show -t u
    default-size 70x24
    ",
    );
}

#[test]
fn pipe_pane_opens_toggles_and_closes_as_tmux() {
    check(
        "
    $ new -d -s s
    $ display -p -t s '#{pane_pipe}'
    0
    $ pipep -t s 'cat > /dev/null'
    $ display -p -t s '#{pane_pipe}'
    1
    $ pipep -o -t s 'cat > /dev/null'
    $ display -p -t s '#{pane_pipe}'
    0
    $ pipep -o -t s 'cat > /dev/null'
    $ display -p -t s '#{pane_pipe}'
    1
    $ pipep -t s
    $ display -p -t s '#{pane_pipe}'
    0
    $ pipep -O -t s 'cat > /dev/null'
    $ pipep -t s ''
    $ display -p -t s '#{pane_pipe}'
    0
    $ pipep -t s a b
    ! command pipe-pane: too many arguments (need at most 1)
    ? 1
    $ pipep -t s:4 a
    ! can't find window: 4
    ? 1
    $ pipep -x
    ! command pipe-pane: unknown flag -x
    ? 1
    ",
    );
}

#[test]
fn match_modifiers_take_regex_and_case_flags_as_tmux() {
    check(
        "
    $ new -d -s s
    $ display -p '#{m/r:*need.ew*,needlework} #{m/r:need.ew,needlework} #{m/r:^ne+d,needlework}'
    0 1 1
    $ display -p '#{m/ri:NEED.EW,needlework} #{m/i:*WORK,needlework} #{m:*WORK,needlework} #{m/r:[,x}'
    1 1 0 0
    $ display -p '#{m/ri:^(a|b)c$,BC}'
    1
    ",
    );
}

#[test]
fn display_message_verbose_and_lenient_as_tmux() {
    check(
        "
    $ new -d -s s -f read-only,ignore-size ; set -g automatic-rename off
    $ new -d -s t -f bogus
    $ ls -F '#{session_name}'
    s
    t
    $ rename-window -t s:0 w
    $ display -v -p '#{window_name}'
    # expanding format: #{window_name}
    # found #{}: window_name
    # format 'window_name' found: sh
    # replaced 'window_name' with 'sh'
    # result is: sh
    sh
    $ display -v -p '#W'
    # expanding format: #W
    # found #W: window_name
    # format 'window_name' found: sh
    # replaced 'window_name' with 'sh'
    # result is: sh
    sh
    $ display -v -p plain
    # expanding format: plain
    # result is: plain
    plain
    $ display -v -p '#{nosuch}'
    # expanding format: #{nosuch}
    # found #{}: nosuch
    # format 'nosuch' not found
    # replaced 'nosuch' with ''
    # result is: 
    ~
    $ display -v -p '#{?nosuch,a,b}'
    # expanding format: #{?nosuch,a,b}
    # found #{}: ?nosuch,a,b
    # condition is: nosuch
    #  expanding format: nosuch
    #  result is: nosuch
    # condition 'nosuch' not found; assuming false
    # condition 'nosuch' is false
    #  expanding format: b
    #  result is: b
    # replaced '?nosuch,a,b' with 'b'
    # result is: b
    b
    $ display -v -p 'a#{?#{==:1,1},y,n}'
    # expanding format: a#{?#{==:1,1},y,n}
    # found #{}: ?#{==:1,1},y,n
    # condition is: #{==:1,1}
    #  expanding format: #{==:1,1}
    #  found #{}: ==:1,1
    #  modifier 0 is ==
    #   expanding format: 1
    #   result is: 1
    #   expanding format: 1
    #   result is: 1
    #  compare == left is: 1
    #  compare == right is: 1
    #  replaced '==:1,1' with '1'
    #  result is: 1
    # condition '#{==:1,1}' is true
    #  expanding format: y
    #  result is: y
    # replaced '?#{==:1,1},y,n' with 'y'
    # result is: ay
    ay
    $ display -v -p '#{==:a,b}'
    # expanding format: #{==:a,b}
    # found #{}: ==:a,b
    # modifier 0 is ==
    #  expanding format: a
    #  result is: a
    #  expanding format: b
    #  result is: b
    # compare == left is: a
    # compare == right is: b
    # replaced '==:a,b' with '0'
    # result is: 0
    0
    $ display -t nosuch -p x
    x
    $ display -t t:9 -p '#{session_name}'
    t
    $ display -d abc x
    ! delay invalid
    ? 1
    $ display -d -1 x
    ! delay too small
    ? 1
    $ display -c nosuch x
    $ display -N -d 10 x
    ",
    );
}

/// From inside a pane that is not its window's active one, a command with
/// no -t acts on the active pane in tmux 3.3a (agmux, as agmux, acts on
/// the caller's own pane).
#[test]
fn a_command_without_a_target_from_another_pane_acts_as_tmux() {
    let run = |tmux: &Path, m: &Mux| -> String {
        let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
        assert_eq!(t(&["new", "-d", "-s", "s", "-x", "80", "-y", "24"]).code, 0);
        t(&["split-window", "-d", "-t", "s"]);
        let out = m.dir.join("out");
        let tmux = tmux.display();
        let typed = format!(
            "{tmux} display -p '#{{pane_id}}' > {o}; {tmux} split-window -d -P -F '#{{pane_index}}' >> {o}; {tmux} wait-for -S done",
            o = out.display()
        );
        t(&["send-keys", "-t", "%1", &typed, "Enter"]);
        assert_eq!(t(&["wait-for", "done"]).code, 0);
        let _ = t(&["kill-server"]);
        std::fs::read_to_string(out).unwrap_or_default()
    };
    let m = Mux::new();
    let ours = run(&m.agmux_as_tmux(), &m);
    assert_eq!(ours, "%0\n1\n");
    if let Some(real) = real_tmux() {
        assert_eq!(run(&real, &Mux::new()), ours);
    }
}

/// A configuration file that does not parse runs not at all; one whose
/// command fails as it runs goes on; an if-shell in it holds the first
/// command until it has run.
#[test]
fn configuration_files_load_as_in_tmux() {
    // A server of its own for each file: tmux too may take a connection
    // while it exits.
    let run = |tmux: &Path| -> Vec<String> {
        let mut seen = Vec::new();
        for (text, show) in [
            ("set -g @a 1\nbogus-command\nset -g @c 3\n", "@a"),
            (
                "set -g @a 1\nset -g history-limit nope\nset -g @c 3\n",
                "@c",
            ),
        ] {
            let m = Mux::new();
            let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
            let conf = m.dir.join("test.conf");
            std::fs::write(&conf, text).unwrap();
            let conf = conf.display().to_string();
            let r = t(&["-f", &conf, "new", "-d", "-s", "s"]);
            assert_eq!(r.code, 0, "{}: {}", tmux.display(), r.stderr);
            let r = t(&["show", "-gv", show]);
            seen.push(format!("{} {}{}", r.code, r.stdout, r.stderr));
            let _ = t(&["kill-server"]);
        }
        let m = Mux::new();
        let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
        let conf = m.dir.join("test.conf");
        std::fs::write(
            &conf,
            "if-shell 'sleep 0.3; true' 'set -g default-terminal screen'\n",
        )
        .unwrap();
        let conf = conf.display().to_string();
        let new = [
            "-f",
            &conf,
            "new",
            "-d",
            "-s",
            "s",
            "echo \"[$TERM]\"; exec cat",
        ];
        assert_eq!(t(&new).code, 0);
        eventually(10, "the pane's TERM", || {
            let r = t(&["capture-pane", "-p", "-t", "s"]);
            r.stdout.contains('[').then_some(())
        });
        seen.push(
            t(&["capture-pane", "-p", "-t", "s"])
                .stdout
                .trim_end()
                .to_string(),
        );
        let _ = t(&["kill-server"]);
        seen
    };
    let m = Mux::new();
    let ours = run(&m.agmux_as_tmux());
    assert_eq!(ours, ["1 invalid option: @a\n", "0 3\n", "[screen]"]);
    if let Some(real) = real_tmux() {
        assert_eq!(run(&real), ours);
    }
}

/// tmux's format variables of a pane's terminal state and of a session's
/// window stack, on the same program's output.
#[test]
fn terminal_state_and_stack_formats_as_in_tmux() {
    let program = "printf '\\033[?1h\\033=\\033[?1000h\\033[?1006h\\033[5;10rab\\033[3g\\033[1;12H\\033H'; exec cat";
    check(&format!(
        "
    $ new -d -s s -x 80 -y 24 \"{program}\" ; set -g automatic-rename off
    $ neww -d -n two
    $ neww -n three
    $ select-window -t :0
    $ send-keys -t s:0 -l x
    $~ display -p -t s:0 '#{{keypad_flag}}#{{keypad_cursor_flag}}#{{cursor_flag}}#{{wrap_flag}}#{{insert_flag}}#{{origin_flag}}'
    111100
    $~ display -p -t s:0 '#{{mouse_standard_flag}}#{{mouse_button_flag}}#{{mouse_all_flag}}#{{mouse_utf8_flag}}#{{mouse_sgr_flag}}'
    10001
    $~ display -p -t s:0 '#{{scroll_region_upper}}-#{{scroll_region_lower}} #{{alternate_saved_x}} [#{{pane_tabs}}]'
    4-9 4294967295 [11]
    $ display -p -t s:0 '#{{active_window_index}} #{{last_window_index}} #{{session_stack}} #{{window_stack_index}}'
    0 2 0,2 0
    $ display -p -t s:1 '#{{window_stack_index}} #{{window_active_sessions}} #{{pane_synchronized}} [#{{window_bigger}}]'
    0 0 0 []
    $ display -p '#{{next_session_id}} [#{{session_attached_list}}] #{{window_active_clients}}'
    $1 [] 0
    "
    ));
}

/// What a client shows of a popup and a menu, and what their commands
/// exit with, for agmux-as-tmux and tmux to be compared.
fn overlay_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
    let mut out = Vec::new();
    let new = [
        "new",
        "-d",
        "-s",
        "s",
        "-x",
        "40",
        "-y",
        "12",
        // Keys that reach the pane show nothing and end nothing.
        "stty -echo -isig; exec cat",
        ";",
        "set",
        "-g",
        "status",
        "off",
        ";",
        "set",
        "-s",
        "escape-time",
        "0",
    ];
    assert_eq!(t(&new).code, 0);
    // No client: nothing to show it on.
    for args in [
        &["display-popup", "-E", "true"][..],
        &["display-menu", "a", "b", "c"],
    ] {
        let r = t(args);
        out.push(format!("{args:?} {} {}", r.code, r.stderr.trim_end()));
    }
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 40, 12, &[]);
    eventually(10, "the client attached", || {
        (!t(&["list-clients"]).stdout.is_empty()).then_some(())
    });
    let rows = |tty: &Tty| {
        let rows: Vec<String> = (0..12).map(|y| tty.row(y).trim_end().to_string()).collect();
        rows.join("\n")
    };
    for args in [
        &["popup", "-w", "0"][..],
        &["popup", "-h", "13"],
        &["menu", "a", "b"],
    ] {
        let r = t(args);
        out.push(format!("{args:?} {} {}", r.code, r.stderr.trim_end()));
    }
    // A popup whose program exits with 3 once it has read a line.
    let mut popup = m
        .command_as(
            tmux,
            &[
                "display-popup",
                "-w",
                "20",
                "-h",
                "6",
                "-T",
                "tit",
                "-E",
                "printf 'hello\\nworld'; read x; exit 3",
            ],
        )
        .spawn()
        .unwrap();
    tty.wait_text("world");
    out.push(rows(&tty));
    tty.send(b"ok\r");
    let status = eventually(10, "the popup command", || popup.try_wait().unwrap());
    out.push(format!("popup exited {:?}", status.code()));
    tty.wait_until("the popup gone", |s| !s.contents().contains("world"));
    // Without -E it stays when its program is done, until Escape.
    let mut popup = m
        .command_as(
            tmux,
            &[
                "popup", "-w", "10", "-h", "4", "-x", "2", "-y", "5", "-b", "double", "echo hi",
            ],
        )
        .spawn()
        .unwrap();
    tty.wait_text("hi");
    out.push(rows(&tty));
    tty.send(b"\x1b");
    let status = eventually(10, "the popup command", || popup.try_wait().unwrap());
    out.push(format!("popup exited {:?}", status.code()));
    tty.wait_until("the popup gone", |s| !s.contents().contains("hi"));
    // -EE closes only on success; once the program is gone, C-c closes.
    let mut popup = m
        .command_as(
            tmux,
            &[
                "popup",
                "-EE",
                "-B",
                "-w",
                "8",
                "-h",
                "2",
                "trap '' INT; echo bad; exit 3",
            ],
        )
        .spawn()
        .unwrap();
    tty.wait_text("bad");
    out.push(rows(&tty));
    // Until the server has seen the program go, C-c is the program's.
    let status = eventually(10, "the popup command", || {
        tty.send(b"\x03");
        popup.try_wait().unwrap()
    });
    out.push(format!("popup exited {:?}", status.code()));
    tty.wait_until("the popup gone", |s| !s.contents().contains("bad"));
    // Every C-c sent is handled (none is left to close the menu below)
    // once a key sent after them is.
    assert_eq!(
        t(&["bind", "-n", "F6", "set", "-g", "@sync", "yes"]).code,
        0
    );
    tty.send(b"\x1b[17~");
    eventually(10, "the keys handled", || {
        (t(&["show", "-gv", "@sync"]).stdout == "yes\n").then_some(())
    });
    // A menu: Down skips the line and the item that cannot be chosen.
    let menu = [
        "display-menu",
        "-T",
        "#[align=centre]Menu",
        "First item",
        "a",
        "set -g @x first",
        "",
        "-Disabled",
        "d",
        "",
        "Third",
        "3",
        "set -g @x third",
        "Long long long long item",
        "",
        "set -g @x long",
    ];
    let chosen = |tty: &Tty| {
        tty.with_screen(|s| {
            (0..12u16)
                .flat_map(|y| (0..40u16).map(move |x| (x, y)))
                .filter(|(x, y)| {
                    s.cell(*y, *x)
                        .is_some_and(|c| c.bgcolor() != vt100::Color::Default)
                })
                .map(|(x, y)| format!("{x},{y}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let mut child = m.command_as(tmux, &menu).spawn().unwrap();
    tty.wait_text("Menu");
    out.push(rows(&tty));
    out.push(chosen(&tty));
    tty.send(b"j");
    tty.wait_until("the choice moved", |s| {
        s.cell(5, 7)
            .is_some_and(|c| c.bgcolor() != vt100::Color::Default)
    });
    out.push(chosen(&tty));
    tty.send(b"\r");
    let status = eventually(10, "the menu command", || child.try_wait().unwrap());
    out.push(format!("menu exited {:?}", status.code()));
    let x = eventually(10, "the item's command", || {
        let r = t(&["show", "-gv", "@x"]);
        (r.stdout == "third\n").then_some(r.stdout)
    });
    out.push(x);
    // An item's key chooses it; q closes.
    let mut child = m.command_as(tmux, &menu).spawn().unwrap();
    tty.wait_text("Menu");
    tty.send(b"a");
    eventually(10, "the menu command", || child.try_wait().unwrap());
    out.push(t(&["show", "-gv", "@x"]).stdout);
    let mut child = m.command_as(tmux, &menu).spawn().unwrap();
    tty.wait_text("Menu");
    tty.send(b"q");
    eventually(10, "the menu command", || child.try_wait().unwrap());
    tty.wait_until("the menu gone", |s| !s.contents().contains("Menu"));
    // From a key binding.
    let bind = [
        "bind",
        "-n",
        "F5",
        "display-popup",
        "-E",
        "-w",
        "10",
        "-h",
        "4",
        "printf kb; read x",
    ];
    assert_eq!(t(&bind).code, 0);
    tty.send(b"\x1b[15~");
    tty.wait_text("kb");
    out.push(rows(&tty));
    tty.send(b"\r");
    tty.wait_until("the popup gone", |s| !s.contents().contains("kb"));
    tty.send(b"\x02d");
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn popups_and_menus_show_as_tmux_shows_them() {
    let m = Mux::new();
    let ours = overlay_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(
        ours[0],
        r#"["display-popup", "-E", "true"] 1 no current client"#
    );
    if let Some(real) = real_tmux() {
        let theirs = overlay_transcript(&real, &Mux::new());
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(a, b, "agmux, then tmux");
        }
        assert_eq!(ours.len(), theirs.len());
    }
}

/// A client's screen in clock mode, `#` where a cell has a background
/// colour, with the time it showed (None if the minute turned meanwhile).
fn clock_screen(tmux: &Path, m: &Mux) -> (Option<String>, Vec<String>) {
    let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
    let new = [
        "new", "-d", "-s", "s", "-x", "40", "-y", "12", "cat", ";", "set", "-g", "status", "off",
    ];
    assert_eq!(t(&new).code, 0);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 40, 12, &[]);
    eventually(10, "the client attached", || {
        (!t(&["list-clients"]).stdout.is_empty()).then_some(())
    });
    let mut out = Vec::new();
    let before = t(&["display", "-p", "%H:%M"]).stdout;
    assert_eq!(t(&["clock-mode", "-t", "s"]).code, 0);
    out.push(t(&["display", "-p", "-t", "s", "#{pane_in_mode} #{pane_mode}"]).stdout);
    let blocks = |s: &vt100::Screen| {
        (0..12u16)
            .map(|y| {
                let row: String = (0..40u16)
                    .map(|x| match s.cell(y, x) {
                        Some(c) if c.bgcolor() != vt100::Color::Default => '#',
                        _ => '.',
                    })
                    .collect();
                row
            })
            .collect::<Vec<_>>()
    };
    tty.wait_until("the clock", |s| blocks(s).concat().contains('#'));
    out.extend(tty.with_screen(blocks));
    let after = t(&["display", "-p", "%H:%M"]).stdout;
    // Any key ends it.
    tty.send(b"x");
    eventually(10, "clock mode ended", || {
        let r = t(&["display", "-p", "-t", "s", "#{pane_in_mode}"]).stdout;
        (r == "0\n").then_some(())
    });
    tty.send(b"\x02d");
    let _ = t(&["kill-server"]);
    ((before == after).then_some(before), out)
}

#[test]
fn clock_mode_draws_the_time_as_tmux_draws_it() {
    for _ in 0..3 {
        let m = Mux::new();
        let (when, ours) = clock_screen(&m.agmux_as_tmux(), &m);
        assert_eq!(ours[0], "1 clock-mode\n");
        let Some(real) = real_tmux() else {
            return;
        };
        let (then, theirs) = clock_screen(&real, &Mux::new());
        if when.is_some() && when == then {
            assert_eq!(ours, theirs);
            return;
        }
    }
    panic!("the minute kept turning");
}

/// A client locked and suspended and back, as agmux-as-tmux and tmux
/// see it.
fn lock_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
    let mut out = Vec::new();
    let mut note = |r: Run| out.push(format!("{} {}{}", r.code, r.stdout, r.stderr.trim_end()));
    let new = [
        "new",
        "-d",
        "-s",
        "s",
        "-x",
        "40",
        "-y",
        "12",
        "stty -echo; exec cat",
    ];
    assert_eq!(t(&new).code, 0);
    note(t(&["lock-client"]));
    note(t(&["suspend-client"]));
    note(t(&["lock-server"]));
    note(t(&["lock-session", "-t", "nope"]));
    note(t(&["lock-session", "-t", "s"]));
    note(t(&[
        "set",
        "-g",
        "lock-command",
        "printf 'locked\\n'; read x",
    ]));
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 40, 12, &[]);
    tty.wait_text("[s] 0:");
    eventually(10, "raw mode", || tty.raw_mode().then_some(()));
    for lock in [
        &["lock-client"][..],
        &["lock-session", "-t", "s"],
        &["lock-server"],
    ] {
        note(t(lock));
        tty.wait_text("locked");
        eventually(10, "the terminal given up", || {
            (!tty.raw_mode()).then_some(())
        });
        tty.send(b"\r");
        eventually(10, "the terminal taken back", || {
            tty.raw_mode().then_some(())
        });
        tty.wait_until("the client redrawn", |s| {
            let c = s.contents();
            c.contains("[s] 0:") && !c.contains("locked")
        });
    }
    // No lock-command: nothing happens.
    note(t(&["set", "-g", "lock-command", ""]));
    note(t(&["lock-client"]));
    note(t(&["list-clients", "-F", "#{client_session}"]));
    // Suspended, the client gives up its terminal and stops; continued,
    // it is drawn afresh. (Here, in a process group of its own with no
    // shell, it cannot stop: tmux's then waits for the SIGCONT, agmux's
    // comes back at once.)
    let pid = t(&["list-clients", "-F", "#{client_pid}"]).stdout;
    let pid: i32 = pid.trim().parse().unwrap();
    note(t(&["suspend-client"]));
    eventually(10, "the client back", || {
        // SAFETY: a signal to the client this test started.
        unsafe { libc::kill(pid, libc::SIGCONT) };
        (tty.raw_mode() && tty.contents().contains("[s] 0:")).then_some(())
    });
    note(t(&["list-clients", "-F", "#{client_session}"]));
    tty.send(b"\x02d");
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn clients_are_locked_and_suspended_as_tmux_does() {
    let m = Mux::new();
    let ours = lock_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(ours[0], "1 no current client");
    if let Some(real) = real_tmux() {
        assert_eq!(lock_transcript(&real, &Mux::new()), ours);
    }
}

/// choose-buffer and choose-client on an attached client's screen.
fn chooser_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
    let mut out = Vec::new();
    let new = [
        "new",
        "-d",
        "-s",
        "s",
        "-x",
        "60",
        "-y",
        "15",
        "stty -echo; exec cat",
        ";",
        "set",
        "-g",
        "status",
        "off",
        ";",
        "setb",
        "-b",
        "first",
        "hello",
        ";",
        "setb",
        "second buffer text",
    ];
    assert_eq!(t(&new).code, 0);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 60, 15, &[]);
    eventually(10, "the client attached", || {
        (!t(&["list-clients"]).stdout.is_empty()).then_some(())
    });
    let client = t(&["list-clients", "-F", "#{client_name}"]).stdout;
    let client = client.trim().to_string();
    let rows = |tty: &Tty| {
        let rows: Vec<String> = (0..15)
            .map(|y| tty.row(y).trim_end().replace(&client, "CLIENT"))
            .collect();
        rows.join("\n")
    };
    let time = t(&["display", "-p", "%H:%M"]).stdout;
    let time = time.trim().to_string();
    t(&["choose-buffer", "set -g @chosen '%%'"]);
    tty.wait_text("(1) first");
    out.push(rows(&tty).replace(&time, "TIME"));
    out.push(t(&["display", "-p", "-t", "s", "#{pane_mode}"]).stdout);
    tty.send(b"j\r");
    eventually(10, "the chosen buffer", || {
        (t(&["show", "-gv", "@chosen"]).stdout == "first\n").then_some(())
    });
    // -r reverses the order, -O sorts by name or size.
    for args in [
        &["choose-buffer", "-r"][..],
        &["choose-buffer", "-O", "size"],
    ] {
        t(args);
        tty.wait_text("(1) ");
        out.push(rows(&tty).replace(&time, "TIME"));
        tty.send(b"q");
        eventually(10, "the mode left", || {
            (t(&["display", "-p", "-t", "s", "#{pane_in_mode}"]).stdout == "0\n").then_some(())
        });
        // The next list must not be mistaken for this one still shown.
        tty.wait_until("the list gone", |s| !s.contents().contains("(1) "));
    }
    // d deletes the buffer under the cursor.
    t(&["choose-buffer"]);
    tty.wait_text("(1) first");
    tty.send(b"d");
    tty.wait_until("the buffer gone", |s| !s.contents().contains("second"));
    tty.send(b"q");
    eventually(10, "the mode left", || {
        (t(&["display", "-p", "-t", "s", "#{pane_in_mode}"]).stdout == "0\n").then_some(())
    });
    out.push(t(&["list-buffers", "-F", "#{buffer_name}"]).stdout);
    t(&["choose-client", "-N", "set -g @client '%%'"]);
    tty.wait_text("session s");
    out.push(rows(&tty).replace(&time, "TIME"));
    tty.send(b"\r");
    eventually(10, "the chosen client", || {
        (t(&["show", "-gv", "@client"]).stdout.trim() == client).then_some(())
    });
    tty.send(b"\x02d");
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn choose_buffer_and_choose_client_as_tmux() {
    let m = Mux::new();
    let ours = chooser_transcript(&m.agmux_as_tmux(), &m);
    if let Some(real) = real_tmux() {
        assert_eq!(ours, chooser_transcript(&real, &Mux::new()));
    }
}

/// server-access's answers, the owner's own line left out of -l (it
/// lists the owner unless that is root).
fn access_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
    let me = nix_user_name();
    let mut out = Vec::new();
    assert_eq!(t(&["new", "-d", "-s", "s"]).code, 0);
    let steps: &[&[&str]] = &[
        &["server-access"],
        &["server-access", "-a", "no-such-user-here"],
        &["server-access", "-a", "root"],
        &["server-access", "-d", "nobody"],
        &["server-access", "-a", "-d", "nobody"],
        &["server-access", "-r", "-w", "nobody"],
        &["server-access", "-l"],
        &["server-access", "-a", "nobody"],
        &["server-access", "-a", "nobody"],
        &["server-access", "-l"],
        &["server-access", "-r", "daemon"],
        &["server-access", "-l"],
        &["server-access", "-w", "daemon"],
        &["server-access", "-d", "nobody"],
        &["server-access", "-l"],
    ];
    for args in steps {
        let r = t(args);
        let stdout: Vec<&str> = r
            .stdout
            .lines()
            .filter(|l| *l != format!("{me} (W)"))
            .collect();
        out.push(format!(
            "{args:?} {} {:?} {}",
            r.code,
            stdout,
            r.stderr.trim_end()
        ));
    }
    let _ = t(&["kill-server"]);
    out
}

fn nix_user_name() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn server_access_lets_users_in_as_tmux() {
    let m = Mux::new();
    let ours = access_transcript(&m.agmux_as_tmux(), &m);
    assert!(ours[9].contains(r#"["nobody (W)"]"#), "{ours:?}");
    assert_eq!(ours[0], r#"["server-access"] 1 [] missing user argument"#);
    if let Some(real) = real_tmux() {
        assert_eq!(ours, access_transcript(&real, &Mux::new()));
    }
}

/// Another user (nobody) on the server, before and after server-access
/// lets them in, read-only and not. Needs root, to be nobody.
fn other_user_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| -> Run { m.command_as(tmux, args).output().unwrap().into() };
    let dir = m.dir.join("shared");
    std::fs::create_dir_all(&dir).unwrap();
    let sock = dir.join("sock");
    let sock = sock.to_str().unwrap();
    let chmod = |p: &str| {
        let ok = std::process::Command::new("chmod")
            .args(["0777", p])
            .status();
        assert!(ok.unwrap().success());
    };
    chmod(dir.to_str().unwrap());
    chmod(m.dir.to_str().unwrap());
    assert_eq!(t(&["-S", sock, "new", "-d", "-s", "s"]).code, 0);
    chmod(sock);
    let nobody = |args: &[&str]| -> String {
        let mut c = m.command_as(
            "setpriv",
            &["--reuid=65534", "--regid=65534", "--clear-groups"],
        );
        c.arg(tmux).args(["-S", sock]).args(args);
        let r: Run = c.output().unwrap().into();
        format!("{args:?} {}{}", r.stdout, r.stderr.trim_end())
    };
    let mut out = vec![nobody(&["ls", "-F", "#{session_name}"])];
    t(&["-S", sock, "server-access", "-a", "nobody"]);
    out.push(nobody(&["ls", "-F", "#{session_name}"]));
    t(&["-S", sock, "server-access", "-r", "nobody"]);
    out.push(nobody(&["neww"]));
    out.push(nobody(&["lsw", "-F", "#{window_index}"]));
    out.push(nobody(&["list-clients"]));
    t(&["-S", sock, "server-access", "-w", "nobody"]);
    out.push(nobody(&["lsw", "-F", "#{window_index}"]));
    t(&["-S", sock, "server-access", "-d", "nobody"]);
    out.push(nobody(&["ls", "-F", "#{session_name}"]));
    let _ = t(&["-S", sock, "kill-server"]);
    out
}

#[test]
fn another_user_is_let_in_as_tmux_lets_them() {
    let root = nix_user_name() == "root";
    let setpriv = std::process::Command::new("setpriv")
        .arg("--help")
        .output()
        .is_ok();
    if !root || !setpriv {
        eprintln!("needs root and setpriv: skipped");
        return;
    }
    let m = Mux::new();
    let ours = other_user_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(
        ours[0],
        r##"["ls", "-F", "#{session_name}"] access not allowed"##
    );
    assert_eq!(ours[2], r#"["neww"] client is read-only"#);
    if let Some(real) = real_tmux() {
        assert_eq!(ours, other_user_transcript(&real, &Mux::new()));
    }
}

/// Alerts: a bell, and output with monitor-activity on, flag windows
/// (window_flags, window_*_flag, session_alerts) in a detached session;
/// selecting a window sees its alerts, and counts as activity there.
#[test]
fn alerts_flag_windows_as_in_tmux() {
    check(
        "
    $ new -d -s s -x 80 -y 24 'exec cat'
    $ set -g monitor-activity on
    $ neww -d \"printf 'b\\a'; exec cat\"
    $ neww -d 'echo c; exec cat'
    $~ display -p '#{session_alerts}'
    1#!,2#
    $ display -p -t s:1 '#{window_flags}|#{window_raw_flags}|#{window_bell_flag}|#{window_activity_flag}|#{window_silence_flag}'
    ##!|#!|1|1|0
    $ lsw -F '#{window_index}#{window_flags}'
    0*
    1##!
    2##
    $ selectw -t :1
    $ display -p '#{session_alerts}|#{window_flags}'
    1#,2#|##*
    $ set -g monitor-activity off
    $ selectw -t :2
    $ display -p '#{session_alerts}|#{window_flags}'
    1#|*
    ",
    );
}

/// The marked pane: select-pane -m and -M, `~` and `{marked}` targets,
/// its formats and flag, and the default source of swap-pane.
#[test]
fn the_marked_pane_as_in_tmux() {
    check(
        "
    $ new -d -s s -x 80 -y 24 'exec cat'
    $ splitw -d -t s 'exec cat'
    $ neww -d -t s: 'exec cat'
    $ display -p '[#{pane_marked_set}]'
    [0]
    $ selectp -t '~'
    ! no marked target
    ? 1
    $ selectp -m -t s:0.1
    $ display -p -t s:0.1 '[#{pane_marked}][#{pane_marked_set}][#{window_marked_flag}][#{session_marked}][#{window_flags}]'
    [1][1][1][1][*M]
    $ display -p -t s:0.0 '[#{pane_marked}][#{pane_marked_set}]'
    [0][1]
    $ display -p -t '~' '#{pane_id}'
    %1
    $ display -p -t '{marked}' '#{window_index}.#{pane_index}'
    0.1
    $ lsw -F '#{window_index}#{window_flags}'
    0*M
    1
    $ selectp -m -t s:0.1
    $ display -p '[#{pane_marked_set}]'
    [0]
    $ selectp -m -t s:0.1
    $ swap-pane -t s:1.0
    $ list-panes -a -F '#{window_index}.#{pane_index} #{pane_id}'
    0.0 %0
    0.1 %2
    1.0 %1
    $ display -p '[#{pane_marked_set}]'
    [0]
    $ selectp -m -t s:1
    $ selectp -M
    $ display -p '[#{pane_marked_set}]'
    [0]
    ",
    );
}

/// pane_path from OSC 7, pane_fg and pane_bg from window-style, and the
/// constants tmux gives when it does not know better.
#[test]
fn path_colours_and_mode_formats_as_in_tmux() {
    check(
        "
    $ new -d -s s -x 80 -y 24 \"printf '\\033]7;file://host/tmp/x\\033\\\\\\\\'; exec cat\"
    $~ display -p '[#{pane_path}]'
    [file://host/tmp/x]
    $ display -p '[#{pane_fg}][#{pane_bg}][#{window_cell_width}x#{window_cell_height}]'
    [default][default][16x32]
    $ set -p window-style fg=blue,bg=colour236
    $ display -p '[#{pane_fg}][#{pane_bg}]'
    [blue][colour236]
    $ set -p window-active-style fg=#ff0000
    $ display -p '[#{pane_fg}][#{pane_bg}]'
    [#ff0000][colour236]
    $ display -p '#{buffer_mode_format}|#{client_mode_format}'
    #{t/p:buffer_created}: #{buffer_sample}|#{t/p:client_activity}: session #{session_name}
    ",
    );
}

/// pane_dead_time: set once the pane's program has ended, empty before.
#[test]
fn pane_dead_time_as_in_tmux() {
    // Not pane_dead_status: tmux 3.3a, loaded, sometimes marks a pane
    // dead on its end of file and never learns the exit status (seen
    // here for 10 s); tests/panes.rs checks agmux's.
    check(
        "
    $ new -d -s s 'exec cat' ; set -g remain-on-exit on
    $ splitw -d 'exit 3'
    $~ display -p -t s:0.1 '[#{pane_dead}][#{?pane_dead_time,set,}]'
    [1][set]
    $ display -p -t s:0.0 '[#{pane_dead_time}]'
    []
    ",
    );
}

/// pane_format, window_format and session_format: what is being
/// formatted, as list commands and loops say.
#[test]
fn what_is_formatted_as_in_tmux() {
    check(
        "
    $ new -d -s s -x 80 -y 24 'exec cat'
    $ neww -d -t s: 'exec cat'
    $ display -p '#{pane_format}#{window_format}#{session_format}'
    100
    $ list-panes -F '#{pane_format}#{window_format}#{session_format}'
    100
    $ lsw -F '#{pane_format}#{window_format}#{session_format}'
    010
    010
    $ ls -F '#{pane_format}#{window_format}#{session_format}'
    001
    $ display -p '#{W:#{window_format}#{pane_format}} #{S:#{session_format}} #{P:#{pane_format}}'
    1010 1 1
    ",
    );
}

/// A read-only client (attach -r): a key binding whose list holds a
/// command that changes something runs none of it, as tmux refuses the
/// whole list; it says so on the status line (capitalised, as tmux shows
/// any command's error there).
fn read_only_client_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| m.output_as(tmux, args);
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
        "exec cat",
    ]);
    t(&["new", "-d", "-s", "other", "exec cat"]);
    t(&["bind", "-n", "F5", "switch-client -t other ; new-window"]);
    t(&["bind", "-n", "F6", "switch-client -t other"]);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-r", "-t", "s"], 80, 24, &[]);
    tty.wait_text("[s] 0:");
    let clients = || t(&["list-clients", "-F", "#{client_session} #{client_readonly}"]);
    let mut out = vec![clients()];
    // F5: refused whole, the switch included.
    tty.send(b"\x1b[15~");
    tty.wait_text("Client is read-only");
    out.push(clients());
    out.push(t(&[
        "list-windows",
        "-a",
        "-F",
        "#{session_name}:#{window_index}",
    ]));
    // F6: only what a read-only client may do, so it runs.
    tty.send(b"\x1b[17~");
    tty.wait_text("[other] 0:");
    out.push(clients());
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn a_read_only_client_is_refused_a_whole_command_list() {
    let m = Mux::new();
    let ours = read_only_client_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(ours, ["s 1\n", "s 1\n", "other:0\ns:0\n", "other 1\n"]);
    if let Some(real) = real_tmux() {
        assert_eq!(ours, read_only_client_transcript(&real, &Mux::new()));
    }
}

/// display-message's client formats from outside every client: empty with
/// no client attached, else the current client's (the most recently active
/// one of the best session), whatever the target, as tmux's
/// cmd_find_current_client picks it; a -c naming no client too.
fn client_formats_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| -> String {
        let r: Run = m.command_as(tmux, args).output().unwrap().into();
        format!("{}{}{}", r.stdout, r.stderr, r.code)
    };
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
        "exec cat",
    ]);
    t(&["new", "-d", "-s", "t", "exec cat"]);
    let fmt = "[#{client_session}|#{client_readonly}] #{session_name}";
    let mut out = vec![t(&["display", "-p", fmt])];
    let tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 80, 24, &[]);
    tty.wait_text("[s] 0:");
    out.push(t(&["display", "-p", fmt]));
    out.push(t(&["display", "-p", "-t", "t:", fmt]));
    out.push(t(&["display", "-p", "-c", "nosuch", fmt]));
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn client_formats_outside_any_client_are_the_current_clients() {
    let m = Mux::new();
    let ours = client_formats_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(ours, ["[|] t\n0", "[s|0] s\n0", "[s|0] t\n0", "[s|0] s\n0"]);
    if let Some(real) = real_tmux() {
        assert_eq!(ours, client_formats_transcript(&real, &Mux::new()));
    }
}

/// The mouse formats in a mouse binding's command: the cell under the
/// mouse in its pane, the word and the line there; none outside one. And
/// #{pane_search_string}, copy mode's last search, kept after it ends.
/// One click per server: a second would be a double click.
fn mouse_formats_transcript(tmux: &Path, m: &Mux, x: u16) -> Vec<String> {
    let t = |args: &[&str]| m.output_as(tmux, args);
    let program = "printf 'alpha beta-gamma delta\\n'; exec cat";
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
        program,
    ]);
    t(&["set", "-g", "mouse", "on"]);
    let store = "set -gF @m '#{mouse_x}|#{mouse_y}|#{mouse_word}|#{mouse_line}'";
    t(&["bind", "-n", "MouseDown1Pane", store]);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 80, 24, &[]);
    tty.wait_text("alpha beta");
    let mut out = vec![t(&["display", "-p", "[#{mouse_x}|#{mouse_word}]"])];
    tty.send(format!("\x1b[<0;{};1M\x1b[<0;{};1m", x + 1, x + 1).as_bytes());
    out.push(eventually(10, "the mouse binding", || {
        // Until the binding has run, @m is not set at all.
        Some(t(&["show", "-gv", "@m"])).filter(|v| v.trim() != "" && !v.starts_with("invalid"))
    }));
    t(&["copy-mode", "-t", "s:"]);
    t(&["send", "-t", "s:", "-X", "search-backward", "gamma"]);
    out.push(t(&["display", "-p", "-t", "s:", "#{pane_search_string}"]));
    t(&["send", "-t", "s:", "-X", "cancel"]);
    out.push(t(&[
        "display",
        "-p",
        "-t",
        "s:",
        "#{pane_in_mode} #{pane_search_string}",
    ]));
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn mouse_formats_and_the_search_string_as_in_tmux() {
    for (x, word) in [(8, "beta"), (11, "gamma"), (5, "beta")] {
        let m = Mux::new();
        let ours = mouse_formats_transcript(&m.agmux_as_tmux(), &m, x);
        assert_eq!(
            ours,
            [
                "[|]\n".to_string(),
                format!("{x}|0|{word}|alpha beta-gamma delta\n"),
                "gamma\n".to_string(),
                "0 gamma\n".to_string(),
            ]
        );
        if let Some(real) = real_tmux() {
            assert_eq!(ours, mouse_formats_transcript(&real, &Mux::new(), x));
        }
    }
}

/// pane_fg and pane_bg follow the default colours a program sets with OSC
/// 10 and 11 (and resets with 110 and 111), under window-active-style
/// and window-style as tmux's tty_default_colours lays them.
#[test]
fn pane_colours_follow_osc_10_and_11_as_in_tmux() {
    check(
        r#"
    $ new -d -s s -x 80 -y 24 "printf '\\033]10;rgb:12/34/56\\007\\033]11;#abcdef\\007'; exec cat"
    $~ display -p '#{pane_fg} #{pane_bg}'
    #123456 #abcdef
    $ set -p window-style fg=red
    $ display -p '#{pane_fg} #{pane_bg}'
    #123456 #abcdef
    $ set -p window-active-style bg=blue
    $ display -p '#{pane_fg} #{pane_bg}'
    #123456 blue
    $ respawn-pane -k "printf '\\033]10;200,10,0\\007\\033]111\\007'; exec cat"
    $~ display -p '#{pane_fg} #{pane_bg}'
    #c80a00 blue
    $ set -p -u window-active-style
    $ display -p '#{pane_fg} #{pane_bg}'
    #c80a00 default
    "#,
    );
}

/// client_cell_width and client_cell_height: a cell of the client's
/// terminal in pixels, as its size in pixels divides by its size in cells
/// (0 where the terminal gives no pixels); nothing outside a client.
fn cell_size_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| m.output_as(tmux, args);
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
        "exec cat",
    ]);
    t(&["new", "-d", "-s", "t", "exec cat"]);
    let fmt = "[#{client_cell_width}x#{client_cell_height}]";
    let mut out = vec![t(&["display", "-p", fmt])];
    let px = Tty::spawn_pixels(m, tmux, &["attach", "-t", "s"], (80, 24), (800, 480), &[]);
    px.wait_text("[s] 0:");
    out.push(t(&["display", "-p", "-c", &client_of(&t, "s"), fmt]));
    let none = Tty::spawn_program(m, tmux, &["attach", "-t", "t"], 80, 24, &[]);
    none.wait_text("[t] 0:");
    out.push(t(&["display", "-p", "-c", &client_of(&t, "t"), fmt]));
    let _ = t(&["kill-server"]);
    out
}

/// client_written and client_discarded: what went to a client's terminal
/// grows as the screen changes, and nothing is thrown away for a terminal
/// that keeps up; nothing outside a client.
fn written_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| m.output_as(tmux, args);
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
        "exec cat",
    ]);
    let fmt = "[#{client_written}|#{client_discarded}]";
    let mut out = vec![t(&["display", "-p", fmt])];
    let client = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 80, 24, &[]);
    client.wait_text("[s] 0:");
    let name = client_of(&t, "s");
    let count = || -> u64 {
        t(&["display", "-p", "-c", &name, "#{client_written}"])
            .trim()
            .parse()
            .unwrap_or(0)
    };
    let before = count();
    out.push(format!("drawn: {}", before > 0));
    t(&["send-keys", "-t", "s", "hello", "Enter"]);
    client.wait_text("hello");
    eventually(5, "client_written to grow", || {
        (count() > before).then_some(())
    });
    out.push(t(&["display", "-p", "-c", &name, "#{client_discarded}"]));
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn client_written_and_discarded_as_in_tmux() {
    let m = Mux::new();
    let ours = written_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(ours, ["[|]\n", "drawn: true", "0\n"]);
    if let Some(real) = real_tmux() {
        assert_eq!(ours, written_transcript(&real, &Mux::new()));
    }
}

/// The name of the client attached to session `s`.
fn client_of(t: &dyn Fn(&[&str]) -> String, s: &str) -> String {
    t(&[
        "list-clients",
        "-t",
        &format!("{s}:"),
        "-F",
        "#{client_name}",
    ])
    .trim()
    .to_string()
}

#[test]
fn client_cell_sizes_as_in_tmux() {
    let m = Mux::new();
    let ours = cell_size_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(ours, ["[x]\n", "[10x20]\n", "[0x0]\n"]);
    if let Some(real) = real_tmux() {
        assert_eq!(ours, cell_size_transcript(&real, &Mux::new()));
    }
}

#[test]
fn list_keys_prints_the_default_tables_as_tmux() {
    // Every default binding of tmux 3.3a, in its order, columns, quoting
    // and braces; then the vi copy-mode table alone (narrower columns),
    // and the notes.
    check(
        r##"
    $ new-session -d -s s
    $ list-keys
    bind-key    -T copy-mode    C-Space              send-keys -X begin-selection
    bind-key    -T copy-mode    C-a                  send-keys -X start-of-line
    bind-key    -T copy-mode    C-b                  send-keys -X cursor-left
    bind-key    -T copy-mode    C-c                  send-keys -X cancel
    bind-key    -T copy-mode    C-e                  send-keys -X end-of-line
    bind-key    -T copy-mode    C-f                  send-keys -X cursor-right
    bind-key    -T copy-mode    C-g                  send-keys -X clear-selection
    bind-key    -T copy-mode    C-k                  send-keys -X copy-pipe-end-of-line-and-cancel
    bind-key    -T copy-mode    C-n                  send-keys -X cursor-down
    bind-key    -T copy-mode    C-p                  send-keys -X cursor-up
    bind-key    -T copy-mode    C-r                  command-prompt -i -I "#{pane_search_string}" -T search -p "(search up)" { send-keys -X search-backward-incremental "%%" }
    bind-key    -T copy-mode    C-s                  command-prompt -i -I "#{pane_search_string}" -T search -p "(search down)" { send-keys -X search-forward-incremental "%%" }
    bind-key    -T copy-mode    C-v                  send-keys -X page-down
    bind-key    -T copy-mode    C-w                  send-keys -X copy-pipe-and-cancel
    bind-key    -T copy-mode    Escape               send-keys -X cancel
    bind-key    -T copy-mode    Space                send-keys -X page-down
    bind-key    -T copy-mode    ,                    send-keys -X jump-reverse
    bind-key    -T copy-mode    \;                   send-keys -X jump-again
    bind-key    -T copy-mode    F                    command-prompt -1 -p "(jump backward)" { send-keys -X jump-backward "%%" }
    bind-key    -T copy-mode    N                    send-keys -X search-reverse
    bind-key    -T copy-mode    P                    send-keys -X toggle-position
    bind-key    -T copy-mode    R                    send-keys -X rectangle-toggle
    bind-key    -T copy-mode    T                    command-prompt -1 -p "(jump to backward)" { send-keys -X jump-to-backward "%%" }
    bind-key    -T copy-mode    X                    send-keys -X set-mark
    bind-key    -T copy-mode    f                    command-prompt -1 -p "(jump forward)" { send-keys -X jump-forward "%%" }
    bind-key    -T copy-mode    g                    command-prompt -p "(goto line)" { send-keys -X goto-line "%%" }
    bind-key    -T copy-mode    n                    send-keys -X search-again
    bind-key    -T copy-mode    q                    send-keys -X cancel
    bind-key    -T copy-mode    r                    send-keys -X refresh-from-pane
    bind-key    -T copy-mode    t                    command-prompt -1 -p "(jump to forward)" { send-keys -X jump-to-forward "%%" }
    bind-key    -T copy-mode    MouseDown1Pane       select-pane
    bind-key    -T copy-mode    MouseDrag1Pane       select-pane \; send-keys -X begin-selection
    bind-key    -T copy-mode    MouseDragEnd1Pane    send-keys -X copy-pipe-and-cancel
    bind-key    -T copy-mode    WheelUpPane          select-pane \; send-keys -X -N 5 scroll-up
    bind-key    -T copy-mode    WheelDownPane        select-pane \; send-keys -X -N 5 scroll-down
    bind-key    -T copy-mode    DoubleClick1Pane     select-pane \; send-keys -X select-word \; run-shell -d 0.3 \; send-keys -X copy-pipe-and-cancel
    bind-key    -T copy-mode    TripleClick1Pane     select-pane \; send-keys -X select-line \; run-shell -d 0.3 \; send-keys -X copy-pipe-and-cancel
    bind-key    -T copy-mode    Home                 send-keys -X start-of-line
    bind-key    -T copy-mode    End                  send-keys -X end-of-line
    bind-key    -T copy-mode    NPage                send-keys -X page-down
    bind-key    -T copy-mode    PPage                send-keys -X page-up
    bind-key    -T copy-mode    Up                   send-keys -X cursor-up
    bind-key    -T copy-mode    Down                 send-keys -X cursor-down
    bind-key    -T copy-mode    Left                 send-keys -X cursor-left
    bind-key    -T copy-mode    Right                send-keys -X cursor-right
    bind-key    -T copy-mode    M-C-b                send-keys -X previous-matching-bracket
    bind-key    -T copy-mode    M-C-f                send-keys -X next-matching-bracket
    bind-key    -T copy-mode    M-1                  command-prompt -N -I 1 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode    M-2                  command-prompt -N -I 2 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode    M-3                  command-prompt -N -I 3 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode    M-4                  command-prompt -N -I 4 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode    M-5                  command-prompt -N -I 5 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode    M-6                  command-prompt -N -I 6 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode    M-7                  command-prompt -N -I 7 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode    M-8                  command-prompt -N -I 8 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode    M-9                  command-prompt -N -I 9 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode    M-<                  send-keys -X history-top
    bind-key    -T copy-mode    M->                  send-keys -X history-bottom
    bind-key    -T copy-mode    M-R                  send-keys -X top-line
    bind-key    -T copy-mode    M-b                  send-keys -X previous-word
    bind-key    -T copy-mode    M-f                  send-keys -X next-word-end
    bind-key    -T copy-mode    M-m                  send-keys -X back-to-indentation
    bind-key    -T copy-mode    M-r                  send-keys -X middle-line
    bind-key    -T copy-mode    M-v                  send-keys -X page-up
    bind-key    -T copy-mode    M-w                  send-keys -X copy-pipe-and-cancel
    bind-key    -T copy-mode    M-x                  send-keys -X jump-to-mark
    bind-key    -T copy-mode    "M-{"                send-keys -X previous-paragraph
    bind-key    -T copy-mode    "M-}"                send-keys -X next-paragraph
    bind-key    -T copy-mode    M-Up                 send-keys -X halfpage-up
    bind-key    -T copy-mode    M-Down               send-keys -X halfpage-down
    bind-key    -T copy-mode    C-Up                 send-keys -X scroll-up
    bind-key    -T copy-mode    C-Down               send-keys -X scroll-down
    bind-key    -T copy-mode-vi C-b                  send-keys -X page-up
    bind-key    -T copy-mode-vi C-c                  send-keys -X cancel
    bind-key    -T copy-mode-vi C-d                  send-keys -X halfpage-down
    bind-key    -T copy-mode-vi C-e                  send-keys -X scroll-down
    bind-key    -T copy-mode-vi C-f                  send-keys -X page-down
    bind-key    -T copy-mode-vi C-h                  send-keys -X cursor-left
    bind-key    -T copy-mode-vi C-j                  send-keys -X copy-pipe-and-cancel
    bind-key    -T copy-mode-vi Enter                send-keys -X copy-pipe-and-cancel
    bind-key    -T copy-mode-vi C-u                  send-keys -X halfpage-up
    bind-key    -T copy-mode-vi C-v                  send-keys -X rectangle-toggle
    bind-key    -T copy-mode-vi C-y                  send-keys -X scroll-up
    bind-key    -T copy-mode-vi Escape               send-keys -X clear-selection
    bind-key    -T copy-mode-vi Space                send-keys -X begin-selection
    bind-key    -T copy-mode-vi \#                   send-keys -FX search-backward "#{copy_cursor_word}"
    bind-key    -T copy-mode-vi \$                   send-keys -X end-of-line
    bind-key    -T copy-mode-vi \%                   send-keys -X next-matching-bracket
    bind-key    -T copy-mode-vi *                    send-keys -FX search-forward "#{copy_cursor_word}"
    bind-key    -T copy-mode-vi ,                    send-keys -X jump-reverse
    bind-key    -T copy-mode-vi /                    command-prompt -T search -p "(search down)" { send-keys -X search-forward "%%" }
    bind-key    -T copy-mode-vi 0                    send-keys -X start-of-line
    bind-key    -T copy-mode-vi 1                    command-prompt -N -I 1 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode-vi 2                    command-prompt -N -I 2 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode-vi 3                    command-prompt -N -I 3 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode-vi 4                    command-prompt -N -I 4 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode-vi 5                    command-prompt -N -I 5 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode-vi 6                    command-prompt -N -I 6 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode-vi 7                    command-prompt -N -I 7 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode-vi 8                    command-prompt -N -I 8 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode-vi 9                    command-prompt -N -I 9 -p (repeat) { send-keys -N "%%" }
    bind-key    -T copy-mode-vi :                    command-prompt -p "(goto line)" { send-keys -X goto-line "%%" }
    bind-key    -T copy-mode-vi \;                   send-keys -X jump-again
    bind-key    -T copy-mode-vi ?                    command-prompt -T search -p "(search up)" { send-keys -X search-backward "%%" }
    bind-key    -T copy-mode-vi A                    send-keys -X append-selection-and-cancel
    bind-key    -T copy-mode-vi B                    send-keys -X previous-space
    bind-key    -T copy-mode-vi D                    send-keys -X copy-pipe-end-of-line-and-cancel
    bind-key    -T copy-mode-vi E                    send-keys -X next-space-end
    bind-key    -T copy-mode-vi F                    command-prompt -1 -p "(jump backward)" { send-keys -X jump-backward "%%" }
    bind-key    -T copy-mode-vi G                    send-keys -X history-bottom
    bind-key    -T copy-mode-vi H                    send-keys -X top-line
    bind-key    -T copy-mode-vi J                    send-keys -X scroll-down
    bind-key    -T copy-mode-vi K                    send-keys -X scroll-up
    bind-key    -T copy-mode-vi L                    send-keys -X bottom-line
    bind-key    -T copy-mode-vi M                    send-keys -X middle-line
    bind-key    -T copy-mode-vi N                    send-keys -X search-reverse
    bind-key    -T copy-mode-vi P                    send-keys -X toggle-position
    bind-key    -T copy-mode-vi T                    command-prompt -1 -p "(jump to backward)" { send-keys -X jump-to-backward "%%" }
    bind-key    -T copy-mode-vi V                    send-keys -X select-line
    bind-key    -T copy-mode-vi W                    send-keys -X next-space
    bind-key    -T copy-mode-vi X                    send-keys -X set-mark
    bind-key    -T copy-mode-vi ^                    send-keys -X back-to-indentation
    bind-key    -T copy-mode-vi b                    send-keys -X previous-word
    bind-key    -T copy-mode-vi e                    send-keys -X next-word-end
    bind-key    -T copy-mode-vi f                    command-prompt -1 -p "(jump forward)" { send-keys -X jump-forward "%%" }
    bind-key    -T copy-mode-vi g                    send-keys -X history-top
    bind-key    -T copy-mode-vi h                    send-keys -X cursor-left
    bind-key    -T copy-mode-vi j                    send-keys -X cursor-down
    bind-key    -T copy-mode-vi k                    send-keys -X cursor-up
    bind-key    -T copy-mode-vi l                    send-keys -X cursor-right
    bind-key    -T copy-mode-vi n                    send-keys -X search-again
    bind-key    -T copy-mode-vi o                    send-keys -X other-end
    bind-key    -T copy-mode-vi q                    send-keys -X cancel
    bind-key    -T copy-mode-vi r                    send-keys -X refresh-from-pane
    bind-key    -T copy-mode-vi t                    command-prompt -1 -p "(jump to forward)" { send-keys -X jump-to-forward "%%" }
    bind-key    -T copy-mode-vi v                    send-keys -X rectangle-toggle
    bind-key    -T copy-mode-vi w                    send-keys -X next-word
    bind-key    -T copy-mode-vi \{                   send-keys -X previous-paragraph
    bind-key    -T copy-mode-vi \}                   send-keys -X next-paragraph
    bind-key    -T copy-mode-vi MouseDown1Pane       select-pane
    bind-key    -T copy-mode-vi MouseDrag1Pane       select-pane \; send-keys -X begin-selection
    bind-key    -T copy-mode-vi MouseDragEnd1Pane    send-keys -X copy-pipe-and-cancel
    bind-key    -T copy-mode-vi WheelUpPane          select-pane \; send-keys -X -N 5 scroll-up
    bind-key    -T copy-mode-vi WheelDownPane        select-pane \; send-keys -X -N 5 scroll-down
    bind-key    -T copy-mode-vi DoubleClick1Pane     select-pane \; send-keys -X select-word \; run-shell -d 0.3 \; send-keys -X copy-pipe-and-cancel
    bind-key    -T copy-mode-vi TripleClick1Pane     select-pane \; send-keys -X select-line \; run-shell -d 0.3 \; send-keys -X copy-pipe-and-cancel
    bind-key    -T copy-mode-vi BSpace               send-keys -X cursor-left
    bind-key    -T copy-mode-vi NPage                send-keys -X page-down
    bind-key    -T copy-mode-vi PPage                send-keys -X page-up
    bind-key    -T copy-mode-vi Up                   send-keys -X cursor-up
    bind-key    -T copy-mode-vi Down                 send-keys -X cursor-down
    bind-key    -T copy-mode-vi Left                 send-keys -X cursor-left
    bind-key    -T copy-mode-vi Right                send-keys -X cursor-right
    bind-key    -T copy-mode-vi M-x                  send-keys -X jump-to-mark
    bind-key    -T copy-mode-vi C-Up                 send-keys -X scroll-up
    bind-key    -T copy-mode-vi C-Down               send-keys -X scroll-down
    bind-key    -T prefix       C-b                  send-prefix
    bind-key    -T prefix       C-o                  rotate-window
    bind-key    -T prefix       C-z                  suspend-client
    bind-key    -T prefix       Space                next-layout
    bind-key    -T prefix       !                    break-pane
    bind-key    -T prefix       \"                   split-window
    bind-key    -T prefix       \#                   list-buffers
    bind-key    -T prefix       \$                   command-prompt -I "#S" { rename-session "%%" }
    bind-key    -T prefix       \%                   split-window -h
    bind-key    -T prefix       &                    confirm-before -p "kill-window #W? (y/n)" kill-window
    bind-key    -T prefix       \'                   command-prompt -T window-target -p index { select-window -t ":%%" }
    bind-key    -T prefix       (                    switch-client -p
    bind-key    -T prefix       )                    switch-client -n
    bind-key    -T prefix       ,                    command-prompt -I "#W" { rename-window "%%" }
    bind-key    -T prefix       -                    delete-buffer
    bind-key    -T prefix       .                    command-prompt -T target { move-window -t "%%" }
    bind-key    -T prefix       /                    command-prompt -k -p key { list-keys -1N "%%" }
    bind-key    -T prefix       0                    select-window -t :=0
    bind-key    -T prefix       1                    select-window -t :=1
    bind-key    -T prefix       2                    select-window -t :=2
    bind-key    -T prefix       3                    select-window -t :=3
    bind-key    -T prefix       4                    select-window -t :=4
    bind-key    -T prefix       5                    select-window -t :=5
    bind-key    -T prefix       6                    select-window -t :=6
    bind-key    -T prefix       7                    select-window -t :=7
    bind-key    -T prefix       8                    select-window -t :=8
    bind-key    -T prefix       9                    select-window -t :=9
    bind-key    -T prefix       :                    command-prompt
    bind-key    -T prefix       \;                   last-pane
    bind-key    -T prefix       <                    display-menu -T "#[align=centre]#{window_index}:#{window_name}" -x W -y W "#{?#{>:#{session_windows},1},,-}Swap Left" l { swap-window -t :-1 } "#{?#{>:#{session_windows},1},,-}Swap Right" r { swap-window -t :+1 } "#{?pane_marked_set,,-}Swap Marked" s { swap-window } '' Kill X { kill-window } Respawn R { respawn-window -k } "#{?pane_marked,Unmark,Mark}" m { select-pane -m } Rename n { command-prompt -F -I "#W" { rename-window -t "#{window_id}" "%%" } } '' "New After" w { new-window -a } "New At End" W { new-window }
    bind-key    -T prefix       =                    choose-buffer -Z
    bind-key    -T prefix       >                    display-menu -T "#[align=centre]#{pane_index} (#{pane_id})" -x P -y P "#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Top,}" < { send-keys -X history-top } "#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Bottom,}" > { send-keys -X history-bottom } '' "#{?mouse_word,Search For #[underscore]#{=/9/...:mouse_word},}" C-r { if-shell -F "#{?#{m/r:(copy|view)-mode,#{pane_mode}},0,1}" "copy-mode -t=" ; send-keys -X -t = search-backward "#{q:mouse_word}" } "#{?mouse_word,Type #[underscore]#{=/9/...:mouse_word},}" C-y { copy-mode -q ; send-keys -l "#{q:mouse_word}" } "#{?mouse_word,Copy #[underscore]#{=/9/...:mouse_word},}" c { copy-mode -q ; set-buffer "#{q:mouse_word}" } "#{?mouse_line,Copy Line,}" l { copy-mode -q ; set-buffer "#{q:mouse_line}" } '' "Horizontal Split" h { split-window -h } "Vertical Split" v { split-window -v } '' "#{?#{>:#{window_panes},1},,-}Swap Up" u { swap-pane -U } "#{?#{>:#{window_panes},1},,-}Swap Down" d { swap-pane -D } "#{?pane_marked_set,,-}Swap Marked" s { swap-pane } '' Kill X { kill-pane } Respawn R { respawn-pane -k } "#{?pane_marked,Unmark,Mark}" m { select-pane -m } "#{?#{>:#{window_panes},1},,-}#{?window_zoomed_flag,Unzoom,Zoom}" z { resize-pane -Z }
    bind-key    -T prefix       ?                    list-keys -N
    bind-key    -T prefix       C                    customize-mode -Z
    bind-key    -T prefix       D                    choose-client -Z
    bind-key    -T prefix       E                    select-layout -E
    bind-key    -T prefix       L                    switch-client -l
    bind-key    -T prefix       M                    select-pane -M
    bind-key    -T prefix       [                    copy-mode
    bind-key    -T prefix       ]                    paste-buffer -p
    bind-key    -T prefix       c                    new-window
    bind-key    -T prefix       d                    detach-client
    bind-key    -T prefix       f                    command-prompt { find-window -Z "%%" }
    bind-key    -T prefix       i                    display-message
    bind-key    -T prefix       l                    last-window
    bind-key    -T prefix       m                    select-pane -m
    bind-key    -T prefix       n                    next-window
    bind-key    -T prefix       o                    select-pane -t :.+
    bind-key    -T prefix       p                    previous-window
    bind-key    -T prefix       q                    display-panes
    bind-key    -T prefix       r                    refresh-client
    bind-key    -T prefix       s                    choose-tree -Zs
    bind-key    -T prefix       t                    clock-mode
    bind-key    -T prefix       w                    choose-tree -Zw
    bind-key    -T prefix       x                    confirm-before -p "kill-pane #P? (y/n)" kill-pane
    bind-key    -T prefix       z                    resize-pane -Z
    bind-key    -T prefix       \{                   swap-pane -U
    bind-key    -T prefix       \}                   swap-pane -D
    bind-key    -T prefix       \~                   show-messages
    bind-key -r -T prefix       DC                   refresh-client -c
    bind-key    -T prefix       PPage                copy-mode -u
    bind-key -r -T prefix       Up                   select-pane -U
    bind-key -r -T prefix       Down                 select-pane -D
    bind-key -r -T prefix       Left                 select-pane -L
    bind-key -r -T prefix       Right                select-pane -R
    bind-key    -T prefix       M-1                  select-layout even-horizontal
    bind-key    -T prefix       M-2                  select-layout even-vertical
    bind-key    -T prefix       M-3                  select-layout main-horizontal
    bind-key    -T prefix       M-4                  select-layout main-vertical
    bind-key    -T prefix       M-5                  select-layout tiled
    bind-key    -T prefix       M-n                  next-window -a
    bind-key    -T prefix       M-o                  rotate-window -D
    bind-key    -T prefix       M-p                  previous-window -a
    bind-key -r -T prefix       M-Up                 resize-pane -U 5
    bind-key -r -T prefix       M-Down               resize-pane -D 5
    bind-key -r -T prefix       M-Left               resize-pane -L 5
    bind-key -r -T prefix       M-Right              resize-pane -R 5
    bind-key -r -T prefix       C-Up                 resize-pane -U
    bind-key -r -T prefix       C-Down               resize-pane -D
    bind-key -r -T prefix       C-Left               resize-pane -L
    bind-key -r -T prefix       C-Right              resize-pane -R
    bind-key -r -T prefix       S-Up                 refresh-client -U 10
    bind-key -r -T prefix       S-Down               refresh-client -D 10
    bind-key -r -T prefix       S-Left               refresh-client -L 10
    bind-key -r -T prefix       S-Right              refresh-client -R 10
    bind-key    -T root         MouseDown1Pane       select-pane -t = \; send-keys -M
    bind-key    -T root         MouseDown1Status     select-window -t =
    bind-key    -T root         MouseDown2Pane       select-pane -t = \; if-shell -F "#{||:#{pane_in_mode},#{mouse_any_flag}}" { send-keys -M } { paste-buffer -p }
    bind-key    -T root         MouseDown3Pane       if-shell -F -t = "#{||:#{mouse_any_flag},#{&&:#{pane_in_mode},#{?#{m/r:(copy|view)-mode,#{pane_mode}},0,1}}}" { select-pane -t = ; send-keys -M } { display-menu -T "#[align=centre]#{pane_index} (#{pane_id})" -t = -x M -y M "#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Top,}" < { send-keys -X history-top } "#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Bottom,}" > { send-keys -X history-bottom } '' "#{?mouse_word,Search For #[underscore]#{=/9/...:mouse_word},}" C-r { if-shell -F "#{?#{m/r:(copy|view)-mode,#{pane_mode}},0,1}" "copy-mode -t=" ; send-keys -X -t = search-backward "#{q:mouse_word}" } "#{?mouse_word,Type #[underscore]#{=/9/...:mouse_word},}" C-y { copy-mode -q ; send-keys -l "#{q:mouse_word}" } "#{?mouse_word,Copy #[underscore]#{=/9/...:mouse_word},}" c { copy-mode -q ; set-buffer "#{q:mouse_word}" } "#{?mouse_line,Copy Line,}" l { copy-mode -q ; set-buffer "#{q:mouse_line}" } '' "Horizontal Split" h { split-window -h } "Vertical Split" v { split-window -v } '' "#{?#{>:#{window_panes},1},,-}Swap Up" u { swap-pane -U } "#{?#{>:#{window_panes},1},,-}Swap Down" d { swap-pane -D } "#{?pane_marked_set,,-}Swap Marked" s { swap-pane } '' Kill X { kill-pane } Respawn R { respawn-pane -k } "#{?pane_marked,Unmark,Mark}" m { select-pane -m } "#{?#{>:#{window_panes},1},,-}#{?window_zoomed_flag,Unzoom,Zoom}" z { resize-pane -Z } }
    bind-key    -T root         MouseDown3Status     display-menu -T "#[align=centre]#{window_index}:#{window_name}" -t = -x W -y W "#{?#{>:#{session_windows},1},,-}Swap Left" l { swap-window -t :-1 } "#{?#{>:#{session_windows},1},,-}Swap Right" r { swap-window -t :+1 } "#{?pane_marked_set,,-}Swap Marked" s { swap-window } '' Kill X { kill-window } Respawn R { respawn-window -k } "#{?pane_marked,Unmark,Mark}" m { select-pane -m } Rename n { command-prompt -F -I "#W" { rename-window -t "#{window_id}" "%%" } } '' "New After" w { new-window -a } "New At End" W { new-window }
    bind-key    -T root         MouseDown3StatusLeft display-menu -T "#[align=centre]#{session_name}" -t = -x M -y W Next n { switch-client -n } Previous p { switch-client -p } '' Renumber N { move-window -r } Rename n { command-prompt -I "#S" { rename-session "%%" } } '' "New Session" s { new-session } "New Window" w { new-window }
    bind-key    -T root         MouseDrag1Pane       if-shell -F "#{||:#{pane_in_mode},#{mouse_any_flag}}" { send-keys -M } { copy-mode -M }
    bind-key    -T root         MouseDrag1Border     resize-pane -M
    bind-key    -T root         WheelUpPane          if-shell -F "#{||:#{pane_in_mode},#{mouse_any_flag}}" { send-keys -M } { copy-mode -e }
    bind-key    -T root         WheelUpStatus        previous-window
    bind-key    -T root         WheelDownStatus      next-window
    bind-key    -T root         DoubleClick1Pane     select-pane -t = \; if-shell -F "#{||:#{pane_in_mode},#{mouse_any_flag}}" { send-keys -M } { copy-mode -H ; send-keys -X select-word ; run-shell -d 0.3 ; send-keys -X copy-pipe-and-cancel }
    bind-key    -T root         TripleClick1Pane     select-pane -t = \; if-shell -F "#{||:#{pane_in_mode},#{mouse_any_flag}}" { send-keys -M } { copy-mode -H ; send-keys -X select-line ; run-shell -d 0.3 ; send-keys -X copy-pipe-and-cancel }
    bind-key    -T root         M-MouseDown3Pane     display-menu -T "#[align=centre]#{pane_index} (#{pane_id})" -t = -x M -y M "#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Top,}" < { send-keys -X history-top } "#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Bottom,}" > { send-keys -X history-bottom } '' "#{?mouse_word,Search For #[underscore]#{=/9/...:mouse_word},}" C-r { if-shell -F "#{?#{m/r:(copy|view)-mode,#{pane_mode}},0,1}" "copy-mode -t=" ; send-keys -X -t = search-backward "#{q:mouse_word}" } "#{?mouse_word,Type #[underscore]#{=/9/...:mouse_word},}" C-y { copy-mode -q ; send-keys -l "#{q:mouse_word}" } "#{?mouse_word,Copy #[underscore]#{=/9/...:mouse_word},}" c { copy-mode -q ; set-buffer "#{q:mouse_word}" } "#{?mouse_line,Copy Line,}" l { copy-mode -q ; set-buffer "#{q:mouse_line}" } '' "Horizontal Split" h { split-window -h } "Vertical Split" v { split-window -v } '' "#{?#{>:#{window_panes},1},,-}Swap Up" u { swap-pane -U } "#{?#{>:#{window_panes},1},,-}Swap Down" d { swap-pane -D } "#{?pane_marked_set,,-}Swap Marked" s { swap-pane } '' Kill X { kill-pane } Respawn R { respawn-pane -k } "#{?pane_marked,Unmark,Mark}" m { select-pane -m } "#{?#{>:#{window_panes},1},,-}#{?window_zoomed_flag,Unzoom,Zoom}" z { resize-pane -Z }
    $ list-keys -T copy-mode-vi
    bind-key -T copy-mode-vi C-b               send-keys -X page-up
    bind-key -T copy-mode-vi C-c               send-keys -X cancel
    bind-key -T copy-mode-vi C-d               send-keys -X halfpage-down
    bind-key -T copy-mode-vi C-e               send-keys -X scroll-down
    bind-key -T copy-mode-vi C-f               send-keys -X page-down
    bind-key -T copy-mode-vi C-h               send-keys -X cursor-left
    bind-key -T copy-mode-vi C-j               send-keys -X copy-pipe-and-cancel
    bind-key -T copy-mode-vi Enter             send-keys -X copy-pipe-and-cancel
    bind-key -T copy-mode-vi C-u               send-keys -X halfpage-up
    bind-key -T copy-mode-vi C-v               send-keys -X rectangle-toggle
    bind-key -T copy-mode-vi C-y               send-keys -X scroll-up
    bind-key -T copy-mode-vi Escape            send-keys -X clear-selection
    bind-key -T copy-mode-vi Space             send-keys -X begin-selection
    bind-key -T copy-mode-vi \#                send-keys -FX search-backward "#{copy_cursor_word}"
    bind-key -T copy-mode-vi \$                send-keys -X end-of-line
    bind-key -T copy-mode-vi \%                send-keys -X next-matching-bracket
    bind-key -T copy-mode-vi *                 send-keys -FX search-forward "#{copy_cursor_word}"
    bind-key -T copy-mode-vi ,                 send-keys -X jump-reverse
    bind-key -T copy-mode-vi /                 command-prompt -T search -p "(search down)" { send-keys -X search-forward "%%" }
    bind-key -T copy-mode-vi 0                 send-keys -X start-of-line
    bind-key -T copy-mode-vi 1                 command-prompt -N -I 1 -p (repeat) { send-keys -N "%%" }
    bind-key -T copy-mode-vi 2                 command-prompt -N -I 2 -p (repeat) { send-keys -N "%%" }
    bind-key -T copy-mode-vi 3                 command-prompt -N -I 3 -p (repeat) { send-keys -N "%%" }
    bind-key -T copy-mode-vi 4                 command-prompt -N -I 4 -p (repeat) { send-keys -N "%%" }
    bind-key -T copy-mode-vi 5                 command-prompt -N -I 5 -p (repeat) { send-keys -N "%%" }
    bind-key -T copy-mode-vi 6                 command-prompt -N -I 6 -p (repeat) { send-keys -N "%%" }
    bind-key -T copy-mode-vi 7                 command-prompt -N -I 7 -p (repeat) { send-keys -N "%%" }
    bind-key -T copy-mode-vi 8                 command-prompt -N -I 8 -p (repeat) { send-keys -N "%%" }
    bind-key -T copy-mode-vi 9                 command-prompt -N -I 9 -p (repeat) { send-keys -N "%%" }
    bind-key -T copy-mode-vi :                 command-prompt -p "(goto line)" { send-keys -X goto-line "%%" }
    bind-key -T copy-mode-vi \;                send-keys -X jump-again
    bind-key -T copy-mode-vi ?                 command-prompt -T search -p "(search up)" { send-keys -X search-backward "%%" }
    bind-key -T copy-mode-vi A                 send-keys -X append-selection-and-cancel
    bind-key -T copy-mode-vi B                 send-keys -X previous-space
    bind-key -T copy-mode-vi D                 send-keys -X copy-pipe-end-of-line-and-cancel
    bind-key -T copy-mode-vi E                 send-keys -X next-space-end
    bind-key -T copy-mode-vi F                 command-prompt -1 -p "(jump backward)" { send-keys -X jump-backward "%%" }
    bind-key -T copy-mode-vi G                 send-keys -X history-bottom
    bind-key -T copy-mode-vi H                 send-keys -X top-line
    bind-key -T copy-mode-vi J                 send-keys -X scroll-down
    bind-key -T copy-mode-vi K                 send-keys -X scroll-up
    bind-key -T copy-mode-vi L                 send-keys -X bottom-line
    bind-key -T copy-mode-vi M                 send-keys -X middle-line
    bind-key -T copy-mode-vi N                 send-keys -X search-reverse
    bind-key -T copy-mode-vi P                 send-keys -X toggle-position
    bind-key -T copy-mode-vi T                 command-prompt -1 -p "(jump to backward)" { send-keys -X jump-to-backward "%%" }
    bind-key -T copy-mode-vi V                 send-keys -X select-line
    bind-key -T copy-mode-vi W                 send-keys -X next-space
    bind-key -T copy-mode-vi X                 send-keys -X set-mark
    bind-key -T copy-mode-vi ^                 send-keys -X back-to-indentation
    bind-key -T copy-mode-vi b                 send-keys -X previous-word
    bind-key -T copy-mode-vi e                 send-keys -X next-word-end
    bind-key -T copy-mode-vi f                 command-prompt -1 -p "(jump forward)" { send-keys -X jump-forward "%%" }
    bind-key -T copy-mode-vi g                 send-keys -X history-top
    bind-key -T copy-mode-vi h                 send-keys -X cursor-left
    bind-key -T copy-mode-vi j                 send-keys -X cursor-down
    bind-key -T copy-mode-vi k                 send-keys -X cursor-up
    bind-key -T copy-mode-vi l                 send-keys -X cursor-right
    bind-key -T copy-mode-vi n                 send-keys -X search-again
    bind-key -T copy-mode-vi o                 send-keys -X other-end
    bind-key -T copy-mode-vi q                 send-keys -X cancel
    bind-key -T copy-mode-vi r                 send-keys -X refresh-from-pane
    bind-key -T copy-mode-vi t                 command-prompt -1 -p "(jump to forward)" { send-keys -X jump-to-forward "%%" }
    bind-key -T copy-mode-vi v                 send-keys -X rectangle-toggle
    bind-key -T copy-mode-vi w                 send-keys -X next-word
    bind-key -T copy-mode-vi \{                send-keys -X previous-paragraph
    bind-key -T copy-mode-vi \}                send-keys -X next-paragraph
    bind-key -T copy-mode-vi MouseDown1Pane    select-pane
    bind-key -T copy-mode-vi MouseDrag1Pane    select-pane \; send-keys -X begin-selection
    bind-key -T copy-mode-vi MouseDragEnd1Pane send-keys -X copy-pipe-and-cancel
    bind-key -T copy-mode-vi WheelUpPane       select-pane \; send-keys -X -N 5 scroll-up
    bind-key -T copy-mode-vi WheelDownPane     select-pane \; send-keys -X -N 5 scroll-down
    bind-key -T copy-mode-vi DoubleClick1Pane  select-pane \; send-keys -X select-word \; run-shell -d 0.3 \; send-keys -X copy-pipe-and-cancel
    bind-key -T copy-mode-vi TripleClick1Pane  select-pane \; send-keys -X select-line \; run-shell -d 0.3 \; send-keys -X copy-pipe-and-cancel
    bind-key -T copy-mode-vi BSpace            send-keys -X cursor-left
    bind-key -T copy-mode-vi NPage             send-keys -X page-down
    bind-key -T copy-mode-vi PPage             send-keys -X page-up
    bind-key -T copy-mode-vi Up                send-keys -X cursor-up
    bind-key -T copy-mode-vi Down              send-keys -X cursor-down
    bind-key -T copy-mode-vi Left              send-keys -X cursor-left
    bind-key -T copy-mode-vi Right             send-keys -X cursor-right
    bind-key -T copy-mode-vi M-x               send-keys -X jump-to-mark
    bind-key -T copy-mode-vi C-Up              send-keys -X scroll-up
    bind-key -T copy-mode-vi C-Down            send-keys -X scroll-down
    $ list-keys -N
    C-b C-b     Send the prefix key
    C-b C-o     Rotate through the panes
    C-b C-z     Suspend the current client
    C-b Space   Select next layout
    C-b !       Break pane to a new window
    C-b "       Split window vertically
    C-b #       List all paste buffers
    C-b $       Rename current session
    C-b %       Split window horizontally
    C-b &       Kill current window
    C-b '       Prompt for window index to select
    C-b (       Switch to previous client
    C-b )       Switch to next client
    C-b ,       Rename current window
    C-b -       Delete the most recent paste buffer
    C-b .       Move the current window
    C-b /       Describe key binding
    C-b 0       Select window 0
    C-b 1       Select window 1
    C-b 2       Select window 2
    C-b 3       Select window 3
    C-b 4       Select window 4
    C-b 5       Select window 5
    C-b 6       Select window 6
    C-b 7       Select window 7
    C-b 8       Select window 8
    C-b 9       Select window 9
    C-b :       Prompt for a command
    C-b ;       Move to the previously active pane
    C-b =       Choose a paste buffer from a list
    C-b ?       List key bindings
    C-b C       Customize options
    C-b D       Choose a client from a list
    C-b E       Spread panes out evenly
    C-b L       Switch to the last client
    C-b M       Clear the marked pane
    C-b [       Enter copy mode
    C-b ]       Paste the most recent paste buffer
    C-b c       Create a new window
    C-b d       Detach the current client
    C-b f       Search for a pane
    C-b i       Display window information
    C-b l       Select the previously current window
    C-b m       Toggle the marked pane
    C-b n       Select the next window
    C-b o       Select the next pane
    C-b p       Select the previous window
    C-b q       Display pane numbers
    C-b r       Redraw the current client
    C-b s       Choose a session from a list
    C-b t       Show a clock
    C-b w       Choose a window from a list
    C-b x       Kill the active pane
    C-b z       Zoom the active pane
    C-b {       Swap the active pane with the pane above
    C-b }       Swap the active pane with the pane below
    C-b ~       Show messages
    C-b DC      Reset so the visible part of the window follows the cursor
    C-b PPage   Enter copy mode and scroll up
    C-b Up      Select the pane above the active pane
    C-b Down    Select the pane below the active pane
    C-b Left    Select the pane to the left of the active pane
    C-b Right   Select the pane to the right of the active pane
    C-b M-1     Set the even-horizontal layout
    C-b M-2     Set the even-vertical layout
    C-b M-3     Set the main-horizontal layout
    C-b M-4     Set the main-vertical layout
    C-b M-5     Select the tiled layout
    C-b M-n     Select the next window with an alert
    C-b M-o     Rotate through the panes in reverse
    C-b M-p     Select the previous window with an alert
    C-b M-Up    Resize the pane up by 5
    C-b M-Down  Resize the pane down by 5
    C-b M-Left  Resize the pane left by 5
    C-b M-Right Resize the pane right by 5
    C-b C-Up    Resize the pane up
    C-b C-Down  Resize the pane down
    C-b C-Left  Resize the pane left
    C-b C-Right Resize the pane right
    C-b S-Up    Move the visible part of the window up
    C-b S-Down  Move the visible part of the window down
    C-b S-Left  Move the visible part of the window left
    C-b S-Right Move the visible part of the window right
    "##,
    );
}

#[test]
fn list_keys_prints_bindings_made_at_run_time_as_tmux() {
    check(
        r##"
    $ new-session -d -s s
    $ bind -N 'my note' -r x display-message hi
    $ bind -T mytable C-M-q 'if -F 1 { display a } { display -p "b c" }; selectp -t :.+'
    $ list-keys -T mytable
    bind-key -T mytable M-C-q if-shell -F 1 { display-message a } { display-message -p "b c" } \; select-pane -t :.+
    $ list-keys -N x
    C-b x my note
    $ list-keys -T prefix x
    bind-key -r -T prefix x display-message hi
    $ list-keys -1N
    C-b C-b     Send the prefix key
    $ list-keys -P PFX -N -T prefix x
    PFXx my note
    $ list-keys -T copy-mode-vi '$'
    bind-key -T copy-mode-vi \$ send-keys -X end-of-line
    $ list-keys nosuchkey
    ! invalid key: nosuchkey
    ? 1
    $ list-keys F12
    ! unknown key: F12
    ? 1
    $ list-keys -T nosuch
    ! table nosuch doesn't exist
    ? 1
    "##,
    );
}

#[test]
fn blocks_in_a_configuration_file_binding_stay_blocks() {
    // bind-key's command words in a file, some of them { ... } blocks:
    // tmux keeps them as command lists and lists them in braces.
    let conf =
        "bind x if -F 1 { display a } { display -p 'b c' }\nbind y { display a; display b }\n";
    let script = "
    $ new-session -d
    $ list-keys -T prefix x
    bind-key -T prefix x if-shell -F 1 { display-message a } { display-message -p \"b c\" }
    $ list-keys -T prefix y
    bind-key -T prefix y display-message a \\; display-message b
    ";
    let m = Mux::new();
    std::fs::write(m.home.join(".tmux.conf"), conf).unwrap();
    replay(&m.agmux_as_tmux(), &m, script, "agmux");
    if let Some(tmux) = real_tmux() {
        let m = Mux::new();
        std::fs::write(m.home.join(".tmux.conf"), conf).unwrap();
        replay(&tmux, &m, script, "tmux 3.3a");
    }
}

#[test]
fn history_all_bytes_counts_as_tmux_grid() {
    // Lines, cells (a quarter, half or whole width a line), and extended
    // cells (the RGB colour, the wide character and its padding), each
    // with its bytes; history_bytes is their sum.
    check(
        r#"
    $ new-session -d -s s -x 80 -y 24 "printf 'hello\n\033[38;2;1;2;3mrgb\033[0m\n'; printf '\344\270\255 wide\n'; seq 1 30; exec cat"
    $~ display -p '#{history_all_bytes} #{history_bytes}'
    34,1088,660,3300,5,95 4483
    $ list-panes
    0: [80x24] [history 10/2000, 4483 bytes] %0 (active)
    "#,
    );
}

#[test]
fn copy_mode_jumps_brackets_marks_and_paragraphs_as_tmux() {
    // The copy-mode commands tmux's default keys run (f, F, t, T, ;, ,,
    // %, X, M-x, {, }, :, D...).
    check(
        r#"
    $ new-session -d -s s -x 40 -y 10 "printf 'alpha (beta) gamma\n\nsecond para\nline two\n'; exec cat"
    $~ capture-pane -p -E 0
    alpha (beta) gamma
    $ copy-mode
    $ send -X history-top
    $ send -X jump-forward g
    $ display -p '#{copy_cursor_x},#{copy_cursor_y} #{copy_cursor_word}'
    13,0 gamma
    $ send -X jump-again
    $ send -X jump-backward a
    $ display -p '#{copy_cursor_x}'
    10
    $ send -X jump-to-forward m
    $ send -X jump-reverse
    $ display -p '#{copy_cursor_x}'
    14
    $ send -X start-of-line
    $ send -X jump-to-forward (
    $ display -p '#{copy_cursor_x}'
    5
    $ send -X next-matching-bracket
    $ display -p '#{copy_cursor_x}'
    11
    $ send -X previous-matching-bracket
    $ send -X set-mark
    $ send -X cursor-down
    $ send -X cursor-down
    $ send -X jump-to-mark
    $ display -p '#{copy_cursor_x},#{copy_cursor_y} #{copy_cursor_word}'
    6,0 beta
    $ send -X start-of-line
    $ send -X next-paragraph
    $ display -p '#{copy_cursor_x},#{copy_cursor_y}'
    0,1
    $ send -X next-paragraph
    $ send -X previous-paragraph
    $ display -p '#{copy_cursor_x},#{copy_cursor_y}'
    0,1
    $ send -X history-top
    $ send -X jump-forward (
    $ send -X copy-pipe-end-of-line-and-cancel
    $ list-buffers -F '#{buffer_sample}'
    (beta) gamma
    $ display -p '#{pane_in_mode}'
    0
    "#,
    );
}

#[test]
fn copy_mode_goto_line_scrolls_back_as_tmux() {
    check(
        "
    $ new-session -d -s s -x 40 -y 10 'seq 1 30; exec cat'
    $~ display -p '#{history_size}'
    21
    $ copy-mode
    $ send -X goto-line 5
    $ display -p '#{scroll_position} #{copy_cursor_x},#{copy_cursor_y}'
    5 0,9
    $ send -X goto-line 500
    $ display -p '#{scroll_position}'
    21
    ",
    );
}

/// Copy mode's one-key prompts typed at an attached client: f and a
/// character jumps to it (command-prompt -1), prefix / and a key shows
/// its note (command-prompt -k, list-keys -1N).
fn one_key_prompts_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| m.output_as(tmux, args);
    let program = "printf 'alpha beta gamma\\n'; exec cat";
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
        program,
    ]);
    t(&["set", "-g", "display-time", "60000"]);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 80, 24, &[]);
    tty.wait_text("alpha beta");
    let mut out = Vec::new();
    t(&["copy-mode", "-t", "s:"]);
    t(&["send", "-t", "s:", "-X", "history-top"]);
    tty.send(b"f");
    tty.wait_text("(jump forward)");
    tty.send(b"m");
    out.push(eventually(10, "the jump", || {
        Some(t(&["display", "-p", "-t", "s:", "#{copy_cursor_x}"])).filter(|x| x != "0\n")
    }));
    tty.send(b"q");
    // tmux takes keys that arrive with the one leaving copy mode in the
    // mode's state still: wait until it is left.
    eventually(10, "copy mode left", || {
        (t(&["display", "-p", "-t", "s:", "#{pane_in_mode}"]) == "0\n").then_some(())
    });
    tty.send(b"\x02/");
    tty.wait_text("key");
    tty.send(b"c");
    let screen = tty.wait_text("Create a new window");
    out.push(
        screen
            .lines()
            .last()
            .unwrap_or_default()
            .trim_end()
            .to_string(),
    );
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn one_key_prompts_as_in_tmux() {
    let m = Mux::new();
    let ours = one_key_prompts_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(ours, ["13\n", "C-b c Create a new window"]);
    if let Some(real) = real_tmux() {
        assert_eq!(ours, one_key_prompts_transcript(&real, &Mux::new()));
    }
}

/// vi copy mode's repeat counts typed at an attached client: 3j moves
/// three lines (command-prompt -N, send-keys -N with no keys), 12k twelve.
fn repeat_count_transcript(tmux: &Path, m: &Mux) -> Vec<String> {
    let t = |args: &[&str]| m.output_as(tmux, args);
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
        "seq 1 60; exec cat",
    ]);
    t(&["set", "-g", "mode-keys", "vi"]);
    let mut tty = Tty::spawn_program(m, tmux, &["attach", "-t", "s"], 80, 24, &[]);
    tty.wait_text("60");
    t(&["copy-mode", "-t", "s:"]);
    t(&["send", "-t", "s:", "-X", "history-top"]);
    let mut out = Vec::new();
    let at = || {
        t(&[
            "display",
            "-p",
            "-t",
            "s:",
            "#{copy_cursor_y} #{scroll_position}",
        ])
    };
    let before = at();
    tty.send(b"3");
    tty.wait_text("(repeat)");
    tty.send(b"j");
    out.push(eventually(10, "three down", || {
        Some(at()).filter(|a| *a != before)
    }));
    let before = at();
    tty.send(b"1");
    tty.wait_text("(repeat)");
    tty.send(b"2j");
    out.push(eventually(10, "twelve down", || {
        Some(at()).filter(|a| *a != before)
    }));
    let _ = t(&["kill-server"]);
    out
}

#[test]
fn vi_repeat_counts_as_in_tmux() {
    let m = Mux::new();
    let ours = repeat_count_transcript(&m.agmux_as_tmux(), &m);
    assert_eq!(ours, ["3 38\n", "15 38\n"]);
    if let Some(real) = real_tmux() {
        assert_eq!(ours, repeat_count_transcript(&real, &Mux::new()));
    }
}

#[test]
fn copy_mode_selections_end_as_in_tmux_for_emacs_and_vi_keys() {
    // emacs keys: the selection stops before the cursor and a line comes
    // without its newline; vi keys: the cursor's cell is in, and a whole
    // line ends with its newline.
    check(
        r#"
    $ new-session -d -s s -x 40 -y 10 "printf 'alpha beta gamma\n'; exec cat"
    $~ capture-pane -p -E 0
    alpha beta gamma
    $ set -g mode-keys emacs
    $ copy-mode
    $ send -X history-top
    $ send -X begin-selection
    $ send -X cursor-right
    $ send -X cursor-right
    $ send -X copy-selection
    $ list-buffers -F '#{buffer_sample}'
    al
    $ send -X select-line
    $ send -X copy-selection-and-cancel
    $ list-buffers -F '#{buffer_sample}'
    alpha beta gamma
    al
    $ set -g mode-keys vi
    $ copy-mode
    $ send -X history-top
    $ send -X begin-selection
    $ send -X cursor-right
    $ send -X cursor-right
    $ send -X copy-selection
    $ list-buffers -F '#{buffer_sample}'
    alp
    alpha beta gamma
    al
    $ send -X select-line
    $ send -X copy-selection-and-cancel
    $ list-buffers -F '#{buffer_sample}'
    alpha beta gamma\n
    alp
    alpha beta gamma
    al
    "#,
    );
}
