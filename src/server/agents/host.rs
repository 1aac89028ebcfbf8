//! The agent commands' side of the host: each verb forwards to the room
//! of the agent layer that serves it.

use crate::server::formats::Ctx;
use crate::server::state::State;
use commands::agent::{
    AgentChange, AgentSpawn, AgentSpec, AgentType, AgentView, ContextEntry, GroupView, HistoryView,
    MessageView, SendSpec, ShareOp,
};
use commands::host::{AgentHost, Io, SpawnSpec};
use commands::{CmdResult, Flow, PaneId, SessionId};

impl AgentHost for State {
    fn agent_ready(&self, io: &Io, session: Option<SessionId>) -> CmdResult {
        State::agent_ready(self, io, session)
    }

    fn make_agent(&mut self, io: &Io, home: PaneId, spec: AgentSpec) -> CmdResult {
        State::make_agent(self, io, home, spec)
    }

    fn agent_program_found(&self, io: &Io, spawn: &SpawnSpec) -> CmdResult {
        State::agent_program_found(self, io, spawn)
    }

    fn agent_key(&self, io: &Io, target: Option<&str>) -> CmdResult<String> {
        State::agent_key(self, io, target)
    }

    fn agent_view(&self, key: &str) -> Option<AgentView> {
        State::agent_view(self, key)
    }

    fn agent_views(&mut self) -> Vec<AgentView> {
        // Listing is when old ended records are seen to be old.
        self.prune_agents();
        State::agent_views(self)
    }

    fn agent_expand(&self, _io: &Io, fmt: &str, key: &str) -> String {
        let Some(a) = self.agents.records.get(key) else {
            return String::new();
        };
        let at = a.session.and_then(|s| self.found_session(s));
        let mut ctx = Ctx::new(self, at.as_ref());
        ctx.agent = Some(a);
        commands::format::expand(fmt, &ctx)
    }

    fn set_agent(&mut self, io: &Io, key: &str, change: AgentChange) -> CmdResult {
        State::set_agent(self, io, key, change)
    }

    fn agent_join(
        &mut self,
        io: &Io,
        key: &str,
        group: &str,
        coordinator: bool,
        force: bool,
    ) -> CmdResult {
        State::agent_join(self, io, key, group, coordinator, force)
    }

    fn agent_leave(&mut self, io: &Io, key: &str) -> CmdResult {
        State::agent_leave(self, io, key)
    }

    fn agent_forget(&mut self, io: &Io, key: &str, cleanup: bool) -> CmdResult {
        State::agent_forget(self, io, key, cleanup)
    }

    fn group_views(&mut self) -> Vec<GroupView> {
        State::group_views(self)
    }

    fn group_expand(&self, _io: &Io, fmt: &str, group: &str) -> String {
        let mut ctx = Ctx::new(self, None);
        ctx.group = self.agents.groups.get(group);
        commands::format::expand(fmt, &ctx)
    }

    fn group_delete(&mut self, io: &Io, group: &str) -> CmdResult {
        State::group_delete(self, io, group)
    }

    fn share(
        &mut self,
        io: &Io,
        target: Option<&str>,
        group: &str,
        ops: Vec<ShareOp>,
        if_version: Option<u64>,
    ) -> CmdResult {
        State::share(self, io, target, group, ops, if_version)
    }

    fn context(&mut self, io: &Io, group: &str) -> CmdResult<Vec<ContextEntry>> {
        State::context(self, io, group)
    }

    fn context_read(&mut self, io: &Io, group: &str, read: &[(String, u64)]) {
        State::context_read(self, io, group, read)
    }

    fn define_agent_type(&mut self, io: &Io, t: AgentType) -> CmdResult {
        State::define_agent_type(self, io, t)
    }

    fn agent_types(&self) -> Vec<AgentType> {
        self.agents.types.values().cloned().collect()
    }

    fn agent_spawn(
        &mut self,
        io: &mut Io,
        parent: Option<&str>,
        spec: AgentSpawn,
    ) -> CmdResult<Flow> {
        State::agent_spawn(self, io, parent, spec)
    }

    fn agent_spawn_on(&mut self, io: &mut Io, host: &str, argv: Vec<String>) -> CmdResult<Flow> {
        State::agent_spawn_on(self, io, host, argv)
    }

    fn agent_stop(&mut self, io: &Io, key: &str, reason: &str) -> CmdResult {
        State::agent_stop(self, io, key, reason)
    }

    fn agent_done(&mut self, io: &Io, key: &str, failed: bool, result: &str) -> CmdResult {
        State::agent_done(self, io, key, failed, result)
    }

    fn agent_wait(
        &mut self,
        io: &mut Io,
        parent: &str,
        children: Vec<String>,
        any: bool,
        json: bool,
        timeout: Option<f64>,
    ) -> CmdResult<Flow> {
        State::agent_wait(self, io, parent, children, any, json, timeout)
    }

    fn caller_agent(&self, io: &Io) -> Option<String> {
        State::caller_agent(self, io)
    }

    fn agent_send(&mut self, io: &mut Io, to: &str, spec: SendSpec) -> CmdResult<Flow> {
        State::agent_send(self, io, to, spec)
    }

    fn agent_reply(&mut self, io: &Io, key: Option<&str>, thread: &str, body: &str) -> CmdResult {
        State::agent_reply(self, io, key, thread, body)
    }

    fn agent_inbox(&self, io: &Io, key: &str) -> CmdResult<Vec<MessageView>> {
        State::agent_inbox(self, io, key)
    }

    fn agent_inbox_wait(
        &mut self,
        io: &mut Io,
        key: &str,
        secs: f64,
        mark: bool,
        json: bool,
    ) -> CmdResult<Flow> {
        State::agent_inbox_wait(self, io, key, secs, mark, json)
    }

    fn agent_ack(&mut self, io: &Io, key: &str, id: u64) -> CmdResult {
        State::agent_ack(self, io, key, id)
    }

    fn agent_history(
        &self,
        io: &Io,
        key: &str,
        last: Option<usize>,
        output: bool,
    ) -> CmdResult<HistoryView> {
        State::agent_history(self, io, key, last, output)
    }
}
