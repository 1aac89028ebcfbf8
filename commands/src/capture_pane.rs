use crate::host::{CaptureLine, CaptureSpec};
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Capture the contents of a pane, into a paste buffer or on stdout with -p.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct CapturePane {
    /// Capture the alternate screen.
    #[arg(short = 'a')]
    alternate: bool,
    /// Keep colours and attributes as escape sequences.
    #[arg(short = 'e')]
    escapes: bool,
    /// Join wrapped lines and keep trailing spaces.
    #[arg(short = 'J')]
    join: bool,
    /// Keep trailing spaces at the end of lines.
    #[arg(short = 'N')]
    trailing: bool,
    /// Print to stdout instead of a buffer.
    #[arg(short = 'p')]
    print: bool,
    /// Quiet: no error when there is no alternate screen.
    #[arg(short = 'q')]
    quiet: bool,
    /// The buffer to capture into.
    #[arg(short = 'b', value_name = "buffer-name")]
    buffer: Option<String>,
    /// Last line: 0 is the first visible line, `-` the last line of the screen.
    #[arg(short = 'E', value_name = "end-line", allow_negative_numbers = true)]
    end: Option<String>,
    /// First line: negative numbers reach into history, `-` is its start.
    #[arg(short = 'S', value_name = "start-line", allow_negative_numbers = true)]
    start: Option<String>,
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
}

fn line(s: &Option<String>, what: &str) -> CmdResult<Option<CaptureLine>> {
    match s.as_deref() {
        None => Ok(None),
        Some("-") => Ok(Some(CaptureLine::Edge)),
        Some(v) => match v.parse::<i64>() {
            Ok(n) => Ok(Some(CaptureLine::At(n))),
            Err(_) => bail!("{what} line invalid: {v}"),
        },
    }
}

impl Command for CapturePane {
    const NAME: &'static str = "capture-pane";
    const ACCESS: crate::Access = crate::Access::ReadContent;
    const ALIAS: Option<&'static str> = Some("capturep");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        let spec = CaptureSpec {
            start: line(&self.start, "start")?,
            end: line(&self.end, "end")?,
            escapes: self.escapes,
            join: self.join,
            trailing: self.trailing || self.join,
            alternate: self.alternate,
        };
        let text = match host.capture_pane(pane, spec) {
            Ok(t) => t,
            Err(_) if self.quiet && self.alternate => return Ok(Flow::Continue),
            Err(e) => return Err(e),
        };
        if self.print {
            io.out.push_str(&text);
        } else {
            host.set_buffer(self.buffer.as_deref(), text)?;
        }
        Ok(Flow::Continue)
    }
}
