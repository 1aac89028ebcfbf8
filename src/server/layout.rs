//! Window layouts: a tree of cells, each a pane or a left-right or
//! top-bottom row of cells, with one-cell borders between siblings. Sizes
//! follow tmux's arithmetic so that `#{window_layout}` strings, split sizes
//! and the preset layouts come out the same.

use commands::PaneId;

/// The smallest a pane may become.
const MINIMUM: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Children side by side.
    LeftRight,
    /// Children one above the other.
    TopBottom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pane(PaneId),
    Node(Dir),
}

#[derive(Debug, Clone)]
struct Cell {
    kind: Kind,
    parent: Option<usize>,
    children: Vec<usize>,
    sx: u32,
    sy: u32,
    xoff: u32,
    yoff: u32,
}

/// Where a pane sits in its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geom {
    pub pane: PaneId,
    pub xoff: u32,
    pub yoff: u32,
    pub sx: u32,
    pub sy: u32,
}

#[derive(Debug, Clone)]
pub struct Layout {
    cells: Vec<Option<Cell>>,
    free: Vec<usize>,
    root: usize,
}

/// The preset layouts, in the order next-layout cycles through them.
pub const PRESETS: &[&str] = &[
    "even-horizontal",
    "even-vertical",
    "main-horizontal",
    "main-vertical",
    "tiled",
];

/// pane-border-status: where panes have a border line of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Border {
    Off,
    Top,
    Bottom,
}

/// Sizes for the main-* presets, from the window options.
#[derive(Debug, Clone, Copy)]
pub struct MainSizes {
    pub main_width: u32,
    pub main_height: u32,
    pub other_width: u32,
    pub other_height: u32,
}

impl Layout {
    pub fn new(pane: PaneId, sx: u32, sy: u32) -> Layout {
        let mut l = Layout {
            cells: Vec::new(),
            free: Vec::new(),
            root: 0,
        };
        l.root = l.alloc(Kind::Pane(pane), None, sx, sy);
        l
    }

    fn alloc(&mut self, kind: Kind, parent: Option<usize>, sx: u32, sy: u32) -> usize {
        let cell = Cell {
            kind,
            parent,
            children: Vec::new(),
            sx,
            sy,
            xoff: 0,
            yoff: 0,
        };
        match self.free.pop() {
            Some(i) => {
                self.cells[i] = Some(cell);
                i
            }
            None => {
                self.cells.push(Some(cell));
                self.cells.len() - 1
            }
        }
    }

    fn release(&mut self, i: usize) {
        self.cells[i] = None;
        self.free.push(i);
    }

    fn c(&self, i: usize) -> &Cell {
        self.cells[i].as_ref().expect("layout cell in use")
    }

    fn cm(&mut self, i: usize) -> &mut Cell {
        self.cells[i].as_mut().expect("layout cell in use")
    }

    fn leaf_of(&self, pane: PaneId) -> Option<usize> {
        self.cells
            .iter()
            .position(|c| matches!(c, Some(Cell { kind: Kind::Pane(p), .. }) if *p == pane))
    }

    /// The size of the whole layout.
    pub fn size(&self) -> (u32, u32) {
        let r = self.c(self.root);
        (r.sx, r.sy)
    }

    /// Every pane's place, in tree order.
    pub fn geometry(&self) -> Vec<Geom> {
        self.geometry_with(Border::Off)
    }

    /// Every pane's place with pane-border-status: the panes along the
    /// window's top (or bottom) edge give a row to their border line, as
    /// tmux's layout_fix_panes does; the others have the separator above
    /// (or below) them for it.
    pub fn geometry_with(&self, border: Border) -> Vec<Geom> {
        let mut out = Vec::new();
        let mut leaves = Vec::new();
        self.walk_index(self.root, &mut |i| leaves.push(i));
        for i in leaves {
            let c = self.c(i);
            let Kind::Pane(pane) = c.kind else { continue };
            let mut g = Geom {
                pane,
                xoff: c.xoff,
                yoff: c.yoff,
                sx: c.sx,
                sy: c.sy,
            };
            let edge = match border {
                Border::Off => false,
                Border::Top => self.at_edge(i, true),
                Border::Bottom => self.at_edge(i, false),
            };
            if edge {
                if border == Border::Top {
                    g.yoff += 1;
                }
                g.sy = g.sy.saturating_sub(1).max(1);
            }
            out.push(g);
        }
        out
    }

    /// Whether a cell is on the window's top (or bottom) edge: no
    /// top-bottom row above it puts it anywhere but first (or last).
    fn at_edge(&self, mut i: usize, top: bool) -> bool {
        while let Some(parent) = self.c(i).parent {
            let p = self.c(parent);
            let end = if top {
                p.children.first()
            } else {
                p.children.last()
            };
            if p.kind == Kind::Node(Dir::TopBottom) && end != Some(&i) {
                return false;
            }
            i = parent;
        }
        true
    }

    fn walk_index(&self, i: usize, f: &mut dyn FnMut(usize)) {
        f(i);
        for &ch in &self.c(i).children {
            self.walk_index(ch, f);
        }
    }

    fn size_in(&self, i: usize, dir: Dir) -> u32 {
        match dir {
            Dir::LeftRight => self.c(i).sx,
            Dir::TopBottom => self.c(i).sy,
        }
    }

    /// How much a cell can shrink in a direction.
    fn resize_check(&self, i: usize, dir: Dir) -> u32 {
        let cell = self.c(i);
        match cell.kind {
            Kind::Pane(_) => self.size_in(i, dir).saturating_sub(MINIMUM),
            Kind::Node(d) if d == dir => cell
                .children
                .iter()
                .map(|&ch| self.resize_check(ch, dir))
                .sum(),
            Kind::Node(_) => cell
                .children
                .iter()
                .map(|&ch| self.resize_check(ch, dir))
                .min()
                .unwrap_or(0),
        }
    }

    /// Changes a cell's size, spreading the change over its children.
    fn resize_adjust(&mut self, i: usize, dir: Dir, change: i64) {
        {
            let cell = self.cm(i);
            match dir {
                Dir::LeftRight => cell.sx = (cell.sx as i64 + change).max(0) as u32,
                Dir::TopBottom => cell.sy = (cell.sy as i64 + change).max(0) as u32,
            }
        }
        let (kind, children) = {
            let cell = self.c(i);
            (cell.kind, cell.children.clone())
        };
        match kind {
            Kind::Pane(_) => {}
            Kind::Node(d) if d != dir => {
                for ch in children {
                    self.resize_adjust(ch, dir, change);
                }
            }
            Kind::Node(_) => {
                // Same direction: one cell at a time, round-robin, until the
                // change is used up.
                let mut change = change;
                while change != 0 {
                    let before = change;
                    for &ch in &children {
                        if change == 0 {
                            break;
                        }
                        if change > 0 {
                            self.resize_adjust(ch, dir, 1);
                            change -= 1;
                        } else if self.resize_check(ch, dir) > 0 {
                            self.resize_adjust(ch, dir, -1);
                            change += 1;
                        }
                    }
                    if change == before {
                        break;
                    }
                }
            }
        }
    }

    /// Recomputes offsets from sizes, from the root down.
    fn fix_offsets(&mut self) {
        let root = self.root;
        self.cm(root).xoff = 0;
        self.cm(root).yoff = 0;
        self.fix_offsets_of(root);
    }

    fn fix_offsets_of(&mut self, i: usize) {
        let cell = self.c(i).clone();
        let Kind::Node(dir) = cell.kind else { return };
        let (mut x, mut y) = (cell.xoff, cell.yoff);
        for ch in cell.children {
            {
                let c = self.cm(ch);
                c.xoff = x;
                c.yoff = y;
            }
            match dir {
                Dir::LeftRight => x += self.c(ch).sx + 1,
                Dir::TopBottom => y += self.c(ch).sy + 1,
            }
            self.fix_offsets_of(ch);
        }
    }

    /// Splits a pane (or, with `full`, the whole window) to make room for
    /// `new`. `size` is the new pane's size; `None` splits in the middle.
    pub fn split(
        &mut self,
        target: PaneId,
        dir: Dir,
        size: Option<u32>,
        before: bool,
        full: bool,
        new: PaneId,
    ) -> Result<(), &'static str> {
        const NO_SPACE: &str = "no space for new pane";
        let lc = if full {
            self.root
        } else {
            self.leaf_of(target).ok_or("pane not in layout")?
        };
        let Cell {
            sx, sy, xoff, yoff, ..
        } = self.c(lc).clone();
        let saved = match dir {
            Dir::LeftRight => sx,
            Dir::TopBottom => sy,
        };
        if saved < MINIMUM * 2 + 1 {
            return Err(NO_SPACE);
        }
        let mut size2 = match size {
            None => saved.div_ceil(2) - 1,
            Some(s) if before => saved.saturating_sub(s + 1),
            Some(s) => s,
        };
        if size2 < MINIMUM {
            size2 = MINIMUM;
        } else if size2 > saved - 2 {
            size2 = saved - 2;
        }
        let size1 = saved - 1 - size2;
        let parent = self.c(lc).parent;
        let same_parent = parent.filter(|p| self.c(*p).kind == Kind::Node(dir) && !full);

        let lcnew;
        if let Some(p) = same_parent {
            lcnew = self.alloc(Kind::Pane(new), Some(p), 0, 0);
            let pos = self
                .c(p)
                .children
                .iter()
                .position(|c| *c == lc)
                .unwrap_or(0);
            let at = if before { pos } else { pos + 1 };
            self.cm(p).children.insert(at, lcnew);
        } else if full && self.c(lc).kind == Kind::Node(dir) {
            // The whole window splits the same way as the root: add a child
            // to the root after squeezing the others proportionally.
            let old = if before { size2 } else { size1 };
            match dir {
                Dir::LeftRight => self.cm(lc).sx = old,
                Dir::TopBottom => self.cm(lc).sy = old,
            }
            self.resize_child_cells(lc);
            match dir {
                Dir::LeftRight => self.cm(lc).sx = saved,
                Dir::TopBottom => self.cm(lc).sy = saved,
            }
            let newsize = saved - 1 - old;
            let (nsx, nsy) = match dir {
                Dir::LeftRight => (newsize, sy),
                Dir::TopBottom => (sx, newsize),
            };
            lcnew = self.alloc(Kind::Pane(new), Some(lc), nsx, nsy);
            if before {
                self.cm(lc).children.insert(0, lcnew);
            } else {
                self.cm(lc).children.push(lcnew);
            }
            self.fix_offsets();
            return Ok(());
        } else {
            // Put a new node where the cell was and the cell under it.
            let node = self.alloc(Kind::Node(dir), parent, sx, sy);
            {
                let n = self.cm(node);
                n.xoff = xoff;
                n.yoff = yoff;
            }
            match parent {
                None => self.root = node,
                Some(p) => {
                    for c in self.cm(p).children.iter_mut() {
                        if *c == lc {
                            *c = node;
                        }
                    }
                }
            }
            self.cm(lc).parent = Some(node);
            lcnew = self.alloc(Kind::Pane(new), Some(node), 0, 0);
            let children = if before {
                vec![lcnew, lc]
            } else {
                vec![lc, lcnew]
            };
            self.cm(node).children = children;
        }
        let (lc1, lc2) = if before { (lcnew, lc) } else { (lc, lcnew) };
        match dir {
            Dir::LeftRight => {
                self.set(lc1, size1, sy);
                self.set(lc2, size2, sy);
            }
            Dir::TopBottom => {
                self.set(lc1, sx, size1);
                self.set(lc2, sx, size2);
            }
        }
        // A node that moved under a new parent keeps its children sized for
        // its old size: spread them into the new one.
        if let Kind::Node(_) = self.c(lc).kind {
            self.resize_child_cells(lc);
        }
        self.fix_offsets();
        Ok(())
    }

    fn set(&mut self, i: usize, sx: u32, sy: u32) {
        let c = self.cm(i);
        c.sx = sx;
        c.sy = sy;
    }

    /// Resizes a node's children into its (new) size, proportionally.
    fn resize_child_cells(&mut self, i: usize) {
        let cell = self.c(i).clone();
        let Kind::Node(dir) = cell.kind else { return };
        let count = cell.children.len() as u32;
        if count == 0 {
            return;
        }
        let previous: u32 = cell
            .children
            .iter()
            .map(|&c| self.size_in(c, dir))
            .sum::<u32>()
            + (count - 1);
        let mut available = self.size_in(i, dir);
        for (idx, &ch) in cell.children.iter().enumerate() {
            let left = count - idx as u32;
            let new = if left == 1 {
                available
            } else {
                let avail = self.resize_check(ch, dir);
                let cur = self.size_in(ch, dir);
                let mut min = (MINIMUM + 1) * (left - 1);
                if cur.saturating_sub(avail) > min {
                    min = cur - avail;
                }
                let mut n =
                    (cur as u64 * self.size_in(i, dir) as u64 / previous.max(1) as u64) as u32;
                let max = available.saturating_sub(min);
                if n > max {
                    n = max;
                }
                n.max(MINIMUM)
            };
            match dir {
                Dir::LeftRight => {
                    self.set(ch, new, cell.sy);
                }
                Dir::TopBottom => {
                    self.set(ch, cell.sx, new);
                }
            }
            available = available.saturating_sub(new + 1);
            self.resize_child_cells(ch);
        }
    }

    /// Puts pane `new` in the place of `old`.
    pub fn replace(&mut self, old: PaneId, new: PaneId) {
        if let Some(lc) = self.leaf_of(old) {
            self.cm(lc).kind = Kind::Pane(new);
        }
    }

    /// Swaps two panes' places.
    pub fn swap(&mut self, a: PaneId, b: PaneId) {
        if let (Some(la), Some(lb)) = (self.leaf_of(a), self.leaf_of(b)) {
            self.cm(la).kind = Kind::Pane(b);
            self.cm(lb).kind = Kind::Pane(a);
        }
    }

    /// Removes a pane, giving its space to a neighbour.
    pub fn remove(&mut self, pane: PaneId) {
        let Some(lc) = self.leaf_of(pane) else { return };
        let Some(parent) = self.c(lc).parent else {
            return;
        };
        let Kind::Node(dir) = self.c(parent).kind else {
            return;
        };
        let siblings = self.c(parent).children.clone();
        let pos = siblings.iter().position(|c| *c == lc).unwrap_or(0);
        let other = if pos == 0 {
            siblings.get(1)
        } else {
            siblings.get(pos - 1)
        };
        if let Some(&other) = other {
            let grow = self.size_in(lc, dir) + 1;
            self.resize_adjust(other, dir, grow as i64);
        }
        self.cm(parent).children.retain(|c| *c != lc);
        self.release(lc);
        if self.c(parent).children.len() == 1 {
            let only = self.c(parent).children[0];
            let grand = self.c(parent).parent;
            self.cm(only).parent = grand;
            match grand {
                None => self.root = only,
                Some(g) => {
                    for c in self.cm(g).children.iter_mut() {
                        if *c == parent {
                            *c = only;
                        }
                    }
                }
            }
            self.release(parent);
        }
        self.fix_offsets();
    }

    /// Fits the layout to a new window size.
    pub fn resize(&mut self, sx: u32, sy: u32) {
        let root = self.root;
        for (dir, want) in [(Dir::LeftRight, sx), (Dir::TopBottom, sy)] {
            let have = self.size_in(root, dir) as i64;
            let limit = self.resize_check(root, dir) as i64;
            let mut change = want as i64 - have;
            if change < 0 && change < -limit {
                change = -limit;
            }
            if limit == 0 {
                change = if (want as i64) <= have {
                    0
                } else {
                    want as i64 - have
                };
            }
            if change != 0 {
                self.resize_adjust(root, dir, change);
            }
        }
        self.fix_offsets();
    }

    /// Moves the border of a pane: the pane grows by `change` (or shrinks
    /// when negative) in a direction, taking from its neighbours.
    pub fn resize_pane(&mut self, pane: PaneId, dir: Dir, change: i64, opposite: bool) {
        let Some(mut lc) = self.leaf_of(pane) else {
            return;
        };
        let mut parent = self.c(lc).parent;
        while let Some(p) = parent {
            if self.c(p).kind == Kind::Node(dir) {
                break;
            }
            lc = p;
            parent = self.c(p).parent;
        }
        let Some(p) = parent else { return };
        let siblings = self.c(p).children.clone();
        if siblings.last() == Some(&lc) {
            let pos = siblings.len() - 1;
            if pos == 0 {
                return;
            }
            lc = siblings[pos - 1];
        }
        let mut needed = change;
        while needed != 0 {
            let moved = if change > 0 {
                self.grow(&siblings, lc, dir, needed, opposite)
            } else {
                self.shrink(&siblings, lc, dir, needed)
            };
            if moved == 0 {
                break;
            }
            if change > 0 {
                needed -= moved;
            } else {
                needed += moved;
            }
        }
        self.fix_offsets();
    }

    fn grow(
        &mut self,
        siblings: &[usize],
        lc: usize,
        dir: Dir,
        needed: i64,
        opposite: bool,
    ) -> i64 {
        let pos = siblings.iter().position(|c| *c == lc).unwrap_or(0);
        let after = siblings[pos + 1..]
            .iter()
            .find(|&&c| self.resize_check(c, dir) > 0);
        let remove = match after {
            Some(&c) => Some(c),
            None if opposite => siblings[..pos]
                .iter()
                .rev()
                .find(|&&c| self.resize_check(c, dir) > 0)
                .copied(),
            None => None,
        };
        let Some(remove) = remove else { return 0 };
        let size = (self.resize_check(remove, dir) as i64).min(needed);
        self.resize_adjust(lc, dir, size);
        self.resize_adjust(remove, dir, -size);
        size
    }

    fn shrink(&mut self, siblings: &[usize], lc: usize, dir: Dir, needed: i64) -> i64 {
        let pos = siblings.iter().position(|c| *c == lc).unwrap_or(0);
        let Some(&remove) = siblings[..=pos]
            .iter()
            .rev()
            .find(|&&c| self.resize_check(c, dir) > 0)
        else {
            return 0;
        };
        let Some(&add) = siblings.get(pos + 1) else {
            return 0;
        };
        let size = (self.resize_check(remove, dir) as i64).min(-needed);
        self.resize_adjust(add, dir, size);
        self.resize_adjust(remove, dir, -size);
        size
    }

    /// Spreads the cells around a pane out evenly: its parent's, or the
    /// nearest ancestor's whose cells are not even already, as tmux's
    /// layout_spread_out (select-layout -E). Returns whether any moved.
    pub fn spread_out(&mut self, pane: PaneId) -> bool {
        let Some(leaf) = self.leaf_of(pane) else {
            return false;
        };
        let mut parent = self.c(leaf).parent;
        while let Some(p) = parent {
            if self.spread_cell(p) {
                self.fix_offsets();
                return true;
            }
            parent = self.c(p).parent;
        }
        false
    }

    /// Gives a node's children equal sizes, the last one the rest.
    fn spread_cell(&mut self, p: usize) -> bool {
        let Kind::Node(dir) = self.c(p).kind else {
            return false;
        };
        let children = self.c(p).children.clone();
        let number = children.len() as i64;
        let size = self.size_in(p, dir) as i64;
        if number <= 1 || size < number - 1 {
            return false;
        }
        let mut each = (size - (number - 1)) / number;
        if each == 0 {
            return false;
        }
        let mut changed = false;
        for (n, child) in children.iter().enumerate() {
            if n + 1 == children.len() {
                each = size - (each + 1) * (number - 1);
            }
            let change = each - self.size_in(*child, dir) as i64;
            if change != 0 {
                self.resize_adjust(*child, dir, change);
                changed = true;
            }
        }
        changed
    }

    /// Resizes a pane to an absolute size in a direction.
    pub fn resize_pane_to(&mut self, pane: PaneId, dir: Dir, new_size: u32) {
        let Some(mut lc) = self.leaf_of(pane) else {
            return;
        };
        let mut parent = self.c(lc).parent;
        while let Some(p) = parent {
            if self.c(p).kind == Kind::Node(dir) {
                break;
            }
            lc = p;
            parent = self.c(p).parent;
        }
        let Some(p) = parent else { return };
        let size = self.size_in(lc, dir) as i64;
        let change = if self.c(p).children.last() == Some(&lc) {
            size - new_size as i64
        } else {
            new_size as i64 - size
        };
        self.resize_pane(pane, dir, change, true);
    }

    /// The layout as tmux writes it: `csum,WxH,X,Y{...}`.
    pub fn dump(&self) -> String {
        let mut body = String::new();
        self.dump_cell(self.root, &mut body);
        format!("{:04x},{}", checksum(&body), body)
    }

    fn dump_cell(&self, i: usize, out: &mut String) {
        let c = self.c(i);
        out.push_str(&format!("{}x{},{},{}", c.sx, c.sy, c.xoff, c.yoff));
        match c.kind {
            Kind::Pane(p) => out.push_str(&format!(",{}", p.0)),
            Kind::Node(dir) => {
                let (open, close) = match dir {
                    Dir::LeftRight => ('{', '}'),
                    Dir::TopBottom => ('[', ']'),
                };
                out.push(open);
                for (n, &ch) in c.children.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    self.dump_cell(ch, out);
                }
                out.push(close);
            }
        }
    }

    /// Parses a layout string for these panes (given in window order; the
    /// pane ids in the string are ignored, as in tmux).
    pub fn parse(s: &str, panes: &[PaneId]) -> Option<Layout> {
        let (sum, body) = s.split_once(',')?;
        if u16::from_str_radix(sum, 16).ok()? != checksum(body) {
            return None;
        }
        let mut l = Layout {
            cells: Vec::new(),
            free: Vec::new(),
            root: 0,
        };
        let mut rest = body;
        let mut queue = panes.iter();
        l.root = l.parse_cell(&mut rest, None, &mut queue)?;
        if !rest.is_empty() || queue.next().is_some() || !l.check(l.root) {
            return None;
        }
        l.fix_offsets();
        Some(l)
    }

    fn parse_cell(
        &mut self,
        s: &mut &str,
        parent: Option<usize>,
        panes: &mut std::slice::Iter<PaneId>,
    ) -> Option<usize> {
        let num = |s: &mut &str| -> Option<u32> {
            let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
            let n = s[..end].parse().ok()?;
            *s = &s[end..];
            Some(n)
        };
        let sx = num(s)?;
        *s = s.strip_prefix('x')?;
        let sy = num(s)?;
        *s = s.strip_prefix(',')?;
        num(s)?;
        *s = s.strip_prefix(',')?;
        num(s)?;
        let dir = match s.chars().next() {
            Some('{') => Some(Dir::LeftRight),
            Some('[') => Some(Dir::TopBottom),
            _ => None,
        };
        match dir {
            None => {
                if let Some(r) = s.strip_prefix(',') {
                    *s = r;
                    num(s)?;
                }
                let pane = *panes.next()?;
                Some(self.alloc(Kind::Pane(pane), parent, sx, sy))
            }
            Some(dir) => {
                let close = if dir == Dir::LeftRight { '}' } else { ']' };
                *s = &s[1..];
                let node = self.alloc(Kind::Node(dir), parent, sx, sy);
                loop {
                    let child = self.parse_cell(s, Some(node), panes)?;
                    self.cm(node).children.push(child);
                    if let Some(r) = s.strip_prefix(',') {
                        *s = r;
                    } else {
                        *s = s.strip_prefix(close)?;
                        break;
                    }
                }
                Some(node)
            }
        }
    }

    /// Whether children fill their parents exactly.
    fn check(&self, i: usize) -> bool {
        let c = self.c(i);
        let Kind::Node(dir) = c.kind else { return true };
        let mut total = 0;
        for (n, &ch) in c.children.iter().enumerate() {
            let cc = self.c(ch);
            let (along, across) = match dir {
                Dir::LeftRight => (cc.sx, cc.sy),
                Dir::TopBottom => (cc.sy, cc.sx),
            };
            let parent_across = match dir {
                Dir::LeftRight => c.sy,
                Dir::TopBottom => c.sx,
            };
            if across != parent_across || !self.check(ch) {
                return false;
            }
            total += along + if n > 0 { 1 } else { 0 };
        }
        total == self.size_in(i, dir)
    }

    /// Spreads a node's children evenly; the last takes the remainder.
    fn spread(&mut self, i: usize) {
        let c = self.c(i).clone();
        let Kind::Node(dir) = c.kind else { return };
        let number = c.children.len() as u32;
        if number <= 1 {
            return;
        }
        let size = self.size_in(i, dir);
        if size < number - 1 {
            return;
        }
        let each = (size - (number - 1)) / number;
        if each == 0 {
            return;
        }
        for (n, &ch) in c.children.iter().enumerate() {
            let mut change = each as i64 - self.size_in(ch, dir) as i64;
            if n + 1 == c.children.len() {
                change += ((size - (number - 1)) - number * each) as i64;
            }
            self.resize_adjust(ch, dir, change);
        }
    }

    /// Builds a preset layout for these panes (window order) and window size.
    pub fn preset(
        name: &str,
        panes: &[PaneId],
        sx: u32,
        sy: u32,
        main: MainSizes,
    ) -> Option<Layout> {
        let first = *panes.first()?;
        let mut l = Layout::new(first, sx, sy);
        if panes.len() <= 1 {
            return Some(l);
        }
        l.cells.clear();
        l.free.clear();
        match name {
            "even-horizontal" => l.even(Dir::LeftRight, panes, sx, sy),
            "even-vertical" => l.even(Dir::TopBottom, panes, sx, sy),
            "main-horizontal" => l.main(Dir::TopBottom, panes, sx, sy, main),
            "main-vertical" => l.main(Dir::LeftRight, panes, sx, sy, main),
            "tiled" => l.tiled(panes, sx, sy),
            _ => return None,
        }
        l.fix_offsets();
        Some(l)
    }

    fn even(&mut self, dir: Dir, panes: &[PaneId], sx: u32, sy: u32) {
        let n = panes.len() as u32;
        let need = n * (MINIMUM + 1) - 1;
        let (rsx, rsy) = match dir {
            Dir::LeftRight => (need.max(sx), sy),
            Dir::TopBottom => (sx, need.max(sy)),
        };
        self.root = self.alloc(Kind::Node(dir), None, rsx, rsy);
        for &p in panes {
            let ch = self.alloc(Kind::Pane(p), Some(self.root), sx, sy);
            let root = self.root;
            self.cm(root).children.push(ch);
        }
        self.spread(self.root);
    }

    /// main-horizontal (`dir` TopBottom: main pane on top) and
    /// main-vertical (LeftRight: main pane on the left).
    fn main(&mut self, dir: Dir, panes: &[PaneId], sx: u32, sy: u32, sizes: MainSizes) {
        let n = panes.len() as u32 - 1;
        let (total, mut mainsz, othersz) = match dir {
            Dir::TopBottom => (sy.saturating_sub(1), sizes.main_height, sizes.other_height),
            Dir::LeftRight => (sx.saturating_sub(1), sizes.main_width, sizes.other_width),
        };
        let other;
        if mainsz + MINIMUM >= total {
            mainsz = if total <= MINIMUM + MINIMUM {
                MINIMUM
            } else {
                total - MINIMUM
            };
            other = MINIMUM;
        } else if othersz == 0 || othersz > total || total - othersz < mainsz {
            other = total - mainsz;
        } else {
            other = othersz;
            mainsz = total - othersz;
        }
        let across_need = n * (MINIMUM + 1) - 1;
        let other_dir = match dir {
            Dir::TopBottom => Dir::LeftRight,
            Dir::LeftRight => Dir::TopBottom,
        };
        let (rsx, rsy, main_geom, other_geom) = match dir {
            Dir::TopBottom => {
                let w = across_need.max(sx);
                (w, mainsz + other + 1, (w, mainsz), (w, other))
            }
            Dir::LeftRight => {
                let h = across_need.max(sy);
                (mainsz + other + 1, h, (mainsz, h), (other, h))
            }
        };
        self.root = self.alloc(Kind::Node(dir), None, rsx, rsy);
        let root = self.root;
        let lcmain = self.alloc(Kind::Pane(panes[0]), Some(root), main_geom.0, main_geom.1);
        self.cm(root).children.push(lcmain);
        if n == 1 {
            let lcother = self.alloc(Kind::Pane(panes[1]), Some(root), other_geom.0, other_geom.1);
            self.cm(root).children.push(lcother);
        } else {
            let lcother = self.alloc(
                Kind::Node(other_dir),
                Some(root),
                other_geom.0,
                other_geom.1,
            );
            self.cm(root).children.push(lcother);
            for &p in &panes[1..] {
                let (csx, csy) = match dir {
                    Dir::TopBottom => (MINIMUM, other),
                    Dir::LeftRight => (other, MINIMUM),
                };
                let ch = self.alloc(Kind::Pane(p), Some(lcother), csx, csy);
                self.cm(lcother).children.push(ch);
            }
            self.spread(lcother);
        }
    }

    fn tiled(&mut self, panes: &[PaneId], sx: u32, sy: u32) {
        let n = panes.len() as u32;
        let (mut rows, mut columns) = (1u32, 1u32);
        while rows * columns < n {
            rows += 1;
            if rows * columns < n {
                columns += 1;
            }
        }
        let width = ((sx.saturating_sub(columns - 1)) / columns).max(MINIMUM);
        let height = ((sy.saturating_sub(rows - 1)) / rows).max(MINIMUM);
        let rsx = ((width + 1) * columns - 1).max(sx);
        let rsy = ((height + 1) * rows - 1).max(sy);
        self.root = self.alloc(Kind::Node(Dir::TopBottom), None, rsx, rsy);
        let root = self.root;
        let mut it = panes.iter().peekable();
        for j in 0..rows {
            if it.peek().is_none() {
                break;
            }
            let row = self.alloc(Kind::Node(Dir::LeftRight), Some(root), sx, height);
            self.cm(root).children.push(row);
            if n - j * columns == 1 || columns == 1 {
                let p = *it.next().unwrap_or(&panes[0]);
                self.cm(row).kind = Kind::Pane(p);
                continue;
            }
            let mut i = 0;
            while i < columns {
                let Some(&p) = it.next() else { break };
                let ch = self.alloc(Kind::Pane(p), Some(row), width, height);
                self.cm(row).children.push(ch);
                i += 1;
            }
            let used = i * (width + 1) - 1;
            if sx > used
                && let Some(&last) = self.c(row).children.last()
            {
                self.resize_adjust(last, Dir::LeftRight, (sx - used) as i64);
            }
        }
        let used = rows * height + rows - 1;
        if sy > used
            && let Some(&last) = self.c(root).children.last()
        {
            self.resize_adjust(last, Dir::TopBottom, (sy - used) as i64);
        }
    }
}

/// tmux's layout checksum.
fn checksum(s: &str) -> u16 {
    let mut csum: u16 = 0;
    for b in s.bytes() {
        csum = (csum >> 1) | ((csum & 1) << 15);
        csum = csum.wrapping_add(b as u16);
    }
    csum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(n: u32) -> PaneId {
        PaneId(n)
    }

    const MAIN: MainSizes = MainSizes {
        main_width: 80,
        main_height: 24,
        other_width: 0,
        other_height: 0,
    };

    // Every expected string below was printed by tmux 3.3a for the same steps.
    #[test]
    fn splits_match_tmux() {
        let mut l = Layout::new(p(0), 80, 24);
        assert_eq!(l.dump(), "b25d,80x24,0,0,0");
        l.split(p(0), Dir::LeftRight, None, false, false, p(1))
            .unwrap();
        assert_eq!(l.dump(), "8205,80x24,0,0{40x24,0,0,0,39x24,41,0,1}");
        l.split(p(1), Dir::TopBottom, None, false, false, p(2))
            .unwrap();
        assert_eq!(
            l.dump(),
            "d67e,80x24,0,0{40x24,0,0,0,39x24,41,0[39x12,41,0,1,39x11,41,13,2]}"
        );
        // -l 30% of a 24-line pane is 7 lines.
        l.split(p(0), Dir::TopBottom, Some(7), false, false, p(3))
            .unwrap();
        assert_eq!(
            l.dump(),
            "7587,80x24,0,0{40x24,0,0[40x16,0,0,0,40x7,0,17,3],39x24,41,0[39x12,41,0,1,39x11,41,13,2]}"
        );
    }

    #[test]
    fn presets_match_tmux() {
        let panes = [p(0), p(3), p(1), p(2)];
        let dump = |name| Layout::preset(name, &panes, 80, 24, MAIN).unwrap().dump();
        assert_eq!(
            dump("tiled"),
            "f1d4,80x24,0,0[80x11,0,0{39x11,0,0,0,40x11,40,0,3},80x12,0,12{39x12,0,12,1,40x12,40,12,2}]"
        );
        assert_eq!(
            dump("main-vertical"),
            "1720,80x24,0,0{78x24,0,0,0,1x24,79,0[1x7,79,0,3,1x7,79,8,1,1x8,79,16,2]}"
        );
        assert_eq!(
            dump("main-horizontal"),
            "0335,80x24,0,0[80x22,0,0,0,80x1,0,23{26x1,0,23,3,26x1,27,23,1,26x1,54,23,2}]"
        );
        assert_eq!(
            dump("even-horizontal"),
            "f687,80x24,0,0{19x24,0,0,0,19x24,20,0,3,19x24,40,0,1,20x24,60,0,2}"
        );
        assert_eq!(
            dump("even-vertical"),
            "21b8,80x24,0,0[80x5,0,0,0,80x5,0,6,3,80x5,0,12,1,80x6,0,18,2]"
        );
    }

    #[test]
    fn remove_gives_space_back() {
        let mut l = Layout::new(p(0), 80, 24);
        l.split(p(0), Dir::LeftRight, None, false, false, p(1))
            .unwrap();
        l.remove(p(1));
        assert_eq!(l.dump(), "b25d,80x24,0,0,0");
    }

    #[test]
    fn parse_round_trips() {
        let s = "7587,80x24,0,0{40x24,0,0[40x16,0,0,0,40x7,0,17,3],39x24,41,0[39x12,41,0,1,39x11,41,13,2]}";
        let l = Layout::parse(s, &[p(0), p(3), p(1), p(2)]).unwrap();
        assert_eq!(l.dump(), s);
        assert!(Layout::parse("0000,80x24,0,0,0", &[p(0)]).is_none());
        assert!(Layout::parse(s, &[p(0)]).is_none());
    }

    #[test]
    fn resize_pane_moves_border() {
        let mut l = Layout::new(p(0), 80, 24);
        l.split(p(0), Dir::LeftRight, None, false, false, p(1))
            .unwrap();
        l.resize_pane(p(0), Dir::LeftRight, 5, true);
        let g = l.geometry();
        assert_eq!((g[0].sx, g[1].sx, g[1].xoff), (45, 34, 46));
        l.resize_pane_to(p(1), Dir::LeftRight, 20);
        let g = l.geometry();
        assert_eq!((g[0].sx, g[1].sx), (59, 20));
    }

    #[test]
    fn no_space() {
        let mut l = Layout::new(p(0), 2, 2);
        assert!(
            l.split(p(0), Dir::LeftRight, None, false, false, p(1))
                .is_err()
        );
    }

    #[test]
    fn window_resize() {
        let mut l = Layout::new(p(0), 80, 24);
        l.split(p(0), Dir::LeftRight, None, false, false, p(1))
            .unwrap();
        l.resize(100, 30);
        assert_eq!(l.size(), (100, 30));
        let g = l.geometry();
        assert_eq!(g[0].sx + g[1].sx + 1, 100);
    }
}
