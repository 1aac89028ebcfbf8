//! Claude Code's agent teams as agents. In `teammateMode` tmux, Claude
//! Code makes a pane for each teammate (`split-window … -- cat`), then
//! `respawn-pane -k`s it with `claude --agent-id NAME@TEAM --agent-name
//! NAME --team-name TEAM …`, and `kill-pane`s it when the teammate is
//! done. A teammate lives in a pane, not a session: it is a pane-bound
//! agent (`Agents::by_pane`), so that a process in that pane is the
//! teammate, never the lead whose session the pane is in.
//!
//! Its parent is whoever started its program, if that was an agent (the
//! lead); its group is the team, which a lead with no group coordinates.
//! What marks it is the command line the caller asked for, and it only
//! ever places the new agent under the caller: it narrows the pane's
//! identity, never widens the caller's.

use super::{Agent, now};
use crate::server::pane::now_micros;
use crate::server::state::State;
use crate::store::AgentRow;
use commands::PaneId;
use commands::agent::Status;
use commands::host::{Identity, Io};

/// How a teammate's record is told from a session's agent.
pub const MODE: &str = "teammate";

/// What a teammate's command line says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Teammate {
    /// `--agent-id`: NAME@TEAM.
    pub id: String,
    pub name: String,
    pub team: String,
    /// `--parent-session-id`: the lead's Claude Code session.
    pub parent_session: Option<String>,
}

/// The teammate a pane's command runs, if it runs one. One argument is a
/// shell command (as tmux passes it to `sh -c`), split as sh would; the
/// program is the first simple command carrying `--agent-id`, after any
/// `cd X &&` and `env A=B` before it.
pub fn teammate(command: &[String]) -> Option<Teammate> {
    let words = match command {
        [one] => shell_words::split(one).ok()?,
        many => many.to_vec(),
    };
    words
        .split(|w| matches!(w.as_str(), "&&" | "||" | ";" | "|" | "&"))
        .find_map(|simple| program_teammate(without_env(simple)))
}

/// A simple command without the `env` and `A=B` words in front of its
/// program.
fn without_env(words: &[String]) -> &[String] {
    let mut rest = words;
    let mut env = false;
    loop {
        match rest.first().map(String::as_str) {
            Some("exec") => rest = &rest[1..],
            Some("env") => {
                env = true;
                rest = &rest[1..];
            }
            // env's own options, and its -u NAME.
            Some("-u" | "--unset") if env => rest = rest.get(2..).unwrap_or(&[]),
            Some(w) if env && w.starts_with('-') => rest = &rest[1..],
            Some(w) if is_assignment(w) => rest = &rest[1..],
            _ => return rest,
        }
    }
}

fn is_assignment(w: &str) -> bool {
    w.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The teammate a program's arguments name (`--flag value` or
/// `--flag=value`).
fn program_teammate(words: &[String]) -> Option<Teammate> {
    let args = words.get(1..)?;
    let flag = |name: &str| {
        let eq = format!("{name}=");
        args.iter().enumerate().find_map(|(i, a)| {
            if a == name {
                args.get(i + 1).cloned()
            } else {
                a.strip_prefix(&eq).map(str::to_string)
            }
        })
    };
    let id = flag("--agent-id")?;
    let (id_name, id_team) = id.split_once('@')?;
    let name = flag("--agent-name").unwrap_or_else(|| id_name.to_string());
    let team = flag("--team-name").unwrap_or_else(|| id_team.to_string());
    if name.is_empty() || team.is_empty() {
        return None;
    }
    Some(Teammate {
        id,
        name,
        team,
        parent_session: flag("--parent-session-id"),
    })
}

impl State {
    /// The program in pane `p` was just started by the caller (a new
    /// pane, window or a respawn): a teammate there becomes an agent; an
    /// agent that was there and is not the one starting now has ended.
    pub fn pane_program_started(&mut self, io: &Io, p: PaneId) {
        let command = self.panes.get(&p).map(|x| x.command.clone());
        let mate = command.as_deref().and_then(teammate);
        if let Some(old) = self.agents.by_pane.get(&p).cloned() {
            let same = |m: &Teammate| {
                self.agents
                    .records
                    .get(&old)
                    .is_some_and(|a| a.row.objective == m.id)
            };
            if mate.as_ref().is_some_and(same) {
                self.teammate_restarted(&old, p);
                return;
            }
            self.teammate_gone(p, "replaced");
        }
        if let Some(m) = mate
            && self.agents.ready().is_ok()
        {
            self.register_teammate(io, p, &m);
        }
    }

    /// A pane went away: its teammate, if it had one, is done.
    pub fn teammate_pane_closed(&mut self, p: PaneId) {
        self.teammate_gone(p, "killed");
    }

    /// Ends pane `p`'s teammate, if any, as completed (Claude Code kills a
    /// teammate's pane once it has finished), and unbinds it.
    fn teammate_gone(&mut self, p: PaneId, reason: &str) {
        let Some(key) = self.agents.by_pane.remove(&p) else {
            return;
        };
        let ended = self
            .agents
            .records
            .get(&key)
            .is_none_or(|a| a.row.ended != 0);
        if !ended {
            let result = format!("pane {p} {reason}");
            self.agent_finished("", &key, Status::Completed, &result, reason);
        }
        if let Some(a) = self.agents.records.get_mut(&key) {
            a.session = None;
            a.home = None;
        }
        self.save_agents(&[&key]);
        self.redraw_all();
    }

    /// The same teammate respawned in its pane: it runs again.
    fn teammate_restarted(&mut self, key: &str, p: PaneId) {
        let session = self.found_pane(p).map(|f| f.session);
        let Some(a) = self.agents.records.get_mut(key) else {
            return;
        };
        a.session = session;
        a.home = Some(p);
        a.row.status = Status::Active.as_str().into();
        a.row.status_explicit = false;
        a.row.ended = 0;
        a.row.result = None;
        a.row.reason.clear();
        a.row.activity = now();
        self.save_agents(&[key]);
        let data = serde_json::json!({"pane": p.to_string(), "resumed": true});
        self.emit("registered", key, "", "resumed", data);
        self.schedule_agent_idle(key);
    }

    /// The session-name-like name a teammate's key is made of: TEAM-NAME,
    /// as agmux's names go (no `:` or `.`).
    fn teammate_name(&self, m: &Teammate) -> String {
        let raw = format!("{}-{}", m.team, m.name);
        commands::util::session_name(&raw).unwrap_or_else(|_| {
            // Too long: keep what fits, on a character boundary.
            let mut s: String = raw.chars().take(200).collect();
            s = s.replace([':', '.'], "_");
            s
        })
    }

    /// A key for the teammate no live agent has: TEAM-NAME, else
    /// TEAM-NAME-2 and so on. An ended agent of that name is taken over.
    fn teammate_key(&self, m: &Teammate) -> String {
        let base = self.teammate_name(m);
        let live = |k: &str| {
            self.agents
                .records
                .get(k)
                .is_some_and(|a| a.session.is_some())
        };
        let mut name = base.clone();
        let mut n = 2;
        while live(&format!("agent:{name}")) {
            name = format!("{base}-{n}");
            n += 1;
        }
        format!("agent:{name}")
    }

    fn register_teammate(&mut self, io: &Io, p: PaneId, m: &Teammate) {
        let Some(session) = self.found_pane(p).map(|f| f.session) else {
            return;
        };
        // Only an agent caller becomes the parent; one the server cannot
        // place gets no agent made on its word.
        let who = self.who(io).clone();
        let parent = match &who {
            Identity::Agent(k) => Some(k.clone()),
            Identity::Operator | Identity::Pane(_) => None,
            Identity::Unknown(_) => return,
        };
        let key = self.teammate_key(m);
        if let Some(g) = self
            .agents
            .records
            .get(&key)
            .and_then(|a| a.row.group.clone())
        {
            self.leave(&key, &g);
        }
        let depth = parent
            .as_deref()
            .and_then(|k| self.agents.records.get(k))
            .map_or(0, |a| a.row.depth + 1);
        let t = now_micros();
        let row = AgentRow {
            key: key.clone(),
            session_name: key_name(&key).to_string(),
            kind: "claude".into(),
            objective: m.id.clone(),
            role: "teammate".into(),
            status: Status::Active.as_str().into(),
            created: t,
            activity: t / 1_000_000,
            parent: parent.clone(),
            mode: MODE.into(),
            depth,
            turns: 1,
            ..AgentRow::default()
        };
        self.agents.records.insert(
            key.clone(),
            Agent {
                row,
                session: Some(session),
                home: Some(p),
                idle_timer: false,
                reported: None,
            },
        );
        self.agents.by_pane.insert(p, key.clone());
        self.start_transcript(&key, p);
        self.save_agents(&[&key]);
        let data = serde_json::json!({
            "type": "claude",
            "objective": m.id,
            "pane": p.to_string(),
            "session": session.to_string(),
            "parent": parent,
            "team": m.team,
            "parent_session": m.parent_session,
        });
        self.emit("registered", &key, &who.name(), "teammate", data);
        self.join_team(io, parent.as_deref(), &key, &m.team);
        self.schedule_agent_idle(&key);
        self.redraw_all();
    }

    /// Puts the teammate in its team; a lead in no group that starts a new
    /// team coordinates it. A refusal (a full group, a lead in another)
    /// leaves the agent as it is: the tmux command has done what tmux
    /// does either way.
    fn join_team(&mut self, io: &Io, lead: Option<&str>, key: &str, team: &str) {
        if let Some(lead) = lead {
            let fresh = self.agents.members(team).next().is_none();
            let free = self
                .agents
                .records
                .get(lead)
                .is_some_and(|a| a.row.group.is_none());
            if fresh && free {
                let _ = self.agent_join(io, lead, team, true, false);
            }
        }
        let _ = self.agent_join(io, key, team, false, false);
    }
}

/// The name part of an agent key.
fn key_name(key: &str) -> &str {
    key.strip_prefix("agent:").unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> Option<Teammate> {
        teammate(&[s.to_string()])
    }

    #[test]
    fn claude_codes_respawn_command_names_the_teammate() {
        let m = one(
            "cd '/w d' && env CLAUDECODE=1 A='x y' /opt/claude --agent-id worker1@my-team \
             --agent-name worker1 --team-name my-team --agent-color blue \
             --parent-session-id 0b1c --model x",
        )
        .expect("a teammate");
        assert_eq!(m.id, "worker1@my-team");
        assert_eq!(m.name, "worker1");
        assert_eq!(m.team, "my-team");
        assert_eq!(m.parent_session.as_deref(), Some("0b1c"));
    }

    #[test]
    fn argv_and_equals_forms_count_too() {
        let argv: Vec<String> = ["claude", "--agent-id=a@t"].map(String::from).to_vec();
        let m = teammate(&argv).expect("a teammate");
        assert_eq!((m.name.as_str(), m.team.as_str()), ("a", "t"));
    }

    #[test]
    fn other_commands_are_no_teammates() {
        assert_eq!(one("cat"), None);
        assert_eq!(one("claude --agent-name x"), None);
        assert_eq!(one("claude --agent-id noteam"), None);
        // The flag must be an argument of a program, not the program.
        assert_eq!(one("env --agent-id a@t"), None);
        assert_eq!(one("sh -c 'unbalanced"), None);
    }
}
