//! Real tmux clients nobody here wrote: libtmux's Server/Session/Window/
//! Pane API (tests/python/libtmux_drive.py) and tmuxp loading and freezing
//! a workspace, each run against agmux-as-tmux and against tmux 3.3a,
//! whose results must be the same. `.ci/run` installs libtmux, tmuxp and
//! tmux; without them these tests say so and pass.

mod common;
use common::*;

use std::path::Path;
use std::process::Command;

const DRIVER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/libtmux_drive.py");
const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tmuxp.yaml");

fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs a program with the test's environment, `bin` first on PATH.
fn run(m: &Mux, bin: &Path, program: &str, args: &[&str]) -> String {
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = m
        .command_as(program, args)
        .env("PATH", path)
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} with {}: {}\n{}",
        bin.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn libtmux_sees_agmux_as_it_sees_tmux() {
    if !python_has("libtmux") {
        eprintln!("libtmux is not installed: skipped (CI installs it)");
        return;
    }
    let m = Mux::new();
    let bin = m.tmux_dir(Path::new(BIN));
    let tmux = bin.join("tmux");
    let ours = run(&m, &bin, "python3", &[DRIVER, tmux.to_str().unwrap()]);
    let ours: serde_json::Value = serde_json::from_str(ours.trim()).expect("JSON from the driver");
    assert_eq!(ours["captured"], true, "{ours}");
    assert_eq!(ours["hook_ran"][0], "yes", "{ours}");
    if let Some(real) = real_tmux() {
        let r = Mux::new();
        let dir = r.tmux_dir(&real);
        let tmux = dir.join("tmux");
        let theirs = run(&r, &dir, "python3", &[DRIVER, tmux.to_str().unwrap()]);
        let theirs: serde_json::Value = serde_json::from_str(theirs.trim()).unwrap();
        assert_eq!(ours, theirs);
    }
}

/// tmuxp loads a workspace (windows, layouts, options, focus, commands)
/// and freezes it back; both come out as with tmux.
#[test]
fn tmuxp_loads_and_freezes_a_workspace_as_with_tmux() {
    if !python_has("tmuxp") {
        eprintln!("tmuxp is not installed: skipped (CI installs it)");
        return;
    }
    let load = |m: &Mux, bin: &Path| -> (String, String) {
        run(m, bin, "tmuxp", &["load", "-d", "-y", WORKSPACE]);
        let tmux = bin.join("tmux");
        let t = |args: &[&str]| run(m, bin, tmux.to_str().unwrap(), args);
        eventually(20, "the commands to have run", || {
            t(&["capture-pane", "-p", "-t", "proj:2.0"])
                .contains("four")
                .then_some(())
        });
        let shape = [
            t(&[
                "list-windows",
                "-t",
                "proj",
                "-F",
                "#{window_index} #{window_name} #{window_active} #{window_layout}",
            ]),
            t(&[
                "list-panes",
                "-s",
                "-t",
                "proj",
                "-F",
                "#{window_index}.#{pane_index} #{pane_active} #{pane_current_path}",
            ]),
            t(&["show", "-t", "proj", "base-index"]),
            t(&["show", "-g", "status-position"]),
        ]
        .join("");
        let frozen = m.dir.join("frozen.yaml");
        run(
            m,
            bin,
            "tmuxp",
            &["freeze", "-y", "-q", "-o", frozen.to_str().unwrap(), "proj"],
        );
        let frozen = std::fs::read_to_string(frozen).unwrap_or_default();
        let _ = m.command_as(&tmux, &["kill-server"]).output();
        (shape, frozen)
    };
    let m = Mux::new();
    let (shape, frozen) = load(&m, &m.tmux_dir(Path::new(BIN)));
    assert!(
        shape.contains("1 editor 0 ") && shape.contains("2 logs 1 "),
        "{shape}"
    );
    assert!(frozen.contains("window_name: editor"), "{frozen}");
    if let Some(real) = real_tmux() {
        let r = Mux::new();
        let (their_shape, their_frozen) = load(&r, &r.tmux_dir(&real));
        assert_eq!(shape, their_shape);
        assert_eq!(frozen, their_frozen);
    }
}
