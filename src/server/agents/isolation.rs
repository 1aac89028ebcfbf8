//! agent-isolation: what an agent may touch with tmux's own commands.
//! `send-keys -t B`, `respawn-pane`, `kill-pane` and the like would let one
//! agent run anything as another, or type into the operator's shell. With
//! the option on (the default), an agent may change only its own panes
//! (its session's, and those it started) and its descendants'; it may read
//! what its group peers' panes show; and it may not change the server for
//! everyone (global options, key bindings, hooks, kill-server). The
//! operator and panes that are no agent's keep tmux's rules exactly.

use crate::server::state::State;
use commands::host::{Identity, Io};
use commands::{Access, CmdResult, Found, bail};

impl State {
    /// The caller isolation applies to, if any: an agent, or a caller the
    /// server cannot place while agents run, with agent-isolation on.
    fn isolated<'a>(&self, io: &'a Io) -> Option<&'a Identity> {
        if !self.agents_present() || !self.server_flag("agent-isolation") {
            return None;
        }
        match self.who(io) {
            Identity::Operator | Identity::Pane(_) => None,
            who => Some(who),
        }
    }

    /// Whether any agent (or a pane one started) is around: until then
    /// nobody needs to know who is calling, and tmux commands pay nothing.
    fn agents_present(&self) -> bool {
        self.agents.records.values().any(|a| a.session.is_some())
            || self.panes.values().any(|p| p.owner.is_some())
    }

    /// Who a target belongs to: its session's agent, else whoever started
    /// the pane.
    fn target_owner(&self, f: &Found) -> Identity {
        match self.agents.by_session.get(&f.session) {
            Some(k) => Identity::Agent(k.clone()),
            None => self.pane_identity(f.pane),
        }
    }

    /// Checks that the running command may touch target `f`.
    pub fn check_reach(&self, io: &Io, f: &Found) -> CmdResult {
        let access = self.current_access.unwrap_or(Access::Write);
        if access == Access::Read {
            return Ok(());
        }
        let Some(who) = self.isolated(io) else {
            return Ok(());
        };
        let owner = self.target_owner(f);
        let ok = match (who, &owner) {
            (Identity::Agent(me), Identity::Agent(o)) => {
                me == o
                    || self.is_ancestor(me, o)
                    || (access == Access::ReadContent && self.same_group(me, o))
            }
            (Identity::Unknown(_), Identity::Unknown(_)) => true,
            _ => false,
        };
        if ok {
            return Ok(());
        }
        let whose = match &owner {
            Identity::Agent(k) => format!("{k}'s"),
            Identity::Unknown(_) => "an unknown caller's".into(),
            Identity::Operator | Identity::Pane(_) => "the operator's".into(),
        };
        let verb = if access == Access::ReadContent {
            "read"
        } else {
            "touch"
        };
        let name = who.name();
        bail!(
            "{name} may not {verb} pane {} ({whose}): agent-isolation is on",
            f.pane
        )
    }

    /// Refuses what changes the server for everyone to an isolated caller.
    pub fn check_server_wide(&self, io: &Io, what: &str) -> CmdResult {
        match self.isolated(io) {
            Some(who) => bail!("{} may not {what}: agent-isolation is on", who.name()),
            None => Ok(()),
        }
    }
}
