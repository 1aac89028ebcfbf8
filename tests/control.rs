//! Control mode (-C, -CC), the way iTerm2 and scripts drive tmux: a
//! client reading commands from a pipe (or, for -CC, a terminal) and
//! writing framed answers and notifications. The transcripts were recorded
//! from tmux 3.3a; agmux-as-tmux must give them, and so must tmux itself
//! where it is installed (as in CI), so a recording cannot drift.
//!
//! Times and command numbers in %begin/%end/%error are tmux's own
//! counters: they are replaced by T and N. Once a command's block ends the
//! script sends `display -p SYNC` and reads up to that block's end, so every
//! notification the command caused has been written by then.

mod common;
use common::*;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

struct Control {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

/// `%begin 1796193862 264 1` becomes `%begin T N 1`.
fn normal(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    match words.as_slice() {
        [tag @ ("%begin" | "%end" | "%error"), _, _, flags] => format!("{tag} T N {flags}"),
        _ => line.to_string(),
    }
}

impl Control {
    fn start(tmux: &Path, m: &Mux, args: &[&str]) -> Control {
        let mut child = m
            .command_as(tmux, args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start a control client");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Control {
            child,
            stdin,
            lines,
        }
    }

    fn next(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(20))
            .expect("a line from the control client")
    }

    /// Lines up to and including the first one `f` accepts.
    fn until(&self, f: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        loop {
            let line = self.next();
            let done = f(&line);
            out.push(normal(&line));
            if done {
                return out;
            }
        }
    }

    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// Runs a command; returns its block and the notifications it caused.
    fn run(&mut self, line: &str) -> Vec<String> {
        self.send(line);
        // tmux writes a command's notifications after it ends, behind any
        // command already read: send the next only once this one ended.
        let mut out = self.until(|l| l.starts_with("%end ") || l.starts_with("%error "));
        self.send("display -p SYNC");
        out.extend(self.until(|l| l == "SYNC"));
        // The SYNC block's %begin came just before it; its %end follows.
        out.truncate(out.len() - 2);
        let end = self.next();
        assert!(end.starts_with("%end "), "{end}");
        out
    }

    /// Ends the input: the client detaches and exits.
    fn finish(mut self) -> Vec<String> {
        self.stdin.take();
        let rest: Vec<String> = self.lines.iter().map(|l| normal(&l)).collect();
        let _ = self.child.wait();
        rest
    }
}

/// Replays `script` (a command per line) against a control client of
/// `tmux` attached to a fresh session, and returns the transcript: for
/// each command, `> command` then what came back.
fn transcript(tmux: &Path, script: &[&str]) -> Vec<String> {
    let m = Mux::new();
    let new = [
        "new",
        "-d",
        "-s",
        "s",
        "-x",
        "80",
        "-y",
        "24",
        ";",
        "set",
        "-g",
        "automatic-rename",
        "off",
    ];
    assert_eq!(m.command_as(tmux, &new).status().unwrap().code(), Some(0));
    let mut c = Control::start(tmux, &m, &["-C", "attach", "-t", "s"]);
    let mut out = c.until(|l| l.starts_with("%session-changed"));
    for line in script {
        out.push(format!("> {line}"));
        out.extend(c.run(line));
    }
    out.push("> (end of input)".to_string());
    out.extend(c.finish());
    let _ = m.command_as(tmux, &["kill-server"]).output();
    // The shells' prompts come when they come: output is tested apart.
    out.retain(|l| !l.starts_with("%output "));
    if std::env::var_os("AGMUX_RECORD").is_some() {
        eprintln!("{}:\n{}", tmux.display(), out.join("\n"));
    }
    out
}

fn check(script: &[&str], want: &str) {
    let want: Vec<String> = want
        .lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l).to_string())
        .filter(|l| !l.trim().is_empty())
        .collect();
    if let Some(tmux) = real_tmux() {
        assert_eq!(transcript(&tmux, script), want, "tmux 3.3a");
    }
    let m = Mux::new();
    assert_eq!(transcript(&m.agmux_as_tmux(), script), want, "agmux");
}

#[test]
fn commands_and_notifications_as_tmux_writes_them() {
    check(
        &[
            "list-sessions -F '#{session_name}'",
            "bogus",
            "new-window -n w2",
            "rename-window -t :1 w3",
            "split-window -t :0",
            "select-pane -t %0",
            "kill-window -t :1",
            "refresh-client -C 100x30",
            "rename-session t",
            "copy-mode -t %0",
            "new-session -d -s other",
            "kill-session -t other",
            "split-window -h",
            "resize-pane -t %4 -x 20",
            "kill-pane -t %4",
            "display-message hello",
            "new-window -d",
            "next-window",
            "new-session -d -s other2 -x 100 -y 30 -n o",
            "link-window -s :0 -t other2:5",
            "link-window -d -s other2:0 -t t:7",
            "unlink-window -t t:7",
            "unlink-window -t other2:5",
            "move-window -s other2:0 -t t:8",
        ],
        "
    %begin T N 0
    %end T N 0
    %session-changed $0 s
    > list-sessions -F '#{session_name}'
    %begin T N 1
    s
    %end T N 1
    > bogus
    %begin T N 1
    parse error: unknown command: bogus
    %error T N 1
    > new-window -n w2
    %begin T N 1
    %end T N 1
    %session-window-changed $0 @1
    %window-add @1
    > rename-window -t :1 w3
    %begin T N 1
    %end T N 1
    %window-renamed @1 w3
    > split-window -t :0
    %begin T N 1
    %end T N 1
    %window-pane-changed @0 %2
    %layout-change @0 4196,80x24,0,0[80x12,0,0,0,80x11,0,13,2] 4196,80x24,0,0[80x12,0,0,0,80x11,0,13,2] -
    > select-pane -t %0
    %begin T N 1
    %end T N 1
    %window-pane-changed @0 %0
    > kill-window -t :1
    %begin T N 1
    %end T N 1
    %session-window-changed $0 @0
    %unlinked-window-close @1
    > refresh-client -C 100x30
    %begin T N 1
    %end T N 1
    %layout-change @0 408b,100x30,0,0[100x15,0,0,0,100x14,0,16,2] 408b,100x30,0,0[100x15,0,0,0,100x14,0,16,2] *
    > rename-session t
    %begin T N 1
    %end T N 1
    %session-renamed $0 t
    > copy-mode -t %0
    %begin T N 1
    %end T N 1
    %pane-mode-changed %0
    > new-session -d -s other
    %begin T N 1
    %end T N 1
    %unlinked-window-add @2
    %sessions-changed
    > kill-session -t other
    %begin T N 1
    %end T N 1
    %sessions-changed
    %unlinked-window-close @2
    > split-window -h
    %begin T N 1
    %end T N 1
    %window-pane-changed @0 %4
    %layout-change @0 6799,100x30,0,0[100x15,0,0{50x15,0,0,0,49x15,51,0,4},100x14,0,16,2] 6799,100x30,0,0[100x15,0,0{50x15,0,0,0,49x15,51,0,4},100x14,0,16,2] *
    > resize-pane -t %4 -x 20
    %begin T N 1
    %end T N 1
    %layout-change @0 9519,100x30,0,0[100x15,0,0{79x15,0,0,0,20x15,80,0,4},100x14,0,16,2] 9519,100x30,0,0[100x15,0,0{79x15,0,0,0,20x15,80,0,4},100x14,0,16,2] *
    > kill-pane -t %4
    %begin T N 1
    %end T N 1
    %layout-change @0 408b,100x30,0,0[100x15,0,0,0,100x14,0,16,2] 408b,100x30,0,0[100x15,0,0,0,100x14,0,16,2] *
    %window-pane-changed @0 %0
    > display-message hello
    %begin T N 1
    %end T N 1
    > new-window -d
    %begin T N 1
    %end T N 1
    %window-add @3
    > next-window
    %begin T N 1
    %end T N 1
    %session-window-changed $0 @3
    > new-session -d -s other2 -x 100 -y 30 -n o
    %begin T N 1
    %end T N 1
    %unlinked-window-add @4
    %sessions-changed
    > link-window -s :0 -t other2:5
    %begin T N 1
    %end T N 1
    %window-add @0
    %session-window-changed $2 @0
    > link-window -d -s other2:0 -t t:7
    %begin T N 1
    %end T N 1
    %window-add @4
    > unlink-window -t t:7
    %begin T N 1
    %end T N 1
    %unlinked-window-close @4
    > unlink-window -t other2:5
    %begin T N 1
    %end T N 1
    %session-window-changed $2 @4
    %window-close @0
    > move-window -s other2:0 -t t:8
    %begin T N 1
    %end T N 1
    %window-add @4
    %session-window-changed $0 @4
    %window-close @4
    %sessions-changed
    > (end of input)
    %exit
    ",
    );
}

/// %output carries what a pane printed, bytes below space and backslash
/// in octal.
#[test]
fn pane_output_is_escaped_as_tmux_escapes_it() {
    for tmux in [Some(Mux::new().agmux_as_tmux()), real_tmux()]
        .into_iter()
        .flatten()
    {
        let m = Mux::new();
        let new = ["new", "-d", "-s", "s", "cat"];
        assert_eq!(m.command_as(&tmux, &new).status().unwrap().code(), Some(0));
        let mut c = Control::start(&tmux, &m, &["-C", "attach", "-t", "s"]);
        c.until(|l| l.starts_with("%session-changed"));
        c.send("send-keys -t %0 -l 'a\\b\tc é'");
        c.send("send-keys -t %0 Enter");
        let got = c.until(|l| l.starts_with("%output %0 ") && l.ends_with("\\015\\012"));
        let output: String = got
            .iter()
            .filter_map(|l| l.strip_prefix("%output %0 "))
            .collect();
        assert!(
            output.starts_with("a\\134b\\011c é"),
            "{}: {output:?}",
            tmux.display()
        );
        let _ = m.command_as(&tmux, &["kill-server"]).output();
    }
}

/// Without an attach, commands still come back framed; the first ones,
/// from the command line, with flags 0.
#[test]
fn a_control_client_that_never_attaches() {
    for tmux in [Some(Mux::new().agmux_as_tmux()), real_tmux()]
        .into_iter()
        .flatten()
    {
        let m = Mux::new();
        assert_eq!(
            m.command_as(&tmux, &["new", "-d", "-s", "s"])
                .status()
                .unwrap()
                .code(),
            Some(0)
        );
        let c = Control::start(&tmux, &m, &["-C", "ls", "-F", "#{session_name}"]);
        let mut out = c.until(|l| l.starts_with("%end "));
        out.extend(c.finish());
        assert_eq!(
            out,
            ["%begin T N 0", "s", "%end T N 0", "%exit"],
            "{}",
            tmux.display()
        );
        // stdin stays open: tmux races an early end of input with the
        // error.
        let mut child = m
            .command_as(&tmux, &["-C", "bogus"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let bad = child.wait_with_output().unwrap();
        drop(stdin);
        assert_eq!(bad.status.code(), Some(1), "{}: {bad:?}", tmux.display());
        assert_eq!(
            String::from_utf8_lossy(&bad.stdout),
            "unknown command: bogus\n%exit\n"
        );
        let _ = m.command_as(&tmux, &["kill-server"]).output();
    }
}

/// -CC (iTerm2's): on a terminal, the output in a DCS, lines ending in
/// CR LF from the terminal's own translation, and ST after %exit.
#[test]
fn dcs_wrapped_control_mode_on_a_terminal() {
    let want = "\x1bP1000p%begin T N 0\r\n%end T N 0\r\n%session-changed $0 s\r\n\
%begin T N 1\r\nhi\r\n%end T N 1\r\n%exit\r\n\x1b\\";
    for tmux in [Some(Mux::new().agmux_as_tmux()), real_tmux()]
        .into_iter()
        .flatten()
    {
        let m = Mux::new();
        // cat prints nothing of its own: no %output to race with.
        let new = ["new", "-d", "-s", "s", "cat"];
        assert_eq!(m.command_as(&tmux, &new).status().unwrap().code(), Some(0));
        let mut t =
            common::tty::Tty::spawn_program(&m, &tmux, &["-CC", "attach", "-t", "s"], 80, 24, &[]);
        eventually(10, "the session", || {
            t.output().contains("%session-changed").then_some(())
        });
        t.send(b"display -p hi\r");
        eventually(10, "the answer", || {
            t.output().contains("hi\r\n%end").then_some(())
        });
        t.send(b"\r");
        assert_eq!(t.wait_exit(), 0);
        let out = t.output();
        let body = out.strip_prefix("\x1bP1000p").unwrap_or(&out);
        let body: Vec<String> = body.split("\r\n").map(normal).collect();
        let got = format!("\x1bP1000p{}", body.join("\r\n"));
        assert_eq!(got, want, "{}", tmux.display());
        let _ = m.command_as(&tmux, &["kill-server"]).output();
    }
}

/// Windows made, renamed and killed in one session of a group show in
/// the others, and a control client of either hears of them.
#[test]
fn grouped_sessions_notify_as_tmux() {
    check(
        &[
            "new-session -d -t s -s g",
            "new-window -d -t g -n gw",
            "rename-window -t g:1 gw2",
            "kill-window -t g:1",
            "new-window -d -t s -n sw",
            "select-window -t g:1",
            "kill-session -t g",
            "list-windows -F '#{window_index} #{window_name}'",
        ],
        "
    %begin T N 0
    %end T N 0
    %session-changed $0 s
    > new-session -d -t s -s g
    %begin T N 1
    %end T N 1
    %unlinked-window-add @1
    %window-add @0
    %unlinked-window-close @1
    %sessions-changed
    > new-window -d -t g -n gw
    %begin T N 1
    %end T N 1
    %window-add @2
    %window-add @0
    %window-add @2
    > rename-window -t g:1 gw2
    %begin T N 1
    %end T N 1
    %window-renamed @2 gw2
    > kill-window -t g:1
    %begin T N 1
    %end T N 1
    %unlinked-window-close @2
    %window-add @0
    %unlinked-window-close @2
    > new-window -d -t s -n sw
    %begin T N 1
    create window failed: index 0 in use
    %error T N 1
    > select-window -t g:1
    %begin T N 1
    can't find window: 1
    %error T N 1
    > kill-session -t g
    %begin T N 1
    %end T N 1
    %sessions-changed
    %window-close @0
    > list-windows -F '#{window_index} #{window_name}'
    %begin T N 1
    0 sh
    %end T N 1
    > (end of input)
    %exit
    ",
    );
}
