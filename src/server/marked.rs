//! The marked pane (select-pane -m), as tmux keeps it: one for the whole
//! server, named by `~` or `{marked}` in a target, the default source of
//! join-pane, move-pane, swap-pane and swap-window, and shown as `M` in
//! its window's flags. It stops being marked when its session, window
//! link or pane goes.

use super::state::State;
use commands::Found;

impl State {
    /// The marked pane, if what was marked is all still there.
    pub fn marked_found(&self) -> Option<Found> {
        let m = self.marked?;
        let s = self.sessions.get(&m.session)?;
        if s.windows.get(&m.index) != Some(&m.window) {
            return None;
        }
        let w = self.windows.get(&m.window)?;
        w.panes.contains(&m.pane).then_some(m)
    }

    /// Marks `f`, or clears the mark (None).
    pub fn set_marked(&mut self, f: Option<Found>) {
        self.marked = f;
        self.redraw_all();
    }
}
