//! What agents did: events in their history, hooks run on them, and the
//! pruning of ended records after agent-history-time.

use crate::server::state::State;
use crate::store::Op;
use commands::agent::{EventView, HistoryView};
use commands::host::Io;
use commands::{CmdResult, bail};

/// Text an agent controls (a message, a result, its session's name) made
/// inert before it goes into the operator's hook commands: it may neither
/// end the tmux command it is in (`"`, `;`) nor reach the shell that
/// run-shell starts (`$(...)`, backquotes, redirections). Anything but
/// letters, digits, spaces and `.,:/@%+=_-` becomes `_`.
fn inert(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || " .,:/@%+=_-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl State {
    pub fn agent_history(
        &self,
        io: &Io,
        key: &str,
        last: Option<usize>,
        output: bool,
    ) -> CmdResult<HistoryView> {
        let Some(agent) = self.agent_view(key) else {
            bail!("can't find agent: {key}");
        };
        self.authorize(self.who(io), super::Act::ReadHistory, key)?;
        let tail = |n: usize| last.map_or(0, |l| n.saturating_sub(l));
        let messages: Vec<_> = self
            .agents
            .messages
            .iter()
            .filter(|m| m.sender == key || m.recipient == key)
            .map(super::messages::view)
            .collect();
        let events: Vec<_> = self
            .agents
            .events
            .iter()
            .filter(|e| e.agent == key || e.actor == key)
            .map(|e| EventView {
                time: e.time / 1_000_000,
                agent: e.agent.clone(),
                actor: e.actor.clone(),
                kind: e.kind.clone(),
                detail: e.detail.clone(),
            })
            .collect();
        let output =
            if output {
                // The transcript outlives the pane; without one, what the pane
                // shows.
                let home = self.agents.records.get(key).and_then(|a| a.home);
                let lines = last.unwrap_or(50);
                let text = self.transcript_text(key, lines);
                Some(text.unwrap_or_else(|| {
                    home.map_or(String::new(), |p| self.recent_output(p, lines))
                }))
            } else {
                None
            };
        Ok(HistoryView {
            agent,
            messages: messages[tail(messages.len())..].to_vec(),
            events: events[tail(events.len())..].to_vec(),
            output,
        })
    }

    /// The last `n` lines a pane printed, history included, without the
    /// blank rows below them.
    pub fn recent_output(&self, p: commands::PaneId, n: usize) -> String {
        let Some(pane) = self.panes.get(&p) else {
            return String::new();
        };
        let mut emu = pane.io.shared.emu();
        last_lines(&mut **emu, n)
    }

    /// Runs the commands set for a hook once the change it is about is
    /// stored.
    pub fn run_hooks(&mut self, hook: &str, key: &str, detail: &str) {
        let (hook, key, detail) = (hook.to_string(), key.to_string(), detail.to_string());
        self.after_commit(move |s| s.run_hooks_now(&hook, &key, &detail));
    }

    /// Runs the commands set for a hook, with `#{hook}`, `#{hook_agent}`
    /// and `#{hook_detail}` filled in (made inert: an agent's text must
    /// not become commands), acting on the agent's pane.
    fn run_hooks_now(&mut self, hook: &str, key: &str, detail: &str) {
        let home = self.agents.records.get(key).and_then(|a| a.home);
        let at = match home {
            Some(p) => self.hook_at_pane(p),
            None => Default::default(),
        };
        let commands = self
            .hook_commands(hook, &at)
            .into_iter()
            .map(|text| {
                text.replace("#{hook}", hook)
                    .replace("#{hook_agent}", &inert(key))
                    .replace("#{hook_detail}", &inert(detail))
            })
            .collect();
        self.run_hook_commands(hook, &at, commands, Vec::new());
    }

    /// Forgets ended records (completed and failed; lost ones stay until
    /// forgotten) older than agent-history-time seconds; 0 keeps them.
    pub fn prune_agents(&mut self) {
        let keep = self.server_num("agent-history-time");
        if keep == 0 {
            return;
        }
        let cutoff = crate::server::pane::now_micros().saturating_sub(keep * 1_000_000);
        let old: Vec<String> = self
            .agents
            .records
            .values()
            .filter(|a| a.session.is_none() && a.row.ended != 0 && a.row.ended < cutoff)
            .filter(|a| matches!(a.row.status.as_str(), "completed" | "failed"))
            .filter(|a| a.row.group.is_none())
            .map(|a| a.row.key.clone())
            .collect();
        for key in old {
            self.agents.records.remove(&key);
            self.agents
                .messages
                .retain(|m| m.sender != key && m.recipient != key);
            self.agents.events.retain(|e| e.agent != key);
            self.persist(vec![Op::ForgetAgent(key.clone()), Op::DropHistory(key)]);
        }
    }
}

/// An emulator's last `n` lines of text, history included, without the
/// blank rows below them.
pub fn last_lines(emu: &mut dyn crate::server::emulator::Emulator, n: usize) -> String {
    let rows = emu.size().1 as i64;
    let start = -(emu.history_size() as i64);
    let lines: Vec<String> = (start..rows)
        .filter_map(|y| emu.line(y))
        .map(|l| l.plain(false).trim_end().to_string())
        .collect();
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    lines[end.saturating_sub(n)..end].join("\n")
}
