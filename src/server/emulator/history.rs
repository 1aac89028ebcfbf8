//! Lines scrolled off the top of the screen, packed.
//!
//! A history row keeps only its used width (trailing default cells are
//! trimmed, as vt100 does), and most rows are plain ASCII in a few styles:
//! those keep one byte a cell plus a list of style runs. Other rows keep
//! their 8-byte cells. A 48-column line of plain text costs about 100
//! bytes where vt100 spent 1.5 KiB.

use super::cell::Cell;
use super::grid::{Row, used_len};
use std::collections::VecDeque;

/// One packed history line.
pub enum Packed {
    /// Narrow ASCII cells: one byte each (0 for an empty cell), and the
    /// style from each run's start column on (default before the first).
    Ascii {
        text: Box<[u8]>,
        runs: Box<[(u16, u32)]>,
    },
    Cells(Box<[Cell]>),
}

pub struct HistRow {
    pub packed: Packed,
    pub wrapped: bool,
}

impl HistRow {
    /// Packs a screen row, without its trailing default cells.
    pub fn pack(row: &Row) -> HistRow {
        HistRow::from_cells(row.cells(), row.wrapped)
    }

    /// Packs cells, without the trailing default ones.
    pub fn from_cells(cells: &[Cell], wrapped: bool) -> HistRow {
        let cells = &cells[..used_len(cells)];
        let ascii = cells.iter().all(|c| c.as_ascii().is_some());
        let packed = if ascii {
            let text: Box<[u8]> = cells.iter().map(|c| c.as_ascii().unwrap_or(0)).collect();
            // Runs start in the default style: a plain row has none, and
            // costs one allocation.
            let mut runs: Vec<(u16, u32)> = Vec::new();
            let mut style = 0;
            for (i, c) in cells.iter().enumerate() {
                if c.style != style {
                    runs.push((i as u16, c.style));
                    style = c.style;
                }
            }
            Packed::Ascii {
                text,
                runs: runs.into_boxed_slice(),
            }
        } else {
            Packed::Cells(cells.into())
        };
        HistRow { packed, wrapped }
    }

    /// Whether every kept cell is one column wide (no wide characters).
    pub fn is_narrow(&self) -> bool {
        matches!(self.packed, Packed::Ascii { .. })
    }

    /// Columns kept.
    pub fn len(&self) -> usize {
        match &self.packed {
            Packed::Ascii { text, .. } => text.len(),
            Packed::Cells(c) => c.len(),
        }
    }

    /// Every kept cell, in order.
    pub fn for_each(&self, mut f: impl FnMut(Cell)) {
        match &self.packed {
            Packed::Ascii { text, runs } => {
                let mut run = 0;
                let mut style = 0;
                for (i, b) in text.iter().enumerate() {
                    while runs.get(run).is_some_and(|r| usize::from(r.0) <= i) {
                        style = runs[run].1;
                        run += 1;
                    }
                    f(Cell::ascii(*b, style));
                }
            }
            Packed::Cells(c) => c.iter().for_each(|c| f(*c)),
        }
    }

    /// Rewrites the style and cluster indices (table compaction).
    pub fn remap(&mut self, f: &mut dyn FnMut(&mut Cell)) {
        match &mut self.packed {
            Packed::Ascii { runs, .. } => {
                for r in runs.iter_mut() {
                    let mut c = Cell::blank(r.1);
                    f(&mut c);
                    r.1 = c.style;
                }
            }
            Packed::Cells(cells) => cells.iter_mut().for_each(f),
        }
    }
}

/// The history ring: at most `capacity` rows, oldest first.
pub struct History {
    pub rows: VecDeque<HistRow>,
    pub capacity: usize,
    /// How many rows there would be without the limit (vt100 pulls this
    /// many back, blank where lost, when the screen grows taller).
    pub unbounded_len: usize,
}

impl History {
    pub fn new(capacity: usize) -> History {
        History {
            rows: VecDeque::new(),
            capacity,
            unbounded_len: 0,
        }
    }
}
