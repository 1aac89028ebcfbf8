//! Format variables: a registry of name → function over a session, window
//! and pane. Other layers add their own tables to [`TABLES`]; the man page's
//! list (`commands::format::VARIABLES`) is checked against this registry.

use super::state::{Pane, Session, State, Window};
use commands::Found;
use commands::format::{Lookup, Loop};
use commands::options::{Value, escape};
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a format is expanded for.
pub struct Ctx<'a> {
    pub state: &'a State,
    pub client: Option<&'a super::client::Client>,
    pub session: Option<&'a Session>,
    pub index: Option<u32>,
    pub window: Option<&'a Window>,
    pub pane: Option<&'a Pane>,
    /// The agent: the session's, or a record without a session.
    pub agent: Option<&'a super::agents::Agent>,
    pub group: Option<&'a super::agents::Group>,
    /// Variables the command list carries (a hook's #{hook_*}).
    pub vars: &'a [(String, String)],
    /// What is being formatted: a pane (the default where there is one),
    /// a window or a session (#{pane_format}...).
    pub kind: Option<Loop>,
    /// Where the mouse was, for a command a mouse binding runs
    /// (#{mouse_x}...).
    pub mouse: Option<commands::host::MouseTarget>,
}

type VarFn = fn(&Ctx) -> Option<String>;

fn b(v: bool) -> Option<String> {
    Some(if v { "1" } else { "0" }.to_string())
}

fn n(v: impl ToString) -> Option<String> {
    Some(v.to_string())
}

fn flags(c: &Ctx, escaped: bool) -> Option<String> {
    let (s, w) = (c.session?, c.window?);
    let idx = c.index?;
    let mut f = String::new();
    let alerts = c.state.alert_flags(s.id, w.id);
    if alerts & super::alerts::ACTIVITY != 0 {
        // Escaped for window_flags, which status formats expand again.
        f.push_str(if escaped { "##" } else { "#" });
    }
    if alerts & super::alerts::BELL != 0 {
        f.push('!');
    }
    if alerts & super::alerts::SILENCE != 0 {
        f.push('~');
    }
    if s.current == idx {
        f.push('*');
    }
    if s.last.first() == Some(&idx) {
        f.push('-');
    }
    if c.state
        .marked_found()
        .is_some_and(|m| m.session == s.id && m.index == idx)
    {
        f.push('M');
    }
    if w.zoomed {
        f.push('Z');
    }
    Some(f)
}

/// The names of the clients attached to the sessions of `s`'s group.
fn group_clients(st: &State, s: commands::SessionId) -> Vec<String> {
    let members = st.group_members(s);
    st.clients
        .values()
        .filter(|c| members.contains(&c.session))
        .map(|c| c.name.clone())
        .collect()
}

/// /proc/PID/comm of the pane's foreground process.
fn current_command(p: &Pane) -> Option<String> {
    if p.dead {
        return Some(String::new());
    }
    let pid = p.io.foreground();
    super::ops::foreground_comm(p, pid)
}

fn current_path(p: &Pane) -> Option<String> {
    let pid = p.io.foreground();
    std::fs::read_link(format!("/proc/{pid}/cwd"))
        .ok()
        .map(|p| p.display().to_string())
}

/// The variables of the core: server, sessions, windows and panes.
pub static CORE: &[(&str, VarFn)] = &[
    ("host", |c| n(&c.state.info.host)),
    ("host_short", |c| {
        n(c.state.info.host.split('.').next().unwrap_or(""))
    }),
    ("pid", |c| n(c.state.info.pid)),
    ("socket_path", |c| n(c.state.info.socket.display())),
    ("start_time", |c| n(c.state.info.start_time)),
    ("version", |c| {
        n(match c.state.info.flavor {
            crate::paths::Flavor::Tmux => "3.3a",
            crate::paths::Flavor::Agmux => env!("CARGO_PKG_VERSION"),
        })
    }),
    ("session_name", |c| n(&c.session?.name)),
    ("session_id", |c| n(c.session?.id)),
    ("session_windows", |c| n(c.session?.windows.len())),
    ("session_attached", |c| {
        n(c.state.attached_to(c.session?.id))
    }),
    ("session_many_attached", |c| {
        b(c.state.attached_to(c.session?.id) > 1)
    }),
    ("session_created", |c| n(c.session?.created)),
    ("session_activity", |c| n(c.session?.activity / 1_000_000)),
    ("session_last_attached", |c| {
        c.session.map(|_| String::new())
    }),
    ("session_path", |c| n(&c.session?.cwd)),
    ("session_grouped", |c| {
        b(c.state.group_of(c.session?.id).is_some())
    }),
    ("session_group", |c| n(c.state.group_of(c.session?.id)?)),
    ("session_group_size", |c| {
        let s = c.session?.id;
        c.state.group_of(s)?;
        n(c.state.group_members(s).len())
    }),
    ("session_group_list", |c| {
        let g = c.state.group_of(c.session?.id)?;
        let names = c.state.groups.get(g)?.iter();
        let names = names.filter_map(|m| c.state.sessions.get(m).map(|x| x.name.as_str()));
        n(names.collect::<Vec<_>>().join(","))
    }),
    ("session_group_attached", |c| {
        let s = c.session?.id;
        c.state.group_of(s)?;
        n(group_clients(c.state, s).len())
    }),
    ("session_group_attached_list", |c| {
        let s = c.session?.id;
        c.state.group_of(s)?;
        n(group_clients(c.state, s).join(","))
    }),
    ("session_group_many_attached", |c| {
        let s = c.session?.id;
        c.state.group_of(s)?;
        b(group_clients(c.state, s).len() > 1)
    }),
    ("client_name", |c| n(&c.client?.name)),
    ("client_tty", |c| n(&c.client?.name)),
    ("client_width", |c| n(c.client?.cols)),
    ("client_height", |c| n(c.client?.rows)),
    ("client_termname", |c| n(&c.client?.term)),
    ("client_pid", |c| c.client?.pid.map(|p| p.to_string())),
    ("client_session", |c| {
        let cl = c.client?;
        c.state.sessions.get(&cl.session).map(|s| s.name.clone())
    }),
    ("client_key_table", |c| n(&c.client?.table)),
    ("client_prefix", |c| b(c.client?.table != "root")),
    ("client_readonly", |c| b(c.state.read_only(c.client?.conn))),
    ("client_activity", |c| n(c.client?.activity / 1_000_000)),
    ("window_index", |c| n(c.index?)),
    ("window_id", |c| n(c.window?.id)),
    ("window_name", |c| Some(c.state.window_name(c.window?.id))),
    ("window_active", |c| b(c.session?.current == c.index?)),
    ("window_panes", |c| n(c.window?.panes.len())),
    ("window_layout", |c| n(c.window?.layout.dump())),
    ("window_visible_layout", |c| {
        Some(c.state.visible_layout(c.window?))
    }),
    ("window_width", |c| n(c.window?.sx)),
    ("window_height", |c| n(c.window?.sy)),
    ("window_flags", |c| flags(c, true)),
    ("window_raw_flags", |c| flags(c, false)),
    ("window_zoomed_flag", |c| b(c.window?.zoomed)),
    ("window_linked", |c| {
        c.index?;
        b(c.state.linked_elsewhere(c.session?.id, c.window?.id))
    }),
    ("window_linked_sessions", |c| {
        c.index?;
        n(c.state.window_links(c.window?.id).len())
    }),
    ("window_linked_sessions_list", |c| {
        c.index?;
        let links = c.state.window_link_sessions(c.window?.id).into_iter();
        let names = links.filter_map(|s| c.state.sessions.get(&s).map(|x| x.name.as_str()));
        n(names.collect::<Vec<_>>().join(","))
    }),
    ("window_last_flag", |c| {
        b(c.session?.last.first() == Some(&c.index?))
    }),
    ("window_start_flag", |c| {
        b(c.session?.windows.keys().next() == Some(&c.index?))
    }),
    ("window_end_flag", |c| {
        b(c.session?.windows.keys().next_back() == Some(&c.index?))
    }),
    ("window_activity", |c| {
        let w = c.window?;
        let latest = w
            .panes
            .iter()
            .filter_map(|p| c.state.panes.get(p))
            .map(|p| {
                p.io.shared
                    .activity
                    .load(std::sync::atomic::Ordering::Relaxed)
            })
            .max()
            .unwrap_or(w.created * 1_000_000);
        n(latest / 1_000_000)
    }),
    ("pane_id", |c| n(c.pane?.id)),
    ("pane_index", |c| {
        let (w, p) = (c.window?, c.pane?);
        let pos = w.panes.iter().position(|x| *x == p.id)? as u32;
        n(pos + c.state.pane_base_index(w.id))
    }),
    ("pane_pid", |c| n(c.pane?.io.pid)),
    ("pane_tty", |c| n(&c.pane?.io.tty)),
    ("pane_current_command", |c| current_command(c.pane?)),
    ("pane_current_path", |c| current_path(c.pane?)),
    ("pane_start_command", |c| n(&c.pane?.start_command)),
    ("pane_start_path", |c| n(&c.pane?.start_path)),
    ("pane_width", |c| n(c.pane?.sx)),
    ("pane_height", |c| n(c.pane?.sy)),
    ("pane_left", |c| n(c.pane?.xoff)),
    ("pane_top", |c| n(c.pane?.yoff)),
    ("pane_right", |c| n(c.pane?.xoff + c.pane?.sx - 1)),
    ("pane_bottom", |c| n(c.pane?.yoff + c.pane?.sy - 1)),
    ("pane_at_left", |c| b(c.pane?.xoff == 0)),
    ("pane_at_top", |c| b(c.pane?.yoff == 0)),
    ("pane_at_right", |c| {
        b(c.pane?.xoff + c.pane?.sx == c.window?.sx)
    }),
    ("pane_at_bottom", |c| {
        b(c.pane?.yoff + c.pane?.sy == c.window?.sy)
    }),
    ("pane_active", |c| b(c.window?.active == c.pane?.id)),
    ("pane_last", |c| {
        b(c.window?.last_panes.first() == Some(&c.pane?.id))
    }),
    ("pane_dead", |c| b(c.pane?.dead)),
    ("pane_pipe", |c| b(c.pane?.io.shared.piping())),
    ("pane_format", |c| b(c.kind == Some(Loop::Panes))),
    ("window_format", |c| b(c.kind == Some(Loop::Windows))),
    ("session_format", |c| b(c.kind == Some(Loop::Sessions))),
    ("pane_dead_time", |c| {
        let p = c.pane?;
        Some(if p.dead {
            p.dead_time.to_string()
        } else {
            String::new()
        })
    }),
    ("pane_dead_status", |c| {
        let p = c.pane?;
        if p.dead {
            p.exit_status.map(|s| s.to_string())
        } else {
            Some(String::new())
        }
    }),
    ("pane_in_mode", |c| b(c.pane?.mode.is_some())),
    ("pane_input_off", |c| {
        b(c.state.input_off.contains(&c.pane?.id))
    }),
    ("mouse_x", |c| n(c.mouse_cell()?.1)),
    ("mouse_y", |c| n(c.mouse_cell()?.2)),
    ("mouse_line", |c| {
        let (p, _, y) = c.mouse_cell()?;
        Some(super::tmux_formats::pane_line(c.state, p, y))
    }),
    ("mouse_word", |c| {
        let (p, x, y) = c.mouse_cell()?;
        let line = super::tmux_formats::pane_line(c.state, p, y);
        // tmux takes the global value.
        let seps = c.state.session_options.get("word-separators");
        let seps = seps.map_or(String::new(), |v| v.as_str().to_string());
        Some(super::tmux_formats::word_at(&line, x as usize, &seps))
    }),
    ("pane_search_string", |c| {
        let p = c.pane?;
        let now = p
            .copy_mode()
            .and_then(|m| m.search.as_ref().map(|s| s.0.clone()));
        Some(now.unwrap_or_else(|| p.search_string.clone()))
    }),
    ("mouse_any_flag", |c| {
        let mode = c.pane?.io.shared.emu().mouse_mode();
        b(mode.report != super::emulator::MouseReport::Off)
    }),
    ("pane_mode", |c| {
        Some(c.pane?.mode.as_ref().map_or("", |m| m.name()).to_string())
    }),
    ("scroll_position", |c| n(c.pane?.copy_view()?.scrolled())),
    ("copy_cursor_line", |c| n(copy_cursor_line(c.pane?)?)),
    ("copy_cursor_word", |c| {
        let m = c.pane?.copy_view()?;
        let line = copy_cursor_line(c.pane?)?;
        // tmux takes the global value.
        let seps = c.state.session_options.get("word-separators");
        let seps = seps.map_or(String::new(), |v| v.as_str().to_string());
        n(super::tmux_formats::word_at(&line, m.cx, &seps))
    }),
    ("copy_cursor_x", |c| n(c.pane?.copy_view()?.cx)),
    ("copy_cursor_y", |c| n(c.pane?.copy_view()?.cy)),
    ("selection_present", |c| {
        b(c.pane?.copy_mode()?.anchor.is_some())
    }),
    ("pane_title", |c| n(c.pane?.io.shared.emu().title())),
    ("cursor_x", |c| n(c.pane?.io.shared.emu().cursor().0)),
    ("cursor_y", |c| n(c.pane?.io.shared.emu().cursor().1)),
    ("alternate_on", |c| {
        b(c.pane?.io.shared.emu().alternate_screen())
    }),
    ("history_size", |c| {
        n(c.pane?.io.shared.emu().history_size())
    }),
    ("history_limit", |c| {
        n(c.state.history_limit(c.session.map(|s| s.id)))
    }),
    ("history_all_bytes", |c| {
        let mut emu = c.pane?.io.shared.emu();
        let g = grid_bytes(&mut **emu);
        n(format!(
            "{},{},{},{},{},{}",
            g.lines,
            g.lines * 32,
            g.cells,
            g.cells * 5,
            g.extended,
            g.extended * 19
        ))
    }),
    ("history_bytes", |c| {
        // The sum of what #{history_all_bytes} counts, as tmux's.
        let mut emu = c.pane?.io.shared.emu();
        let g = grid_bytes(&mut **emu);
        n(g.lines * 32 + g.cells * 5 + g.extended * 19)
    }),
];

/// Every table of variables. A layer adds its table here.
/// The agent layer's variables: an agent's record and its group's.
pub static AGENTS: &[(&str, VarFn)] = &[
    ("agent_key", |c| n(&c.agent?.row.key)),
    ("agent_session", |c| n(&c.agent?.row.session_name)),
    ("agent_host", |c| n(&c.agent?.row.host)),
    ("agent_type", |c| n(&c.agent?.row.kind)),
    ("agent_objective", |c| n(&c.agent?.row.objective)),
    ("agent_role", |c| n(&c.agent?.row.role)),
    ("agent_status", |c| n(&c.agent?.row.status)),
    ("agent_created", |c| n(c.agent?.row.created / 1_000_000)),
    ("agent_activity", |c| n(c.agent?.row.activity)),
    ("agent_tasks", |c| n(c.agent?.row.tasks)),
    ("agent_interactions", |c| n(c.agent?.row.interactions)),
    ("agent_group", |c| {
        n(c.agent?.row.group.clone().unwrap_or_default())
    }),
    ("agent_coordinator", |c| b(c.agent?.row.coordinator)),
    ("agent_parent", |c| {
        n(c.agent?.row.parent.clone().unwrap_or_default())
    }),
    ("agent_mode", |c| n(&c.agent?.row.mode)),
    ("agent_depth", |c| n(c.agent?.row.depth)),
    ("agent_result", |c| {
        n(c.agent?.row.result.clone().unwrap_or_default())
    }),
    ("agent_reason", |c| n(&c.agent?.row.reason)),
    ("agent_tokens", |c| n(c.agent?.row.tokens)),
    ("agent_turns", |c| n(c.agent?.row.turns)),
    ("agent_tokens_in", |c| n(c.agent?.row.tokens_in)),
    ("agent_tokens_out", |c| n(c.agent?.row.tokens_out)),
    ("agent_cost", |c| n(dollars(c.agent?.row.cost_micros))),
    ("agent_model", |c| n(&c.agent?.row.model)),
    ("agent_usage", |c| {
        let a = c.agent?;
        n(usage(a.row.tokens, a.row.cost_micros))
    }),
    ("agent_branch", |c| n(&c.agent?.row.branch)),
    ("agent_worktree", |c| n(&c.agent?.row.worktree)),
    ("agents_tokens", |c| {
        n(c.state
            .agents
            .records
            .values()
            .map(|a| a.row.tokens)
            .sum::<u64>())
    }),
    ("agents_cost", |c| {
        n(dollars(
            c.state
                .agents
                .records
                .values()
                .map(|a| a.row.cost_micros)
                .sum(),
        ))
    }),
    ("agent_delivery", |c| {
        n(c.state.delivery_note(&c.agent?.row.key))
    }),
    ("agent_peers", |c| {
        let a = c.agent?;
        let Some(g) = a.row.group.as_deref() else {
            return n(0);
        };
        n(c.state.agents.members(g).count().saturating_sub(1))
    }),
    ("group_name", |c| n(&c.group?.row.name)),
    ("group_created", |c| n(c.group?.row.created)),
    ("group_members", |c| {
        n(c.state.agents.members(&c.group?.row.name).count())
    }),
    ("group_hosts", |c| {
        n(c.state.agents.group_hosts(&c.group?.row.name).join(","))
    }),
    ("group_coordinator", |c| {
        let g = c.group?;
        let coordinator = c.state.coordinator_of(&g.row.name);
        n(coordinator.map(|a| a.row.key.clone()).unwrap_or_default())
    }),
    ("group_context_keys", |c| n(c.group?.context.len())),
    ("group_context_bytes", |c| n(c.group?.bytes())),
    ("group_tokens", |c| {
        let g = &c.group?.row.name;
        n(c.state.agents.members(g).map(|a| a.row.tokens).sum::<u64>())
    }),
    ("group_cost", |c| {
        let g = &c.group?.row.name;
        n(dollars(
            c.state.agents.members(g).map(|a| a.row.cost_micros).sum(),
        ))
    }),
    ("group_usage", |c| {
        let g = &c.group?.row.name;
        let tokens = c.state.agents.members(g).map(|a| a.row.tokens).sum();
        let cost = c.state.agents.members(g).map(|a| a.row.cost_micros).sum();
        n(usage(tokens, cost))
    }),
];

/// Millionths of a dollar as dollars and cents.
pub fn dollars(micros: u64) -> String {
    format!("{:.2}", micros as f64 / 1_000_000.0)
}

/// Tokens and cost for people: empty when there are none.
pub fn usage(tokens: u64, cost_micros: u64) -> String {
    match (tokens, cost_micros) {
        (0, 0) => String::new(),
        (t, 0) => format!("{t} tokens"),
        (0, c) => format!("${}", dollars(c)),
        (t, c) => format!("{t} tokens, ${}", dollars(c)),
    }
}

static TABLES: &[&[(&str, VarFn)]] = &[CORE, AGENTS, super::tmux_formats::TMUX];

fn registry() -> &'static HashMap<&'static str, VarFn> {
    static REG: OnceLock<HashMap<&'static str, VarFn>> = OnceLock::new();
    REG.get_or_init(|| TABLES.iter().flat_map(|t| t.iter().copied()).collect())
}

/// Every variable name, sorted.
pub fn names() -> Vec<&'static str> {
    let mut v: Vec<_> = registry().keys().copied().collect();
    v.sort_unstable();
    v
}

impl<'a> Ctx<'a> {
    /// The pane under the mouse and the cell in it, for a mouse binding's
    /// command.
    fn mouse_cell(&self) -> Option<(commands::PaneId, u16, u16)> {
        let m = self.mouse.as_ref()?;
        Some((m.pane?, m.x, m.y))
    }

    pub fn new(state: &'a State, at: Option<&Found>) -> Ctx<'a> {
        let Some(f) = at else {
            return Ctx {
                state,
                client: None,
                session: None,
                index: None,
                window: None,
                pane: None,
                agent: None,
                group: None,
                vars: &[],
                kind: None,
                mouse: None,
            };
        };
        Ctx {
            state,
            client: None,
            session: state.sessions.get(&f.session),
            index: Some(f.index),
            window: state.windows.get(&f.window),
            pane: state.panes.get(&f.pane),
            agent: state.agent_of_session(f.session),
            group: None,
            vars: &[],
            kind: Some(Loop::Panes),
            mouse: None,
        }
    }

    fn formatting(mut self, kind: Loop) -> Self {
        self.kind = Some(kind);
        self
    }

    /// An option's value, looked up as tmux's formats do.
    fn option(&self, name: &str) -> Option<String> {
        let (name, index) = match name.split_once('[') {
            Some((n, rest)) => (
                n,
                rest.strip_suffix(']').and_then(|i| i.parse::<usize>().ok()),
            ),
            None => (name, None),
        };
        let s = self.state;
        let v = s
            .server_options
            .get(name)
            .or_else(|| self.pane.and_then(|p| p.options.get(name)))
            .or_else(|| self.window.and_then(|w| w.options.get(name)))
            .or_else(|| s.window_options.get(name))
            .or_else(|| self.session.and_then(|x| x.options.get(name)))
            .or_else(|| s.session_options.get(name))?;
        Some(match (v, index) {
            (Value::Array(a), Some(i)) => a.get(i).cloned().unwrap_or_default(),
            (Value::Array(a), None) => a.iter().map(|x| escape(x)).collect::<Vec<_>>().join(" "),
            // As tmux: in a format a flag is 1 or 0, not on or off.
            (Value::Flag(f), _) => if *f { "1" } else { "0" }.to_string(),
            (v, _) => v.to_text(),
        })
    }
}

impl Lookup for Ctx<'_> {
    fn var(&self, name: &str) -> Option<String> {
        if let Some((_, v)) = self.vars.iter().find(|(k, _)| k == name) {
            return Some(v.clone());
        }
        // Variable names use underscores; only option names have dashes.
        if (name.contains('-') || name.starts_with('@'))
            && let Some(v) = self.option(name)
        {
            return Some(v);
        }
        registry().get(name).and_then(|f| f(self))
    }

    fn search(&self, term: &str, regex: bool, ignore_case: bool) -> u32 {
        let Some(pane) = self.pane else { return 0 };
        let mut emu = pane.io.shared.emu();
        let rows = emu.size().1 as i64;
        let glob = format!("*{term}*");
        (0..rows)
            .find(|y| {
                emu.line(*y).is_some_and(|l| {
                    let text = l.plain(false);
                    if regex {
                        commands::util::regex_match(term, &text, ignore_case).unwrap_or(false)
                    } else {
                        commands::format::matches(&glob, &text, false, ignore_case)
                    }
                })
            })
            .map_or(0, |y| y as u32 + 1)
    }

    fn each(&self, kind: Loop) -> Vec<Box<dyn Lookup + '_>> {
        let s = self.state;
        match kind {
            Loop::Sessions => s
                .sessions
                .values()
                .filter_map(|x| s.found_session(x.id))
                .map(|f| {
                    Box::new(Ctx::new(s, Some(&f)).formatting(Loop::Sessions)) as Box<dyn Lookup>
                })
                .collect(),
            Loop::Windows => {
                let Some(sess) = self.session else {
                    return vec![];
                };
                sess.windows
                    .keys()
                    .filter_map(|i| s.found_window(sess.id, *i))
                    .map(|f| {
                        Box::new(Ctx::new(s, Some(&f)).formatting(Loop::Windows)) as Box<dyn Lookup>
                    })
                    .collect()
            }
            Loop::Panes => {
                let Some(w) = self.window else { return vec![] };
                // A window linked into several sessions is looped over
                // where it was found.
                let base = match (self.session, self.index) {
                    (Some(sess), Some(i)) => s.found_window(sess.id, i),
                    _ => s.found_window_id(w.id),
                };
                w.panes
                    .iter()
                    .filter_map(|p| base.map(|f| Found { pane: *p, ..f }))
                    .map(|f| Box::new(Ctx::new(s, Some(&f))) as Box<dyn Lookup>)
                    .collect()
            }
        }
    }
}

/// What tmux 3.3a's grid would hold for a pane's lines, for
/// #{history_all_bytes} and #{history_bytes}: a line costs 32 bytes; its
/// cells 5 each, allocated to a quarter, a half or all of the width as
/// tmux grows a line; a cell that does not fit in 5 (a wide or non-ASCII
/// character, an RGB colour, the padding after a wide one) is extended,
/// 19 more.
struct GridBytes {
    lines: usize,
    cells: usize,
    extended: usize,
}

fn grid_bytes(emu: &mut dyn super::emulator::Emulator) -> GridBytes {
    use crate::screen::Color;
    let sx = usize::from(emu.size().0);
    let rows = i64::from(emu.size().1);
    let history = emu.history_size() as i64;
    let (mut cells, mut extended) = (0usize, 0usize);
    for y in -history..rows {
        let Some(line) = emu.line(y) else { continue };
        let written = line
            .cells
            .iter()
            .rposition(|c| c.len > 0 || c.style.bg != Color::Default)
            .map_or(0, |i| i + 1);
        cells += match written {
            0 => 0,
            w if w < sx / 4 => sx / 4,
            w if w < sx / 2 => sx / 2,
            w => w.max(sx),
        };
        let rgb = |c: Color| matches!(c, Color::Rgb(..));
        extended += line.cells[..written]
            .iter()
            .filter(|c| c.width != 1 || c.len > 1 || rgb(c.style.fg) || rgb(c.style.bg))
            .count();
    }
    GridBytes {
        lines: (history + rows) as usize,
        cells,
        extended,
    }
}

/// The line under copy mode's cursor.
fn copy_cursor_line(p: &super::state::Pane) -> Option<String> {
    let m = p.copy_view()?;
    let mut emu = p.copy_emu()?;
    Some(m.view_line(&mut **emu, m.cy)?.plain(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_variables_are_implemented() {
        let reg = registry();
        for (name, _) in commands::format::VARIABLES {
            assert!(
                reg.contains_key(name),
                "{name} is documented but not implemented"
            );
        }
        for name in reg.keys() {
            assert!(
                commands::format::VARIABLES.iter().any(|(n, _)| n == name),
                "{name} is implemented but not documented"
            );
        }
    }
}
