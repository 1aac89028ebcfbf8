use crate::list_windows::print_if;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

const BODY: &str = "[#{pane_width}x#{pane_height}] [history #{history_size}/#{history_limit}, \
#{history_bytes} bytes] #{pane_id}#{?pane_active, (active),}#{?pane_dead, (dead),}";

/// List the panes of a window, of a session with -s, or of every session with -a.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListPanes {
    /// List every pane of every session.
    #[arg(short = 'a')]
    all: bool,
    /// List every pane of the target session.
    #[arg(short = 's')]
    session: bool,
    /// Format of each line.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Only list panes for which this format is true.
    #[arg(short = 'f', value_name = "filter")]
    filter: Option<String>,
    /// The window (or session, with -s) whose panes to list.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
}

impl Command for ListPanes {
    const NAME: &'static str = "list-panes";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("lsp");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let default = if self.all {
            format!("#{{session_name}}:#{{window_index}}.#{{pane_index}}: {BODY}")
        } else if self.session {
            format!("#{{window_index}}.#{{pane_index}}: {BODY}")
        } else {
            format!("#{{pane_index}}: {BODY}")
        };
        let fmt = self.format.clone().unwrap_or(default);
        let windows: Vec<_> = if self.all {
            host.sessions()
                .into_iter()
                .flat_map(|s| host.windows(s).into_iter().map(move |(i, w)| (s, i, w)))
                .collect()
        } else if self.session {
            let s = host.find(io, self.target.as_deref(), TargetKind::Session)?.session;
            host.windows(s).into_iter().map(|(i, w)| (s, i, w)).collect()
        } else {
            let f = host.find(io, self.target.as_deref(), TargetKind::Window)?;
            vec![(f.session, f.index, f.window)]
        };
        for (s, index, w) in windows {
            for pane in host.panes(w) {
                let found = crate::Found {
                    session: s,
                    index,
                    window: w,
                    pane,
                };
                print_if(host, io, &found, &fmt, self.filter.as_deref(), crate::format::Loop::Panes);
            }
        }
        Ok(Flow::Continue)
    }
}
