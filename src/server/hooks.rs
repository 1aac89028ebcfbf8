//! Hooks: tmux's notification hooks and after-COMMAND hooks. A change
//! notes its hook; the hook's commands run once the command or event that
//! caused it is over (as tmux queues them after the current item), as the
//! operator, acting on where it happened, with #{hook_*} set. Commands a
//! hook runs set off no hooks, as in tmux.

use super::state::{Queue, State};
use commands::hooks::{self, HookScope};
use commands::host::{Caller, Io, OptionScope};
use commands::options::Value;
use commands::{Found, PaneId, SessionId, WindowId};
use std::collections::VecDeque;

/// Where a hook's notification happened. Names are read when the hook
/// runs (reading a window's name early would fix it before its program
/// starts); a closed session's is kept, since it is gone by then.
#[derive(Debug, Clone, Default)]
pub struct HookAt {
    /// Where its commands act, while it exists.
    pub found: Option<Found>,
    pub session: Option<SessionId>,
    pub session_name: Option<String>,
    pub window: Option<WindowId>,
    pub pane: Option<PaneId>,
    pub client: Option<String>,
}

impl State {
    /// A notification's place, from a resolved target.
    pub fn hook_at(&self, found: Option<Found>) -> HookAt {
        let Some(f) = found else {
            return HookAt::default();
        };
        HookAt {
            found: Some(f),
            session: Some(f.session),
            window: Some(f.window),
            pane: Some(f.pane),
            ..Default::default()
        }
    }

    pub fn hook_at_session(&self, s: SessionId) -> HookAt {
        self.hook_at(self.found_session(s))
    }

    pub fn hook_at_pane(&self, p: PaneId) -> HookAt {
        self.hook_at(self.found_pane(p))
    }

    /// A pane entered or left a mode (copy, view, tree).
    pub fn mode_changed(&mut self, p: PaneId) {
        let at = self.hook_at_pane(p);
        self.notify("pane-mode-changed", at);
    }

    /// Notes that `hook` happened; its commands run when what caused it
    /// is over.
    pub fn notify(&mut self, hook: &str, at: HookAt) {
        if !self.control.is_empty() {
            self.pending_control.push((hook.to_string(), at.clone()));
        }
        if self.in_hook || self.no_hooks_set(hook) {
            return;
        }
        self.pending_hooks.push_back((hook.to_string(), at));
    }

    /// Whether no list at all is set for a hook, anywhere: then noting it
    /// can be skipped (most servers set no hooks).
    fn no_hooks_set(&self, hook: &str) -> bool {
        let set = |o: &commands::options::Options| o.get(hook).is_some();
        !(set(&self.session_options)
            || set(&self.window_options)
            || self.sessions.values().any(|s| set(&s.options))
            || self.windows.values().any(|w| set(&w.options))
            || self.panes.values().any(|p| set(&p.options)))
    }

    /// Runs the hooks noted so far, in order.
    pub fn run_pending_hooks(&mut self) {
        while let Some((hook, at)) = self.pending_hooks.pop_front() {
            let commands = self.hook_commands(&hook, &at);
            self.run_hook_commands(&hook, &at, commands, Vec::new());
        }
    }

    /// The most specific list set for a hook where it happened: the
    /// session's, else the global one; or the pane's, the window's, else
    /// the global window hooks.
    pub fn hook_commands(&self, hook: &str, at: &HookAt) -> Vec<String> {
        let scopes = match hooks::scope_of(hook) {
            None => return Vec::new(),
            Some(HookScope::Session) => {
                let live = at.session.filter(|s| self.sessions.contains_key(s));
                let mut v: Vec<OptionScope> = live.map(OptionScope::Session).into_iter().collect();
                v.push(OptionScope::GlobalSession);
                v
            }
            Some(HookScope::Window) => {
                let mut v = Vec::new();
                if let Some(p) = at.pane.filter(|p| self.panes.contains_key(p)) {
                    v.push(OptionScope::Pane(p));
                }
                if let Some(w) = at.window.filter(|w| self.windows.contains_key(w)) {
                    v.push(OptionScope::Window(w));
                }
                v.push(OptionScope::GlobalWindow);
                v
            }
        };
        scopes
            .into_iter()
            .find_map(
                |scope| match commands::Host::options(self, scope)?.get(hook) {
                    Some(Value::Array(list)) if list.iter().any(|c| !c.is_empty()) => {
                        Some(list.clone())
                    }
                    _ => None,
                },
            )
            .unwrap_or_default()
    }

    /// Runs a hook's commands, each as a command list of its own.
    pub fn run_hook_commands(
        &mut self,
        hook: &str,
        at: &HookAt,
        commands: Vec<String>,
        extra: Vec<(String, String)>,
    ) {
        let mut vars = vec![("hook".to_string(), hook.to_string())];
        if let Some(s) = at.session {
            let name = at
                .session_name
                .clone()
                .or_else(|| self.sessions.get(&s).map(|x| x.name.clone()))
                .unwrap_or_default();
            vars.push(("hook_session".into(), s.to_string()));
            vars.push(("hook_session_name".into(), name));
        }
        if let Some(w) = at.window {
            vars.push(("hook_window".into(), w.to_string()));
            vars.push(("hook_window_name".into(), self.window_name(w)));
        }
        if let Some(p) = at.pane {
            vars.push(("hook_pane".into(), p.to_string()));
        }
        if let Some(c) = &at.client {
            vars.push(("hook_client".into(), c.clone()));
        }
        vars.extend(extra);
        // Hooks are the operator's configuration: they run as the
        // operator, whoever caused them, acting where it happened.
        let mut env: Vec<(String, String)> = Vec::new();
        if let Some(f) = at.found.filter(|f| self.panes.contains_key(&f.pane)) {
            let flavor = self.info.flavor;
            env.push((
                flavor.env_var().to_string(),
                format!(
                    "{},{},{}",
                    self.info.socket.display(),
                    self.info.pid,
                    f.session.0
                ),
            ));
            env.push((flavor.pane_var().to_string(), f.pane.to_string()));
        }
        for text in commands.iter().filter(|c| !c.is_empty()) {
            let caller = Caller {
                env: env.clone(),
                ..Caller::known(commands::Identity::Operator)
            };
            let mut io = Io::new(caller);
            io.vars = vars.clone();
            io.hook = true;
            let Ok(items) = commands::parse_with_host(self, &io, text) else {
                continue;
            };
            self.next_queue += 1;
            let q = Queue {
                id: self.next_queue,
                conn: None,
                reply: None,
                items: VecDeque::from(items),
                io,
                failed: false,
                client: None,
                config: false,
                framed: None,
            };
            self.run_queue(q);
        }
    }

    /// set-hook -R: the hook's commands, now, for a session, window or
    /// pane (or, global, for none).
    pub fn run_hook_now(&mut self, hook: &str, scope: OptionScope) {
        let found = match scope {
            OptionScope::Session(s) => self.found_session(s),
            OptionScope::Window(w) => self.found_window_id(w),
            OptionScope::Pane(p) => self.found_pane(p),
            _ => None,
        };
        let at = self.hook_at(found);
        let commands = self.hook_commands(hook, &at);
        self.run_hook_commands(hook, &at, commands, Vec::new());
    }
}
