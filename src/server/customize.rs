//! customize-mode: the tree mode of options and key bindings, as tmux's
//! window-customize.c draws it. The rows are built afresh from the
//! server's options and key tables each time, so a change made from the
//! tree (through set-option, bind-key and unbind-key, run as commands like
//! any other) shows at once. Options are those that apply to the target
//! pane: the server's, the session's over the global session ones, and the
//! pane's over its window's over the global window ones.

use super::formats::Ctx;
use super::state::State;
use super::tree::{Node, Row, TreeKey, TreeMode};
use commands::Found;
use commands::bindings::{Binding, KeyTables};
use commands::format::expand;
use commands::host::OptionScope;
use commands::keys::Key;
use commands::options::{self, Kind, Value, escape};
use std::hash::{Hash, Hasher};

/// tmux's default item format: an option's value (after its scope when
/// not global), a key's name.
pub const DEFAULT_FORMAT: &str = "#{?is_option,#{?option_is_global,,#[reverse](#{option_scope})#[default] }#[ignore]#{option_value}#{?option_unit, #{option_unit},},#{key}}";

/// Rows of the list above the preview, as tmux's customize height.
pub const PREVIEW_ROWS: usize = 12;

/// Options tmux 3.3a lets a pane have as well as a window: Enter sets
/// these on the pane.
const PANE_OPTIONS: &[&str] = &[
    "cursor-colour",
    "cursor-style",
    "allow-passthrough",
    "allow-rename",
    "alternate-screen",
    "pane-border-format",
    "pane-colours",
    "remain-on-exit",
    "remain-on-exit-format",
    "scroll-on-clear",
    "synchronize-panes",
    "window-active-style",
    "window-style",
];

/// The units tmux shows after some options' values.
const UNITS: &[(&str, &str)] = &[
    ("escape-time", "milliseconds"),
    ("assume-paste-time", "milliseconds"),
    ("display-panes-time", "milliseconds"),
    ("display-time", "milliseconds"),
    ("history-limit", "lines"),
    ("lock-after-time", "seconds"),
    ("repeat-time", "milliseconds"),
    ("status-interval", "seconds"),
];

fn unit(name: &str) -> &'static str {
    UNITS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, u)| u)
}

/// What a row of the tree is.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Section(&'static str),
    Option {
        scope: OptionScope,
        name: String,
        /// An array option's item; None for the option itself.
        index: Option<usize>,
    },
    Table(String),
    Key {
        table: String,
        key: Key,
    },
    /// A key's Command, Note or Repeat line.
    Field {
        table: String,
        key: Key,
        field: &'static str,
    },
}

impl Item {
    /// A node for the row that stays the same across rebuilds, so that
    /// the selection and what is expanded follow the item.
    fn node(&self) -> Node {
        let mut h = std::hash::DefaultHasher::new();
        match self {
            // An option is the same row whichever level holds its value:
            // setting it on the session keeps it selected.
            Item::Option { scope, name, index } => {
                let section = match scope {
                    OptionScope::Server => 0,
                    OptionScope::GlobalSession | OptionScope::Session(_) => 1,
                    _ => 2,
                };
                (section, name, index).hash(&mut h)
            }
            other => format!("{other:?}").hash(&mut h),
        }
        Node::Custom(h.finish())
    }
}

/// The row customize-mode starts on: the first section.
pub fn first_node() -> Node {
    Item::Section("Server Options").node()
}

/// A row and what it is.
pub struct Entry {
    pub row: Row,
    pub item: Item,
}

/// Where the options shown come from: the target pane's session, window
/// and pane.
fn scope_text(st: &State, scope: OptionScope, at: &Found) -> String {
    match scope {
        OptionScope::Pane(p) => {
            let index = st
                .windows
                .get(&at.window)
                .and_then(|w| w.panes.iter().position(|x| *x == p))
                .unwrap_or(0);
            let base = st.pane_opt(p, "pane-base-index").map_or(0, Value::as_num);
            format!("pane {}", index as i64 + base)
        }
        OptionScope::Session(s) => format!(
            "session {}",
            st.sessions.get(&s).map_or("", |x| x.name.as_str())
        ),
        OptionScope::Window(_) => format!("window {}", at.index),
        _ => String::new(),
    }
}

fn is_global(scope: OptionScope) -> bool {
    matches!(
        scope,
        OptionScope::Server | OptionScope::GlobalSession | OptionScope::GlobalWindow
    )
}

/// The command-line flags that name an option scope. Quoted, and a pane
/// named by its window and index: they go into prompt templates, where
/// `%1` would be taken for the answer.
fn scope_flags(st: &State, scope: OptionScope) -> String {
    match scope {
        OptionScope::Server => "-s".into(),
        OptionScope::GlobalSession => "-g".into(),
        OptionScope::GlobalWindow => "-gw".into(),
        OptionScope::Session(s) => format!("-t '{s}'"),
        OptionScope::Window(w) => format!("-w -t '{w}'"),
        OptionScope::Pane(p) => {
            let Some(pane) = st.panes.get(&p) else {
                return format!("-p -t '{p}'");
            };
            let w = pane.window;
            let index = st
                .windows
                .get(&w)
                .and_then(|x| x.panes.iter().position(|y| *y == p))
                .unwrap_or(0) as i64
                + st.pane_opt(p, "pane-base-index").map_or(0, Value::as_num);
            format!("-p -t '{w}.{index}'")
        }
    }
}

impl State {
    fn options_at(&self, scope: OptionScope) -> Option<&options::Options> {
        commands::Host::options(self, scope)
    }

    /// The three option sections and the key tables, as rows.
    pub fn customize_entries(&self, m: &TreeMode, filter: Option<&str>) -> Vec<Entry> {
        let Some(at) = m.customize.and_then(|p| self.found_pane(p)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let levels = [
            ("Server Options", vec![OptionScope::Server]),
            (
                "Session Options",
                vec![OptionScope::GlobalSession, OptionScope::Session(at.session)],
            ),
            (
                "Window & Pane Options",
                vec![
                    OptionScope::GlobalWindow,
                    OptionScope::Window(at.window),
                    OptionScope::Pane(at.pane),
                ],
            ),
        ];
        for (title, scopes) in levels {
            self.option_section(m, &mut out, title, &scopes, &at, filter);
        }
        self.key_sections(m, &mut out, &at, filter);
        finish_tree(&mut out);
        out
    }

    /// A section of options: user options first (as they are found), then
    /// the rest by name; each with its value from the most local scope.
    fn option_section(
        &self,
        m: &TreeMode,
        out: &mut Vec<Entry>,
        title: &'static str,
        scopes: &[OptionScope],
        at: &Found,
        filter: Option<&str>,
    ) {
        let top = Item::Section(title);
        let open = m.is_expanded(top.node());
        out.push(entry(top, 0, title.to_string(), true, open));
        let mut names: Vec<String> = Vec::new();
        for s in scopes {
            let Some(o) = self.options_at(*s) else {
                continue;
            };
            for (k, _) in o.iter().filter(|(k, _)| k.starts_with('@')) {
                if !names.iter().any(|n| n == k) {
                    names.push(k.to_string());
                }
            }
        }
        if let Some(o) = self.options_at(scopes[0]) {
            names.extend(
                o.iter()
                    .map(|(k, _)| k.to_string())
                    .filter(|k| !k.starts_with('@') && !commands::hooks::is_hook(k)),
            );
        }
        let mut count = 0;
        for name in names {
            // The most local scope that has it.
            let found = scopes.iter().rev().find_map(|s| {
                let v = self.options_at(*s)?.get(&name)?;
                Some((*s, v.clone()))
            });
            let Some((scope, value)) = found else {
                continue;
            };
            if m.hide_global && is_global(scope) {
                continue;
            }
            let vars = option_vars(self, scope, &name, &value, at);
            let ctx = || {
                let mut c = Ctx::new(self, Some(at));
                c.vars = &vars;
                c
            };
            if filter.is_some_and(|f| !commands::format::is_true(&expand(f, &ctx()))) {
                continue;
            }
            count += 1;
            if !open {
                continue;
            }
            let format = m.format.as_deref().unwrap_or(DEFAULT_FORMAT);
            let item = Item::Option {
                scope,
                name: name.clone(),
                index: None,
            };
            match &value {
                Value::Array(items) => {
                    let node_open = m.is_expanded(item.node());
                    out.push(entry(item, 1, name.clone(), !items.is_empty(), node_open));
                    if !node_open {
                        continue;
                    }
                    for (i, v) in items.iter().enumerate() {
                        let mut vars = vars.clone();
                        set_var(&mut vars, "option_name", &format!("{name}[{i}]"));
                        set_var(&mut vars, "option_value", v);
                        let mut c = Ctx::new(self, Some(at));
                        c.vars = &vars;
                        let text = format!("{name}[{i}]: {}", expand(format, &c));
                        let item = Item::Option {
                            scope,
                            name: name.clone(),
                            index: Some(i),
                        };
                        out.push(entry(item, 2, text, false, false));
                    }
                }
                _ => {
                    let text = format!("{name}: {}", expand(format, &ctx()));
                    out.push(entry(item, 1, text, false, false));
                }
            }
        }
        // A section stays with nothing in it, as in tmux, with no sign.
        mark_children(out, &Item::Section(title), count);
    }

    /// A section per key table that has keys: each key, and under it its
    /// command, note and whether it repeats.
    fn key_sections(&self, m: &TreeMode, out: &mut Vec<Entry>, at: &Found, filter: Option<&str>) {
        let tables = commands::Host::key_tables(self);
        let mut names: Vec<&str> = tables.iter().map(|(t, _, _)| t).collect();
        names.dedup();
        let format = m.format.as_deref().unwrap_or(DEFAULT_FORMAT);
        for table in names {
            let title = format!("Key Table - {table}");
            let top = Item::Table(table.to_string());
            let open = m.is_expanded(top.node());
            out.push(entry(top.clone(), 0, title, true, open));
            let mut count = 0;
            for (_, key, b) in tables.iter().filter(|(t, _, _)| *t == table) {
                let vars = key_vars(key, b);
                let mut c = Ctx::new(self, Some(at));
                c.vars = &vars;
                if filter.is_some_and(|f| !commands::format::is_true(&expand(f, &c))) {
                    continue;
                }
                count += 1;
                if !open {
                    continue;
                }
                let item = Item::Key {
                    table: table.to_string(),
                    key: *key,
                };
                let key_open = m.is_expanded(item.node());
                out.push(entry(item, 1, expand(format, &c), true, key_open));
                if !key_open {
                    continue;
                }
                let note = b.note.clone().unwrap_or_default();
                let repeat = if b.repeat { "on" } else { "off" };
                for (field, text) in [
                    ("Command", format!("#[ignore]{}", b.text())),
                    ("Note", format!("#[ignore]{note}")),
                    ("Repeat", repeat.to_string()),
                ] {
                    let item = Item::Field {
                        table: table.to_string(),
                        key: *key,
                        field,
                    };
                    out.push(entry(item, 2, format!("{field}: {text}"), false, false));
                }
            }
            mark_children(out, &top, count);
        }
    }

    /// The item a row is, in the mode's current tree.
    pub fn customize_item(&self, m: &TreeMode, node: Node) -> Option<Item> {
        self.customize_entries(m, m.filter.as_deref())
            .into_iter()
            .find(|e| e.row.node == node)
            .map(|e| e.item)
    }

    /// A key in customize mode: what tmux's window_customize_key does with
    /// it, as a command to run (set-option, bind-key, unbind-key, or a
    /// prompt for them); None leaves the key to the tree's own.
    pub fn customize_key(&self, m: &mut TreeMode, node: Node, key: &str) -> Option<TreeKey> {
        let item = self.customize_item(m, node);
        let at = m.customize.and_then(|p| self.found_pane(p))?;
        let run = |c: Option<String>| Some(c.map_or(TreeKey::Stay, TreeKey::Run));
        match (key, item) {
            ("H", _) => {
                m.hide_global = !m.hide_global;
                Some(TreeKey::Stay)
            }
            ("Enter" | "s", Some(Item::Field { table, key, field })) => {
                run(self.edit_key(&table, &key, field))
            }
            ("Enter" | "s", Some(Item::Option { scope, name, index })) => {
                run(self.edit_option(scope, &name, index, false, true, &at))
            }
            ("w", Some(Item::Option { scope, name, index })) => {
                run(self.edit_option(scope, &name, index, false, false, &at))
            }
            ("S" | "W", Some(Item::Option { scope, name, index })) => {
                run(self.edit_option(scope, &name, index, true, false, &at))
            }
            (
                "d",
                Some(Item::Option {
                    scope,
                    name,
                    index: None,
                }),
            ) => {
                let cmd = format!("set-option {} -u {name}", scope_flags(self, scope));
                run(Some(confirm(&format!("Reset {name} to default? "), &cmd)))
            }
            ("d", Some(Item::Key { table, key } | Item::Field { table, key, .. })) => {
                let cmd = reset_key(&self.default_keys(), &table, &key);
                run(Some(confirm(&format!("Reset {key} to default? "), &cmd)))
            }
            ("u", Some(Item::Option { scope, name, index })) => {
                let (what, cmd) = match index {
                    Some(i) => (
                        format!("{name}[{i}]"),
                        format!("set-option {} -u {name}[{i}]", scope_flags(self, scope)),
                    ),
                    None => (
                        name.clone(),
                        format!("set-option {} -u {name}", scope_flags(self, scope)),
                    ),
                };
                run(Some(confirm(&format!("Unset {what}? "), &cmd)))
            }
            ("u", Some(Item::Key { table, key } | Item::Field { table, key, .. })) => {
                let cmd = format!(
                    "unbind-key -T {} {}",
                    escape(&table),
                    escape(&key.to_string())
                );
                run(Some(confirm(&format!("Unset {key}? "), &cmd)))
            }
            // Keys that act on an item do nothing on the others.
            ("Enter" | "s" | "w" | "S" | "W" | "d" | "u", _) => Some(TreeKey::Stay),
            _ => None,
        }
    }

    /// Enter on an option, as tmux's window_customize_set_option: a flag
    /// toggles and a choice moves on at once; anything else is asked for
    /// in the prompt, with its value to edit. `global` sets the global
    /// value; otherwise the most local one (`pane` allows a pane's).
    fn edit_option(
        &self,
        scope: OptionScope,
        name: &str,
        index: Option<usize>,
        global: bool,
        pane: bool,
        at: &Found,
    ) -> Option<String> {
        let def = options::lookup(name);
        let value = self.options_at(scope)?.get(name)?.clone();
        let pane = pane && PANE_OPTIONS.contains(&name);
        let target = if matches!(value, Value::Array(_)) {
            scope
        } else if global {
            match scope {
                OptionScope::Session(_) => OptionScope::GlobalSession,
                OptionScope::Window(_) | OptionScope::Pane(_) => OptionScope::GlobalWindow,
                s => s,
            }
        } else {
            match scope {
                OptionScope::GlobalSession => OptionScope::Session(at.session),
                OptionScope::GlobalWindow | OptionScope::Window(_) | OptionScope::Pane(_)
                    if pane =>
                {
                    OptionScope::Pane(at.pane)
                }
                OptionScope::GlobalWindow | OptionScope::Pane(_) => OptionScope::Window(at.window),
                s => s,
            }
        };
        let flags = scope_flags(self, target);
        let current = self
            .options_at(target)
            .and_then(|o| o.get(name))
            .cloned()
            .unwrap_or_else(|| value.clone());
        match def.map(|d| d.kind) {
            Some(Kind::Flag) => {
                let next = if current.as_flag() { "off" } else { "on" };
                return Some(format!("set-option {flags} {name} {next}"));
            }
            Some(Kind::Choice(choices)) => {
                let now = choices.iter().position(|c| *c == current.as_str());
                let next = now.map_or(0, |i| (i + 1) % choices.len());
                return Some(format!("set-option {flags} {name} {}", choices[next]));
            }
            _ => {}
        }
        let text = scope_text(self, target, at);
        let space = if !text.is_empty() {
            ", for "
        } else if target != OptionScope::Server {
            ", global"
        } else {
            ""
        };
        let (label, option, shown) = match (&value, index) {
            (Value::Array(items), None) => (
                format!("{name}[+]"),
                format!("{name}[{}]", items.len()),
                String::new(),
            ),
            (Value::Array(items), Some(i)) => (
                format!("{name}[{i}]"),
                format!("{name}[{i}]"),
                items.get(i).cloned().unwrap_or_default(),
            ),
            (v, _) => (name.to_string(), name.to_string(), v.to_text()),
        };
        // command-prompt puts the space after it.
        let prompt = format!("({label}{space}{text})");
        let template = format!("set-option {flags} {option} \"%%%\"");
        // The prompt and its text are formats: what is shown must be what
        // is there.
        Some(format!(
            "command-prompt -p {} -I {} {}",
            escape(&prompt.replace('#', "##")),
            escape(&shown.replace('#', "##")),
            escape(&template)
        ))
    }

    /// Enter on a key's line: its command or note in the prompt, its
    /// repeat flag toggled.
    fn edit_key(&self, table: &str, key: &Key, field: &str) -> Option<String> {
        let b = commands::Host::key_tables(self).get(table, key)?.clone();
        let (initial, template) = match field {
            "Repeat" => {
                let mut b = b.clone();
                b.repeat = !b.repeat;
                return Some(bind_command(table, key, &b));
            }
            // The answer is the new command list, parsed as bind-key
            // parses one argument.
            "Command" => (
                b.text(),
                format!(
                    "{} \"%%%\"",
                    bind_head(table, key, b.repeat, b.note.as_deref())
                ),
            ),
            "Note" => (
                b.note.clone().unwrap_or_default(),
                format!(
                    "{} {{ {} }}",
                    bind_head(table, key, b.repeat, Some("\u{0}")),
                    b.text()
                )
                .replace(&escape("\u{0}"), "\"%%%\""),
            ),
            _ => return None,
        };
        Some(format!(
            "command-prompt -p {} -I {} {}",
            escape(&format!("({key})")),
            escape(&initial.replace('#', "##")),
            escape(&template)
        ))
    }

    /// The preview's title and lines for the item under the cursor.
    pub fn customize_preview(&self, m: &TreeMode, node: Node) -> Option<(String, Vec<String>)> {
        let at = m.customize.and_then(|p| self.found_pane(p))?;
        match self.customize_item(m, node)? {
            Item::Section(title) => Some((title.to_string(), Vec::new())),
            Item::Table(t) => Some((format!("Key Table - {t}"), Vec::new())),
            Item::Option { scope, name, index } => {
                let title = match index {
                    Some(i) => format!("{name}[{i}]"),
                    None => name.clone(),
                };
                Some((title, self.option_preview(scope, &name, index, &at)))
            }
            Item::Key { table, key } | Item::Field { table, key, .. } => {
                Some((key.to_string(), self.key_preview(&table, &key)))
            }
        }
    }

    fn option_preview(
        &self,
        scope: OptionScope,
        name: &str,
        index: Option<usize>,
        at: &Found,
    ) -> Vec<String> {
        let def = options::lookup(name);
        let Some(value) = self.options_at(scope).and_then(|o| o.get(name)).cloned() else {
            return Vec::new();
        };
        let unit = unit(name);
        let with_unit = |v: &str| {
            if unit.is_empty() {
                v.to_string()
            } else {
                format!("{v} {unit}")
            }
        };
        let mut out = vec![
            def.map_or("This option doesn't have a description.", |d| d.text)
                .to_string(),
            String::new(),
        ];
        let kind = match def.map(|d| d.scope) {
            None => "user",
            Some(options::Scope::Window) if PANE_OPTIONS.contains(&name) => "window and pane",
            Some(options::Scope::Window) => "window",
            Some(options::Scope::Session) => "session",
            Some(options::Scope::Server) => "server",
        };
        out.push(format!("This is a {kind} option."));
        if let Value::Array(items) = &value {
            match index {
                Some(i) => out.push(format!("This is an array option, index {i}.")),
                None => {
                    out.push("This is an array option.".into());
                    return out;
                }
            }
            out.push(String::new());
            let v = items.get(index.unwrap_or(0)).cloned().unwrap_or_default();
            out.push(format!("Option value: {}", with_unit(&v)));
            return out;
        }
        out.push(String::new());
        let text = value.to_text();
        out.push(format!("Option value: {}", with_unit(&text)));
        if matches!(def.map(|d| d.kind), None | Some(Kind::Str)) {
            let expanded = expand(&text, &Ctx::new(self, Some(at)));
            if expanded != text {
                out.push(format!("This expands to: {expanded}"));
            }
        }
        if let Some(Kind::Choice(choices)) = def.map(|d| d.kind) {
            out.push(format!("Available values are: {}", choices.join(", ")));
        }
        if let Some(d) = def {
            let default = options::default_value(d).to_text();
            if default != text {
                out.push(format!("The default is: {}", with_unit(&default)));
            }
        }
        out.push(String::new());
        // Where the value would come from without this one.
        let (window, global) = match scope {
            OptionScope::Pane(_) => (
                Some(OptionScope::Window(at.window)),
                Some(OptionScope::GlobalWindow),
            ),
            OptionScope::Window(_) => (None, Some(OptionScope::GlobalWindow)),
            OptionScope::Session(_) => (None, Some(OptionScope::GlobalSession)),
            _ => (None, None),
        };
        if let Some(v) = window.and_then(|s| self.options_at(s)?.get(name).cloned()) {
            out.push(format!(
                "Window value (from window {}): {}",
                at.index,
                with_unit(&v.to_text())
            ));
        }
        if let Some(v) = global.and_then(|s| self.options_at(s)?.get(name).cloned()) {
            out.push(format!("Global value: {}", with_unit(&v.to_text())));
        }
        out
    }

    /// The bindings a server of this flavour starts with.
    fn default_keys(&self) -> KeyTables {
        KeyTables::defaults_for(self.info.flavor == crate::paths::Flavor::Agmux)
    }

    fn key_preview(&self, table: &str, key: &Key) -> Vec<String> {
        let Some(b) = commands::Host::key_tables(self).get(table, key) else {
            return Vec::new();
        };
        let mut note = b
            .note
            .clone()
            .unwrap_or_else(|| "There is no note for this key.".into());
        if !note.is_empty() && !note.ends_with('.') {
            note.push('.');
        }
        let repeat = if b.repeat { "does" } else { "does not" };
        let command = b.text();
        let mut out = vec![
            note,
            String::new(),
            format!("This key is in the {table} table."),
            format!("This key {repeat} repeat."),
            String::new(),
            format!("Command: {command}"),
        ];
        if let Some(d) = self.default_keys().get(table, key)
            && d.text() != command
        {
            out.push(format!("The default is: {}", d.text()));
        }
        out
    }
}

/// `bind-key` and its flags, up to the commands.
fn bind_head(table: &str, key: &Key, repeat: bool, note: Option<&str>) -> String {
    let mut words = vec!["bind-key".to_string()];
    if repeat {
        words.push("-r".into());
    }
    if let Some(n) = note {
        words.push("-N".into());
        words.push(escape(n));
    }
    words.push("-T".into());
    words.push(escape(table));
    words.push(escape(&key.to_string()));
    words.join(" ")
}

/// `bind-key` for a binding as it is: its commands as tmux prints them,
/// in one block so that bind-key reads them back as the same list (blocks
/// inside staying blocks).
fn bind_command(table: &str, key: &Key, b: &Binding) -> String {
    format!(
        "{} {{ {} }}",
        bind_head(table, key, b.repeat, b.note.as_deref()),
        b.text()
    )
}

/// What d does to a key: its default binding back, or no binding.
fn reset_key(defaults: &KeyTables, table: &str, key: &Key) -> String {
    match defaults.get(table, key) {
        Some(b) => bind_command(table, key, b),
        None => format!(
            "unbind-key -T {} {}",
            escape(table),
            escape(&key.to_string())
        ),
    }
}

/// A yes/no question before a change, as tmux's single-key prompts.
fn confirm(question: &str, command: &str) -> String {
    format!(
        "confirm-before -p {} {}",
        escape(&question.trim_end().replace('#', "##")),
        escape(command)
    )
}

fn set_var(vars: &mut Vec<(String, String)>, name: &str, value: &str) {
    vars.retain(|(n, _)| n != name);
    vars.push((name.to_string(), value.to_string()));
}

/// The format variables of an option's row.
fn option_vars(
    st: &State,
    scope: OptionScope,
    name: &str,
    value: &Value,
    at: &Found,
) -> Vec<(String, String)> {
    let array = matches!(value, Value::Array(_));
    let mut v = vec![
        ("is_option".to_string(), "1".to_string()),
        ("is_key".to_string(), "0".to_string()),
        ("option_name".to_string(), name.to_string()),
        (
            "option_is_global".to_string(),
            (is_global(scope) as u8).to_string(),
        ),
        ("option_is_array".to_string(), (array as u8).to_string()),
        ("option_scope".to_string(), scope_text(st, scope, at)),
        ("option_unit".to_string(), unit(name).to_string()),
    ];
    if !array {
        v.push(("option_value".to_string(), value.to_text()));
    }
    v
}

/// The format variables of a key's row.
fn key_vars(key: &Key, b: &Binding) -> Vec<(String, String)> {
    let mut v = vec![
        ("is_option".to_string(), "0".to_string()),
        ("is_key".to_string(), "1".to_string()),
        ("key".to_string(), key.to_string()),
    ];
    if let Some(n) = &b.note {
        v.push(("key_note".to_string(), n.clone()));
    }
    v
}

/// A section row has children only if something in it passed the
/// filter.
fn mark_children(out: &mut [Entry], item: &Item, count: usize) {
    if let Some(e) = out.iter_mut().rev().find(|e| e.item == *item) {
        e.row.children = count > 0;
        e.row.expanded &= count > 0;
    }
}

fn entry(item: Item, depth: usize, text: String, children: bool, expanded: bool) -> Entry {
    Entry {
        row: Row {
            node: item.node(),
            depth,
            text,
            children,
            expanded: expanded && children,
            last: false,
            sign_room: false,
            ancestors_last: Vec::new(),
        },
        item,
    }
}

/// Works out which rows are the last of their siblings, which lists have
/// room for an expand sign, and the tree lines of their ancestors.
fn finish_tree(out: &mut [Entry]) {
    let n = out.len();
    for i in 0..n {
        let d = out[i].row.depth;
        // Siblings: the following rows at the same depth before one that
        // is shallower.
        let next_sibling = out[i + 1..]
            .iter()
            .find(|e| e.row.depth <= d)
            .is_some_and(|e| e.row.depth == d);
        out[i].row.last = !next_sibling;
    }
    for i in 0..n {
        let d = out[i].row.depth;
        let start = out[..i]
            .iter()
            .rposition(|e| e.row.depth < d)
            .map_or(0, |p| p + 1);
        let end = out[i..]
            .iter()
            .position(|e| e.row.depth < d)
            .map_or(n, |p| p + i);
        let room = out[start..end]
            .iter()
            .any(|e| e.row.depth == d && e.row.children);
        out[i].row.sign_room = room;
        let mut anc = Vec::new();
        let mut depth = d;
        let mut j = i;
        while depth > 0 {
            let Some(p) = out[..j].iter().rposition(|e| e.row.depth < depth) else {
                break;
            };
            anc.push(out[p].row.last);
            depth = out[p].row.depth;
            j = p;
        }
        anc.reverse();
        out[i].row.ancestors_last = anc;
    }
}
