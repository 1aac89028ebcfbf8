//! Who is calling. The server owns every pane, so it can tell who a
//! command comes from by walking the caller's process tree up to a pane, a
//! job it started, or neither; the caller's environment is never trusted
//! for this (anyone can set `AGMUX_PANE`).
//!
//! The server is a child subreaper (see `reaper.rs`): a process that leaves
//! its pane's tree (`setsid -f`, a double fork, `nohup … &` and exit) is
//! re-parented to the server, not to init, so the walk still tells it
//! apart from the operator's own processes. It cannot tell which pane it
//! came from, so it is `Unknown` and may not act on agents, rather than
//! falling back to the operator.

use crate::server::state::State;
use commands::PaneId;
use commands::host::{Identity, Io, Verified};
use std::collections::HashMap;

/// How far up a process tree to look before giving up.
const MAX_DEPTH: usize = 256;

impl State {
    /// What is verified about the caller, worked out on first use.
    pub fn verified<'a>(&self, io: &'a Io) -> &'a Verified {
        io.caller
            .verified
            .get_or_init(|| self.verify(io.caller.pid))
    }

    /// Who the caller is.
    pub fn who<'a>(&self, io: &'a Io) -> &'a Identity {
        &self.verified(io).who
    }

    /// The agent the caller is, if it is one.
    pub fn caller_agent(&self, io: &Io) -> Option<String> {
        self.who(io).agent().map(str::to_string)
    }

    fn verify(&self, pid: Option<u32>) -> Verified {
        let unknown = |why: String| Verified {
            who: Identity::Unknown(why),
            pane: None,
        };
        let Some(pid) = pid else {
            return unknown("the caller's process is not known".into());
        };
        let panes: HashMap<u32, PaneId> = self
            .panes
            .values()
            .filter(|p| !p.dead && p.io.pid > 0)
            .map(|p| (p.io.pid, p.id))
            .collect();
        let mut cur = pid;
        for _ in 0..MAX_DEPTH {
            if let Some(p) = panes.get(&cur) {
                return Verified {
                    who: self.pane_identity(*p),
                    pane: Some(*p),
                };
            }
            if let Some(who) = self.job_pids.get(&cur) {
                return Verified {
                    who: who.clone(),
                    pane: None,
                };
            }
            if cur == self.info.pid {
                return unknown(format!("process {pid} left the pane it was started in"));
            }
            match parent_pid(cur) {
                Some(parent) if parent > 1 => cur = parent,
                // Init, or gone: outside every pane and job.
                _ => {
                    return Verified {
                        who: Identity::Operator,
                        pane: None,
                    };
                }
            }
        }
        unknown(format!("process {pid}'s ancestry is too deep to follow"))
    }

    /// Who a process in pane `p` is: the agent bound to the pane (a
    /// teammate), else its session's agent; else whoever started the
    /// pane, if that was an agent (or someone unknown); else the pane
    /// itself, with the operator's authority.
    pub fn pane_identity(&self, p: PaneId) -> Identity {
        if let Some(key) = self.agents.by_pane.get(&p) {
            return Identity::Agent(key.clone());
        }
        if let Some(key) = self
            .found_pane(p)
            .and_then(|f| self.agents.by_session.get(&f.session))
        {
            return Identity::Agent(key.clone());
        }
        match self.panes.get(&p).and_then(|x| x.owner.clone()) {
            Some(owner) => owner,
            None => Identity::Pane(p),
        }
    }

    /// Marks a pane the caller made as the caller's: an agent's new pane,
    /// session or job speaks as that agent, so that making one is no way
    /// out of being that agent.
    pub fn own_pane(&mut self, io: &Io, p: PaneId) {
        let owner = match self.who(io) {
            Identity::Operator | Identity::Pane(_) => None,
            other => Some(other.clone()),
        };
        if let Some(pane) = self.panes.get_mut(&p) {
            pane.owner = owner;
        }
    }
}

/// The parent of a process, from /proc.
pub fn parent_pid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields start after
    // the last ')'.
    let rest = stat.rsplit_once(')')?.1;
    rest.split_whitespace().nth(1)?.parse().ok()
}
