//! Help without a server: `agmux help [command]`, `COMMAND --help`, and
//! list-commands when no server runs, as tmux's list-commands works.

use crate::{COMMANDS, CmdResult, lookup};

/// The help for one command (its usage, what it does, each flag), or for
/// all (the usage lines).
pub fn help(name: Option<&str>) -> CmdResult<String> {
    let Some(name) = name else {
        let mut out = String::from(
            "usage: agmux [-L socket-name | -S socket-path] [-f file] command [flags]\n\
             Commands (agmux help COMMAND, or COMMAND --help, says more;\n\
             man agmux says everything):\n",
        );
        for e in COMMANDS {
            out.push_str("  ");
            out.push_str(&e.usage());
            out.push('\n');
        }
        return Ok(out);
    };
    let e = lookup(name)?;
    let cmd = e.clap();
    let mut out = format!("usage: {}\n", e.usage());
    if let Some(about) = cmd.get_about() {
        out.push('\n');
        out.push_str(&about.to_string());
        out.push('\n');
    }
    let args: Vec<_> = cmd.get_arguments().filter(|a| !a.is_hide_set()).collect();
    if !args.is_empty() {
        out.push('\n');
    }
    for arg in args {
        let Some(text) = arg.get_help() else { continue };
        let name = match (arg.get_short(), arg.get_long()) {
            (Some(c), _) => format!("-{c}"),
            (None, Some(l)) => format!("--{l}"),
            (None, None) => arg
                .get_value_names()
                .and_then(|v| v.first())
                .map(|v| v.to_string())
                .unwrap_or_default(),
        };
        out.push_str(&format!("  {name:<16} {text}\n"));
    }
    Ok(out)
}

/// Whether a command's words ask for its help: `--help` before any `--`.
pub fn asks_for_help(words: &[String]) -> bool {
    words
        .iter()
        .skip(1)
        .take_while(|w| *w != "--")
        .any(|w| w == "--help")
}
