use crate::host::PromptKind;
use crate::{CmdResult, Command, Flow, Host, Io};

/// Open the command prompt on a client's status line; what is typed runs
/// as commands, or fills the template's `%%`.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct CommandPrompt {
    /// The first key typed is the answer (copy mode's jump keys).
    #[arg(short = '1')]
    one_key: bool,
    /// The template is a format, expanded when the prompt opens.
    #[arg(short = 'F')]
    format: bool,
    /// Accepted for tmux's incremental search prompts; the template runs
    /// when Enter is pressed.
    #[arg(short = 'i')]
    incremental: bool,
    /// The name of the first key pressed is the answer (prefix /).
    #[arg(short = 'k')]
    key_name: bool,
    /// Digits only: any other key finishes the prompt (copy mode's repeat
    /// counts).
    #[arg(short = 'N')]
    numeric: bool,
    /// The kind of prompt (command, search, target, window-target), for
    /// its history; accepted.
    #[arg(short = 'T', value_name = "prompt-type")]
    prompt_type: Option<String>,
    /// Initial text of the input.
    #[arg(short = 'I', value_name = "inputs")]
    input: Option<String>,
    /// The prompt shown before the input (default `:`).
    #[arg(short = 'p', value_name = "prompts")]
    prompt: Option<String>,
    /// The client.
    #[arg(short = 't', value_name = "target-client")]
    target: Option<String>,
    /// Command text with `%%` where the input goes.
    #[arg(value_name = "template")]
    template: Option<String>,
}

impl Command for CommandPrompt {
    const NAME: &'static str = "command-prompt";

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let client = host.find_client(io, self.target.as_deref())?;
        let label = match &self.prompt {
            Some(p) => format!("{} ", host.expand_client(io, p, client)),
            // As tmux: the template's command names the prompt.
            None if self.template.is_some() => {
                let t = self.template.as_deref().unwrap_or_default().trim_start();
                let name = t.split([' ', ';']).next().unwrap_or(t);
                format!("({name}) ")
            }
            None => ":".to_string(),
        };
        let input = self
            .input
            .as_deref()
            .map(|i| host.expand_client(io, i, client))
            .unwrap_or_default();
        let _ = (self.incremental, &self.prompt_type);
        let template = match self.template {
            Some(t) if self.format => Some(host.expand_client(io, &t, client)),
            t => t,
        };
        let kind = if self.key_name {
            PromptKind::KeyName
        } else if self.one_key {
            PromptKind::OneKey
        } else if self.numeric {
            PromptKind::Numeric
        } else {
            PromptKind::Text
        };
        host.prompt(client, &label, &input, template, kind);
        Ok(Flow::Continue)
    }
}
