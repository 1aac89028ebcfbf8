//! Help that helps, without a server: `agmux help`, `COMMAND --help` (which
//! is never taken as an argument before `--`), and list-commands.

mod common;
use common::{Mux, SLEEP};

#[test]
fn help_and_list_commands_need_no_server() {
    let m = Mux::new();
    let all = m.ok(&["help"]);
    assert!(all.starts_with("usage: agmux "), "{all}");
    assert!(all.contains("\n  agent-send "), "{all}");
    let one = m.ok(&["help", "agent-send"]);
    assert!(one.starts_with("usage: agent-send "), "{one}");
    assert!(one.contains("\nSend a message to an agent"), "{one}");
    assert!(one.contains("\n  --wait "), "{one}");
    assert_eq!(m.fail(&["help", "no-such"]), "unknown command: no-such");
    // --help anywhere before -- is help, not a message or a flag error.
    let h = m.ok(&["agent-send", "-t", "x", "--help"]);
    assert!(h.starts_with("usage: agent-send "), "{h}");
    assert!(
        m.ok(&["split-window", "-h", "--help"])
            .starts_with("usage: split-window ")
    );
    assert!(m.ok(&["list-commands"]).contains("new-session (new) "));
    assert_eq!(
        m.ok(&[
            "lscm",
            "-F",
            "#{command_list_name}:#{command_list_alias}",
            "has-session"
        ]),
        "has-session:has\n"
    );
    // None of that started a server.
    assert!(!m.socket().exists(), "a server was started");
    // After --, --help is an argument like any other.
    m.ok(&["new-session", "-d", "-s", "x", "-G", "shell", SLEEP]);
    m.ok(&["agent-send", "-t", "x", "--no-inject", "--", "--help"]);
    assert!(m.ok(&["agent-inbox", "-t", "x"]).contains(": --help"));
}
