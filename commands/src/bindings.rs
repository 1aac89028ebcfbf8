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
    /// Each command as tmux prints it back (full names, sorted flags,
    /// blocks in braces), kept from when it was bound because the words
    /// no longer say which were blocks.
    printed: Vec<String>,
}

impl Binding {
    /// A binding of command text, as bind-key with one argument.
    pub fn from_text(text: &str, repeat: bool, note: Option<String>) -> Result<Binding, String> {
        let commands = commands_of(text)?;
        let printed = crate::hooks::print_text(text).map_err(|e| e.0)?;
        Ok(Binding {
            commands,
            repeat,
            note,
            printed,
        })
    }

    /// A binding of commands given word by word.
    pub fn from_commands(
        commands: Vec<Vec<String>>,
        repeat: bool,
        note: Option<String>,
    ) -> Binding {
        let printed = commands.iter().map(|argv| print_words(argv)).collect();
        Binding {
            commands,
            repeat,
            note,
            printed,
        }
    }

    /// The commands as tmux prints them for people: `a -b "c d" ; e`
    /// (customize-mode, the man page).
    pub fn text(&self) -> String {
        self.printed.join(" ; ")
    }

    /// The commands as list-keys prints them, to be read back by a shell
    /// or a config file: `a -b "c d" \\; e`.
    pub fn listed(&self) -> String {
        self.printed.join(" \\; ")
    }
}

/// One command's words as tmux prints them; words of a command agmux does
/// not know are only quoted.
fn print_words(argv: &[String]) -> String {
    match argv.split_first() {
        Some((name, args)) => match crate::lookup(name) {
            Ok(entry) => crate::hooks::print_command(entry, args),
            Err(_) => argv.iter().map(|w| escape(w)).collect::<Vec<_>>().join(" "),
        },
        None => String::new(),
    }
}

#[derive(Debug, Clone, Default)]
pub struct KeyTables {
    tables: BTreeMap<String, BTreeMap<Key, Binding>>,
}

/// tmux's DEFAULT_WINDOW_MENU, the items of its default menu.
macro_rules! window_menu {
    () => {
        concat!(
            " '#{?#{>:#{session_windows},1},,-}Swap Left' 'l' {swap-window -t:-1}",
            " '#{?#{>:#{session_windows},1},,-}Swap Right' 'r' {swap-window -t:+1}",
            " '#{?pane_marked_set,,-}Swap Marked' 's' {swap-window}",
            " ''",
            " 'Kill' 'X' {kill-window}",
            " 'Respawn' 'R' {respawn-window -k}",
            " '#{?pane_marked,Unmark,Mark}' 'm' {select-pane -m}",
            r##" 'Rename' 'n' {command-prompt -FI "#W" {rename-window -t '#{window_id}' -- '%%'}}"##,
            " ''",
            " 'New After' 'w' {new-window -a}",
            " 'New At End' 'W' {new-window}",
        )
    };
}

/// tmux's DEFAULT_PANE_MENU, the items of its default menu.
macro_rules! pane_menu {
    () => {
        concat!(
            " '#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Top,}' '<' {send -X history-top}",
            " '#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Bottom,}' '>' {send -X history-bottom}",
            " ''",
            r##" '#{?mouse_word,Search For #[underscore]#{=/9/...:mouse_word},}' 'C-r' {if -F '#{?#{m/r:(copy|view)-mode,#{pane_mode}},0,1}' 'copy-mode -t='; send -Xt= search-backward "#{q:mouse_word}"}"##,
            r##" '#{?mouse_word,Type #[underscore]#{=/9/...:mouse_word},}' 'C-y' {copy-mode -q; send-keys -l -- "#{q:mouse_word}"}"##,
            r##" '#{?mouse_word,Copy #[underscore]#{=/9/...:mouse_word},}' 'c' {copy-mode -q; set-buffer -- "#{q:mouse_word}"}"##,
            r##" '#{?mouse_line,Copy Line,}' 'l' {copy-mode -q; set-buffer -- "#{q:mouse_line}"}"##,
            " ''",
            " 'Horizontal Split' 'h' {split-window -h}",
            " 'Vertical Split' 'v' {split-window -v}",
            " ''",
            " '#{?#{>:#{window_panes},1},,-}Swap Up' 'u' {swap-pane -U}",
            " '#{?#{>:#{window_panes},1},,-}Swap Down' 'd' {swap-pane -D}",
            " '#{?pane_marked_set,,-}Swap Marked' 's' {swap-pane}",
            " ''",
            " 'Kill' 'X' {kill-pane}",
            " 'Respawn' 'R' {respawn-pane -k}",
            " '#{?pane_marked,Unmark,Mark}' 'm' {select-pane -m}",
            " '#{?#{>:#{window_panes},1},,-}#{?window_zoomed_flag,Unzoom,Zoom}' 'z' {resize-pane -Z}",
        )
    };
}

/// tmux's DEFAULT_SESSION_MENU, the items of its default menu.
macro_rules! session_menu {
    () => {
        concat!(
            " 'Next' 'n' {switch-client -n}",
            " 'Previous' 'p' {switch-client -p}",
            " ''",
            " 'Renumber' 'N' {move-window -r}",
            r##" 'Rename' 'n' {command-prompt -I "#S" {rename-session -- '%%'}}"##,
            " ''",
            " 'New Session' 's' {new-session}",
            " 'New Window' 'w' {new-window}",
        )
    };
}

/// tmux 3.3a's default bindings (key-bindings.c): table, key, whether it
/// repeats, note, and the commands as tmux writes them.
const DEFAULTS: &[(&str, &str, bool, Option<&str>, &str)] = &[
    (
        "prefix",
        "C-b",
        false,
        Some("Send the prefix key"),
        "send-prefix",
    ),
    (
        "prefix",
        "C-o",
        false,
        Some("Rotate through the panes"),
        "rotate-window",
    ),
    (
        "prefix",
        "C-z",
        false,
        Some("Suspend the current client"),
        "suspend-client",
    ),
    (
        "prefix",
        "Space",
        false,
        Some("Select next layout"),
        "next-layout",
    ),
    (
        "prefix",
        "!",
        false,
        Some("Break pane to a new window"),
        "break-pane",
    ),
    (
        "prefix",
        r#"""#,
        false,
        Some("Split window vertically"),
        "split-window",
    ),
    (
        "prefix",
        "#",
        false,
        Some("List all paste buffers"),
        "list-buffers",
    ),
    (
        "prefix",
        "$",
        false,
        Some("Rename current session"),
        "command-prompt -I'#S' { rename-session -- '%%' }",
    ),
    (
        "prefix",
        "%",
        false,
        Some("Split window horizontally"),
        "split-window -h",
    ),
    (
        "prefix",
        "&",
        false,
        Some("Kill current window"),
        r#"confirm-before -p"kill-window #W? (y/n)" kill-window"#,
    ),
    (
        "prefix",
        "'",
        false,
        Some("Prompt for window index to select"),
        "command-prompt -T window-target -pindex { select-window -t ':%%' }",
    ),
    (
        "prefix",
        "(",
        false,
        Some("Switch to previous client"),
        "switch-client -p",
    ),
    (
        "prefix",
        ")",
        false,
        Some("Switch to next client"),
        "switch-client -n",
    ),
    (
        "prefix",
        ",",
        false,
        Some("Rename current window"),
        "command-prompt -I'#W' { rename-window -- '%%' }",
    ),
    (
        "prefix",
        "-",
        false,
        Some("Delete the most recent paste buffer"),
        "delete-buffer",
    ),
    (
        "prefix",
        ".",
        false,
        Some("Move the current window"),
        "command-prompt -T target { move-window -t '%%' }",
    ),
    (
        "prefix",
        "/",
        false,
        Some("Describe key binding"),
        "command-prompt -kpkey  { list-keys -1N '%%' }",
    ),
    (
        "prefix",
        "0",
        false,
        Some("Select window 0"),
        "select-window -t:=0",
    ),
    (
        "prefix",
        "1",
        false,
        Some("Select window 1"),
        "select-window -t:=1",
    ),
    (
        "prefix",
        "2",
        false,
        Some("Select window 2"),
        "select-window -t:=2",
    ),
    (
        "prefix",
        "3",
        false,
        Some("Select window 3"),
        "select-window -t:=3",
    ),
    (
        "prefix",
        "4",
        false,
        Some("Select window 4"),
        "select-window -t:=4",
    ),
    (
        "prefix",
        "5",
        false,
        Some("Select window 5"),
        "select-window -t:=5",
    ),
    (
        "prefix",
        "6",
        false,
        Some("Select window 6"),
        "select-window -t:=6",
    ),
    (
        "prefix",
        "7",
        false,
        Some("Select window 7"),
        "select-window -t:=7",
    ),
    (
        "prefix",
        "8",
        false,
        Some("Select window 8"),
        "select-window -t:=8",
    ),
    (
        "prefix",
        "9",
        false,
        Some("Select window 9"),
        "select-window -t:=9",
    ),
    (
        "prefix",
        ":",
        false,
        Some("Prompt for a command"),
        "command-prompt",
    ),
    (
        "prefix",
        ";",
        false,
        Some("Move to the previously active pane"),
        "last-pane",
    ),
    (
        "prefix",
        "=",
        false,
        Some("Choose a paste buffer from a list"),
        "choose-buffer -Z",
    ),
    (
        "prefix",
        "?",
        false,
        Some("List key bindings"),
        "list-keys -N",
    ),
    (
        "prefix",
        "D",
        false,
        Some("Choose a client from a list"),
        "choose-client -Z",
    ),
    (
        "prefix",
        "E",
        false,
        Some("Spread panes out evenly"),
        "select-layout -E",
    ),
    (
        "prefix",
        "L",
        false,
        Some("Switch to the last client"),
        "switch-client -l",
    ),
    (
        "prefix",
        "M",
        false,
        Some("Clear the marked pane"),
        "select-pane -M",
    ),
    ("prefix", "[", false, Some("Enter copy mode"), "copy-mode"),
    (
        "prefix",
        "]",
        false,
        Some("Paste the most recent paste buffer"),
        "paste-buffer -p",
    ),
    (
        "prefix",
        "c",
        false,
        Some("Create a new window"),
        "new-window",
    ),
    (
        "prefix",
        "d",
        false,
        Some("Detach the current client"),
        "detach-client",
    ),
    (
        "prefix",
        "f",
        false,
        Some("Search for a pane"),
        "command-prompt { find-window -Z -- '%%' }",
    ),
    (
        "prefix",
        "i",
        false,
        Some("Display window information"),
        "display-message",
    ),
    (
        "prefix",
        "l",
        false,
        Some("Select the previously current window"),
        "last-window",
    ),
    (
        "prefix",
        "m",
        false,
        Some("Toggle the marked pane"),
        "select-pane -m",
    ),
    (
        "prefix",
        "n",
        false,
        Some("Select the next window"),
        "next-window",
    ),
    (
        "prefix",
        "o",
        false,
        Some("Select the next pane"),
        "select-pane -t:.+",
    ),
    (
        "prefix",
        "C",
        false,
        Some("Customize options"),
        "customize-mode -Z",
    ),
    (
        "prefix",
        "p",
        false,
        Some("Select the previous window"),
        "previous-window",
    ),
    (
        "prefix",
        "q",
        false,
        Some("Display pane numbers"),
        "display-panes",
    ),
    (
        "prefix",
        "r",
        false,
        Some("Redraw the current client"),
        "refresh-client",
    ),
    (
        "prefix",
        "s",
        false,
        Some("Choose a session from a list"),
        "choose-tree -Zs",
    ),
    ("prefix", "t", false, Some("Show a clock"), "clock-mode"),
    (
        "prefix",
        "w",
        false,
        Some("Choose a window from a list"),
        "choose-tree -Zw",
    ),
    (
        "prefix",
        "x",
        false,
        Some("Kill the active pane"),
        r#"confirm-before -p"kill-pane #P? (y/n)" kill-pane"#,
    ),
    (
        "prefix",
        "z",
        false,
        Some("Zoom the active pane"),
        "resize-pane -Z",
    ),
    (
        "prefix",
        "{",
        false,
        Some("Swap the active pane with the pane above"),
        "swap-pane -U",
    ),
    (
        "prefix",
        "}",
        false,
        Some("Swap the active pane with the pane below"),
        "swap-pane -D",
    ),
    ("prefix", "~", false, Some("Show messages"), "show-messages"),
    (
        "prefix",
        "PPage",
        false,
        Some("Enter copy mode and scroll up"),
        "copy-mode -u",
    ),
    (
        "prefix",
        "Up",
        true,
        Some("Select the pane above the active pane"),
        "select-pane -U",
    ),
    (
        "prefix",
        "Down",
        true,
        Some("Select the pane below the active pane"),
        "select-pane -D",
    ),
    (
        "prefix",
        "Left",
        true,
        Some("Select the pane to the left of the active pane"),
        "select-pane -L",
    ),
    (
        "prefix",
        "Right",
        true,
        Some("Select the pane to the right of the active pane"),
        "select-pane -R",
    ),
    (
        "prefix",
        "M-1",
        false,
        Some("Set the even-horizontal layout"),
        "select-layout even-horizontal",
    ),
    (
        "prefix",
        "M-2",
        false,
        Some("Set the even-vertical layout"),
        "select-layout even-vertical",
    ),
    (
        "prefix",
        "M-3",
        false,
        Some("Set the main-horizontal layout"),
        "select-layout main-horizontal",
    ),
    (
        "prefix",
        "M-4",
        false,
        Some("Set the main-vertical layout"),
        "select-layout main-vertical",
    ),
    (
        "prefix",
        "M-5",
        false,
        Some("Select the tiled layout"),
        "select-layout tiled",
    ),
    (
        "prefix",
        "M-n",
        false,
        Some("Select the next window with an alert"),
        "next-window -a",
    ),
    (
        "prefix",
        "M-o",
        false,
        Some("Rotate through the panes in reverse"),
        "rotate-window -D",
    ),
    (
        "prefix",
        "M-p",
        false,
        Some("Select the previous window with an alert"),
        "previous-window -a",
    ),
    (
        "prefix",
        "S-Up",
        true,
        Some("Move the visible part of the window up"),
        "refresh-client -U 10",
    ),
    (
        "prefix",
        "S-Down",
        true,
        Some("Move the visible part of the window down"),
        "refresh-client -D 10",
    ),
    (
        "prefix",
        "S-Left",
        true,
        Some("Move the visible part of the window left"),
        "refresh-client -L 10",
    ),
    (
        "prefix",
        "S-Right",
        true,
        Some("Move the visible part of the window right"),
        "refresh-client -R 10",
    ),
    (
        "prefix",
        "DC",
        true,
        Some("Reset so the visible part of the window follows the cursor"),
        "refresh-client -c",
    ),
    (
        "prefix",
        "M-Up",
        true,
        Some("Resize the pane up by 5"),
        "resize-pane -U 5",
    ),
    (
        "prefix",
        "M-Down",
        true,
        Some("Resize the pane down by 5"),
        "resize-pane -D 5",
    ),
    (
        "prefix",
        "M-Left",
        true,
        Some("Resize the pane left by 5"),
        "resize-pane -L 5",
    ),
    (
        "prefix",
        "M-Right",
        true,
        Some("Resize the pane right by 5"),
        "resize-pane -R 5",
    ),
    (
        "prefix",
        "C-Up",
        true,
        Some("Resize the pane up"),
        "resize-pane -U",
    ),
    (
        "prefix",
        "C-Down",
        true,
        Some("Resize the pane down"),
        "resize-pane -D",
    ),
    (
        "prefix",
        "C-Left",
        true,
        Some("Resize the pane left"),
        "resize-pane -L",
    ),
    (
        "prefix",
        "C-Right",
        true,
        Some("Resize the pane right"),
        "resize-pane -R",
    ),
    (
        "prefix",
        "<",
        false,
        None,
        concat!(
            "display-menu -xW -yW -T '#[align=centre]#{window_index}:#{window_name}' ",
            window_menu!(),
            ""
        ),
    ),
    (
        "prefix",
        ">",
        false,
        None,
        concat!(
            "display-menu -xP -yP -T '#[align=centre]#{pane_index} (#{pane_id})' ",
            pane_menu!(),
            ""
        ),
    ),
    (
        "root",
        "MouseDown1Pane",
        false,
        None,
        "select-pane -t=; send -M",
    ),
    (
        "root",
        "MouseDrag1Pane",
        false,
        None,
        "if -F '#{||:#{pane_in_mode},#{mouse_any_flag}}' { send -M } { copy-mode -M }",
    ),
    (
        "root",
        "WheelUpPane",
        false,
        None,
        "if -F '#{||:#{pane_in_mode},#{mouse_any_flag}}' { send -M } { copy-mode -e }",
    ),
    (
        "root",
        "MouseDown2Pane",
        false,
        None,
        "select-pane -t=; if -F '#{||:#{pane_in_mode},#{mouse_any_flag}}' { send -M } { paste -p }",
    ),
    (
        "root",
        "DoubleClick1Pane",
        false,
        None,
        "select-pane -t=; if -F '#{||:#{pane_in_mode},#{mouse_any_flag}}' { send -M } { copy-mode -H; send -X select-word; run -d0.3; send -X copy-pipe-and-cancel }",
    ),
    (
        "root",
        "TripleClick1Pane",
        false,
        None,
        "select-pane -t=; if -F '#{||:#{pane_in_mode},#{mouse_any_flag}}' { send -M } { copy-mode -H; send -X select-line; run -d0.3; send -X copy-pipe-and-cancel }",
    ),
    ("root", "MouseDrag1Border", false, None, "resize-pane -M"),
    ("root", "MouseDown1Status", false, None, "select-window -t="),
    ("root", "WheelDownStatus", false, None, "next-window"),
    ("root", "WheelUpStatus", false, None, "previous-window"),
    (
        "root",
        "MouseDown3StatusLeft",
        false,
        None,
        concat!(
            "display-menu -t= -xM -yW -T '#[align=centre]#{session_name}' ",
            session_menu!(),
            ""
        ),
    ),
    (
        "root",
        "MouseDown3Status",
        false,
        None,
        concat!(
            "display-menu -t= -xW -yW -T '#[align=centre]#{window_index}:#{window_name}' ",
            window_menu!(),
            ""
        ),
    ),
    (
        "root",
        "MouseDown3Pane",
        false,
        None,
        concat!(
            "if -Ft= '#{||:#{mouse_any_flag},#{&&:#{pane_in_mode},#{?#{m/r:(copy|view)-mode,#{pane_mode}},0,1}}}' { select-pane -t=; send -M } { display-menu -t= -xM -yM -T '#[align=centre]#{pane_index} (#{pane_id})' ",
            pane_menu!(),
            " }"
        ),
    ),
    (
        "root",
        "M-MouseDown3Pane",
        false,
        None,
        concat!(
            "display-menu -t= -xM -yM -T '#[align=centre]#{pane_index} (#{pane_id})' ",
            pane_menu!(),
            ""
        ),
    ),
    (
        "copy-mode",
        "C-Space",
        false,
        None,
        "send -X begin-selection",
    ),
    ("copy-mode", "C-a", false, None, "send -X start-of-line"),
    ("copy-mode", "C-c", false, None, "send -X cancel"),
    ("copy-mode", "C-e", false, None, "send -X end-of-line"),
    ("copy-mode", "C-f", false, None, "send -X cursor-right"),
    ("copy-mode", "C-b", false, None, "send -X cursor-left"),
    ("copy-mode", "C-g", false, None, "send -X clear-selection"),
    (
        "copy-mode",
        "C-k",
        false,
        None,
        "send -X copy-pipe-end-of-line-and-cancel",
    ),
    ("copy-mode", "C-n", false, None, "send -X cursor-down"),
    ("copy-mode", "C-p", false, None, "send -X cursor-up"),
    (
        "copy-mode",
        "C-r",
        false,
        None,
        "command-prompt -T search -ip'(search up)' -I'#{pane_search_string}' { send -X search-backward-incremental '%%' }",
    ),
    (
        "copy-mode",
        "C-s",
        false,
        None,
        "command-prompt -T search -ip'(search down)' -I'#{pane_search_string}' { send -X search-forward-incremental '%%' }",
    ),
    ("copy-mode", "C-v", false, None, "send -X page-down"),
    (
        "copy-mode",
        "C-w",
        false,
        None,
        "send -X copy-pipe-and-cancel",
    ),
    ("copy-mode", "Escape", false, None, "send -X cancel"),
    ("copy-mode", "Space", false, None, "send -X page-down"),
    ("copy-mode", ",", false, None, "send -X jump-reverse"),
    ("copy-mode", ";", false, None, "send -X jump-again"),
    (
        "copy-mode",
        "F",
        false,
        None,
        "command-prompt -1p'(jump backward)' { send -X jump-backward '%%' }",
    ),
    ("copy-mode", "N", false, None, "send -X search-reverse"),
    ("copy-mode", "P", false, None, "send -X toggle-position"),
    ("copy-mode", "R", false, None, "send -X rectangle-toggle"),
    (
        "copy-mode",
        "T",
        false,
        None,
        "command-prompt -1p'(jump to backward)' { send -X jump-to-backward '%%' }",
    ),
    ("copy-mode", "X", false, None, "send -X set-mark"),
    (
        "copy-mode",
        "f",
        false,
        None,
        "command-prompt -1p'(jump forward)' { send -X jump-forward '%%' }",
    ),
    (
        "copy-mode",
        "g",
        false,
        None,
        "command-prompt -p'(goto line)' { send -X goto-line '%%' }",
    ),
    ("copy-mode", "n", false, None, "send -X search-again"),
    ("copy-mode", "q", false, None, "send -X cancel"),
    ("copy-mode", "r", false, None, "send -X refresh-from-pane"),
    (
        "copy-mode",
        "t",
        false,
        None,
        "command-prompt -1p'(jump to forward)' { send -X jump-to-forward '%%' }",
    ),
    ("copy-mode", "Home", false, None, "send -X start-of-line"),
    ("copy-mode", "End", false, None, "send -X end-of-line"),
    ("copy-mode", "MouseDown1Pane", false, None, "select-pane"),
    (
        "copy-mode",
        "MouseDrag1Pane",
        false,
        None,
        "select-pane; send -X begin-selection",
    ),
    (
        "copy-mode",
        "MouseDragEnd1Pane",
        false,
        None,
        "send -X copy-pipe-and-cancel",
    ),
    (
        "copy-mode",
        "WheelUpPane",
        false,
        None,
        "select-pane; send -N5 -X scroll-up",
    ),
    (
        "copy-mode",
        "WheelDownPane",
        false,
        None,
        "select-pane; send -N5 -X scroll-down",
    ),
    (
        "copy-mode",
        "DoubleClick1Pane",
        false,
        None,
        "select-pane; send -X select-word; run -d0.3; send -X copy-pipe-and-cancel",
    ),
    (
        "copy-mode",
        "TripleClick1Pane",
        false,
        None,
        "select-pane; send -X select-line; run -d0.3; send -X copy-pipe-and-cancel",
    ),
    ("copy-mode", "NPage", false, None, "send -X page-down"),
    ("copy-mode", "PPage", false, None, "send -X page-up"),
    ("copy-mode", "Up", false, None, "send -X cursor-up"),
    ("copy-mode", "Down", false, None, "send -X cursor-down"),
    ("copy-mode", "Left", false, None, "send -X cursor-left"),
    ("copy-mode", "Right", false, None, "send -X cursor-right"),
    (
        "copy-mode",
        "M-1",
        false,
        None,
        "command-prompt -Np'(repeat)' -I1 { send -N '%%' }",
    ),
    (
        "copy-mode",
        "M-2",
        false,
        None,
        "command-prompt -Np'(repeat)' -I2 { send -N '%%' }",
    ),
    (
        "copy-mode",
        "M-3",
        false,
        None,
        "command-prompt -Np'(repeat)' -I3 { send -N '%%' }",
    ),
    (
        "copy-mode",
        "M-4",
        false,
        None,
        "command-prompt -Np'(repeat)' -I4 { send -N '%%' }",
    ),
    (
        "copy-mode",
        "M-5",
        false,
        None,
        "command-prompt -Np'(repeat)' -I5 { send -N '%%' }",
    ),
    (
        "copy-mode",
        "M-6",
        false,
        None,
        "command-prompt -Np'(repeat)' -I6 { send -N '%%' }",
    ),
    (
        "copy-mode",
        "M-7",
        false,
        None,
        "command-prompt -Np'(repeat)' -I7 { send -N '%%' }",
    ),
    (
        "copy-mode",
        "M-8",
        false,
        None,
        "command-prompt -Np'(repeat)' -I8 { send -N '%%' }",
    ),
    (
        "copy-mode",
        "M-9",
        false,
        None,
        "command-prompt -Np'(repeat)' -I9 { send -N '%%' }",
    ),
    ("copy-mode", "M-<", false, None, "send -X history-top"),
    ("copy-mode", "M->", false, None, "send -X history-bottom"),
    ("copy-mode", "M-R", false, None, "send -X top-line"),
    ("copy-mode", "M-b", false, None, "send -X previous-word"),
    (
        "copy-mode",
        "C-M-b",
        false,
        None,
        "send -X previous-matching-bracket",
    ),
    ("copy-mode", "M-f", false, None, "send -X next-word-end"),
    (
        "copy-mode",
        "C-M-f",
        false,
        None,
        "send -X next-matching-bracket",
    ),
    (
        "copy-mode",
        "M-m",
        false,
        None,
        "send -X back-to-indentation",
    ),
    ("copy-mode", "M-r", false, None, "send -X middle-line"),
    ("copy-mode", "M-v", false, None, "send -X page-up"),
    (
        "copy-mode",
        "M-w",
        false,
        None,
        "send -X copy-pipe-and-cancel",
    ),
    ("copy-mode", "M-x", false, None, "send -X jump-to-mark"),
    (
        "copy-mode",
        "M-{",
        false,
        None,
        "send -X previous-paragraph",
    ),
    ("copy-mode", "M-}", false, None, "send -X next-paragraph"),
    ("copy-mode", "M-Up", false, None, "send -X halfpage-up"),
    ("copy-mode", "M-Down", false, None, "send -X halfpage-down"),
    ("copy-mode", "C-Up", false, None, "send -X scroll-up"),
    ("copy-mode", "C-Down", false, None, "send -X scroll-down"),
    (
        "copy-mode-vi",
        "#",
        false,
        None,
        "send -FX search-backward '#{copy_cursor_word}'",
    ),
    (
        "copy-mode-vi",
        "*",
        false,
        None,
        "send -FX search-forward '#{copy_cursor_word}'",
    ),
    ("copy-mode-vi", "C-c", false, None, "send -X cancel"),
    ("copy-mode-vi", "C-d", false, None, "send -X halfpage-down"),
    ("copy-mode-vi", "C-e", false, None, "send -X scroll-down"),
    ("copy-mode-vi", "C-b", false, None, "send -X page-up"),
    ("copy-mode-vi", "C-f", false, None, "send -X page-down"),
    ("copy-mode-vi", "C-h", false, None, "send -X cursor-left"),
    (
        "copy-mode-vi",
        "C-j",
        false,
        None,
        "send -X copy-pipe-and-cancel",
    ),
    (
        "copy-mode-vi",
        "Enter",
        false,
        None,
        "send -X copy-pipe-and-cancel",
    ),
    ("copy-mode-vi", "C-u", false, None, "send -X halfpage-up"),
    (
        "copy-mode-vi",
        "C-v",
        false,
        None,
        "send -X rectangle-toggle",
    ),
    ("copy-mode-vi", "C-y", false, None, "send -X scroll-up"),
    (
        "copy-mode-vi",
        "Escape",
        false,
        None,
        "send -X clear-selection",
    ),
    (
        "copy-mode-vi",
        "Space",
        false,
        None,
        "send -X begin-selection",
    ),
    ("copy-mode-vi", "$", false, None, "send -X end-of-line"),
    ("copy-mode-vi", ",", false, None, "send -X jump-reverse"),
    (
        "copy-mode-vi",
        "/",
        false,
        None,
        "command-prompt -T search -p'(search down)' { send -X search-forward '%%' }",
    ),
    ("copy-mode-vi", "0", false, None, "send -X start-of-line"),
    (
        "copy-mode-vi",
        "1",
        false,
        None,
        "command-prompt -Np'(repeat)' -I1 { send -N '%%' }",
    ),
    (
        "copy-mode-vi",
        "2",
        false,
        None,
        "command-prompt -Np'(repeat)' -I2 { send -N '%%' }",
    ),
    (
        "copy-mode-vi",
        "3",
        false,
        None,
        "command-prompt -Np'(repeat)' -I3 { send -N '%%' }",
    ),
    (
        "copy-mode-vi",
        "4",
        false,
        None,
        "command-prompt -Np'(repeat)' -I4 { send -N '%%' }",
    ),
    (
        "copy-mode-vi",
        "5",
        false,
        None,
        "command-prompt -Np'(repeat)' -I5 { send -N '%%' }",
    ),
    (
        "copy-mode-vi",
        "6",
        false,
        None,
        "command-prompt -Np'(repeat)' -I6 { send -N '%%' }",
    ),
    (
        "copy-mode-vi",
        "7",
        false,
        None,
        "command-prompt -Np'(repeat)' -I7 { send -N '%%' }",
    ),
    (
        "copy-mode-vi",
        "8",
        false,
        None,
        "command-prompt -Np'(repeat)' -I8 { send -N '%%' }",
    ),
    (
        "copy-mode-vi",
        "9",
        false,
        None,
        "command-prompt -Np'(repeat)' -I9 { send -N '%%' }",
    ),
    (
        "copy-mode-vi",
        ":",
        false,
        None,
        "command-prompt -p'(goto line)' { send -X goto-line '%%' }",
    ),
    ("copy-mode-vi", ";", false, None, "send -X jump-again"),
    (
        "copy-mode-vi",
        "?",
        false,
        None,
        "command-prompt -T search -p'(search up)' { send -X search-backward '%%' }",
    ),
    (
        "copy-mode-vi",
        "A",
        false,
        None,
        "send -X append-selection-and-cancel",
    ),
    ("copy-mode-vi", "B", false, None, "send -X previous-space"),
    (
        "copy-mode-vi",
        "D",
        false,
        None,
        "send -X copy-pipe-end-of-line-and-cancel",
    ),
    ("copy-mode-vi", "E", false, None, "send -X next-space-end"),
    (
        "copy-mode-vi",
        "F",
        false,
        None,
        "command-prompt -1p'(jump backward)' { send -X jump-backward '%%' }",
    ),
    ("copy-mode-vi", "G", false, None, "send -X history-bottom"),
    ("copy-mode-vi", "H", false, None, "send -X top-line"),
    ("copy-mode-vi", "J", false, None, "send -X scroll-down"),
    ("copy-mode-vi", "K", false, None, "send -X scroll-up"),
    ("copy-mode-vi", "L", false, None, "send -X bottom-line"),
    ("copy-mode-vi", "M", false, None, "send -X middle-line"),
    ("copy-mode-vi", "N", false, None, "send -X search-reverse"),
    ("copy-mode-vi", "P", false, None, "send -X toggle-position"),
    (
        "copy-mode-vi",
        "T",
        false,
        None,
        "command-prompt -1p'(jump to backward)' { send -X jump-to-backward '%%' }",
    ),
    ("copy-mode-vi", "V", false, None, "send -X select-line"),
    ("copy-mode-vi", "W", false, None, "send -X next-space"),
    ("copy-mode-vi", "X", false, None, "send -X set-mark"),
    (
        "copy-mode-vi",
        "^",
        false,
        None,
        "send -X back-to-indentation",
    ),
    ("copy-mode-vi", "b", false, None, "send -X previous-word"),
    ("copy-mode-vi", "e", false, None, "send -X next-word-end"),
    (
        "copy-mode-vi",
        "f",
        false,
        None,
        "command-prompt -1p'(jump forward)' { send -X jump-forward '%%' }",
    ),
    ("copy-mode-vi", "g", false, None, "send -X history-top"),
    ("copy-mode-vi", "h", false, None, "send -X cursor-left"),
    ("copy-mode-vi", "j", false, None, "send -X cursor-down"),
    ("copy-mode-vi", "k", false, None, "send -X cursor-up"),
    ("copy-mode-vi", "l", false, None, "send -X cursor-right"),
    ("copy-mode-vi", "n", false, None, "send -X search-again"),
    ("copy-mode-vi", "o", false, None, "send -X other-end"),
    ("copy-mode-vi", "q", false, None, "send -X cancel"),
    (
        "copy-mode-vi",
        "r",
        false,
        None,
        "send -X refresh-from-pane",
    ),
    (
        "copy-mode-vi",
        "t",
        false,
        None,
        "command-prompt -1p'(jump to forward)' { send -X jump-to-forward '%%' }",
    ),
    ("copy-mode-vi", "v", false, None, "send -X rectangle-toggle"),
    ("copy-mode-vi", "w", false, None, "send -X next-word"),
    (
        "copy-mode-vi",
        "{",
        false,
        None,
        "send -X previous-paragraph",
    ),
    ("copy-mode-vi", "}", false, None, "send -X next-paragraph"),
    (
        "copy-mode-vi",
        "%",
        false,
        None,
        "send -X next-matching-bracket",
    ),
    ("copy-mode-vi", "MouseDown1Pane", false, None, "select-pane"),
    (
        "copy-mode-vi",
        "MouseDrag1Pane",
        false,
        None,
        "select-pane; send -X begin-selection",
    ),
    (
        "copy-mode-vi",
        "MouseDragEnd1Pane",
        false,
        None,
        "send -X copy-pipe-and-cancel",
    ),
    (
        "copy-mode-vi",
        "WheelUpPane",
        false,
        None,
        "select-pane; send -N5 -X scroll-up",
    ),
    (
        "copy-mode-vi",
        "WheelDownPane",
        false,
        None,
        "select-pane; send -N5 -X scroll-down",
    ),
    (
        "copy-mode-vi",
        "DoubleClick1Pane",
        false,
        None,
        "select-pane; send -X select-word; run -d0.3; send -X copy-pipe-and-cancel",
    ),
    (
        "copy-mode-vi",
        "TripleClick1Pane",
        false,
        None,
        "select-pane; send -X select-line; run -d0.3; send -X copy-pipe-and-cancel",
    ),
    ("copy-mode-vi", "BSpace", false, None, "send -X cursor-left"),
    ("copy-mode-vi", "NPage", false, None, "send -X page-down"),
    ("copy-mode-vi", "PPage", false, None, "send -X page-up"),
    ("copy-mode-vi", "Up", false, None, "send -X cursor-up"),
    ("copy-mode-vi", "Down", false, None, "send -X cursor-down"),
    ("copy-mode-vi", "Left", false, None, "send -X cursor-left"),
    ("copy-mode-vi", "Right", false, None, "send -X cursor-right"),
    ("copy-mode-vi", "M-x", false, None, "send -X jump-to-mark"),
    ("copy-mode-vi", "C-Up", false, None, "send -X scroll-up"),
    ("copy-mode-vi", "C-Down", false, None, "send -X scroll-down"),
];

impl KeyTables {
    /// The default tables; with `agmux`, also agmux's own (prefix A:
    /// choose-agent), which agmux invoked as tmux leaves out so that its
    /// keys are tmux's exactly.
    pub fn defaults_for(agmux: bool) -> KeyTables {
        let mut t = KeyTables::defaults();
        if agmux && let Some(key) = Key::parse("A") {
            let binding = Binding::from_commands(
                vec![vec!["choose-agent".to_string(), "-Z".to_string()]],
                false,
                Some("Choose an agent from a list".to_string()),
            );
            t.bind("prefix", key, binding);
        }
        t
    }

    /// The default tables, tmux's exactly. A binding that does not parse
    /// (a command agmux lacks) is left out rather than failing the server;
    /// a unit test keeps that from happening.
    pub fn defaults() -> KeyTables {
        let mut t = KeyTables::default();
        for (table, key, repeat, note, text) in DEFAULTS {
            let Some(key) = Key::parse(key) else {
                continue;
            };
            if let Ok(b) = Binding::from_text(text, *repeat, note.map(str::to_string)) {
                t.bind(table, key, b);
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

    /// Every command of command text, and of its blocks, is one agmux
    /// has and takes these arguments; what is wrong goes to `errors`.
    fn check_commands(text: &str, errors: &mut Vec<String>) {
        let parsed = match crate::parse::parse(text, &crate::parse::Literal) {
            Ok(p) => p,
            Err(e) => return errors.push(format!("{text}: {}", e.message)),
        };
        for c in parsed {
            let checked = crate::lookup(&c.argv[0]).and_then(|e| e.parse(&c.argv[1..]).map(|_| ()));
            if let Err(e) = checked {
                errors.push(format!("{}: {}", c.argv.join(" "), e.0));
            }
            for b in c.blocks {
                check_commands(&c.argv[b], errors);
            }
        }
    }

    #[test]
    fn every_default_is_well_formed() {
        let mut errors = Vec::new();
        for (_, key, _, _, text) in DEFAULTS {
            assert!(Key::parse(key).is_some(), "bad key {key}");
            check_commands(text, &mut errors);
        }
        errors.dedup();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
        let t = KeyTables::defaults();
        assert_eq!(t.iter().count(), DEFAULTS.len());
    }
}
