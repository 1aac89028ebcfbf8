//! The terminal emulator behind each pane.
//!
//! Panes talk to an [`Emulator`], never to a crate directly. [`Emu`] is
//! agmux's own: the `vte` parser (alacritty's) in front of a compact grid.
//! It replaced the vt100 crate, which stays in the tests as the reference
//! the differential tests hold it to (`vt100_ref.rs`, `tests.rs`).
//!
//! - `cell.rs`: the 8-byte cell and the per-pane style and cluster tables.
//! - `grid.rs`: rows (a ring), cursor, scroll region, scrolling, erasing.
//! - `history.rs`: rows scrolled off the top, packed.
//! - `reflow.rs`: resizing the main screen as tmux does, rewrapping lines.
//! - `term.rs`: the terminal state and what each control does to it.
//! - `perform.rs`: which escape sequence calls what.
//! - `fuzz.rs`: the fuzz body, and the random streams tests use.
//!
//! The emulator needs nothing from the server but `crate::screen` and
//! `commands::keys`, so that the fuzz crate and the benchmark can include
//! these files by path.

#[cfg(test)]
use crate::screen::{BOLD, Color, DIM, INVERSE, ITALIC, Style, UNDERLINE};
pub use crate::screen::{Line, LineCell};
use commands::keys::InputModes;

mod cell;
#[allow(dead_code)]
pub mod fuzz;
mod grid;
mod history;
mod perform;
mod reflow;
mod term;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod vt100_ref;
#[cfg(test)]
pub use vt100_ref::Vt100;

use cell::{Cell, Tables};
use perform::Plain;
use term::{MouseEncoding, Term};

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
    fn cursor_visible(&self) -> bool;
    /// DECSCUSR: 0 default, 1-6 blinking/steady block, underline, bar.
    fn cursor_style(&self) -> u8;
    fn title(&self) -> &str;
    fn set_title(&mut self, title: &str);
    /// The default foreground and background set by OSC 10 and 11.
    fn default_colours(&self) -> [Option<crate::screen::Color>; 2] {
        [None, None]
    }
    fn input_modes(&self) -> InputModes;
    /// Which mouse events the program asked for, and how to encode them.
    fn mouse_mode(&self) -> MouseMode;
    /// Whether the program asked for focus in and out reports.
    fn focus_reporting(&self) -> bool;
    fn alternate_screen(&self) -> bool;
    /// Lines of history (scrolled off the top).
    fn history_size(&self) -> usize;
    /// Lines dropped from the top of history by its limit, ever.
    fn history_trimmed(&self) -> u64;
    fn clear_history(&mut self);
    /// Line `y`: 0 is the first visible line, negative lines are history
    /// (-1 the newest). `None` outside the pane.
    fn line(&mut self, y: i64) -> Option<Line>;
    /// Every visible line, for drawing. Called for every frame, so an
    /// emulator should make it cheap when little changed.
    fn screen_lines(&mut self) -> &[Line];
    /// The working directory the program told with OSC 7.
    fn path(&self) -> String {
        String::new()
    }
    /// How many times the program rang the bell since the last call.
    fn take_bells(&mut self) -> u32 {
        0
    }
    /// The state tmux's pane format variables show.
    fn modes(&self) -> Modes {
        let (cols, rows) = self.size();
        Modes {
            cursor_visible: self.cursor_visible(),
            scroll_bottom: rows.saturating_sub(1),
            tabs: (8..cols).step_by(8).collect(),
            ..Modes::default()
        }
    }
}

/// A terminal's modes and regions, for formats (#{origin_flag},
/// #{scroll_region_upper}, #{pane_tabs}...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Modes {
    pub origin: bool,
    pub app_keypad: bool,
    pub app_cursor: bool,
    pub cursor_visible: bool,
    pub mouse: MouseReport,
    pub mouse_utf8: bool,
    pub mouse_sgr: bool,
    pub scroll_top: u16,
    pub scroll_bottom: u16,
    /// Where entering the alternate screen saved the cursor, while it is on.
    pub saved: Option<(u16, u16)>,
    pub tabs: Vec<u16>,
}

/// The mouse events a program asked for (DECSET 9, 1000, 1002, 1003) and
/// whether it wants them in SGR form (1006).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MouseMode {
    pub report: MouseReport,
    pub sgr: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum MouseReport {
    #[default]
    Off,
    Press,
    PressRelease,
    ButtonMotion,
    AnyMotion,
}

/// Numbers line versions across every pane (and every emulator a pane
/// shows: copy mode's view has its own).
fn next_version() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// agmux's emulator: the parser, the terminal, and the visible lines as
/// last handed to the renderer.
pub struct Emu {
    /// Made on the first byte the fast path cannot take: 1.5 KiB (mostly
    /// its OSC buffer) that a pane which never printed an escape sequence
    /// or a non-ASCII character does without.
    parser: Option<Box<vte::Parser>>,
    term: Term,
    lines: Vec<Line>,
    /// The previous frame's line list, kept for its allocation.
    spare: Vec<Line>,
    /// The start of a UTF-8 character the last read cut off, held back
    /// until the rest comes: vte 0.15 drops the byte after the character
    /// when it gets one in two pieces (its `advance_partial_utf8` counts
    /// the bytes of what follows as part of it).
    held: Vec<u8>,
}

/// Reads a plain `ESC [ n ; n ... X` (digits and `;` only, at most 16
/// parameters of at most 4 digits) from the start of `bytes` as vte would
/// read it: the length, the parameters and the final character. Anything
/// else (private markers, sub-parameters, intermediates, controls inside,
/// the end of the input) is left to vte, which then costs a call per byte.
fn plain_csi(bytes: &[u8]) -> Option<(usize, Plain, char)> {
    if !bytes.starts_with(b"\x1b[") {
        return None;
    }
    let mut p = Plain::default();
    let (mut val, mut digits) = (0u16, 0);
    for (k, &b) in bytes.iter().enumerate().skip(2) {
        match b {
            b'0'..=b'9' if digits < 4 => {
                val = val * 10 + u16::from(b - b'0');
                digits += 1;
            }
            b';' if p.n < 15 => {
                p.vals[p.n] = val;
                p.n += 1;
                (val, digits) = (0, 0);
            }
            0x40..=0x7e => {
                p.vals[p.n] = val;
                p.n += 1;
                return Some((k + 1, p, char::from(b)));
            }
            _ => return None,
        }
    }
    None
}

/// How many bytes at the end of `bytes` are an unfinished UTF-8
/// character.
fn cut_utf8(bytes: &[u8]) -> usize {
    for k in 1..=3.min(bytes.len()) {
        let b = bytes[bytes.len() - k];
        if b & 0xc0 == 0x80 {
            continue;
        }
        let need = match b {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => 0,
        };
        return if need > k { k } else { 0 };
    }
    0
}

impl Emu {
    pub fn new(cols: u16, rows: u16, history: usize) -> Emu {
        Emu {
            parser: None,
            term: Term::new(cols, rows, history),
            lines: Vec::new(),
            spare: Vec::new(),
            held: Vec::new(),
        }
    }

    /// Parses output: runs of printable ASCII in the ground state go
    /// straight to the grid, everything else through the parser.
    fn feed(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            if self.term.ground {
                let rest = &bytes[i..];
                let run = rest
                    .iter()
                    .position(|b| !(0x20..=0x7e).contains(b))
                    .unwrap_or(rest.len());
                if run > 0 {
                    self.term.print_ascii(&rest[..run]);
                    i += run;
                    continue;
                }
                // C0 controls other than ESC do in the ground state what
                // the parser would do with them.
                if rest[0] < 0x20 && rest[0] != 0x1b {
                    vte::Perform::execute(&mut self.term, rest[0]);
                    i += 1;
                    continue;
                }
                // So do plain CSI sequences (SGR, cursor movement).
                if let Some((len, params, c)) = plain_csi(rest) {
                    self.term.dispatch_csi(&params, &[], c);
                    i += len;
                    continue;
                }
            }
            // Escape sequences and UTF-8 go through the parser, up to the
            // first thing that leaves it in its ground state.
            self.term.ground_event = false;
            let parser = self.parser.get_or_insert_with(Box::default);
            let n = parser.advance_until_terminated(&mut self.term, &bytes[i..]);
            i += n;
            let last = if n > 0 { bytes[i - 1] } else { 0 };
            // After an ESC the parser waits for the rest of a sequence; at
            // the end of the input, a byte >= 0x80 may be half a character
            // it holds on to.
            self.term.ground =
                self.term.ground_event && last != 0x1b && (i < bytes.len() || last < 0x80);
        }
    }

    /// Leaves out what agmux does beyond the vt100 crate (the
    /// differential tests).
    #[cfg(test)]
    fn vt100_compat(mut self) -> Emu {
        self.term.vt100_compat = true;
        self
    }

    /// Sets a small table-compaction threshold (tests).
    #[cfg(test)]
    fn set_compact_limit(&mut self, n: usize) {
        self.term.tables.set_limit(n);
    }
}

/// Builds a [`Line`] from `cols` cells (`cells` gives them in order; it
/// may give fewer, the rest are blank).
fn make_line(tables: &Tables, cols: u16, wrapped: bool, cells: impl Iterator<Item = Cell>) -> Line {
    let cols = usize::from(cols);
    let mut line = Line {
        wrapped,
        ..Line::default()
    };
    line.cells.reserve(cols);
    for cell in cells.chain(std::iter::repeat(Cell::DEFAULT)).take(cols) {
        let before = line.text.len();
        if let Some(b) = cell.as_ascii().filter(|b| *b != 0) {
            line.text.push(char::from(b));
        } else {
            tables.push_text(cell, &mut line.text);
        }
        let width = if cell.is_wide_continuation() {
            0
        } else if cell.is_wide() {
            2
        } else {
            1
        };
        line.cells.push(LineCell {
            len: (line.text.len() - before).min(usize::from(u8::MAX)) as u8,
            width,
            style: tables.styles.get(cell.style),
        });
    }
    line
}

impl Emulator for Emu {
    fn process(&mut self, bytes: &[u8]) {
        if self.held.is_empty() {
            let keep = cut_utf8(bytes);
            self.feed(&bytes[..bytes.len() - keep]);
            self.held.extend_from_slice(&bytes[bytes.len() - keep..]);
        } else {
            let mut joined = std::mem::take(&mut self.held);
            joined.extend_from_slice(bytes);
            let keep = cut_utf8(&joined);
            self.feed(&joined[..joined.len() - keep]);
            joined.drain(..joined.len() - keep);
            self.held = joined;
        }
        self.term.compact_tables();
    }

    fn take_replies(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.term.replies)
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.term.resize(cols, rows);
    }

    fn size(&self) -> (u16, u16) {
        let g = self.term.g();
        (g.cols, g.rows_n)
    }

    fn cursor(&self) -> (u16, u16) {
        let p = self.term.g().pos;
        (p.col, p.row)
    }

    fn cursor_visible(&self) -> bool {
        !self.term.hide_cursor
    }

    fn cursor_style(&self) -> u8 {
        self.term.cursor_style
    }

    fn title(&self) -> &str {
        &self.term.title
    }

    fn default_colours(&self) -> [Option<crate::screen::Color>; 2] {
        self.term.default_colours
    }

    fn set_title(&mut self, title: &str) {
        self.term.title = title.to_string();
    }

    fn input_modes(&self) -> InputModes {
        InputModes {
            app_cursor: self.term.app_cursor,
            app_keypad: self.term.app_keypad,
            bracketed_paste: self.term.bracketed_paste,
        }
    }

    fn mouse_mode(&self) -> MouseMode {
        MouseMode {
            report: self.term.mouse,
            sgr: self.term.mouse_enc == MouseEncoding::Sgr,
        }
    }

    fn focus_reporting(&self) -> bool {
        self.term.focus
    }

    fn take_bells(&mut self) -> u32 {
        std::mem::take(&mut self.term.bells)
    }

    fn path(&self) -> String {
        self.term.path.clone()
    }

    fn modes(&self) -> Modes {
        let g = self.term.g();
        let main = &self.term.grid;
        Modes {
            origin: g.origin_mode,
            app_keypad: self.term.app_keypad,
            app_cursor: self.term.app_cursor,
            cursor_visible: !self.term.hide_cursor,
            mouse: self.term.mouse,
            mouse_utf8: self.term.mouse_enc == MouseEncoding::Utf8,
            mouse_sgr: self.term.mouse_enc == MouseEncoding::Sgr,
            scroll_top: g.scroll_top,
            scroll_bottom: g.scroll_bottom,
            saved: self
                .term
                .alt_on
                .then_some((main.saved_pos.col, main.saved_pos.row)),
            tabs: self.term.tab_columns(),
        }
    }

    fn alternate_screen(&self) -> bool {
        self.term.alt_on
    }

    fn history_size(&self) -> usize {
        self.term.g().scrollback_len()
    }

    fn history_trimmed(&self) -> u64 {
        self.term.grid.dropped
    }

    fn clear_history(&mut self) {
        // The main screen's, even from the alternate screen, as tmux's
        // clear-history (vt100 cleared nothing there).
        self.term.grid.erase_all_scrollback(false);
    }

    fn line(&mut self, y: i64) -> Option<Line> {
        let g = self.term.g();
        let tables = &self.term.tables;
        if y >= 0 {
            let row = g.row(u16::try_from(y).ok()?)?;
            return Some(make_line(
                tables,
                g.cols,
                row.wrapped,
                row.cells().iter().copied(),
            ));
        }
        let h = g.history.as_ref()?;
        let back = usize::try_from(y.unsigned_abs()).ok()?;
        let row = h.rows.get(h.rows.len().checked_sub(back)?)?;
        let mut cells = Vec::with_capacity(row.len());
        row.for_each(|c| cells.push(c));
        // A history row narrower than the screen no longer continues on
        // the next: vt100 widened such rows when they were read, dropping
        // the flag (for good; here only while the screen is wider). With
        // reflow, as tmux, the flag is always right: a row that wraps
        // short of the edge is one whose next character was too wide.
        let wrapped = row.wrapped && (!self.term.vt100_compat || row.len() >= usize::from(g.cols));
        Some(make_line(tables, g.cols, wrapped, cells.into_iter()))
    }

    fn screen_lines(&mut self) -> &[Line] {
        let mut old = std::mem::replace(&mut self.lines, std::mem::take(&mut self.spare));
        let term = &mut self.term;
        let g = if term.alt_on {
            &mut term.alt
        } else {
            &mut term.grid
        };
        let cols = g.cols;
        for (y, row) in g.rows.iter_mut().enumerate() {
            // A row that did not change since it was last drawn keeps its
            // line (and version), wherever scrolling moved it to.
            let kept = (row.seen != 0)
                .then(|| {
                    [y, y + 1, y.wrapping_sub(1)]
                        .into_iter()
                        .find(|i| old.get(*i).is_some_and(|l| l.version == row.seen))
                        .or_else(|| old.iter().position(|l| l.version == row.seen))
                })
                .flatten()
                .and_then(|i| old.get_mut(i))
                .map(std::mem::take);
            let line = match kept {
                Some(l) if l.cells.len() == usize::from(cols) => l,
                _ => {
                    let mut l =
                        make_line(&term.tables, cols, row.wrapped, row.cells().iter().copied());
                    l.version = next_version();
                    row.seen = l.version;
                    l
                }
            };
            self.lines.push(line);
        }
        old.clear();
        self.spare = old;
        &self.lines
    }
}
