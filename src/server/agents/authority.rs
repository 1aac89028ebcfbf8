//! Who may do what: the one place that decides whether a caller may act on
//! an agent or a group. Every agent verb asks here before it changes
//! anything, and so do the MCP tools, which are the same commands.
//!
//! - An agent acts as itself. Nothing is ever stored as another agent: a
//!   message's sender, a result's author and a share's writer are the
//!   verified caller.
//! - A parent (or any ancestor) may change, stop, send to and read its
//!   descendants.
//! - A group's coordinator may change its members' objective, role and
//!   status, take them out of the group and hand the role on.
//! - The operator (a caller outside every pane, or in a pane it started
//!   that is no agent's) may do anything, in its own name.
//! - A caller the server cannot place may not act on agents at all.
//!
//! A refusal names the caller, the act and the agent:
//! `agent:a may not reply for agent:b`.

use crate::server::state::State;
use commands::host::Identity;
use commands::{CmdError, CmdResult};

/// What a caller wants to do to an agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Objective, role or status (set-agent).
    Change,
    /// Its usage counters: tokens, turns, tasks (set-agent --tokens...).
    Report,
    /// Put it in a group.
    Join,
    /// Take it out of its group.
    Leave,
    /// Make it its group's coordinator.
    HandOff,
    /// Remove its record.
    Forget,
    /// Spawn a sub-agent with it as the parent.
    Spawn,
    /// End its task with a result.
    Done,
    /// Stop it.
    Stop,
    /// Reply on a thread as it.
    Reply,
    /// Read its inbox.
    ReadInbox,
    /// Mark its messages read.
    Ack,
    /// Read its history and its pane's output.
    ReadHistory,
    /// Wait for its children and collect their results.
    WaitChildren,
}

impl Act {
    /// The refusal's words: `agent:a may not {phrase}`.
    fn phrase(self, subject: &str) -> String {
        match self {
            Act::Change => format!("change {subject}"),
            Act::Report => format!("report usage for {subject}"),
            Act::Join => format!("put {subject} in a group"),
            Act::Leave => format!("take {subject} out of its group"),
            Act::HandOff => format!("make {subject} coordinator"),
            Act::Forget => format!("forget {subject}"),
            Act::Spawn => format!("spawn for {subject}"),
            Act::Done => format!("end {subject}'s task"),
            Act::Stop => format!("stop {subject}"),
            Act::Reply => format!("reply for {subject}"),
            Act::ReadInbox => format!("read {subject}'s inbox"),
            Act::Ack => format!("mark {subject}'s messages read"),
            Act::ReadHistory => format!("read {subject}'s history"),
            Act::WaitChildren => format!("wait for {subject}'s children"),
        }
    }

    /// Whether the operator may do it for an agent. Replying is speaking:
    /// nobody, the operator included, replies in another's name.
    fn operator_may(self) -> bool {
        self != Act::Reply
    }

    /// Whether an ancestor may do it for a descendant.
    fn ancestor_may(self) -> bool {
        matches!(
            self,
            Act::Change
                | Act::Join
                | Act::Leave
                | Act::HandOff
                | Act::Forget
                | Act::Stop
                | Act::ReadInbox
                | Act::ReadHistory
                | Act::WaitChildren
        )
    }

    /// Whether a group's coordinator may do it for a member.
    fn coordinator_may(self) -> bool {
        matches!(self, Act::Change | Act::Leave | Act::HandOff)
    }
}

/// A refusal in the standard words: `agent:a may not {what}`.
pub fn refused(who: &Identity, what: &str) -> CmdError {
    match who {
        Identity::Unknown(why) => CmdError::new(format!("{why}: it may not act on agents")),
        _ => CmdError::new(format!("{who} may not {what}")),
    }
}

impl State {
    /// Checks that `who` may do `act` to agent `subject`.
    pub fn authorize(&self, who: &Identity, act: Act, subject: &str) -> CmdResult {
        let allowed = match who {
            Identity::Unknown(_) => false,
            Identity::Operator | Identity::Pane(_) => act.operator_may(),
            Identity::Agent(me) if me == subject => act != Act::Stop,
            Identity::Agent(me) => {
                (act.ancestor_may() && self.is_ancestor(me, subject))
                    || (act.coordinator_may() && self.coordinates(me, subject))
                    || (act == Act::ReadHistory && self.same_group(me, subject))
            }
        };
        if allowed {
            Ok(())
        } else {
            Err(refused(who, &act.phrase(subject)))
        }
    }

    /// Checks that `who` may write to group `group`'s shared context: its
    /// members may, and the operator.
    pub fn authorize_share(&self, who: &Identity, group: &str) -> CmdResult {
        match who {
            Identity::Operator | Identity::Pane(_) => Ok(()),
            Identity::Agent(me) if self.member_of(me, group) => Ok(()),
            Identity::Agent(_) => Err(refused(
                who,
                &format!("write to group {group}: it is not a member"),
            )),
            Identity::Unknown(_) => Err(refused(who, "")),
        }
    }

    /// Checks that `who` may read group `group`'s shared context: its
    /// members and their ancestors may, and the operator.
    pub fn authorize_read_context(&self, who: &Identity, group: &str) -> CmdResult {
        let ok = match who {
            Identity::Operator | Identity::Pane(_) => true,
            Identity::Agent(me) => {
                self.member_of(me, group)
                    || self
                        .agents
                        .members(group)
                        .any(|m| self.is_ancestor(me, &m.row.key))
            }
            Identity::Unknown(_) => false,
        };
        if ok {
            Ok(())
        } else {
            Err(refused(
                who,
                &format!("read group {group}'s context: it is not a member"),
            ))
        }
    }

    /// Checks what only the operator may do: define agent types for
    /// everyone, delete groups, start agents that answer to nobody.
    pub fn authorize_operator(&self, who: &Identity, what: &str) -> CmdResult {
        if who.is_operator() {
            Ok(())
        } else {
            Err(refused(who, &format!("{what}: only the operator may")))
        }
    }

    /// Whether agent `a` is an ancestor of agent `b` (its parent, or its
    /// parent's, and so on).
    pub fn is_ancestor(&self, a: &str, b: &str) -> bool {
        let mut cur = self
            .agents
            .records
            .get(b)
            .and_then(|x| x.row.parent.clone());
        // Records cannot loop, but a damaged store must not hang the server.
        for _ in 0..64 {
            match cur {
                Some(p) if p == a => return true,
                Some(p) => {
                    cur = self
                        .agents
                        .records
                        .get(&p)
                        .and_then(|x| x.row.parent.clone())
                }
                None => return false,
            }
        }
        false
    }

    fn member_of(&self, key: &str, group: &str) -> bool {
        self.agents
            .records
            .get(key)
            .is_some_and(|a| a.row.group.as_deref() == Some(group))
    }

    pub(super) fn same_group(&self, a: &str, b: &str) -> bool {
        let group = |k: &str| self.agents.records.get(k).and_then(|x| x.row.group.clone());
        group(a).is_some() && group(a) == group(b)
    }

    /// Whether `a` coordinates the group `member` is in.
    fn coordinates(&self, a: &str, member: &str) -> bool {
        let Some(me) = self.agents.records.get(a) else {
            return false;
        };
        me.row.coordinator && me.row.group.is_some() && self.same_group(a, member)
    }
}
