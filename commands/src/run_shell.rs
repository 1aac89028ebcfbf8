use crate::host::JobSpec;
use crate::util::parse_commands;
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Run a shell command and print its output; the client waits for it
/// unless -b is given, and exits with its status.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct RunShell {
    /// Run in the background: do not wait for the command.
    #[arg(short = 'b')]
    background: bool,
    /// The argument is an agmux command, not a shell command.
    #[arg(short = 'C')]
    command_mode: bool,
    /// Wait this many seconds before running.
    #[arg(short = 'd', value_name = "delay")]
    delay: Option<String>,
    /// The pane whose session's environment the command gets.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// The command.
    #[arg(value_name = "shell-command")]
    command: Option<String>,
}

impl Command for RunShell {
    const NAME: &'static str = "run-shell";
    const ALIAS: Option<&'static str> = Some("run");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let delay = match self.delay.as_deref() {
            None => None,
            Some(d) => Some(crate::util::seconds(d, "delay time")?),
        };
        let command = self.command.unwrap_or_default();
        if self.command_mode {
            return Ok(Flow::Insert(parse_commands(host, io, &command)?));
        }
        if command.is_empty() && delay.is_none() {
            bail!("no command given");
        }
        let at = host.find(io, self.target.as_deref(), TargetKind::Pane).ok();
        let job = JobSpec {
            command: command.clone(),
            cwd: io.caller.cwd.clone(),
            at,
            delay,
        };
        let then = Box::new(move |_: &mut dyn Host, io: &mut Io, r: crate::host::JobResult| {
            for (text, sink) in [(&r.output, &mut io.out), (&r.error, &mut io.err)] {
                sink.push_str(text);
                if !text.is_empty() && !text.ends_with('\n') {
                    sink.push('\n');
                }
            }
            if r.status > 128 {
                io.warn(&format!("'{command}' terminated by signal {}", r.status - 128));
            } else if r.status != 0 {
                io.warn(&format!("'{command}' returned {}", r.status));
            }
            io.status = r.status;
            Ok(Flow::Continue)
        });
        Ok(host.run_job(io, job, then, !self.background))
    }
}
