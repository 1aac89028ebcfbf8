//! The grid: rows of cells, the cursor, the scroll region, and (for the
//! main screen) the history the top rows scroll into.
//!
//! Movement, scrolling, erasing and resizing follow the vt100 crate's
//! grid rule for rule, so that screens stay byte for byte what capture-pane
//! printed before; the differential tests hold the two side by side. The
//! exception is resizing the main screen outside those tests, which
//! rewraps lines as tmux does (`reflow.rs`). What
//! differs is storage: a row's cells are allocated only once something is
//! written to it, the rows are a ring that a full-screen scroll turns (no
//! row or cell moves, nothing is allocated; a scroll region moves only the
//! row headers in it), and rows that leave the screen are packed into
//! history, their cells kept for the row that comes in at the bottom.

use super::cell::Cell;
use super::history::{HistRow, History};
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub row: u16,
    pub col: u16,
}

/// One screen row. `cells` is empty (every cell default) or `cols` long.
#[derive(Default)]
pub struct Row {
    cells: Vec<Cell>,
    pub wrapped: bool,
    /// The version of the line last made from this row for drawing, or 0
    /// if the row changed since: the dirty flag the renderer's cache reads.
    pub seen: u64,
}

impl Row {
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    pub fn get(&self, col: u16) -> Cell {
        self.cells
            .get(usize::from(col))
            .copied()
            .unwrap_or_default()
    }

    /// The cells to write to, allocated at `cols` on first write.
    pub fn cells_mut(&mut self, cols: u16) -> &mut [Cell] {
        self.seen = 0;
        if self.cells.len() != usize::from(cols) {
            self.cells.resize(usize::from(cols), Cell::DEFAULT);
        }
        &mut self.cells
    }

    pub fn cell_mut(&mut self, col: u16, cols: u16) -> Option<&mut Cell> {
        if col >= cols {
            return None;
        }
        self.cells_mut(cols).get_mut(usize::from(col))
    }

    pub fn set_wrapped(&mut self, on: bool) {
        if self.wrapped != on {
            self.wrapped = on;
            self.seen = 0;
        }
    }

    /// Every cell default; the allocation is kept for reuse.
    pub fn reset(&mut self) {
        self.cells.clear();
        self.wrapped = false;
        self.seen = 0;
    }

    /// Every cell empty in `style` (erase).
    pub fn clear(&mut self, style: u32, cols: u16) {
        if style == 0 {
            self.reset();
            return;
        }
        self.cells_mut(cols).fill(Cell::blank(style));
        self.wrapped = false;
    }

    /// The cells in use: up to the last one that is not default.
    pub fn into_used(mut self) -> Vec<Cell> {
        let used = used_len(&self.cells);
        self.cells.truncate(used);
        self.cells
    }

    /// A screen row of `cols` columns from the cells in use. A wide
    /// character cut at the edge (only on a one-column screen) is cleared.
    pub fn from_cells(mut cells: Vec<Cell>, wrapped: bool, cols: u16) -> Row {
        let len = used_len(&cells);
        if len == 0 {
            cells.clear();
        } else {
            cells.resize(usize::from(cols), Cell::DEFAULT);
            if len > usize::from(cols)
                && let Some(last) = cells.last_mut()
                && last.is_wide()
            {
                last.clear(last.style);
            }
        }
        Row {
            cells,
            wrapped,
            seen: 0,
        }
    }

    /// A row with these cells (from history), fitted to `cols` as vt100's
    /// `Row::resize` does: a row that changes width stops wrapping, and a
    /// wide character cut at the new edge is cleared.
    pub fn from_history(h: &HistRow, cols: u16) -> Row {
        let mut row = Row {
            wrapped: h.wrapped,
            ..Row::default()
        };
        if h.len() != 0 {
            let mut cells = Vec::with_capacity(usize::from(cols));
            h.for_each(|c| cells.push(c));
            row.cells = cells;
        }
        row.fit(h.len(), cols);
        row
    }

    /// vt100's `Row::resize` from `len` cells to `cols`.
    fn fit(&mut self, len: usize, cols: u16) {
        let cols_n = usize::from(cols);
        if len == cols_n {
            if self.cells.len() != cols_n && !self.cells.is_empty() {
                self.cells.resize(cols_n, Cell::DEFAULT);
            }
            return;
        }
        self.wrapped = false;
        self.seen = 0;
        if self.cells.is_empty() {
            return;
        }
        self.cells.resize(cols_n, Cell::DEFAULT);
        if len > cols_n
            && let Some(last) = self.cells.last_mut()
            && last.is_wide()
        {
            last.clear(last.style);
        }
    }

    /// vt100's `Row::insert`: blank cells at `i`, the end falls off.
    fn insert(&mut self, i: u16, count: u16, cols: u16) {
        let count = usize::from(count).min(usize::from(cols.saturating_sub(i)));
        if count == 0 {
            self.set_wrapped(false);
            return;
        }
        let cells = self.cells_mut(cols);
        let i = usize::from(i);
        let wc = cells[i].is_wide_continuation();
        if wc {
            cells[i].set_wide_continuation(false);
        }
        let slice = &mut cells[i..];
        slice.rotate_right(count);
        slice[..count].fill(Cell::DEFAULT);
        if wc {
            cells[i].set_wide_continuation(true);
        }
        self.set_truncated();
    }

    /// vt100's `Row::remove`: cells in `start..end` go, blanks come in at
    /// the end.
    fn remove(&mut self, start: u16, end: u16, cols: u16) {
        self.set_wrapped(false);
        if start >= end || self.cells.is_empty() {
            return;
        }
        self.clear_wide(start, cols);
        let last = end - 1;
        if last != start {
            self.clear_wide(last, cols);
        }
        let count = usize::from(end - start);
        let slice = &mut self.cells_mut(cols)[usize::from(start)..];
        slice[..count].fill(Cell::DEFAULT);
        slice.rotate_left(count);
    }

    /// vt100's `Row::erase` of one cell.
    fn erase(&mut self, i: u16, style: u32, cols: u16) {
        if self.cells.is_empty() && style == 0 {
            // Already blank: only the wrap flag can change.
            if i == cols.saturating_sub(1) {
                self.set_wrapped(false);
            }
            return;
        }
        let wide = self.get(i).is_wide();
        self.clear_wide(i, cols);
        if let Some(c) = self.cell_mut(i, cols) {
            c.clear(style);
        }
        if i == cols.saturating_sub(if wide { 2 } else { 1 }) {
            self.set_wrapped(false);
        }
    }

    fn set_truncated(&mut self) {
        self.set_wrapped(false);
        if let Some(last) = self.cells.last_mut()
            && last.is_wide()
        {
            last.clear(last.style);
            self.seen = 0;
        }
    }

    /// Clears the other half of a wide character at `col`.
    pub fn clear_wide(&mut self, col: u16, cols: u16) {
        let cell = self.get(col);
        let other = if cell.is_wide() {
            if col + 1 >= cols {
                if let Some(c) = self.cell_mut(col, cols) {
                    c.clear(cell.style);
                }
                return;
            }
            col + 1
        } else if cell.is_wide_continuation() && col > 0 {
            col - 1
        } else {
            return;
        };
        if let Some(c) = self.cell_mut(other, cols) {
            c.clear(c.style);
        }
    }

    /// Every style and cluster index in the row (table compaction).
    pub fn remap(&mut self, f: &mut dyn FnMut(&mut Cell)) {
        self.cells.iter_mut().for_each(f);
        self.seen = 0;
    }

    /// The ASCII fast path: writes narrow cells from `col` on, no checks
    /// beyond what the caller made (the run fits, no wide neighbours).
    #[inline]
    pub fn put_ascii(&mut self, col: u16, bytes: &[u8], style: u32, cols: u16) {
        let cells = self.cells_mut(cols);
        let start = usize::from(col);
        if let Some(dst) = cells.get_mut(start..start + bytes.len()) {
            for (d, b) in dst.iter_mut().zip(bytes) {
                *d = Cell::ascii(*b, style);
            }
        }
    }
}

/// How many cells are in use: up to the last one that is not default.
pub fn used_len(cells: &[Cell]) -> usize {
    cells
        .iter()
        .rposition(|c| *c != Cell::DEFAULT)
        .map_or(0, |i| i + 1)
}

pub struct Grid {
    pub cols: u16,
    pub rows_n: u16,
    pub pos: Pos,
    pub saved_pos: Pos,
    /// Empty until first used (the alternate screen's, until entered).
    /// A ring: a scroll of the whole screen moves its start, not the rows.
    pub rows: VecDeque<Row>,
    pub scroll_top: u16,
    pub scroll_bottom: u16,
    pub origin_mode: bool,
    pub saved_origin_mode: bool,
    pub history: Option<History>,
    /// History rows dropped (by its limit, CSI 3 J, or with no history),
    /// vt100's `on_scroll` for the main screen.
    pub dropped: u64,
}

impl Grid {
    pub fn new(cols: u16, rows: u16, history: Option<usize>) -> Grid {
        Grid {
            cols,
            rows_n: rows,
            pos: Pos::default(),
            saved_pos: Pos::default(),
            rows: VecDeque::new(),
            scroll_top: 0,
            scroll_bottom: rows - 1,
            origin_mode: false,
            saved_origin_mode: false,
            history: history.map(History::new),
            dropped: 0,
        }
    }

    pub fn allocate_rows(&mut self) {
        if self.rows.is_empty() {
            self.rows
                .resize_with(usize::from(self.rows_n), Row::default);
        }
    }

    /// vt100's `Grid::clear` (entering the alternate screen with 1049).
    pub fn clear(&mut self) {
        self.pos = Pos::default();
        self.saved_pos = Pos::default();
        self.rows.iter_mut().for_each(Row::reset);
        self.scroll_top = 0;
        self.scroll_bottom = self.rows_n - 1;
        self.origin_mode = false;
        self.saved_origin_mode = false;
    }

    pub fn row(&self, r: u16) -> Option<&Row> {
        self.rows.get(usize::from(r))
    }

    pub fn row_mut(&mut self, r: u16) -> Option<&mut Row> {
        self.rows.get_mut(usize::from(r))
    }

    pub fn cell(&self, p: Pos) -> Cell {
        self.row(p.row).map_or(Cell::DEFAULT, |r| r.get(p.col))
    }

    pub fn cell_mut(&mut self, p: Pos) -> Option<&mut Cell> {
        let cols = self.cols;
        self.row_mut(p.row)?.cell_mut(p.col, cols)
    }

    fn history_len(&self) -> usize {
        self.history.as_ref().map_or(0, |h| h.rows.len())
    }

    /// vt100's `Grid::set_size`.
    pub fn set_size(&mut self, cols: u16, rows: u16) {
        if cols == self.cols && rows == self.rows_n {
            return;
        }
        self.scroll_top = 0;
        self.scroll_bottom = self.rows_n - 1;
        let diff = self.rows_n.abs_diff(rows);
        let is_empty = self.rows.is_empty();
        // Rows pulled back from history, already fitted to the new width.
        let mut fitted = 0;
        let pos_diff = if is_empty {
            0
        } else if rows < self.rows_n {
            let excess_bottom = self.rows_n.saturating_sub(self.pos.row + 1);
            let pushed = diff.saturating_sub(excess_bottom);
            self.scroll_up(pushed);
            self.rows.truncate(usize::from(rows));
            pushed
        } else if let Some(h) = &mut self.history {
            let pulled = u16::try_from(h.unbounded_len).unwrap_or(u16::MAX).min(diff);
            let from_history = h.rows.len().min(usize::from(pulled));
            let blank = usize::from(pulled) - from_history;
            let start = h.rows.len() - from_history;
            let mut top: Vec<Row> = std::iter::repeat_with(Row::default).take(blank).collect();
            top.extend(h.rows.drain(start..).map(|r| Row::from_history(&r, cols)));
            for r in top.into_iter().rev() {
                self.rows.push_front(r);
            }
            h.unbounded_len -= usize::from(pulled);
            fitted = from_history;
            pulled
        } else {
            0
        };
        // vt100 allocates the rows of a grid that had none here.
        self.rows.resize_with(usize::from(rows), Row::default);
        if let Some(last) = self.rows.back_mut() {
            last.set_wrapped(false);
        }
        let old_cols = self.cols;
        // The blank rows pulled in come first, then those from history.
        let blank_pulled = usize::from(pos_diff).saturating_sub(fitted);
        for (i, row) in self.rows.iter_mut().enumerate() {
            if i >= blank_pulled && i < blank_pulled + fitted {
                continue;
            }
            let len = if row.cells.is_empty() {
                usize::from(old_cols)
            } else {
                row.cells.len()
            };
            row.fit(len, cols);
            row.seen = 0;
        }
        if rows < self.rows_n {
            self.pos.row = self.pos.row.saturating_sub(pos_diff);
            self.saved_pos.row = self.saved_pos.row.saturating_sub(pos_diff).min(rows - 1);
        } else {
            self.pos.row += pos_diff;
            self.saved_pos.row += pos_diff;
        }
        self.pos.col = self.pos.col.min(cols - 1);
        self.saved_pos.col = self.saved_pos.col.min(cols - 1);
        self.scroll_bottom = rows - 1;
        self.cols = cols;
        self.rows_n = rows;
    }

    pub fn set_pos(&mut self, mut pos: Pos) {
        if self.origin_mode {
            pos.row = pos.row.saturating_add(self.scroll_top);
        }
        self.pos = pos;
        self.row_clamp_top(self.origin_mode);
        self.row_clamp_bottom(self.origin_mode);
        self.col_clamp();
    }

    pub fn save_cursor(&mut self) {
        self.saved_pos = self.pos;
        self.saved_origin_mode = self.origin_mode;
    }

    pub fn restore_cursor(&mut self) {
        self.pos = self.saved_pos;
        self.origin_mode = self.saved_origin_mode;
    }

    fn cur_row(&mut self) -> Option<&mut Row> {
        let r = self.pos.row;
        self.row_mut(r)
    }

    pub fn erase_all(&mut self, style: u32) {
        let cols = self.cols;
        self.rows.iter_mut().for_each(|r| r.clear(style, cols));
    }

    pub fn erase_all_forward(&mut self, style: u32) {
        let cols = self.cols;
        let from = usize::from(self.pos.row) + 1;
        self.rows
            .iter_mut()
            .skip(from)
            .for_each(|r| r.clear(style, cols));
        self.erase_row_forward(style);
    }

    pub fn erase_all_backward(&mut self, style: u32) {
        let cols = self.cols;
        let to = usize::from(self.pos.row);
        self.rows
            .iter_mut()
            .take(to)
            .for_each(|r| r.clear(style, cols));
        self.erase_row_backward(style);
    }

    /// CSI 3 J and clear-history.
    pub fn erase_all_scrollback(&mut self, count_dropped: bool) {
        if let Some(h) = &mut self.history {
            if count_dropped {
                self.dropped += h.rows.len() as u64;
            }
            h.rows.clear();
            h.rows.shrink_to_fit();
            h.unbounded_len = 0;
        }
    }

    pub fn erase_row(&mut self, style: u32) {
        let cols = self.cols;
        if let Some(r) = self.cur_row() {
            r.clear(style, cols);
        }
    }

    pub fn erase_row_forward(&mut self, style: u32) {
        let (cols, col) = (self.cols, self.pos.col);
        if let Some(r) = self.cur_row() {
            for c in col..cols {
                r.erase(c, style, cols);
            }
        }
    }

    pub fn erase_row_backward(&mut self, style: u32) {
        let (cols, col) = (self.cols, self.pos.col);
        if let Some(r) = self.cur_row() {
            for c in 0..=col.min(cols - 1) {
                r.erase(c, style, cols);
            }
        }
    }

    pub fn insert_cells(&mut self, count: u16) {
        let (cols, col) = (self.cols, self.pos.col);
        if let Some(r) = self.cur_row() {
            r.insert(col, count, cols);
        }
    }

    pub fn delete_cells(&mut self, count: u16) {
        let (cols, col) = (self.cols, self.pos.col);
        if let Some(r) = self.cur_row() {
            r.remove(col, col.saturating_add(count).min(cols), cols);
        }
    }

    pub fn erase_cells(&mut self, count: u16, style: u32) {
        let (cols, col) = (self.cols, self.pos.col);
        if let Some(r) = self.cur_row() {
            for c in col..col.saturating_add(count).min(cols) {
                r.erase(c, style, cols);
            }
        }
    }

    /// Rows `top..=bottom`, as a range of the ring.
    fn region(&self, top: u16, bottom: u16) -> (usize, usize) {
        let end = (usize::from(bottom) + 1).min(self.rows.len());
        (usize::from(top).min(end), end)
    }

    /// Rotates rows `start..end` by `n` (up if `up`). The whole screen
    /// turns the ring, moving no rows; a scroll region moves the row
    /// headers in it (a few bytes each, no cells).
    fn rotate(&mut self, start: usize, end: usize, n: usize, up: bool) {
        let n = n.min(end - start);
        if start == 0 && end == self.rows.len() {
            if up {
                self.rows.rotate_left(n);
            } else {
                self.rows.rotate_right(n);
            }
            return;
        }
        let region = &mut self.rows.make_contiguous()[start..end];
        if up {
            region.rotate_left(n);
        } else {
            region.rotate_right(n);
        }
    }

    fn reset_rows(&mut self, start: usize, end: usize) {
        self.rows.range_mut(start..end).for_each(Row::reset);
    }

    pub fn insert_lines(&mut self, count: u16) {
        if count == 0 || !(self.scroll_top..=self.scroll_bottom).contains(&self.pos.row) {
            return;
        }
        let (top, bottom) = (self.pos.row, self.scroll_bottom);
        let (start, end) = self.region(top, bottom);
        let n = usize::from(count).min(end - start);
        self.rotate(start, end, n, false);
        self.reset_rows(start, start + n);
        if let Some(r) = self.row_mut(bottom) {
            r.set_wrapped(false);
        }
    }

    pub fn delete_lines(&mut self, count: u16) {
        if !(self.scroll_top..=self.scroll_bottom).contains(&self.pos.row) {
            return;
        }
        let (top, bottom) = (self.pos.row, self.scroll_bottom);
        let (start, end) = self.region(top, bottom);
        let n = usize::from(count).min(end - start);
        self.reset_rows(start, start + n);
        self.rotate(start, end, n, true);
    }

    /// vt100's `Grid::scroll_up`: the region moves up `count` rows; with
    /// the region at the top of the main screen, the rows leaving it go
    /// to history.
    pub fn scroll_up(&mut self, count: u16) {
        let to_history = self.scroll_top == 0;
        let (start, end) = self.region(self.scroll_top, self.scroll_bottom);
        let n = usize::from(count).min(end - start);
        match self.history.as_mut().filter(|_| to_history) {
            Some(h) => {
                h.unbounded_len = h.unbounded_len.saturating_add(n);
                let pushed = n.min(h.capacity);
                let overflow = (h.rows.len() + pushed).saturating_sub(h.capacity);
                h.rows.drain(..overflow);
                self.dropped += overflow as u64;
                let reset = n - pushed;
                self.dropped += reset as u64;
                self.rows
                    .range_mut(start..start + reset)
                    .for_each(Row::reset);
                for row in self.rows.range_mut(start + reset..start + n) {
                    h.rows.push_back(HistRow::pack(row));
                    row.reset();
                }
            }
            None => self.reset_rows(start, start + n),
        }
        self.rotate(start, end, n, true);
    }

    pub fn scroll_down(&mut self, count: u16) {
        if count == 0 {
            return;
        }
        let (top, bottom) = (self.scroll_top, self.scroll_bottom);
        let (start, end) = self.region(top, bottom);
        let n = usize::from(count).min(end - start);
        self.rotate(start, end, n, false);
        self.reset_rows(start, start + n);
        if let Some(r) = self.row_mut(bottom) {
            r.set_wrapped(false);
        }
    }

    pub fn set_scroll_region(&mut self, top: u16, bottom: u16) {
        let bottom = bottom.min(self.rows_n - 1);
        if top < bottom {
            self.scroll_top = top;
            self.scroll_bottom = bottom;
        } else {
            self.scroll_top = 0;
            self.scroll_bottom = self.rows_n - 1;
        }
        self.pos.row = self.scroll_top;
        self.pos.col = 0;
    }

    fn in_scroll_region(&self) -> bool {
        self.pos.row >= self.scroll_top && self.pos.row <= self.scroll_bottom
    }

    pub fn set_origin_mode(&mut self, on: bool) {
        self.origin_mode = on;
        self.set_pos(Pos { row: 0, col: 0 });
    }

    pub fn row_inc_clamp(&mut self, count: u16) {
        let in_region = self.in_scroll_region();
        self.pos.row = self.pos.row.saturating_add(count);
        self.row_clamp_bottom(in_region);
    }

    pub fn row_inc_scroll(&mut self, count: u16) -> u16 {
        let in_region = self.in_scroll_region();
        self.pos.row = self.pos.row.saturating_add(count);
        let lines = self.row_clamp_bottom(in_region);
        if in_region {
            self.scroll_up(lines);
            lines
        } else {
            0
        }
    }

    pub fn row_dec_clamp(&mut self, count: u16) {
        let in_region = self.in_scroll_region();
        self.pos.row = self.pos.row.saturating_sub(count);
        self.row_clamp_top(in_region);
    }

    pub fn row_dec_scroll(&mut self, count: u16) {
        let in_region = self.in_scroll_region();
        let extra = count.saturating_sub(self.pos.row);
        self.pos.row = self.pos.row.saturating_sub(count);
        let lines = self.row_clamp_top(in_region);
        self.scroll_down(lines.saturating_add(extra));
    }

    pub fn row_set(&mut self, i: u16) {
        self.pos.row = i.min(self.rows_n - 1);
    }

    pub fn col_inc(&mut self, count: u16) {
        self.pos.col = self.pos.col.saturating_add(count);
    }

    pub fn col_inc_clamp(&mut self, count: u16) {
        self.pos.col = self.pos.col.saturating_add(count);
        self.col_clamp();
    }

    pub fn col_dec(&mut self, count: u16) {
        self.pos.col = self.pos.col.saturating_sub(count);
    }

    pub fn col_set(&mut self, i: u16) {
        self.pos.col = i;
        self.col_clamp();
    }

    /// Moves to the next line if a character `width` wide does not fit;
    /// `wrap` says whether the row left behind continues on the next.
    pub fn col_wrap(&mut self, width: u16, wrap: bool) {
        if self.pos.col <= self.cols.saturating_sub(width) {
            return;
        }
        let mut prev = self.pos;
        self.pos.col = 0;
        let scrolled = self.row_inc_scroll(1);
        if prev.row == 0 && scrolled > 0 {
            return;
        }
        prev.row = prev.row.saturating_sub(scrolled);
        let now = self.pos.row;
        if let Some(r) = self.row_mut(prev.row) {
            r.set_wrapped(wrap && prev.row + 1 == now);
        }
    }

    fn row_clamp_top(&mut self, limit: bool) -> u16 {
        if limit && self.pos.row < self.scroll_top {
            let n = self.scroll_top - self.pos.row;
            self.pos.row = self.scroll_top;
            n
        } else {
            0
        }
    }

    fn row_clamp_bottom(&mut self, limit: bool) -> u16 {
        let bottom = if limit {
            self.scroll_bottom
        } else {
            self.rows_n - 1
        };
        if self.pos.row > bottom {
            let n = self.pos.row - bottom;
            self.pos.row = bottom;
            n
        } else {
            0
        }
    }

    fn col_clamp(&mut self) {
        self.pos.col = self.pos.col.min(self.cols - 1);
    }

    /// Number of history rows.
    pub fn scrollback_len(&self) -> usize {
        self.history_len()
    }
}
