use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Lock every client attached to a session (each runs lock-command until it ends).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct LockSession {
    /// The session.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
}

impl Command for LockSession {
    const NAME: &'static str = "lock-session";
    const ALIAS: Option<&'static str> = Some("locks");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let s = host.find(io, self.target.as_deref(), TargetKind::Session)?.session;
        for c in host.clients().into_iter().filter(|c| c.session == s) {
            host.lock_client(c.id);
        }
        Ok(Flow::Continue)
    }
}
