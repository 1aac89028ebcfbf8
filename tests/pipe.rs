//! pipe-pane against the real binary: output reaches the command, -I
//! types into the pane, the command line is a format, dead panes refuse.

mod common;
use common::*;

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn output_goes_to_the_command_until_the_pipe_closes() {
    let m = Mux::new();
    m.shell("s");
    let log = m.dir.join("out.log");
    let cmd = format!("cat >> {}", sh_quote(&log.display().to_string()));
    m.ok(&["pipe-pane", "-t", "s", &cmd]);
    assert_eq!(m.display("s", "#{pane_pipe}"), "1");
    m.ok(&["send-keys", "-t", "s", "echo piped-$((6*7))", "Enter"]);
    eventually(10, "the output in the log", || {
        read(&log).contains("piped-42").then_some(())
    });
    m.ok(&["pipe-pane", "-t", "s"]);
    assert_eq!(m.display("s", "#{pane_pipe}"), "0");
    m.ok(&["send-keys", "-t", "s", "echo after-$((6*7))", "Enter"]);
    m.wait_text("s", "after-42");
    assert!(!read(&log).contains("after-42"), "{}", read(&log));
}

#[test]
fn the_command_is_a_format_with_time_escapes() {
    let m = Mux::new();
    m.shell("s");
    let dir = sh_quote(&m.dir.display().to_string());
    m.ok(&[
        "pipe-pane",
        "-t",
        "s",
        &format!("cat > {dir}/#{{session_name}}-%Y.log"),
    ]);
    m.ok(&["send-keys", "-t", "s", "echo formatted", "Enter"]);
    let year = m.line(&["display", "-p", "%Y"]);
    let log = m.dir.join(format!("s-{year}.log"));
    eventually(10, "the output in the formatted log", || {
        read(&log).contains("formatted").then_some(())
    });
}

#[test]
fn input_pipes_type_into_the_pane_and_close_at_its_end() {
    let m = Mux::new();
    m.shell("s");
    m.ok(&["pipe-pane", "-I", "-t", "s", "echo 'echo typed-$((6*7))'"]);
    m.wait_text("s", "typed-42");
    eventually(10, "the pipe to close", || {
        (m.display("s", "#{pane_pipe}") == "0").then_some(())
    });
}

#[test]
fn a_dead_pane_has_no_pipe() {
    let m = Mux::new();
    m.session("keep", SLEEP);
    m.ok(&["set", "-g", "remain-on-exit", "on"]);
    m.session("s", "exit 0");
    eventually(10, "the pane to die", || {
        (m.display("s", "#{pane_dead}") == "1").then_some(())
    });
    assert_eq!(
        m.fail(&["pipe-pane", "-t", "s", "cat"]),
        "target pane has exited"
    );
}

#[test]
fn a_respawned_pane_keeps_its_pipe() {
    let m = Mux::new();
    m.shell("s");
    let log = m.dir.join("respawn.log");
    let cmd = format!("cat >> {}", sh_quote(&log.display().to_string()));
    m.ok(&["pipe-pane", "-t", "s", &cmd]);
    m.ok(&[
        "respawn-pane",
        "-k",
        "-t",
        "s",
        "echo second-$((6*7)); exec sleep 1000",
    ]);
    eventually(10, "the new program's output in the log", || {
        read(&log).contains("second-42").then_some(())
    });
    assert_eq!(m.display("s", "#{pane_pipe}"), "1");
}
