//! Resizing the main screen as tmux 3.3a does (`screen_resize_cursor`,
//! `screen_resize_y` in screen.c, `grid_reflow` in grid.c): the height
//! changes first, then, if the width changed, every line of history and
//! screen is rewrapped to it. Lines the program wrapped rejoin when the
//! pane grows wider and split again when it narrows, and the cursor stays
//! on its character. The vt100 crate (and `Grid::set_size`, kept for the
//! differential tests and the alternate screen) cut rows at the new width
//! instead, losing what was cut.
//!
//! The grid is laid out flat for this, as tmux keeps it: history lines,
//! oldest first, then the screen rows. A line is the cells in use (tmux's
//! `cellused`, here up to the last cell that is not default) and its wrap
//! flag. History rows that need no change move packed, never unpacked.

use super::cell::Cell;
use super::grid::{Grid, Pos, Row};
use super::history::HistRow;

/// One line of the flat grid.
struct Line {
    /// A history row not unpacked yet; `cells` is empty while it is set.
    packed: Option<HistRow>,
    cells: Vec<Cell>,
    wrapped: bool,
}

impl Line {
    fn new(cells: Vec<Cell>, wrapped: bool) -> Line {
        Line {
            packed: None,
            cells,
            wrapped,
        }
    }

    fn used(&self) -> usize {
        self.packed.as_ref().map_or(self.cells.len(), HistRow::len)
    }

    /// The cells, unpacked on first need.
    fn cells(&mut self) -> &mut Vec<Cell> {
        if let Some(h) = self.packed.take() {
            self.cells.reserve(h.len());
            h.for_each(|c| self.cells.push(c));
        }
        &mut self.cells
    }

    fn for_each(&self, f: impl FnMut(Cell)) {
        match &self.packed {
            Some(h) => h.for_each(f),
            None => self.cells.iter().copied().for_each(f),
        }
    }

    /// tmux's reflow measure: the line's full width, and the index of the
    /// first cell that does not fit in `sx` columns (or the cell count).
    fn measure(&self, sx: usize) -> (usize, usize) {
        // Most history rows: a cell a column, no need to look at them.
        if let Some(h) = self.packed.as_ref().filter(|h| h.is_narrow()) {
            return (h.len(), h.len().min(sx));
        }
        let (mut width, mut at, mut i) = (0, None, 0);
        self.for_each(|c| {
            if at.is_none() && width + width_of(c) > sx {
                at = Some(i);
            }
            width += width_of(c);
            i += 1;
        });
        (width, at.unwrap_or(i))
    }
}

/// Columns a cell takes: a wide character's second cell is tmux's
/// zero-width padding cell and moves with it.
fn width_of(c: Cell) -> usize {
    if c.is_wide_continuation() {
        0
    } else if c.is_wide() {
        2
    } else {
        1
    }
}

/// The flat grid and what tmux tracks across the resize.
struct Flat {
    lines: Vec<Line>,
    hsize: usize,
    /// tmux's `hscrolled`: the history lines at its end that scrolled
    /// there (rather than being cleared); growing taller pulls these back.
    hscrolled: usize,
    history_on: bool,
    /// The cursor, with its row counted from the first history line.
    cx: usize,
    cy: usize,
}

/// `grid_wrap_position`'s "past the end of its line".
const END: usize = usize::MAX;

impl Grid {
    /// tmux's `screen_resize` of the main screen (see the module comment).
    pub fn resize_reflow(&mut self, cols: u16, rows: u16) {
        if cols == self.cols && rows == self.rows_n {
            return;
        }
        let mut flat = Flat::take(self);
        flat.resize_y(usize::from(self.rows_n), usize::from(rows));
        if cols != self.cols {
            flat.reflow(usize::from(cols), usize::from(rows));
        }
        flat.put_back(self, cols, rows);
    }
}

impl Flat {
    fn take(g: &mut Grid) -> Flat {
        let mut lines = Vec::new();
        let (mut hscrolled, mut history_on) = (0, false);
        if let Some(h) = &mut g.history {
            hscrolled = h.unbounded_len.min(h.rows.len());
            history_on = h.capacity > 0;
            lines.reserve(h.rows.len() + usize::from(g.rows_n));
            lines.extend(h.rows.drain(..).map(|r| Line {
                wrapped: r.wrapped,
                packed: Some(r),
                cells: Vec::new(),
            }));
        }
        let hsize = lines.len();
        lines.extend(g.rows.drain(..).map(|r| {
            let wrapped = r.wrapped;
            Line::new(r.into_used(), wrapped)
        }));
        // A screen whose rows were never made is that many empty lines.
        let total = hsize + usize::from(g.rows_n);
        lines.resize_with(total.max(lines.len()), || Line::new(Vec::new(), false));
        Flat {
            lines,
            hsize,
            hscrolled,
            history_on,
            cx: usize::from(g.pos.col),
            cy: hsize + usize::from(g.pos.row),
        }
    }

    /// `screen_resize_y`: a shorter screen loses the rows below the cursor
    /// first, then its top rows go to history; a taller one takes lines
    /// back from history, then adds blank rows at the bottom.
    fn resize_y(&mut self, oldy: usize, sy: usize) {
        let screen_cy = self.cy - self.hsize;
        if sy < oldy {
            let mut needed = oldy - sy;
            let below = (oldy - 1).saturating_sub(screen_cy).min(needed);
            self.lines.truncate(self.lines.len() - below);
            needed -= below;
            if self.history_on {
                self.hscrolled += needed;
                self.hsize += needed;
            } else {
                let top = screen_cy.min(needed);
                self.lines.drain(self.hsize..self.hsize + top);
                self.cy -= top;
                self.lines.truncate(self.hsize + sy);
            }
        }
        if sy > oldy {
            let mut needed = sy - oldy;
            if self.history_on {
                let back = self.hscrolled.min(needed);
                self.hscrolled -= back;
                self.hsize -= back;
                needed -= back;
            }
            let len = self.lines.len();
            self.lines
                .resize_with(len + needed, || Line::new(Vec::new(), false));
        }
    }

    /// `grid_reflow` to `sx` columns, with the cursor kept on its
    /// character (`screen_reflow`).
    fn reflow(&mut self, sx: usize, sy: usize) {
        let (wx, wy) = self.wrap_position();
        let mut src: Vec<Option<Line>> = std::mem::take(&mut self.lines)
            .into_iter()
            .map(Some)
            .collect();
        let mut target: Vec<Line> = Vec::with_capacity(src.len());
        for yy in 0..src.len() {
            let Some(gl) = &src[yy] else {
                // Joined onto an earlier line.
                continue;
            };
            let (width, at) = gl.measure(sx);
            let wrapped = gl.wrapped;
            if width > sx {
                self.split(&mut target, &mut src, sx, yy, at);
            } else if width < sx && wrapped {
                self.join(&mut target, &mut src, sx, yy, width, false);
            } else {
                target.extend(src[yy].take());
            }
        }
        if target.len() < sy {
            target.resize_with(sy, || Line::new(Vec::new(), false));
        }
        self.hsize = target.len() - sy;
        self.hscrolled = self.hscrolled.min(self.hsize);
        self.lines = target;
        (self.cx, self.cy) = self.unwrap_position(wx, wy);
    }

    /// `grid_reflow_split`: a line too wide for `sx` keeps its first `at`
    /// cells and continues on as many new lines as the rest needs.
    fn split(
        &mut self,
        target: &mut Vec<Line>,
        src: &mut [Option<Line>],
        sx: usize,
        yy: usize,
        at: usize,
    ) {
        let Some(mut gl) = src[yy].take() else {
            return;
        };
        let was_wrapped = gl.wrapped;
        let cells = std::mem::take(gl.cells());
        let rest = cells.get(at..).unwrap_or_default();
        // How many lines: the head, and at least one more.
        let (mut lines, mut width) = (2, 0);
        for c in rest {
            if width + width_of(*c) > sx {
                lines += 1;
                width = 0;
            }
            width += width_of(*c);
        }
        let head = target.len();
        target.resize_with(head + lines, || Line::new(Vec::new(), false));
        let mut line = head + 1;
        width = 0;
        for c in rest {
            if width + width_of(*c) > sx {
                target[line].wrapped = true;
                line += 1;
                width = 0;
            }
            width += width_of(*c);
            target[line].cells.push(*c);
        }
        if was_wrapped {
            target[line].wrapped = true;
        }
        let mut cells = cells;
        cells.truncate(at);
        target[head] = Line::new(cells, true);
        if yy <= self.hscrolled {
            self.hscrolled += lines - 1;
        }
        // A line that continued and left room on its last piece takes
        // what it can of the next.
        if width < sx && was_wrapped {
            self.join(target, src, sx, yy, width, true);
        }
    }

    /// `grid_reflow_join`: the lines after `yy` that continue it move onto
    /// its last target line (a new one unless `already`) while they fit.
    fn join(
        &mut self,
        target: &mut Vec<Line>,
        src: &mut [Option<Line>],
        sx: usize,
        yy: usize,
        mut width: usize,
        already: bool,
    ) {
        if !already {
            target.extend(src[yy].take());
        }
        let Some(to) = target.len().checked_sub(1) else {
            return;
        };
        let (mut lines, mut wrapped, mut want, mut from) = (0, true, 0, None);
        while yy + 1 + lines < src.len() {
            let line = yy + 1 + lines;
            let Some(next) = src[line].as_mut() else {
                break;
            };
            if !next.wrapped {
                wrapped = false;
            }
            if next.used() == 0 {
                if !wrapped {
                    break;
                }
                lines += 1;
                continue;
            }
            let cells = next.cells();
            let dst = target[to].cells();
            // The first cell on its own: `from` must stay the last line
            // that gave anything.
            if width + width_of(cells[0]) > sx {
                break;
            }
            width += width_of(cells[0]);
            dst.push(cells[0]);
            from = Some(line);
            want = 1;
            while let Some(c) = cells.get(want) {
                if width + width_of(*c) > sx {
                    break;
                }
                width += width_of(*c);
                dst.push(*c);
                want += 1;
            }
            lines += 1;
            if !wrapped || want != cells.len() || width == sx {
                break;
            }
        }
        if lines == 0 {
            return;
        }
        // What the last line did not give stays there, to be reflowed in
        // its turn; a last line given whole ends the joined line's wrap.
        let left = from
            .and_then(|f| src[f].as_ref())
            .map_or(0, |l| l.used() - want);
        match from.and_then(|f| src[f].as_mut()) {
            Some(l) if left != 0 => {
                l.cells().drain(..want);
                lines -= 1;
            }
            _ if !wrapped => target[to].wrapped = false,
            _ => {}
        }
        for dead in &mut src[yy + 1..yy + 1 + lines] {
            *dead = None;
        }
        if self.hscrolled > to + lines {
            self.hscrolled -= lines;
        } else if self.hscrolled > to {
            self.hscrolled = to;
        }
    }

    /// `grid_wrap_position`: the cursor as (offset in its unwrapped line,
    /// which unwrapped line); `END` past the end of the line's cells.
    fn wrap_position(&self) -> (usize, usize) {
        let (mut ax, mut ay) = (0, 0);
        for l in &self.lines[..self.cy.min(self.lines.len())] {
            if l.wrapped {
                ax += l.used();
            } else {
                ax = 0;
                ay += 1;
            }
        }
        let used = self.lines.get(self.cy).map_or(0, Line::used);
        if self.cx >= used {
            (END, ay)
        } else {
            (ax + self.cx, ay)
        }
    }

    /// `grid_unwrap_position`: back from `wrap_position`'s terms to a
    /// column and a line.
    fn unwrap_position(&self, mut wx: usize, wy: usize) -> (usize, usize) {
        let last = self.lines.len().saturating_sub(1);
        let (mut yy, mut ay) = (0, 0);
        while yy < last && ay != wy {
            if !self.lines[yy].wrapped {
                ay += 1;
            }
            yy += 1;
        }
        if wx == END {
            while yy < last && self.lines[yy].wrapped {
                yy += 1;
            }
            wx = self.lines.get(yy).map_or(0, Line::used);
        } else {
            while yy < last && self.lines[yy].wrapped {
                let used = self.lines[yy].used();
                if wx < used {
                    break;
                }
                wx -= used;
                yy += 1;
            }
        }
        (wx, yy)
    }

    /// Puts the lines back: the first `hsize` into history (its limit
    /// dropping the oldest, where tmux would at its next scroll), the rest
    /// on the screen.
    fn put_back(mut self, g: &mut Grid, cols: u16, rows: u16) {
        let screen = self.lines.split_off(self.hsize);
        if let Some(h) = &mut g.history {
            let over = self.lines.len().saturating_sub(h.capacity);
            g.dropped += over as u64;
            h.rows.extend(
                self.lines
                    .drain(..)
                    .skip(over)
                    .map(|mut l| match l.packed.take() {
                        Some(mut packed) => {
                            packed.wrapped = l.wrapped;
                            packed
                        }
                        None => HistRow::from_cells(&l.cells, l.wrapped),
                    }),
            );
            h.unbounded_len = self.hscrolled.min(h.rows.len());
        }
        g.rows.clear();
        g.rows.extend(screen.into_iter().map(|mut l| {
            let wrapped = l.wrapped;
            Row::from_cells(std::mem::take(l.cells()), wrapped, cols)
        }));
        g.cols = cols;
        g.rows_n = rows;
        g.rows.resize_with(usize::from(rows), || {
            Row::from_cells(Vec::new(), false, cols)
        });
        g.pos = if self.cy >= self.hsize {
            Pos {
                row: u16::try_from(self.cy - self.hsize)
                    .unwrap_or(u16::MAX)
                    .min(rows - 1),
                col: u16::try_from(self.cx).unwrap_or(u16::MAX).min(cols),
            }
        } else {
            Pos::default()
        };
        g.saved_pos.row = g.saved_pos.row.min(rows - 1);
        g.saved_pos.col = g.saved_pos.col.min(cols - 1);
        g.scroll_top = 0;
        g.scroll_bottom = rows - 1;
    }
}
