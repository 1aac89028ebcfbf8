use crate::{CmdResult, Command, Flow, Host, Io};

/// Ask for confirmation on a client's status line, then run a command if
/// the answer is `y`.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ConfirmBefore {
    /// The question (default `Confirm 'command'? (y/n)`).
    #[arg(short = 'p', value_name = "prompt")]
    prompt: Option<String>,
    /// The client.
    #[arg(short = 't', value_name = "target-client")]
    target: Option<String>,
    /// The command to run.
    #[arg(value_name = "command", required = true)]
    command: String,
}

impl Command for ConfirmBefore {
    const NAME: &'static str = "confirm-before";
    const ALIAS: Option<&'static str> = Some("confirm");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let client = host.find_client(io, self.target.as_deref())?;
        let label = match &self.prompt {
            Some(p) => format!("{} ", host.expand_client(io, p, client)),
            None => format!("Confirm '{}'? (y/n) ", self.command),
        };
        host.prompt(
            client,
            &label,
            "",
            Some(self.command),
            crate::host::PromptKind::Confirm,
        );
        Ok(Flow::Continue)
    }
}
