use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Make the previously current window the current one again.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct LastWindow {
    /// The session to move in.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
}

impl Command for LastWindow {
    const NAME: &'static str = "last-window";
    const ALIAS: Option<&'static str> = Some("last");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let s = host.find(io, self.target.as_deref(), TargetKind::Session)?.session;
        let Some(index) = host.last_window(s) else {
            bail!("no last window");
        };
        host.select_window(s, index)?;
        Ok(Flow::Continue)
    }
}
