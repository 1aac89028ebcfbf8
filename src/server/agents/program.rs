//! Whether an agent's program is there before its session is made. tmux
//! starts a session whose program is missing and lets it die, and when it
//! was the last session the server goes with it, so the next command only
//! says "no server running". For an agent that is a silent loss: refuse
//! it instead, naming the program. Only what is certain is refused: a
//! shell command that starts with a builtin, a keyword or an expansion is
//! left to the shell (and a failure then marks the agent failed).

use crate::server::state::State;
use commands::host::{Io, SpawnSpec};
use commands::{CmdResult, bail};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Words sh runs itself, or that make the first word not a program.
const SHELL_OWN: &[&str] = &[
    "!", ".", ":", "[", "alias", "bg", "break", "case", "cd", "command", "continue", "echo",
    "eval", "exec", "exit", "export", "false", "fg", "for", "getopts", "hash", "if", "jobs",
    "kill", "local", "printf", "pwd", "read", "readonly", "return", "set", "shift", "source",
    "test", "times", "trap", "true", "type", "ulimit", "umask", "unalias", "unset", "until",
    "wait", "while", "{", "(",
];

/// The program a pane command runs, when that is certain.
fn program_of(command: &[String]) -> Option<&str> {
    match command {
        [] => None,
        [line] => {
            let word = line.split_whitespace().next()?;
            let plain = word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./+".contains(c));
            (plain && !word.contains('=') && !SHELL_OWN.contains(&word)).then_some(word)
        }
        [argv0, ..] => Some(argv0),
    }
}

fn executable(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Finds `program` as exec would: a path as given (from `cwd`), or a name
/// in one of PATH's directories.
fn found(program: &str, cwd: &str, path: &str) -> bool {
    if program.contains('/') {
        return executable(&Path::new(cwd).join(program));
    }
    path.split(':')
        .map(|dir| if dir.is_empty() { cwd } else { dir })
        .any(|dir| executable(&Path::new(dir).join(program)))
}

impl State {
    pub fn agent_program_found(&self, io: &Io, spawn: &SpawnSpec) -> CmdResult {
        let Some(program) = program_of(&spawn.command) else {
            return Ok(());
        };
        let path = spawn
            .env
            .iter()
            .find_map(|v| v.strip_prefix("PATH="))
            .or_else(|| self.env.value("PATH"))
            .unwrap_or("/usr/local/bin:/usr/bin:/bin");
        let cwd = spawn
            .cwd
            .clone()
            .or_else(|| io.caller.cwd.clone())
            .unwrap_or_else(|| "/".to_string());
        if !found(program, &cwd, path) {
            bail!("can't start agent: {program}: command not found");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::program_of;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn only_a_certain_program_is_named() {
        assert_eq!(program_of(&words(&["claude --resume"])), Some("claude"));
        assert_eq!(program_of(&words(&["./bin/agent"])), Some("./bin/agent"));
        assert_eq!(
            program_of(&words(&["aider", "--message", "x"])),
            Some("aider")
        );
        for line in [
            "exec sleep 9",
            "FOO=1 agent",
            "$HOME/agent",
            "(cd x; agent)",
            "while true; do :; done",
            "",
        ] {
            assert_eq!(program_of(&words(&[line])), None, "{line}");
        }
        assert_eq!(program_of(&[]), None);
    }
}
