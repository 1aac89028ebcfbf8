use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Exit with status 0 if the session exists, 1 (with an error) if not.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct HasSession {
    /// The session to look for.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
}

impl Command for HasSession {
    const NAME: &'static str = "has-session";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("has");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        host.find(io, self.target.as_deref(), TargetKind::Session)?;
        Ok(Flow::Continue)
    }
}
