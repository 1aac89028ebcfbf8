use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Detach a client from its session: the client exits and the session
/// goes on.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct DetachClient {
    /// Detach every client except the target.
    #[arg(short = 'a')]
    all_others: bool,
    /// Detach every client attached to this session.
    #[arg(short = 's', value_name = "target-session")]
    session: Option<String>,
    /// The client (default: the one running the command).
    #[arg(short = 't', value_name = "target-client")]
    target: Option<String>,
}

impl Command for DetachClient {
    const NAME: &'static str = "detach-client";
    const ALIAS: Option<&'static str> = Some("detach");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if let Some(s) = &self.session {
            let s = host.find(io, Some(s), TargetKind::Session)?.session;
            for c in host.clients().into_iter().filter(|c| c.session == s) {
                host.detach_client(c.id);
            }
            return Ok(Flow::Continue);
        }
        let target = host.find_client(io, self.target.as_deref())?;
        if self.all_others {
            for c in host.clients().into_iter().filter(|c| c.id != target) {
                host.detach_client(c.id);
            }
        } else {
            host.detach_client(target);
        }
        Ok(Flow::Continue)
    }
}
