use crate::{CmdResult, Command, Flow, Host, Io};

/// Suspend a client, as C-z suspends a program in a shell; it comes back when continued (fg).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SuspendClient {
    /// The client (default: the current one).
    #[arg(short = 't', value_name = "target-client")]
    target: Option<String>,
}

impl Command for SuspendClient {
    const NAME: &'static str = "suspend-client";
    const ALIAS: Option<&'static str> = Some("suspendc");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let c = host.find_client(io, self.target.as_deref())?;
        host.suspend_client(c);
        Ok(Flow::Continue)
    }
}
