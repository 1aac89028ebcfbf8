use crate::format::is_true;
use crate::host::{JobResult, JobSpec};
use crate::util::parse_commands;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Run the first command if a shell command succeeds (or with -F, a format
/// is true), else the second.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct IfShell {
    /// Do not wait for the shell command.
    #[arg(short = 'b')]
    background: bool,
    /// The condition is a format, not a shell command.
    #[arg(short = 'F')]
    format: bool,
    /// The pane for formats and the shell command's environment.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// The condition.
    #[arg(value_name = "shell-command", required = true)]
    condition: String,
    /// Run when the condition holds.
    #[arg(value_name = "command", required = true)]
    then: String,
    /// Run otherwise.
    #[arg(value_name = "command")]
    otherwise: Option<String>,
}

fn choose(host: &dyn Host, io: &Io, ok: bool, then: &str, otherwise: Option<&str>) -> CmdResult<Flow> {
    match (ok, otherwise) {
        (true, _) => Ok(Flow::Insert(parse_commands(host, io, then)?)),
        (false, Some(o)) => Ok(Flow::Insert(parse_commands(host, io, o)?)),
        (false, None) => Ok(Flow::Continue),
    }
}

impl Command for IfShell {
    const NAME: &'static str = "if-shell";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("if");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let at = host.find(io, self.target.as_deref(), TargetKind::Pane).ok();
        let condition = host.expand(io, &self.condition, at.as_ref());
        if self.format {
            return choose(host, io, is_true(&condition), &self.then, self.otherwise.as_deref());
        }
        let job = JobSpec {
            command: condition,
            cwd: io.caller.cwd.clone(),
            at,
            delay: None,
        };
        let (then, otherwise) = (self.then, self.otherwise);
        let next = Box::new(move |host: &mut dyn Host, io: &mut Io, r: JobResult| {
            choose(host, io, r.status == 0, &then, otherwise.as_deref())
        });
        Ok(host.run_job(io, job, next, !self.background))
    }
}
