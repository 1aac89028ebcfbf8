use crate::show_prompt_history::prompt_types;
use crate::{CmdResult, Command, Flow, Host, Io};

/// Forget what was typed at the command prompt: one kind of prompt's
/// history (command, search, target or window-target), or all.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ClearPromptHistory {
    /// Only this kind.
    #[arg(short = 'T', value_name = "type")]
    kind: Option<String>,
}

impl Command for ClearPromptHistory {
    const NAME: &'static str = "clear-prompt-history";
    const ALIAS: Option<&'static str> = Some("clearphist");

    fn exec(self, host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        for kind in prompt_types(self.kind.as_deref())? {
            host.clear_prompt_history(kind);
        }
        Ok(Flow::Continue)
    }
}
