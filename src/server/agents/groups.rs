//! Coordination groups: joining, leaving, the coordinator role and its
//! hand-off, and the groups' records.

use super::authority::{Act, refused};
use super::{Agent, Group, now};
use crate::server::state::State;
use crate::store::{GroupRow, Op};
use commands::agent::GroupView;
use commands::host::Io;
use commands::{CmdResult, bail};
use std::collections::BTreeMap;

impl State {
    pub fn coordinator_of(&self, group: &str) -> Option<&Agent> {
        self.agents.members(group).find(|a| a.row.coordinator)
    }

    pub fn agent_join(
        &mut self,
        io: &Io,
        key: &str,
        group: &str,
        want: bool,
        force: bool,
    ) -> CmdResult {
        self.agents.ready()?;
        self.prune_groups();
        let who = self.who(io).clone();
        let Some(me) = self.agents.records.get(key) else {
            bail!("can't find agent: {key}");
        };
        match me.row.group.as_deref() {
            Some(g) if g != group => bail!("{key} is already in group {g}: leave it first"),
            Some(_) if !want || me.row.coordinator => return Ok(()),
            Some(_) => {}
            None => {
                self.authorize(&who, Act::Join, key)?;
                let max = self.server_num("max-peers").max(1) as usize;
                let members = self.agents.members(group).count();
                if members >= max {
                    bail!("group {group} is full: max-peers is {max}");
                }
            }
        }
        if want && who.agent() != Some(key) {
            self.authorize(&who, Act::HandOff, key)?;
        }
        let coordinator = self
            .coordinator_of(group)
            .map(|c| (c.row.key.clone(), c.session.is_some()));
        let mut changed = vec![key.to_string()];
        let take = match &coordinator {
            None => true,
            // A coordinator that has ended keeps the role only until a
            // live member comes.
            Some((c, false))
                if self
                    .agents
                    .records
                    .get(c)
                    .is_none_or(|a| a.status().ended()) =>
            {
                true
            }
            Some((c, alive)) if want => {
                let own = who.agent() == Some(c.as_str());
                if *alive && !force && !own {
                    bail!("group {group} has a coordinator: {c} (-f takes over)");
                }
                // Taking the role from a live coordinator is acting on it.
                if *alive && !own && !who.is_operator() && !self.is_ancestor(&who.name(), c) {
                    return Err(refused(&who, &format!("take group {group} over from {c}")));
                }
                true
            }
            Some(_) => false,
        };
        let old = match coordinator {
            Some((c, _)) if take => {
                if let Some(old) = self.agents.records.get_mut(&c) {
                    old.row.coordinator = false;
                }
                changed.push(c.clone());
                Some(c)
            }
            _ => None,
        };
        let t = now();
        let joined = crate::server::pane::now_micros();
        let mut newly = false;
        if let Some(me) = self.agents.records.get_mut(key) {
            if me.row.group.is_none() {
                me.row.joined = joined;
                newly = true;
            }
            me.row.group = Some(group.to_string());
            me.row.coordinator |= take;
            me.row.activity = t;
        }
        let g = self
            .agents
            .groups
            .entry(group.to_string())
            .or_insert_with(|| Group {
                row: GroupRow {
                    name: group.to_string(),
                    created: t,
                    emptied: None,
                },
                context: BTreeMap::new(),
            });
        g.row.emptied = None;
        let group_op = Op::Group(g.row.clone());
        let keys: Vec<&str> = changed.iter().map(String::as_str).collect();
        self.save_agents(&keys);
        self.persist(vec![group_op]);
        let actor = who.name();
        if newly {
            self.emit(
                "joined",
                key,
                &actor,
                group,
                serde_json::json!({"group": group}),
            );
        }
        if take {
            let detail = match &old {
                Some(o) => format!("{group} (from {o})"),
                None => group.to_string(),
            };
            let data = serde_json::json!({"group": group, "from": old});
            self.emit("coordinator", key, &actor, &detail, data);
        }
        self.redraw_all();
        Ok(())
    }

    /// An agent ended (completed, failed, stopped, lost): if it coordinated
    /// its group, the role goes at once to the member there longest that
    /// still runs. With none, it stays until a live member joins.
    pub fn coordinator_ended(&mut self, key: &str) {
        let Some(a) = self.agents.records.get(key) else {
            return;
        };
        if !a.row.coordinator || !a.status().ended() {
            return;
        }
        let Some(group) = a.row.group.clone() else {
            return;
        };
        let Some(next) = self
            .agents
            .members(&group)
            .filter(|m| m.row.key != key && m.session.is_some() && !m.status().ended())
            .min_by_key(|m| (m.row.joined, m.row.key.clone()))
            .map(|m| m.row.key.clone())
        else {
            return;
        };
        for (k, on) in [(key, false), (next.as_str(), true)] {
            if let Some(a) = self.agents.records.get_mut(k) {
                a.row.coordinator = on;
            }
        }
        self.save_agents(&[key, &next]);
        let data = serde_json::json!({"group": group, "from": key});
        self.emit(
            "coordinator",
            &next,
            "",
            &format!("{group} (from {key})"),
            data,
        );
        self.redraw_all();
    }

    pub fn agent_leave(&mut self, io: &Io, key: &str) -> CmdResult {
        self.agents.ready()?;
        let Some(me) = self.agents.records.get(key) else {
            bail!("can't find agent: {key}");
        };
        let Some(group) = me.row.group.clone() else {
            bail!("{key} is not in a group");
        };
        let who = self.who(io).clone();
        self.authorize(&who, Act::Leave, key)?;
        self.leave(key, &group);
        let data = serde_json::json!({"group": group});
        self.emit("left", key, &who.name(), &group, data);
        Ok(())
    }

    /// Takes an agent out of its group: the coordinator role passes to the
    /// member there longest (a live one if there is), and a group left
    /// empty keeps its context for agent-history-limit seconds.
    pub(super) fn leave(&mut self, key: &str, group: &str) {
        let was_coordinator = self
            .agents
            .records
            .get_mut(key)
            .map(|a| {
                let c = a.row.coordinator;
                a.row.group = None;
                a.row.coordinator = false;
                a.row.joined = 0;
                c
            })
            .unwrap_or(false);
        let mut changed = vec![key.to_string()];
        let mut next = None;
        if was_coordinator {
            next = self
                .agents
                .members(group)
                .min_by_key(|a| (a.session.is_none(), a.row.joined, a.row.key.clone()))
                .map(|a| a.row.key.clone());
            if let Some(n) = &next {
                if let Some(a) = self.agents.records.get_mut(n) {
                    a.row.coordinator = true;
                }
                changed.push(n.clone());
            }
        }
        let keys: Vec<&str> = changed.iter().map(String::as_str).collect();
        self.save_agents(&keys);
        if let Some(n) = next {
            let data = serde_json::json!({"group": group, "from": key});
            self.emit(
                "coordinator",
                &n,
                "",
                &format!("{group} (from {key})"),
                data,
            );
        }
        if self.agents.members(group).next().is_none()
            && let Some(g) = self.agents.groups.get_mut(group)
        {
            g.row.emptied = Some(now());
            let op = Op::Group(g.row.clone());
            self.persist(vec![op]);
        }
        self.redraw_all();
    }

    /// Drops groups left empty longer than agent-history-limit seconds.
    pub(super) fn prune_groups(&mut self) {
        let keep = self.server_num("agent-history-limit");
        let t = now();
        let old: Vec<String> = self
            .agents
            .groups
            .values()
            .filter(|g| g.row.emptied.is_some_and(|e| t.saturating_sub(e) >= keep))
            .map(|g| g.row.name.clone())
            .collect();
        for name in old {
            if self.agents.members(&name).next().is_none() {
                self.agents.groups.remove(&name);
                self.persist(vec![Op::DropGroup(name)]);
            }
        }
    }

    pub fn group_views(&mut self) -> Vec<GroupView> {
        self.prune_groups();
        // A group with no members is not listed; its context is kept for a
        // while in case members come back.
        self.agents
            .groups
            .values()
            .filter(|g| self.agents.members(&g.row.name).next().is_some())
            .map(|g| GroupView {
                name: g.row.name.clone(),
                members: self.agents.members(&g.row.name).count(),
                coordinator: self.coordinator_of(&g.row.name).map(|a| a.row.key.clone()),
                context_keys: g.context.len(),
                context_bytes: g.bytes(),
                created: g.row.created,
                tokens: self.agents.members(&g.row.name).map(|a| a.row.tokens).sum(),
                cost: self
                    .agents
                    .members(&g.row.name)
                    .map(|a| a.row.cost_micros)
                    .sum::<u64>() as f64
                    / 1_000_000.0,
                hosts: self.agents.group_hosts(&g.row.name),
            })
            .collect()
    }

    pub fn group_delete(&mut self, io: &Io, group: &str) -> CmdResult {
        self.agents.ready()?;
        self.authorize_operator(self.who(io), &format!("delete group {group}"))?;
        if !self.agents.groups.contains_key(group) {
            bail!("can't find group: {group}");
        }
        let n = self.agents.members(group).count();
        if n > 0 {
            bail!("group {group} has {n} members: they must leave first");
        }
        self.agents.groups.remove(group);
        self.persist(vec![Op::DropGroup(group.to_string())]);
        Ok(())
    }
}
