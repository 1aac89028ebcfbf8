use crate::host::SpawnSpec;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Start a window's program again in its first pane, the other panes
/// closed (after the program exited, with remain-on-exit), or another
/// command.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct RespawnWindow {
    /// Kill the running programs first if there are any.
    #[arg(short = 'k')]
    kill: bool,
    /// Working directory.
    #[arg(short = 'c', value_name = "start-directory")]
    cwd: Option<String>,
    /// Set VARIABLE=value for the program; repeatable.
    #[arg(short = 'e', value_name = "environment")]
    env: Vec<String>,
    /// The window.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
    /// Command to run instead of the first pane's first one.
    #[arg(value_name = "shell-command", trailing_var_arg = true)]
    command: Vec<String>,
}

impl Command for RespawnWindow {
    const NAME: &'static str = "respawn-window";
    const ALIAS: Option<&'static str> = Some("respawnw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let found = host.find(io, self.target.as_deref(), TargetKind::Window)?;
        let spawn = SpawnSpec {
            command: self.command,
            cwd: self.cwd,
            env: self.env,
        };
        host.respawn_window(io, &found, spawn, self.kill)?;
        Ok(Flow::Continue)
    }
}
