use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Let other users use the server, or not: add a user (-a), deny one
/// (-d, detaching their clients), make one read-only (-r) or able to
/// change things (-w), or list them (-l). The owner and root always may.
/// Others still need to reach the socket (-S in a place they can).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ServerAccess {
    /// Add the user.
    #[arg(short = 'a')]
    add: bool,
    /// Deny the user, detaching their clients.
    #[arg(short = 'd')]
    deny: bool,
    /// List the users let in: name (R) read-only, name (W) not.
    #[arg(short = 'l')]
    list: bool,
    /// Make the user's clients read-only (adding the user if need be).
    #[arg(short = 'r')]
    read_only: bool,
    /// Let the user's clients change things (adding the user if need be).
    #[arg(short = 'w')]
    write: bool,
    /// Accepted as tmux takes it.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// The user, a format.
    #[arg(value_name = "user")]
    user: Option<String>,
}

impl Command for ServerAccess {
    const NAME: &'static str = "server-access";
    const ACCESS: crate::Access = crate::Access::Server;
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let _ = &self.target;
        if self.list {
            for (name, write) in host.access_list() {
                io.print(&format!("{name} ({})", if write { "W" } else { "R" }));
            }
            return Ok(Flow::Continue);
        }
        let Some(user) = &self.user else {
            bail!("missing user argument");
        };
        let name = host.expand(io, user, None);
        host.change_access(
            &name,
            crate::host::AccessChange {
                add: self.add,
                deny: self.deny,
                read_only: self.read_only,
                write: self.write,
            },
        )?;
        Ok(Flow::Continue)
    }
}
