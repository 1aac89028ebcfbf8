//! agmux: a terminal multiplexer in the tmux mould whose sessions can be
//! coordinating AI agents.
//!
//! `agmux [flags] command [args]` sends the command to the server (starting
//! it when needed) and prints its output; `agmux server` runs the server in
//! the foreground. The global flags are tmux's, read the way getopt reads
//! them: they stop at the first word that is not a flag.

/// History rows are allocated trimmed to the cells in use; with glibc the
/// trimmed tails left holes no full row fitted in. jemalloc's size classes
/// reuse them, and plain output got faster (bench/README.md).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod client;
mod mcp;
mod paths;
mod screen;
mod server;
mod store;
mod web;

use paths::Flavor;
use std::path::PathBuf;
use std::process::ExitCode;

/// The flags before the command.
#[derive(Debug, Default, Clone)]
pub struct Global {
    pub socket_name: Option<String>,
    pub socket_path: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub shell_command: Option<String>,
    pub version: bool,
    pub verbose: bool,
    /// -C given once (control mode) or twice (-CC, iTerm2's).
    pub control: u8,
}

fn usage(flavor: Flavor) -> String {
    let name = match flavor {
        Flavor::Agmux => "agmux",
        Flavor::Tmux => "tmux",
    };
    format!(
        "usage: {name} [-2CDlNuVv] [-c shell-command] [-f file] [-L socket-name]\n            [-S socket-path] [-T features] [command [flags]]"
    )
}

/// Parses the global flags; returns them and the command words.
fn parse_global(args: &[String]) -> Result<(Global, Vec<String>), String> {
    let mut g = Global::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        let flags: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < flags.len() {
            let f = flags[j];
            match f {
                'C' => g.control = g.control.saturating_add(1).min(2),
                '2' | 'D' | 'd' | 'l' | 'N' | 'q' | 'u' | 'U' => {}
                'v' => g.verbose = true,
                'V' => g.version = true,
                'c' | 'f' | 'L' | 'S' | 'T' => {
                    let rest: String = flags[j + 1..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest
                    } else {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => return Err(format!("option requires an argument -- {f}")),
                        }
                    };
                    match f {
                        'c' => g.shell_command = Some(value),
                        'f' => g.config = Some(value.into()),
                        'L' => g.socket_name = Some(value),
                        'S' => g.socket_path = Some(value.into()),
                        _ => {}
                    }
                    j = flags.len();
                    continue;
                }
                other => return Err(format!("unknown option -- {other}")),
            }
            j += 1;
        }
        i += 1;
    }
    Ok((g, args[i..].to_vec()))
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    let argv0 = if args.is_empty() {
        "agmux".to_string()
    } else {
        args.remove(0)
    };
    let flavor = Flavor::from_argv0(&argv0);
    let (global, command) = match parse_global(&args) {
        Ok(v) => v,
        Err(e) => {
            let name = if flavor == Flavor::Tmux {
                "tmux"
            } else {
                "agmux"
            };
            eprintln!("{name}: {e}");
            eprintln!("{}", usage(flavor));
            return ExitCode::from(1);
        }
    };
    if global.version {
        println!("{}", flavor.version());
        return ExitCode::SUCCESS;
    }
    if let Some(cmd) = &global.shell_command {
        return run_shell_command(cmd);
    }
    let code = if command.first().map(String::as_str) == Some("server") {
        server::main(flavor, &global, &command[1..])
    } else if command.first().map(String::as_str) == Some("mcp") {
        mcp::main(flavor, &global, &command[1..])
    } else if command.first().map(String::as_str) == Some("web") {
        web::main(flavor, &global, &command[1..])
    } else {
        client::main(flavor, &global, command)
    };
    ExitCode::from(code.clamp(0, 255) as u8)
}

/// `-c command`: run it with the shell, as tmux does for login shells.
fn run_shell_command(cmd: &str) -> ExitCode {
    let shell = std::env::var("SHELL").unwrap_or_else(|_| "/bin/sh".into());
    match std::process::Command::new(shell)
        .arg("-c")
        .arg(cmd)
        .status()
    {
        Ok(s) => ExitCode::from(s.code().unwrap_or(1).clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn global_flags_stop_at_the_command() {
        let (g, rest) = parse_global(&v(&["-L", "x", "-2u", "new", "-d", "-L", "y"])).unwrap();
        assert_eq!(g.socket_name.as_deref(), Some("x"));
        assert_eq!(rest, v(&["new", "-d", "-L", "y"]));
        let (g, rest) = parse_global(&v(&["-Sfoo", "ls"])).unwrap();
        assert_eq!(g.socket_path, Some(PathBuf::from("foo")));
        assert_eq!(rest, v(&["ls"]));
        assert!(parse_global(&v(&["-L"])).is_err());
        assert!(parse_global(&v(&["-Z"])).is_err());
    }
}
