use crate::format::is_true;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

const DEFAULT: &str = "#{client_name}: #{session_name} [#{client_width}x#{client_height} #{client_termname}]\
#{?client_readonly, (ro),}";

/// List the attached clients.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListClients {
    /// Format of each line.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Only list clients for which this format is true.
    #[arg(short = 'f', value_name = "filter")]
    filter: Option<String>,
    /// Only clients of this session.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
}

impl Command for ListClients {
    const NAME: &'static str = "list-clients";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("lsc");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let only = match &self.target {
            Some(t) => Some(host.find(io, Some(t), TargetKind::Session)?.session),
            None => None,
        };
        let fmt = self.format.as_deref().unwrap_or(DEFAULT);
        for c in host.clients() {
            if only.is_some_and(|s| s != c.session) {
                continue;
            }
            if let Some(f) = &self.filter
                && !is_true(&host.expand_client(io, f, c.id))
            {
                continue;
            }
            let line = host.expand_client(io, fmt, c.id);
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}
