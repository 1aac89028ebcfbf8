use crate::{CmdResult, Command, Flow, Host, Io};

/// Lock every client (each runs lock-command until it ends).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct LockServer {
}

impl Command for LockServer {
    const NAME: &'static str = "lock-server";
    const ALIAS: Option<&'static str> = Some("lock");

    fn exec(self, host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        for c in host.clients() {
            host.lock_client(c.id);
        }
        Ok(Flow::Continue)
    }
}
