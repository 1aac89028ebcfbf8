//! Resolving targets as tmux's cmd-find does: session names exactly, then
//! by prefix, then as a pattern; windows by index, id, name, offset or
//! token; panes by index, id, offset, token or position.

use super::state::State;
use commands::host::{Direction, Io};
use commands::target::{Parts, fnmatch, split};
use commands::{CmdResult, Found, PaneId, SessionId, TargetKind, WindowId, bail};

impl State {
    /// The session, window and pane a command acts on when it has no -t:
    /// the pane the caller runs in, else the most recently used session.
    pub fn current(&self, io: &Io) -> Option<Found> {
        // A mouse binding acts where the mouse is.
        if let Some(f) = self.mouse_found(io) {
            return Some(f);
        }
        if let Some(p) = self.caller_pane(io) {
            let f = self.found_pane(p)?;
            // tmux 3.3a acts on the caller's window's active pane, not on
            // the caller's own: as tmux, do the same.
            if self.info.flavor == crate::paths::Flavor::Tmux {
                let active = self.windows.get(&f.window).map_or(p, |w| w.active);
                return Some(Found { pane: active, ..f });
            }
            return Some(f);
        }
        if let Some(s) = io.caller.attached.filter(|s| self.sessions.contains_key(s)) {
            return self.found_session(s);
        }
        let best = self
            .sessions
            .values()
            .max_by(|a, b| a.activity.cmp(&b.activity).then(b.name.cmp(&a.name)))?;
        self.found_session(best.id)
    }

    /// The pane the caller runs in, from AGMUX_PANE (TMUX_PANE as tmux),
    /// when its AGMUX names this server.
    pub fn caller_pane(&self, io: &Io) -> Option<PaneId> {
        let flavor = self.info.flavor;
        let socket = io.caller.env(flavor.env_var())?.split(',').next()?;
        if std::path::Path::new(socket) != self.info.socket {
            return None;
        }
        let pane = PaneId::parse(io.caller.env(flavor.pane_var())?)?;
        self.panes.contains_key(&pane).then_some(pane)
    }

    pub fn found_session(&self, s: SessionId) -> Option<Found> {
        let sess = self.sessions.get(&s)?;
        self.found_window(s, sess.current)
    }

    pub fn found_window(&self, s: SessionId, index: u32) -> Option<Found> {
        let sess = self.sessions.get(&s)?;
        let w = *sess.windows.get(&index)?;
        let pane = self.windows.get(&w)?.active;
        Some(Found {
            session: s,
            index,
            window: w,
            pane,
        })
    }

    pub fn found_pane(&self, p: PaneId) -> Option<Found> {
        let w = self.panes.get(&p)?.window;
        let f = self.found_window_id(w)?;
        Some(Found { pane: p, ..f })
    }

    /// A window found by itself: in the best session linking it.
    pub fn found_window_id(&self, w: WindowId) -> Option<Found> {
        let s = self.window_session(w)?;
        let index = self.window_index_in(s, w)?;
        self.found_window(s, index)
    }

    /// Where the mouse event of a mouse binding happened.
    fn mouse_found(&self, io: &Io) -> Option<Found> {
        let m = io.caller.mouse?;
        match (m.pane, m.window) {
            (Some(p), _) => self.found_pane(p),
            (None, Some((s, index))) => self.found_window(s, index),
            (None, None) => None,
        }
    }

    pub fn resolve(&self, io: &Io, target: Option<&str>, kind: TargetKind) -> CmdResult<Found> {
        let Some(target) = target.filter(|t| !t.is_empty()) else {
            return match self.current(io) {
                Some(f) => Ok(f),
                None => bail!("no current session"),
            };
        };
        if target == "~" || target == "{marked}" {
            return match self.marked_found() {
                Some(f) => Ok(f),
                None => bail!("no marked target"),
            };
        }
        if target == "=" || target == "{mouse}" {
            return match self.mouse_found(io) {
                Some(f) => Ok(f),
                None => bail!("no mouse target"),
            };
        }
        let parts = split(target, kind);
        self.resolve_parts(io, &parts, false).map(|(f, _)| f)
    }

    /// For new-window -t: the window part may be an index not in use.
    pub fn resolve_index(
        &self,
        io: &Io,
        target: Option<&str>,
    ) -> CmdResult<(SessionId, Option<u32>)> {
        let Some(target) = target.filter(|t| !t.is_empty()) else {
            return match self.current(io) {
                Some(f) => Ok((f.session, None)),
                None => bail!("no current session"),
            };
        };
        let parts = split(target, TargetKind::Window);
        // A bare word is an index or window of the current session, or a
        // session (whose next free index is meant).
        if let (None, Some(w), None) = (&parts.session, &parts.window, &parts.pane) {
            let current = self.current(io);
            if let Ok(idx) = w.parse::<u32>() {
                return match current {
                    Some(c) => Ok((c.session, Some(idx))),
                    None => bail!("no current session"),
                };
            }
            if let Some(f) = self.window_anywhere(current, w, parts.exact_window, true) {
                return Ok((f.session, Some(f.index)));
            }
            if let Some(s) = self.session_by(w, parts.exact_window) {
                return Ok((s, None));
            }
            bail!("can't find window: {w}");
        }
        let (f, free_index) = self.resolve_parts(io, &parts, true)?;
        match free_index {
            Some(i) => Ok((f.session, Some(i))),
            None if parts.window.is_some() => Ok((f.session, Some(f.index))),
            None => Ok((f.session, None)),
        }
    }

    /// Resolves split parts. With `allow_index`, a window part that is an
    /// unused index in a named session is returned as `Some(index)`.
    fn resolve_parts(
        &self,
        io: &Io,
        p: &Parts,
        allow_index: bool,
    ) -> CmdResult<(Found, Option<u32>)> {
        let current = self.current(io);
        if let Some(sname) = &p.session {
            let Some(s) = self.session_by(sname, p.exact_session) else {
                bail!("can't find session: {sname}");
            };
            let base = match self.found_session(s) {
                Some(f) => f,
                None => bail!("can't find session: {sname}"),
            };
            let mut f = base;
            if let Some(w) = &p.window {
                match self.window_in(base, w, p.exact_window) {
                    Some(found) => f = found,
                    None => {
                        if allow_index
                            && p.pane.is_none()
                            && let Ok(i) = w.parse::<u32>()
                        {
                            return Ok((base, Some(i)));
                        }
                        bail!("can't find window: {w}");
                    }
                }
            }
            if let Some(pane) = &p.pane {
                match self.pane_in(f, pane) {
                    Some(found) => f = found,
                    None => bail!("can't find pane: {pane}"),
                }
            }
            return Ok((f, None));
        }
        if let Some(w) = &p.window {
            let f = match self.window_anywhere(current, w, p.exact_window, p.window_only) {
                Some(f) => f,
                None => bail!("can't find window: {w}"),
            };
            if let Some(pane) = &p.pane {
                return match self.pane_in(f, pane) {
                    Some(found) => Ok((found, None)),
                    None => bail!("can't find pane: {pane}"),
                };
            }
            return Ok((f, None));
        }
        if let Some(pane) = &p.pane {
            if let Some(id) = PaneId::parse(pane) {
                return match self.found_pane(id) {
                    Some(f) => Ok((f, None)),
                    None => bail!("can't find pane: {pane}"),
                };
            }
            if let Some(found) = current.and_then(|c| self.pane_in(c, pane)) {
                return Ok((found, None));
            }
            if !p.pane_only
                && let Some(f) = self.window_anywhere(current, pane, false, false)
            {
                return Ok((f, None));
            }
            bail!("can't find pane: {pane}");
        }
        match current {
            Some(f) => Ok((f, None)),
            None => bail!("no current session"),
        }
    }

    /// A session by id, exact name, unique prefix or unique pattern.
    pub fn session_by(&self, name: &str, exact: bool) -> Option<SessionId> {
        if let Some(id) = SessionId::parse(name) {
            return self.sessions.contains_key(&id).then_some(id);
        }
        if let Some(s) = self.sessions.values().find(|s| s.name == name) {
            return Some(s.id);
        }
        if exact {
            return None;
        }
        // A prefix shared by several sessions is ambiguous, not a pattern.
        let prefixed: Vec<SessionId> = self
            .sessions
            .values()
            .filter(|s| s.name.starts_with(name))
            .map(|s| s.id)
            .collect();
        match prefixed.as_slice() {
            [one] => return Some(*one),
            [_, _, ..] => return None,
            [] => {}
        }
        let matched: Vec<SessionId> = self
            .sessions
            .values()
            .filter(|s| fnmatch(name, &s.name))
            .map(|s| s.id)
            .collect();
        match matched.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// A window of the current session, else a session's current window.
    fn window_anywhere(
        &self,
        current: Option<Found>,
        w: &str,
        exact: bool,
        only: bool,
    ) -> Option<Found> {
        if let Some(id) = WindowId::parse(w) {
            return self.found_window_id(id);
        }
        if let Some(found) = current.and_then(|c| self.window_in(c, w, exact)) {
            return Some(found);
        }
        if only {
            return None;
        }
        self.session_by(w, exact)
            .and_then(|s| self.found_session(s))
    }

    /// A window in the session of `base`.
    fn window_in(&self, base: Found, w: &str, exact: bool) -> Option<Found> {
        let s = base.session;
        let sess = self.sessions.get(&s)?;
        if let Some(id) = WindowId::parse(w) {
            let f = self.found_window_id(id)?;
            return (f.session == s).then_some(f);
        }
        if !exact {
            let offset = |rest: &str| -> Option<usize> {
                if rest.is_empty() {
                    Some(1)
                } else {
                    rest.parse().ok().filter(|n| *n >= 1)
                }
            };
            let indices: Vec<u32> = sess.windows.keys().copied().collect();
            let pos = indices.iter().position(|i| *i == sess.current).unwrap_or(0);
            let n = indices.len();
            if let Some(rest) = w.strip_prefix('+') {
                let k = offset(rest)?;
                return self.found_window(s, indices[(pos + k) % n]);
            }
            if let Some(rest) = w.strip_prefix('-') {
                let k = offset(rest)? % n;
                return self.found_window(s, indices[(pos + n - k) % n]);
            }
            match w {
                "!" => return sess.last.first().and_then(|i| self.found_window(s, *i)),
                "^" => return indices.first().and_then(|i| self.found_window(s, *i)),
                "$" => return indices.last().and_then(|i| self.found_window(s, *i)),
                _ => {}
            }
        }
        if let Ok(idx) = w.parse::<u32>()
            && let Some(f) = self.found_window(s, idx)
        {
            return Some(f);
        }
        let names: Vec<(u32, String)> = sess
            .windows
            .iter()
            .map(|(i, id)| (*i, self.window_name(*id)))
            .collect();
        // Exact name, then prefix, then pattern; two hits at a step is an
        // ambiguity, which finds nothing.
        let exact_match = |n: &str| n == w;
        let prefix = |n: &str| n.starts_with(w);
        let pattern = |n: &str| fnmatch(w, n);
        let steps: [&dyn Fn(&str) -> bool; 3] = [&exact_match, &prefix, &pattern];
        for step in steps.iter().take(if exact { 1 } else { 3 }) {
            let mut hits = names.iter().filter(|(_, n)| step(n));
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => return self.found_window(s, *i),
                (Some(_), Some(_)) => return None,
                _ => {}
            }
        }
        None
    }

    /// A pane in the window of `base`.
    fn pane_in(&self, base: Found, p: &str) -> Option<Found> {
        let win = self.windows.get(&base.window)?;
        let with = |pane: PaneId| Some(Found { pane, ..base });
        if let Some(id) = PaneId::parse(p) {
            return win.panes.contains(&id).then(|| with(id)).flatten();
        }
        let active = win.active;
        match p {
            "!" => return win.last_panes.first().and_then(|l| with(*l)),
            "{up-of}" => return self.neighbour_of(active, Direction::Up).and_then(with),
            "{down-of}" => return self.neighbour_of(active, Direction::Down).and_then(with),
            "{left-of}" => return self.neighbour_of(active, Direction::Left).and_then(with),
            "{right-of}" => return self.neighbour_of(active, Direction::Right).and_then(with),
            _ => {}
        }
        if p.starts_with('+') || p.starts_with('-') {
            let n: usize = if p.len() == 1 {
                1
            } else {
                p[1..].parse().ok()?
            };
            let len = win.panes.len();
            let pos = win.panes.iter().position(|x| *x == active)?;
            let idx = if p.starts_with('+') {
                (pos + n) % len
            } else {
                (pos + len - n % len) % len
            };
            return with(win.panes[idx]);
        }
        if let Ok(idx) = p.parse::<u32>() {
            let base_index = self.pane_base_index(base.window);
            if idx >= base_index
                && let Some(pane) = win.panes.get((idx - base_index) as usize)
            {
                return with(*pane);
            }
        }
        let (sx, sy) = (win.sx, win.sy);
        let (mut x, mut y) = (sx / 2, sy / 2);
        match p {
            "top" => y = 0,
            "bottom" => y = sy.saturating_sub(1),
            "left" => x = 0,
            "right" => x = sx.saturating_sub(1),
            "top-left" => (x, y) = (0, 0),
            "top-right" => (x, y) = (sx.saturating_sub(1), 0),
            "bottom-left" => (x, y) = (0, sy.saturating_sub(1)),
            "bottom-right" => (x, y) = (sx.saturating_sub(1), sy.saturating_sub(1)),
            _ => return None,
        }
        win.panes
            .iter()
            .find(|id| {
                self.panes.get(id).is_some_and(|pane| {
                    x >= pane.xoff
                        && x <= pane.xoff + pane.sx
                        && y >= pane.yoff
                        && y <= pane.yoff + pane.sy
                })
            })
            .and_then(|id| with(*id))
    }

    /// The pane next to `p` in a direction, wrapping at the window's edge;
    /// among several, the most recently active.
    pub fn neighbour_of(&self, p: PaneId, dir: Direction) -> Option<PaneId> {
        let pane = self.panes.get(&p)?;
        let win = self.windows.get(&pane.window)?;
        let overlaps = |a0: u32, a1: u32, b0: u32, b1: u32| {
            // Does [b0, b1] touch [a0, a1]?
            (b0 < a0 && b1 > a1) || (b0 >= a0 && b0 <= a1) || (b1 >= a0 && b1 <= a1)
        };
        let candidates = win.panes.iter().filter(|id| **id != p).filter_map(|id| {
            let n = self.panes.get(id)?;
            let hit = match dir {
                Direction::Left => {
                    let edge = if pane.xoff == 0 {
                        win.sx + 1
                    } else {
                        pane.xoff
                    };
                    n.xoff + n.sx + 1 == edge
                        && overlaps(pane.yoff, pane.yoff + pane.sy, n.yoff, n.yoff + n.sy - 1)
                }
                Direction::Right => {
                    let mut edge = pane.xoff + pane.sx + 1;
                    if edge >= win.sx {
                        edge = 0;
                    }
                    n.xoff == edge
                        && overlaps(pane.yoff, pane.yoff + pane.sy, n.yoff, n.yoff + n.sy - 1)
                }
                Direction::Up => {
                    let edge = if pane.yoff == 0 {
                        win.sy + 1
                    } else {
                        pane.yoff
                    };
                    n.yoff + n.sy + 1 == edge
                        && overlaps(pane.xoff, pane.xoff + pane.sx, n.xoff, n.xoff + n.sx - 1)
                }
                Direction::Down => {
                    let mut edge = pane.yoff + pane.sy + 1;
                    if edge >= win.sy {
                        edge = 0;
                    }
                    n.yoff == edge
                        && overlaps(pane.xoff, pane.xoff + pane.sx, n.xoff, n.xoff + n.sx - 1)
                }
            };
            hit.then_some(n)
        });
        candidates.max_by_key(|n| n.active_point).map(|n| n.id)
    }
}
