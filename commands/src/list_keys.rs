use crate::keys::Key;
use crate::options::escape;
use crate::host::OptionScope;
use crate::{CmdResult, Command, Flow, Host, Io, bail};

/// List key bindings, as bind-key commands or, with -N, their notes.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListKeys {
    /// Only the first matching binding.
    #[arg(short = '1')]
    first: bool,
    /// With -N, keys without a note too, showing their commands.
    #[arg(short = 'a')]
    all: bool,
    /// List notes: keys with a note, as `prefix key  note`, from the root
    /// and prefix tables unless -T is given.
    #[arg(short = 'N')]
    notes: bool,
    /// With -N, what to show before prefix-table keys (default: the prefix
    /// key and a space).
    #[arg(short = 'P', value_name = "prefix-string")]
    prefix_string: Option<String>,
    /// Only this table.
    #[arg(short = 'T', value_name = "key-table")]
    table: Option<String>,
    /// Only this key.
    #[arg(value_name = "key")]
    key: Option<String>,
}

impl Command for ListKeys {
    const NAME: &'static str = "list-keys";
    const ACCESS: crate::Access = crate::Access::Read;
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
        if let (Some(k), true) = (&self.key, chosen.is_empty()) {
            bail!("unknown key: {k}");
        }
        let mut lines = Vec::new();
        if self.notes {
            let prefix = match &self.prefix_string {
                Some(p) => p.clone(),
                None => {
                    let key = host
                        .options(OptionScope::GlobalSession)
                        .and_then(|o| o.get("prefix"))
                        .map_or("C-b".to_string(), |v| v.as_str().to_string());
                    format!("{key} ")
                }
            };
            let tables = match self.table.as_deref() {
                Some(t) => vec![t],
                None => vec!["root", "prefix"],
            };
            for t in tables {
                let in_table: Vec<_> = chosen
                    .iter()
                    .filter(|(table, _, b)| *table == t && (self.all || b.note.is_some()))
                    .collect();
                let width = in_table.iter().map(|(_, k, _)| k.to_string().len()).max().unwrap_or(0);
                for (table, k, b) in in_table {
                    let note = b.note.clone().unwrap_or_else(|| b.text());
                    let p = if *table == "prefix" { prefix.as_str() } else { "" };
                    lines.push(format!("{p}{:<width$} {note}", k.to_string()));
                }
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
