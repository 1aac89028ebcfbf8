use crate::host::{NewWindowSpec, SpawnSpec, WindowPlace};
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Create a new window in a session.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct NewWindow {
    /// Insert the window just after the target index, moving later ones up.
    #[arg(short = 'a')]
    after: bool,
    /// Insert the window just before the target index, moving it and later ones up.
    #[arg(short = 'b')]
    before: bool,
    /// Do not make the new window the current one.
    #[arg(short = 'd')]
    detached: bool,
    /// Replace the window at the target index if there is one.
    #[arg(short = 'k')]
    kill: bool,
    /// Print information about the new window (format from -F).
    #[arg(short = 'P')]
    print: bool,
    /// With -n, select the window of that name if it exists instead.
    #[arg(short = 'S')]
    select_existing: bool,
    /// Working directory of the new pane (default: the client's).
    #[arg(short = 'c', value_name = "start-directory")]
    cwd: Option<String>,
    /// Set VARIABLE=value for the new pane; repeatable.
    #[arg(short = 'e', value_name = "environment")]
    env: Vec<String>,
    /// Format printed by -P (default `#{session_name}:#{window_index}.#{pane_index}`).
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Make the session an agent of this type, the new pane its home.
    #[arg(short = 'G', value_name = "agent-type")]
    agent_type: Option<String>,
    /// The agent's objective (with -G).
    #[arg(short = 'o', value_name = "objective")]
    objective: Option<String>,
    /// Name of the window.
    #[arg(short = 'n', value_name = "window-name")]
    name: Option<String>,
    /// The session, or session:index to create the window at.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
    /// Command for the pane: one argument runs with the shell, several run directly.
    #[arg(value_name = "shell-command", trailing_var_arg = true)]
    command: Vec<String>,
}

pub(crate) const PRINT_FORMAT: &str = "#{session_name}:#{window_index}.#{pane_index}";

impl Command for NewWindow {
    const NAME: &'static str = "new-window";

    fn agent(&self) -> bool {
        self.agent_type.is_some()
    }
    const ALIAS: Option<&'static str> = Some("neww");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if let Some(n) = &self.name {
            crate::util::check_length("window name", n)?;
        }
        let (session, index) = host.find_index(io, self.target.as_deref())?;
        if let (true, Some(name)) = (self.select_existing, &self.name) {
            let existing = host.windows(session).into_iter().find(|(i, _)| {
                host.window_found(session, *i)
                    .is_some_and(|f| host.expand(io, "#{window_name}", Some(&f)) == *name)
            });
            if let Some((idx, _)) = existing {
                host.select_window(session, idx)?;
                return Ok(Flow::Continue);
            }
        }
        let current = || host.session_found(session).map(|f| f.index).unwrap_or(0);
        let place = if self.after {
            WindowPlace::After(index.unwrap_or_else(current))
        } else if self.before {
            WindowPlace::Before(index.unwrap_or_else(current))
        } else if let Some(i) = index {
            WindowPlace::At {
                index: i,
                kill: self.kill,
            }
        } else {
            WindowPlace::Free
        };
        let spec = NewWindowSpec {
            name: self.name,
            place,
            select: !self.detached,
            spawn: SpawnSpec {
                command: self.command,
                cwd: self.cwd,
                env: self.env,
            },
        };
        let agent = crate::new_session::agent_spec(self.agent_type.as_deref(), self.objective.as_deref())?;
        if agent.is_some() {
            host.agent_ready(io, Some(session))?;
        }
        let found = host.new_window(io, session, spec)?;
        if let Some(agent) = agent {
            host.make_agent(io, found.pane, agent)?;
        }
        if self.print {
            let fmt = self.format.as_deref().unwrap_or(PRINT_FORMAT);
            let line = host.expand(io, fmt, Some(&found));
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}
