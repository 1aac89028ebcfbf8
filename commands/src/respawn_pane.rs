use crate::host::SpawnSpec;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Start the pane's program again (after it exited, with remain-on-exit),
/// or another command.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct RespawnPane {
    /// Kill the running program first if there is one.
    #[arg(short = 'k')]
    kill: bool,
    /// Working directory.
    #[arg(short = 'c', value_name = "start-directory")]
    cwd: Option<String>,
    /// Set VARIABLE=value for the program; repeatable.
    #[arg(short = 'e', value_name = "environment")]
    env: Vec<String>,
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// Command to run instead of the pane's first one.
    #[arg(value_name = "shell-command", trailing_var_arg = true)]
    command: Vec<String>,
}

impl Command for RespawnPane {
    const NAME: &'static str = "respawn-pane";
    const ALIAS: Option<&'static str> = Some("respawnp");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        let spawn = SpawnSpec {
            command: self.command,
            cwd: self.cwd,
            env: self.env,
        };
        host.respawn_pane(io, pane, spawn, self.kill)?;
        Ok(Flow::Continue)
    }
}
