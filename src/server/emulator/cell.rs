//! One cell of the grid, and the per-pane tables its indices point into.
//!
//! A cell is 8 bytes: the character (or an index into the cluster table
//! for a character with combining marks) with two flag bits, and an index
//! into the style table. vt100 spends 32 bytes a cell on the same facts;
//! most screens use a handful of styles and almost no clusters, so the
//! tables stay tiny.

use crate::screen::Style;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiply-rotate hasher (as rustc's FxHash): the tables are looked up
/// on every style change, and SipHash's DoS resistance buys nothing for
/// keys a pane's own program chooses and only that pane sees.
#[derive(Default)]
pub struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// The cell holds the left half of a wide character.
const WIDE: u32 = 1 << 29;
/// The cell is the right half of a wide character.
const WIDE_CONT: u32 = 1 << 30;
/// The rest of `ch` is an index into the cluster table, not a char.
const CLUSTER: u32 = 1 << 31;
const VALUE: u32 = (1 << 29) - 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cell {
    /// 0: no contents. Otherwise a char, or `CLUSTER | index`; plus flags.
    ch: u32,
    /// Index into [`Styles`]; 0 is the default style.
    pub style: u32,
}

const _: () = assert!(std::mem::size_of::<Cell>() == 8);

/// What a cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Empty,
    Char(char),
    Cluster(u32),
}

impl Cell {
    pub const DEFAULT: Cell = Cell { ch: 0, style: 0 };

    pub fn blank(style: u32) -> Cell {
        Cell { ch: 0, style }
    }

    /// A single character; `wide` says whether it takes two columns.
    pub fn char(c: char, wide: bool, style: u32) -> Cell {
        Cell {
            ch: c as u32 | if wide { WIDE } else { 0 },
            style,
        }
    }

    /// The right half of a wide character: no contents, default style (as
    /// vt100 leaves it).
    pub fn continuation() -> Cell {
        Cell {
            ch: WIDE_CONT,
            style: 0,
        }
    }

    pub fn content(self) -> Content {
        let v = self.ch & VALUE;
        if self.ch & CLUSTER != 0 {
            Content::Cluster(v)
        } else if v == 0 {
            Content::Empty
        } else {
            Content::Char(char::from_u32(v).unwrap_or(' '))
        }
    }

    pub fn has_contents(self) -> bool {
        self.ch & (CLUSTER | VALUE) != 0
    }

    pub fn is_wide(self) -> bool {
        self.ch & WIDE != 0
    }

    pub fn is_wide_continuation(self) -> bool {
        self.ch & WIDE_CONT != 0
    }

    pub fn set_wide(&mut self, on: bool) {
        if on {
            self.ch |= WIDE;
        } else {
            self.ch &= !WIDE;
        }
    }

    pub fn set_wide_continuation(&mut self, on: bool) {
        if on {
            self.ch |= WIDE_CONT;
        } else {
            self.ch &= !WIDE_CONT;
        }
    }

    /// Empties the cell and gives it `style` (vt100's `Cell::clear`).
    pub fn clear(&mut self, style: u32) {
        *self = Cell::blank(style);
    }

    /// A printable ASCII byte, the fast path's cell.
    #[inline]
    pub fn ascii(b: u8, style: u32) -> Cell {
        Cell {
            ch: u32::from(b),
            style,
        }
    }

    /// The byte of a plain ASCII cell, if it is one (0 for empty).
    #[inline]
    pub fn as_ascii(self) -> Option<u8> {
        if self.ch < 0x80 {
            Some(self.ch as u8)
        } else {
            None
        }
    }

    /// Makes the contents cluster `index`, keeping the width flags.
    pub fn set_cluster(&mut self, index: u32) {
        self.ch = (self.ch & (WIDE | WIDE_CONT)) | CLUSTER | (index & VALUE);
    }

    /// The cell's cluster index, for remapping when tables are compacted.
    pub fn map_cluster(&mut self, f: impl FnOnce(u32) -> u32) {
        if self.ch & CLUSTER != 0 {
            let flags = self.ch & !VALUE;
            self.ch = flags | (f(self.ch & VALUE) & VALUE);
        }
    }
}

/// Grow a table this far before looking for unused entries.
const COMPACT_MIN: usize = 1 << 16;

/// The styles a pane's cells use. Entries are never removed one by one;
/// when the table has grown past a threshold, the emulator rebuilds it
/// from the cells still alive ([`Tables::compact`]).
#[derive(Default)]
pub struct Styles {
    list: Vec<Style>,
    index: FxMap<Style, u32>,
}

impl Styles {
    pub fn get(&self, i: u32) -> Style {
        if i == 0 {
            return Style::default();
        }
        self.list.get(i as usize - 1).copied().unwrap_or_default()
    }

    pub fn intern(&mut self, s: Style) -> u32 {
        if s == Style::default() {
            return 0;
        }
        if let Some(i) = self.index.get(&s) {
            return *i;
        }
        self.list.push(s);
        let i = self.list.len() as u32;
        self.index.insert(s, i);
        i
    }

    fn len(&self) -> usize {
        self.list.len()
    }
}

/// Characters with combining marks (a base and what was appended to it).
#[derive(Default)]
pub struct Clusters {
    list: Vec<Box<str>>,
    index: FxMap<Box<str>, u32>,
}

impl Clusters {
    pub fn get(&self, i: u32) -> &str {
        self.list.get(i as usize).map_or(" ", |s| s)
    }

    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(i) = self.index.get(s) {
            return *i;
        }
        let i = self.list.len() as u32;
        self.list.push(s.into());
        self.index.insert(s.into(), i);
        i
    }

    fn len(&self) -> usize {
        self.list.len()
    }
}

/// Both tables, and when to compact them.
pub struct Tables {
    pub styles: Styles,
    pub clusters: Clusters,
    limit: usize,
}

impl Default for Tables {
    fn default() -> Self {
        Tables {
            styles: Styles::default(),
            clusters: Clusters::default(),
            limit: COMPACT_MIN,
        }
    }
}

impl Tables {
    /// The text of a cell's contents, into `out`.
    pub fn push_text(&self, cell: Cell, out: &mut String) {
        match cell.content() {
            Content::Empty => {}
            Content::Char(c) => out.push(c),
            Content::Cluster(i) => out.push_str(self.clusters.get(i)),
        }
    }

    /// Whether the tables grew enough that unused entries should go.
    pub fn needs_compacting(&self) -> bool {
        self.styles.len() >= self.limit || self.clusters.len() >= self.limit
    }

    /// Sets a smaller threshold, for tests of compaction.
    #[cfg(test)]
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
    }

    /// Rebuilds both tables from the cells `each` walks (every live cell
    /// and style index must be passed to the remapper it is given).
    pub fn compact(&mut self, each: impl FnOnce(&mut dyn FnMut(&mut Cell))) {
        let old = std::mem::take(self);
        let mut styles: HashMap<u32, u32> = HashMap::new();
        let mut clusters: HashMap<u32, u32> = HashMap::new();
        let (new_styles, new_clusters) = (&mut self.styles, &mut self.clusters);
        let mut remap = |cell: &mut Cell| {
            if cell.style != 0 {
                let s = old.styles.get(cell.style);
                cell.style = *styles
                    .entry(cell.style)
                    .or_insert_with(|| new_styles.intern(s));
            }
            cell.map_cluster(|i| {
                *clusters
                    .entry(i)
                    .or_insert_with(|| new_clusters.intern(old.clusters.get(i)))
            });
        };
        each(&mut remap);
        let live = self.styles.len().max(self.clusters.len());
        self.limit = COMPACT_MIN.max(live * 2);
    }
}
