//! Whole windows changing place or shape: move-window, swap-window,
//! rotate-window, resize-window and respawn-window. Their panes' programs
//! go on running (respawn-window's excepted).

use super::layout::Layout;
use super::state::State;
use commands::host::{Io, SpawnSpec};
use commands::options::Value;
use commands::{CmdResult, Found, Host, PaneId, SessionId, WindowId, bail};

impl State {
    /// move-window: see [`commands::Host::move_window`]. Like tmux, the
    /// window is linked at its new place before it leaves the old one, so
    /// the old session's current window is chosen with the move done.
    pub fn move_window_to(
        &mut self,
        src: &Found,
        dst: SessionId,
        index: Option<u32>,
        kill: bool,
        select: bool,
        renumber_source: bool,
    ) -> CmdResult<Found> {
        self.link_window_to(src, dst, index, kill, select)?;
        let src_alive = self.unlink_window_at(src.session, src.index);
        if src_alive && renumber_source {
            self.renumber_if_wanted(src.session);
        }
        self.resize_windows();
        match self.found_window_id(src.window) {
            Some(f) => Ok(f),
            None => bail!("can't find window: {}", src.window),
        }
    }

    /// swap-window: each place takes the other's window.
    pub fn swap_window_places(&mut self, src: &Found, dst: &Found, detached: bool) -> CmdResult {
        for (at, w) in [(src, dst.window), (dst, src.window)] {
            let Some(sess) = self.sessions.get_mut(&at.session) else {
                bail!("can't find session: {}", at.session);
            };
            sess.windows.insert(at.index, w);
        }
        if src.session != dst.session {
            self.note_unlink(src.window, src.session);
            self.note_link(src.window, dst.session);
            self.note_unlink(dst.window, dst.session);
            self.note_link(dst.window, src.session);
        }
        self.sync_group_from(src.session);
        if dst.session != src.session {
            self.sync_group_from(dst.session);
        }
        if detached {
            Host::select_window(self, dst.session, dst.index)?;
            if src.session != dst.session {
                Host::select_window(self, src.session, src.index)?;
            }
        }
        self.resize_windows();
        Ok(())
    }

    /// rotate-window: every pane takes the place of the one before it
    /// (after it, `down`); the active place stays active.
    pub fn rotate_panes(&mut self, w: WindowId, down: bool, keep_zoom: bool) -> CmdResult {
        let Some(win) = self.windows.get(&w) else {
            bail!("can't find window: {w}");
        };
        let zoomed = win.zoomed;
        self.unzoom(w);
        let Some(win) = self.windows.get_mut(&w) else {
            bail!("can't find window: {w}");
        };
        let old = win.panes.clone();
        let mut new = old.clone();
        if down {
            new.rotate_right(1);
        } else {
            new.rotate_left(1);
        }
        // Through stand-ins, so that no pane is in two places at once.
        let stand_in = |i: usize| PaneId(u32::MAX - 1 - i as u32);
        for (i, p) in old.iter().enumerate() {
            win.layout.replace(*p, stand_in(i));
        }
        for (i, p) in new.iter().enumerate() {
            win.layout.replace(stand_in(i), *p);
        }
        let place = old.iter().position(|p| *p == win.active).unwrap_or(0);
        let active = new.get(place).copied().unwrap_or(win.active);
        win.panes = new;
        self.set_active_pane(w, active);
        if let (true, true, Some(win)) = (zoomed, keep_zoom, self.windows.get_mut(&w)) {
            win.zoomed = true;
        }
        self.apply_layout(w);
        self.redraw_window(w);
        Ok(())
    }

    /// The largest or smallest size of the clients showing session `s`,
    /// each dimension on its own as tmux takes it; default-size if none.
    pub fn session_clients_size(&self, s: SessionId, largest: bool) -> (u32, u32) {
        let sizes: Vec<(u32, u32)> = self
            .clients
            .values()
            .filter(|c| c.session == s)
            .map(|c| {
                let rows = (c.rows as u32).saturating_sub(self.status_lines(s) as u32);
                (c.cols as u32, rows)
            })
            .collect();
        let pick = |v: Box<dyn Iterator<Item = u32> + '_>| {
            if largest { v.max() } else { v.min() }
        };
        let sx = pick(Box::new(sizes.iter().map(|(x, _)| *x)));
        let sy = pick(Box::new(sizes.iter().map(|(_, y)| *y)));
        match (sx, sy) {
            (Some(x), Some(y)) if x > 0 && y > 0 => (x, y),
            _ => self.session_default_size(s),
        }
    }

    /// default-size of a session, or 80x24 if it does not parse.
    fn session_default_size(&self, s: SessionId) -> (u32, u32) {
        self.session_opt(Some(s), "default-size")
            .map(|v| v.as_str().to_string())
            .and_then(|v| {
                let (w, h) = v.split_once('x')?;
                Some((w.parse().ok()?, h.parse().ok()?))
            })
            .unwrap_or((80, 24))
    }

    /// resize-window: the window keeps this size until told otherwise.
    pub fn set_window_size(&mut self, w: WindowId, sx: u32, sy: u32) -> CmdResult {
        let Some(win) = self.windows.get_mut(&w) else {
            bail!("can't find window: {w}");
        };
        win.options
            .set("window-size", Value::Str("manual".to_string()));
        if (win.sx, win.sy) != (sx, sy) {
            win.sx = sx;
            win.sy = sy;
            win.layout.resize(sx, sy);
            self.apply_layout(w);
            let at = self.hook_at(self.found_window_id(w));
            self.notify("window-resized", at);
        }
        self.redraw_all();
        Ok(())
    }

    /// respawn-window: the first pane stays and fills the window, the
    /// others close, and the first runs its program again.
    pub fn respawn_window_at(
        &mut self,
        io: &Io,
        at: &Found,
        spawn: SpawnSpec,
        kill: bool,
    ) -> CmdResult {
        let Some(win) = self.windows.get(&at.window) else {
            bail!("can't find window: {}", at.window);
        };
        let panes = win.panes.clone();
        let live = panes
            .iter()
            .any(|p| self.panes.get(p).is_some_and(|x| !x.dead));
        if live && !kill {
            let name = self
                .sessions
                .get(&at.session)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            bail!(
                "respawn window failed: window {name}:{} still active",
                at.index
            );
        }
        let Some((&first, others)) = panes.split_first() else {
            bail!("can't find window: {}", at.window);
        };
        for p in others {
            self.destroy_pane(*p);
        }
        if let Some(win) = self.windows.get_mut(&at.window) {
            win.panes = vec![first];
            win.last_panes.clear();
            win.zoomed = false;
            win.layout = Layout::new(first, win.sx, win.sy);
        }
        self.set_active_pane(at.window, first);
        self.apply_layout(at.window);
        Host::respawn_pane(self, io, first, spawn, true)
            .map_err(|e| commands::CmdError(format!("respawn window failed: {e}")))?;
        self.redraw_window(at.window);
        Ok(())
    }
}
