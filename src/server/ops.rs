//! Operations on the state that several commands share: spawning panes,
//! applying layouts, and tearing down panes, windows and sessions.

use super::layout::{Layout, MainSizes};
use super::pane::{PaneIo, Spawn, now_micros};
use super::state::{Pane, State};
use crate::paths::Flavor;
use commands::host::{Io, SpawnSpec};
use commands::options::{Options, Value, escape};
use commands::{CmdResult, Found, PaneId, SessionId, WindowId, bail};

/// How long a window's automatic name is kept before /proc is read again
/// for the same foreground process: tmux checks names every 500 ms.
const NAME_FRESH_US: u64 = 500_000;

/// The name of a pane's foreground program, for automatic-rename. Targets
/// and status lines ask for it often, so it is read again only when the
/// foreground process changed or the name is older than NAME_FRESH_US.
fn program_name(p: &Pane) -> Option<String> {
    let pid = p.io.foreground();
    let now = now_micros();
    let mut cache = p.program_name.borrow_mut();
    if let Some((at_pid, at, name)) = cache.as_ref()
        && *at_pid == pid
        && now.saturating_sub(*at) < NAME_FRESH_US
    {
        return Some(name.clone());
    }
    let name = foreground_comm(p, pid)?;
    if name.is_empty() {
        return None;
    }
    *cache = Some((pid, now, name.clone()));
    Some(name)
}

/// /proc/PID/comm of a pane's foreground process, or None while that is
/// still the server's own fork that has not yet run the pane's program
/// (it would name every new window after agmux).
pub fn foreground_comm(p: &Pane, pid: u32) -> Option<String> {
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    let name = comm.trim_end().to_string();
    if pid == p.io.pid {
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok();
        if exe.is_some() && exe == std::fs::read_link("/proc/self/exe").ok() {
            return None;
        }
    }
    Some(name)
}

impl State {
    pub fn session_opt(&self, s: Option<SessionId>, name: &str) -> Option<&Value> {
        s.and_then(|s| self.sessions.get(&s))
            .and_then(|s| s.options.get(name))
            .or_else(|| self.session_options.get(name))
    }

    /// A server option that is a number (all are non-negative).
    pub fn server_num(&self, name: &str) -> u64 {
        self.server_options
            .get(name)
            .map(Value::as_num)
            .unwrap_or(0)
            .max(0) as u64
    }

    /// agent-max-cost in millionths of a dollar; None when unset.
    pub fn max_cost_micros(&self) -> Option<u64> {
        let v = self.server_options.get("agent-max-cost")?;
        let d = v
            .as_str()
            .trim()
            .trim_start_matches('$')
            .parse::<f64>()
            .ok()?;
        (d.is_finite() && d >= 0.0).then(|| (d * 1_000_000.0).round() as u64)
    }

    /// A server option that is a flag.
    pub fn server_flag(&self, name: &str) -> bool {
        self.server_options.get(name).is_some_and(Value::as_flag)
    }

    pub fn window_opt(&self, w: WindowId, name: &str) -> Option<&Value> {
        self.windows
            .get(&w)
            .and_then(|w| w.options.get(name))
            .or_else(|| self.window_options.get(name))
    }

    pub fn pane_opt(&self, p: PaneId, name: &str) -> Option<&Value> {
        let pane = self.panes.get(&p)?;
        pane.options
            .get(name)
            .or_else(|| self.window_opt(pane.window, name))
    }

    pub fn history_limit(&self, s: Option<SessionId>) -> usize {
        self.session_opt(s, "history-limit")
            .map(Value::as_num)
            .unwrap_or(2000)
            .max(0) as usize
    }

    pub fn pane_base_index(&self, w: WindowId) -> u32 {
        self.window_opt(w, "pane-base-index")
            .map(Value::as_num)
            .unwrap_or(0) as u32
    }

    /// A window's name: the one given, else (with automatic-rename) the
    /// command in its active pane, else the name it started with.
    pub fn window_name(&self, w: WindowId) -> String {
        let Some(win) = self.windows.get(&w) else {
            return String::new();
        };
        if let Some(n) = &win.name {
            return n.clone();
        }
        if self
            .window_opt(w, "automatic-rename")
            .is_some_and(Value::as_flag)
            && let Some(p) = self.panes.get(&win.active)
        {
            if p.dead {
                return format!("{}[dead]", win.initial_name);
            }
            if let Some(name) = program_name(p) {
                return name;
            }
        }
        win.initial_name.clone()
    }

    /// The layout as shown: a zoomed window shows one pane.
    pub fn visible_layout(&self, w: &super::state::Window) -> String {
        if w.zoomed {
            Layout::new(w.active, w.sx, w.sy).dump()
        } else {
            w.layout.dump()
        }
    }

    /// The shell that runs pane commands.
    pub fn shell(&self, s: Option<SessionId>) -> String {
        let opt = self
            .session_opt(s, "default-shell")
            .map(|v| v.as_str().to_string())
            .unwrap_or_default();
        let candidates = [opt, self.env.value("SHELL").unwrap_or("").to_string()];
        candidates
            .into_iter()
            .find(|sh| {
                !sh.is_empty()
                    && nix::unistd::access(sh.as_str(), nix::unistd::AccessFlags::X_OK).is_ok()
            })
            .unwrap_or_else(|| "/bin/sh".to_string())
    }

    /// default-terminal when none is set: tmux's own entry if terminfo has
    /// it, else screen's.
    pub fn auto_terminal() -> String {
        let has_tmux_entry = ["/usr/share/terminfo", "/lib/terminfo", "/etc/terminfo"]
            .iter()
            .any(|d| std::path::Path::new(d).join("t/tmux-256color").exists());
        if has_tmux_entry {
            "tmux-256color"
        } else {
            "screen-256color"
        }
        .to_string()
    }

    fn default_terminal(&self) -> String {
        let set = self
            .server_options
            .get("default-terminal")
            .map(|v| v.as_str().to_string())
            .unwrap_or_default();
        if !set.is_empty() {
            return set;
        }
        Self::auto_terminal()
    }

    /// The working directory for a new pane: -c (a format), else the
    /// client's when it is not attached, else the session's.
    pub fn spawn_cwd(
        &self,
        io: &Io,
        s: SessionId,
        cwd: Option<&str>,
        at: Option<&Found>,
    ) -> String {
        let session_cwd = self.sessions.get(&s).map(|x| x.cwd.clone());
        let base = io
            .caller
            .cwd
            .clone()
            .filter(|_| io.caller.attached.is_none())
            .or(session_cwd)
            .or_else(|| self.env.value("HOME").map(str::to_string))
            .unwrap_or_else(|| "/".to_string());
        let Some(c) = cwd else { return base };
        let c = commands::format::expand(c, &super::formats::Ctx::new(self, at));
        let c = match c.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                format!("{}{rest}", self.env.value("HOME").unwrap_or(""))
            }
            _ => c,
        };
        if c.starts_with('/') {
            c
        } else {
            format!("{base}/{c}")
        }
    }

    /// Starts a program for pane `id` of window `w` in session `s`.
    #[allow(clippy::too_many_arguments)]
    pub fn start_pane(
        &mut self,
        io: &Io,
        id: PaneId,
        s: SessionId,
        spec: &SpawnSpec,
        cwd: &str,
        cols: u32,
        rows: u32,
    ) -> CmdResult<(PaneIo, String)> {
        let shell = self.shell(Some(s));
        let default_command = self
            .session_opt(Some(s), "default-command")
            .map(|v| v.as_str().to_string())
            .unwrap_or_default();
        let (argv, login, start_command) = match spec.command.as_slice() {
            [] if default_command.is_empty() => (vec![shell.clone()], true, String::new()),
            [] => (
                vec![shell.clone(), "-c".into(), default_command.clone()],
                false,
                default_command,
            ),
            [one] => (
                vec![shell.clone(), "-c".into(), one.clone()],
                false,
                escape(one),
            ),
            many => (
                many.to_vec(),
                false,
                many.iter().map(|a| escape(a)).collect::<Vec<_>>().join(" "),
            ),
        };

        let mut env = self.env.clone();
        if let Some(sess) = self.sessions.get(&s) {
            env.overlay(&sess.env);
        }
        for kv in &spec.env {
            if let Some((k, v)) = kv.split_once('=') {
                env.set(k, v);
            }
        }
        // A command-line client's PATH wins, so `agmux new prog` finds prog.
        if io.caller.attached.is_none()
            && let Some(path) = io.caller.env("PATH")
        {
            env.set("PATH", path);
        }
        if env.value("PATH").is_none() {
            env.set("PATH", "/usr/local/bin:/usr/bin:/bin");
        }
        env.set("TERM", &self.default_terminal());
        env.set("SHELL", &shell);
        let flavor = self.info.flavor;
        let socket = self.info.socket.display().to_string();
        let here = format!("{socket},{},{}", self.info.pid, s.0);
        env.set("AGMUX", &here);
        // A popup's program is in no pane.
        let pane_var = (id != super::popup::POPUP_PANE).then(|| id.to_string());
        if let Some(p) = &pane_var {
            env.set("AGMUX_PANE", p);
        }
        if flavor == Flavor::Tmux {
            env.set("TMUX", &here);
            if let Some(p) = &pane_var {
                env.set("TMUX_PANE", p);
            }
            env.set("TERM_PROGRAM", "tmux");
            env.set("TERM_PROGRAM_VERSION", "3.3a");
        } else {
            env.set("TERM_PROGRAM", "agmux");
            env.set("TERM_PROGRAM_VERSION", env!("CARGO_PKG_VERSION"));
        }
        let spawn = Spawn {
            argv,
            login,
            cwd: cwd.to_string(),
            env: env
                .pairs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            cols: cols.clamp(1, u16::MAX as u32) as u16,
            rows: rows.clamp(1, u16::MAX as u32) as u16,
            history: self.history_limit(Some(s)),
        };
        self.next_run += 1;
        let run = super::PaneRef {
            id,
            run: self.next_run,
        };
        let pio = PaneIo::spawn(run, spawn, self.events.clone()).map_err(commands::CmdError)?;
        // The new program's name shows once it has started (or exec'd from
        // the shell), even if it prints nothing to cause a redraw: look
        // again shortly, and once more in case the machine is slow.
        let events = self.events.clone();
        tokio::spawn(async move {
            for ms in [200, 800] {
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                let _ = events.send(super::Event::StatusTick);
            }
        });
        Ok((pio, start_command))
    }

    /// Makes a pane struct for a started program.
    pub fn new_pane(
        &mut self,
        id: PaneId,
        w: WindowId,
        io: PaneIo,
        start_command: String,
        cwd: String,
    ) {
        self.active_counter += 1;
        let data = serde_json::json!({"pane": id.to_string(), "window": w.to_string()});
        let s = self.window_session(w);
        self.mux_event("pane-created", s, &id.to_string(), data);
        let pane = Pane {
            id,
            search_string: String::new(),
            window: w,
            xoff: 0,
            yoff: 0,
            sx: 0,
            sy: 0,
            io,
            command: Vec::new(),
            start_command,
            start_path: cwd,
            options: Options::default(),
            active_point: self.active_counter,
            exit_status: None,
            eof: false,
            dead: false,
            dead_time: 0,
            drawn: Default::default(),
            program_name: Default::default(),
            mode: None,
            owner: None,
            input: Default::default(),
        };
        // Control clients hear every pane's output.
        if !self.control.is_empty() {
            pane.io.shared.tap(true);
        }
        self.panes.insert(id, pane);
    }

    /// The window's pane-border-status.
    pub fn border_status(&self, w: WindowId) -> super::layout::Border {
        match self.window_opt(w, "pane-border-status").map(Value::as_str) {
            Some("top") => super::layout::Border::Top,
            Some("bottom") => super::layout::Border::Bottom,
            _ => super::layout::Border::Off,
        }
    }

    pub fn main_sizes(&self, w: WindowId) -> MainSizes {
        let num = |name: &str| {
            self.window_opt(w, name)
                .map(Value::as_num)
                .unwrap_or(0)
                .max(0) as u32
        };
        MainSizes {
            main_width: num("main-pane-width"),
            main_height: num("main-pane-height"),
            other_width: num("other-pane-width"),
            other_height: num("other-pane-height"),
        }
    }

    /// Gives every pane of a window its place from the layout (or the whole
    /// window when zoomed) and resizes the terminals that changed.
    pub fn apply_layout(&mut self, w: WindowId) {
        let Some(win) = self.windows.get(&w) else {
            return;
        };
        let geoms = if win.zoomed {
            vec![super::layout::Geom {
                pane: win.active,
                xoff: 0,
                yoff: 0,
                sx: win.sx,
                sy: win.sy,
            }]
        } else {
            win.layout.geometry_with(self.border_status(w))
        };
        let mut resized_panes = Vec::new();
        for g in geoms {
            if let Some(p) = self.panes.get_mut(&g.pane) {
                let resized = p.sx != g.sx || p.sy != g.sy;
                p.xoff = g.xoff;
                p.yoff = g.yoff;
                p.sx = g.sx;
                p.sy = g.sy;
                if resized {
                    resized_panes.push(g.pane);
                    p.io.resize(g.sx as u16, g.sy as u16);
                    if let Some(super::state::PaneMode::View(v)) = &p.mode {
                        let mut emu = v.emu.lock().unwrap_or_else(|e| e.into_inner());
                        emu.resize(g.sx.max(1) as u16, g.sy.max(1) as u16);
                    }
                }
            }
        }
        for p in resized_panes {
            self.screen_changed(p);
        }
        self.layout_changed(w);
    }

    /// window-layout-changed, when what the window shows is laid out
    /// otherwise than last reported (tmux reports splits, closes,
    /// resizes and select-layout, not a window's first layout).
    fn layout_changed(&mut self, w: WindowId) {
        let Some(win) = self.windows.get(&w) else {
            return;
        };
        let now = self.visible_layout(win);
        if now == win.reported_layout {
            return;
        }
        let first = win.reported_layout.is_empty();
        if let Some(win) = self.windows.get_mut(&w) {
            win.reported_layout = now;
        }
        if !first {
            let at = self.hook_at(self.found_window_id(w));
            self.notify("window-layout-changed", at);
        }
    }

    /// Changes a window's active pane, remembering the previous one.
    pub fn set_active_pane(&mut self, w: WindowId, p: PaneId) {
        let Some(win) = self.windows.get_mut(&w) else {
            return;
        };
        if win.active != p {
            let old = win.active;
            win.last_panes.retain(|x| *x != p && *x != old);
            // The old pane may just have moved to another window.
            if win.panes.contains(&old) {
                win.last_panes.insert(0, old);
            }
            win.active = p;
            let at = self.hook_at_pane(p);
            self.notify("window-pane-changed", at);
        }
        self.mark_active(p);
    }

    /// Removes a pane: its program is hung up and its space given back.
    pub fn destroy_pane(&mut self, p: PaneId) {
        let s = self.found_pane(p).map(|f| f.session);
        self.unlink_pane(p);
        if let Some(pane) = self.panes.remove(&p) {
            pane.io.kill();
            self.pane_closed_event(p, s);
        }
    }

    fn pane_closed_event(&mut self, p: PaneId, s: Option<SessionId>) {
        let data = serde_json::json!({"pane": p.to_string()});
        self.mux_event("pane-closed", s, &p.to_string(), data);
        self.screen_closed(p);
        self.teammate_pane_closed(p);
    }

    pub(super) fn window_closed_event(
        &mut self,
        w: WindowId,
        s: Option<SessionId>,
        panes: &[PaneId],
    ) {
        self.alerts.retain(|(_, win), _| *win != w);
        self.silence.remove(&w);
        for p in panes {
            self.pane_closed_event(*p, s);
        }
        let session = s.map(|s| s.to_string()).unwrap_or_default();
        let data = serde_json::json!({"window": w.to_string(), "session": session});
        self.mux_event("window-closed", s, &w.to_string(), data);
    }

    /// Takes a pane out of its window, its space given back, its program
    /// left running. The window goes when this was its last pane.
    pub fn unlink_pane(&mut self, p: PaneId) {
        let Some(w) = self.panes.get(&p).map(|x| x.window) else {
            return;
        };
        let Some(win) = self.windows.get_mut(&w) else {
            return;
        };
        let pos = win.panes.iter().position(|x| *x == p).unwrap_or(0);
        win.panes.retain(|x| *x != p);
        win.last_panes.retain(|x| *x != p);
        if win.panes.is_empty() {
            self.destroy_window(w);
            return;
        }
        win.layout.remove(p);
        let was_active = win.active == p;
        if was_active {
            win.zoomed = false;
            win.active = win
                .last_panes
                .first()
                .copied()
                .or_else(|| pos.checked_sub(1).and_then(|i| win.panes.get(i).copied()))
                .unwrap_or(win.panes[0]);
            win.last_panes.retain(|x| *x != win.active);
        }
        let active = win.active;
        self.mark_active(active);
        self.apply_layout(w);
        if was_active {
            let at = self.hook_at_pane(active);
            self.notify("window-pane-changed", at);
        }
    }

    /// kill-window: removes a window and its panes from every session
    /// that links it.
    pub fn destroy_window(&mut self, w: WindowId) {
        let Some(win) = self.windows.remove(&w) else {
            return;
        };
        for p in &win.panes {
            if let Some(pane) = self.panes.remove(p) {
                pane.io.kill();
            }
        }
        let links = self.window_links(w);
        self.window_closed_event(w, links.first().map(|(s, _)| *s), &win.panes);
        let mut renumber = Vec::new();
        // Session by session in name order, as tmux's server_kill_window.
        let first = |st: &Self| {
            st.window_links(w).into_iter().min_by(|a, b| {
                let name = |s| st.sessions.get(s).map(|x| x.name.as_str());
                name(&a.0).cmp(&name(&b.0))
            })
        };
        while let Some((s, index)) = first(self) {
            if self.unlink_window_index(s, index) {
                renumber.push(s);
            }
        }
        renumber.dedup();
        for s in renumber {
            self.renumber_if_wanted(s);
        }
    }

    fn window_unlinked(&mut self, s: SessionId, w: WindowId) {
        let at = self.unlinked_at(s, w);
        self.notify("window-unlinked", at);
    }

    /// Removes index `index` from a session whose window there went away or
    /// moved: another window becomes current, and the session ends with its
    /// last window.
    pub fn forget_window_index(&mut self, s: SessionId, index: u32) {
        if self.unlink_window_index(s, index) {
            self.renumber_if_wanted(s);
        }
    }

    /// Session `s` has a new current window: its alerts are seen, and the
    /// session-window-changed hook fires, as tmux's session_set_current.
    pub fn session_window_changed(&mut self, s: SessionId) {
        self.current_window_seen(s);
        let at = self.hook_at_session(s);
        self.notify("session-window-changed", at);
    }

    /// Removes index `index` from a session, choosing another current
    /// window if it was the current one, and reports the window unlinked;
    /// the rest of its group follows. False if that ended the session.
    pub fn unlink_window_index(&mut self, s: SessionId, index: u32) -> bool {
        let alive = self.unlink_one_index(s, index);
        // A session left empty has gone, and left its group, before the
        // group could follow: as in tmux, the others keep the window.
        if alive {
            self.sync_group_from(s);
        }
        alive
    }

    fn unlink_one_index(&mut self, s: SessionId, index: u32) -> bool {
        let Some(sess) = self.sessions.get_mut(&s) else {
            return false;
        };
        let Some(w) = sess.windows.remove(&index) else {
            return true;
        };
        sess.last.retain(|i| *i != index);
        let empty = sess.windows.is_empty();
        self.note_unlink(w, s);
        // As tmux's session_detach: a new current window, then the
        // report, then the end of a session left empty.
        if empty {
            self.window_unlinked(s, w);
            self.destroy_session(s);
            return false;
        }
        let Some(sess) = self.sessions.get_mut(&s) else {
            return false;
        };
        if sess.current == index {
            let pick = super::links::pick_current(&sess.last, &sess.windows, index).unwrap_or(0);
            sess.last.retain(|i| *i != pick);
            sess.current = pick;
            self.session_window_changed(s);
        }
        self.window_unlinked(s, w);
        true
    }

    /// Renumbers a session's windows from base-index, keeping their order.
    pub fn renumber(&mut self, s: SessionId) {
        let base = self
            .session_opt(Some(s), "base-index")
            .map(Value::as_num)
            .unwrap_or(0) as u32;
        let Some(sess) = self.sessions.get_mut(&s) else {
            return;
        };
        let old: Vec<(u32, WindowId)> = sess.windows.iter().map(|(i, w)| (*i, *w)).collect();
        let map: Vec<(u32, u32)> = old
            .iter()
            .enumerate()
            .map(|(n, (i, _))| (*i, base + n as u32))
            .collect();
        let renum = |i: u32| {
            map.iter()
                .find(|(o, _)| *o == i)
                .map(|(_, n)| *n)
                .unwrap_or(i)
        };
        sess.windows = old.iter().map(|(i, w)| (renum(*i), *w)).collect();
        sess.current = renum(sess.current);
        sess.last = sess.last.iter().map(|i| renum(*i)).collect();
    }

    pub fn destroy_session(&mut self, s: SessionId) {
        let Some(sess) = self.sessions.remove(&s) else {
            return;
        };
        // tmux reports the session closed, then its windows unlinked.
        let at = super::hooks::HookAt {
            session: Some(s),
            session_name: Some(sess.name.clone()),
            ..Default::default()
        };
        self.notify("session-closed", at);
        self.leave_group(s);
        for w in sess.windows.values() {
            // A window linked elsewhere stays there.
            self.note_unlink(*w, s);
            if let Some(win) = self.windows.get(w)
                && self.window_links(*w).is_empty()
            {
                let panes = win.panes.clone();
                self.windows.remove(w);
                for p in &panes {
                    if let Some(pane) = self.panes.remove(p) {
                        pane.io.kill();
                    }
                }
                self.window_closed_event(*w, Some(s), &panes);
            }
            self.window_unlinked(s, *w);
        }
        let data = serde_json::json!({"session": s.to_string(), "name": sess.name});
        self.mux_event("session-closed", Some(s), &sess.name, data);
        self.agent_session_gone(s);
    }

    /// The program in a pane exited: keep the pane (remain-on-exit) or
    /// remove it.
    pub fn pane_exited(&mut self, p: PaneId) {
        let status = self.panes.get(&p).and_then(|x| x.exit_status).unwrap_or(0);
        let s = self.found_pane(p).map(|f| f.session);
        let data = serde_json::json!({"pane": p.to_string(), "status": status});
        self.mux_event("pane-exited", s, &format!("{p} status {status}"), data);
        self.agent_pane_exited(p, status);
        let remain = self
            .pane_opt(p, "remain-on-exit")
            .map(|v| v.as_str().to_string())
            .unwrap_or_default();
        let keep = remain == "on" || (remain == "failed" && status != 0);
        let at = self.hook_at_pane(p);
        self.notify(if keep { "pane-died" } else { "pane-exited" }, at);
        if !keep {
            self.destroy_pane(p);
            return;
        }
        let Some(pane) = self.panes.get_mut(&p) else {
            return;
        };
        pane.dead = true;
        pane.dead_time = now_micros() / 1_000_000;
        pane.io.stop_reader();
        let now = now_micros() as i64 / 1_000_000;
        let what = if status > 128 {
            format!("signal {}", status - 128)
        } else {
            format!("status {status}")
        };
        let msg = format!(
            "\x1b[{};1H\r\nPane is dead ({what}, {})",
            pane.sy.max(1),
            commands::format::ctime(now)
        );
        pane.io.shared.emu().process(msg.as_bytes());
    }

    /// The first free window index from base-index.
    pub fn free_index(&self, s: SessionId) -> u32 {
        let base = self
            .session_opt(Some(s), "base-index")
            .map(Value::as_num)
            .unwrap_or(0) as u32;
        let Some(sess) = self.sessions.get(&s) else {
            return base;
        };
        (base..)
            .find(|i| !sess.windows.contains_key(i))
            .unwrap_or(base)
    }

    /// The size of a new session's window: -x/-y, else default-size.
    pub fn default_size(&self) -> (u32, u32) {
        let v = self
            .session_options
            .get("default-size")
            .map(|v| v.as_str().to_string())
            .unwrap_or_default();
        v.split_once('x')
            .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
            .filter(|(w, h): &(u32, u32)| *w > 0 && *h > 0)
            .unwrap_or((80, 24))
    }

    pub fn check_pane_alive_or_kill(&mut self, p: PaneId, kill: bool) -> CmdResult {
        match self.panes.get(&p) {
            Some(pane) if !pane.dead && !kill => {
                let at = self.found_pane(p);
                let ctx = super::formats::Ctx::new(self, at.as_ref());
                let name =
                    commands::format::expand("#{session_name}:#{window_index}.#{pane_index}", &ctx);
                bail!("respawn pane failed: pane {name} still active")
            }
            Some(_) => Ok(()),
            None => bail!("can't find pane: {p}"),
        }
    }
}
