//! The terminal emulator behind each pane.
//!
//! Panes talk to an [`Emulator`], never to a crate directly: the vt100 crate
//! does the work today, and a faster emulator can replace it by implementing
//! this trait. Lines come out as [`Line`]s of cells with a [`Style`], from
//! which captures (plain or with escapes) and, later, client redraws are made.

use commands::keys::InputModes;
use std::fmt::Write as _;
use std::num::NonZeroU16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Color {
    #[default]
    Default,
    Idx(u8),
    Rgb(u8, u8, u8),
}

pub const BOLD: u8 = 1;
pub const DIM: u8 = 2;
pub const ITALIC: u8 = 4;
pub const UNDERLINE: u8 = 8;
pub const INVERSE: u8 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub fg: Color,
    pub bg: Color,
    pub attrs: u8,
}

/// One column of a line. `len` is the cell's bytes in [`Line::text`];
/// `width` is 0 for the right half of a wide character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCell {
    pub len: u8,
    pub width: u8,
    pub style: Style,
}

/// A line of the screen or of history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    /// The text of the cells that have some (blank cells have none).
    pub text: String,
    pub cells: Vec<LineCell>,
    /// The line continues on the next one (it wrapped).
    pub wrapped: bool,
}

impl Line {
    /// Plain text, blank cells as spaces; trailing spaces removed unless
    /// `keep_trailing`.
    pub fn plain(&self, keep_trailing: bool) -> String {
        let mut out = String::with_capacity(self.cells.len());
        let mut pos = 0;
        for c in &self.cells[..self.used()] {
            let len = c.len as usize;
            if len > 0 {
                out.push_str(&self.text[pos..pos + len]);
                pos += len;
            } else if c.width > 0 {
                out.push(' ');
            }
        }
        if !keep_trailing {
            let trimmed = out.trim_end_matches(' ').len();
            out.truncate(trimmed);
        }
        out
    }

    /// Cells up to the last one a program wrote (blank cells after it were
    /// never written, and are not part of the line even with -N).
    fn used(&self) -> usize {
        self.cells
            .iter()
            .rposition(|c| c.len > 0 || c.style.bg != Color::Default)
            .map_or(0, |i| i + 1)
    }

    /// Text with SGR sequences for colours and attributes, as
    /// `capture-pane -e` prints it: each line starts from default style and
    /// ends back at it.
    pub fn with_escapes(&self, keep_trailing: bool) -> String {
        // Trailing blanks are dropped unless asked for, but a coloured
        // background is content.
        let mut last = 0;
        let mut pos = 0;
        for (i, c) in self.cells[..self.used()].iter().enumerate() {
            let text = &self.text[pos..pos + c.len as usize];
            pos += c.len as usize;
            if keep_trailing || (c.len > 0 && text != " ") || c.style.bg != Color::Default {
                last = i + 1;
            }
        }
        let mut out = String::new();
        let mut cur = Style::default();
        let mut pos = 0;
        for c in &self.cells[..last] {
            if c.style != cur {
                sgr_diff(&mut out, &cur, &c.style);
                cur = c.style;
            }
            let len = c.len as usize;
            if len > 0 {
                out.push_str(&self.text[pos..pos + len]);
                pos += len;
            } else if c.width > 0 {
                out.push(' ');
            }
        }
        if cur != Style::default() {
            out.push_str("\x1b[0m");
        }
        out
    }
}

fn push_color(out: &mut String, c: &Color, fg: bool) {
    let _ = match (c, fg) {
        (Color::Default, true) => write!(out, "39"),
        (Color::Default, false) => write!(out, "49"),
        (Color::Idx(n), true) if *n < 8 => write!(out, "{}", 30 + n),
        (Color::Idx(n), false) if *n < 8 => write!(out, "{}", 40 + n),
        (Color::Idx(n), true) if *n < 16 => write!(out, "{}", 90 + n - 8),
        (Color::Idx(n), false) if *n < 16 => write!(out, "{}", 100 + n - 8),
        (Color::Idx(n), true) => write!(out, "38;5;{n}"),
        (Color::Idx(n), false) => write!(out, "48;5;{n}"),
        (Color::Rgb(r, g, b), true) => write!(out, "38;2;{r};{g};{b}"),
        (Color::Rgb(r, g, b), false) => write!(out, "48;2;{r};{g};{b}"),
    };
}

/// Appends the SGR sequence that turns style `from` into style `to`.
pub fn sgr_diff(out: &mut String, from: &Style, to: &Style) {
    let mut params: Vec<String> = Vec::new();
    let removed = from.attrs & !to.attrs;
    let mut base = *from;
    if removed != 0 {
        params.push("0".into());
        base = Style::default();
    }
    for (bit, code) in [
        (BOLD, "1"),
        (DIM, "2"),
        (ITALIC, "3"),
        (UNDERLINE, "4"),
        (INVERSE, "7"),
    ] {
        if to.attrs & bit != 0 && base.attrs & bit == 0 {
            params.push(code.into());
        }
    }
    if to.fg != base.fg {
        let mut s = String::new();
        push_color(&mut s, &to.fg, true);
        params.push(s);
    }
    if to.bg != base.bg {
        let mut s = String::new();
        push_color(&mut s, &to.bg, false);
        params.push(s);
    }
    if !params.is_empty() {
        let _ = write!(out, "\x1b[{}m", params.join(";"));
    }
}

/// What a pane needs from a terminal emulator.
pub trait Emulator: Send {
    /// Feeds output of the pane's program.
    fn process(&mut self, bytes: &[u8]);
    /// Answers the program asked for (device attributes, cursor position),
    /// to be written back to it.
    fn take_replies(&mut self) -> Vec<u8>;
    fn resize(&mut self, cols: u16, rows: u16);
    /// (columns, rows).
    fn size(&self) -> (u16, u16);
    /// (x, y) of the cursor.
    fn cursor(&self) -> (u16, u16);
    fn title(&self) -> &str;
    fn set_title(&mut self, title: &str);
    fn input_modes(&self) -> InputModes;
    fn alternate_screen(&self) -> bool;
    /// Lines of history (scrolled off the top).
    fn history_size(&self) -> usize;
    fn clear_history(&mut self);
    /// Line `y`: 0 is the first visible line, negative lines are history
    /// (-1 the newest). `None` outside the pane.
    fn line(&mut self, y: i64) -> Option<Line>;
}

/// What the vt100 parser reports through its callbacks.
#[derive(Default)]
struct Events {
    title: String,
    replies: Vec<u8>,
}

impl vt100::Callbacks for Events {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.title = String::from_utf8_lossy(title).into_owned();
    }

    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        let first = params.first().and_then(|p| p.first()).copied().unwrap_or(0);
        match (i1, c, first) {
            // Primary device attributes: a VT100 with advanced video, as
            // tmux answers.
            (None, 'c', 0) => self.replies.extend_from_slice(b"\x1b[?1;2c"),
            (Some(b'>'), 'c', 0) => self.replies.extend_from_slice(b"\x1b[>84;0;0c"),
            (None, 'n', 5) => self.replies.extend_from_slice(b"\x1b[0n"),
            (None, 'n', 6) => {
                let (row, col) = screen.cursor_position();
                let reply = format!("\x1b[{};{}R", row + 1, col + 1);
                self.replies.extend_from_slice(reply.as_bytes());
            }
            _ => {}
        }
    }
}

/// The vt100 crate behind the [`Emulator`] trait.
pub struct Vt100 {
    parser: vt100::Parser<Events>,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n.max(1)).unwrap_or(NonZeroU16::MIN)
}

fn color(c: vt100::Color) -> Color {
    match c {
        vt100::Color::Default => Color::Default,
        vt100::Color::Idx(n) => Color::Idx(n),
        vt100::Color::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

impl Vt100 {
    pub fn new(cols: u16, rows: u16, history: usize) -> Vt100 {
        Vt100 {
            parser: vt100::Parser::new_with_callbacks(
                nz(rows),
                nz(cols),
                history,
                Events::default(),
            ),
        }
    }

    /// Reads visible row `row` with the screen scrolled back `offset` lines.
    fn read_row(&mut self, offset: usize, row: u16) -> Option<Line> {
        let screen = self.parser.screen_mut();
        if screen.scrollback() != offset {
            screen.set_scrollback(offset);
        }
        let (_, cols) = screen.size();
        let mut line = Line {
            wrapped: screen.row_wrapped(row),
            ..Line::default()
        };
        line.cells.reserve(cols.get() as usize);
        for col in 0..cols.get() {
            let cell = screen.cell(row, col)?;
            let mut attrs = 0;
            for (on, bit) in [
                (cell.bold(), BOLD),
                (cell.dim(), DIM),
                (cell.italic(), ITALIC),
                (cell.underline(), UNDERLINE),
                (cell.inverse(), INVERSE),
            ] {
                if on {
                    attrs |= bit;
                }
            }
            let style = Style {
                fg: color(cell.fgcolor()),
                bg: color(cell.bgcolor()),
                attrs,
            };
            let text = cell.contents();
            line.text.push_str(text);
            let width = if cell.is_wide_continuation() {
                0
            } else if cell.is_wide() {
                2
            } else {
                1
            };
            line.cells.push(LineCell {
                len: text.len().min(u8::MAX as usize) as u8,
                width,
                style,
            });
        }
        Some(line)
    }
}

impl Emulator for Vt100 {
    fn process(&mut self, bytes: &[u8]) {
        self.parser.process(bytes);
    }

    fn take_replies(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.parser.callbacks_mut().replies)
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.screen_mut().set_scrollback(0);
        self.parser.set_size(nz(rows), nz(cols));
    }

    fn size(&self) -> (u16, u16) {
        let (rows, cols) = self.parser.screen().size();
        (cols.get(), rows.get())
    }

    fn cursor(&self) -> (u16, u16) {
        let (row, col) = self.parser.screen().cursor_position();
        (col, row)
    }

    fn title(&self) -> &str {
        &self.parser.callbacks().title
    }

    fn set_title(&mut self, title: &str) {
        self.parser.callbacks_mut().title = title.to_string();
    }

    fn input_modes(&self) -> InputModes {
        let s = self.parser.screen();
        InputModes {
            app_cursor: s.application_cursor(),
            app_keypad: s.application_keypad(),
            bracketed_paste: s.bracketed_paste(),
        }
    }

    fn alternate_screen(&self) -> bool {
        self.parser.screen().alternate_screen()
    }

    fn history_size(&self) -> usize {
        self.parser.screen().scrollback_len()
    }

    fn clear_history(&mut self) {
        self.parser.screen_mut().clear_scrollback();
    }

    fn line(&mut self, y: i64) -> Option<Line> {
        let (_, rows) = self.size();
        let line = if y >= 0 {
            let row = u16::try_from(y).ok().filter(|r| *r < rows)?;
            self.read_row(0, row)
        } else {
            let back = usize::try_from(-y).ok()?;
            if back > self.history_size() {
                return None;
            }
            // Scrolled back by `back`, history line -back is the top row.
            self.read_row(back, 0)
        };
        let screen = self.parser.screen_mut();
        if screen.scrollback() != 0 {
            screen.set_scrollback(0);
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_history() {
        let mut e = Vt100::new(10, 3, 100);
        e.process(b"one\r\ntwo\r\nthree\r\nfour");
        assert_eq!(e.history_size(), 1);
        assert_eq!(e.line(-1).unwrap().plain(false), "one");
        assert_eq!(e.line(0).unwrap().plain(false), "two");
        assert_eq!(e.line(2).unwrap().plain(false), "four");
        assert!(e.line(3).is_none());
        assert!(e.line(-2).is_none());
        assert_eq!(e.cursor(), (4, 2));
    }

    #[test]
    fn escapes_round_trip_colours() {
        let mut e = Vt100::new(20, 2, 0);
        e.process(b"\x1b[31mred\x1b[0m \x1b[1;38;5;200mX\x1b[0m");
        let l = e.line(0).unwrap();
        assert_eq!(l.plain(false), "red X");
        assert_eq!(
            l.with_escapes(false),
            "\x1b[31mred\x1b[39m \x1b[1;38;5;200mX\x1b[0m"
        );
    }

    #[test]
    fn answers_queries() {
        let mut e = Vt100::new(20, 5, 0);
        e.process(b"ab\x1b[6n\x1b[c");
        assert_eq!(e.take_replies(), b"\x1b[1;3R\x1b[?1;2c");
        assert!(e.take_replies().is_empty());
    }

    #[test]
    fn title_and_wrap() {
        let mut e = Vt100::new(4, 2, 0);
        e.process(b"\x1b]2;hello\x07abcdef");
        assert_eq!(e.title(), "hello");
        assert!(e.line(0).unwrap().wrapped);
        assert_eq!(e.line(1).unwrap().plain(false), "ef");
    }
}
