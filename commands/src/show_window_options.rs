use crate::show_options::ShowOptions;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Show window options: show-options -w, under tmux's older name.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ShowWindowOptions {
    /// Show the global values.
    #[arg(short = 'g')]
    global: bool,
    /// Print only the value.
    #[arg(short = 'v')]
    value_only: bool,
    /// The window.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
    /// One option to show.
    #[arg(value_name = "option")]
    option: Option<String>,
}

impl Command for ShowWindowOptions {
    const NAME: &'static str = "show-window-options";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("showw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        ShowOptions {
            inherited: false,
            global: self.global,
            pane: false,
            quiet: false,
            server: false,
            value_only: self.value_only,
            window: true,
            target: self.target,
            option: self.option,
        }
        .exec(host, io)
    }
}
