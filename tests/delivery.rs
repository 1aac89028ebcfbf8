//! Messages typed into agents' panes arrive exactly as sent, once, and only
//! when the program can take them: never merged with a draft a person (or
//! the program) left in the input line, multi-line messages as the same
//! lines, back-to-back messages as separate submissions, nothing typed into
//! a program that says or shows it is busy, and a wait that says why.
//!
//! The programs are small Python REPLs: one on prompt_toolkit (bracketed
//! paste on, like the agent CLIs), one on plain input() (no bracketed
//! paste). tests/real_cli.rs does the same with Claude Code itself.

mod common;
use common::{Mux, eventually};
use serde_json::Value;
use std::path::PathBuf;

fn json(s: &str) -> Value {
    serde_json::from_str(s.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn script(m: &Mux, name: &str, body: &str) -> PathBuf {
    let path = m.dir.join(name);
    std::fs::write(&path, body).unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    path
}

/// A prompt_toolkit REPL that prints what it is given, as Python's repr so
/// newlines show. Esc puts the last submission back into the input line,
/// as Claude Code does when it is interrupted.
const REPL: &str = r#"#!/usr/bin/env python3
from prompt_toolkit import PromptSession
from prompt_toolkit.key_binding import KeyBindings
last = [""]
kb = KeyBindings()
@kb.add("escape", eager=True)
def _(event):
    event.current_buffer.text = last[0]
    event.current_buffer.cursor_position = len(last[0])
s = PromptSession(key_bindings=kb)
while True:
    text = s.prompt("> ")
    last[0] = text
    print("SUBMITTED" + repr(text), flush=True)
"#;

/// A line reader without bracketed paste (the terminal is cooked).
const READER: &str = r#"#!/usr/bin/env python3
import sys
while True:
    line = sys.stdin.readline()
    if not line:
        break
    print("GOT" + repr(line.rstrip("\n")), flush=True)
"#;

/// An agent `name` (a root agent's session-mode child) running `program`,
/// whose messages are typed into its pane.
fn typed_agent(m: &Mux, name: &str, program: &std::path::Path) {
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "root",
        "-G",
        "shell",
        "exec sleep 1000",
    ]);
    m.ok(&[
        "agent-type",
        "prog",
        "--inject",
        "--",
        program.to_str().unwrap(),
    ]);
    m.ok(&["set", "-s", "agent-deliver-quiet", "200"]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "root",
        "-T",
        "prog",
        "-m",
        "session",
        "-n",
        name,
        "x",
    ]);
}

fn repl(m: &Mux) {
    let p = script(m, "repl.py", REPL);
    typed_agent(m, "r", &p);
    eventually(10, "the prompt", || {
        m.capture("r")
            .lines()
            .any(|l| l.trim_end() == ">")
            .then_some(())
    });
}

/// What the program was given, in order.
fn submitted(m: &Mux, target: &str, prefix: &str) -> Vec<String> {
    m.ok(&["capture-pane", "-p", "-S", "-", "-t", target])
        .lines()
        .filter_map(|l| l.strip_prefix(prefix).map(str::to_string))
        .collect()
}

fn inbox(m: &Mux, key: &str) -> Value {
    json(&m.ok(&["agent-inbox", "-t", key, "--json"]))
}

#[test]
fn a_draft_in_the_input_line_is_never_merged() {
    let m = Mux::new();
    repl(&m);
    // A person has half-typed something.
    m.ok(&["send-keys", "-t", "r", "-l", "typed by hand"]);
    m.wait_text("r", "> typed by hand");
    m.ok(&["agent-send", "-t", "r", "INJECTED"]);
    let note = eventually(10, "the message to wait, saying why", || {
        let v = inbox(&m, "agent:root:sub:1");
        (v[0]["delivery"] == "queued" && v[0]["note"] != "").then(|| v[0]["note"].clone())
    });
    assert!(
        note == "someone has typed into its input line"
            || note == "someone is typing into its pane",
        "{note}"
    );
    assert!(
        m.ok(&["list-agents", "-F", "#{agent_delivery}"])
            .contains("queued: "),
        "list-agents says why"
    );
    assert!(!m.capture("r").contains("INJECTED"), "{}", m.capture("r"));
    // The person sends their own line; then the message goes, on its own.
    m.ok(&["send-keys", "-t", "r", "Enter"]);
    eventually(10, "both submissions", || {
        (submitted(&m, "r", "SUBMITTED").len() == 2).then_some(())
    });
    assert_eq!(
        submitted(&m, "r", "SUBMITTED"),
        ["'typed by hand'", "'INJECTED'"]
    );
    eventually(10, "delivered", || {
        (inbox(&m, "agent:root:sub:1")[0]["delivery"] == "delivered").then_some(())
    });
}

#[test]
fn multi_line_and_back_to_back_messages_arrive_as_sent() {
    let m = Mux::new();
    repl(&m);
    m.ok(&["agent-send", "-t", "r", "line one\nline two\nline three"]);
    m.ok(&["agent-send", "-t", "r", "second message"]);
    m.ok(&["agent-send", "-t", "r", "third"]);
    eventually(20, "three submissions", || {
        (submitted(&m, "r", "SUBMITTED").len() == 3).then_some(())
    });
    assert_eq!(
        submitted(&m, "r", "SUBMITTED"),
        [
            "'line one\\nline two\\nline three'",
            "'second message'",
            "'third'"
        ]
    );
    eventually(10, "all delivered", || {
        let v = inbox(&m, "agent:root:sub:1");
        v.as_array()
            .unwrap()
            .iter()
            .all(|x| x["delivery"] == "delivered" && x["delivered"] == true)
            .then_some(())
    });
}

#[test]
fn without_bracketed_paste_lines_are_typed_one_by_one() {
    let m = Mux::new();
    let p = script(&m, "reader.py", READER);
    typed_agent(&m, "r", &p);
    m.ok(&[
        "agent-send",
        "-t",
        "r",
        "alpha beta\n  indented gamma\ndelta",
    ]);
    eventually(20, "three lines", || {
        (submitted(&m, "r", "GOT").len() == 3).then_some(())
    });
    assert_eq!(
        submitted(&m, "r", "GOT"),
        ["'alpha beta'", "'  indented gamma'", "'delta'"]
    );
    // A message it would take as keys is kept in the inbox, saying so.
    m.ok(&["agent-send", "-t", "r", "tab\there"]);
    eventually(10, "the refusal to type it", || {
        let v = inbox(&m, "agent:root:sub:1");
        (v[1]["delivery"] == "inbox").then(|| v[1]["note"].clone())
    });
    assert_eq!(submitted(&m, "r", "GOT").len(), 3);
}

#[test]
fn a_program_that_puts_its_draft_back_does_not_get_a_message_glued_on() {
    let m = Mux::new();
    repl(&m);
    m.ok(&["agent-send", "-t", "r", "first"]);
    eventually(10, "the first", || {
        (submitted(&m, "r", "SUBMITTED") == ["'first'"]).then_some(())
    });
    // Esc: the program puts "first" back into its input line by itself.
    m.ok(&["send-keys", "-t", "r", "Escape"]);
    eventually(10, "the draft back", || {
        let screen = m.capture("r");
        let last = screen.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
        (last.trim_end() == "> first").then_some(())
    });
    m.ok(&["agent-send", "-t", "r", "second"]);
    eventually(10, "the wait", || {
        let v = inbox(&m, "agent:root:sub:1");
        (v[1]["note"] == "someone has typed into its input line"
            || v[1]["note"] == "its input line is not empty")
            .then_some(())
    });
    assert!(!m.capture("r").contains("firstsecond"));
    // The person clears the line; the message goes in alone.
    m.ok(&["send-keys", "-t", "r", "C-u"]);
    eventually(10, "the second", || {
        (submitted(&m, "r", "SUBMITTED") == ["'first'", "'second'"]).then_some(())
    });
}

#[test]
fn a_busy_program_is_not_typed_into_and_the_wait_says_why() {
    let m = Mux::new();
    // Says it is busy, works silently, says it waits, then reads.
    let p = script(
        &m,
        "busy.sh",
        &format!(
            "#!/bin/sh\n{bin} set-agent -s active\necho working\nsleep 2\n\
             {bin} set-agent -s waiting\nexec python3 {reader}\n",
            bin = common::BIN,
            reader = script(&m, "reader.py", READER).display()
        ),
    );
    typed_agent(&m, "r", &p);
    m.wait_text("r", "working");
    m.ok(&["agent-send", "-t", "r", "hello"]);
    let note = eventually(10, "the wait", || {
        let v = inbox(&m, "agent:root:sub:1");
        (v[0]["delivery"] == "queued" && v[0]["note"] != "").then(|| v[0]["note"].clone())
    });
    assert_eq!(note, "it said it is busy (set-agent -s active)");
    eventually(20, "the message once it waits", || {
        (submitted(&m, "r", "GOT") == ["'hello'"]).then_some(())
    });
    // A spinner that never stops: the message waits, and says so.
    let spin = script(
        &m,
        "spin.sh",
        "#!/bin/sh\nwhile :; do printf '\\r%s' '|/-\\\\' ; sleep 0.05; done\n",
    );
    m.ok(&[
        "agent-type",
        "spin",
        "--inject",
        "--",
        spin.to_str().unwrap(),
    ]);
    m.ok(&[
        "agent-spawn",
        "-t",
        "root",
        "-T",
        "spin",
        "-m",
        "session",
        "-n",
        "s",
        "x",
    ]);
    m.ok(&["agent-send", "-t", "s", "never typed"]);
    eventually(10, "the spinner's message to wait", || {
        let line = m.ok(&["list-agents", "-F", "#{agent_key} #{agent_delivery}"]);
        line.contains("agent:root:sub:2 queued: its pane is printing")
            .then_some(())
    });
}
