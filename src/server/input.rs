//! Parsing what an attached client's terminal sends: keys in xterm's
//! encodings, bracketed pastes, focus and mouse reports.
//!
//! Keys are parsed so that bindings can match them; each keeps the bytes it
//! came from so that a sequence agmux does not know still reaches the pane
//! exactly.

use commands::keys::{Key, KeyCode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(Key, Vec<u8>),
    /// A sequence with no key name: passed through unchanged.
    Raw(Vec<u8>),
    Paste(Vec<u8>),
    Focus(bool),
    Mouse(Mouse),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    Down(u8),
    Up(u8),
    Drag(u8),
    WheelUp,
    WheelDown,
    Move,
}

/// A mouse report, in cells from the top left of the client's terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mouse {
    pub kind: MouseKind,
    pub x: u16,
    pub y: u16,
    pub ctrl: bool,
    pub meta: bool,
    pub shift: bool,
}

/// An incremental parser: bytes may arrive split at any point.
#[derive(Debug, Default)]
pub struct Parser {
    buf: Vec<u8>,
    paste: Option<Vec<u8>>,
}

enum Step {
    /// An event and how many bytes it used.
    Done(Input, usize),
    /// The buffer holds the start of a sequence: wait for more.
    More,
}

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

impl Parser {
    /// Parses what it can; a partial sequence stays for the next call.
    pub fn feed(&mut self, data: &[u8]) -> Vec<Input> {
        self.buf.extend_from_slice(data);
        self.run(false)
    }

    /// The escape time passed: whatever is buffered is complete as it is (a
    /// lone ESC is the Escape key).
    pub fn flush(&mut self) -> Vec<Input> {
        self.run(true)
    }

    /// Whether a partial sequence is waiting.
    pub fn pending(&self) -> bool {
        !self.buf.is_empty()
    }

    fn run(&mut self, force: bool) -> Vec<Input> {
        let mut out = Vec::new();
        loop {
            if let Some(paste) = self.paste.as_mut() {
                match find(&self.buf, PASTE_END) {
                    Some(i) => {
                        paste.extend_from_slice(&self.buf[..i]);
                        self.buf.drain(..i + PASTE_END.len());
                        out.push(Input::Paste(self.paste.take().unwrap_or_default()));
                    }
                    None => {
                        // Keep a tail that may be the start of the end marker.
                        let keep = (0..PASTE_END.len().min(self.buf.len()))
                            .rev()
                            .find(|&n| PASTE_END.starts_with(&self.buf[self.buf.len() - n..]))
                            .unwrap_or(0);
                        let take = self.buf.len() - keep;
                        paste.extend(self.buf.drain(..take));
                        return out;
                    }
                }
                continue;
            }
            if self.buf.is_empty() {
                return out;
            }
            if self.buf.starts_with(PASTE_START) {
                self.buf.drain(..PASTE_START.len());
                self.paste = Some(Vec::new());
                continue;
            }
            match parse_one(&self.buf, force) {
                Step::Done(ev, n) => {
                    self.buf.drain(..n);
                    out.push(ev);
                }
                Step::More => return out,
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn key(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: false,
        meta: false,
        shift: false,
    }
}

fn with_mods(mut k: Key, param: u32) -> Key {
    let m = param.saturating_sub(1);
    k.shift |= m & 1 != 0;
    k.meta |= m & 2 != 0;
    k.ctrl |= m & 4 != 0;
    k
}

/// One event from the start of `b`.
fn parse_one(b: &[u8], force: bool) -> Step {
    let c = b[0];
    if c == 0x1b {
        if b.len() == 1 {
            return if force {
                Step::Done(Input::Key(key(KeyCode::Char('\x1b')), b[..1].to_vec()), 1)
            } else {
                Step::More
            };
        }
        match b[1] {
            b'[' => return csi(b, force),
            b'O' => return ss3(b, force),
            _ => {}
        }
        // ESC then a key: that key with Meta.
        return match parse_one(&b[1..], force) {
            Step::Done(Input::Key(mut k, _), n) => {
                k.meta = true;
                Step::Done(Input::Key(k, b[..n + 1].to_vec()), n + 1)
            }
            Step::Done(_, _) => {
                Step::Done(Input::Key(key(KeyCode::Char('\x1b')), b[..1].to_vec()), 1)
            }
            Step::More => Step::More,
        };
    }
    let k = match c {
        0x7f => key(KeyCode::BSpace),
        // C-Space, as Key::parse spells it: the control character itself.
        0x00..=0x1f => key(KeyCode::Char(c as char)),
        0x20..=0x7e => key(KeyCode::Char(c as char)),
        _ => {
            // UTF-8: as many bytes as the lead byte says.
            let need = match c {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            if b.len() < need {
                return if force {
                    Step::Done(Input::Raw(b.to_vec()), b.len())
                } else {
                    Step::More
                };
            }
            return match std::str::from_utf8(&b[..need])
                .ok()
                .and_then(|s| s.chars().next())
            {
                Some(ch) => {
                    Step::Done(Input::Key(key(KeyCode::Char(ch)), b[..need].to_vec()), need)
                }
                None => Step::Done(Input::Raw(b[..1].to_vec()), 1),
            };
        }
    };
    Step::Done(Input::Key(k, b[..1].to_vec()), 1)
}

/// ESC O or ESC [ with nothing after yet: wait for the rest, or (once
/// escape-time has passed) take it as Meta and the second character.
fn unfinished(b: &[u8], force: bool) -> Step {
    if !force {
        return Step::More;
    }
    let k = Key {
        meta: true,
        ..key(KeyCode::Char(b[1] as char))
    };
    Step::Done(Input::Key(k, b[..2].to_vec()), 2)
}

/// Keys whose sequence ends in one letter, the same after SS3 (ESC O, in
/// application mode) and CSI (ESC [, with modifiers).
fn lettered(fin: u8) -> Option<KeyCode> {
    Some(match fin {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        _ => return None,
    })
}

fn ss3(b: &[u8], force: bool) -> Step {
    if b.len() < 3 {
        return unfinished(b, force);
    }
    match lettered(b[2]).or_else(|| keypad(b[2])) {
        Some(code) => Step::Done(Input::Key(key(code), b[..3].to_vec()), 3),
        None => Step::Done(Input::Raw(b[..3].to_vec()), 3),
    }
}

/// The keypad in application mode, after SS3.
fn keypad(fin: u8) -> Option<KeyCode> {
    let c = match fin {
        b'M' => '\r',
        b'p'..=b'y' => (b'0' + (fin - b'p')) as char,
        b'o' => '/',
        b'j' => '*',
        b'm' => '-',
        b'k' => '+',
        b'n' => '.',
        _ => return None,
    };
    Some(KeyCode::Keypad(c))
}

fn csi(b: &[u8], force: bool) -> Step {
    // ESC [ params intermediates final
    let mut i = 2;
    // X10 mouse: ESC [ M b x y, three raw bytes.
    if b.len() > 2 && b[2] == b'M' {
        if b.len() < 6 {
            return if force {
                Step::Done(Input::Raw(b.to_vec()), b.len())
            } else {
                Step::More
            };
        }
        let (cb, x, y) = (
            b[3].wrapping_sub(32),
            b[4].wrapping_sub(33),
            b[5].wrapping_sub(33),
        );
        return Step::Done(
            Input::Mouse(mouse(cb as u32, x as u16, y as u16, cb & 3 == 3)),
            6,
        );
    }
    while i < b.len() && (0x20..=0x3f).contains(&b[i]) {
        i += 1;
    }
    if i >= b.len() {
        return unfinished(b, force);
    }
    let fin = b[i];
    let len = i + 1;
    let raw = b[..len].to_vec();
    if !(0x40..=0x7e).contains(&fin) {
        return Step::Done(Input::Raw(b[..len].to_vec()), len);
    }
    let body = &b[2..i];
    if body.first() == Some(&b'<') && (fin == b'M' || fin == b'm') {
        let nums: Vec<u32> = std::str::from_utf8(&body[1..])
            .unwrap_or("")
            .split(';')
            .map(|n| n.parse().unwrap_or(0))
            .collect();
        if let [cb, x, y] = nums[..] {
            let m = mouse(
                cb,
                x.saturating_sub(1) as u16,
                y.saturating_sub(1) as u16,
                fin == b'm',
            );
            return Step::Done(Input::Mouse(m), len);
        }
        return Step::Done(Input::Raw(raw), len);
    }
    let params: Vec<u32> = std::str::from_utf8(body)
        .unwrap_or("")
        .split(';')
        .map(|n| n.parse().unwrap_or(0))
        .collect();
    let p0 = params.first().copied().unwrap_or(0);
    let modp = params.get(1).copied().unwrap_or(1);
    if let Some(code) = lettered(fin) {
        return Step::Done(Input::Key(with_mods(key(code), modp), raw), len);
    }
    let code = match fin {
        b'Z' => {
            return Step::Done(
                Input::Key(
                    Key {
                        shift: false,
                        ..key(KeyCode::BTab)
                    },
                    raw,
                ),
                len,
            );
        }
        b'I' if body.is_empty() => return Step::Done(Input::Focus(true), len),
        b'O' if body.is_empty() => return Step::Done(Input::Focus(false), len),
        b'~' => match p0 {
            1 | 7 => KeyCode::Home,
            2 => KeyCode::Insert,
            3 => KeyCode::Delete,
            4 | 8 => KeyCode::End,
            5 => KeyCode::PageUp,
            6 => KeyCode::PageDown,
            11..=15 => KeyCode::F((p0 - 10) as u8),
            17..=21 => KeyCode::F((p0 - 11) as u8),
            23 | 24 => KeyCode::F((p0 - 12) as u8),
            _ => return Step::Done(Input::Raw(raw), len),
        },
        _ => return Step::Done(Input::Raw(raw), len),
    };
    Step::Done(Input::Key(with_mods(key(code), modp), raw), len)
}

fn mouse(cb: u32, x: u16, y: u16, release: bool) -> Mouse {
    let button = (cb & 3) as u8;
    let kind = if cb & 64 != 0 {
        if button == 0 {
            MouseKind::WheelUp
        } else {
            MouseKind::WheelDown
        }
    } else if cb & 32 != 0 {
        if button == 3 {
            MouseKind::Move
        } else {
            MouseKind::Drag(button + 1)
        }
    } else if release {
        MouseKind::Up(button + 1)
    } else {
        MouseKind::Down(button + 1)
    };
    Mouse {
        kind,
        x,
        y,
        shift: cb & 4 != 0,
        meta: cb & 8 != 0,
        ctrl: cb & 16 != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(data: &[u8]) -> Vec<String> {
        let mut p = Parser::default();
        let mut out = p.feed(data);
        out.extend(p.flush());
        out.into_iter()
            .map(|e| match e {
                Input::Key(k, _) => k.to_string(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn plain_control_and_meta() {
        assert_eq!(
            keys(b"a\x01\r\t\x7f"),
            ["a", "C-a", "Enter", "Tab", "BSpace"]
        );
        assert_eq!(keys(b"\x1bx\x1b\x01"), ["M-x", "M-C-a"]);
        assert_eq!(keys("é".as_bytes()), ["é"]);
        assert_eq!(keys(b"\x1b"), ["Escape"]);
    }

    #[test]
    fn cursor_and_function_keys() {
        assert_eq!(
            keys(b"\x1b[A\x1bOB\x1b[1;5C\x1b[1;3D"),
            ["Up", "Down", "C-Right", "M-Left"]
        );
        assert_eq!(
            keys(b"\x1b[5~\x1b[3;2~\x1bOP\x1b[15~\x1b[24~\x1b[Z"),
            ["PPage", "S-DC", "F1", "F5", "F12", "BTab"]
        );
        assert_eq!(
            keys(b"\x1bOp\x1bOy\x1bOM\x1bOj\x1b[1;2P"),
            ["KP0", "KP9", "KPEnter", "KP*", "S-F1"]
        );
    }

    #[test]
    fn split_sequences_wait_for_the_rest() {
        let mut p = Parser::default();
        assert!(p.feed(b"\x1b[1;").is_empty());
        assert!(p.pending());
        let out = p.feed(b"5A");
        assert!(
            matches!(&out[..], [Input::Key(k, raw)] if k.to_string() == "C-Up" && raw == b"\x1b[1;5A")
        );
    }

    #[test]
    fn pastes_focus_and_mouse() {
        let mut p = Parser::default();
        let mut out = p.feed(b"\x1b[200~hi\x1b[2");
        out.extend(p.feed(b"01~\x1b[I\x1b[<0;5;3M\x1b[<0;5;3m\x1b[<64;1;1M"));
        assert_eq!(out[0], Input::Paste(b"hi".to_vec()));
        assert_eq!(out[1], Input::Focus(true));
        assert!(matches!(
            out[2],
            Input::Mouse(Mouse {
                kind: MouseKind::Down(1),
                x: 4,
                y: 2,
                ..
            })
        ));
        assert!(matches!(
            out[3],
            Input::Mouse(Mouse {
                kind: MouseKind::Up(1),
                ..
            })
        ));
        assert!(matches!(
            out[4],
            Input::Mouse(Mouse {
                kind: MouseKind::WheelUp,
                ..
            })
        ));
    }

    #[test]
    fn unknown_sequences_pass_through() {
        let mut p = Parser::default();
        assert_eq!(p.feed(b"\x1b[99x"), [Input::Raw(b"\x1b[99x".to_vec())]);
    }
}
