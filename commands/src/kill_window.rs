use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Destroy a window and its panes.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct KillWindow {
    /// Kill every other window of the session instead.
    #[arg(short = 'a')]
    all_others: bool,
    /// The window to kill.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
}

impl Command for KillWindow {
    const NAME: &'static str = "kill-window";
    const ALIAS: Option<&'static str> = Some("killw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let found = host.find(io, self.target.as_deref(), TargetKind::Window)?;
        if self.all_others {
            for (_, w) in host.windows(found.session) {
                if w != found.window {
                    host.kill_window(w);
                }
            }
        } else {
            host.kill_window(found.window);
        }
        Ok(Flow::Continue)
    }
}
