use crate::{CmdResult, Command, Flow, Host, Io};

/// Start the server if it is not running; do nothing else.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct StartServer {}

impl Command for StartServer {
    const NAME: &'static str = "start-server";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("start");
    const START_SERVER: bool = true;

    fn exec(self, _host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        Ok(Flow::Continue)
    }
}
