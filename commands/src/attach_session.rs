use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Attach the client's terminal to a session.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AttachSession {
    /// Detach other clients attached to the session.
    #[arg(short = 'd')]
    detach_others: bool,
    /// Client flags, comma-separated, as tmux takes them: read-only acts
    /// as -r; the others are accepted, not acted on yet.
    #[arg(short = 'f', value_name = "flags")]
    flags: Option<String>,
    /// Read-only: the client's keys reach no pane, and it may run only
    /// commands that change nothing (attach, detach, list-clients,
    /// switch-client); a command list with another is refused whole.
    #[arg(short = 'r')]
    read_only: bool,
    /// Set the session's working directory.
    #[arg(short = 'c', value_name = "working-directory")]
    cwd: Option<String>,
    /// The session.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
}

impl Command for AttachSession {
    const NAME: &'static str = "attach-session";
    const ALIAS: Option<&'static str> = Some("attach");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if host.sessions().is_empty() {
            bail!("no sessions");
        }
        let found = host.find(io, self.target.as_deref(), TargetKind::Session)?;
        if !io.caller.tty && io.caller.client.is_none() {
            bail!("open terminal failed: not a terminal");
        }
        if let Some(cwd) = self.cwd {
            host.set_session_cwd(found.session, &cwd);
        }
        Ok(Flow::Attach {
            session: found.session,
            detach_others: self.detach_others,
            read_only: self.read_only
                || self
                    .flags
                    .as_deref()
                    .is_some_and(|f| f.split(',').any(|x| x == "read-only")),
        })
    }
}
