//! The terminal's state and what each control does to it: drawing text,
//! moving the cursor, modes, the alternate screen. The parser glue
//! (`perform.rs`) maps sequences onto these methods.

use super::MouseReport;
use super::cell::{Cell, Tables};
use super::grid::{Grid, Pos};
use super::perform::CsiParams;
use crate::screen::{BLINK, BOLD, DIM, HIDDEN, INVERSE, ITALIC, STRIKETHROUGH, Style, UNDERLINE};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// vt100 keeps at most this many bytes of text in a cell (22 less room
/// for one more codepoint); combining marks past it are dropped.
const CLUSTER_MAX: usize = 18;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MouseEncoding {
    #[default]
    Default,
    Utf8,
    Sgr,
}

pub struct Term {
    pub grid: Grid,
    pub alt: Grid,
    pub alt_on: bool,
    pub attrs: Style,
    pub saved_attrs: Style,
    /// `attrs` in the style table, once interned.
    cur: Option<u32>,
    pub app_keypad: bool,
    /// Bells rung (BEL) and not yet taken.
    pub bells: u32,
    pub app_cursor: bool,
    pub hide_cursor: bool,
    pub bracketed_paste: bool,
    pub mouse: MouseReport,
    pub mouse_enc: MouseEncoding,
    pub cursor_style: u8,
    pub focus: bool,
    /// What REP repeats.
    pub last_char: Option<char>,
    /// Tab stops set by HTS/TBC; `None` is the default of every 8th
    /// column (and costs nothing).
    tabs: Option<Vec<bool>>,
    pub tables: Tables,
    pub title: String,
    /// What OSC 7 said: the program's working directory, as a URL.
    pub path: String,
    /// The default foreground and background the program set with OSC
    /// 10 and 11 (110 and 111 reset them): #{pane_fg} and #{pane_bg}.
    pub default_colours: [Option<crate::screen::Color>; 2],
    pub replies: Vec<u8>,
    /// The parser is known to be in its ground state, so runs of
    /// printable ASCII can skip it.
    pub ground: bool,
    /// Set by every dispatch that leaves the parser in the ground state.
    pub ground_event: bool,
    /// Behave exactly as the vt100 crate (the differential tests): no tab
    /// stops, DECALN, 1047, `;` in titles, or answers vt100 never gave.
    pub vt100_compat: bool,
}

fn char_wide(c: char) -> bool {
    c.width().unwrap_or(1) > 1
}

impl Term {
    pub fn new(cols: u16, rows: u16, history: usize) -> Term {
        let (cols, rows) = (cols.max(1), rows.max(1));
        let mut grid = Grid::new(cols, rows, Some(history));
        grid.allocate_rows();
        Term {
            grid,
            alt: Grid::new(cols, rows, None),
            alt_on: false,
            attrs: Style::default(),
            saved_attrs: Style::default(),
            cur: Some(0),
            app_keypad: false,
            bells: 0,
            app_cursor: false,
            hide_cursor: false,
            bracketed_paste: false,
            mouse: MouseReport::Off,
            mouse_enc: MouseEncoding::Default,
            cursor_style: 0,
            focus: false,
            last_char: None,
            tabs: None,
            tables: Tables::default(),
            title: String::new(),
            path: String::new(),
            default_colours: [None, None],
            replies: Vec::new(),
            ground: true,
            ground_event: false,
            vt100_compat: false,
        }
    }

    pub fn g(&self) -> &Grid {
        if self.alt_on { &self.alt } else { &self.grid }
    }

    pub fn g_mut(&mut self) -> &mut Grid {
        if self.alt_on {
            &mut self.alt
        } else {
            &mut self.grid
        }
    }

    /// The style index new cells get.
    pub fn cur_style(&mut self) -> u32 {
        match self.cur {
            Some(i) => i,
            None => {
                let i = self.tables.styles.intern(self.attrs);
                self.cur = Some(i);
                i
            }
        }
    }

    fn set_attrs(&mut self, a: Style) {
        if a != self.attrs {
            self.attrs = a;
            self.cur = None;
        }
    }

    /// Rebuilds the style and cluster tables from the cells in use, when
    /// they have grown (a truecolor gradient makes a style a cell).
    pub fn compact_tables(&mut self) {
        if !self.tables.needs_compacting() {
            return;
        }
        let (grid, alt) = (&mut self.grid, &mut self.alt);
        self.tables.compact(|f| {
            for g in [grid, alt] {
                g.rows.iter_mut().for_each(|r| r.remap(f));
                if let Some(h) = &mut g.history {
                    h.rows.iter_mut().for_each(|r| r.remap(f));
                }
            }
        });
        self.cur = None;
    }

    // Text.

    fn char_width(&self, c: char) -> Option<u16> {
        let g = self.g();
        let width = match c.width() {
            None if u32::from(c) < 256 => return None,
            w => w.unwrap_or(1).min(2) as u16,
        };
        if width > g.cols || (width == 0 && g.pos.col == 0) {
            return None;
        }
        Some(width)
    }

    /// Whether a character `width` wide that does not fit makes its row
    /// continue on the next (only if the last column has something).
    fn should_wrap(g: &Grid, width: u16) -> bool {
        if g.pos.col + width <= g.cols {
            return false;
        }
        let last = g.cell(Pos {
            row: g.pos.row,
            col: g.cols - 1,
        });
        last.has_contents() || last.is_wide_continuation()
    }

    /// Draws one character (vt100's `text`).
    pub fn text(&mut self, c: char) {
        let cur = self.cur_style();
        let Some(width) = self.char_width(c) else {
            return;
        };
        let mut base;
        let was_wide;
        if width > 0 {
            // tmux marks every wrap, also of a wide character that left
            // the last column empty; vt100 only a full row's.
            let compat = self.vt100_compat;
            let g = self.g_mut();
            let wrap = !compat || Self::should_wrap(g, width);
            g.col_wrap(width, wrap);
            base = g.pos;
            was_wide = g.cell(base).is_wide();
            if let Some(cell) = g.cell_mut(base) {
                *cell = Cell::char(c, char_wide(c), cur);
            }
            g.col_inc(width);
            self.last_char = Some(c);
        } else {
            let g = self.g();
            let pos = g.pos;
            base = Pos {
                row: pos.row,
                col: pos.col.saturating_sub(1),
            };
            if g.cell(base).is_wide_continuation() {
                base.col = base.col.saturating_sub(1);
            }
            was_wide = g.cell(base).is_wide();
            self.append(base, c);
            let g = self.g();
            if !was_wide && g.cell(base).is_wide() {
                let g = self.g_mut();
                g.col_wrap(1, false);
                let new_pos = g.pos;
                self.wrap_widened_cell(base, new_pos, cur);
                if new_pos.col == 0 {
                    base = new_pos;
                }
            }
        }
        let is_wide = self.g().cell(base).is_wide();
        self.text_cleanup(base, was_wide, is_wide, cur);
    }

    /// Appends a combining character to the cell at `p`.
    fn append(&mut self, p: Pos, c: char) {
        let cell = self.g().cell(p);
        let mut s = String::new();
        self.tables.push_text(cell, &mut s);
        if s.len() >= CLUSTER_MAX {
            return;
        }
        if s.is_empty() {
            s.push(' ');
        }
        s.push(c);
        let idx = self.tables.clusters.intern(&s);
        let mut new = cell;
        new.set_cluster(idx);
        if c == '\u{FE0F}' {
            new.set_wide(s.width() > 1);
        }
        if let Some(dst) = self.g_mut().cell_mut(p) {
            *dst = new;
        }
    }

    /// A cell that grew wide at the end of a row moves to the next row.
    fn wrap_widened_cell(&mut self, old: Pos, new: Pos, cur: u32) {
        if new.col == 0 {
            let mut s = String::new();
            self.tables.push_text(self.g().cell(old), &mut s);
            let mut chars = s.chars();
            if let Some(first) = chars.next() {
                if let Some(dst) = self.g_mut().cell_mut(new) {
                    *dst = Cell::char(first, char_wide(first), cur);
                }
                for c in chars {
                    self.append(new, c);
                }
            }
            let g = self.g_mut();
            if let Some(dst) = g.cell_mut(old) {
                dst.clear(cur);
            }
            g.col_inc(2);
            // On a one-column screen the widened character does not fit
            // even there: stay just past the edge (vt100 went one further).
            g.pos.col = g.pos.col.min(g.cols);
        } else {
            self.g_mut().col_inc(1);
        }
    }

    /// Mends the wide characters a write at `base` cut in half.
    fn text_cleanup(&mut self, base: Pos, was_wide: bool, is_wide: bool, cur: u32) {
        let g = self.g_mut();
        let cols = g.cols;
        if base.col > 0 {
            let prev = Pos {
                row: base.row,
                col: base.col - 1,
            };
            if let Some(c) = g.cell_mut(prev)
                && c.is_wide()
            {
                c.clear(c.style);
            }
        }
        let next = Pos {
            row: base.row,
            col: base.col + 1,
        };
        if was_wide
            && !is_wide
            && let Some(c) = g.cell_mut(next)
        {
            *c = Cell::char(' ', false, cur);
        }
        if !was_wide && is_wide {
            let mut next_was_wide = false;
            if let Some(c) = g.cell_mut(next) {
                next_was_wide = c.is_wide();
                *c = Cell::continuation();
            }
            if next_was_wide {
                let nn = Pos {
                    row: base.row,
                    col: base.col + 2,
                };
                if let Some(c) = g.cell_mut(nn) {
                    c.clear(cur);
                }
                if base.col + 2 == cols - 1
                    && let Some(r) = g.row_mut(base.row)
                {
                    r.set_wrapped(false);
                }
            }
        }
    }

    /// The fast path: a run of printable ASCII (0x20..=0x7e), written
    /// a row segment at a time where no wide character is in the way;
    /// the same result as `text` for each byte.
    pub fn print_ascii(&mut self, mut bytes: &[u8]) {
        let cur = self.cur_style();
        while let Some(&first) = bytes.first() {
            let g = self.g_mut();
            let (cols, pos) = (g.cols, g.pos);
            let room = usize::from(cols.saturating_sub(pos.col));
            let n = room.min(bytes.len());
            let clean = n > 0
                && g.row(pos.row).is_some_and(|r| {
                    let cells = r.cells();
                    let from = usize::from(pos.col.saturating_sub(1));
                    let to = usize::from(pos.col) + n;
                    cells
                        .get(from..to)
                        .is_none_or(|s| s.iter().all(|c| !c.is_wide() && !c.is_wide_continuation()))
                });
            if !clean {
                // At the edge (wrapping), or next to a wide character.
                self.text(char::from(first));
                bytes = &bytes[1..];
                continue;
            }
            if let Some(r) = g.row_mut(pos.row) {
                r.put_ascii(pos.col, &bytes[..n], cur, cols);
            }
            g.pos.col += n as u16;
            self.last_char = Some(char::from(bytes[n - 1]));
            bytes = &bytes[n..];
        }
    }

    // C0 controls.

    pub fn backspace(&mut self) {
        self.g_mut().col_dec(1);
    }

    pub fn tab(&mut self) {
        let g = self.g();
        let (col, cols) = (g.pos.col, g.cols);
        let next = match &self.tabs {
            None => (col - col % 8).saturating_add(8),
            Some(stops) => (usize::from(col) + 1..usize::from(cols))
                .find(|c| stops.get(*c).copied().unwrap_or(false))
                .map_or(cols, |c| c as u16),
        };
        self.g_mut().col_set(next);
    }

    /// CBT: back to the previous tab stop (tmux; vt100 ignores it).
    pub fn back_tab(&mut self, n: u16) {
        for _ in 0..n {
            let col = self.g().pos.col.min(self.g().cols - 1);
            let prev = match &self.tabs {
                None => col.saturating_sub(1) / 8 * 8,
                Some(stops) => (0..usize::from(col))
                    .rev()
                    .find(|c| stops.get(*c).copied().unwrap_or(false))
                    .map_or(0, |c| c as u16),
            };
            self.g_mut().col_set(prev);
            if prev == 0 {
                break;
            }
        }
    }

    /// The columns with a tab stop, as tmux's #{pane_tabs} lists them.
    pub fn tab_columns(&self) -> Vec<u16> {
        let cols = self.g().cols;
        match &self.tabs {
            None => (8..cols).step_by(8).collect(),
            Some(stops) => (0..cols)
                .filter(|c| stops.get(usize::from(*c)).copied().unwrap_or(false))
                .collect(),
        }
    }

    fn tab_stops(&mut self) -> &mut Vec<bool> {
        let cols = usize::from(self.g().cols);
        self.tabs
            .get_or_insert_with(|| (0..cols).map(|c| c % 8 == 0 && c > 0).collect())
    }

    /// HTS.
    pub fn set_tab(&mut self) {
        let col = usize::from(self.g().pos.col);
        if let Some(s) = self.tab_stops().get_mut(col) {
            *s = true;
        }
    }

    /// TBC: 0 the stop here, 3 every stop.
    pub fn clear_tab(&mut self, mode: u16) {
        let col = usize::from(self.g().pos.col);
        match mode {
            0 => {
                if let Some(s) = self.tab_stops().get_mut(col) {
                    *s = false;
                }
            }
            3 => self.tab_stops().fill(false),
            _ => {}
        }
    }

    pub fn linefeed(&mut self) {
        self.g_mut().row_inc_scroll(1);
    }

    pub fn carriage_return(&mut self) {
        self.g_mut().col_set(0);
    }

    // Escapes.

    pub fn save_cursor(&mut self) {
        self.g_mut().save_cursor();
        self.saved_attrs = self.attrs;
    }

    pub fn restore_cursor(&mut self) {
        self.g_mut().restore_cursor();
        self.set_attrs(self.saved_attrs);
    }

    pub fn reverse_index(&mut self) {
        self.g_mut().row_dec_scroll(1);
    }

    /// RIS: a new screen of the same size (vt100 drops history too).
    pub fn reset(&mut self) {
        let (cols, rows) = (self.g().cols, self.g().rows_n);
        let capacity = self.grid.history.as_ref().map_or(0, |h| h.capacity);
        let dropped = self.grid.dropped;
        let mut fresh = Term::new(cols, rows, capacity);
        fresh.grid.dropped = dropped;
        fresh.title = std::mem::take(&mut self.title);
        fresh.replies = std::mem::take(&mut self.replies);
        fresh.focus = self.focus;
        fresh.ground = self.ground;
        fresh.ground_event = self.ground_event;
        fresh.vt100_compat = self.vt100_compat;
        *self = fresh;
    }

    /// DECALN: the screen full of E (tmux; vt100 ignores it).
    pub fn alignment_test(&mut self) {
        let g = self.g_mut();
        let cols = g.cols;
        for r in &mut g.rows {
            r.cells_mut(cols).fill(Cell::char('E', false, 0));
            r.set_wrapped(false);
        }
        g.scroll_top = 0;
        g.scroll_bottom = g.rows_n - 1;
        g.pos = Pos::default();
    }

    pub fn enter_alternate(&mut self) {
        self.alt_on = true;
        self.alt.allocate_rows();
    }

    /// Brings the main screen to the alternate screen's size after it was
    /// left, rewrapping its lines (`screen_alternate_off` in tmux).
    pub fn main_to_size(&mut self) {
        let (cols, rows) = (self.alt.cols, self.alt.rows_n);
        if !self.vt100_compat && (self.grid.cols, self.grid.rows_n) != (cols, rows) {
            self.grid.resize_reflow(cols, rows);
        }
    }

    pub fn exit_alternate(&mut self) {
        self.alt_on = false;
    }

    /// Both screens take the new size; tab stops go back to the default.
    /// The main screen's lines rewrap to a new width as tmux's do; the
    /// alternate screen (which tmux does not reflow either) and the
    /// differential tests' vt100 cut rows instead.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let (cols, rows) = (cols.max(1), rows.max(1));
        if cols != self.g().cols {
            self.tabs = None;
        }
        if self.vt100_compat {
            self.grid.set_size(cols, rows);
        } else if !self.alt_on {
            self.grid.resize_reflow(cols, rows);
        }
        // Under the alternate screen the main one keeps its size until it
        // is shown again (`main_to_size`): tmux reflows it once, from the
        // size it had to the size it comes back to.
        self.alt.set_size(cols, rows);
    }

    // SGR.

    pub fn sgr(&mut self, params: &impl CsiParams) {
        let mut a = self.attrs;
        if params.groups().next().is_none() {
            self.set_attrs(Style::default());
            return;
        }
        sgr_apply(&mut a, &mut params.groups(), !self.vt100_compat);
        self.set_attrs(a);
    }

    /// The answer to DSR 6: where the cursor is, 1-based.
    pub fn report_cursor(&mut self) {
        let p = self.g().pos;
        let reply = format!("\x1b[{};{}R", p.row + 1, p.col + 1);
        self.replies.extend_from_slice(reply.as_bytes());
    }
}

fn set_intensity(a: &mut Style, bit: u8) {
    a.attrs = (a.attrs & !(BOLD | DIM)) | bit;
}

fn set_bit(a: &mut Style, bit: u8, on: bool) {
    if on {
        a.attrs |= bit;
    } else {
        a.attrs &= !bit;
    }
}

/// vt100's SGR, parameter for parameter: a malformed colour stops the
/// sequence there, keeping what came before it. `more` adds what tmux
/// draws and vt100 ignored: blink (5, 6), hidden (8), strikethrough (9).
fn sgr_apply<'a>(a: &mut Style, it: &mut impl Iterator<Item = &'a [u16]>, more: bool) {
    use crate::screen::Color;
    let u8_of = |n: u16| u8::try_from(n).ok();
    let one = |it: &mut dyn Iterator<Item = &'a [u16]>| -> Option<u8> {
        match it.next()? {
            [n] => u8_of(*n),
            _ => None,
        }
    };
    while let Some(p) = it.next() {
        match p {
            [0] => *a = Style::default(),
            [1] => set_intensity(a, BOLD),
            [2] => set_intensity(a, DIM),
            [3] => set_bit(a, ITALIC, true),
            [4] => set_bit(a, UNDERLINE, true),
            [7] => set_bit(a, INVERSE, true),
            [22] => set_intensity(a, 0),
            [23] => set_bit(a, ITALIC, false),
            [24] => set_bit(a, UNDERLINE, false),
            [27] => set_bit(a, INVERSE, false),
            [5 | 6] if more => set_bit(a, BLINK, true),
            [8] if more => set_bit(a, HIDDEN, true),
            [9] if more => set_bit(a, STRIKETHROUGH, true),
            [25] if more => set_bit(a, BLINK, false),
            [28] if more => set_bit(a, HIDDEN, false),
            [29] if more => set_bit(a, STRIKETHROUGH, false),
            [n @ 30..=37] => a.fg = Color::Idx((n - 30) as u8),
            [n @ 40..=47] => a.bg = Color::Idx((n - 40) as u8),
            [n @ 90..=97] => a.fg = Color::Idx((n - 82) as u8),
            [n @ 100..=107] => a.bg = Color::Idx((n - 92) as u8),
            [39] => a.fg = Color::Default,
            [49] => a.bg = Color::Default,
            [m @ (38 | 48), 2, r, g, b] => {
                let (Some(r), Some(g), Some(b)) = (u8_of(*r), u8_of(*g), u8_of(*b)) else {
                    return;
                };
                set_color(a, *m, Color::Rgb(r, g, b));
            }
            [m @ (38 | 48), 5, i] => {
                let Some(i) = u8_of(*i) else { return };
                set_color(a, *m, Color::Idx(i));
            }
            [m @ (38 | 48)] => {
                let c = match it.next() {
                    Some([2]) => {
                        let (Some(r), Some(g), Some(b)) = (one(it), one(it), one(it)) else {
                            return;
                        };
                        Color::Rgb(r, g, b)
                    }
                    Some([5]) => {
                        let Some(i) = one(it) else { return };
                        Color::Idx(i)
                    }
                    // vt100 stops at anything else after 38 or 48.
                    _ => return,
                };
                set_color(a, *m, c);
            }
            _ => {}
        }
    }
}

fn set_color(a: &mut Style, which: u16, c: crate::screen::Color) {
    if which == 38 {
        a.fg = c;
    } else {
        a.bg = c;
    }
}
