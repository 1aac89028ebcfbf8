//! The server side of every command: `impl Host for State`.

use super::Event;
use super::copy::{CopyMode, Outcome};
use super::formats::{self, Ctx};
use super::layout::{Dir, Layout, PRESETS};
use super::pane::now_micros;
use super::state::{Job, JobStart, PaneMode, Session, State, Window};
use commands::bindings::KeyTables;
use commands::environ::Environ;
use commands::host::ClientView;
use commands::host::{
    CaptureLine, CaptureSpec, Direction, EnvScope, GroupWith, Io, JobResult, JobSpec, JobThen,
    MouseDrag, MouseTarget, NewSessionSpec, NewWindowSpec, OptionScope, PanePlace, Resize,
    SpawnSpec, SplitSize, SplitSpec, TreeSpec, WaitMode, WindowPlace,
};
use commands::keys::InputModes;
use commands::options::{Options, Value};
use commands::{
    CmdError, CmdResult, Flow, Found, Host, PaneId, SessionId, TargetKind, WindowId, bail,
};

fn basename(s: &str) -> String {
    s.rsplit('/').next().unwrap_or(s).to_string()
}

impl State {
    /// Creates a window with one pane at `index` of session `s`.
    fn create_window(
        &mut self,
        io: &Io,
        s: SessionId,
        index: u32,
        name: Option<String>,
        spawn: &SpawnSpec,
        size: (u32, u32),
    ) -> CmdResult<Found> {
        let pid = PaneId(self.next_pane);
        let at = self.found_session(s);
        let cwd = self.spawn_cwd(io, s, spawn.cwd.as_deref(), at.as_ref());
        let (sx, sy) = size;
        let (pio, start) = self.start_pane(io, pid, s, spawn, &cwd, sx, sy)?;
        self.next_pane += 1;
        let initial_name = match spawn.command.as_slice() {
            [first, _, ..] => basename(first),
            _ => basename(&self.shell(Some(s))),
        };
        self.new_pane(pid, WindowId(self.next_window), pio, start, cwd);
        self.own_pane(io, pid);
        if let Some(p) = self.panes.get_mut(&pid) {
            p.command = spawn.command.clone();
        }
        let f = self.insert_window(s, index, pid, name, initial_name, size);
        self.pane_program_started(io, pid);
        Ok(f)
    }

    /// The index for a new window of session `s`, making room for it
    /// (after/before moves later windows up; `kill` replaces a window).
    pub(super) fn place_window(&mut self, s: SessionId, place: WindowPlace) -> CmdResult<u32> {
        let exists = |st: &State, i: u32| {
            st.sessions
                .get(&s)
                .is_some_and(|x| x.windows.contains_key(&i))
        };
        let index = match place {
            WindowPlace::Free => self.free_index(s),
            WindowPlace::At { index, kill } => {
                if exists(self, index) {
                    if !kill {
                        bail!("create window failed: index {index} in use");
                    }
                    if let Some(w) = self
                        .sessions
                        .get(&s)
                        .and_then(|x| x.windows.get(&index))
                        .copied()
                    {
                        // Replace the window without ending the session;
                        // linked elsewhere, it stays there.
                        if let Some(sess) = self.sessions.get_mut(&s) {
                            sess.windows.remove(&index);
                        }
                        self.note_unlink(w, s);
                        self.discard_if_unlinked(w);
                    }
                }
                index
            }
            WindowPlace::After(i) => {
                if exists(self, i + 1) {
                    self.shuffle_up(s, i + 1);
                }
                i + 1
            }
            WindowPlace::Before(i) => {
                if exists(self, i) {
                    self.shuffle_up(s, i);
                }
                i
            }
        };
        Ok(index)
    }

    /// Makes a window at `index` of session `s` around an existing pane.
    pub(super) fn insert_window(
        &mut self,
        s: SessionId,
        index: u32,
        pid: PaneId,
        name: Option<String>,
        initial_name: String,
        (sx, sy): (u32, u32),
    ) -> Found {
        let wid = WindowId(self.next_window);
        self.next_window += 1;
        if let Some(p) = self.panes.get_mut(&pid) {
            p.window = wid;
        }
        let shown = name.clone().unwrap_or_else(|| initial_name.clone());
        let window = Window {
            id: wid,
            link_order: vec![s],
            name,
            initial_name,
            panes: vec![pid],
            active: pid,
            last_panes: Vec::new(),
            layout: Layout::new(pid, sx, sy),
            sx,
            sy,
            zoomed: false,
            options: Options::default(),
            created: now_micros() / 1_000_000,
            preset: None,
            reported_layout: String::new(),
        };

        self.windows.insert(wid, window);
        if let Some(sess) = self.sessions.get_mut(&s) {
            sess.windows.insert(index, wid);
        }
        let data = serde_json::json!({
            "window": wid.to_string(), "session": s.to_string(), "index": index, "name": shown,
        });
        self.mux_event("window-created", Some(s), &shown, data);
        self.apply_layout(wid);
        Found {
            session: s,
            index,
            window: wid,
            pane: pid,
        }
    }

    /// Moves windows at `index` and above up by one, to the first gap.
    fn shuffle_up(&mut self, s: SessionId, index: u32) {
        let Some(sess) = self.sessions.get_mut(&s) else {
            return;
        };
        let Some(gap) = (index..).find(|i| !sess.windows.contains_key(i)) else {
            return;
        };
        for i in (index..gap).rev() {
            if let Some(w) = sess.windows.remove(&i) {
                sess.windows.insert(i + 1, w);
            }
            if sess.current == i {
                sess.current = i + 1;
            }
            for l in sess.last.iter_mut() {
                if *l == i {
                    *l = i + 1;
                }
            }
        }
    }

    pub(super) fn unzoom(&mut self, w: WindowId) {
        if let Some(win) = self.windows.get_mut(&w)
            && win.zoomed
        {
            win.zoomed = false;
            self.apply_layout(w);
        }
    }

    fn apply_new_layout(&mut self, w: WindowId, mut layout: Layout, preset: Option<usize>) {
        let Some(win) = self.windows.get_mut(&w) else {
            return;
        };
        if layout.size() != (win.sx, win.sy) {
            layout.resize(win.sx, win.sy);
        }
        win.layout = layout;
        win.zoomed = false;
        if preset.is_some() {
            win.preset = preset;
        }
        self.apply_layout(w);
    }

    fn apply_preset(&mut self, w: WindowId, i: usize) -> CmdResult {
        let Some(win) = self.windows.get(&w) else {
            bail!("can't find window: {w}");
        };
        let sizes = self.main_sizes(w);
        let Some(layout) = Layout::preset(PRESETS[i], &win.panes, win.sx, win.sy, sizes) else {
            bail!("invalid layout: {}", PRESETS[i]);
        };
        self.apply_new_layout(w, layout, Some(i));
        Ok(())
    }

    pub(super) fn job_env(&self, at: Option<&Found>) -> Environ {
        let mut env = self.env.clone();
        if let Some(sess) = at.and_then(|f| self.sessions.get(&f.session)) {
            env.overlay(&sess.env);
            let here = format!(
                "{},{},{}",
                self.info.socket.display(),
                self.info.pid,
                sess.id.0
            );
            env.set(self.info.flavor.env_var(), &here);
        }
        env
    }
}

impl Host for State {
    fn marked(&self) -> Option<Found> {
        self.marked_found()
    }

    fn set_marked(&mut self, f: Option<Found>) {
        State::set_marked(self, f)
    }

    fn find(&mut self, io: &Io, target: Option<&str>, kind: TargetKind) -> CmdResult<Found> {
        let f = self.resolve(io, target, kind)?;
        self.check_reach(io, &f)?;
        self.last_found = Some(f);
        Ok(f)
    }

    fn find_index(&mut self, io: &Io, target: Option<&str>) -> CmdResult<(SessionId, Option<u32>)> {
        let (s, index) = self.resolve_index(io, target)?;
        if let Some(f) = self.session_found(s) {
            self.check_reach(io, &f)?;
        }
        Ok((s, index))
    }

    fn session_named(&self, name: &str) -> Option<SessionId> {
        self.sessions
            .values()
            .find(|s| s.name == name)
            .map(|s| s.id)
    }

    fn sessions(&self) -> Vec<SessionId> {
        let mut v: Vec<&Session> = self.sessions.values().collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v.into_iter().map(|s| s.id).collect()
    }

    fn windows(&self, s: SessionId) -> Vec<(u32, WindowId)> {
        self.sessions
            .get(&s)
            .map(|s| s.windows.iter().map(|(i, w)| (*i, *w)).collect())
            .unwrap_or_default()
    }

    fn panes(&self, w: WindowId) -> Vec<PaneId> {
        self.windows
            .get(&w)
            .map(|w| w.panes.clone())
            .unwrap_or_default()
    }

    fn session_found(&self, s: SessionId) -> Option<Found> {
        self.found_session(s)
    }

    fn window_found(&self, s: SessionId, index: u32) -> Option<Found> {
        self.found_window(s, index)
    }

    fn pane_found(&self, p: PaneId) -> Option<Found> {
        self.found_pane(p)
    }

    fn expand(&self, io: &Io, fmt: &str, at: Option<&Found>) -> String {
        commands::format::expand(fmt, &self.caller_ctx(io, at))
    }

    fn expand_as(
        &self,
        io: &Io,
        fmt: &str,
        at: Option<&Found>,
        kind: commands::format::Loop,
    ) -> String {
        let mut ctx = self.caller_ctx(io, at);
        if at.is_some() {
            ctx.kind = Some(kind);
        }
        commands::format::expand(fmt, &ctx)
    }

    fn expand_traced(&self, io: &Io, fmt: &str, at: Option<&Found>) -> (String, Vec<String>) {
        commands::format::expand_traced(fmt, &self.caller_ctx(io, at))
    }

    fn format_variables(&self, io: &Io, at: Option<&Found>) -> Vec<(String, String)> {
        use commands::format::Lookup;
        let ctx = self.caller_ctx(io, at);
        formats::names()
            .into_iter()
            .filter_map(|n| ctx.var(n).map(|v| (n.to_string(), v)))
            .collect()
    }

    fn run_hook(&mut self, _io: &Io, hook: &str, scope: OptionScope) {
        self.run_hook_now(hook, scope);
    }

    fn show_message(&mut self, io: &Io, text: &str) {
        // The caller's status line; a command-line client has none (nor
        // has a control client), and then there is nowhere to show it, as
        // in tmux.
        if let Some(c) = io.caller.client {
            self.message(c, text);
        }
    }

    fn message_log(&self) -> Vec<(i64, String)> {
        self.logged()
            .into_iter()
            .map(|e| (e.time, e.text))
            .collect()
    }

    fn new_session(&mut self, io: &Io, spec: NewSessionSpec) -> CmdResult<Found> {
        // new-session -t: the group joined, and the name prefix an unnamed
        // session takes from it, as tmux's cmd-new-session.
        let (group, prefix) = match &spec.group {
            None => (None, None),
            Some(GroupWith::Session(with)) => match self.group_of(*with) {
                Some(g) => (Some((g.to_string(), None)), Some(g.to_string())),
                None => {
                    let name = self.sessions.get(with).map(|x| x.name.clone());
                    let name = name.unwrap_or_default();
                    (Some((name.clone(), Some(*with))), Some(name))
                }
            },
            Some(GroupWith::Name(g)) => (Some((g.clone(), None)), Some(g.clone())),
        };
        // As tmux's session_create: an unnamed session takes the next id
        // whose name is free.
        let mut id = SessionId(self.next_session);
        let name = match spec.name {
            Some(n) => n,
            None => loop {
                let n = match &prefix {
                    Some(p) => format!("{p}-{}", id.0),
                    None => id.0.to_string(),
                };
                if self.session_named(&n).is_none() {
                    break n;
                }
                id.0 += 1;
            },
        };
        let (dx, dy) = self.default_size();
        let size = match spec.size {
            Some((w, h)) => (
                if w == 0 { dx } else { w as u32 },
                if h == 0 { dy } else { h as u32 },
            ),
            None => (dx, dy),
        };
        let mut env = Environ::default();
        if let Some(Value::Array(vars)) = self.session_options.get("update-environment") {
            for var in vars {
                match io.caller.env(var) {
                    Some(v) => env.set(var, v),
                    None => env.clear(var),
                }
            }
        }
        for kv in &spec.spawn.env {
            if let Some((k, v)) = kv.split_once('=') {
                env.set(k, v);
            }
        }
        let cwd = self.spawn_cwd(io, id, spec.spawn.cwd.as_deref(), None);
        let now = now_micros();
        self.sessions.insert(
            id,
            Session {
                id,
                name,
                created: now / 1_000_000,
                activity: now,
                windows: Default::default(),
                current: 0,
                last: Vec::new(),
                options: Options::default(),
                env,
                cwd: cwd.clone(),
            },
        );
        let index = self.free_index(id);
        if let Some(sess) = self.sessions.get_mut(&id) {
            sess.current = index;
            // As tmux: a size given is the session's default-size from now
            // on (resize-window -a/-A fall back to it).
            if spec.size.is_some() {
                let (w, h) = size;
                sess.options
                    .set("default-size", Value::Str(format!("{w}x{h}")));
            }
        }
        let spawn = SpawnSpec {
            command: spec.spawn.command,
            cwd: Some(cwd),
            env: Vec::new(),
        };
        match self.create_window(io, id, index, spec.window_name, &spawn, size) {
            Ok(mut f) => {
                self.next_session = id.0 + 1;
                let linked = self.hook_at(Some(f));
                self.notify("window-linked", linked);
                if let Some((g, with)) = group {
                    // The session's own window gives way to the group's,
                    // as in tmux (its ids stay used).
                    if let Some(with) = with {
                        self.join_group(&g, with);
                    }
                    self.join_group(&g, id);
                    self.sync_group_to(id);
                    let first = self.sessions.get(&id).and_then(|x| x.windows.keys().next());
                    if let Some(first) = first.copied() {
                        let _ = Host::select_window(self, id, first);
                    }
                    if let Some(found) = self.session_found(id) {
                        f = found;
                    }
                }
                let name = self
                    .sessions
                    .get(&id)
                    .map(|x| x.name.clone())
                    .unwrap_or_default();
                let data = serde_json::json!({"session": id.to_string(), "name": name});
                self.mux_event("session-created", Some(id), &name, data);
                let at = self.hook_at(Some(f));
                self.notify("session-created", at);
                self.show_config_errors(id);
                Ok(f)
            }
            Err(e) => {
                self.sessions.remove(&id);
                Err(e)
            }
        }
    }

    fn kill_session(&mut self, s: SessionId) {
        self.destroy_session(s);
    }

    fn rename_session(&mut self, s: SessionId, name: &str) -> CmdResult {
        match self.sessions.get_mut(&s) {
            Some(sess) => {
                let old = std::mem::replace(&mut sess.name, name.to_string());
                self.agent_session_renamed(s, name);
                let data = serde_json::json!({"session": s.to_string(), "name": name, "old": old});
                self.mux_event("session-renamed", Some(s), name, data);
                let at = self.hook_at_session(s);
                self.notify("session-renamed", at);
                Ok(())
            }
            None => bail!("can't find session: {s}"),
        }
    }

    fn set_session_cwd(&mut self, s: SessionId, cwd: &str) {
        if let Some(sess) = self.sessions.get_mut(&s) {
            sess.cwd = cwd.to_string();
        }
    }

    fn kill_server(&mut self) {
        self.shutdown();
    }

    fn new_window(&mut self, io: &Io, s: SessionId, spec: NewWindowSpec) -> CmdResult<Found> {
        let index = self.place_window(s, spec.place)?;
        let size = self
            .found_session(s)
            .and_then(|f| self.windows.get(&f.window))
            .map(|w| (w.sx, w.sy))
            .unwrap_or_else(|| self.default_size());
        let had_current = self.found_session(s).is_some();
        let f = self.create_window(io, s, index, spec.name, &spec.spawn, size)?;
        if spec.select || !had_current {
            self.select_window(s, index)?;
        }
        // tmux reports the window linked after the session's change of
        // current window, and then the rest of the group takes it.
        let at = self.hook_at(Some(f));
        self.notify("window-linked", at);
        self.sync_group_from(s);
        Ok(f)
    }

    fn select_window(&mut self, s: SessionId, index: u32) -> CmdResult {
        let Some(sess) = self.sessions.get_mut(&s) else {
            bail!("can't find session: {s}");
        };
        if !sess.windows.contains_key(&index) {
            bail!("can't find window: {index}");
        }
        if sess.current != index {
            let old = sess.current;
            sess.last.retain(|i| *i != index && *i != old);
            if sess.windows.contains_key(&old) {
                sess.last.insert(0, old);
            }
            sess.current = index;
            self.session_window_changed(s);
        }
        // Unlike attaching or typing, selecting a window does not make its
        // session the most recently active one, as in tmux.
        Ok(())
    }

    fn last_window(&self, s: SessionId) -> Option<u32> {
        self.sessions.get(&s)?.last.first().copied()
    }

    fn kill_window(&mut self, w: WindowId) {
        self.destroy_window(w);
    }

    fn rename_window(&mut self, w: WindowId, name: &str) {
        let Some(win) = self.windows.get_mut(&w) else {
            return;
        };
        win.name = Some(name.to_string());
        let s = self.window_session(w);
        let session = s.map(|s| s.to_string()).unwrap_or_default();
        let data = serde_json::json!({"window": w.to_string(), "session": session, "name": name});
        self.mux_event("window-renamed", s, name, data);
        let at = self.hook_at(self.found_window_id(w));
        self.notify("window-renamed", at);
    }

    fn move_window(
        &mut self,
        src: &Found,
        s: SessionId,
        index: Option<u32>,
        kill: bool,
        select: bool,
        renumber_source: bool,
    ) -> CmdResult<Found> {
        self.move_window_to(src, s, index, kill, select, renumber_source)
    }

    fn link_window(
        &mut self,
        src: &Found,
        s: SessionId,
        index: Option<u32>,
        kill: bool,
        select: bool,
    ) -> CmdResult<Found> {
        let f = self.link_window_to(src, s, index, kill, select)?;
        self.resize_windows();
        Ok(f)
    }

    fn unlink_window(&mut self, at: &Found, kill: bool) -> CmdResult {
        if !kill && !self.linked_elsewhere(at.session, at.window) {
            bail!("window only linked to one session");
        }
        self.unlink_window_at(at.session, at.index);
        self.resize_windows();
        Ok(())
    }

    fn renumber_windows(&mut self, s: SessionId) {
        self.renumber(s);
        self.redraw_all();
    }

    fn shuffle_windows(&mut self, s: SessionId, index: u32) {
        if self
            .sessions
            .get(&s)
            .is_some_and(|x| x.windows.contains_key(&index))
        {
            self.shuffle_up(s, index);
        }
    }

    fn swap_windows(&mut self, src: &Found, dst: &Found, detached: bool) -> CmdResult {
        self.swap_window_places(src, dst, detached)
    }

    fn rotate_window(&mut self, w: WindowId, down: bool, keep_zoom: bool) -> CmdResult {
        self.rotate_panes(w, down, keep_zoom)
    }

    fn window_size(&self, w: WindowId) -> (u32, u32) {
        self.windows.get(&w).map_or((0, 0), |x| (x.sx, x.sy))
    }

    fn clients_size(&self, s: SessionId, largest: bool) -> (u32, u32) {
        self.session_clients_size(s, largest)
    }

    fn resize_window(&mut self, w: WindowId, sx: u32, sy: u32) -> CmdResult {
        self.set_window_size(w, sx, sy)
    }

    fn respawn_window(&mut self, io: &Io, at: &Found, spawn: SpawnSpec, kill: bool) -> CmdResult {
        self.respawn_window_at(io, at, spawn, kill)
    }

    fn split_window(&mut self, io: &Io, at: &Found, spec: SplitSpec) -> CmdResult<Found> {
        let new = PaneId(self.next_pane);
        let (sx, sy) = self.split_layout(at, &spec.place, new)?;
        let cwd = self.spawn_cwd(io, at.session, spec.spawn.cwd.as_deref(), Some(at));
        let (pio, start) = match self.start_pane(io, new, at.session, &spec.spawn, &cwd, sx, sy) {
            Ok(v) => v,
            Err(e) => {
                if let Some(win) = self.windows.get_mut(&at.window) {
                    win.layout.remove(new);
                }
                self.apply_layout(at.window);
                return Err(e);
            }
        };
        self.next_pane += 1;
        self.new_pane(new, at.window, pio, start, cwd);
        self.own_pane(io, new);
        if let Some(p) = self.panes.get_mut(&new) {
            p.command = spec.spawn.command.clone();
        }
        self.pane_program_started(io, new);
        self.list_pane(at, &spec.place, new);
        if spec.place.select {
            self.set_active_pane(at.window, new);
        }
        self.apply_layout(at.window);
        Ok(Found { pane: new, ..*at })
    }

    fn break_pane(
        &mut self,
        p: PaneId,
        s: SessionId,
        place: WindowPlace,
        name: Option<String>,
        select: bool,
    ) -> CmdResult<Found> {
        self.break_pane_to(p, s, place, name, select)
    }

    fn join_pane(&mut self, src: PaneId, at: &Found, place: PanePlace) -> CmdResult<Found> {
        self.join_pane_to(src, at, &place)
    }

    fn swap_panes(&mut self, src: PaneId, dst: PaneId, detached: bool) -> CmdResult {
        self.swap_pane_places(src, dst, detached)
    }

    fn kill_pane(&mut self, p: PaneId) {
        self.destroy_pane(p);
    }

    fn select_pane(&mut self, p: PaneId) {
        let Some(w) = self.panes.get(&p).map(|x| x.window) else {
            return;
        };
        if self
            .windows
            .get(&w)
            .is_some_and(|win| win.zoomed && win.active != p)
        {
            self.unzoom(w);
        }
        self.set_active_pane(w, p);
    }

    fn last_pane(&self, w: WindowId) -> Option<PaneId> {
        self.windows.get(&w)?.last_panes.first().copied()
    }

    fn neighbour(&self, p: PaneId, dir: Direction) -> Option<PaneId> {
        self.neighbour_of(p, dir)
    }

    fn set_control_size(&mut self, client: u64, cols: u16, rows: u16) -> CmdResult {
        match self.clients.get_mut(&client) {
            Some(c) if c.control.is_some() => {
                c.control = Some(Some((cols, rows)));
                c.cols = cols;
                c.rows = rows;
            }
            _ => bail!("not a control client"),
        }
        self.resize_windows();
        Ok(())
    }

    fn set_pane_input(&mut self, p: PaneId, on: bool) {
        if on {
            self.input_off.remove(&p);
        } else {
            self.input_off.insert(p);
        }
        self.redraw_all();
    }

    fn set_pane_title(&mut self, p: PaneId, title: &str) {
        if let Some(pane) = self.panes.get(&p) {
            pane.io.shared.emu().set_title(title);
        }
    }

    fn resize_pane(&mut self, p: PaneId, how: Resize) -> CmdResult {
        let Some(w) = self.panes.get(&p).map(|x| x.window) else {
            bail!("can't find pane: {p}");
        };
        if let Resize::ToggleZoom = how {
            if let Some(win) = self.windows.get_mut(&w) {
                if win.zoomed {
                    win.zoomed = false;
                } else if win.panes.len() > 1 {
                    win.zoomed = true;
                    if win.active != p {
                        self.set_active_pane(w, p);
                    }
                }
            }
            self.apply_layout(w);
            return Ok(());
        }
        self.unzoom(w);
        let Some(win) = self.windows.get_mut(&w) else {
            bail!("can't find window: {w}");
        };
        let (wsx, wsy) = (win.sx, win.sy);
        let cells = |s: SplitSize, whole: u32| match s {
            SplitSize::Cells(n) => n,
            SplitSize::Percent(pc) => whole * pc / 100,
        };
        match how {
            Resize::Adjust(dir, n) => {
                let (d, change) = match dir {
                    Direction::Left => (Dir::LeftRight, -(n as i64)),
                    Direction::Right => (Dir::LeftRight, n as i64),
                    Direction::Up => (Dir::TopBottom, -(n as i64)),
                    Direction::Down => (Dir::TopBottom, n as i64),
                };
                win.layout.resize_pane(p, d, change, true);
            }
            Resize::Width(s) => win.layout.resize_pane_to(p, Dir::LeftRight, cells(s, wsx)),
            Resize::Height(s) => win.layout.resize_pane_to(p, Dir::TopBottom, cells(s, wsy)),
            Resize::ToggleZoom => {}
        }
        self.apply_layout(w);
        Ok(())
    }

    fn select_layout(&mut self, w: WindowId, layout: &str) -> CmdResult {
        let before = self.windows.get(&w).map(|x| x.reported_layout.clone());
        self.select_layout_now(w, layout)?;
        // tmux reports select-layout even when nothing moved.
        if self.windows.get(&w).map(|x| x.reported_layout.clone()) == before {
            let at = self.hook_at(self.found_window_id(w));
            self.notify("window-layout-changed", at);
        }
        Ok(())
    }

    fn spread_layout(&mut self, w: WindowId, p: PaneId) -> CmdResult {
        let Some(win) = self.windows.get_mut(&w) else {
            bail!("can't find window: {w}");
        };
        if win.layout.spread_out(p) {
            self.apply_layout(w);
            self.redraw_window(w);
        }
        Ok(())
    }

    fn cycle_layout(&mut self, w: WindowId, forward: bool) -> CmdResult {
        let last = self.windows.get(&w).and_then(|x| x.preset);
        let n = PRESETS.len();
        let next = match (last, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.apply_preset(w, next)
    }

    fn write_pane(&mut self, p: PaneId, data: &[u8]) -> CmdResult {
        match self.panes.get(&p) {
            Some(pane) if !pane.dead => {
                self.type_into(p, data);
                Ok(())
            }
            Some(_) => Ok(()),
            None => bail!("can't find pane: {p}"),
        }
    }

    fn input_modes(&self, p: PaneId) -> InputModes {
        self.panes
            .get(&p)
            .map(|x| x.io.shared.emu().input_modes())
            .unwrap_or_default()
    }

    fn capture_pane(&self, p: PaneId, spec: CaptureSpec) -> CmdResult<String> {
        let Some(pane) = self.panes.get(&p) else {
            bail!("can't find pane: {p}");
        };
        let mut emu = pane.io.shared.emu();
        if spec.alternate && !emu.alternate_screen() {
            bail!("no alternate screen");
        }
        let hsize = emu.history_size() as i64;
        let rows = emu.size().1 as i64;
        let mut top = match spec.start {
            None => 0,
            Some(CaptureLine::Edge) => -hsize,
            Some(CaptureLine::At(n)) => n.max(-hsize).min(rows - 1),
        };
        let mut bottom = match spec.end {
            None | Some(CaptureLine::Edge) => rows - 1,
            Some(CaptureLine::At(n)) => n.max(-hsize).min(rows - 1),
        };
        if bottom < top {
            std::mem::swap(&mut top, &mut bottom);
        }
        let mut out = String::new();
        for y in top..=bottom {
            let Some(line) = emu.line(y) else { continue };
            if spec.escapes {
                out.push_str(&line.with_escapes(spec.trailing));
            } else {
                out.push_str(&line.plain(spec.trailing));
            }
            if !(spec.join && line.wrapped) {
                out.push('\n');
            }
        }
        Ok(out)
    }

    fn clear_history(&mut self, p: PaneId) {
        if let Some(pane) = self.panes.get(&p) {
            pane.io.shared.emu().clear_history();
        }
    }

    fn copy_mode(
        &mut self,
        p: PaneId,
        page_up: bool,
        exit_at_bottom: bool,
        cancel: bool,
    ) -> CmdResult {
        if !self.panes.contains_key(&p) {
            bail!("can't find pane: {p}");
        }
        let entering = self.panes.get(&p).is_some_and(|x| x.copy_mode().is_none());
        let vi = self.pane_vi_keys(p);
        if cancel || entering {
            self.leave_mode(p);
        }
        if let (false, Some(pane)) = (cancel, self.panes.get_mut(&p)) {
            if entering {
                let mode = CopyMode::new(&mut **pane.io.shared.emu());
                pane.mode = Some(PaneMode::Copy(mode));
            }
            if let Some((mode, mut emu)) = pane.copy_parts() {
                mode.vi = vi;
                mode.exit_at_bottom |= exit_at_bottom;
                if page_up {
                    mode.command(&mut **emu, "page-up", &[]).map_err(CmdError)?;
                }
            }
        }
        if entering && !cancel {
            self.mode_changed(p);
        }
        self.redraw_pane(p);
        Ok(())
    }

    fn choose_tree(&mut self, _io: &Io, p: PaneId, spec: TreeSpec) -> CmdResult {
        if !self.panes.contains_key(&p) {
            bail!("can't find pane: {p}");
        }
        self.enter_tree(p, spec);
        Ok(())
    }

    fn in_key_mode(&self, p: PaneId) -> bool {
        self.panes.get(&p).is_some_and(|x| x.tree_mode().is_some())
    }

    fn mode_key(&mut self, p: PaneId, key: commands::keys::Key) -> Option<String> {
        self.tree_input(p, key)
    }

    fn mode_table(&self, p: PaneId) -> Option<&'static str> {
        self.pane_mode_table(p)
    }

    fn copy_repeat(&mut self, p: PaneId, count: usize) -> CmdResult {
        let Some(pane) = self.panes.get_mut(&p) else {
            bail!("can't find pane: {p}");
        };
        if let Some((mode, _)) = pane.copy_parts() {
            mode.prefix = Some(count);
        }
        Ok(())
    }

    fn copy_command(&mut self, io: &Io, p: PaneId, name: &str, args: &[String]) -> CmdResult {
        // A typed repeat count runs the command that many times.
        let times = self
            .panes
            .get_mut(&p)
            .and_then(|x| x.copy_parts())
            .and_then(|(mode, _)| mode.prefix.take())
            .unwrap_or(1);
        for _ in 1..times {
            self.copy_command_once(io, p, name, args)?;
        }
        self.copy_command_once(io, p, name, args)
    }
    fn send_mouse(&mut self, p: PaneId, m: &MouseTarget) -> CmdResult {
        self.send_mouse_to(p, m)
    }

    fn mouse_drag(&mut self, client: u64, m: &MouseTarget, drag: MouseDrag) -> CmdResult {
        self.start_drag(client, m, drag)
    }

    fn respawn_pane(&mut self, io: &Io, p: PaneId, spawn: SpawnSpec, kill: bool) -> CmdResult {
        self.check_pane_alive_or_kill(p, kill)?;
        let Some(f) = self.found_pane(p) else {
            bail!("can't find pane: {p}");
        };
        let (sx, sy, old_command, old_path) = match self.panes.get(&p) {
            Some(x) => (x.sx, x.sy, x.command.clone(), x.start_path.clone()),
            None => bail!("can't find pane: {p}"),
        };
        let spec = SpawnSpec {
            command: if spawn.command.is_empty() {
                old_command
            } else {
                spawn.command
            },
            cwd: spawn.cwd.or(Some(old_path)),
            env: spawn.env,
        };
        let cwd = self.spawn_cwd(io, f.session, spec.cwd.as_deref(), Some(&f));
        // The title is the pane's, not its program's: it outlives a
        // respawn (Claude Code's teams name their panes, then respawn them).
        let mut title = None;
        if let Some(pane) = self.panes.get(&p) {
            title = Some(pane.io.shared.emu().title().to_string());
            pane.io.kill();
        }
        let (pio, start) = self.start_pane(io, p, f.session, &spec, &cwd, sx, sy)?;
        if let Some(t) = title {
            pio.shared.emu().set_title(&t);
        }
        if let Some(pane) = self.panes.get(&p) {
            pio.shared.set_pipe(pane.io.shared.take_pipe());
            // An agent's transcript goes on through a respawn.
            pio.shared.set_transcript(pane.io.shared.take_transcript());
        }
        if let Some(pane) = self.panes.get_mut(&p) {
            pane.io = pio;
            pane.start_command = start;
            pane.start_path = cwd;
            pane.command = spec.command;
            pane.dead = false;
            pane.eof = false;
            pane.exit_status = None;
            pane.mode = None;
            pane.input = Default::default();
        }
        self.own_pane(io, p);
        self.pane_program_started(io, p);
        self.redraw_pane(p);
        Ok(())
    }

    fn close_pipe(&mut self, p: PaneId) -> CmdResult<bool> {
        State::close_pipe(self, p)
    }

    fn open_pipe(
        &mut self,
        io: &Io,
        p: PaneId,
        command: &str,
        input: bool,
        output: bool,
    ) -> CmdResult {
        let spec = super::pipe::PipeSpec {
            command,
            input,
            output,
        };
        State::open_pipe(self, io, p, spec)
    }

    fn options(&self, scope: OptionScope) -> Option<&Options> {
        match scope {
            OptionScope::Server => Some(&self.server_options),
            OptionScope::GlobalSession => Some(&self.session_options),
            OptionScope::GlobalWindow => Some(&self.window_options),
            OptionScope::Session(s) => self.sessions.get(&s).map(|x| &x.options),
            OptionScope::Window(w) => self.windows.get(&w).map(|x| &x.options),
            OptionScope::Pane(p) => self.panes.get(&p).map(|x| &x.options),
        }
    }

    fn options_mut(&mut self, scope: OptionScope) -> Option<&mut Options> {
        match scope {
            OptionScope::Server => Some(&mut self.server_options),
            OptionScope::GlobalSession => Some(&mut self.session_options),
            OptionScope::GlobalWindow => Some(&mut self.window_options),
            OptionScope::Session(s) => self.sessions.get_mut(&s).map(|x| &mut x.options),
            OptionScope::Window(w) => self.windows.get_mut(&w).map(|x| &mut x.options),
            OptionScope::Pane(p) => self.panes.get_mut(&p).map(|x| &mut x.options),
        }
    }

    fn option_changed(&mut self, _scope: OptionScope, name: &str) {
        // Window sizes depend on status and window-size; everything drawn
        // may depend on some option.
        if matches!(name, "status" | "window-size" | "status-position") {
            self.resize_windows();
        }
        // A border line of their own takes a row from the edge panes.
        if name == "pane-border-status" {
            let windows: Vec<WindowId> = self.windows.keys().copied().collect();
            for w in windows {
                self.apply_layout(w);
            }
        }
        // As tmux, every window's silence starts over.
        if name == "monitor-silence" {
            let windows: Vec<WindowId> = self.windows.keys().copied().collect();
            for w in windows {
                self.reset_silence(w);
            }
        }
        self.redraw_all();
    }

    fn environ(&self, scope: EnvScope) -> Option<&Environ> {
        match scope {
            EnvScope::Global => Some(&self.env),
            EnvScope::Session(s) => self.sessions.get(&s).map(|x| &x.env),
        }
    }

    fn environ_mut(&mut self, scope: EnvScope) -> Option<&mut Environ> {
        match scope {
            EnvScope::Global => Some(&mut self.env),
            EnvScope::Session(s) => self.sessions.get_mut(&s).map(|x| &mut x.env),
        }
    }

    fn set_buffer(&mut self, name: Option<&str>, data: String) -> CmdResult<String> {
        let name = match name {
            Some(n) => {
                self.buffers.retain(|(b, _)| b != n);
                n.to_string()
            }
            None => {
                let n = format!("buffer{}", self.next_buffer);
                self.next_buffer += 1;
                let limit = self
                    .server_options
                    .get("buffer-limit")
                    .map(Value::as_num)
                    .unwrap_or(50)
                    .max(1) as usize;
                let automatic: Vec<String> = self
                    .buffers
                    .iter()
                    .filter(|(b, _)| b.starts_with("buffer"))
                    .map(|(b, _)| b.clone())
                    .collect();
                if automatic.len() >= limit {
                    for old in &automatic[limit - 1..] {
                        self.buffers.retain(|(b, _)| b != old);
                    }
                }
                n
            }
        };
        self.buffers.insert(0, (name.clone(), data));
        self.buffer_times
            .insert(name.clone(), commands::util::now());
        Ok(name)
    }

    fn buffer(&self, name: Option<&str>) -> Option<(String, String)> {
        match name {
            Some(n) => self.buffers.iter().find(|(b, _)| b == n).cloned(),
            None => self.buffers.first().cloned(),
        }
    }

    fn buffer_list(&self) -> Vec<(String, String)> {
        self.buffers.clone()
    }

    fn delete_buffer(&mut self, name: Option<&str>) -> bool {
        let pos = match name {
            Some(n) => self.buffers.iter().position(|(b, _)| b == n),
            None => (!self.buffers.is_empty()).then_some(0),
        };
        pos.map(|i| self.buffers.remove(i)).is_some()
    }

    fn clients(&self) -> Vec<ClientView> {
        self.clients
            .values()
            .map(|c| ClientView {
                id: c.conn,
                name: c.name.clone(),
                session: c.session,
                size: (c.cols, c.rows),
                term: c.term.clone(),
                pid: c.pid,
                key_table: c.table.clone(),
            })
            .collect()
    }

    fn find_client(&self, io: &Io, target: Option<&str>) -> CmdResult<u64> {
        match target {
            None => match io.caller.client.filter(|c| self.clients.contains_key(c)) {
                Some(c) => Ok(c),
                // From a shell in a pane: the client showing that pane's
                // session, most recently active first.
                None => self
                    .current(io)
                    .and_then(|f| {
                        self.clients
                            .values()
                            .filter(|c| c.session == f.session)
                            .max_by_key(|c| c.activity)
                            .map(|c| c.conn)
                    })
                    .ok_or_else(|| CmdError::new("no current client")),
            },
            Some(t) => self
                .clients
                .values()
                .find(|c| c.name == t || c.name.strip_prefix("/dev/") == Some(t))
                .map(|c| c.conn)
                .ok_or_else(|| CmdError(format!("can't find client: {t}"))),
        }
    }

    fn detach_client(&mut self, client: u64) {
        self.detach(client, None);
    }

    fn switch_client(&mut self, client: u64, session: SessionId) -> CmdResult {
        self.switch_to(client, session)?;
        let mut at = self.hook_at_session(session);
        at.client = self.clients.get(&client).map(|c| c.name.clone());
        self.notify("client-session-changed", at);
        Ok(())
    }

    fn last_session(&self, client: u64) -> Option<SessionId> {
        self.clients
            .get(&client)?
            .last_session
            .filter(|s| self.sessions.contains_key(s))
    }

    fn set_key_table(&mut self, client: u64, table: &str) {
        if let Some(c) = self.clients.get_mut(&client) {
            c.table = table.to_string();
            c.repeat_until = 0;
            c.dirty = true;
        }
    }

    fn key_tables(&self) -> &KeyTables {
        &self.key_tables
    }

    fn key_tables_mut(&mut self) -> &mut KeyTables {
        &mut self.key_tables
    }

    fn refresh_client(&mut self, client: u64) {
        if let Some(c) = self.clients.get_mut(&client) {
            c.full = true;
            c.dirty = true;
        }
    }

    fn prompt(
        &mut self,
        client: u64,
        label: &str,
        input: &str,
        template: Option<String>,
        kind: commands::host::PromptKind,
    ) {
        self.start_prompt(
            client,
            super::client::Prompt {
                label: label.to_string(),
                input: input.to_string(),
                pos: input.chars().count(),
                template,
                kind,
                history_pos: None,
            },
        );
    }

    fn display_panes(&mut self, client: u64, template: String, ms: Option<u64>, keys: bool) {
        let numbers = super::overlay::PaneNumbers { template, keys };
        self.show_pane_numbers(client, numbers, ms);
    }

    fn access_list(&self) -> Vec<(String, bool)> {
        super::acl::list()
            .into_iter()
            .filter(|(uid, _)| *uid != 0)
            .map(|(uid, write)| {
                let name = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
                    .ok()
                    .flatten()
                    .map_or_else(|| "unknown".to_string(), |u| u.name);
                (name, write)
            })
            .collect()
    }

    fn change_access(&mut self, user: &str, change: commands::host::AccessChange) -> CmdResult {
        use super::acl;
        let pw = (!user.is_empty())
            .then(|| nix::unistd::User::from_name(user).ok().flatten())
            .flatten();
        let Some(pw) = pw else {
            bail!("unknown user: {user}");
        };
        let uid = pw.uid.as_raw();
        if uid == 0 || uid == nix::unistd::getuid().as_raw() {
            bail!("{} owns the server, can't change access", pw.name);
        }
        if change.add && change.deny {
            bail!("-a and -d cannot be used together");
        }
        if change.write && change.read_only {
            bail!("-r and -w cannot be used together");
        }
        if change.deny {
            if acl::find(uid).is_none() {
                bail!("user {} not found", pw.name);
            }
            // Their clients go, as tmux's.
            let theirs: Vec<u64> = self
                .clients
                .keys()
                .copied()
                .filter(|c| self.conn_uids.get(c) == Some(&uid))
                .collect();
            for c in theirs {
                self.detach(c, Some("access not allowed".to_string()));
            }
            acl::deny(uid);
            return Ok(());
        }
        if change.add {
            if acl::find(uid).is_some() {
                bail!("user {} is already added", pw.name);
            }
            acl::allow(uid);
        } else if change.read_only || change.write {
            acl::allow(uid);
        }
        if change.write {
            acl::set_write(uid, true);
        } else if change.read_only {
            acl::set_write(uid, false);
        }
        Ok(())
    }

    fn lock_client(&mut self, client: u64) {
        State::lock_client(self, client);
    }

    fn suspend_client(&mut self, client: u64) {
        State::suspend_client(self, client);
    }

    fn clock_mode(&mut self, p: PaneId) {
        self.enter_clock(p);
    }

    fn prompt_history(&self, kind: &str) -> Vec<String> {
        // agmux's prompts keep one history, command-prompt's.
        if kind == "command" {
            self.prompt_history.clone()
        } else {
            Vec::new()
        }
    }

    fn clear_prompt_history(&mut self, kind: &str) {
        if kind == "command" {
            self.prompt_history.clear();
        }
    }

    fn has_overlay(&self, client: u64) -> bool {
        self.clients
            .get(&client)
            .is_some_and(|c| c.overlay.is_some())
    }

    fn clear_overlay(&mut self, client: u64) {
        self.close_overlay(client);
    }

    fn display_popup(
        &mut self,
        io: &Io,
        client: u64,
        at: &Found,
        spec: commands::host::PopupSpec,
    ) -> CmdResult<Flow> {
        self.show_popup(io, client, at, spec)
    }

    fn display_menu(
        &mut self,
        io: &Io,
        client: u64,
        at: &Found,
        spec: commands::host::MenuSpec,
    ) -> CmdResult<Flow> {
        self.show_menu(io, client, at, spec)
    }

    fn expand_client(&self, _io: &Io, fmt: &str, client: u64) -> String {
        let at = self
            .clients
            .get(&client)
            .and_then(|c| self.found_session(c.session));
        let mut ctx = Ctx::new(self, at.as_ref());
        ctx.client = self.clients.get(&client);
        commands::format::expand(fmt, &ctx)
    }

    fn check_server_wide(&self, io: &Io, what: &str) -> CmdResult {
        State::check_server_wide(self, io, what)
    }

    fn wait_for(&mut self, channel: &str, mode: WaitMode) -> CmdResult<Flow> {
        let queue = self.current_queue;
        let ch = self.channels.entry(channel.to_string()).or_default();
        let flow = match mode {
            WaitMode::Signal => {
                if ch.waiters.is_empty() {
                    ch.woken = true;
                } else {
                    self.ready.extend(ch.waiters.drain(..));
                }
                Flow::Continue
            }
            WaitMode::Wait if ch.woken => {
                ch.woken = false;
                Flow::Continue
            }
            WaitMode::Wait => match queue {
                Some(q) => {
                    ch.waiters.push(q);
                    Flow::Wait
                }
                None => Flow::Continue,
            },
            WaitMode::Lock if !ch.locked => {
                ch.locked = true;
                Flow::Continue
            }
            WaitMode::Lock => match queue {
                Some(q) => {
                    ch.lockers.push_back(q);
                    Flow::Wait
                }
                None => Flow::Continue,
            },
            WaitMode::Unlock => {
                if !ch.locked {
                    bail!("channel {channel} not locked");
                }
                match ch.lockers.pop_front() {
                    Some(next) => self.ready.push_back(next),
                    None => ch.locked = false,
                }
                Flow::Continue
            }
        };
        let ch = &self.channels[channel];
        if !ch.woken && !ch.locked && ch.waiters.is_empty() && ch.lockers.is_empty() {
            self.channels.remove(channel);
        }
        Ok(flow)
    }

    fn run_job(&mut self, io: &Io, job: JobSpec, then: JobThen, wait: bool) -> Flow {
        let start = self.job_start(io, job.at.as_ref(), job.command, job.cwd, None);
        let queue = if wait { self.current_queue } else { None };
        let id = self.add_job(io, start, then, queue);
        match job.delay {
            Some(d) => {
                let events = self.events.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(std::time::Duration::from_secs_f64(d)).await;
                    let _ = events.send(Event::JobDue(id));
                });
            }
            None => self.start_job(id),
        }
        if queue.is_some() {
            Flow::Wait
        } else {
            Flow::Continue
        }
    }
}

impl State {
    /// What a job runs and as whom.
    fn job_start(
        &self,
        io: &Io,
        at: Option<&Found>,
        command: String,
        cwd: Option<String>,
        stdin: Option<Vec<u8>>,
    ) -> JobStart {
        JobStart {
            shell: self.shell(at.map(|f| f.session)),
            command,
            cwd: cwd
                .or_else(|| self.env.value("HOME").map(str::to_string))
                .unwrap_or_else(|| "/".into()),
            env: self
                .job_env(at)
                .pairs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            who: self.who(io).clone(),
            stdin,
        }
    }

    fn add_job(&mut self, io: &Io, start: JobStart, then: JobThen, queue: Option<u64>) -> u64 {
        self.next_job += 1;
        let id = self.next_job;
        self.jobs.insert(
            id,
            Job {
                queue,
                then,
                io: Io::new(io.caller.clone()),
                spec: Some(start),
                pid: None,
            },
        );
        id
    }

    /// Starts a job's shell on the actor, so that its process is known as
    /// the caller's before it can run anything.
    pub fn start_job(&mut self, id: u64) {
        let Some(spec) = self.jobs.get_mut(&id).and_then(|j| j.spec.take()) else {
            return;
        };
        let events = self.events.clone();
        if spec.command.is_empty() {
            let _ = events.send(Event::JobDone {
                job: id,
                result: JobResult::default(),
            });
            return;
        }
        let child = tokio::process::Command::new(&spec.shell)
            .arg("-c")
            .arg(&spec.command)
            .env_clear()
            .envs(spec.env)
            .current_dir(&spec.cwd)
            .stdin(if spec.stdin.is_some() {
                std::process::Stdio::piped()
            } else {
                std::process::Stdio::null()
            })
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(false)
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => {
                let _ = events.send(Event::JobDone {
                    job: id,
                    result: JobResult {
                        output: String::new(),
                        error: format!("{}: {e}\n", spec.shell),
                        status: 127,
                    },
                });
                return;
            }
        };
        if let Some(pid) = child.id() {
            self.job_pids.insert(pid, spec.who);
            if let Some(j) = self.jobs.get_mut(&id) {
                j.pid = Some(pid);
            }
        }
        let stdin = spec.stdin.zip(child.stdin.take());
        tokio::spawn(async move {
            if let Some((data, mut pipe)) = stdin {
                use tokio::io::AsyncWriteExt;
                let _ = pipe.write_all(&data).await;
            }
            let result = job_result(child.wait_with_output().await);
            let _ = events.send(Event::JobDone { job: id, result });
        });
    }

    /// Runs a shell command with `data` on its standard input, not waiting
    /// for it (copy-pipe).
    fn pipe_to(&mut self, io: &Io, p: PaneId, command: &str, data: Vec<u8>) {
        let at = self.found_pane(p);
        let start = self.job_start(io, at.as_ref(), command.to_string(), None, Some(data));
        let id = self.add_job(io, start, Box::new(|_, _, _| Ok(Flow::Continue)), None);
        self.start_job(id);
    }
}

fn job_result(out: std::io::Result<std::process::Output>) -> JobResult {
    match out {
        Ok(o) => {
            use std::os::unix::process::ExitStatusExt;
            let status = match (o.status.code(), o.status.signal()) {
                (Some(c), _) => c,
                (None, Some(s)) => 128 + s,
                _ => 1,
            };
            JobResult {
                output: String::from_utf8_lossy(&o.stdout).into_owned(),
                error: String::from_utf8_lossy(&o.stderr).into_owned(),
                status,
            }
        }
        Err(e) => JobResult {
            output: String::new(),
            error: format!("{e}\n"),
            status: 127,
        },
    }
}

impl State {
    fn select_layout_now(&mut self, w: WindowId, layout: &str) -> CmdResult {
        if layout.is_empty() {
            if let Some(i) = self.windows.get(&w).and_then(|x| x.preset) {
                return self.apply_preset(w, i);
            }
            return Ok(());
        }
        if let Some(i) = PRESETS.iter().position(|p| *p == layout) {
            return self.apply_preset(w, i);
        }
        let prefixed: Vec<usize> = (0..PRESETS.len())
            .filter(|i| PRESETS[*i].starts_with(layout))
            .collect();
        if let [i] = prefixed.as_slice() {
            return self.apply_preset(w, *i);
        }
        let panes = self
            .windows
            .get(&w)
            .map(|x| x.panes.clone())
            .unwrap_or_default();
        match Layout::parse(layout, &panes) {
            Some(l) => {
                self.apply_new_layout(w, l, None);
                Ok(())
            }
            None => bail!("invalid layout: {layout}"),
        }
    }
}

impl State {
    /// A format context for a command: where it acts, its variables, and
    /// its client (the caller's, or the one a command chose for it), whose
    /// client_* formats it gives as tmux's format_defaults does.
    fn caller_ctx<'a>(&'a self, io: &'a Io, at: Option<&Found>) -> Ctx<'a> {
        let mut ctx = Ctx::new(self, at);
        ctx.vars = &io.vars;
        ctx.client = io.caller.client.and_then(|c| self.clients.get(&c));
        ctx.mouse = io.caller.mouse;
        ctx
    }
}

impl State {
    /// One copy-mode command on pane `p`.
    fn copy_command_once(&mut self, io: &Io, p: PaneId, name: &str, args: &[String]) -> CmdResult {
        let vi = self.pane_vi_keys(p);
        let Some(pane) = self.panes.get_mut(&p) else {
            bail!("can't find pane: {p}");
        };
        let Some((mode, mut emu)) = pane.copy_parts() else {
            bail!("not in a mode");
        };
        mode.vi = vi;
        // From a mouse binding (but the wheel), the command acts where the
        // mouse is, as tmux's window_copy_command; a selection begun there
        // follows the drag.
        let mouse = io.caller.mouse.filter(|m| m.pane == Some(p));
        if let Some(m) = mouse.filter(|m| m.code & 64 == 0) {
            mode.move_to(&mut **emu, i32::from(m.x), i32::from(m.y));
        }
        let outcome = mode.command(&mut **emu, name, args).map_err(CmdError)?;
        drop(emu);
        if let (Some(m), Some(client), "begin-selection") = (mouse, io.caller.client, name) {
            self.start_drag(client, &m, MouseDrag::Select(p))?;
        }
        let copied = match outcome {
            Outcome::Stay => None,
            Outcome::Copy(text) => Some(text),
            Outcome::Exit => {
                self.leave_mode(p);
                None
            }
            Outcome::CopyExit(text) => {
                self.leave_mode(p);
                Some(text)
            }
            Outcome::AppendExit(text) => {
                self.leave_mode(p);
                // Onto the end of the most recent buffer, as tmux appends.
                match commands::Host::buffer(self, None) {
                    Some((name, old)) => {
                        self.set_buffer(Some(&name), old + &text)?;
                    }
                    None => {
                        self.set_buffer(None, text)?;
                    }
                }
                None
            }
        };
        if let Some(text) = copied {
            if let (true, Some(command)) = (name.starts_with("copy-pipe"), args.first()) {
                self.pipe_to(io, p, command, text.clone().into_bytes());
            }
            self.set_buffer(None, text)?;
        }
        self.redraw_pane(p);
        Ok(())
    }

    /// Whether the pane's window uses vi keys in copy mode (mode-keys).
    fn pane_vi_keys(&self, p: PaneId) -> bool {
        self.panes
            .get(&p)
            .and_then(|pane| self.window_opt(pane.window, "mode-keys"))
            .is_some_and(|v| v.as_str() == "vi")
    }
}
