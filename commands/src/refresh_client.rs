use crate::{CmdResult, Command, Flow, Host, Io};

/// Redraw a client's terminal from scratch.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct RefreshClient {
    /// Only the status line (the whole screen is redrawn anyway).
    #[arg(short = 'S')]
    status: bool,
    /// A control client's size, `WIDTHxHEIGHT` (or `WIDTH,HEIGHT`).
    #[arg(short = 'C', value_name = "size")]
    size: Option<String>,
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
        if let Some(size) = &self.size {
            let parsed = size
                .split_once(['x', ','])
                .and_then(|(x, y)| Some((x.parse::<u16>().ok()?, y.parse::<u16>().ok()?)));
            let Some((x, y)) = parsed else {
                crate::bail!("bad size argument");
            };
            if !(1..=10000).contains(&x) || !(1..=10000).contains(&y) {
                crate::bail!("size too small or too big");
            }
            return host.set_control_size(c, x, y).map(|()| Flow::Continue);
        }
        host.refresh_client(c);
        Ok(Flow::Continue)
    }
}
