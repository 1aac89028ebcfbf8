use crate::host::{PanePlace, SpawnSpec, SplitSize, SplitSpec};
use crate::new_window::PRINT_FORMAT;
use crate::util::parse_size;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Split a pane in two, running a new program in the new pane.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SplitWindow {
    #[command(flatten)]
    place: Placement,
    /// Print information about the new pane (format from -F).
    #[arg(short = 'P')]
    print: bool,
    /// Keep the window zoomed, on the new pane.
    #[arg(short = 'Z')]
    zoom: bool,
    /// Working directory of the new pane (default: the client's).
    #[arg(short = 'c', value_name = "start-directory")]
    cwd: Option<String>,
    /// Set VARIABLE=value for the new pane; repeatable.
    #[arg(short = 'e', value_name = "environment")]
    env: Vec<String>,
    /// Format printed by -P.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Make the session an agent of this type, the new pane its home.
    #[arg(short = 'G', value_name = "agent-type")]
    agent_type: Option<String>,
    /// The agent's objective (with -G).
    #[arg(short = 'o', value_name = "objective")]
    objective: Option<String>,
    /// The pane to split.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// Command for the new pane: one argument runs with the shell, several run directly.
    #[arg(value_name = "shell-command", trailing_var_arg = true)]
    command: Vec<String>,
}

impl Command for SplitWindow {
    const NAME: &'static str = "split-window";

    fn agent(&self) -> bool {
        self.agent_type.is_some()
    }
    const ALIAS: Option<&'static str> = Some("splitw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let at = host.find(io, self.target.as_deref(), TargetKind::Pane)?;
        let spec = SplitSpec {
            place: self.place.place()?,
            spawn: SpawnSpec {
                command: self.command,
                cwd: self.cwd,
                env: self.env,
            },
        };
        let agent = crate::new_session::agent_spec(self.agent_type.as_deref(), self.objective.as_deref())?;
        if agent.is_some() {
            host.agent_ready(io, Some(at.session))?;
        }
        let found = host.split_window(io, &at, spec)?;
        if let Some(agent) = agent {
            host.make_agent(io, found.pane, agent)?;
        }
        if self.zoom {
            host.resize_pane(found.pane, crate::host::Resize::ToggleZoom)?;
        }
        if self.print {
            let fmt = self.format.as_deref().unwrap_or(PRINT_FORMAT);
            let line = host.expand(io, fmt, Some(&found));
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}

/// Where a split puts its pane: the flags split-window and join-pane share.
#[derive(clap::Args, Debug)]
pub(crate) struct Placement {
    /// Put the pane left of or above the target.
    #[arg(short = 'b')]
    before: bool,
    /// Do not make the pane the active one.
    #[arg(short = 'd')]
    detached: bool,
    /// Split the whole window (full width or height) rather than the target pane.
    #[arg(short = 'f')]
    full: bool,
    /// Side by side with the target (a left and a right pane).
    #[arg(short = 'h')]
    horizontal: bool,
    /// One above the other (the default).
    #[arg(short = 'v')]
    vertical: bool,
    /// Size of the pane in lines or columns, or a percentage (`30%`).
    #[arg(short = 'l', value_name = "size")]
    size: Option<String>,
    /// Size as a percentage (old form of -l N%).
    #[arg(short = 'p', value_name = "percentage", hide = true)]
    percentage: Option<String>,
}

impl Placement {
    pub(crate) fn place(&self) -> CmdResult<PanePlace> {
        Ok(PanePlace {
            horizontal: self.horizontal && !self.vertical,
            size: split_size(self.size.as_deref(), self.percentage.as_deref())?,
            before: self.before,
            full: self.full,
            select: !self.detached,
        })
    }
}

/// The size of a pane made by splitting, from -l (cells or N%) or the old
/// -p percentage.
fn split_size(l: Option<&str>, p: Option<&str>) -> CmdResult<Option<SplitSize>> {
    Ok(match (l, p) {
        (Some(l), _) => Some(parse_size(l, "size")?),
        (None, Some(p)) => match parse_size(p, "percentage")? {
            SplitSize::Cells(n) if n <= 100 => Some(SplitSize::Percent(n)),
            _ => crate::bail!("percentage invalid: {p}"),
        },
        (None, None) => None,
    })
}
