use crate::keys::{Key, KeyCode};
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
        let found = if self.notes {
            let lines = self.list_notes(host, key);
            for line in &lines {
                // From a key binding (prefix /), one key's note is a
                // message, as in tmux.
                match io.caller.client {
                    Some(_) if self.first => host.show_message(io, line),
                    _ => io.print(line),
                }
            }
            !lines.is_empty()
        } else {
            self.list_bindings(host, io, key)
        };
        if let (Some(k), false) = (&self.key, found) {
            bail!("unknown key: {k}");
        }
        Ok(Flow::Continue)
    }
}

/// `s` padded with spaces to `width` columns; never cut, as tmux's
/// utf8_padcstr.
fn pad(s: &str, width: usize) -> String {
    format!("{s:<width$}")
}

impl ListKeys {
    /// Every binding as the bind-key command that makes it, in columns as
    /// wide as the widest table and (escaped) key listed. Returns whether
    /// any was listed.
    fn list_bindings(&self, host: &dyn Host, io: &mut Io, key: Option<Key>) -> bool {
        let tables = host.key_tables();
        let chosen: Vec<_> = tables
            .iter()
            .filter(|(t, k, _)| {
                self.table.as_deref().is_none_or(|want| want == *t)
                    && key.is_none_or(|want| want == **k)
            })
            .collect();
        let table_width = chosen.iter().map(|(t, _, _)| t.len()).max().unwrap_or(0);
        let key_width = chosen
            .iter()
            .map(|(_, k, _)| escape(&k.to_string()).chars().count())
            .max()
            .unwrap_or(0);
        // The -r column is there only if some binding repeats.
        let any_repeat = chosen.iter().any(|(_, _, b)| b.repeat);
        for (table, k, b) in &chosen {
            let r = match (any_repeat, b.repeat) {
                (false, _) => "",
                (true, true) => "-r ",
                (true, false) => "   ",
            };
            io.print(&format!(
                "bind-key {r}-T {} {} {}",
                pad(table, table_width),
                pad(&escape(&k.to_string()), key_width),
                b.listed()
            ));
        }
        !chosen.is_empty()
    }

    /// The notes of keys (mouse keys never), as `PREFIX key note`: the root
    /// and prefix tables unless -T names one; with -1, each table's first.
    fn list_notes(&self, host: &dyn Host, key: Option<Key>) -> Vec<String> {
        let tables = host.key_tables();
        let listed = |table: &str, all: bool| -> Vec<(Key, String)> {
            tables
                .iter()
                .filter(|(t, k, b)| {
                    *t == table
                        && key.is_none_or(|want| want == **k)
                        && !matches!(k.code, KeyCode::Mouse(_))
                        && (all || b.note.as_deref().is_some_and(|n| !n.is_empty()))
                })
                .map(|(_, k, b)| {
                    let note = match b.note.as_deref() {
                        Some(n) if !n.is_empty() => n.to_string(),
                        _ => b.listed(),
                    };
                    (*k, note)
                })
                .collect()
        };
        // As tmux, the width counts only keys that have a note, even with -a.
        let width = |table: &str| {
            listed(table, false)
                .iter()
                .map(|(k, _)| k.to_string().chars().count())
                .max()
                .unwrap_or(0)
        };
        let mut lines = Vec::new();
        match self.table.as_deref() {
            Some(t) => {
                let start = self.prefix_string.clone().unwrap_or_default();
                lines.push((start, width(t), listed(t, self.all)));
            }
            None => {
                let prefix = host
                    .options(OptionScope::GlobalSession)
                    .and_then(|o| o.get("prefix"))
                    .and_then(|v| Key::parse(v.as_str()));
                let start = match (&self.prefix_string, prefix) {
                    (Some(p), _) => p.clone(),
                    (None, Some(k)) => format!("{k} "),
                    (None, None) => String::new(),
                };
                let mut key_width = width("root");
                // No prefix key, or no prefix key with a note: no prefix table.
                let prefix_width = prefix.map_or(0, |_| width("prefix"));
                key_width = key_width.max(prefix_width);
                let empty = " ".repeat(start.chars().count());
                lines.push((empty, key_width, listed("root", self.all)));
                if prefix_width > 0 {
                    lines.push((start, key_width, listed("prefix", self.all)));
                }
            }
        }
        let mut out = Vec::new();
        for (start, key_width, keys) in lines {
            let take = if self.first { 1 } else { keys.len() };
            for (k, note) in keys.into_iter().take(take) {
                out.push(format!("{start}{}{note}", pad(&k.to_string(), key_width + 1)));
            }
        }
        out
    }
}
