use crate::{CmdResult, Command, Flow, Host, Io, bail};

/// Show each pane's number over it; typing a number runs a command on that
/// pane (by default, selects it).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct DisplayPanes {
    /// Do not wait for the numbers to go before the next command. agmux
    /// never waits, so this is the only way it runs.
    #[arg(short = 'b')]
    background: bool,
    /// Only show the numbers: typed numbers do nothing.
    #[arg(short = 'N')]
    no_keys: bool,
    /// How long to show the numbers, in milliseconds (default:
    /// display-panes-time).
    #[arg(short = 'd', value_name = "duration")]
    duration: Option<String>,
    /// The client to show them on.
    #[arg(short = 't', value_name = "target-client")]
    target: Option<String>,
    /// Run on the chosen pane, `%%` replaced by its id (default
    /// `select-pane -t '%%'`).
    #[arg(value_name = "template")]
    template: Option<String>,
}

impl Command for DisplayPanes {
    const NAME: &'static str = "display-panes";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("displayp");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let _ = self.background;
        let client = host.find_client(io, self.target.as_deref())?;
        let ms = match self.duration.as_deref() {
            None => None,
            Some(d) => match d.parse::<u64>() {
                Ok(ms) if ms > 0 => Some(ms),
                _ => bail!("invalid duration: {d}"),
            },
        };
        let template = self
            .template
            .unwrap_or_else(|| "select-pane -t '%%'".to_string());
        host.display_panes(client, template, ms, !self.no_keys);
        Ok(Flow::Continue)
    }
}
