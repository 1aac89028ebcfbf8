use crate::{CmdResult, Command, Flow, Host, Io};

/// Kill the server: every session and pane ends and the server exits.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct KillServer {}

impl Command for KillServer {
    const NAME: &'static str = "kill-server";
    const ACCESS: crate::Access = crate::Access::Server;

    fn exec(self, host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        host.kill_server();
        Ok(Flow::Continue)
    }
}
