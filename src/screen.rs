//! What a screen is made of, for the server's emulators and renderer and
//! the client's drawing alike: colours, styles, and lines of cells.

use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
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
pub const BLINK: u8 = 32;
pub const HIDDEN: u8 = 64;
pub const STRIKETHROUGH: u8 = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
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
    /// Changes whenever the emulator reads the line again, so a drawing of
    /// it can be kept until then (0: never kept).
    pub version: u64,
}

impl Line {
    /// Plain text, blank cells as spaces; trailing spaces removed unless
    /// `keep_trailing`.
    pub fn plain(&self, keep_trailing: bool) -> String {
        let mut out = String::with_capacity(self.cells.len());
        for (_, text) in self.cell_texts().take(self.used()) {
            out.push_str(text);
        }
        if !keep_trailing {
            let trimmed = out.trim_end_matches(' ').len();
            out.truncate(trimmed);
        }
        out
    }

    /// Each cell with its text as shown: a blank cell's is a space, the
    /// right half of a wide character's is empty.
    pub fn cell_texts(&self) -> impl Iterator<Item = (&LineCell, &str)> {
        let mut pos = 0;
        self.cells.iter().map(move |c| {
            let len = c.len as usize;
            let text = if len > 0 {
                pos += len;
                &self.text[pos - len..pos]
            } else if c.width > 0 {
                " "
            } else {
                ""
            };
            (c, text)
        })
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
        for (i, (c, text)) in self.cell_texts().take(self.used()).enumerate() {
            if keep_trailing || (c.len > 0 && text != " ") || c.style.bg != Color::Default {
                last = i + 1;
            }
        }
        let mut out = String::new();
        let mut cur = Style::default();
        for (c, text) in self.cell_texts().take(last) {
            if c.style != cur {
                sgr_diff(&mut out, &cur, &c.style);
                cur = c.style;
            }
            out.push_str(text);
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
        (BLINK, "5"),
        (INVERSE, "7"),
        (HIDDEN, "8"),
        (STRIKETHROUGH, "9"),
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
