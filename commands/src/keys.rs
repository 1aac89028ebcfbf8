//! Key names as tmux spells them (`Enter`, `C-c`, `M-Left`, `F5`, `^a`) and
//! the bytes a key sends to a pane, which depend on the pane's modes.

use std::fmt;

/// Keys in tmux's order of key codes, which list-keys follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    /// A character, including the control characters `Enter` (`\r`), `Tab`,
    /// `Escape` and `C-a` (`\x01`) that tmux treats as plain keys.
    Char(char),
    /// A mouse event where it happened, as tmux names them for bindings:
    /// `MouseDown1Pane`, `MouseDrag1Border`, `WheelUpStatus`...
    Mouse(MouseKey),
    BSpace,
    F(u8),
    Insert,
    Delete,
    Home,
    End,
    PageDown,
    PageUp,
    BTab,
    Up,
    Down,
    Left,
    Right,
    /// Keypad keys: `KP0`..`KP9`, `KP/`, `KP*`, `KP-`, `KP+`, `KP.`, `KPEnter`.
    Keypad(char),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MouseKey {
    pub event: MouseEvent,
    pub at: MouseAt,
}

/// What the mouse did; buttons are 1 to 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MouseEvent {
    Down(u8),
    Up(u8),
    Drag(u8),
    DragEnd(u8),
    WheelUp,
    WheelDown,
    /// The second click of a double click, before it is known whether a
    /// third follows.
    SecondClick(u8),
    DoubleClick(u8),
    TripleClick(u8),
}

/// Where the mouse was; the status line is split as tmux splits it, by the
/// ranges its format drew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MouseAt {
    Pane,
    /// A window's name on the status line.
    Status,
    StatusLeft,
    StatusRight,
    /// The status line outside every range.
    StatusDefault,
    Border,
}

/// Where-names, longest first so that `Status` does not take `StatusLeft`.
const MOUSE_AT: &[(MouseAt, &str)] = &[
    (MouseAt::StatusDefault, "StatusDefault"),
    (MouseAt::StatusRight, "StatusRight"),
    (MouseAt::StatusLeft, "StatusLeft"),
    (MouseAt::Status, "Status"),
    (MouseAt::Border, "Border"),
    (MouseAt::Pane, "Pane"),
];

/// An event of a button (1 to 3).
type ButtonEvent = fn(u8) -> MouseEvent;

/// Event names with a button, longest first for the same reason.
const MOUSE_BUTTONED: &[(&str, ButtonEvent)] = &[
    ("MouseDragEnd", MouseEvent::DragEnd),
    ("MouseDrag", MouseEvent::Drag),
    ("MouseDown", MouseEvent::Down),
    ("MouseUp", MouseEvent::Up),
    ("SecondClick", MouseEvent::SecondClick),
    ("DoubleClick", MouseEvent::DoubleClick),
    ("TripleClick", MouseEvent::TripleClick),
];

impl MouseKey {
    fn parse(s: &str) -> Option<MouseKey> {
        let (at, rest) = MOUSE_AT
            .iter()
            .find_map(|(at, suffix)| s.strip_suffix(suffix).map(|r| (*at, r)))?;
        let button = |r: &str| -> Option<u8> {
            let b: u8 = r.parse().ok()?;
            (1..=3).contains(&b).then_some(b)
        };
        let buttoned = MOUSE_BUTTONED
            .iter()
            .find_map(|(name, event)| Some(event(button(rest.strip_prefix(name)?)?)));
        let event = if let Some(e) = buttoned {
            e
        } else if rest == "WheelUp" {
            MouseEvent::WheelUp
        } else if rest == "WheelDown" {
            MouseEvent::WheelDown
        } else {
            return None;
        };
        Some(MouseKey { event, at })
    }
}

impl fmt::Display for MouseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.event {
            MouseEvent::Down(b) => write!(f, "MouseDown{b}")?,
            MouseEvent::Up(b) => write!(f, "MouseUp{b}")?,
            MouseEvent::Drag(b) => write!(f, "MouseDrag{b}")?,
            MouseEvent::DragEnd(b) => write!(f, "MouseDragEnd{b}")?,
            MouseEvent::WheelUp => f.write_str("WheelUp")?,
            MouseEvent::WheelDown => f.write_str("WheelDown")?,
            MouseEvent::SecondClick(b) => write!(f, "SecondClick{b}")?,
            MouseEvent::DoubleClick(b) => write!(f, "DoubleClick{b}")?,
            MouseEvent::TripleClick(b) => write!(f, "TripleClick{b}")?,
        }
        let at = MOUSE_AT.iter().find(|(at, _)| *at == self.at);
        f.write_str(at.map_or("Pane", |(_, name)| name))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub meta: bool,
    pub shift: bool,
}

/// As tmux's key codes compare: the modifiers are the high bits (Shift over
/// Ctrl over Meta), so plain keys come first, then M-, C- and S- keys.
impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        let rank = |k: &Key| (k.shift, k.ctrl, k.meta, k.code);
        rank(self).cmp(&rank(other))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The modes of the pane's terminal that change what keys send.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InputModes {
    pub app_cursor: bool,
    pub app_keypad: bool,
    pub bracketed_paste: bool,
}

const NAMED: &[(&str, KeyCode)] = &[
    ("F1", KeyCode::F(1)),
    ("F2", KeyCode::F(2)),
    ("F3", KeyCode::F(3)),
    ("F4", KeyCode::F(4)),
    ("F5", KeyCode::F(5)),
    ("F6", KeyCode::F(6)),
    ("F7", KeyCode::F(7)),
    ("F8", KeyCode::F(8)),
    ("F9", KeyCode::F(9)),
    ("F10", KeyCode::F(10)),
    ("F11", KeyCode::F(11)),
    ("F12", KeyCode::F(12)),
    ("IC", KeyCode::Insert),
    ("Insert", KeyCode::Insert),
    ("DC", KeyCode::Delete),
    ("Delete", KeyCode::Delete),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("NPage", KeyCode::PageDown),
    ("PageDown", KeyCode::PageDown),
    ("PgDn", KeyCode::PageDown),
    ("PPage", KeyCode::PageUp),
    ("PageUp", KeyCode::PageUp),
    ("PgUp", KeyCode::PageUp),
    ("Tab", KeyCode::Char('\t')),
    ("BTab", KeyCode::BTab),
    ("Space", KeyCode::Char(' ')),
    ("BSpace", KeyCode::BSpace),
    ("Enter", KeyCode::Char('\r')),
    ("Escape", KeyCode::Char('\x1b')),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("KP/", KeyCode::Keypad('/')),
    ("KP*", KeyCode::Keypad('*')),
    ("KP-", KeyCode::Keypad('-')),
    ("KP7", KeyCode::Keypad('7')),
    ("KP8", KeyCode::Keypad('8')),
    ("KP9", KeyCode::Keypad('9')),
    ("KP+", KeyCode::Keypad('+')),
    ("KP4", KeyCode::Keypad('4')),
    ("KP5", KeyCode::Keypad('5')),
    ("KP6", KeyCode::Keypad('6')),
    ("KP1", KeyCode::Keypad('1')),
    ("KP2", KeyCode::Keypad('2')),
    ("KP3", KeyCode::Keypad('3')),
    ("KPEnter", KeyCode::Keypad('\r')),
    ("KP0", KeyCode::Keypad('0')),
    ("KP.", KeyCode::Keypad('.')),
];

impl Key {
    pub const fn char(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: false,
            meta: false,
            shift: false,
        }
    }

    /// Parses a tmux key name. `None` means the string is not a key name, and
    /// `send-keys` sends it as literal text instead.
    pub fn parse(s: &str) -> Option<Key> {
        let mut key = Key::char('\0');
        let mut rest = s;
        if let Some(r) = rest.strip_prefix('^').filter(|r| !r.is_empty()) {
            key.ctrl = true;
            rest = r;
        }
        while rest.len() >= 2 && rest.as_bytes()[1] == b'-' {
            match rest.as_bytes()[0] {
                b'C' | b'c' => key.ctrl = true,
                b'M' | b'm' => key.meta = true,
                b'S' | b's' => key.shift = true,
                _ => return None,
            }
            rest = &rest[2..];
        }
        let mut chars = rest.chars();
        let first = chars.next()?;
        key.code = if chars.next().is_none() {
            if (first as u32) < 32 {
                return None;
            }
            KeyCode::Char(first)
        } else if let Some(m) = MouseKey::parse(rest) {
            KeyCode::Mouse(m)
        } else {
            NAMED
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(rest))
                .map(|(_, c)| *c)?
        };
        // C-a and friends are the control characters themselves.
        if key.ctrl
            && let KeyCode::Char(c) = key.code
            && !matches!(c, '\t' | '\r' | '\x1b')
            && (c as u32) < 128
        {
            let b = c as u8;
            let ctl = match b {
                b'a'..=b'z' => b - 96,
                b'@'..=b'_' => b - 64,
                b' ' => 0,
                b'?' => 127,
                _ => return None,
            };
            key.code = KeyCode::Char(ctl as char);
            key.ctrl = false;
        }
        Some(key)
    }

    /// The bytes this key sends to a program, as xterm would send them.
    pub fn encode(&self, modes: InputModes) -> Vec<u8> {
        let mut out = Vec::new();
        let param = 1 + self.shift as u8 + 2 * self.meta as u8 + 4 * self.ctrl as u8;
        let modified = param > 1;
        let csi_mod = |out: &mut Vec<u8>, num: &str, fin: char| {
            out.extend_from_slice(format!("\x1b[{num};{param}{fin}").as_bytes());
        };
        match self.code {
            KeyCode::Char(c) => {
                if self.meta {
                    out.push(0x1b);
                }
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            KeyCode::BSpace => {
                if self.meta {
                    out.push(0x1b);
                }
                out.push(0x7f);
            }
            KeyCode::BTab => out.extend_from_slice(b"\x1b[Z"),
            KeyCode::Up | KeyCode::Down | KeyCode::Right | KeyCode::Left => {
                let fin = match self.code {
                    KeyCode::Up => 'A',
                    KeyCode::Down => 'B',
                    KeyCode::Right => 'C',
                    _ => 'D',
                };
                if modified {
                    csi_mod(&mut out, "1", fin);
                } else if modes.app_cursor {
                    out.extend_from_slice(format!("\x1bO{fin}").as_bytes());
                } else {
                    out.extend_from_slice(format!("\x1b[{fin}").as_bytes());
                }
            }
            KeyCode::Home | KeyCode::End => {
                let (num, fin) = if self.code == KeyCode::Home {
                    ("1", 'H')
                } else {
                    ("4", 'F')
                };
                if modified {
                    csi_mod(&mut out, "1", fin);
                } else {
                    out.extend_from_slice(format!("\x1b[{num}~").as_bytes());
                }
            }
            KeyCode::Insert | KeyCode::Delete | KeyCode::PageUp | KeyCode::PageDown => {
                let num = match self.code {
                    KeyCode::Insert => "2",
                    KeyCode::Delete => "3",
                    KeyCode::PageUp => "5",
                    _ => "6",
                };
                if modified {
                    csi_mod(&mut out, num, '~');
                } else {
                    out.extend_from_slice(format!("\x1b[{num}~").as_bytes());
                }
            }
            KeyCode::F(n @ 1..=4) => {
                let fin = (b'P' + n - 1) as char;
                if modified {
                    csi_mod(&mut out, "1", fin);
                } else {
                    out.extend_from_slice(format!("\x1bO{fin}").as_bytes());
                }
            }
            KeyCode::F(n) => {
                let num = match n {
                    5 => "15",
                    6 => "17",
                    7 => "18",
                    8 => "19",
                    9 => "20",
                    10 => "21",
                    11 => "23",
                    _ => "24",
                };
                if modified {
                    csi_mod(&mut out, num, '~');
                } else {
                    out.extend_from_slice(format!("\x1b[{num}~").as_bytes());
                }
            }
            // Mouse events reach programs through send-keys -M, not as keys.
            KeyCode::Mouse(_) => {}
            KeyCode::Keypad(c) => {
                if modes.app_keypad {
                    let fin = match c {
                        '/' => 'o',
                        '*' => 'j',
                        '-' => 'm',
                        '+' => 'k',
                        '.' => 'n',
                        '\r' => 'M',
                        d => (b'p' + (d as u8 - b'0')) as char,
                    };
                    out.extend_from_slice(format!("\x1bO{fin}").as_bytes());
                } else {
                    out.push(c as u8);
                }
            }
        }
        out
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.meta {
            f.write_str("M-")?;
        }
        if self.shift {
            f.write_str("S-")?;
        }
        match self.code {
            KeyCode::Char(c) => match c {
                '\r' => f.write_str("Enter"),
                '\t' => f.write_str("Tab"),
                '\x1b' => f.write_str("Escape"),
                ' ' => f.write_str("Space"),
                '\0' => f.write_str("C-Space"),
                '\x7f' => f.write_str("C-?"),
                c if (c as u32) < 32 => write!(f, "C-{}", ((c as u8) + 96) as char),
                c => write!(f, "{c}"),
            },
            KeyCode::Mouse(m) => write!(f, "{m}"),
            code => {
                let name = NAMED
                    .iter()
                    .find(|(_, k)| *k == code)
                    .map(|(n, _)| *n)
                    .unwrap_or("Unknown");
                f.write_str(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &str) -> Vec<u8> {
        Key::parse(s).unwrap().encode(InputModes::default())
    }

    #[test]
    fn names() {
        assert_eq!(enc("Enter"), b"\r");
        assert_eq!(enc("C-c"), b"\x03");
        assert_eq!(enc("^c"), b"\x03");
        assert_eq!(enc("M-x"), b"\x1bx");
        assert_eq!(enc("BSpace"), b"\x7f");
        assert_eq!(enc("Space"), b" ");
        assert_eq!(enc("escape"), b"\x1b");
        assert_eq!(enc("F1"), b"\x1bOP");
        assert_eq!(enc("F12"), b"\x1b[24~");
        assert_eq!(enc("Home"), b"\x1b[1~");
        assert_eq!(enc("PageUp"), b"\x1b[5~");
        assert_eq!(enc("C-Up"), b"\x1b[1;5A");
        assert_eq!(enc("S-F5"), b"\x1b[15;2~");
        assert_eq!(enc("é"), "é".as_bytes());
    }

    #[test]
    fn cursor_mode() {
        let k = Key::parse("Up").unwrap();
        let app = InputModes {
            app_cursor: true,
            ..Default::default()
        };
        assert_eq!(k.encode(app), b"\x1bOA");
        assert_eq!(k.encode(InputModes::default()), b"\x1b[A");
    }

    #[test]
    fn not_keys() {
        assert_eq!(Key::parse("hello"), None);
        assert_eq!(Key::parse("echo hi"), None);
        assert_eq!(Key::parse(""), None);
        assert_eq!(Key::parse("X-a"), None);
    }

    #[test]
    fn display_round_trips() {
        for s in ["C-a", "M-x", "Enter", "F5", "Up", "C-Left", "Space", "z"] {
            assert_eq!(Key::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn mouse_keys() {
        for s in [
            "MouseDown1Pane",
            "MouseUp3Status",
            "MouseDrag1Border",
            "MouseDragEnd2Pane",
            "WheelUpPane",
            "WheelDownStatus",
            "M-MouseDown3Pane",
            "MouseDown3StatusLeft",
            "MouseUp1StatusRight",
            "WheelUpStatusDefault",
            "DoubleClick1Pane",
            "TripleClick1Pane",
            "SecondClick2Border",
        ] {
            assert_eq!(Key::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Key::parse("MouseDown4Pane"), None);
        assert_eq!(Key::parse("MouseDown1"), None);
        assert_eq!(enc("WheelUpPane"), b"");
    }
}
