use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Destroy a session, closing its windows and ending their programs.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct KillSession {
    /// Kill every session except the target.
    #[arg(short = 'a')]
    all_others: bool,
    /// The session to kill.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
}

impl Command for KillSession {
    const NAME: &'static str = "kill-session";
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let keep = host.find(io, self.target.as_deref(), TargetKind::Session)?;
        if self.all_others {
            for s in host.sessions() {
                if s != keep.session {
                    host.kill_session(s);
                }
            }
        } else {
            host.kill_session(keep.session);
        }
        Ok(Flow::Continue)
    }
}
