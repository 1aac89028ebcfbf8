//! Hooks: tmux's, and agmux's agent hooks. A hook is an array option of
//! commands, kept where tmux keeps it: session hooks in session options
//! (global or one session's), window and pane hooks in window and pane
//! options. A notification runs the most specific list set for it.

use crate::options::escape;
use crate::{CmdError, CmdResult};

/// Where a hook lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookScope {
    Session,
    /// Window or pane options (`-w`, `-p`).
    Window,
}

/// The commands tmux 3.3a has an after-hook for.
pub const AFTER: &[&str] = &[
    "bind-key",
    "capture-pane",
    "copy-mode",
    "display-message",
    "display-panes",
    "kill-pane",
    "list-buffers",
    "list-clients",
    "list-keys",
    "list-panes",
    "list-sessions",
    "list-windows",
    "load-buffer",
    "lock-server",
    "new-session",
    "new-window",
    "paste-buffer",
    "pipe-pane",
    "queue",
    "refresh-client",
    "rename-session",
    "rename-window",
    "resize-pane",
    "resize-window",
    "save-buffer",
    "select-layout",
    "select-pane",
    "select-window",
    "send-keys",
    "set-buffer",
    "set-environment",
    "set-hook",
    "set-option",
    "show-environment",
    "show-messages",
    "show-options",
    "split-window",
    "unbind-key",
];

/// tmux 3.3a's notification hooks.
const SESSION_HOOKS: &[&str] = &[
    "alert-activity",
    "alert-bell",
    "alert-silence",
    "client-active",
    "client-attached",
    "client-detached",
    "client-focus-in",
    "client-focus-out",
    "client-resized",
    "client-session-changed",
    "session-closed",
    "session-created",
    "session-renamed",
    "session-window-changed",
    "window-linked",
    "window-unlinked",
];

const WINDOW_HOOKS: &[&str] = &[
    "pane-died",
    "pane-exited",
    "pane-focus-in",
    "pane-focus-out",
    "pane-mode-changed",
    "pane-set-clipboard",
    "pane-title-changed",
    "window-layout-changed",
    "window-pane-changed",
    "window-renamed",
    "window-resized",
];

/// agmux's: something happened to an agent. Session hooks, listed by
/// show-hooks only once set, so that its output stays tmux's.
pub const AGENT_HOOKS: &[&str] = &[
    "agent-done",
    "agent-message",
    "agent-spawned",
    "agent-status-changed",
];

/// The scope of a hook, or None if there is no such hook.
pub fn scope_of(name: &str) -> Option<HookScope> {
    if let Some(cmd) = name.strip_prefix("after-")
        && AFTER.contains(&cmd)
    {
        return Some(HookScope::Session);
    }
    if SESSION_HOOKS.contains(&name) || AGENT_HOOKS.contains(&name) {
        Some(HookScope::Session)
    } else if WINDOW_HOOKS.contains(&name) {
        Some(HookScope::Window)
    } else {
        None
    }
}

pub fn is_hook(name: &str) -> bool {
    scope_of(name).is_some()
}

/// Every hook of a scope, sorted as show-hooks lists them.
pub fn all(scope: HookScope) -> Vec<String> {
    let mut v: Vec<String> = match scope {
        HookScope::Session => AFTER
            .iter()
            .map(|c| format!("after-{c}"))
            .chain(SESSION_HOOKS.iter().map(|h| h.to_string()))
            .collect(),
        HookScope::Window => WINDOW_HOOKS.iter().map(|h| h.to_string()).collect(),
    };
    v.sort();
    v
}

/// A command list as tmux prints it back: full command names, flags
/// without values together and sorted, then each flag with its value,
/// then the arguments, commands separated by ` ; `.
pub fn canonical(text: &str) -> CmdResult<String> {
    let out = print_text(text)?;
    if out.is_empty() {
        return Err(CmdError::new("empty value"));
    }
    Ok(out.join(" ; "))
}

/// Each command of command text printed as tmux prints it, `{ ... }`
/// blocks in braces (tmux keeps them as command lists, not strings).
pub fn print_text(text: &str) -> CmdResult<Vec<String>> {
    let parsed =
        crate::parse::parse(text, &crate::parse::Literal).map_err(|e| CmdError::new(e.message))?;
    parsed
        .iter()
        .map(|cmd| {
            let entry = crate::lookup(&cmd.argv[0])?;
            // Words are counted after the command name.
            let blocks: Vec<usize> = cmd.blocks.iter().filter_map(|b| b.checked_sub(1)).collect();
            print_marked(entry, &cmd.argv[1..], &blocks)
        })
        .collect()
}

pub(crate) fn print_command(entry: &crate::Entry, args: &[String]) -> String {
    // Words given one by one have no blocks, so printing cannot fail.
    print_marked(entry, args, &[]).unwrap_or_default()
}

/// One word as tmux prints an argument: a block as `{ commands }`, a
/// string quoted where it has to be.
fn print_word(word: &str, block: bool) -> CmdResult<String> {
    if !block {
        return Ok(escape(word));
    }
    Ok(format!("{{ {} }}", print_text(word)?.join(" ; ")))
}

/// A command's arguments as tmux's args_print puts them; `blocks` are the
/// indices in `args` that were `{ ... }` blocks.
fn print_marked(entry: &crate::Entry, args: &[String], blocks: &[usize]) -> CmdResult<String> {
    let clap = entry.clap();
    let takes_value = |c: char| {
        clap.get_arguments()
            .find(|a| a.get_short() == Some(c))
            .is_some_and(|a| a.get_action().takes_values())
    };
    let mut flags: Vec<char> = Vec::new();
    let mut valued: Vec<(char, usize, String)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if a.len() < 2 || !a.starts_with('-') || a.starts_with("--") || blocks.contains(&i) {
            break;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        for (n, c) in chars.iter().enumerate() {
            if takes_value(*c) {
                let rest: String = chars[n + 1..].iter().collect();
                let value = if rest.is_empty() {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                } else {
                    rest
                };
                valued.push((*c, i, value));
                break;
            }
            flags.push(*c);
        }
        i += 1;
    }
    flags.sort();
    flags.dedup();
    valued.sort_by_key(|(c, _, _)| *c);
    let mut words = vec![entry.name.to_string()];
    if !flags.is_empty() {
        words.push(format!("-{}", flags.iter().collect::<String>()));
    }
    for (c, at, v) in valued {
        words.push(format!("-{c}"));
        words.push(print_word(&v, blocks.contains(&at))?);
    }
    for (n, a) in args.iter().enumerate().skip(i) {
        words.push(print_word(a, blocks.contains(&n))?);
    }
    Ok(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_back_as_tmux_does() {
        for (given, want) in [
            (
                "display a; display b",
                "display-message a ; display-message b",
            ),
            ("display -p \"a b\"", "display-message -p \"a b\""),
            ("run -b \"echo #{hook}\"", "run-shell -b \"echo #{hook}\""),
            ("set -g @x \"y z\"", "set-option -g @x \"y z\""),
            ("neww -dP", "new-window -Pd"),
            ("splitw -h -l 10", "split-window -h -l 10"),
            (
                "if -Ft= '#{x}' { select-pane -t=; send -M } { display -p 'a b' }",
                "if-shell -F -t = \"#{x}\" { select-pane -t = ; send-keys -M } { display-message -p \"a b\" }",
            ),
            (
                "command-prompt -kpkey { list-keys -1N '%%' }",
                "command-prompt -k -p key { list-keys -1N \"%%\" }",
            ),
            ("find-window -Z -- '%%'", "find-window -Z \"%%\""),
        ] {
            assert_eq!(canonical(given).unwrap(), want, "{given}");
        }
        assert_eq!(canonical("x").unwrap_err().0, "unknown command: x");
    }

    #[test]
    fn hooks_have_tmux_scopes() {
        assert_eq!(scope_of("after-new-window"), Some(HookScope::Session));
        assert_eq!(scope_of("pane-exited"), Some(HookScope::Window));
        assert_eq!(scope_of("agent-done"), Some(HookScope::Session));
        assert_eq!(scope_of("after-agent-send"), None);
        assert_eq!(all(HookScope::Session).len(), 54);
    }
}
