use crate::host::TreeSpec;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Choose an agent from a list, in a pane, as choose-tree does sessions:
/// each agent's status dot, name, type, objective, group (`*` for its
/// coordinator), tokens and last activity, with a live preview of the
/// highlighted agent's pane. Enter switches to it, m sends it a message
/// (typed in a prompt), x stops it (once confirmed).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ChooseAgent {
    /// Without the preview of the agent under the cursor.
    #[arg(short = 'N')]
    no_preview: bool,
    /// Zoom the pane while choosing.
    #[arg(short = 'Z')]
    zoom: bool,
    /// The pane to show the list in.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// Command run on the choice, `%%` replaced by its session
    /// (default `switch-client -t '%%'`).
    #[arg(value_name = "template")]
    template: Option<String>,
}

impl Command for ChooseAgent {
    const NAME: &'static str = "choose-agent";
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        let spec = TreeSpec {
            template: self
                .template
                .unwrap_or_else(|| "switch-client -t '%%'".to_string()),
            preview: !self.no_preview,
            zoom: self.zoom,
            agents: true,
            ..TreeSpec::default()
        };
        host.choose_tree(io, pane, spec)?;
        Ok(Flow::Continue)
    }
}
