//! What happens to agents as their sessions and panes do things: output
//! makes an agent active and quiet makes it idle, its program's exit ends
//! it, its session's end loses it.

use super::now;
use crate::server::state::State;
use commands::agent::Status;
use commands::{PaneId, SessionId};

impl State {
    /// The session was renamed: so is the agent's record.
    pub fn agent_session_renamed(&mut self, s: SessionId, name: &str) {
        let Some(key) = self.agents.by_session.get(&s).cloned() else {
            return;
        };
        if let Some(a) = self.agents.records.get_mut(&key) {
            a.row.session_name = name.to_string();
        }
        self.save_agents(&[&key]);
    }

    /// The agent whose home is pane `p`.
    fn agent_at_home(&self, p: PaneId) -> Option<String> {
        self.agents
            .records
            .values()
            .find(|a| a.home == Some(p))
            .map(|a| a.row.key.clone())
    }

    /// The agent's home pane's program exited: its work is done, well or
    /// not, unless it said otherwise.
    pub fn agent_pane_exited(&mut self, p: PaneId, status: i32) {
        let Some(key) = self.agent_at_home(p) else {
            return;
        };
        // An agent whose program ends without saying how it went (agent-done,
        // or an ended status it set) ends with its exit status and the last
        // lines it printed: a program that could not start says why
        // (`sh: 1: claude: not found`). A sub-agent's parent hears of it.
        let said = self
            .agents
            .records
            .get(&key)
            .is_some_and(|a| a.row.ended != 0 || (a.row.status_explicit && a.status().ended()));
        if !said {
            let tail = self.recent_output(p, 10);
            let result = super::spawn::exit_result(status, &tail);
            self.agent_finished("", &key, Status::finished(status == 0), &result, "exit");
        }
        if let Some(a) = self.agents.records.get_mut(&key) {
            a.home = None;
            a.row.activity = now();
        }
        self.save_agents(&[&key]);
    }

    /// The session ended: an agent that had not finished is lost. Its
    /// record stays, in its group, until it leaves or is forgotten.
    pub fn agent_session_gone(&mut self, s: SessionId) {
        let Some(key) = self.agents.by_session.remove(&s) else {
            return;
        };
        let mut lost = false;
        if let Some(a) = self.agents.records.get_mut(&key) {
            a.session = None;
            a.home = None;
            if !a.status().ended() {
                a.set_status(Status::Lost);
                lost = true;
            }
        }
        self.save_agents(&[&key]);
        if lost {
            self.emit(
                "status",
                &key,
                "",
                "lost",
                serde_json::json!({"status": "lost"}),
            );
            self.coordinator_ended(&key);
        }
    }

    /// Output from a pane: its agent, if it is one's home, is active.
    pub fn agent_output(&mut self, p: PaneId) {
        let Some(key) = self.agent_at_home(p) else {
            return;
        };
        let Some(a) = self.agents.records.get_mut(&key) else {
            return;
        };
        a.row.activity = now();
        if !a.row.status_explicit && a.status() == Status::Idle {
            a.set_status(Status::Active);
            self.save_agents(&[&key]);
            self.emit(
                "status",
                &key,
                "",
                "active",
                serde_json::json!({"status": "active"}),
            );
            self.run_hooks("agent-status-changed", &key, "active");
            self.redraw_all();
        }
        self.schedule_agent_idle(&key);
        if self.agents.delivering.contains_key(&key) {
            self.pump_delivery(&key);
        }
    }

    /// Checks, agent-idle-time after the last output, whether the pane is
    /// still quiet.
    pub fn schedule_agent_idle(&mut self, key: &str) {
        let idle_s = self.server_num("agent-idle-time").max(1);
        let Some(a) = self.agents.records.get_mut(key) else {
            return;
        };
        if a.idle_timer || a.row.status_explicit || a.home.is_none() {
            return;
        }
        a.idle_timer = true;
        let last = a.home.and_then(|p| self.panes.get(&p)).map_or(0, |p| {
            p.io.shared
                .activity
                .load(std::sync::atomic::Ordering::Relaxed)
        });
        let due = (last + idle_s * 1_000_000).saturating_sub(crate::server::pane::now_micros());
        let events = self.events.clone();
        let key = key.to_string();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_micros(due.max(1000))).await;
            let _ = events.send(crate::server::Event::AgentIdle(key));
        });
    }

    pub fn agent_idle_check(&mut self, key: &str) {
        let idle_us = self.server_num("agent-idle-time").max(1) * 1_000_000;
        let Some(a) = self.agents.records.get_mut(key) else {
            return;
        };
        a.idle_timer = false;
        if a.row.status_explicit || a.status() != Status::Active {
            return;
        }
        let last = a.home.and_then(|p| self.panes.get(&p)).map(|p| {
            p.io.shared
                .activity
                .load(std::sync::atomic::Ordering::Relaxed)
        });
        let Some(last) = last else {
            return;
        };
        if crate::server::pane::now_micros().saturating_sub(last) + 1000 >= idle_us {
            a.set_status(Status::Idle);
            // Quiet for a while with nothing typed: how its input line
            // looks empty, for typing messages into it later.
            if let Some(home) = a.home {
                self.learn_input_line(home);
            }
            self.save_agents(&[key]);
            self.emit(
                "status",
                key,
                "",
                "idle",
                serde_json::json!({"status": "idle"}),
            );
            self.run_hooks("agent-status-changed", key, "idle");
            self.redraw_all();
        } else {
            self.schedule_agent_idle(key);
        }
    }
}
