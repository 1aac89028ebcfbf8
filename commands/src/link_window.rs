use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Link a window into a session too: the same window, with the same panes,
/// shown in both (as a session group shares all its windows).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct LinkWindow {
    /// Link the window at the index after the target's, moving later
    /// windows up.
    #[arg(short = 'a')]
    after: bool,
    /// Link the window at the target's index, moving it and later windows
    /// up.
    #[arg(short = 'b')]
    before: bool,
    /// Do not make the linked window the current one of the session.
    #[arg(short = 'd')]
    detached: bool,
    /// Unlink the window at the target index if there is one (it is
    /// destroyed if linked nowhere else).
    #[arg(short = 'k')]
    kill: bool,
    /// The window to link (default: the current window).
    #[arg(short = 's', value_name = "src-window")]
    source: Option<String>,
    /// Where to: a session, or session:index (default: the first free
    /// index of the current session).
    #[arg(short = 't', value_name = "dst-window")]
    target: Option<String>,
}

impl Command for LinkWindow {
    const NAME: &'static str = "link-window";
    const ALIAS: Option<&'static str> = Some("linkw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let src = host.find(io, self.source.as_deref(), TargetKind::Window)?;
        let (session, mut index) = host.find_index(io, self.target.as_deref())?;
        if self.after || self.before {
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
        host.link_window(&src, session, index, self.kill, !self.detached)?;
        Ok(Flow::Continue)
    }
}
