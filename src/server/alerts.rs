//! Alerts, as tmux's alerts.c has them: a bell in a window, output in a
//! window with monitor-activity on, or monitor-silence seconds without
//! any, flag the window in each session that has it (window_flags `!`,
//! `#`, `~`) unless it is that session's current window and the session
//! is attached; {bell,activity,silence}-action says for which windows the
//! alert goes on to the hooks (alert-bell...) and the attached clients (a
//! bell, or with visual-* a message, or both). The flags go when the
//! window becomes current.

use super::Event;
use super::state::State;
use commands::{SessionId, WindowId};

pub const ACTIVITY: u8 = 1;
pub const BELL: u8 = 2;
pub const SILENCE: u8 = 4;

/// What each kind of alert is called, and its options.
struct Kind {
    flag: u8,
    monitor: &'static str,
    action: &'static str,
    visual: &'static str,
    hook: &'static str,
    word: &'static str,
}

const KINDS: [Kind; 3] = [
    Kind {
        flag: BELL,
        monitor: "monitor-bell",
        action: "bell-action",
        visual: "visual-bell",
        hook: "alert-bell",
        word: "Bell",
    },
    Kind {
        flag: ACTIVITY,
        monitor: "monitor-activity",
        action: "activity-action",
        visual: "visual-activity",
        hook: "alert-activity",
        word: "Activity",
    },
    Kind {
        flag: SILENCE,
        monitor: "monitor-silence",
        action: "silence-action",
        visual: "visual-silence",
        hook: "alert-silence",
        word: "Silence",
    },
];

impl State {
    /// A pane of window `w` printed (and rang its bell, if `bell`).
    pub fn window_output(&mut self, w: WindowId, bell: bool) {
        if bell {
            self.alert(w, BELL);
        }
        self.alert(w, ACTIVITY);
        self.reset_silence(w);
    }

    fn monitored(&self, w: WindowId, kind: &Kind) -> bool {
        self.window_opt(w, kind.monitor)
            .is_some_and(|v| v.as_num() != 0)
    }

    fn attached(&self, s: SessionId) -> bool {
        self.clients.values().any(|c| c.session == s)
    }

    /// An alert of kind `flag` in window `w`.
    pub fn alert(&mut self, w: WindowId, flag: u8) {
        let Some(kind) = KINDS.iter().find(|k| k.flag == flag) else {
            return;
        };
        if !self.monitored(w, kind) {
            return;
        }
        let mut alerted: Vec<SessionId> = Vec::new();
        for (s, index) in self.window_links(w) {
            let flags = self.alerts.get(&(s, w)).copied().unwrap_or(0);
            // A bell rings again; activity is told once until seen.
            if flag != BELL && flags & flag != 0 {
                continue;
            }
            let current = self.sessions.get(&s).is_some_and(|x| x.current == index);
            if !current || !self.attached(s) {
                self.alerts.insert((s, w), flags | flag);
                self.redraw_all();
            }
            if !self.action_applies(s, current, kind.action) {
                continue;
            }
            let at = self.hook_at(self.found_window(s, index));
            self.notify(kind.hook, at);
            if alerted.contains(&s) {
                continue;
            }
            alerted.push(s);
            self.alert_clients(s, index, current, kind);
        }
    }

    /// {bell,activity,silence}-action: any, none, current or other.
    fn action_applies(&self, s: SessionId, current: bool, option: &str) -> bool {
        match self.session_opt(Some(s), option).map(|v| v.as_str()) {
            Some("any") => true,
            Some("current") => current,
            Some("other") => !current,
            _ => false,
        }
    }

    /// A bell for the session's clients, or a message, or both, as
    /// visual-* says.
    fn alert_clients(&mut self, s: SessionId, index: u32, current: bool, kind: &Kind) {
        let visual = self
            .session_opt(Some(s), kind.visual)
            .map(|v| v.as_str().to_string())
            .unwrap_or_default();
        let clients: Vec<u64> = self
            .clients
            .values()
            .filter(|c| c.session == s && c.control.is_none())
            .map(|c| c.conn)
            .collect();
        for conn in clients {
            if (visual == "off" || visual == "both")
                && let Some(c) = self.clients.get(&conn)
            {
                c.bell();
            }
            if visual == "off" {
                continue;
            }
            let text = if current {
                format!("{} in current window", kind.word)
            } else {
                format!("{} in window {index}", kind.word)
            };
            self.message(conn, &text);
        }
    }

    /// Window `w` is now its session's current one: its alerts have been
    /// seen, in every session that has it.
    pub fn alerts_seen(&mut self, w: WindowId) {
        let before = self.alerts.len();
        self.alerts.retain(|(_, win), _| *win != w);
        if self.alerts.len() != before {
            self.redraw_all();
        }
    }

    /// Output restarts window `w`'s silence: an alert comes if none
    /// follows for monitor-silence seconds.
    pub fn reset_silence(&mut self, w: WindowId) {
        let secs = self
            .window_opt(w, "monitor-silence")
            .map_or(0, |v| v.as_num());
        if secs <= 0 {
            // A timer still running (the option was just turned off)
            // stops counting; nothing is kept for windows never timed.
            if let Some(g) = self.silence.get_mut(&w) {
                *g += 1;
            }
            return;
        }
        let generation = self.silence.entry(w).or_insert(0);
        *generation += 1;
        let (generation, events) = (*generation, self.events.clone());
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_secs(secs as u64)).await;
            let _ = events.send(Event::Silence(w, generation));
        });
    }

    /// A silence timer ran out; the alert stands if no output came since.
    pub fn silence_timer(&mut self, w: WindowId, generation: u64) {
        if self.silence.get(&w) == Some(&generation) && self.windows.contains_key(&w) {
            self.alert(w, SILENCE);
            self.reset_silence(w);
        }
    }

    /// Session `s` has a new current window: seen, in every session.
    pub fn current_window_seen(&mut self, s: SessionId) {
        let current = self
            .sessions
            .get(&s)
            .and_then(|x| x.windows.get(&x.current).copied());
        if let Some(w) = current {
            self.alerts_seen(w);
            // As tmux's session_set_current: the window counts as active,
            // which flags it again in a session nobody is attached to.
            self.alert(w, ACTIVITY);
        }
    }

    /// A client attached to session `s` (or switched to it): its current
    /// window's alerts there have been seen.
    pub fn alerts_seen_in(&mut self, s: SessionId) {
        let current = self
            .sessions
            .get(&s)
            .and_then(|x| x.windows.get(&x.current).copied());
        if let Some(w) = current {
            self.alerts.remove(&(s, w));
        }
    }

    /// `#{window_flags}`'s alert part and `#{session_alerts}`'s, for a
    /// window of a session.
    pub fn alert_flags(&self, s: SessionId, w: WindowId) -> u8 {
        self.alerts.get(&(s, w)).copied().unwrap_or(0)
    }
}
