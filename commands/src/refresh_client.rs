use crate::{CmdResult, Command, Flow, Host, Io};

/// Redraw a client's terminal from scratch.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct RefreshClient {
    /// Only the status line (the whole screen is redrawn anyway).
    #[arg(short = 'S')]
    status: bool,
    /// Move the visible part of a window larger than the client up by the
    /// adjustment. Accepted: agmux shows the part around the cursor.
    #[arg(short = 'U')]
    up: bool,
    /// Move the visible part down (accepted, as -U).
    #[arg(short = 'D')]
    down: bool,
    /// Move the visible part left (accepted, as -U).
    #[arg(short = 'L')]
    left: bool,
    /// Move the visible part right (accepted, as -U).
    #[arg(short = 'R')]
    right: bool,
    /// The visible part follows the cursor again (as it always does in
    /// agmux).
    #[arg(short = 'c')]
    follow_cursor: bool,
    /// Cells to move with -U, -D, -L or -R (default 1).
    #[arg(value_name = "adjustment")]
    adjustment: Option<String>,
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
        let pan = self.up || self.down || self.left || self.right;
        if pan || self.follow_cursor {
            if let Some(a) = &self.adjustment
                && a.parse::<u32>().is_err()
            {
                crate::bail!("adjustment is invalid");
            }
            return Ok(Flow::Continue);
        }
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
