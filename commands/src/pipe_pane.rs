use crate::util::now;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Pipe a pane's output to a shell command (run with /bin/sh), or with -I
/// the command's output into the pane. Without a command, stop piping.
/// The command is a format, with strftime(3) escapes expanded.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct PipePane {
    /// Type the command's output into the pane.
    #[arg(short = 'I')]
    input: bool,
    /// Pipe the pane's output to the command (the default unless -I).
    #[arg(short = 'O')]
    output: bool,
    /// Only open a pipe if none was open: the same command toggles it.
    #[arg(short = 'o')]
    toggle: bool,
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// The command; none (or empty) only closes the pipe.
    #[arg(value_name = "shell-command")]
    command: Option<String>,
}

impl Command for PipePane {
    const NAME: &'static str = "pipe-pane";
    const ALIAS: Option<&'static str> = Some("pipep");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let found = host.find(io, self.target.as_deref(), TargetKind::Pane)?;
        let was_open = host.close_pipe(found.pane)?;
        let Some(command) = self.command.filter(|c| !c.is_empty()) else {
            return Ok(Flow::Continue);
        };
        if self.toggle && was_open {
            return Ok(Flow::Continue);
        }
        let (input, output) = if self.input {
            (true, self.output)
        } else {
            (false, true)
        };
        let command = crate::format::strftime(&command, now());
        let command = host.expand(io, &command, Some(&found));
        host.open_pipe(io, found.pane, &command, input, output)?;
        Ok(Flow::Continue)
    }
}
