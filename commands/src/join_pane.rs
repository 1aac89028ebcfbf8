use crate::split_window::Placement;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Move a pane into another window (or elsewhere in its own), splitting the
/// target pane to make room.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct JoinPane {
    #[command(flatten)]
    place: Placement,
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
    let src = host.find_source(io, args.source.as_deref(), TargetKind::Pane)?;
    let at = host.find(io, args.target.as_deref(), TargetKind::Pane)?;
    host.join_pane(src.pane, &at, args.place.place()?)?;
    Ok(Flow::Continue)
}
