use crate::set_option::SetOption;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Set a window option: set-option -w, under tmux's older name.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SetWindowOption {
    /// Append to the value (strings) or add an item (arrays).
    #[arg(short = 'a')]
    append: bool,
    /// Expand the value as a format first.
    #[arg(short = 'F')]
    format: bool,
    /// Set the global value, inherited where no other is set.
    #[arg(short = 'g')]
    global: bool,
    /// Do not overwrite a value already set.
    #[arg(short = 'o')]
    only_if_unset: bool,
    /// No error for an unknown option.
    #[arg(short = 'q')]
    quiet: bool,
    /// Unset the option, so the inherited value applies.
    #[arg(short = 'u')]
    unset: bool,
    /// The window.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
    /// The option, `name` or `name[index]` for arrays.
    #[arg(value_name = "option", required = true)]
    option: String,
    /// The value; a flag option with no value is toggled.
    #[arg(value_name = "value")]
    value: Option<String>,
}

impl Command for SetWindowOption {
    const NAME: &'static str = "set-window-option";
    const ALIAS: Option<&'static str> = Some("setw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        SetOption {
            append: self.append,
            format: self.format,
            global: self.global,
            only_if_unset: self.only_if_unset,
            pane: false,
            quiet: self.quiet,
            server: false,
            unset: self.unset,
            window: true,
            target: self.target,
            option: self.option,
            value: self.value,
        }
        .exec(host, io)
    }
}
