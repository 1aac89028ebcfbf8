use crate::keys::Key;
use crate::options::escape;
use crate::{bail, CmdResult, Command, Flow, Host, Io};

/// List key bindings, as bind-key commands or, with -N, their notes.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListKeys {
    /// Only the first matching binding.
    #[arg(short = '1')]
    first: bool,
    /// List notes: keys with a note, as `prefix key  note`.
    #[arg(short = 'N')]
    notes: bool,
    /// Only this table.
    #[arg(short = 'T', value_name = "key-table")]
    table: Option<String>,
    /// Only this key.
    #[arg(value_name = "key")]
    key: Option<String>,
}

impl Command for ListKeys {
    const NAME: &'static str = "list-keys";
    const ALIAS: Option<&'static str> = Some("lsk");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let key = match &self.key {
            Some(k) => match Key::parse(k) {
                Some(k) => Some(k),
                None => bail!("invalid key: {k}"),
            },
            None => None,
        };
        if let Some(t) = &self.table
            && !host.key_tables().has_table(t)
        {
            bail!("table {t} doesn't exist");
        }
        let tables = host.key_tables();
        let chosen: Vec<_> = tables
            .iter()
            .filter(|(t, k, _)| self.table.as_deref().is_none_or(|want| want == *t) && key.is_none_or(|want| want == **k))
            .collect();
        let mut lines = Vec::new();
        if self.notes {
            for (table, k, b) in &chosen {
                let note = b.note.clone().unwrap_or_else(|| b.text());
                let prefix = if *table == "prefix" { "C-b " } else { "" };
                lines.push(format!("{prefix}{:<10} {note}", k.to_string()));
            }
        } else {
            let table_width = chosen.iter().map(|(t, _, _)| t.len()).max().unwrap_or(0);
            let key_width = chosen.iter().map(|(_, k, _)| escape(&k.to_string()).len()).max().unwrap_or(0);
            let any_repeat = chosen.iter().any(|(_, _, b)| b.repeat);
            for (table, k, b) in &chosen {
                let r = match (any_repeat, b.repeat) {
                    (false, _) => "",
                    (true, true) => "-r ",
                    (true, false) => "   ",
                };
                lines.push(format!(
                    "bind-key {r}-T {table:<table_width$} {:<key_width$} {}",
                    escape(&k.to_string()),
                    b.text()
                ));
            }
        }
        if self.first {
            lines.truncate(1);
        }
        for l in lines {
            io.print(&l);
        }
        Ok(Flow::Continue)
    }
}
