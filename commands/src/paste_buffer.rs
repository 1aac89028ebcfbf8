use crate::show_buffer::named;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Paste a buffer into a pane, as bracketed paste when the program asked.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct PasteBuffer {
    /// Delete the buffer after pasting.
    #[arg(short = 'd')]
    delete: bool,
    /// Use bracketed paste if the program turned it on.
    #[arg(short = 'p')]
    bracketed: bool,
    /// Keep line feeds (by default they become the separator).
    #[arg(short = 'r')]
    raw: bool,
    /// The buffer (default: the most recent).
    #[arg(short = 'b', value_name = "buffer-name")]
    buffer: Option<String>,
    /// Separator that replaces line feeds (default CR).
    #[arg(short = 's', value_name = "separator")]
    separator: Option<String>,
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
}

impl Command for PasteBuffer {
    const NAME: &'static str = "paste-buffer";
    const ALIAS: Option<&'static str> = Some("pasteb");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        let (name, data) = named(host, self.buffer.as_deref())?;
        let text = if self.raw {
            data
        } else {
            let sep = self.separator.as_deref().unwrap_or("\r");
            data.replace('\n', sep)
        };
        let bracket = self.bracketed && host.input_modes(pane).bracketed_paste;
        let mut bytes = Vec::with_capacity(text.len() + 12);
        if bracket {
            bytes.extend_from_slice(b"\x1b[200~");
        }
        bytes.extend_from_slice(text.as_bytes());
        if bracket {
            bytes.extend_from_slice(b"\x1b[201~");
        }
        host.write_pane(pane, &bytes)?;
        if self.delete {
            host.delete_buffer(Some(&name));
        }
        Ok(Flow::Continue)
    }
}
