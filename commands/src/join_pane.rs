use crate::host::PanePlace;
use crate::split_window::split_size;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Move a pane into another window (or elsewhere in its own), splitting the
/// target pane to make room.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct JoinPane {
    /// Put the pane left of or above the target.
    #[arg(short = 'b')]
    before: bool,
    /// Do not make the moved pane the active one.
    #[arg(short = 'd')]
    detached: bool,
    /// Split the whole window rather than the target pane.
    #[arg(short = 'f')]
    full: bool,
    /// Side by side with the target.
    #[arg(short = 'h')]
    horizontal: bool,
    /// Above or below the target (the default).
    #[arg(short = 'v')]
    vertical: bool,
    /// Size of the moved pane in lines or columns, or a percentage (`30%`).
    #[arg(short = 'l', value_name = "size")]
    size: Option<String>,
    /// Size as a percentage (old form of -l N%).
    #[arg(short = 'p', value_name = "percentage", hide = true)]
    percentage: Option<String>,
    /// The pane to move (default: the current pane).
    #[arg(short = 's', value_name = "src-pane")]
    source: Option<String>,
    /// The pane to split.
    #[arg(short = 't', value_name = "dst-pane")]
    target: Option<String>,
}

impl Command for JoinPane {
    const NAME: &'static str = "join-pane";
    const ALIAS: Option<&'static str> = Some("joinp");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        join(self, host, io)
    }
}

/// join-pane and move-pane: the same command under two names, as in tmux.
pub(crate) fn join(args: JoinPane, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
    let src = host.find(io, args.source.as_deref(), TargetKind::Pane)?;
    let at = host.find(io, args.target.as_deref(), TargetKind::Pane)?;
    let place = PanePlace {
        horizontal: args.horizontal && !args.vertical,
        size: split_size(args.size.as_deref(), args.percentage.as_deref())?,
        before: args.before,
        full: args.full,
        select: !args.detached,
    };
    host.join_pane(src.pane, &at, place)?;
    Ok(Flow::Continue)
}
