use crate::format::pretty_time;
use crate::util::now;
use crate::{CmdResult, Command, Flow, Host, Io};

/// Show the message log, newest first: the commands run and the messages
/// clients were shown or told, at most message-limit of them. Needs a
/// client, as in tmux.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ShowMessages {
    /// Show the running jobs instead (agmux lists none).
    #[arg(short = 'J')]
    jobs: bool,
    /// Show the terminals' capabilities instead (agmux lists none).
    #[arg(short = 'T')]
    terminals: bool,
    /// The client.
    #[arg(short = 't', value_name = "target-client")]
    client: Option<String>,
}

impl Command for ShowMessages {
    const NAME: &'static str = "show-messages";
    const ALIAS: Option<&'static str> = Some("showmsgs");
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        host.find_client(io, self.client.as_deref())?;
        if self.jobs || self.terminals {
            return Ok(Flow::Continue);
        }
        let now = now();
        for (time, text) in host.message_log().into_iter().rev() {
            io.print(&format!("{}: {text}", pretty_time(time, now)));
        }
        Ok(Flow::Continue)
    }
}
