use crate::{CmdResult, Command, Flow, Host, Io};

/// Redraw a client's terminal from scratch.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct RefreshClient {
    /// Only the status line (the whole screen is redrawn anyway).
    #[arg(short = 'S')]
    status: bool,
    /// The client.
    #[arg(short = 't', value_name = "target-client")]
    target: Option<String>,
}

impl Command for RefreshClient {
    const NAME: &'static str = "refresh-client";
    const ALIAS: Option<&'static str> = Some("refresh");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let c = host.find_client(io, self.target.as_deref())?;
        let _ = self.status;
        host.refresh_client(c);
        Ok(Flow::Continue)
    }
}
