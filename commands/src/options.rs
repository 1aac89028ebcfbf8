//! The option table (names, scopes, types, defaults) and a store of values.
//!
//! Every option tmux 3.3a has is here, so that configurations and scripts
//! written for tmux never fail on `set-option`; the few agmux does not act
//! on yet say so in their text (and so in the manual). Any other name fails
//! with tmux's `invalid option`. User options (`@name`) are free-form
//! strings at any scope.

use crate::error::{CmdError, CmdResult};
use crate::keys::Key;
use std::collections::BTreeMap;

/// The level an option belongs to. Window options may also be set on a
/// single pane (`-p`), which overrides the window's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Server,
    Session,
    Window,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Number { min: i64, max: i64 },
    Flag,
    Choice(&'static [&'static str]),
    Key,
    Array,
}

#[derive(Debug)]
pub struct OptionDef {
    pub name: &'static str,
    pub scope: Scope,
    pub kind: Kind,
    pub default: &'static str,
    pub text: &'static str,
}

const fn opt(
    name: &'static str,
    scope: Scope,
    kind: Kind,
    default: &'static str,
    text: &'static str,
) -> OptionDef {
    OptionDef {
        name,
        scope,
        kind,
        default,
        text,
    }
}

const NUM: Kind = Kind::Number {
    min: 0,
    max: i32::MAX as i64,
};

const POSITIVE: Kind = Kind::Number {
    min: 1,
    max: i32::MAX as i64,
};

/// Every option agmux implements, sorted by name within each scope.
pub static TABLE: &[OptionDef] = &[
    opt(
        "agent-attachment-max",
        Scope::Server,
        POSITIVE,
        "10485760",
        "Bytes the files given to one agent-spawn (-a) may hold together.",
    ),
    opt(
        "agent-context-max",
        Scope::Server,
        POSITIVE,
        "1048576",
        "Bytes a group's shared context may hold, keys and values together.",
    ),
    opt(
        "agent-deliver-quiet",
        Scope::Server,
        POSITIVE,
        "1000",
        "Milliseconds an agent's pane must be quiet before a message is typed into it.",
    ),
    opt(
        "agent-history-limit",
        Scope::Server,
        NUM,
        "3600",
        "Seconds a group with no members left keeps its shared context.",
    ),
    opt(
        "agent-history-time",
        Scope::Server,
        NUM,
        "3600",
        "Seconds completed and failed agents are kept; 0 keeps them.",
    ),
    opt(
        "agent-idle-time",
        Scope::Server,
        POSITIVE,
        "5",
        "Seconds of quiet in an agent's pane after which it is idle.",
    ),
    opt(
        "agent-isolation",
        Scope::Server,
        Kind::Flag,
        "on",
        "Agents may change only their own panes and their sub-agents' (send-keys, kill-pane, respawn-pane...), read only theirs and their group peers', and not change the server for everyone; the operator and panes that are no agent's keep tmux's rules.",
    ),
    opt(
        "agent-key-max",
        Scope::Server,
        POSITIVE,
        "256",
        "Bytes a shared context key may have.",
    ),
    opt(
        "agent-host-name",
        Scope::Server,
        Kind::Str,
        "",
        "This server's name in a store shared by several hosts (agent-store); empty for the host name. Read when the server starts, after its configuration file.",
    ),
    opt(
        "agent-host-lease",
        Scope::Server,
        POSITIVE,
        "30",
        "Seconds a host sharing the store (agent-store) is taken to be alive after its last heartbeat; then the other hosts mark its running agents lost. Read when the server starts.",
    ),
    opt(
        "agent-max-children",
        Scope::Server,
        NUM,
        "5",
        "Running sub-agents an agent may have.",
    ),
    opt(
        "agent-max-concurrent",
        Scope::Server,
        NUM,
        "8",
        "Agents that may run at once for agent-spawn to start another.",
    ),
    opt(
        "agent-max-depth",
        Scope::Server,
        NUM,
        "1",
        "How deep sub-agents may nest: 1 lets root agents spawn, not their children.",
    ),
    opt(
        "agent-max-rounds",
        Scope::Server,
        POSITIVE,
        "5",
        "Rounds a thread may have: messages from the agent that started it, each with its answer.",
    ),
    opt(
        "agent-max-cost",
        Scope::Server,
        Kind::Str,
        "",
        "Dollars a sub-agent may report spending (set-agent --cost) before messages to it are refused and it may not spawn; empty for no limit.",
    ),
    opt(
        "agent-max-tokens",
        Scope::Server,
        NUM,
        "50000",
        "Tokens a sub-agent may report using (set-agent --tokens) before messages to it are refused.",
    ),
    opt(
        "agent-max-turns",
        Scope::Server,
        NUM,
        "8",
        "Messages a sub-agent may be given, its task included.",
    ),
    opt(
        "agent-message-max",
        Scope::Server,
        POSITIVE,
        "262144",
        "Bytes a message, reply, task or result may have.",
    ),
    opt(
        "agent-spawn-allow",
        Scope::Server,
        Kind::Array,
        "",
        "Which types each type may spawn, as PARENT-TYPE=TYPE,TYPE (* for any); types not listed may spawn any.",
    ),
    opt(
        "agent-stop-grace",
        Scope::Server,
        NUM,
        "5",
        "Seconds agent-stop waits after SIGTERM before it kills an agent's program.",
    ),
    opt(
        "agent-store",
        Scope::Server,
        Kind::Str,
        "",
        "Where agents, groups, context, messages and events are kept: empty for an SQLite database beside the socket, or redis://[:PASSWORD@]HOST:PORT/DB (rediss:// for TLS; ?password-file=PATH reads the password from a file) for a store shared with the servers of other hosts. AGMUX_STORE in the server's environment takes its place. Read when the server starts, after its configuration file.",
    ),
    opt(
        "agent-transcript-max",
        Scope::Server,
        NUM,
        "1048576",
        "Bytes of an agent's pane output kept as its transcript, beside the store, after the agent and the server end (agent-history -p, the dashboard's past runs); 0 keeps none.",
    ),
    opt(
        "agent-value-max",
        Scope::Server,
        POSITIVE,
        "65536",
        "Bytes a shared context value may have.",
    ),
    opt(
        "buffer-limit",
        Scope::Server,
        Kind::Number {
            min: 1,
            max: i32::MAX as i64,
        },
        "50",
        "Number of automatically named paste buffers kept.",
    ),
    opt(
        "default-terminal",
        Scope::Server,
        Kind::Str,
        "",
        "TERM for new panes; empty means tmux-256color where that terminfo entry exists, else screen-256color.",
    ),
    opt(
        "exit-empty",
        Scope::Server,
        Kind::Flag,
        "on",
        "Exit the server when there are no sessions left.",
    ),
    opt(
        "escape-time",
        Scope::Server,
        NUM,
        "500",
        "Milliseconds to wait after an ESC for the rest of a key's sequence.",
    ),
    opt(
        "focus-events",
        Scope::Server,
        Kind::Flag,
        "off",
        "Pass focus in and out of attached terminals on to programs that ask for them.",
    ),
    opt(
        "message-limit",
        Scope::Server,
        NUM,
        "1000",
        "Messages and commands kept in the log show-messages prints.",
    ),
    opt(
        "max-peers",
        Scope::Server,
        POSITIVE,
        "32",
        "Members a coordination group may have.",
    ),
    opt(
        "base-index",
        Scope::Session,
        NUM,
        "0",
        "First index for new windows.",
    ),
    opt(
        "default-command",
        Scope::Session,
        Kind::Str,
        "",
        "Command run in new panes that are given none; empty means a login shell.",
    ),
    opt(
        "default-shell",
        Scope::Session,
        Kind::Str,
        "",
        "Shell that runs pane commands; empty means $SHELL, else /bin/sh.",
    ),
    opt(
        "default-size",
        Scope::Session,
        Kind::Str,
        "80x24",
        "Size of new windows when no client sets it, as WIDTHxHEIGHT.",
    ),
    opt(
        "detach-on-destroy",
        Scope::Session,
        Kind::Choice(&["off", "on", "no-detached"]),
        "on",
        "When the session ends, detach its clients (on) or switch them to another session (off).",
    ),
    opt(
        "display-panes-active-colour",
        Scope::Session,
        Kind::Str,
        "red",
        "Colour of the active pane's number in display-panes.",
    ),
    opt(
        "display-panes-colour",
        Scope::Session,
        Kind::Str,
        "blue",
        "Colour of the other panes' numbers in display-panes.",
    ),
    opt(
        "display-panes-time",
        Scope::Session,
        Kind::Number {
            min: 1,
            max: i32::MAX as i64,
        },
        "1000",
        "Milliseconds display-panes shows the pane numbers.",
    ),
    opt(
        "display-time",
        Scope::Session,
        NUM,
        "750",
        "Milliseconds a message stays on the status line (0: until a key).",
    ),
    opt(
        "history-limit",
        Scope::Session,
        NUM,
        "2000",
        "Lines of scrollback kept by new panes.",
    ),
    opt(
        "message-command-style",
        Scope::Session,
        Kind::Str,
        "bg=black,fg=yellow",
        "Style of the command prompt in vi command mode.",
    ),
    opt(
        "message-style",
        Scope::Session,
        Kind::Str,
        "bg=yellow,fg=black",
        "Style of messages and the command prompt.",
    ),
    opt(
        "mouse",
        Scope::Session,
        Kind::Flag,
        "off",
        "Mouse support: click selects a pane, drag resizes, wheel scrolls.",
    ),
    opt(
        "prefix",
        Scope::Session,
        Kind::Key,
        "C-b",
        "The prefix key.",
    ),
    opt(
        "prefix2",
        Scope::Session,
        Kind::Key,
        "None",
        "A second prefix key.",
    ),
    opt(
        "renumber-windows",
        Scope::Session,
        Kind::Flag,
        "off",
        "Renumber windows from base-index when one is closed.",
    ),
    opt(
        "repeat-time",
        Scope::Session,
        NUM,
        "500",
        "Milliseconds a repeatable key may be pressed again without the prefix.",
    ),
    opt(
        "status",
        Scope::Session,
        Kind::Choice(&["off", "on"]),
        "on",
        "Show the status line.",
    ),
    opt(
        "status-interval",
        Scope::Session,
        NUM,
        "15",
        "Seconds between redraws of the status line (0: never).",
    ),
    opt(
        "status-justify",
        Scope::Session,
        Kind::Choice(&["left", "centre", "right", "absolute-centre"]),
        "left",
        "Where the window list goes on the status line.",
    ),
    opt(
        "status-keys",
        Scope::Session,
        Kind::Choice(&["emacs", "vi"]),
        "emacs",
        "Keys of the command prompt.",
    ),
    opt(
        "status-left",
        Scope::Session,
        Kind::Str,
        "[#{session_name}]#{?agent_key, #{agent_status}#{?agent_group, @#{agent_group}#{?agent_coordinator,*,},},} ",
        "Left part of the status line, a format. Agent sessions show their status and group (* for the coordinator).",
    ),
    opt(
        "status-left-length",
        Scope::Session,
        NUM,
        "40",
        "Maximum width of status-left.",
    ),
    opt(
        "status-left-style",
        Scope::Session,
        Kind::Str,
        "default",
        "Style of status-left.",
    ),
    opt(
        "status-position",
        Scope::Session,
        Kind::Choice(&["top", "bottom"]),
        "bottom",
        "Where the status line is.",
    ),
    opt(
        "status-right",
        Scope::Session,
        Kind::Str,
        "\"#{=21:pane_title}\" %H:%M %d-%b-%y",
        "Right part of the status line, a format (strftime applies).",
    ),
    opt(
        "status-right-length",
        Scope::Session,
        NUM,
        "40",
        "Maximum width of status-right.",
    ),
    opt(
        "status-right-style",
        Scope::Session,
        Kind::Str,
        "default",
        "Style of status-right.",
    ),
    opt(
        "status-style",
        Scope::Session,
        Kind::Str,
        "bg=green,fg=black",
        "Style of the status line.",
    ),
    opt(
        "update-environment",
        Scope::Session,
        Kind::Array,
        "DISPLAY KRB5CCNAME SSH_ASKPASS SSH_AUTH_SOCK SSH_AGENT_PID SSH_CONNECTION WINDOWID XAUTHORITY",
        "Client environment variables copied into a new session's environment.",
    ),
    opt(
        "automatic-rename",
        Scope::Window,
        Kind::Flag,
        "on",
        "Name the window after the command running in its active pane.",
    ),
    opt(
        "main-pane-height",
        Scope::Window,
        Kind::Number {
            min: 1,
            max: i32::MAX as i64,
        },
        "24",
        "Height of the main pane in the main-horizontal layout.",
    ),
    opt(
        "main-pane-width",
        Scope::Window,
        Kind::Number {
            min: 1,
            max: i32::MAX as i64,
        },
        "80",
        "Width of the main pane in the main-vertical layout.",
    ),
    opt(
        "mode-style",
        Scope::Window,
        Kind::Str,
        "bg=yellow,fg=black",
        "Style of the selection and position indicator in copy mode.",
    ),
    opt(
        "mode-keys",
        Scope::Window,
        Kind::Choice(&["emacs", "vi"]),
        "emacs",
        "Keys of copy mode.",
    ),
    opt(
        "other-pane-height",
        Scope::Window,
        NUM,
        "0",
        "Height of the other panes in main-horizontal; 0 means what is left.",
    ),
    opt(
        "other-pane-width",
        Scope::Window,
        NUM,
        "0",
        "Width of the other panes in main-vertical; 0 means what is left.",
    ),
    opt(
        "pane-active-border-style",
        Scope::Window,
        Kind::Str,
        "#{?pane_in_mode,fg=yellow,#{?synchronize-panes,fg=red,fg=green}}",
        "Style of the active pane's border.",
    ),
    opt(
        "pane-base-index",
        Scope::Window,
        NUM,
        "0",
        "First index for panes.",
    ),
    opt(
        "pane-border-style",
        Scope::Window,
        Kind::Str,
        "default",
        "Style of pane borders.",
    ),
    opt(
        "remain-on-exit",
        Scope::Window,
        Kind::Choice(&["off", "on", "failed"]),
        "off",
        "Keep a pane whose program exited (failed: only when it exited non-zero).",
    ),
    opt(
        "window-size",
        Scope::Window,
        Kind::Choice(&["largest", "smallest", "manual", "latest"]),
        "latest",
        "Which attached client's size a window takes.",
    ),
    opt(
        "window-status-current-format",
        Scope::Window,
        Kind::Str,
        "#I:#W#{?window_flags,#{window_flags}, }",
        "Format of the current window in the status line's window list.",
    ),
    opt(
        "window-status-current-style",
        Scope::Window,
        Kind::Str,
        "default",
        "Style of the current window in the window list.",
    ),
    opt(
        "window-status-format",
        Scope::Window,
        Kind::Str,
        "#I:#W#{?window_flags,#{window_flags}, }",
        "Format of a window in the status line's window list.",
    ),
    opt(
        "window-status-last-style",
        Scope::Window,
        Kind::Str,
        "default",
        "Style of the last window in the window list.",
    ),
    opt(
        "window-status-separator",
        Scope::Window,
        Kind::Str,
        " ",
        "Text between windows in the window list.",
    ),
    opt(
        "window-status-style",
        Scope::Window,
        Kind::Str,
        "default",
        "Style of windows in the window list.",
    ),
    opt(
        "backspace",
        Scope::Server,
        Kind::Key,
        "C-?",
        "The key sent for backspace. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "command-alias",
        Scope::Server,
        Kind::Array,
        "split-pane=split-window\nsplitp=split-window\nserver-info=show-messages -JT\ninfo=show-messages -JT\nchoose-window=choose-tree -w\nchoose-session=choose-tree -s",
        "Command aliases, name=command: a command named name runs command, its arguments added at the end.",
    ),
    opt(
        "copy-command",
        Scope::Server,
        Kind::Str,
        "",
        "The command copy-pipe runs when given none. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "cursor-colour",
        Scope::Window,
        Kind::Str,
        "none",
        "The cursor's colour. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "cursor-style",
        Scope::Window,
        Kind::Choice(&[
            "default",
            "blinking-block",
            "block",
            "blinking-underline",
            "underline",
            "blinking-bar",
            "bar",
        ]),
        "default",
        "The cursor's style. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "editor",
        Scope::Server,
        Kind::Str,
        "/usr/bin/vi",
        "The editor that commands editing text run. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "exit-unattached",
        Scope::Server,
        Kind::Flag,
        "off",
        "Exit the server when no client is attached. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "extended-keys",
        Scope::Server,
        Kind::Choice(&["off", "on", "always"]),
        "off",
        "Whether applications may ask for extended keys. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "history-file",
        Scope::Server,
        Kind::Str,
        "",
        "A file the command prompt's history is kept in. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "message-limit",
        Scope::Server,
        Kind::Number {
            min: 0,
            max: i64::MAX,
        },
        "1000",
        "How many messages show-messages keeps.",
    ),
    opt(
        "prompt-history-limit",
        Scope::Server,
        Kind::Number {
            min: 0,
            max: i64::MAX,
        },
        "100",
        "How many entries the command prompt's history keeps. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "set-clipboard",
        Scope::Server,
        Kind::Choice(&["off", "external", "on"]),
        "external",
        "Whether copied text goes to the outer terminal's clipboard (OSC 52). Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "terminal-overrides",
        Scope::Server,
        Kind::Array,
        "",
        "Overrides for outer terminals' capabilities. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "terminal-features",
        Scope::Server,
        Kind::Array,
        "xterm*:clipboard:ccolour:cstyle:focus:title\nscreen*:title",
        "Features of outer terminals that terminfo does not say. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "user-keys",
        Scope::Server,
        Kind::Array,
        "",
        "Keys applications send that tmux does not know, as User0 and on. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "activity-action",
        Scope::Session,
        Kind::Choice(&["none", "any", "current", "other"]),
        "other",
        "Which windows' activity is reported when monitor-activity is on.",
    ),
    opt(
        "assume-paste-time",
        Scope::Session,
        Kind::Number {
            min: 0,
            max: i64::MAX,
        },
        "1",
        "Keys typed faster than this many milliseconds are taken as a paste. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "bell-action",
        Scope::Session,
        Kind::Choice(&["none", "any", "current", "other"]),
        "any",
        "Which windows' bells are reported.",
    ),
    opt(
        "destroy-unattached",
        Scope::Session,
        Kind::Flag,
        "off",
        "Destroy a session when its last client detaches. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "key-table",
        Scope::Session,
        Kind::Str,
        "root",
        "The key table a client starts in. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "lock-after-time",
        Scope::Session,
        Kind::Number {
            min: 0,
            max: i64::MAX,
        },
        "0",
        "Lock the session after this many seconds of inactivity (0: never). Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "lock-command",
        Scope::Session,
        Kind::Str,
        "lock -np",
        "The command lock-session, lock-client and lock-server run on a client's terminal.",
    ),
    opt(
        "set-titles",
        Scope::Session,
        Kind::Flag,
        "off",
        "Set the outer terminal's title. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "set-titles-string",
        Scope::Session,
        Kind::Str,
        "#S:#I:#W - \"#T\" #{session_alerts}",
        "The title set with set-titles. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "silence-action",
        Scope::Session,
        Kind::Choice(&["none", "any", "current", "other"]),
        "other",
        "Which windows' silence is reported when monitor-silence is set.",
    ),
    opt(
        "status-bg",
        Scope::Session,
        Kind::Str,
        "default",
        "The status line's background colour (status-style is preferred). Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "status-fg",
        Scope::Session,
        Kind::Str,
        "default",
        "The status line's foreground colour (status-style is preferred). Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "status-format",
        Scope::Session,
        Kind::Array,
        "#[align=left range=left #{E:status-left-style}]#[push-default]#{T;=/#{status-left-length}:status-left}#[pop-default]#[norange default]#[list=on align=#{status-justify}]#[list=left-marker]<#[list=right-marker]>#[list=on]#{W:#[range=window|#{window_index} #{E:window-status-style}#{?#{&&:#{window_last_flag},#{!=:#{E:window-status-last-style},default}}, #{E:window-status-last-style},}#{?#{&&:#{window_bell_flag},#{!=:#{E:window-status-bell-style},default}}, #{E:window-status-bell-style},#{?#{&&:#{||:#{window_activity_flag},#{window_silence_flag}},#{!=:#{E:window-status-activity-style},default}}, #{E:window-status-activity-style},}}]#[push-default]#{T:window-status-format}#[pop-default]#[norange default]#{?window_end_flag,,#{window-status-separator}},#[range=window|#{window_index} list=focus #{?#{!=:#{E:window-status-current-style},default},#{E:window-status-current-style},#{E:window-status-style}}#{?#{&&:#{window_last_flag},#{!=:#{E:window-status-last-style},default}}, #{E:window-status-last-style},}#{?#{&&:#{window_bell_flag},#{!=:#{E:window-status-bell-style},default}}, #{E:window-status-bell-style},#{?#{&&:#{||:#{window_activity_flag},#{window_silence_flag}},#{!=:#{E:window-status-activity-style},default}}, #{E:window-status-activity-style},}}]#[push-default]#{T:window-status-current-format}#[pop-default]#[norange list=on default]#{?window_end_flag,,#{window-status-separator}}}#[nolist align=right range=right #{E:status-right-style}]#[push-default]#{T;=/#{status-right-length}:status-right}#[pop-default]#[norange default]\n#[align=centre]#{P:#{?pane_active,#[reverse],}#{pane_index}[#{pane_width}x#{pane_height}]#[default] }",
        "The formats of the status lines. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "visual-activity",
        Scope::Session,
        Kind::Choice(&["off", "on", "both"]),
        "off",
        "Show a message for activity rather than (or as well as) a bell.",
    ),
    opt(
        "visual-bell",
        Scope::Session,
        Kind::Choice(&["off", "on", "both"]),
        "off",
        "Show a message for a bell rather than (or as well as) passing it on.",
    ),
    opt(
        "visual-silence",
        Scope::Session,
        Kind::Choice(&["off", "on", "both"]),
        "off",
        "Show a message for silence rather than (or as well as) a bell.",
    ),
    opt(
        "word-separators",
        Scope::Session,
        Kind::Str,
        "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~",
        "Characters that end a word in copy mode. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "aggressive-resize",
        Scope::Window,
        Kind::Flag,
        "off",
        "Size a window to the clients showing it, not to all clients of its session. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "allow-passthrough",
        Scope::Window,
        Kind::Flag,
        "off",
        "Let programs pass escape sequences through to the outer terminal. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "allow-rename",
        Scope::Window,
        Kind::Flag,
        "off",
        "Let programs rename the window with an escape sequence. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "alternate-screen",
        Scope::Window,
        Kind::Flag,
        "on",
        "Let programs use the alternate screen. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "automatic-rename-format",
        Scope::Window,
        Kind::Str,
        "#{?pane_in_mode,[tmux],#{pane_current_command}}#{?pane_dead,[dead],}",
        "The format automatic-rename names windows with. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "clock-mode-colour",
        Scope::Window,
        Kind::Str,
        "blue",
        "The colour of clock-mode's clock.",
    ),
    opt(
        "clock-mode-style",
        Scope::Window,
        Kind::Choice(&["12", "24"]),
        "24",
        "Whether clock-mode shows 12 or 24 hours.",
    ),
    opt(
        "copy-mode-match-style",
        Scope::Window,
        Kind::Str,
        "bg=cyan,fg=black",
        "Style of search matches in copy mode. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "copy-mode-current-match-style",
        Scope::Window,
        Kind::Str,
        "bg=magenta,fg=black",
        "Style of the current search match in copy mode. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "copy-mode-mark-style",
        Scope::Window,
        Kind::Str,
        "bg=red,fg=black",
        "Style of the marked line in copy mode. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "fill-character",
        Scope::Window,
        Kind::Str,
        "",
        "The character that fills the unused part of a window. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "monitor-activity",
        Scope::Window,
        Kind::Flag,
        "off",
        "Mark a window (#) when one of its panes prints.",
    ),
    opt(
        "monitor-bell",
        Scope::Window,
        Kind::Flag,
        "on",
        "Mark a window (!) when one of its panes rings the bell.",
    ),
    opt(
        "monitor-silence",
        Scope::Window,
        Kind::Number {
            min: 0,
            max: i64::MAX,
        },
        "0",
        "Mark a window (~) after this many seconds without output (0: never).",
    ),
    opt(
        "pane-border-format",
        Scope::Window,
        Kind::Str,
        "#{?pane_active,#[reverse],}#{pane_index}#[default] \"#{pane_title}\"",
        "The format of the border line of each pane with pane-border-status.",
    ),
    opt(
        "pane-border-indicators",
        Scope::Window,
        Kind::Choice(&["off", "colour", "arrows", "both"]),
        "colour",
        "How the active pane's border is shown. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "pane-border-lines",
        Scope::Window,
        Kind::Choice(&["single", "double", "heavy", "simple", "number"]),
        "single",
        "The characters pane borders are drawn with. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "pane-border-status",
        Scope::Window,
        Kind::Choice(&["off", "top", "bottom"]),
        "off",
        "A border line of its own for each pane, above (top) or below (bottom) it, showing pane-border-format.",
    ),
    opt(
        "pane-colours",
        Scope::Window,
        Kind::Array,
        "",
        "The palette of colours a pane's programs see. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "popup-style",
        Scope::Window,
        Kind::Str,
        "default",
        "Style of popups (display-popup).",
    ),
    opt(
        "popup-border-style",
        Scope::Window,
        Kind::Str,
        "default",
        "Style of popups' borders.",
    ),
    opt(
        "popup-border-lines",
        Scope::Window,
        Kind::Choice(&[
            "single", "double", "heavy", "simple", "rounded", "padded", "none",
        ]),
        "single",
        "The characters popups' borders are drawn with.",
    ),
    opt(
        "remain-on-exit-format",
        Scope::Window,
        Kind::Str,
        "Pane is dead (#{?#{!=:#{pane_dead_status},},status #{pane_dead_status},}#{?#{!=:#{pane_dead_signal},},signal #{pane_dead_signal},}, #{t:pane_dead_time})",
        "The text shown in a pane whose program exited, with remain-on-exit. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "scroll-on-clear",
        Scope::Window,
        Kind::Flag,
        "on",
        "Keep what a program clears from the screen in the history. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "synchronize-panes",
        Scope::Window,
        Kind::Flag,
        "off",
        "Keys typed into any pane of the window go to all its panes.",
    ),
    opt(
        "window-active-style",
        Scope::Window,
        Kind::Str,
        "default",
        "Default style of the active pane. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "window-style",
        Scope::Window,
        Kind::Str,
        "default",
        "Default style of panes. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "window-status-activity-style",
        Scope::Window,
        Kind::Str,
        "reverse",
        "Style of a window with activity in the status line. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "window-status-bell-style",
        Scope::Window,
        Kind::Str,
        "reverse",
        "Style of a window that rang the bell in the status line. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "wrap-search",
        Scope::Window,
        Kind::Flag,
        "on",
        "Searches in copy mode go on from the other end. Kept for tmux configurations; agmux does not act on it yet.",
    ),
    opt(
        "xterm-keys",
        Scope::Window,
        Kind::Flag,
        "on",
        "Send xterm-style modified function keys (always on). Kept for tmux configurations; agmux does not act on it yet.",
    ),
];

pub fn lookup(name: &str) -> Option<&'static OptionDef> {
    TABLE.iter().find(|d| d.name == name)
}

/// A stored value; choices and keys are kept as their names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Num(i64),
    Flag(bool),
    Array(Vec<String>),
}

impl Value {
    pub fn as_str(&self) -> &str {
        match self {
            Value::Str(s) => s,
            _ => "",
        }
    }

    pub fn as_num(&self) -> i64 {
        match self {
            Value::Num(n) => *n,
            Value::Flag(b) => *b as i64,
            _ => 0,
        }
    }

    pub fn as_flag(&self) -> bool {
        matches!(self, Value::Flag(true)) || matches!(self, Value::Num(n) if *n != 0)
    }

    /// The value as `show-options -v` prints it (arrays: all items).
    pub fn to_text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Num(n) => n.to_string(),
            Value::Flag(b) => if *b { "on" } else { "off" }.to_string(),
            Value::Array(a) => a.join(" "),
        }
    }
}

/// The default value of a table option.
pub fn default_value(def: &OptionDef) -> Value {
    match def.kind {
        Kind::Number { .. } => Value::Num(def.default.parse().unwrap_or(0)),
        Kind::Flag => Value::Flag(def.default == "on"),
        // Items with spaces in them (command-alias) are given one a line.
        Kind::Array if def.default.contains('\n') => {
            Value::Array(def.default.lines().map(str::to_string).collect())
        }
        Kind::Array => Value::Array(def.default.split_whitespace().map(str::to_string).collect()),
        _ => Value::Str(def.default.to_string()),
    }
}

/// Parses `on`/`off` and their synonyms.
pub fn parse_flag(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "on" | "yes" | "1" | "true" => Some(true),
        "off" | "no" | "0" | "false" => Some(false),
        _ => None,
    }
}

/// tmux 3.3a's options in the order of its table, which is the order
/// show-options lists them in; agmux's own follow.
pub const TMUX_ORDER: &[&str] = &[
    "backspace",
    "buffer-limit",
    "command-alias",
    "copy-command",
    "cursor-colour",
    "cursor-style",
    "default-terminal",
    "editor",
    "escape-time",
    "exit-empty",
    "exit-unattached",
    "extended-keys",
    "focus-events",
    "history-file",
    "message-limit",
    "prompt-history-limit",
    "set-clipboard",
    "terminal-overrides",
    "terminal-features",
    "user-keys",
    "activity-action",
    "assume-paste-time",
    "base-index",
    "bell-action",
    "default-command",
    "default-shell",
    "default-size",
    "destroy-unattached",
    "detach-on-destroy",
    "display-panes-active-colour",
    "display-panes-colour",
    "display-panes-time",
    "display-time",
    "history-limit",
    "key-table",
    "lock-after-time",
    "lock-command",
    "message-command-style",
    "message-style",
    "mouse",
    "prefix",
    "prefix2",
    "renumber-windows",
    "repeat-time",
    "set-titles",
    "set-titles-string",
    "silence-action",
    "status",
    "status-bg",
    "status-fg",
    "status-format",
    "status-interval",
    "status-justify",
    "status-keys",
    "status-left",
    "status-left-length",
    "status-left-style",
    "status-position",
    "status-right",
    "status-right-length",
    "status-right-style",
    "status-style",
    "update-environment",
    "visual-activity",
    "visual-bell",
    "visual-silence",
    "word-separators",
    "aggressive-resize",
    "allow-passthrough",
    "allow-rename",
    "alternate-screen",
    "automatic-rename",
    "automatic-rename-format",
    "clock-mode-colour",
    "clock-mode-style",
    "copy-mode-match-style",
    "copy-mode-current-match-style",
    "copy-mode-mark-style",
    "fill-character",
    "main-pane-height",
    "main-pane-width",
    "mode-keys",
    "mode-style",
    "monitor-activity",
    "monitor-bell",
    "monitor-silence",
    "other-pane-height",
    "other-pane-width",
    "pane-active-border-style",
    "pane-base-index",
    "pane-border-format",
    "pane-border-indicators",
    "pane-border-lines",
    "pane-border-status",
    "pane-border-style",
    "pane-colours",
    "popup-style",
    "popup-border-style",
    "popup-border-lines",
    "remain-on-exit",
    "remain-on-exit-format",
    "scroll-on-clear",
    "synchronize-panes",
    "window-active-style",
    "window-size",
    "window-style",
    "window-status-activity-style",
    "window-status-bell-style",
    "window-status-current-format",
    "window-status-current-style",
    "window-status-format",
    "window-status-last-style",
    "window-status-separator",
    "window-status-style",
    "wrap-search",
    "xterm-keys",
];

/// Where show-options lists an option: tmux's in tmux's order, then
/// agmux's, then user options, each by name.
pub fn list_rank(name: &str) -> (usize, usize, String) {
    match TMUX_ORDER.iter().position(|n| *n == name) {
        Some(i) => (0, i, String::new()),
        None if name.starts_with('@') => (2, 0, name.to_string()),
        None => (1, 0, name.to_string()),
    }
}

/// Checks and converts a value given to `set-option` for a table option.
/// `current` is the effective value, used to toggle a flag given no value.
pub fn parse_value(def: &OptionDef, input: Option<&str>, current: &Value) -> CmdResult<Value> {
    match def.kind {
        Kind::Flag => match input {
            None | Some("") => Ok(Value::Flag(!current.as_flag())),
            Some(s) => parse_flag(s)
                .map(Value::Flag)
                .ok_or_else(|| CmdError(format!("bad value: {s}"))),
        },
        _ if input.is_none() => Err(CmdError::new("empty value")),
        Kind::Number { min, max } => {
            let s = input.unwrap_or_default();
            let n: i64 = s
                .parse()
                .map_err(|_| CmdError(format!("value is invalid: {s}")))?;
            if n < min {
                return Err(CmdError(format!("value is too small: {s}")));
            }
            if n > max {
                return Err(CmdError(format!("value is too large: {s}")));
            }
            Ok(Value::Num(n))
        }
        Kind::Choice(choices) => {
            let s = input.unwrap_or_default();
            choices
                .iter()
                .find(|c| **c == s)
                .map(|c| Value::Str(c.to_string()))
                .ok_or_else(|| CmdError(format!("unknown value: {s}")))
        }
        Kind::Key => {
            let s = input.unwrap_or_default();
            if s.eq_ignore_ascii_case("none") {
                return Ok(Value::Str("None".into()));
            }
            Key::parse(s)
                .map(|k| Value::Str(k.to_string()))
                .ok_or_else(|| CmdError(format!("bad key: {s}")))
        }
        Kind::Array => Ok(Value::Array(vec![input.unwrap_or_default().to_string()])),
        Kind::Str => Ok(Value::Str(input.unwrap_or_default().to_string())),
    }
}

/// The options set at one level (the server, a session, a window, a pane,
/// or the global session and window defaults).
#[derive(Debug, Clone, Default)]
pub struct Options {
    values: BTreeMap<String, Value>,
}

impl Options {
    /// The global defaults for one scope: every table option of it.
    pub fn defaults(scope: Scope) -> Options {
        let values = TABLE
            .iter()
            .filter(|d| d.scope == scope)
            .map(|d| (d.name.to_string(), default_value(d)))
            .collect();
        Options { values }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    pub fn set(&mut self, name: &str, value: Value) {
        self.values.insert(name.to_string(), value);
    }

    pub fn unset(&mut self, name: &str) -> Option<Value> {
        self.values.remove(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// Quotes a value for `show-options` output the way tmux's `args_escape`
/// does, so that the output can be read back as configuration.
pub fn escape(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    let dquote = s.contains([' ', '#', '\'', ';', '$', '{', '}', '%']);
    let squote = !dquote && s.contains([' ', '"']);
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c != ' '
        && (dquote || squote || c == '~')
    {
        return format!("\\{c}");
    }
    let mut body = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => body.push_str("\\\\"),
            '\n' => body.push_str("\\n"),
            '\t' => body.push_str("\\t"),
            '"' if dquote => body.push_str("\\\""),
            // As tmux: a $ that would start a variable when read back.
            '$' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '_' || *n == '{') =>
            {
                body.push_str("\\$")
            }
            c if (c as u32) < 32 || c as u32 == 127 => {
                body.push_str(&format!("\\{:03o}", c as u32))
            }
            c => body.push(c),
        }
    }
    let tilde = if body.starts_with('~') { "\\" } else { "" };
    if squote {
        format!("'{body}'")
    } else if dquote {
        format!("\"{tilde}{body}\"")
    } else {
        format!("{tilde}{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_parses() {
        for d in TABLE {
            let v = default_value(d);
            if let Kind::Number { min, max } = d.kind {
                assert!((min..=max).contains(&v.as_num()), "{}", d.name);
            }
            if let Kind::Choice(c) = d.kind {
                assert!(c.contains(&d.default), "{}", d.name);
            }
        }
    }

    #[test]
    fn values_are_checked() {
        let hl = lookup("history-limit").unwrap();
        assert_eq!(
            parse_value(hl, Some("abc"), &Value::Num(0)).unwrap_err().0,
            "value is invalid: abc"
        );
        let roe = lookup("remain-on-exit").unwrap();
        assert_eq!(
            parse_value(roe, Some("maybe"), &Value::Str("off".into()))
                .unwrap_err()
                .0,
            "unknown value: maybe"
        );
        let re = lookup("renumber-windows").unwrap();
        assert_eq!(
            parse_value(re, None, &Value::Flag(false)).unwrap(),
            Value::Flag(true)
        );
    }

    #[test]
    fn escaping_matches_tmux() {
        assert_eq!(escape("[#{session_name}] "), "\"[#{session_name}] \"");
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape(""), "''");
        assert_eq!(escape("a \"b\""), "\"a \\\"b\\\"\"");
        assert_eq!(escape("a\"b"), "'a\"b'");
        assert_eq!(escape("lock -np"), "\"lock -np\"");
        assert_eq!(escape("#"), "\\#");
    }
}
