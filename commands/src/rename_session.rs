use crate::util::session_name;
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Rename a session.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct RenameSession {
    /// The session to rename.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
    /// The new name.
    #[arg(value_name = "new-name", required = true)]
    name: String,
}

impl Command for RenameSession {
    const NAME: &'static str = "rename-session";
    const ALIAS: Option<&'static str> = Some("rename");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let found = host.find(io, self.target.as_deref(), TargetKind::Session)?;
        let name = session_name(&self.name)?;
        if let Some(other) = host.session_named(&name)
            && other != found.session {
                bail!("duplicate session: {name}");
            }
        host.rename_session(found.session, &name)?;
        Ok(Flow::Continue)
    }
}
