use crate::format::is_true;
use crate::{CmdResult, Command, Flow, Host, Io};

const DEFAULT: &str = "#{session_name}: #{session_windows} windows \
(created #{t:session_created})#{?session_grouped, (group ,}#{session_group}\
#{?session_grouped,),}#{?session_attached, (attached),}";

/// List the sessions, one line each.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListSessions {
    /// Format of each line.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Only list sessions for which this format is true.
    #[arg(short = 'f', value_name = "filter")]
    filter: Option<String>,
}

impl Command for ListSessions {
    const NAME: &'static str = "list-sessions";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("ls");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let fmt = self.format.as_deref().unwrap_or(DEFAULT);
        for s in host.sessions() {
            let Some(found) = host.session_found(s) else { continue };
            if let Some(f) = &self.filter
                && !is_true(&host.expand_as(io, f, Some(&found), crate::format::Loop::Sessions)) {
                    continue;
                }
            let line = host.expand_as(io, fmt, Some(&found), crate::format::Loop::Sessions);
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}
