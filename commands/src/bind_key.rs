use crate::bindings::Binding;
use crate::keys::Key;
use crate::{bail, CmdResult, Command, Flow, Host, Io};

/// Bind a key to a command list in a key table (prefix by default).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct BindKey {
    /// Bind in the root table: no prefix needed.
    #[arg(short = 'n')]
    root: bool,
    /// The key may repeat without the prefix for repeat-time.
    #[arg(short = 'r')]
    repeat: bool,
    /// A note shown by list-keys -N.
    #[arg(short = 'N', value_name = "note")]
    note: Option<String>,
    /// The key table.
    #[arg(short = 'T', value_name = "key-table")]
    table: Option<String>,
    /// The key, as tmux names keys (C-a, M-x, F1, Enter...).
    #[arg(value_name = "key", required = true)]
    key: String,
    /// The command and its arguments; `\;` separates commands. One argument
    /// is parsed as command text.
    #[arg(value_name = "command", trailing_var_arg = true, allow_hyphen_values = true)]
    command: Vec<String>,
}

impl Command for BindKey {
    const NAME: &'static str = "bind-key";
    const ACCESS: crate::Access = crate::Access::Server;
    const ALIAS: Option<&'static str> = Some("bind");

    fn exec(self, host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        let Some(key) = Key::parse(&self.key) else {
            bail!("unknown key: {}", self.key);
        };
        let table = self
            .table
            .unwrap_or_else(|| if self.root { "root" } else { "prefix" }.to_string());
        let binding = match self.command.as_slice() {
            [] => bail!("no command given"),
            [one] => Binding::from_text(one, self.repeat, self.note).map_err(crate::CmdError)?,
            many => Binding::from_commands(crate::split_commands(many), self.repeat, self.note),
        };
        for c in &binding.commands {
            crate::lookup(&c[0])?.parse(&c[1..])?;
        }
        host.key_tables_mut().bind(&table, key, binding);
        Ok(Flow::Continue)
    }
}

/// The words of a parsed command, a bind-key's command words folded back
/// into one command text when some were `{ ... }` blocks: bind-key then
/// keeps which were blocks, to list them in braces as tmux does.
pub fn words_of(c: crate::parse::ParsedCommand) -> Vec<String> {
    let is_bind = crate::lookup(&c.argv[0]).is_ok_and(|e| e.name == BindKey::NAME);
    if !is_bind || c.blocks.is_empty() {
        return c.argv;
    }
    // Past bind-key's flags and its key.
    let mut i = 1;
    while let Some(w) = c.argv.get(i) {
        match w.as_str() {
            "--" => {
                i += 1;
                break;
            }
            w if w.starts_with('-') && w.len() > 1 && !c.blocks.contains(&i) => {
                // -N and -T take a value, attached or in the next word.
                let valued = w[1..].find(['N', 'T']);
                if valued.is_some_and(|at| at + 2 == w.len()) {
                    i += 1;
                }
                i += 1;
            }
            _ => break,
        }
    }
    let start = i + 1;
    if c.argv.len() <= start + 1 {
        return c.argv;
    }
    let text: Vec<String> = (start..c.argv.len())
        .map(|n| match c.argv[n].as_str() {
            _ if c.blocks.contains(&n) => format!("{{ {} }}", c.argv[n]),
            ";" => ";".to_string(),
            w => crate::options::escape(w),
        })
        .collect();
    let mut argv = c.argv[..start].to_vec();
    argv.push(text.join(" "));
    argv
}
