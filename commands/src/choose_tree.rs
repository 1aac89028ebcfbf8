use crate::host::TreeSpec;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Choose a session, window or pane from a tree, in a pane.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ChooseTree {
    /// Without the preview of the item under the cursor.
    #[arg(short = 'N')]
    no_preview: bool,
    /// Start with sessions collapsed.
    #[arg(short = 's')]
    sessions: bool,
    /// Start with windows collapsed.
    #[arg(short = 'w')]
    windows: bool,
    /// Zoom the pane while choosing.
    #[arg(short = 'Z')]
    zoom: bool,
    /// Show only the panes this format is true for, with their windows
    /// and sessions; everything if it matches nothing.
    #[arg(short = 'f', value_name = "filter")]
    filter: Option<String>,
    /// The pane to show the tree in.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// Command run on the choice, `%%` replaced by its target
    /// (default `switch-client -t '%%'`).
    #[arg(value_name = "template")]
    template: Option<String>,
}

impl Command for ChooseTree {
    const NAME: &'static str = "choose-tree";
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        let spec = TreeSpec {
            sessions_collapsed: self.sessions,
            windows_collapsed: self.windows,
            template: self
                .template
                .unwrap_or_else(|| "switch-client -t '%%'".to_string()),
            preview: !self.no_preview,
            zoom: self.zoom,
            filter: self.filter,
            ..TreeSpec::default()
        };
        host.choose_tree(io, pane, spec)?;
        Ok(Flow::Continue)
    }
}
