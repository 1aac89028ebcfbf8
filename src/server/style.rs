//! tmux styles (`fg=red,bold`, `bg=colour236`, `#[reverse]` in formats) and a
//! canvas of styled cells to draw clients' screens on.

use crate::screen::{
    BLINK, BOLD, Color, DIM, HIDDEN, INVERSE, ITALIC, Line, STRIKETHROUGH, Style, UNDERLINE,
};
use unicode_width::UnicodeWidthChar;

/// Parses a colour name: `red`, `brightred`, `colour123`, `#rrggbb`, `default`.
pub fn colour(s: &str) -> Option<Color> {
    let names = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    ];
    let s = s.to_ascii_lowercase();
    if s == "default" || s == "terminal" {
        return Some(Color::Default);
    }
    if let Some(i) = names.iter().position(|n| *n == s) {
        return Some(Color::Idx(i as u8));
    }
    if let Some(i) = s
        .strip_prefix("bright")
        .and_then(|n| names.iter().position(|x| *x == n))
    {
        return Some(Color::Idx(i as u8 + 8));
    }
    if let Some(n) = s.strip_prefix("colour").or_else(|| s.strip_prefix("color")) {
        return n.parse::<u8>().ok().map(Color::Idx);
    }
    if let Some(hex) = s.strip_prefix('#').filter(|h| h.len() == 6) {
        let v = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    None
}

/// Applies a style string on top of `style`; `default` goes back to `base`.
pub fn apply(style: &mut Style, spec: &str, base: &Style) {
    for word in spec
        .split([',', ' '])
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        let (name, value) = match word.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (word, None),
        };
        match (name, value) {
            ("fg", Some(v)) => {
                style.fg =
                    colour(v).map_or(style.fg, |c| if c == Color::Default { base.fg } else { c })
            }
            ("bg", Some(v)) => {
                style.bg =
                    colour(v).map_or(style.bg, |c| if c == Color::Default { base.bg } else { c })
            }
            ("default", None) => *style = *base,
            ("none", None) => style.attrs = 0,
            (attr, None) => {
                let (off, attr) = match attr.strip_prefix("no") {
                    Some(a) => (true, a),
                    None => (false, attr),
                };
                let bit = match attr {
                    "bold" | "bright" => BOLD,
                    "dim" => DIM,
                    "italics" => ITALIC,
                    "underscore" => UNDERLINE,
                    "reverse" => INVERSE,
                    "blink" => BLINK,
                    "hidden" => HIDDEN,
                    "strikethrough" => STRIKETHROUGH,
                    _ => 0,
                };
                if off {
                    style.attrs &= !bit;
                } else {
                    style.attrs |= bit;
                }
            }
            _ => {}
        }
    }
}

pub fn parse(spec: &str, base: &Style) -> Style {
    let mut s = *base;
    apply(&mut s, spec, base);
    s
}

/// Splits expanded format text at `#[style]` directives.
pub fn segments(text: &str, base: &Style) -> Vec<(Style, String)> {
    let mut out = Vec::new();
    let mut style = *base;
    let mut rest = text;
    while let Some(i) = rest.find("#[") {
        if i > 0 {
            out.push((style, rest[..i].to_string()));
        }
        let after = &rest[i + 2..];
        match after.find(']') {
            Some(end) => {
                apply(&mut style, &after[..end], base);
                rest = &after[end + 1..];
            }
            None => {
                rest = after;
            }
        }
    }
    if !rest.is_empty() {
        out.push((style, rest.to_string()));
    }
    out
}

/// Display width of text.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// A grid of cells: what one client sees.
pub struct Canvas {
    pub cols: usize,
    pub lines: Vec<Vec<Cell>>,
    /// The text of cells holding more than one character (combining marks).
    extra: Vec<String>,
}

/// One cell. Small, `Copy` and all plain integers with no padding, so that
/// comparing the rows of two frames is a memory compare: a frame has
/// thousands of cells and most do not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C)]
pub struct Cell {
    pub ch: char,
    /// 1 + an index into the canvas's extra texts, or 0.
    extra: u16,
    /// 0 for the right half of a wide character.
    pub width: u8,
    attrs: u8,
    /// The colours, packed by [`pack`].
    fg: u32,
    bg: u32,
}

const _: () = assert!(std::mem::size_of::<Cell>() == 16, "Cell has padding");

/// A colour as one number: the default, a palette index, or RGB.
fn pack(c: Color) -> u32 {
    match c {
        Color::Default => 0,
        Color::Idx(n) => 0x0100_0000 | n as u32,
        Color::Rgb(r, g, b) => 0x0200_0000 | (r as u32) << 16 | (g as u32) << 8 | b as u32,
    }
}

fn unpack(v: u32) -> Color {
    match v >> 24 {
        1 => Color::Idx(v as u8),
        2 => Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8),
        _ => Color::Default,
    }
}

impl Cell {
    pub fn new(ch: char, width: u8, style: Style) -> Cell {
        Cell {
            ch,
            extra: 0,
            width,
            attrs: style.attrs,
            fg: pack(style.fg),
            bg: pack(style.bg),
        }
    }

    pub fn blank(style: Style) -> Cell {
        Cell::new(' ', 1, style)
    }

    pub fn style(&self) -> Style {
        Style {
            fg: unpack(self.fg),
            bg: unpack(self.bg),
            attrs: self.attrs,
        }
    }

    pub fn set_style(&mut self, style: Style) {
        self.attrs = style.attrs;
        self.fg = pack(style.fg);
        self.bg = pack(style.bg);
    }

    /// Takes these colours where the cell has the default ones.
    pub fn default_colours(&mut self, fg: Color, bg: Color) {
        if self.fg == 0 {
            self.fg = pack(fg);
        }
        if self.bg == 0 {
            self.bg = pack(bg);
        }
    }
}

/// A row's cells as the bytes they are.
fn row_bytes(row: &[Cell]) -> &[u8] {
    // SAFETY: Cell is repr(C) of integers that fill its 16 bytes with no
    // padding (asserted above), so every byte of the slice is initialised;
    // the byte slice covers exactly the cells' memory and borrows it.
    unsafe { std::slice::from_raw_parts(row.as_ptr().cast::<u8>(), std::mem::size_of_val(row)) }
}

impl Canvas {
    pub fn new(cols: usize, rows: usize) -> Canvas {
        Canvas {
            cols,
            lines: vec![vec![Cell::blank(Style::default()); cols]; rows],
            extra: Vec::new(),
        }
    }

    /// Clears to blanks at a size, keeping the allocations.
    pub fn reset(&mut self, cols: usize, rows: usize) {
        self.cols = cols;
        self.extra.clear();
        self.lines.resize_with(rows, Vec::new);
        let blank = Cell::blank(Style::default());
        for line in &mut self.lines {
            // A plain fill where the width is kept: it runs once a frame.
            if line.len() == cols {
                line.fill(blank);
            } else {
                line.clear();
                line.resize(cols, blank);
            }
        }
    }

    /// Appends a cell's text to `out`.
    pub fn push_text(&self, cell: &Cell, out: &mut String) {
        if cell.width == 0 {
            return;
        }
        match cell.extra {
            0 => out.push(cell.ch),
            i => out.push_str(&self.extra[i as usize - 1]),
        }
    }

    /// Whether row `y` has a cell with more than one character.
    pub fn has_extra(&self, y: usize) -> bool {
        self.lines
            .get(y)
            .is_some_and(|l| l.iter().any(|c| c.extra != 0))
    }

    /// Whether row `y` shows the same as row `y` of `other`.
    pub fn same_row(&self, other: &Canvas, y: usize) -> bool {
        let (Some(a), Some(b)) = (self.lines.get(y), other.lines.get(y)) else {
            return false;
        };
        if row_bytes(a) != row_bytes(b) {
            return false;
        }
        // Equal cells can still differ in their extra texts.
        a.iter().all(|c| {
            c.extra == 0 || self.extra[c.extra as usize - 1] == other.extra[c.extra as usize - 1]
        })
    }

    /// Whether cell `a` of this canvas shows the same as cell `b` of `other`.
    pub fn same_cell(&self, other: &Canvas, a: &Cell, b: &Cell) -> bool {
        a == b
            && (a.extra == 0
                || self.extra[a.extra as usize - 1] == other.extra[b.extra as usize - 1])
    }

    fn set_extra(&mut self, x: usize, y: usize, text: &str) {
        self.extra.push(text.to_string());
        let i = self.extra.len().min(u16::MAX as usize) as u16;
        if let Some(c) = self.lines.get_mut(y).and_then(|l| l.get_mut(x)) {
            c.extra = i;
        }
    }

    /// Writes text at (x, y), clipped to `limit` columns from x; returns the
    /// column after it.
    pub fn put(&mut self, x: usize, y: usize, text: &str, style: Style, limit: usize) -> usize {
        if y >= self.lines.len() {
            return x;
        }
        let end = (x + limit).min(self.cols);
        let mut col = x;
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if w == 0 {
                if col > x {
                    let prev = self.lines[y][col - 1];
                    let mut t = String::new();
                    self.push_text(&prev, &mut t);
                    t.push(c);
                    self.set_extra(col - 1, y, &t);
                }
                continue;
            }
            if col + w > end {
                break;
            }
            let line = &mut self.lines[y];
            line[col] = Cell::new(c, w as u8, style);
            if w == 2 {
                line[col + 1] = Cell::new(' ', 0, style);
            }
            col += w;
        }
        col
    }

    pub fn fill(&mut self, y: usize, from: usize, to: usize, style: Style) {
        if let Some(line) = self.lines.get_mut(y) {
            for c in line.iter_mut().take(to.min(self.cols)).skip(from) {
                *c = Cell::blank(style);
            }
        }
    }

    /// Copies an emulator line into the canvas at (x, y), `w` columns wide.
    pub fn blit(&mut self, x: usize, y: usize, w: usize, line: &Line) {
        if y >= self.lines.len() {
            return;
        }
        let mut pos = 0;
        for (i, c) in line.cells.iter().enumerate().take(w) {
            let len = c.len as usize;
            let text = &line.text[pos..pos + len];
            pos += len;
            if x + i >= self.cols {
                break;
            }
            let mut chars = text.chars();
            let first = chars.next().unwrap_or(' ');
            let several = chars.next().is_some();
            let cell = if c.width == 2 && i + 1 >= w {
                // A wide character cut by the edge shows as a space.
                Cell::blank(c.style)
            } else {
                Cell::new(if c.width == 0 { ' ' } else { first }, c.width, c.style)
            };
            self.lines[y][x + i] = cell;
            if several && c.width > 0 {
                self.set_extra(x + i, y, text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles() {
        let base = Style::default();
        let s = parse("bg=green,fg=black", &base);
        assert_eq!((s.fg, s.bg), (Color::Idx(0), Color::Idx(2)));
        let s = parse("fg=colour123 bold,underscore", &base);
        assert_eq!(s.fg, Color::Idx(123));
        assert_eq!(s.attrs, BOLD | UNDERLINE);
        assert_eq!(parse("fg=#ff8000", &base).fg, Color::Rgb(255, 128, 0));
        assert_eq!(parse("fg=brightred", &base).fg, Color::Idx(9));
        assert_eq!(
            parse("blink,strikethrough,hidden", &base).attrs,
            BLINK | STRIKETHROUGH | HIDDEN
        );
        let mut r = parse("reverse", &base);
        apply(&mut r, "noreverse", &base);
        assert_eq!(r.attrs, 0);
    }

    #[test]
    fn segments_split_on_directives() {
        let base = Style::default();
        let segs = segments("a#[fg=red]b#[default]c", &base);
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[1].0.fg, Color::Idx(1));
        assert_eq!(segs[2].0, base);
    }

    #[test]
    fn canvas_wide_characters() {
        let mut c = Canvas::new(5, 1);
        let end = c.put(0, 0, "a日本", Style::default(), 5);
        assert_eq!(end, 5);
        assert_eq!(c.lines[0][1].ch, '日');
        assert_eq!(c.lines[0][2].width, 0);
        let mut c = Canvas::new(4, 1);
        assert_eq!(c.put(0, 0, "a日本", Style::default(), 4), 3);
    }
}
