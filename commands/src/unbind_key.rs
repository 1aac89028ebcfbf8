use crate::keys::Key;
use crate::{bail, CmdResult, Command, Flow, Host, Io};

/// Remove a key binding, or every binding of a table with -a.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct UnbindKey {
    /// Remove every binding of the table.
    #[arg(short = 'a')]
    all: bool,
    /// The root table.
    #[arg(short = 'n')]
    root: bool,
    /// No error for a key that is not bound.
    #[arg(short = 'q')]
    quiet: bool,
    /// The key table (default prefix).
    #[arg(short = 'T', value_name = "key-table")]
    table: Option<String>,
    /// The key.
    #[arg(value_name = "key")]
    key: Option<String>,
}

impl Command for UnbindKey {
    const NAME: &'static str = "unbind-key";
    const ACCESS: crate::Access = crate::Access::Server;
    const ALIAS: Option<&'static str> = Some("unbind");

    fn exec(self, host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        let table = self
            .table
            .unwrap_or_else(|| if self.root { "root" } else { "prefix" }.to_string());
        if self.all {
            host.key_tables_mut().clear(&table);
            return Ok(Flow::Continue);
        }
        let Some(name) = self.key else {
            bail!("missing key");
        };
        let Some(key) = Key::parse(&name) else {
            if self.quiet {
                return Ok(Flow::Continue);
            }
            bail!("unknown key: {name}");
        };
        host.key_tables_mut().unbind(&table, &key);
        Ok(Flow::Continue)
    }
}
