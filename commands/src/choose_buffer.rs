use crate::host::{TreeList, TreeSpec};
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Choose a paste buffer from a list, in a pane, and run a command on it (by default, paste it). d deletes the buffer under the cursor.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ChooseBuffer {
    /// Without the preview of the item under the cursor.
    #[arg(short = 'N')]
    no_preview: bool,
    /// Zoom the pane while choosing.
    #[arg(short = 'Z')]
    zoom: bool,
    /// Reverse the order.
    #[arg(short = 'r')]
    reverse: bool,
    /// The shortcut keys' format (accepted; the keys are 0-9 then M-a
    /// to M-z).
    #[arg(short = 'K', value_name = "key-format")]
    key_format: Option<String>,
    /// The order of the list.
    #[arg(short = 'O', value_name = "sort-order")]
    sort: Option<String>,
    /// Format of each buffer after its name (default `#{t/p:buffer_created}: #{buffer_sample}`).
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Show only the items this format is true for.
    #[arg(short = 'f', value_name = "filter")]
    filter: Option<String>,
    /// The pane to show the list in.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// Command run on the choice, `%%` replaced by its name (default
    /// `paste-buffer -p -b '%%'`).
    #[arg(value_name = "template")]
    template: Option<String>,
}

impl Command for ChooseBuffer {
    const NAME: &'static str = "choose-buffer";
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let _ = &self.key_format;
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        let spec = TreeSpec {
            template: self
                .template
                .unwrap_or_else(|| "paste-buffer -p -b '%%'".to_string()),
            preview: !self.no_preview,
            zoom: self.zoom,
            filter: self.filter,
            list: Some(TreeList::Buffers),
            format: self.format,
            sort: self.sort,
            reverse: self.reverse,
            ..TreeSpec::default()
        };
        host.choose_tree(io, pane, spec)?;
        Ok(Flow::Continue)
    }
}
