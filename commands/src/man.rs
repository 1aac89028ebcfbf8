//! `man/agmux.1`, generated from the command registry, the option table and
//! the list of format variables, so the manual cannot drift from the code.

use crate::{COMMANDS, format, options};

/// The authority model, as the manual states it.
const AUTHORITY: &[&str] = &[
    "The server tells who runs a command from the command's process tree, never from its environment: a process in an agent's session, or in a pane, session or run-shell job that the agent started, is that agent. \
The server is a child subreaper, so a process that leaves its pane (setsid -f, a double fork, nohup) stays apart from the operator's processes and may not act on agents at all. \
A caller outside every pane is the operator; a pane the operator started that is no agent's has the operator's authority and is recorded as %N. \
AGMUX_PANE only picks the operator's default target, as TMUX_PANE does.",
    "An agent acts as itself: a message's sender, a reply's author, a result's author and a shared value's writer are always the verified caller. Nobody, the operator included, replies for another agent. \
An agent writes and reads only its own group's shared context, sends to any agent, and reads its own inbox. \
A parent (or any ancestor) may change, stop, send to and read its descendants (set-agent, agent-leave-group, agent-forget, agent-inbox, agent-history, agent-wait). \
A group's coordinator may change its members' objective, role and status, take them out of the group, and hand the role on (agent-join-group -C -t member). \
Group peers may read each other's history. The operator may do anything, in its own name; only the operator starts top-level agents (new-session -G), deletes groups and defines agent types for everyone (an agent's agent-type is its own and its descendants').",
    "An act on another agent is recorded with who did it in both agents' histories (agent-history shows (by X) and (on Y)). A refusal names the caller, the act and the agent: agent:a may not reply for agent:b.",
    "With agent-isolation on (the default), an agent may change only its own panes (its session's, and those it started) and its descendants', read what its group peers' panes show (capture-pane), and may not change the server for everyone: kill-server, bind-key, unbind-key, set-hook, global options and the global environment. \
The operator and panes that are no agent's keep tmux's rules.",
];

/// The socket protocol and the event schema, as the manual states them.
const PROTOCOL: &[&str] = &[
    "Clients talk to the server over its socket in frames: a big-endian 32-bit length, then a JSON object with a type field. The first frame each way is {\"type\":\"hello\",\"version\":2}. A command is {\"type\":\"command\",\"argv\":[...],\"cwd\":\"...\",\"env\":[\"NAME=value\",...]}; the server answers with stdout and stderr frames ({\"data\":\"...\"}) and an exit frame ({\"code\":N}). A malformed frame gets an error frame ({\"message\":\"...\"}) and the connection stays usable; a frame over 16 MiB is refused unread.",
    "A subscription is {\"type\":\"subscribe\",\"since\":ID,\"agent\":\"...\",\"group\":\"...\",\"events\":[\"type\",...],\"pane_output\":\"%N\"}, every field optional: the stored events after since come first, then each new one as it is stored, as {\"type\":\"event\",\"event\":{...}} frames. A subscriber that lets its queue of 4096 unwritten events fill is sent {\"type\":\"error\",\"message\":\"subscriber too slow: cut off after event N; resume with --since N\"} and hung up on. An agent hears of itself, its sub-agents and its group.",
    "An event is {\"id\":N,\"time\":\"2026-12-02T05:12:33.123456Z\",\"type\":\"...\",\"agent\":\"agent:x\",\"actor\":\"...\",\"detail\":\"...\"} and its own fields. Ids only grow, across restarts. agent is who it happened to (empty for the multiplexer's events of sessions that are no agents'), actor who did it when that was someone else. The types: registered (type, objective, session), unregistered, status (status), changed (objective, role), sent and reply (id, thread, from, to), read (id, thread, from), delivered (id), unconfirmed (id, why), result (id, child, status, result: to the parent), share (group, key, version, writer, deleted), read-context (group, key, version: an agent's first read of that version), joined, left (group), coordinator (group, from), spawned (parent, type, mode, task, session), done (status, result, reason), refused (what, limit, value); session-created, session-closed, session-renamed (session, name), window-created, window-closed, window-renamed (window, session, name), pane-created, pane-closed (pane, window), pane-exited (pane, status), client-attached, client-detached (client, session). With pane_output, output events (pane, data) carry what the pane printed; they are not stored.",
    "With \"screen\":\"%N\" a subscriber also gets the pane's screen as screen events (not stored): {\"type\":\"screen\",\"pane\":\"%N\",\"full\":true,\"cols\":C,\"rows\":R,\"cursor\":[x,y],\"cursor_visible\":B,\"app_cursor\":B,\"app_keypad\":B,\"bracketed_paste\":B,\"lines\":[{\"y\":N,\"runs\":[{\"t\":\"text\",\"s\":[fg,bg,attrs]}]}]}, every row first (full), then only the rows that changed, one update each time the subscriber sends back {\"type\":\"drawn\"}; colours are -1 (default), 0-255, or 16777216 + RGB, attrs the bits bold 1, dim 2, italic 4, underline 8, inverse 16, blink 32, hidden 64, strikethrough 128. {\"closed\":true} says the pane is gone. With \"announce\":true the first event is {\"type\":\"subscribed\",\"head\":N}, N being the last event stored: what a snapshot taken then reflects.",
];

/// `agmux web`, as the manual states it.
const DASHBOARD: &[&str] = &[
    "agmux web [--listen ADDRESS:PORT] (default 127.0.0.1:7681; port 0 picks a free one) serves the dashboard: every agent as a tab and a card (status, type, objective, parent, group and coordinator, messages, tokens, cost, last activity, result), the lineage, the groups with their shared context and who wrote it, one activity stream of every event with filters by agent and kind, and the focused agent's terminal, drawn live, where typing goes to its pane and a field sends it a message. Alt+1 to Alt+9 focus the agents in order. It is a client of the server like any command, and acts as whoever started it (the operator, from outside every pane).",
    "It prints the URL to open, http://HOST:PORT/?token=SECRET, with a new secret each run. Every request must carry the token, in the query or in the cookie the page sets; without it the answer is 401. A request whose Origin is not the dashboard's own, or whose Host is not the address listened on (DNS rebinding), gets 403. Listening on anything but loopback prints a warning.",
    "The page speaks JSON over one WebSocket at /ws (?since=ID resumes after event ID). Every message is an envelope {\"protocol\":\"agmux-dashboard\",\"version\":2,\"type\":T,\"agent_id\":KEY,\"payload\":{...}}. From the dashboard: AGENT_LIST first ({agents, groups with their context, last_event_id}, again after the server restarts), AGENT_REGISTERED and AGENT_STATUS (the agent's record), AGENT_UNREGISTERED, ACTIVITY (one event, as subscribe --json prints it), CONTEXT ({group, key, version, writer, deleted, entry}), SCREEN (every row of the focused pane, as the screen events above) and ROWS (the rows that changed), INBOX ({messages} of the focused agent), TRANSCRIPT (agent-history -p --json of an agent: its record, messages, events and the last lines its pane printed; sent when the focused agent has no live pane, a past run), DONE ({what, ...}: a save or restore finished) and ERROR ({message}, naming the request that failed). From the browser: SUBSCRIBE {agents:[KEY...], global:B} (which agents' events to send; all until the first), FOCUS_AGENT {agent_id}, REQUEST_AGENT_LIST, REQUEST_TRANSCRIPT {agent_id}, INPUT {agent_id, keys} (bytes as a terminal sends them, written to the agent's pane), USER_MESSAGE {agent_id, content, inject} (agent-send), GROUP_SAVE {group, file} (agent-group-save; file defaults to GROUP.json where agmux web runs), GROUP_RESTORE {file} (agent-group-restore). Each browser has its own focus and gets only its focused pane's rows.",
];

/// What the environment changes, and what agmux sets.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "AGMUX_TMPDIR",
        "Where the socket directory agmux-UID is made (TMUX_TMPDIR when run as tmux); else TMPDIR, else /tmp.",
    ),
    (
        "AGMUX, AGMUX_PANE",
        "Set in every pane: the socket, server pid and session, and the pane's id (%N). A client inside a pane talks to that server and acts on that pane's session without -t (TMUX and TMUX_PANE when run as tmux).",
    ),
    (
        "SHELL",
        "The shell new panes run when default-shell is not set, and that runs pane commands given as one string.",
    ),
    (
        "VISUAL, EDITOR",
        "When the server starts, an editor whose name contains vi selects vi keys for mode-keys and status-keys; any other selects emacs keys.",
    ),
    (
        "HOME, XDG_CONFIG_HOME",
        "Where the configuration file is looked for.",
    ),
    (
        "TERM",
        "The outer terminal's type, which an attached client draws for.",
    ),
    (
        "AGMUX_TASK, AGMUX_AGENT, AGMUX_PARENT, AGMUX_FILES",
        "Set for the programs of spawned agents: the task, the agent's key, its parent's key, and the directory holding the files given with agent-spawn -a.",
    ),
];

/// Where agmux keeps things.
const FILES: &[(&str, &str)] = &[
    (
        "~/.agmux.conf, $XDG_CONFIG_HOME/agmux/agmux.conf",
        "The configuration file, in tmux's syntax, read when the server starts (the first that exists; -f names another). As tmux, ~/.tmux.conf and tmux/tmux.conf.",
    ),
    (
        "$AGMUX_TMPDIR/agmux-UID/NAME",
        "The server's socket; NAME is default or -L's.",
    ),
    (
        "$AGMUX_TMPDIR/agmux-UID/NAME.db",
        "The agent store (SQLite): agents, types, groups, shared context, messages, history and events. It outlives the server.",
    ),
    (
        "$AGMUX_TMPDIR/agmux-UID/NAME.db.d/",
        "Beside the store: agents' attached files (one directory per agent) and worktrees/, the git worktrees of agents spawned with --worktree.",
    ),
];

/// Copy mode, as the manual states it.
const COPY_MODE: &str = "Copy mode shows a pane's history and lets you move about it, search and copy text into a paste buffer. \
prefix [ (or prefix PPage, or the mouse wheel with the mouse option on) enters it; q or Escape leaves it. \
The mode-keys option chooses the vi or the emacs table (copy-mode-vi or copy-mode); bind-key -T changes either, and send-keys -X runs a copy-mode command by name. \
A copied selection becomes the newest paste buffer, which prefix ] pastes. The default keys:";

/// Escapes text for roff: backslashes, and leading dots and quotes.
fn roff(s: &str) -> String {
    let s = s.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with('.') || s.starts_with('\'') {
        format!("\\&{s}")
    } else {
        s
    }
}

/// roff for a macro's argument, where a double quote would start a quoted
/// argument.
fn arg(s: &str) -> String {
    roff(s).replace('"', "\\(dq")
}

fn section(out: &mut String, title: &str) {
    out.push_str(&format!(".SH {title}\n"));
}

/// The whole manual page, in roff.
pub fn render() -> String {
    let mut out = String::new();
    out.push_str(".\\\" Generated from the command registry: edit commands/src, not this file.\n");
    out.push_str(".TH AGMUX 1 \"\" \"agmux\" \"User Commands\"\n");
    section(&mut out, "NAME");
    out.push_str("agmux \\- terminal multiplexer whose sessions can be coordinating agents\n");
    section(&mut out, "SYNOPSIS");
    out.push_str(".B agmux\n[\\fB\\-V\\fR] [\\fB\\-f\\fR \\fIfile\\fR] [\\fB\\-L\\fR \\fIsocket-name\\fR] [\\fB\\-S\\fR \\fIsocket-path\\fR] [\\fIcommand\\fR [\\fIflags\\fR]]\n");
    section(&mut out, "DESCRIPTION");
    out.push_str(&roff(
        "agmux runs a server that owns sessions, windows and panes, each pane a program on its own pseudo terminal. \
Commands are given on the command line, separated by a ; argument, and use tmux's names, flags, targets and formats. \
The first command that needs a server starts one; it exits when its last session ends.",
    ));
    out.push_str("\n.PP\n");
    out.push_str(&roff(
        "The server listens on $AGMUX_TMPDIR (else $TMPDIR, else /tmp) /agmux-UID/NAME, NAME being default or given by -L; -S gives a full path. \
Inside a pane, AGMUX and AGMUX_PANE name the server and the pane, and commands without -t act on that pane's session. \
Invoked through a link named tmux, agmux presents itself as tmux 3.3a: it uses TMUX_TMPDIR and tmux-UID, and sets TMUX and TMUX_PANE in panes.",
    ));
    out.push('\n');
    section(&mut out, "TARGETS");
    out.push_str(&roff(
        "A target is $N (session id), @N (window id), %N (pane id), a session name (exact, then prefix, then pattern), \
session:window, session:window.pane or window.pane. A window is an index, a name, or one of {start} {end} {last} {next} {previous}; \
a pane is an index or one of {last} {next} {previous} {top} {bottom} {left} {right} and the corners. A leading = asks for an exact name.",
    ));
    out.push('\n');
    section(&mut out, "COMMANDS");
    for e in COMMANDS {
        let cmd = e.clap();
        out.push_str(&format!(".TP\n.B {}\n", roff(&e.usage())));
        if let Some(about) = cmd.get_about() {
            out.push_str(&roff(&about.to_string()));
            out.push('\n');
        }
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            let Some(help) = arg.get_help() else { continue };
            let name = match (arg.get_short(), arg.get_long()) {
                (Some(c), _) => format!("-{c}"),
                (None, Some(l)) => format!("--{l}"),
                (None, None) => arg
                    .get_value_names()
                    .and_then(|v| v.first())
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            };
            out.push_str(&format!(
                ".RS\n.TP\n.B {}\n{}\n.RE\n",
                roff(&name),
                roff(&help.to_string())
            ));
        }
    }
    key_bindings(&mut out);
    copy_mode(&mut out);
    section(&mut out, "WHO MAY DO WHAT");
    for (i, para) in AUTHORITY.iter().enumerate() {
        if i > 0 {
            out.push_str(".PP\n");
        }
        out.push_str(&roff(para));
        out.push('\n');
    }
    section(&mut out, "EVENTS AND THE PROTOCOL");
    for (i, para) in PROTOCOL.iter().enumerate() {
        if i > 0 {
            out.push_str(".PP\n");
        }
        out.push_str(&roff(para));
        out.push('\n');
    }
    section(&mut out, "DASHBOARD");
    for (i, para) in DASHBOARD.iter().enumerate() {
        if i > 0 {
            out.push_str(".PP\n");
        }
        out.push_str(&roff(para));
        out.push('\n');
    }
    section(&mut out, "OPTIONS");
    out.push_str(&roff(
        "Set with set-option and shown with show-options. Names starting with @ are user options.",
    ));
    out.push('\n');
    for d in options::TABLE {
        let scope = match d.scope {
            options::Scope::Server => "server",
            options::Scope::Session => "session",
            options::Scope::Window => "window or pane",
        };
        let default = if d.default.is_empty() {
            "empty".to_string()
        } else {
            d.default.to_string()
        };
        out.push_str(&format!(
            ".TP\n.B {}\n{} ({} option, default {})\n",
            roff(d.name),
            roff(d.text),
            scope,
            roff(&default)
        ));
    }
    section(&mut out, "FORMATS");
    out.push_str(&roff(
        "-F and display-message take formats: #{name} is a variable or option, #{?cond,a,b} a condition, \
#{==:a,b} #{!=:a,b} #{||:a,b} #{&&:a,b} comparisons, #{m:pattern,s} a match, #{=N:name} and #{=-N:name} truncation, \
#{t:name} a time, #{b:name} and #{d:name} basename and dirname, #{l:text} literal text, #{e|+|:a,b} arithmetic, \
#{s/a/b/:name} substitution, #{n:name} length, #{pN:name} padding and #{E:name} expansion. ## is #.",
    ));
    out.push('\n');
    for (name, text) in format::VARIABLES {
        out.push_str(&format!(".TP\n.B {}\n{}\n", arg(name), roff(text)));
    }
    tagged(&mut out, "ENVIRONMENT", ENVIRONMENT);
    tagged(&mut out, "FILES", FILES);
    section(&mut out, "EXIT STATUS");
    out.push_str(&roff("0 on success, 1 when a command fails (with one line on stderr naming what was wrong); run-shell passes on its command's status."));
    out.push('\n');
    out
}

/// A section of tagged paragraphs.
fn tagged(out: &mut String, title: &str, items: &[(&str, &str)]) {
    section(out, title);
    for (tag, text) in items {
        out.push_str(&format!(".TP\n.B {}\n{}\n", arg(tag), roff(text)));
    }
}

/// The default prefix keys, from the same table the server starts with.
fn key_bindings(out: &mut String) {
    section(out, "KEY BINDINGS");
    out.push_str(&roff(
        "An attached client sends keys to the active pane, except after the prefix key, C-b by default (the prefix option). \
The key pressed after the prefix runs its binding in the prefix table; bindings in the root table need no prefix. \
bind-key and unbind-key change them, in the configuration file or at any time, and list-keys (prefix ?) shows them all. \
Keys marked repeat may be pressed again without the prefix within repeat-time. The default prefix keys:",
    ));
    out.push('\n');
    let tables = crate::bindings::KeyTables::defaults_for(true);
    for (table, key, b) in tables.iter() {
        if table != "prefix" {
            continue;
        }
        let what = match &b.note {
            Some(note) => format!("{note} ({})", b.text()),
            // tmux's default menus (prefix < and >) are pages long as
            // commands; what they show says enough.
            None if b.commands.first().is_some_and(|c| c[0] == "display-menu") => {
                let of = if b.text().contains("#{window_index}") {
                    "window"
                } else {
                    "pane"
                };
                format!("Show the {of} menu (display-menu), as the right mouse button does")
            }
            None => b.text(),
        };
        let repeat = if b.repeat { ", repeat" } else { "" };
        out.push_str(&format!(
            ".TP\n.B {}\n{}{repeat}\n",
            arg(&key.to_string()),
            roff(&what)
        ));
    }
}

/// The default copy-mode keys, vi beside emacs, by command.
fn copy_mode(out: &mut String) {
    section(out, "COPY MODE");
    out.push_str(&roff(COPY_MODE));
    out.push('\n');
    let tables = crate::bindings::KeyTables::defaults_for(true);
    let mut by_command: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for (table, key, b) in tables.iter() {
        let vi = match table {
            "copy-mode-vi" => true,
            "copy-mode" => false,
            _ => continue,
        };
        let command = b.text();
        let command = command
            .strip_prefix("send-keys -X ")
            .unwrap_or(&command)
            .to_string();
        let i = match by_command.iter().position(|(c, _, _)| *c == command) {
            Some(i) => i,
            None => {
                by_command.push((command, Vec::new(), Vec::new()));
                by_command.len() - 1
            }
        };
        let keys = if vi {
            &mut by_command[i].1
        } else {
            &mut by_command[i].2
        };
        keys.push(key.to_string());
    }
    by_command.sort();
    for (command, vi, emacs) in by_command {
        let keys = |k: &[String]| {
            if k.is_empty() {
                "-".to_string()
            } else {
                k.join(" ")
            }
        };
        out.push_str(&format!(
            ".TP\n.B {}\nvi: {}; emacs: {}\n",
            arg(&command),
            roff(&keys(&vi)),
            roff(&keys(&emacs))
        ));
    }
}
