//! show-messages: the log of commands run and messages shown, as tmux
//! 3.3a keeps it, read from an attached client.

mod common;
use common::tty::Tty;
use common::{Mux, SLEEP, eventually};

/// Every line is `HH:MM: text`; the texts, newest first.
fn texts(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| {
            let (time, text) = l.split_at(5);
            let b = time.as_bytes();
            assert!(
                b[2] == b':' && time.chars().filter(char::is_ascii_digit).count() == 4,
                "{l:?}"
            );
            text.strip_prefix(": ").unwrap_or(text).to_string()
        })
        .collect()
}

/// The log's texts with `client-PID` made `client-N`.
fn plain(texts: &[String]) -> Vec<String> {
    texts
        .iter()
        .map(|t| match t.strip_prefix("client-") {
            Some(rest) => {
                let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
                format!("client-N{rest}")
            }
            None => t.clone(),
        })
        .collect()
}

#[test]
fn the_log_holds_commands_and_messages_newest_first() {
    let m = Mux::new();
    assert_eq!(
        m.fail(&["show-messages"]),
        "no server running on ".to_string() + &m.socket().display().to_string()
    );
    m.session("s", SLEEP);
    assert_eq!(m.fail(&["show-messages"]), "no current client");
    let t = Tty::spawn(&m, &["attach-session", "-t", "s"], 80, 24);
    t.wait_text("[s] 0:");
    let tty = eventually(10, "the client", || {
        let c = m.line(&["list-clients", "-F", "#{client_name}"]);
        (!c.is_empty()).then_some(c)
    });
    m.ok(&["display-message", "-c", &tty, "hello there"]);
    m.fail(&["bogus-cmd"]);
    let out = m.ok(&["show-messages", "-t", &tty]);
    let log = plain(&texts(&out));
    assert_eq!(
        log[..5],
        [
            format!("client-N command: show-messages -t {tty}"),
            "client-N message: unknown command: bogus-cmd".to_string(),
            format!("{tty} message: hello there"),
            format!("client-N command: display-message -c {tty} \"hello there\""),
            "client-N command: list-clients -F \"#{client_name}\"".to_string(),
        ],
        "{out}"
    );
    assert!(
        log.contains(&format!("{tty} command: attach-session -t s")),
        "{out}"
    );
    assert!(
        log.contains(&"client-N command: new-session -d -s s sleep 1000".to_string())
            || log
                .iter()
                .any(|l| l.starts_with("client-N command: new-session -d -s s")),
        "{out}"
    );

    // message-limit keeps the newest.
    m.ok(&["set", "-g", "message-limit", "2"]);
    m.ok(&["display-message", "-p", "hi"]);
    let out = m.ok(&["showmsgs", "-t", &tty]);
    assert_eq!(
        plain(&texts(&out)),
        [
            format!("client-N command: show-messages -t {tty}"),
            "client-N command: display-message -p hi".to_string(),
        ]
    );
    // -J and -T have nothing to list here.
    assert_eq!(m.ok(&["show-messages", "-J", "-T", "-t", &tty]), "");
}
