use crate::format::{expand, is_true, Lookup};
use crate::{CmdResult, Command, Flow, Host, Io};

const DEFAULT: &str = "#{buffer_name}: #{buffer_size} bytes: \"#{buffer_sample}\"";

/// List the paste buffers, most recent first.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListBuffers {
    /// Format of each line (buffer_name, buffer_size, buffer_sample).
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Only list buffers for which this format is true.
    #[arg(short = 'f', value_name = "filter")]
    filter: Option<String>,
}

struct Buffer<'a>(&'a str, &'a str);

impl Lookup for Buffer<'_> {
    fn var(&self, name: &str) -> Option<String> {
        match name {
            "buffer_name" => Some(self.0.to_string()),
            "buffer_size" => Some(self.1.len().to_string()),
            "buffer_sample" => Some(sample(self.1)),
            _ => None,
        }
    }
}

/// The start of a buffer with control characters made visible, as tmux
/// shows it.
pub fn sample(data: &str) -> String {
    let mut out = String::new();
    for c in data.chars().take(50) {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 32 => out.push_str(&format!("\\{:03o}", c as u32)),
            c => out.push(c),
        }
    }
    if data.chars().count() > 50 {
        out.push_str("...");
    }
    out
}

impl Command for ListBuffers {
    const NAME: &'static str = "list-buffers";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("lsb");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let fmt = self.format.as_deref().unwrap_or(DEFAULT);
        for (name, data) in host.buffer_list() {
            let b = Buffer(&name, &data);
            if self.filter.as_ref().is_some_and(|f| !is_true(&expand(f, &b))) {
                continue;
            }
            io.print(&expand(fmt, &b));
        }
        Ok(Flow::Continue)
    }
}
