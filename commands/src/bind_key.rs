use crate::bindings::{commands_of, Binding};
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
        let commands = match self.command.as_slice() {
            [] => bail!("no command given"),
            [one] => commands_of(one).map_err(crate::CmdError)?,
            many => crate::split_commands(many),
        };
        for c in &commands {
            crate::lookup(&c[0])?.parse(&c[1..])?;
        }
        host.key_tables_mut().bind(
            &table,
            key,
            Binding {
                commands,
                repeat: self.repeat,
                note: self.note,
            },
        );
        Ok(Flow::Continue)
    }
}
