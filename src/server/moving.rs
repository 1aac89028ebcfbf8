//! Moving panes between windows and places: split-window's placement,
//! break-pane, join-pane (move-pane) and swap-pane. The panes' programs
//! go on running; only where they are drawn changes.

use super::layout::Dir;
use super::state::State;
use commands::host::{PanePlace, SplitSize, WindowPlace};
use commands::{CmdError, CmdResult, Found, PaneId, SessionId, bail};

/// Stands in the layout for a pane being moved within its own window,
/// while its old place is still there.
const MOVING: PaneId = PaneId(u32::MAX);

impl State {
    /// Splits `at.pane` (or with `full` the whole window) to make room for
    /// pane `new`; returns the new pane's size.
    pub fn split_layout(
        &mut self,
        at: &Found,
        place: &PanePlace,
        new: PaneId,
    ) -> CmdResult<(u32, u32)> {
        self.unzoom(at.window);
        let Some(target) = self.panes.get(&at.pane) else {
            bail!("can't find pane: {}", at.pane);
        };
        let (psx, psy) = (target.sx, target.sy);
        let Some(win) = self.windows.get_mut(&at.window) else {
            bail!("can't find window: {}", at.window);
        };
        let (dir, whole) = match (place.horizontal, place.full) {
            (true, true) => (Dir::LeftRight, win.sx),
            (true, false) => (Dir::LeftRight, psx),
            (false, true) => (Dir::TopBottom, win.sy),
            (false, false) => (Dir::TopBottom, psy),
        };
        let size = place.size.map(|s| match s {
            SplitSize::Cells(n) => n,
            SplitSize::Percent(p) => whole * p / 100,
        });
        win.layout
            .split(at.pane, dir, size, place.before, place.full, new)
            .map_err(CmdError::new)?;
        let geom = win.layout.geometry().into_iter().find(|g| g.pane == new);
        Ok(geom.map(|g| (g.sx, g.sy)).unwrap_or((1, 1)))
    }

    /// Puts a pane made by splitting `at.pane` in its window's pane order:
    /// next to the target, or first or last for a full-size split, as tmux.
    pub fn list_pane(&mut self, at: &Found, place: &PanePlace, new: PaneId) {
        if let Some(win) = self.windows.get_mut(&at.window) {
            let pos = win.panes.iter().position(|p| *p == at.pane).unwrap_or(0);
            let at_pos = match (place.full, place.before) {
                (true, true) => 0,
                (true, false) => win.panes.len(),
                (false, true) => pos,
                (false, false) => pos + 1,
            };
            win.panes.insert(at_pos.min(win.panes.len()), new);
        }
    }

    pub fn break_pane_to(
        &mut self,
        p: PaneId,
        s: SessionId,
        place: WindowPlace,
        name: Option<String>,
        select: bool,
    ) -> CmdResult<Found> {
        let Some(w) = self.panes.get(&p).map(|x| x.window) else {
            bail!("can't find pane: {p}");
        };
        let Some(win) = self.windows.get(&w) else {
            bail!("can't find window: {w}");
        };
        let (size, alone) = ((win.sx, win.sy), win.panes.len() == 1);
        let Some(from) = self.window_session(w) else {
            bail!("can't find window: {w}");
        };
        let initial_name = win.initial_name.clone();
        let old_index = self.index_of(from, w);
        if let (true, true, WindowPlace::At { index, .. }) = (alone, from == s, place)
            && Some(index) == old_index
        {
            bail!("same index: {index}");
        }
        let index = self.place_window(s, place)?;
        let found = if alone {
            // As in tmux, a window of one pane moves rather than being remade.
            self.move_window(w, s, index, name)
        } else {
            self.unlink_pane(p);
            let f = self.insert_window(s, index, p, name, initial_name, size);
            self.sync_group_from(s);
            f
        };
        if select {
            self.select_window_at(s, index);
        }
        self.redraw_all();
        Ok(found)
    }

    /// The index of window `w` in session `s`.
    pub(super) fn index_of(&self, s: SessionId, w: commands::WindowId) -> Option<u32> {
        self.sessions
            .get(&s)?
            .windows
            .iter()
            .find(|(_, id)| **id == w)
            .map(|(i, _)| *i)
    }

    /// Moves a whole window to `index` of session `s`.
    fn move_window(
        &mut self,
        w: commands::WindowId,
        s: SessionId,
        index: u32,
        name: Option<String>,
    ) -> Found {
        let from = self.window_session(w).unwrap_or(s);
        // Making room may have moved the window up an index.
        let old = self.index_of(from, w);
        if let Some(sess) = self.sessions.get_mut(&s) {
            sess.windows.insert(index, w);
        }
        self.note_link(w, s);
        self.sync_group_from(s);
        if let Some(win) = self.windows.get_mut(&w)
            && name.is_some()
        {
            win.name = name;
        }
        if let Some(old) = old.filter(|o| from != s || *o != index) {
            self.forget_window_index(from, old);
        }
        let pane = self.windows.get(&w).map_or(MOVING, |x| x.active);
        Found {
            session: s,
            index,
            window: w,
            pane,
        }
    }

    fn select_window_at(&mut self, s: SessionId, index: u32) {
        let _ = commands::Host::select_window(self, s, index);
    }

    pub fn join_pane_to(&mut self, src: PaneId, at: &Found, place: &PanePlace) -> CmdResult<Found> {
        if src == at.pane {
            bail!("source and target panes must be different");
        }
        let Some(from) = self.panes.get(&src).map(|x| x.window) else {
            bail!("can't find pane: {src}");
        };
        self.unzoom(from);
        // Room first, so that a split that does not fit changes nothing.
        self.split_layout(at, place, MOVING)
            .map_err(|_| CmdError::new("create pane failed: pane too small"))?;
        self.unlink_pane(src);
        if let Some(win) = self.windows.get_mut(&at.window) {
            win.layout.replace(MOVING, src);
        }
        if let Some(p) = self.panes.get_mut(&src) {
            p.window = at.window;
        }
        self.list_pane(at, place, src);
        if place.select {
            self.set_active_pane(at.window, src);
            self.select_window_at(at.session, at.index);
        }
        self.apply_layout(at.window);
        if self.windows.contains_key(&from) {
            self.apply_layout(from);
        }
        self.redraw_all();
        Ok(Found { pane: src, ..*at })
    }

    pub fn swap_pane_places(&mut self, src: PaneId, dst: PaneId, detached: bool) -> CmdResult {
        if src == dst {
            return Ok(());
        }
        let (Some(sw), Some(dw)) = (
            self.panes.get(&src).map(|p| p.window),
            self.panes.get(&dst).map(|p| p.window),
        ) else {
            bail!(
                "can't find pane: {}",
                if self.panes.contains_key(&src) {
                    dst
                } else {
                    src
                }
            );
        };
        self.unzoom(sw);
        self.unzoom(dw);
        if sw == dw {
            if let Some(win) = self.windows.get_mut(&sw) {
                win.layout.swap(src, dst);
                let (i, j) = (pos(&win.panes, src), pos(&win.panes, dst));
                win.panes.swap(i, j);
            }
        } else {
            for (w, out, inn) in [(sw, src, dst), (dw, dst, src)] {
                if let Some(win) = self.windows.get_mut(&w) {
                    win.layout.replace(out, inn);
                    let i = pos(&win.panes, out);
                    win.panes[i] = inn;
                    win.last_panes.retain(|x| *x != out);
                }
                if let Some(p) = self.panes.get_mut(&inn) {
                    p.window = w;
                }
            }
        }
        // tmux's rules: the target becomes active (and across windows, each
        // window's incoming pane); with -d, an active pane that moved out is
        // replaced by the one that moved in, checked in turn for each
        // window, so that in one window the active pane stays put.
        let active = |st: &State, w| st.windows.get(&w).map(|x| x.active);
        if !detached {
            self.set_active_pane(sw, dst);
            if sw != dw {
                self.set_active_pane(dw, src);
            }
        } else {
            if active(self, sw) == Some(src) {
                self.set_active_pane(sw, dst);
            }
            if active(self, dw) == Some(dst) {
                self.set_active_pane(dw, src);
            }
        }
        self.apply_layout(sw);
        self.apply_layout(dw);
        self.redraw_all();
        Ok(())
    }
}

fn pos(panes: &[PaneId], p: PaneId) -> usize {
    panes.iter().position(|x| *x == p).unwrap_or(0)
}
