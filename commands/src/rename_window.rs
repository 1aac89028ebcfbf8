use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Rename a window (and stop automatic-rename from renaming it).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct RenameWindow {
    /// The window to rename.
    #[arg(short = 't', value_name = "target-window")]
    target: Option<String>,
    /// The new name.
    #[arg(value_name = "new-name", required = true)]
    name: String,
}

impl Command for RenameWindow {
    const NAME: &'static str = "rename-window";
    const ALIAS: Option<&'static str> = Some("renamew");
    const TARGET: Option<TargetKind> = Some(TargetKind::Window);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        crate::util::check_length("window name", &self.name)?;
        let found = host.find(io, self.target.as_deref(), TargetKind::Window)?;
        host.rename_window(found.window, &self.name);
        Ok(Flow::Continue)
    }
}
