//! Key tables: which command list a key runs in each table (`root`,
//! `prefix`, `copy-mode`, `copy-mode-vi`, or a user's own).

use crate::keys::Key;
use crate::options::escape;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The commands, each as its words.
    pub commands: Vec<Vec<String>>,
    /// The key may be pressed again without the prefix for repeat-time.
    pub repeat: bool,
    pub note: Option<String>,
}

impl Binding {
    /// The commands as list-keys shows them: `a -b "c d" \; e`.
    pub fn text(&self) -> String {
        self.commands
            .iter()
            .map(|argv| argv.iter().map(|w| escape(w)).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" \\; ")
    }
}

#[derive(Debug, Clone, Default)]
pub struct KeyTables {
    tables: BTreeMap<String, BTreeMap<Key, Binding>>,
}

/// tmux 3.3a's default bindings for the commands agmux has.
const DEFAULTS: &[(&str, &str, bool, &str)] = &[
    ("prefix", "C-b", false, "send-prefix"),
    ("prefix", "Space", false, "next-layout"),
    ("prefix", "!", false, "break-pane"),
    ("prefix", "\"", false, "split-window"),
    ("prefix", "#", false, "list-buffers"),
    (
        "prefix",
        "$",
        false,
        "command-prompt -I \"#S\" \"rename-session -- '%%'\"",
    ),
    ("prefix", "%", false, "split-window -h"),
    (
        "prefix",
        "&",
        false,
        "confirm-before -p \"kill-window #W? (y/n)\" kill-window",
    ),
    (
        "prefix",
        "'",
        false,
        "command-prompt -p index \"select-window -t ':%%'\"",
    ),
    ("prefix", "(", false, "switch-client -p"),
    ("prefix", ")", false, "switch-client -n"),
    (
        "prefix",
        ",",
        false,
        "command-prompt -I \"#W\" \"rename-window -- '%%'\"",
    ),
    ("prefix", "-", false, "delete-buffer"),
    ("prefix", "0", false, "select-window -t :=0"),
    ("prefix", "1", false, "select-window -t :=1"),
    ("prefix", "2", false, "select-window -t :=2"),
    ("prefix", "3", false, "select-window -t :=3"),
    ("prefix", "4", false, "select-window -t :=4"),
    ("prefix", "5", false, "select-window -t :=5"),
    ("prefix", "6", false, "select-window -t :=6"),
    ("prefix", "7", false, "select-window -t :=7"),
    ("prefix", "8", false, "select-window -t :=8"),
    ("prefix", "9", false, "select-window -t :=9"),
    ("prefix", ":", false, "command-prompt"),
    ("prefix", "=", false, "choose-buffer -Z"),
    ("prefix", ";", false, "last-pane"),
    ("prefix", "?", false, "list-keys -N"),
    ("prefix", "C", false, "customize-mode -Z"),
    ("prefix", "D", false, "choose-client -Z"),
    ("prefix", "L", false, "switch-client -l"),
    ("prefix", "[", false, "copy-mode"),
    ("prefix", "]", false, "paste-buffer -p"),
    ("prefix", "c", false, "new-window"),
    ("prefix", "d", false, "detach-client"),
    ("prefix", "i", false, "display-message"),
    ("prefix", "l", false, "last-window"),
    ("prefix", "n", false, "next-window"),
    ("prefix", "o", false, "select-pane -t :.+"),
    ("prefix", "p", false, "previous-window"),
    ("prefix", "q", false, "display-panes"),
    ("prefix", "r", false, "refresh-client"),
    ("prefix", "s", false, "choose-tree -Zs"),
    ("prefix", "t", false, "clock-mode"),
    ("prefix", "w", false, "choose-tree -Zw"),
    (
        "prefix",
        "x",
        false,
        "confirm-before -p \"kill-pane #P? (y/n)\" kill-pane",
    ),
    ("prefix", "z", false, "resize-pane -Z"),
    ("prefix", "{", false, "swap-pane -U"),
    ("prefix", "}", false, "swap-pane -D"),
    ("prefix", "PPage", false, "copy-mode -u"),
    ("prefix", "Up", true, "select-pane -U"),
    ("prefix", "Down", true, "select-pane -D"),
    ("prefix", "Left", true, "select-pane -L"),
    ("prefix", "Right", true, "select-pane -R"),
    ("prefix", "M-1", false, "select-layout even-horizontal"),
    ("prefix", "M-2", false, "select-layout even-vertical"),
    ("prefix", "M-3", false, "select-layout main-horizontal"),
    ("prefix", "M-4", false, "select-layout main-vertical"),
    ("prefix", "M-5", false, "select-layout tiled"),
    ("prefix", "M-Up", true, "resize-pane -U 5"),
    ("prefix", "M-Down", true, "resize-pane -D 5"),
    ("prefix", "M-Left", true, "resize-pane -L 5"),
    ("prefix", "M-Right", true, "resize-pane -R 5"),
    ("prefix", "C-Up", true, "resize-pane -U"),
    ("prefix", "C-Down", true, "resize-pane -D"),
    ("prefix", "C-Left", true, "resize-pane -L"),
    ("prefix", "C-Right", true, "resize-pane -R"),
    ("prefix", "C-z", false, "suspend-client"),
    (
        "root",
        "MouseDown1Pane",
        false,
        "select-pane -t = ; send-keys -M",
    ),
    ("root", "MouseDown1Status", false, "select-window -t ="),
    (
        "root",
        "MouseDown2Pane",
        false,
        "select-pane -t = ; if-shell -F \"#{||:#{pane_in_mode},#{mouse_any_flag}}\" { send-keys -M } { paste-buffer -p }",
    ),
    (
        "root",
        "MouseDrag1Pane",
        false,
        "if-shell -F \"#{||:#{pane_in_mode},#{mouse_any_flag}}\" { send-keys -M } { copy-mode -M }",
    ),
    ("root", "MouseDrag1Border", false, "resize-pane -M"),
    (
        "root",
        "WheelUpPane",
        false,
        "if-shell -F \"#{||:#{pane_in_mode},#{mouse_any_flag}}\" { send-keys -M } { copy-mode -e }",
    ),
    ("root", "WheelUpStatus", false, "previous-window"),
    ("root", "WheelDownStatus", false, "next-window"),
    ("copy-mode-vi", "MouseDown1Pane", false, "select-pane"),
    (
        "copy-mode-vi",
        "MouseDrag1Pane",
        false,
        "select-pane ; send-keys -X begin-selection",
    ),
    (
        "copy-mode-vi",
        "MouseDragEnd1Pane",
        false,
        "send-keys -X copy-pipe-and-cancel",
    ),
    (
        "copy-mode-vi",
        "WheelUpPane",
        false,
        "select-pane ; send-keys -X -N 5 scroll-up",
    ),
    (
        "copy-mode-vi",
        "WheelDownPane",
        false,
        "select-pane ; send-keys -X -N 5 scroll-down",
    ),
    ("copy-mode", "MouseDown1Pane", false, "select-pane"),
    (
        "copy-mode",
        "MouseDrag1Pane",
        false,
        "select-pane ; send-keys -X begin-selection",
    ),
    (
        "copy-mode",
        "MouseDragEnd1Pane",
        false,
        "send-keys -X copy-pipe-and-cancel",
    ),
    (
        "copy-mode",
        "WheelUpPane",
        false,
        "select-pane ; send-keys -X -N 5 scroll-up",
    ),
    (
        "copy-mode",
        "WheelDownPane",
        false,
        "select-pane ; send-keys -X -N 5 scroll-down",
    ),
    ("copy-mode-vi", "h", false, "send-keys -X cursor-left"),
    ("copy-mode-vi", "j", false, "send-keys -X cursor-down"),
    ("copy-mode-vi", "k", false, "send-keys -X cursor-up"),
    ("copy-mode-vi", "l", false, "send-keys -X cursor-right"),
    ("copy-mode-vi", "Left", false, "send-keys -X cursor-left"),
    ("copy-mode-vi", "Down", false, "send-keys -X cursor-down"),
    ("copy-mode-vi", "Up", false, "send-keys -X cursor-up"),
    ("copy-mode-vi", "Right", false, "send-keys -X cursor-right"),
    ("copy-mode-vi", "w", false, "send-keys -X next-word"),
    ("copy-mode-vi", "b", false, "send-keys -X previous-word"),
    ("copy-mode-vi", "e", false, "send-keys -X next-word-end"),
    ("copy-mode-vi", "W", false, "send-keys -X next-space"),
    ("copy-mode-vi", "B", false, "send-keys -X previous-space"),
    ("copy-mode-vi", "E", false, "send-keys -X next-space-end"),
    ("copy-mode-vi", "0", false, "send-keys -X start-of-line"),
    (
        "copy-mode-vi",
        "^",
        false,
        "send-keys -X back-to-indentation",
    ),
    ("copy-mode-vi", "$", false, "send-keys -X end-of-line"),
    ("copy-mode-vi", "g", false, "send-keys -X history-top"),
    ("copy-mode-vi", "G", false, "send-keys -X history-bottom"),
    ("copy-mode-vi", "H", false, "send-keys -X top-line"),
    ("copy-mode-vi", "M", false, "send-keys -X middle-line"),
    ("copy-mode-vi", "L", false, "send-keys -X bottom-line"),
    ("copy-mode-vi", "C-u", false, "send-keys -X halfpage-up"),
    ("copy-mode-vi", "C-d", false, "send-keys -X halfpage-down"),
    ("copy-mode-vi", "C-b", false, "send-keys -X page-up"),
    ("copy-mode-vi", "C-f", false, "send-keys -X page-down"),
    ("copy-mode-vi", "PPage", false, "send-keys -X page-up"),
    ("copy-mode-vi", "NPage", false, "send-keys -X page-down"),
    ("copy-mode-vi", "C-y", false, "send-keys -X scroll-up"),
    ("copy-mode-vi", "C-e", false, "send-keys -X scroll-down"),
    (
        "copy-mode-vi",
        "/",
        false,
        "command-prompt -p \"(search down)\" \"send-keys -X search-forward \\\"%%%\\\"\"",
    ),
    (
        "copy-mode-vi",
        "?",
        false,
        "command-prompt -p \"(search up)\" \"send-keys -X search-backward \\\"%%%\\\"\"",
    ),
    ("copy-mode-vi", "n", false, "send-keys -X search-again"),
    ("copy-mode-vi", "N", false, "send-keys -X search-reverse"),
    (
        "copy-mode-vi",
        "Space",
        false,
        "send-keys -X begin-selection",
    ),
    ("copy-mode-vi", "v", false, "send-keys -X rectangle-toggle"),
    ("copy-mode-vi", "V", false, "send-keys -X select-line"),
    (
        "copy-mode-vi",
        "Escape",
        false,
        "send-keys -X clear-selection",
    ),
    (
        "copy-mode-vi",
        "Enter",
        false,
        "send-keys -X copy-selection-and-cancel",
    ),
    ("copy-mode-vi", "D", false, "send-keys -X copy-end-of-line"),
    ("copy-mode-vi", "q", false, "send-keys -X cancel"),
    ("copy-mode-vi", "C-c", false, "send-keys -X cancel"),
    ("copy-mode", "Left", false, "send-keys -X cursor-left"),
    ("copy-mode", "Right", false, "send-keys -X cursor-right"),
    ("copy-mode", "Up", false, "send-keys -X cursor-up"),
    ("copy-mode", "Down", false, "send-keys -X cursor-down"),
    ("copy-mode", "C-b", false, "send-keys -X cursor-left"),
    ("copy-mode", "C-f", false, "send-keys -X cursor-right"),
    ("copy-mode", "C-p", false, "send-keys -X cursor-up"),
    ("copy-mode", "C-n", false, "send-keys -X cursor-down"),
    ("copy-mode", "C-a", false, "send-keys -X start-of-line"),
    ("copy-mode", "C-e", false, "send-keys -X end-of-line"),
    (
        "copy-mode",
        "M-m",
        false,
        "send-keys -X back-to-indentation",
    ),
    ("copy-mode", "M-f", false, "send-keys -X next-word-end"),
    ("copy-mode", "M-b", false, "send-keys -X previous-word"),
    ("copy-mode", "M-<", false, "send-keys -X history-top"),
    ("copy-mode", "M->", false, "send-keys -X history-bottom"),
    ("copy-mode", "M-v", false, "send-keys -X page-up"),
    ("copy-mode", "C-v", false, "send-keys -X page-down"),
    ("copy-mode", "PPage", false, "send-keys -X page-up"),
    ("copy-mode", "NPage", false, "send-keys -X page-down"),
    ("copy-mode", "C-Up", false, "send-keys -X scroll-up"),
    ("copy-mode", "C-Down", false, "send-keys -X scroll-down"),
    (
        "copy-mode",
        "C-s",
        false,
        "command-prompt -p \"(search down)\" \"send-keys -X search-forward \\\"%%%\\\"\"",
    ),
    (
        "copy-mode",
        "C-r",
        false,
        "command-prompt -p \"(search up)\" \"send-keys -X search-backward \\\"%%%\\\"\"",
    ),
    ("copy-mode", "n", false, "send-keys -X search-again"),
    ("copy-mode", "N", false, "send-keys -X search-reverse"),
    (
        "copy-mode",
        "C-Space",
        false,
        "send-keys -X begin-selection",
    ),
    ("copy-mode", "R", false, "send-keys -X rectangle-toggle"),
    ("copy-mode", "C-g", false, "send-keys -X clear-selection"),
    (
        "copy-mode",
        "M-w",
        false,
        "send-keys -X copy-selection-and-cancel",
    ),
    (
        "copy-mode",
        "C-w",
        false,
        "send-keys -X copy-selection-and-cancel",
    ),
    ("copy-mode", "q", false, "send-keys -X cancel"),
    ("copy-mode", "Escape", false, "send-keys -X cancel"),
    ("copy-mode", "C-c", false, "send-keys -X cancel"),
];

/// tmux's notes for its default prefix keys, shown by list-keys -N (and
/// prefix ?).
const NOTES: &[(&str, &str)] = &[
    ("C-b", "Send the prefix key"),
    ("Space", "Select next layout"),
    ("!", "Break pane to a new window"),
    ("\"", "Split window vertically"),
    ("#", "List all paste buffers"),
    ("$", "Rename current session"),
    ("%", "Split window horizontally"),
    ("&", "Kill current window"),
    ("'", "Prompt for window index to select"),
    ("(", "Switch to previous client"),
    (")", "Switch to next client"),
    (",", "Rename current window"),
    ("-", "Delete the most recent paste buffer"),
    ("0", "Select window 0"),
    ("1", "Select window 1"),
    ("2", "Select window 2"),
    ("3", "Select window 3"),
    ("4", "Select window 4"),
    ("5", "Select window 5"),
    ("6", "Select window 6"),
    ("7", "Select window 7"),
    ("8", "Select window 8"),
    ("9", "Select window 9"),
    (":", "Prompt for a command"),
    (";", "Move to the previously active pane"),
    ("?", "List key bindings"),
    ("C", "Customize options"),
    ("D", "Choose a client from a list"),
    ("L", "Switch to the last client"),
    ("[", "Enter copy mode"),
    ("]", "Paste the most recent paste buffer"),
    ("c", "Create a new window"),
    ("d", "Detach the current client"),
    ("i", "Display window information"),
    ("l", "Select the previously current window"),
    ("n", "Select the next window"),
    ("o", "Select the next pane"),
    ("p", "Select the previous window"),
    ("q", "Display pane numbers"),
    ("r", "Redraw the current client"),
    ("s", "Choose a session from a list"),
    ("w", "Choose a window from a list"),
    ("x", "Kill the active pane"),
    ("z", "Zoom the active pane"),
    ("{", "Swap the active pane with the pane above"),
    ("}", "Swap the active pane with the pane below"),
    ("PPage", "Enter copy mode and scroll up"),
    ("Up", "Select the pane above the active pane"),
    ("Down", "Select the pane below the active pane"),
    ("Left", "Select the pane to the left of the active pane"),
    ("Right", "Select the pane to the right of the active pane"),
    ("M-1", "Set the even-horizontal layout"),
    ("M-2", "Set the even-vertical layout"),
    ("M-3", "Set the main-horizontal layout"),
    ("M-4", "Set the main-vertical layout"),
    ("M-5", "Select the tiled layout"),
    ("M-Up", "Resize the pane up by 5"),
    ("M-Down", "Resize the pane down by 5"),
    ("M-Left", "Resize the pane left by 5"),
    ("M-Right", "Resize the pane right by 5"),
    ("C-Up", "Resize the pane up"),
    ("C-Down", "Resize the pane down"),
    ("C-Left", "Resize the pane left"),
    ("C-Right", "Resize the pane right"),
];

impl KeyTables {
    /// The default tables; with `agmux`, also agmux's own (prefix A:
    /// choose-agent), which agmux invoked as tmux leaves out so that its
    /// keys are tmux's exactly.
    pub fn defaults_for(agmux: bool) -> KeyTables {
        let mut t = KeyTables::defaults();
        if agmux && let Some(key) = Key::parse("A") {
            let binding = Binding {
                commands: vec![vec!["choose-agent".to_string(), "-Z".to_string()]],
                repeat: false,
                note: Some("Choose an agent from a list".to_string()),
            };
            t.bind("prefix", key, binding);
        }
        t
    }

    /// The default tables. Commands agmux does not have yet are left out.
    pub fn defaults() -> KeyTables {
        let mut t = KeyTables::default();
        for (table, key, repeat, text) in DEFAULTS {
            let (Some(key), Ok(commands)) = (Key::parse(key), commands_of(text)) else {
                continue;
            };
            if commands.iter().all(|c| crate::lookup(&c[0]).is_ok()) {
                let note = NOTES
                    .iter()
                    .find(|(k, _)| *table == "prefix" && Key::parse(k) == Some(key))
                    .map(|(_, n)| n.to_string());
                t.bind(
                    table,
                    key,
                    Binding {
                        commands,
                        repeat: *repeat,
                        note,
                    },
                );
            }
        }
        t
    }

    pub fn bind(&mut self, table: &str, key: Key, binding: Binding) {
        self.tables
            .entry(table.to_string())
            .or_default()
            .insert(key, binding);
    }

    pub fn unbind(&mut self, table: &str, key: &Key) -> bool {
        let removed = self
            .tables
            .get_mut(table)
            .and_then(|t| t.remove(key))
            .is_some();
        self.tables.retain(|_, t| !t.is_empty());
        removed
    }

    /// Removes every binding of a table.
    pub fn clear(&mut self, table: &str) {
        self.tables.remove(table);
    }

    pub fn get(&self, table: &str, key: &Key) -> Option<&Binding> {
        self.tables.get(table)?.get(key)
    }

    pub fn has_table(&self, table: &str) -> bool {
        self.tables.contains_key(table)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Key, &Binding)> {
        self.tables
            .iter()
            .flat_map(|(t, keys)| keys.iter().map(move |(k, b)| (t.as_str(), k, b)))
    }
}

/// Splits command text into the commands' words.
pub fn commands_of(text: &str) -> Result<Vec<Vec<String>>, String> {
    crate::parse::parse(text, &crate::parse::Literal)
        .map(|cmds| cmds.into_iter().map(|c| c.argv).collect())
        .map_err(|e| e.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_show() {
        let t = KeyTables::defaults();
        let x = t.get("prefix", &Key::parse("x").unwrap());
        if let Some(x) = x {
            assert_eq!(
                x.text(),
                "confirm-before -p \"kill-pane #P? (y/n)\" kill-pane"
            );
        }
        let c = t.get("prefix", &Key::parse("c").unwrap()).unwrap();
        assert_eq!(c.text(), "new-window");
        assert!(t.get("prefix", &Key::parse("Up").unwrap()).unwrap().repeat);
    }

    #[test]
    fn every_default_is_well_formed() {
        for (_, key, _, text) in DEFAULTS {
            assert!(Key::parse(key).is_some(), "bad key {key}");
            let cmds = commands_of(text).unwrap();
            for c in cmds {
                if let Ok(e) = crate::lookup(&c[0]) {
                    e.parse(&c[1..])
                        .unwrap_or_else(|err| panic!("{text}: {err}"));
                }
            }
        }
    }
}
