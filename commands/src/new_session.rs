use crate::agent::AgentSpec;
use crate::host::{GroupWith, NewSessionSpec, SpawnSpec};
use crate::util::session_name;
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Create a new session with one window, and attach to it unless -d is given.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct NewSession {
    /// If the session named by -s exists, attach to it instead.
    #[arg(short = 'A')]
    attach_existing: bool,
    /// Do not attach: the session runs in the background.
    #[arg(short = 'd')]
    detached: bool,
    /// With -A, detach other clients from the session.
    #[arg(short = 'D')]
    detach_others: bool,
    /// Do not copy the update-environment variables from the client.
    #[arg(short = 'E')]
    no_update_environment: bool,
    /// Print information about the new session (format from -F).
    #[arg(short = 'P')]
    print: bool,
    /// Client flags, comma-separated (read-only, ignore-size, ...), as
    /// tmux takes them; accepted, not acted on yet.
    #[arg(short = 'f', value_name = "flags")]
    #[allow(dead_code)]
    flags: Option<String>,
    /// Working directory of the first pane (default: the client's).
    #[arg(short = 'c', value_name = "start-directory")]
    cwd: Option<String>,
    /// Set VARIABLE=value in the session's environment; repeatable.
    #[arg(short = 'e', value_name = "environment")]
    env: Vec<String>,
    /// Format printed by -P (default `#{session_name}:`).
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Make the session an agent of this type (its first pane the agent's
    /// home).
    #[arg(short = 'G', value_name = "agent-type")]
    agent_type: Option<String>,
    /// The agent's objective (with -G).
    #[arg(short = 'o', value_name = "objective")]
    objective: Option<String>,
    /// With -G: take over the ended (lost, failed...) agent of this name,
    /// keeping its group, context, counters and history.
    #[arg(long = "resume")]
    resume: bool,
    /// Name of the first window.
    #[arg(short = 'n', value_name = "window-name")]
    window_name: Option<String>,
    /// Name of the session (default: the next free number).
    #[arg(short = 's', value_name = "session-name")]
    name: Option<String>,
    /// Make the session part of a session group: the group of this
    /// session (made with it if it has none), or the group of this name.
    /// The sessions of a group share their windows, each with its own
    /// current window; an unnamed session is named after the group.
    #[arg(short = 't', value_name = "target-session")]
    group: Option<String>,
    /// Width of the session's window (default: default-size).
    #[arg(short = 'x', value_name = "width")]
    width: Option<String>,
    /// Height of the session's window (default: default-size).
    #[arg(short = 'y', value_name = "height")]
    height: Option<String>,
    /// Command for the first pane: one argument runs with the shell,
    /// several run directly.
    #[arg(value_name = "shell-command", trailing_var_arg = true)]
    command: Vec<String>,
}

fn dimension(s: &Option<String>, what: &str) -> CmdResult<Option<u16>> {
    match s.as_deref() {
        None | Some("-") => Ok(None),
        Some(v) => match v.parse::<u16>() {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => bail!("{what} invalid: {v}"),
        },
    }
}

impl Command for NewSession {
    const NAME: &'static str = "new-session";

    fn agent(&self) -> bool {
        self.agent_type.is_some()
    }
    const ALIAS: Option<&'static str> = Some("new");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);
    const START_SERVER: bool = true;

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if self.group.is_some() && (!self.command.is_empty() || self.window_name.is_some()) {
            bail!("command or window name given with target");
        }
        if let Some(n) = &self.window_name {
            crate::util::check_length("window name", n)?;
        }
        let name = self.name.as_deref().map(session_name).transpose()?;
        if let Some(existing) = name.as_deref().and_then(|n| host.session_named(n)) {
            if self.attach_existing {
                if self.detached {
                    return Ok(Flow::Continue);
                }
                return Ok(Flow::Attach {
                    session: existing,
                    detach_others: self.detach_others,
                    read_only: false,
                });
            }
            bail!("duplicate session: {}", name.unwrap_or_default());
        }
        // As tmux: a target that is no session is the name of a group.
        let group = match self.group.as_deref() {
            None => None,
            Some(t) => match host.find(io, Some(t), TargetKind::Session) {
                Ok(f) => Some(GroupWith::Session(f.session)),
                Err(_) if t.is_empty() => bail!("invalid session group: {t}"),
                Err(_) => Some(GroupWith::Name(session_name(t)?)),
            },
        };
        let detached = self.detached || io.caller.config;
        if !detached && !io.caller.tty && io.caller.attached.is_none() {
            bail!("open terminal failed: not a terminal");
        }
        let agent = agent_spec(self.agent_type.as_deref(), self.objective.as_deref())?;
        if self.resume && agent.is_none() {
            bail!("--resume needs -G: it takes over an agent");
        }
        let agent = agent.map(|a| AgentSpec {
            resume: self.resume,
            ..a
        });
        let spawn = SpawnSpec {
            command: self.command,
            cwd: self.cwd,
            env: self.env,
        };
        if agent.is_some() {
            host.agent_ready(io, None)?;
            // tmux starts a session whose program is missing and lets it
            // die; an agent that could not start at all is refused instead.
            host.agent_program_found(io, &spawn)?;
        }
        let width = dimension(&self.width, "width")?;
        let height = dimension(&self.height, "height")?;
        let spec = NewSessionSpec {
            name,
            window_name: self.window_name,
            size: match (width, height) {
                (None, None) => None,
                (w, h) => Some((w.unwrap_or(0), h.unwrap_or(0))),
            },
            spawn,
            group,
        };
        let found = host.new_session(io, spec)?;
        if let Some(agent) = agent {
            host.make_agent(io, found.pane, agent)?;
        }
        if self.print {
            let fmt = self.format.as_deref().unwrap_or("#{session_name}:");
            let line = host.expand(io, fmt, Some(&found));
            io.print(&line);
        }
        if detached {
            Ok(Flow::Continue)
        } else {
            Ok(Flow::Attach {
                session: found.session,
                detach_others: false,
                read_only: false,
            })
        }
    }
}

/// -G and -o: an agent of that type with that objective.
pub(crate) fn agent_spec(kind: Option<&str>, objective: Option<&str>) -> CmdResult<Option<AgentSpec>> {
    match (kind, objective) {
        (None, None) => Ok(None),
        (None, Some(_)) => bail!("-o needs -G: an objective is for an agent"),
        (Some(k), o) => {
            if k.is_empty() || k.chars().any(|c| c.is_whitespace() || c.is_control()) {
                bail!("invalid agent type: {k:?}");
            }
            Ok(Some(AgentSpec {
                kind: k.to_string(),
                objective: o.unwrap_or_default().to_string(),
                resume: false,
            }))
        }
    }
}
