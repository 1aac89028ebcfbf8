use crate::{CmdResult, Command, Flow, Host, Io, bail};

/// The kinds of prompt history, as tmux names them.
pub(crate) const PROMPT_TYPES: [&str; 4] = ["command", "search", "target", "window-target"];

/// The one history `-T` names, or all of them.
pub(crate) fn prompt_types(t: Option<&str>) -> CmdResult<Vec<&'static str>> {
    match t {
        None => Ok(PROMPT_TYPES.to_vec()),
        Some(t) => match PROMPT_TYPES.iter().find(|x| **x == t) {
            Some(x) => Ok(vec![*x]),
            None => bail!("invalid type: {t}"),
        },
    }
}

/// List what was typed at the command prompt, oldest first, by kind of
/// prompt (command-prompt's history is the command kind).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ShowPromptHistory {
    /// Only this kind: command, search, target or window-target.
    #[arg(short = 'T', value_name = "type")]
    kind: Option<String>,
}

impl Command for ShowPromptHistory {
    const NAME: &'static str = "show-prompt-history";
    const ALIAS: Option<&'static str> = Some("showphist");
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        for kind in prompt_types(self.kind.as_deref())? {
            io.print(&format!("History for {kind}:\n"));
            for (i, line) in host.prompt_history(kind).iter().enumerate() {
                io.print(&format!("{}: {line}", i + 1));
            }
            io.print("");
        }
        Ok(Flow::Continue)
    }
}
