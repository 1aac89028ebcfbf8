use crate::{CmdResult, Command, Flow, Host, Io};

/// Lock a client: it gives its terminal to lock-command until that ends.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct LockClient {
    /// The client (default: the current one).
    #[arg(short = 't', value_name = "target-client")]
    target: Option<String>,
}

impl Command for LockClient {
    const NAME: &'static str = "lock-client";
    const ALIAS: Option<&'static str> = Some("lockc");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let c = host.find_client(io, self.target.as_deref())?;
        host.lock_client(c);
        Ok(Flow::Continue)
    }
}
