//! Windows linked into several sessions (tmux's winlinks) and session
//! groups. The sessions' index maps are the only record of where a window
//! is linked: a window belongs to every session that lists it, and goes
//! when the last one lets go of it. Sessions of a group list the same
//! windows at the same indices, each with its own current window.

use super::state::State;
use commands::options::Value;
use commands::{CmdResult, Found, SessionId, WindowId, bail};

impl State {
    /// Every place window `w` is linked: (session, index), by session.
    pub fn window_links(&self, w: WindowId) -> Vec<(SessionId, u32)> {
        self.sessions
            .values()
            .flat_map(|s| {
                s.windows
                    .iter()
                    .filter(move |(_, id)| **id == w)
                    .map(move |(i, _)| (s.id, *i))
            })
            .collect()
    }

    /// The sessions linking window `w`, once per link, in the order they
    /// linked it.
    pub fn window_link_sessions(&self, w: WindowId) -> Vec<SessionId> {
        let mut left: Vec<SessionId> = self.window_links(w).into_iter().map(|(s, _)| s).collect();
        let mut out = Vec::new();
        for s in self.windows.get(&w).map_or(&[][..], |x| &x.link_order) {
            if let Some(pos) = left.iter().position(|x| x == s) {
                out.push(left.remove(pos));
            }
        }
        out.extend(left);
        out
    }

    /// Notes that session `s` linked window `w` once more.
    pub fn note_link(&mut self, w: WindowId, s: SessionId) {
        if let Some(win) = self.windows.get_mut(&w) {
            win.link_order.push(s);
        }
    }

    /// Notes that session `s` let go of one link to window `w`.
    pub fn note_unlink(&mut self, w: WindowId, s: SessionId) {
        if let Some(win) = self.windows.get_mut(&w)
            && let Some(pos) = win.link_order.iter().position(|x| *x == s)
        {
            win.link_order.remove(pos);
        }
    }

    /// The session a window is found in when only the window is known:
    /// the most recently active of those linking it, as tmux's cmd-find.
    pub fn window_session(&self, w: WindowId) -> Option<SessionId> {
        self.sessions
            .values()
            .filter(|s| s.windows.values().any(|id| *id == w))
            .fold(None, |best: Option<&super::state::Session>, s| match best {
                Some(b) if b.activity >= s.activity => Some(b),
                _ => Some(s),
            })
            .map(|s| s.id)
    }

    /// The index window `w` is found at in session `s`: the current one
    /// if it is `w`, else the first.
    pub fn window_index_in(&self, s: SessionId, w: WindowId) -> Option<u32> {
        let sess = self.sessions.get(&s)?;
        if sess.windows.get(&sess.current) == Some(&w) {
            return Some(sess.current);
        }
        sess.windows
            .iter()
            .find(|(_, id)| **id == w)
            .map(|(i, _)| *i)
    }

    /// Whether `w` is linked outside session `s` (and its group), as
    /// `#{window_linked}` and unlink-window see it.
    pub fn linked_elsewhere(&self, s: SessionId, w: WindowId) -> bool {
        let links = self.window_links(w).len();
        let members = self.group_members(s).len();
        links != members
    }

    /// The group session `s` is in, if any.
    pub fn group_of(&self, s: SessionId) -> Option<&str> {
        self.groups
            .iter()
            .find(|(_, members)| members.contains(&s))
            .map(|(name, _)| name.as_str())
    }

    /// The sessions of the group of `s` (just `s` if it has none), `s`
    /// first.
    pub fn group_members(&self, s: SessionId) -> Vec<SessionId> {
        let mut v = vec![s];
        if let Some(g) = self.group_of(s).and_then(|g| self.groups.get(g)) {
            v.extend(g.iter().filter(|m| **m != s));
        }
        v
    }

    /// Joins session `s` to group `name`, which is made if need be.
    pub fn join_group(&mut self, name: &str, s: SessionId) {
        let members = self.groups.entry(name.to_string()).or_default();
        if !members.contains(&s) {
            members.push(s);
        }
    }

    /// Takes a session that is going out of its group; an empty group
    /// goes too.
    pub fn leave_group(&mut self, s: SessionId) {
        for members in self.groups.values_mut() {
            members.retain(|m| *m != s);
        }
        self.groups.retain(|_, m| !m.is_empty());
    }

    /// Gives the other sessions of `s`'s group the windows of `s`
    /// (tmux's session_group_synchronize_from).
    pub fn sync_group_from(&mut self, s: SessionId) {
        for m in self.group_members(s).into_iter().skip(1) {
            self.sync_session(s, m);
        }
    }

    /// Gives session `s` the windows of its group, from the first other
    /// session of it (tmux's session_group_synchronize_to).
    pub fn sync_group_to(&mut self, s: SessionId) {
        let Some(g) = self.group_of(s).and_then(|g| self.groups.get(g)) else {
            return;
        };
        if let Some(t) = g.iter().find(|m| **m != s).copied() {
            self.sync_session(t, s);
        }
    }

    /// Session `m` takes the windows of `target` at the same indices: it
    /// keeps its current window if its index is still there and its
    /// last-window stack where the indices are; a window it no longer
    /// has is reported unlinked, and goes if linked nowhere else.
    fn sync_session(&mut self, target: SessionId, m: SessionId) {
        let Some((windows, current)) = self
            .sessions
            .get(&target)
            .map(|x| (x.windows.clone(), x.current))
        else {
            return;
        };
        // An empty session is about to go.
        if windows.is_empty() {
            return;
        }
        let Some(sess) = self.sessions.get_mut(&m) else {
            return;
        };
        let old = std::mem::replace(&mut sess.windows, windows.clone());
        sess.last.retain(|i| windows.contains_key(i));
        let moved = !windows.contains_key(&sess.current);
        if moved {
            let pick = pick_current(&sess.last, &windows, sess.current).unwrap_or(current);
            sess.last.retain(|i| *i != pick);
            sess.current = pick;
        }
        for w in old.values() {
            self.note_unlink(*w, m);
        }
        // As tmux's session_group_synchronize1: every window is linked
        // anew, then those gone are unlinked.
        for (i, w) in &windows {
            self.note_link(*w, m);
            let at = self.hook_at(self.found_window(m, *i));
            self.notify("window-linked", at);
        }
        let mut gone: Vec<WindowId> = Vec::new();
        for w in old.values() {
            if !windows.values().any(|n| n == w) && !gone.contains(w) {
                gone.push(*w);
            }
        }
        if moved {
            let at = self.hook_at_session(m);
            self.notify("session-window-changed", at);
        }
        for w in gone {
            let at = self.unlinked_at(m, w);
            self.notify("window-unlinked", at);
            self.discard_if_unlinked(w);
        }
    }

    /// Where window-unlinked happens: the session, and the window.
    pub fn unlinked_at(&self, s: SessionId, w: WindowId) -> super::hooks::HookAt {
        let mut at = self.hook_at_session(s);
        at.session = Some(s);
        // Kept: the session may end with this.
        at.session_name = self.sessions.get(&s).map(|x| x.name.clone());
        at.window = Some(w);
        at
    }

    /// link-window (and the first half of move-window): links the window
    /// of `src` into session `dst`, at `index` or the first free one.
    pub fn link_window_to(
        &mut self,
        src: &Found,
        dst: SessionId,
        index: Option<u32>,
        kill: bool,
        mut select: bool,
    ) -> CmdResult<Found> {
        let w = src.window;
        if src.session != dst
            && self.group_of(src.session).is_some()
            && self.group_of(src.session) == self.group_of(dst)
        {
            bail!("sessions are grouped");
        }
        let there = index.and_then(|i| {
            let sess = self.sessions.get(&dst)?;
            sess.windows.get(&i).map(|w| (i, *w, sess.current == i))
        });
        if let Some((i, old, current)) = there {
            if old == w {
                bail!("same index: {i}");
            }
            if kill {
                // Not through the usual unlinking: that would end the
                // session if this was its only window.
                let at = self.unlinked_at(dst, old);
                self.notify("window-unlinked", at);
                if let Some(sess) = self.sessions.get_mut(&dst) {
                    sess.last.retain(|x| *x != i);
                    sess.windows.remove(&i);
                }
                self.note_unlink(old, dst);
                // The linked window takes the place of a current one.
                select |= current;
                self.discard_if_unlinked(old);
            }
        }
        let idx = index.unwrap_or_else(|| self.free_index(dst));
        let Some(sess) = self.sessions.get_mut(&dst) else {
            bail!("can't find session: {dst}");
        };
        if sess.windows.contains_key(&idx) {
            bail!("index in use: {idx}");
        }
        sess.windows.insert(idx, w);
        self.note_link(w, dst);
        let at = self.hook_at(self.found_window(dst, idx));
        self.notify("window-linked", at);
        self.sync_group_from(dst);
        if select {
            let _ = commands::Host::select_window(self, dst, idx);
        }
        match self.found_window(dst, idx) {
            Some(f) => Ok(f),
            None => bail!("can't find window: {w}"),
        }
    }

    /// unlink-window (and the second half of move-window): the session
    /// lets go of the window at `index`; the window goes if that was its
    /// last link. False if that ended the session.
    pub fn unlink_window_at(&mut self, s: SessionId, index: u32) -> bool {
        let Some(w) = self
            .sessions
            .get(&s)
            .and_then(|x| x.windows.get(&index))
            .copied()
        else {
            return true;
        };
        let alive = self.unlink_window_index(s, index);
        self.discard_if_unlinked(w);
        alive
    }

    /// Removes a window that no session lists any more, and its panes.
    pub fn discard_if_unlinked(&mut self, w: WindowId) {
        if !self.window_links(w).is_empty() {
            return;
        }
        let Some(win) = self.windows.remove(&w) else {
            return;
        };
        for p in &win.panes {
            if let Some(pane) = self.panes.remove(p) {
                pane.io.kill();
            }
        }
        self.window_closed_event(w, None, &win.panes);
    }

    /// renumber-windows after a window left session `s`, for it and its
    /// group.
    pub fn renumber_if_wanted(&mut self, s: SessionId) {
        if !self.sessions.contains_key(&s)
            || !self
                .session_opt(Some(s), "renumber-windows")
                .is_some_and(Value::as_flag)
        {
            return;
        }
        for m in self.group_members(s) {
            self.renumber(m);
        }
    }
}

/// The window a session shows when its current one went, as tmux's
/// session_detach: the last one, else the one before, wrapping round to
/// the highest.
pub fn pick_current(
    last: &[u32],
    windows: &std::collections::BTreeMap<u32, WindowId>,
    gone: u32,
) -> Option<u32> {
    let prev = windows.range(..gone).next_back().map(|(i, _)| *i);
    let max = windows.keys().next_back().copied();
    last.first().copied().or(prev).or(max)
}
