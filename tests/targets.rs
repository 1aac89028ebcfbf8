//! Targets, formats, and commands run from inside a pane.

mod common;
use common::{BIN, Mux, SLEEP};

#[test]
fn target_forms() {
    let m = Mux::new();
    m.session("work", SLEEP);
    m.ok(&["split-window", "-t", "work", SLEEP]);
    m.ok(&["new-window", "-t", "work", "-n", "logs", SLEEP]);
    let d = |t: &str| {
        m.display(
            t,
            "#{session_name}:#{window_index}.#{pane_index}/#{pane_id}",
        )
    };
    assert_eq!(d("work"), "work:1.0/%2");
    assert_eq!(d("work:0"), "work:0.1/%1");
    assert_eq!(d("work:0.0"), "work:0.0/%0");
    assert_eq!(d("work:logs"), "work:1.0/%2");
    assert_eq!(d("%1"), "work:0.1/%1");
    assert_eq!(d("@0"), "work:0.1/%1");
    assert_eq!(d("$0"), "work:1.0/%2");
    assert_eq!(d("=work:0.{top}"), "work:0.0/%0");
    assert_eq!(d("work:0.{bottom}"), "work:0.1/%1");
    assert_eq!(d("work:0.{last}"), "work:0.0/%0");
    assert_eq!(d("work:{last}"), "work:0.1/%1");
    assert_eq!(d("work:0.+"), "work:0.0/%0");
    assert_eq!(d("work:{previous}"), "work:0.1/%1");
    assert_eq!(d("0.0"), "work:0.0/%0");
    assert_eq!(d("logs"), "work:1.0/%2");
    // display-message falls back to the current pane, as tmux's; other
    // commands say what they could not find.
    assert_eq!(
        m.fail(&["capture-pane", "-p", "-t", "work:5"]),
        "can't find window: 5"
    );
    assert_eq!(
        m.fail(&["capture-pane", "-p", "-t", "work:0.9"]),
        "can't find pane: 9"
    );
    assert_eq!(
        m.fail(&["capture-pane", "-p", "-t", "nope:0"]),
        "can't find session: nope"
    );
}

#[test]
fn no_target_means_the_most_recent_session() {
    let m = Mux::new();
    m.session("older", SLEEP);
    m.session("newer", SLEEP);
    assert_eq!(m.line(&["display", "-p", "#S"]), "newer");
    // As in tmux, selecting a window is no activity of its session.
    m.ok(&["select-window", "-t", "older:0"]);
    assert_eq!(m.line(&["display", "-p", "#S"]), "newer");
}

#[test]
fn commands_inside_a_pane_act_on_that_pane() {
    let m = Mux::new();
    let out = m.dir.join("inside");
    // The pane waits until a more recent session exists, so that acting on
    // "the most recent session" would be visibly wrong.
    let script = format!(
        "{BIN} wait-for go; {BIN} display -p '#S #D' > {o}.1; {BIN} split-window -d \"{BIN} display -p '#D' > {o}.2; exec sleep 1000\"; \
         {BIN} set-option @mine yes; exec sleep 1000",
        o = out.display()
    );
    m.ok(&["new-session", "-d", "-s", "home", &script]);
    m.session("decoy", SLEEP);
    m.ok(&["wait-for", "-S", "go"]);
    common::eventually(10, "commands in the pane to run", || {
        let a = std::fs::read_to_string(format!("{}.1", out.display())).ok()?;
        let b = std::fs::read_to_string(format!("{}.2", out.display())).ok()?;
        (a.ends_with('\n') && b.ends_with('\n')).then_some(())
    });
    assert_eq!(
        std::fs::read_to_string(format!("{}.1", out.display())).unwrap(),
        "home %0\n"
    );
    assert_eq!(
        std::fs::read_to_string(format!("{}.2", out.display())).unwrap(),
        "%2\n"
    );
    assert_eq!(m.ok(&["lsp", "-t", "home", "-F", "#D"]), "%0\n%2\n");
    common::eventually(5, "option set from the pane", || {
        (m.run(&["show", "-v", "-t", "home", "@mine"]).stdout == "yes\n").then_some(())
    });
}

#[test]
fn pane_environment() {
    let m = Mux::new();
    m.session(
        "e",
        "echo \"[$AGMUX][$AGMUX_PANE][$TERM][${TMUX-none}]\"; exec sleep 1000",
    );
    let screen = m.wait_text("e", "][%0][");
    let line = screen
        .lines()
        .find(|l| l.contains("][%0]["))
        .unwrap()
        .to_string();
    let sock = m.socket().display().to_string();
    let pid = m.server_pid().unwrap();
    assert!(
        line.starts_with(&format!("[{sock},{pid},0][%0][")),
        "{line}"
    );
    assert!(line.ends_with("-256color][none]"), "{line}");
}

#[test]
fn format_language() {
    let m = Mux::new();
    m.session("fmt", SLEEP);
    let f = |s: &str| m.display("fmt", s);
    // The shell execs sleep a moment after the pane starts.
    common::eventually(10, "sleep to run", || {
        (f("#{window_name}") == "sleep").then_some(())
    });
    assert_eq!(f("#{?pane_active,on,off}"), "on");
    assert_eq!(f("#{==:#{session_name},fmt}#{!=:a,b}"), "11");
    assert_eq!(f("#{=2:session_name}|#{=-2:session_name}"), "fm|mt");
    assert_eq!(f("#{unknown_variable}|"), "|");
    assert_eq!(f("#{t:session_created}").len(), 24);
    assert_eq!(
        f("#{session_windows} #{window_panes} #{window_active} #{pane_dead}"),
        "1 1 1 0"
    );
    assert_eq!(
        f("#{pane_width}x#{pane_height} #{cursor_x},#{cursor_y}"),
        "80x24 0,0"
    );
    assert_eq!(f("#{history_size} #{history_limit}"), "0 2000");
    assert_eq!(f("#{version}"), env!("CARGO_PKG_VERSION"));
    assert_eq!(f("#{socket_path}"), m.socket().display().to_string());
    assert!(f("#{pane_pid}").parse::<u32>().is_ok());
    assert!(f("#{session_created}").parse::<u64>().unwrap() > 1_700_000_000);
    assert!(f("#{session_activity}").parse::<u64>().unwrap() > 1_700_000_000);
    assert_eq!(f("#{session_attached}"), "0");
    assert_eq!(f("#{window_name}"), "sleep");
    assert_eq!(f("#{pane_current_command}"), "sleep");
    assert_eq!(f("#{pane_current_path}"), m.dir.display().to_string());
    assert_eq!(f("#{pane_title}"), f("#{host}"));
    assert_eq!(f("#{e|+|:2,3} #{l:#{x}} #{n:session_name}"), "5 #{x} 3");
}
