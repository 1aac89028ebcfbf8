use crate::format::is_true;
use crate::{CmdResult, Command, Flow, Found, Host, Io, TargetKind};

const DEFAULT: &str = "#{window_index}: #{window_name}#{window_raw_flags} \
(#{window_panes} panes) [#{window_width}x#{window_height}] \
[layout #{window_layout}] #{window_id}#{?window_active, (active),}";

const DEFAULT_ALL: &str = "#{session_name}:#{window_index}: #{window_name}#{window_raw_flags} \
(#{window_panes} panes) [#{window_width}x#{window_height}] ";

/// List the windows of a session, or of every session with -a.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListWindows {
    /// List the windows of every session.
    #[arg(short = 'a')]
    all: bool,
    /// Format of each line.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Only list windows for which this format is true.
    #[arg(short = 'f', value_name = "filter")]
    filter: Option<String>,
    /// The session whose windows to list.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
}

impl Command for ListWindows {
    const NAME: &'static str = "list-windows";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("lsw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let sessions = if self.all {
            host.sessions()
        } else {
            vec![host.find(io, self.target.as_deref(), TargetKind::Session)?.session]
        };
        let fmt = match (&self.format, self.all) {
            (Some(f), _) => f.as_str(),
            (None, true) => DEFAULT_ALL,
            (None, false) => DEFAULT,
        };
        for s in sessions {
            for (index, _) in host.windows(s) {
                let Some(found) = host.window_found(s, index) else { continue };
                print_if(host, io, &found, fmt, self.filter.as_deref(), crate::format::Loop::Windows);
            }
        }
        Ok(Flow::Continue)
    }
}

/// Prints a format for a target (a window, or with list-panes a pane)
/// unless a filter says no.
pub(crate) fn print_if(
    host: &dyn Host,
    io: &mut Io,
    found: &Found,
    fmt: &str,
    filter: Option<&str>,
    kind: crate::format::Loop,
) {
    if let Some(f) = filter
        && !is_true(&host.expand_as(io, f, Some(found), kind))
    {
        return;
    }
    let line = host.expand_as(io, fmt, Some(found), kind);
    io.print(&line);
}
