use crate::host::WaitMode;
use crate::{CmdResult, Command, Flow, Host, Io};

/// Wait until a channel is signalled (-S), or lock (-L) and unlock (-U) it.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct WaitFor {
    /// Lock the channel, waiting while another client holds it.
    #[arg(short = 'L', conflicts_with_all = ["signal", "unlock"])]
    lock: bool,
    /// Wake every client waiting on the channel.
    #[arg(short = 'S', conflicts_with = "unlock")]
    signal: bool,
    /// Unlock the channel.
    #[arg(short = 'U')]
    unlock: bool,
    /// The channel name.
    #[arg(value_name = "channel", required = true)]
    channel: String,
}

impl Command for WaitFor {
    const NAME: &'static str = "wait-for";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("wait");

    fn exec(self, host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        let mode = if self.signal {
            WaitMode::Signal
        } else if self.lock {
            WaitMode::Lock
        } else if self.unlock {
            WaitMode::Unlock
        } else {
            WaitMode::Wait
        };
        host.wait_for(&self.channel, mode)
    }
}
