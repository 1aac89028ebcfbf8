use crate::{CmdError, CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Move a window to another index, in its session or another one; or,
/// with -r, renumber the windows of a session.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct MoveWindow {
    /// Move the window to the index after the target's, moving later
    /// windows up.
    #[arg(short = 'a')]
    after: bool,
    /// Move the window to the target's index, moving it and later windows
    /// up.
    #[arg(short = 'b')]
    before: bool,
    /// Do not make the moved window the current one of its new session.
    #[arg(short = 'd')]
    detached: bool,
    /// Destroy the window at the target index if there is one.
    #[arg(short = 'k')]
    kill: bool,
    /// Renumber the windows of the target session from base-index, in
    /// order; nothing moves between sessions.
    #[arg(short = 'r')]
    renumber: bool,
    /// The window to move (default: the current window).
    #[arg(short = 's', value_name = "src-window")]
    source: Option<String>,
    /// Where to: a session, or session:index (default: the first free
    /// index of the current session).
    #[arg(short = 't', value_name = "dst-window")]
    target: Option<String>,
}

impl Command for MoveWindow {
    const NAME: &'static str = "move-window";
    const ALIAS: Option<&'static str> = Some("movew");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let src = host.find(io, self.source.as_deref(), TargetKind::Window)?;
        if self.renumber {
            // tmux looks the session up quietly: a missing one stops the
            // command list without a word or a failing status.
            let Ok(at) = host.find(io, self.target.as_deref(), TargetKind::Session) else {
                return Err(CmdError::quiet());
            };
            host.renumber_windows(at.session);
            return Ok(Flow::Continue);
        }
        let (session, mut index) = host.find_index(io, self.target.as_deref())?;
        if self.after || self.before {
            // After (or before) the target window, or the current one when
            // the target names no window.
            let anchor = index
                .filter(|i| host.window_found(session, *i).is_some())
                .or_else(|| host.session_found(session).map(|f| f.index));
            let Some(anchor) = anchor else {
                bail!("no current window");
            };
            let at = if self.before { anchor } else { anchor + 1 };
            host.shuffle_windows(session, at);
            index = Some(at);
        }
        let renumber_source = self.source.is_none();
        host.move_window(
            &src,
            session,
            index,
            self.kill,
            !self.detached,
            renumber_source,
        )?;
        Ok(Flow::Continue)
    }
}
