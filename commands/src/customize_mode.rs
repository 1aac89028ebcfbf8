use crate::host::TreeSpec;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Browse and change options and key bindings in a pane: a tree of the
/// server, session and window & pane options (as they apply to the
/// target pane) and of every key table. Enter (or s) edits the value under
/// the cursor in the prompt (a flag or choice changes at once, a key's
/// Command, Note or Repeat its own), d resets it to its default, u unsets
/// it, H hides global options, q leaves.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct CustomizeMode {
    /// Without the preview of the item under the cursor.
    #[arg(short = 'N')]
    no_preview: bool,
    /// Zoom the pane while customizing.
    #[arg(short = 'Z')]
    zoom: bool,
    /// Format of each item (default: an option's value, a key's name).
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Show only the items this format is true for.
    #[arg(short = 'f', value_name = "filter")]
    filter: Option<String>,
    /// The pane to customize from (and to show the tree in).
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
}

impl Command for CustomizeMode {
    const NAME: &'static str = "customize-mode";
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        let spec = TreeSpec {
            preview: !self.no_preview,
            zoom: self.zoom,
            filter: self.filter,
            format: self.format,
            customize: true,
            ..TreeSpec::default()
        };
        host.choose_tree(io, pane, spec)?;
        Ok(Flow::Continue)
    }
}
