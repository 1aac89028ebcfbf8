//! choose-tree: a pane mode listing sessions, their windows and panes, to
//! pick one with the keys (or a shortcut digit) and run a command on it,
//! with a preview of the pane under the cursor. The list is rebuilt from
//! the server's state each time, so it follows sessions coming and going.

use super::formats::Ctx;
use super::state::{PaneMode, State};
use super::style::{self, Canvas};
use crate::screen::Style;
use commands::format::expand;
use commands::host::{TreeList, TreeSpec};
use commands::keys::{Key, KeyCode};
use commands::{Found, PaneId, SessionId, WindowId};
use std::collections::HashMap;

/// One thing in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    Session(SessionId),
    Window(SessionId, WindowId),
    Pane(SessionId, WindowId, PaneId),
    /// The nth item of a list (choose-buffer, choose-client).
    Item(u32),
    /// An option, key or section of customize-mode, by its identity.
    Custom(u64),
}

#[derive(Debug, Clone)]
pub struct TreeMode {
    pub selected: Node,
    /// The first row shown.
    pub top: usize,
    /// Expanded or collapsed by hand; others follow the -s / -w flags.
    expanded: HashMap<Node, bool>,
    sessions_collapsed: bool,
    windows_collapsed: bool,
    /// The command run on the choice, `%%` replaced by its target.
    pub template: String,
    pub preview: bool,
    /// The tree zoomed its window (-Z) and unzooms it on leaving.
    pub zoomed: bool,
    /// A format: only panes it is true for show, with their windows and
    /// sessions (-f).
    pub filter: Option<String>,
    /// A list of buffers or clients instead of the tree.
    pub list: Option<TreeList>,
    /// The list's item format, after the name.
    pub format: Option<String>,
    /// The list's order and whether reversed.
    pub sort: Option<String>,
    pub reverse: bool,
    /// choose-agent: a row per agent with a session, not the whole tree.
    pub agents: bool,
    /// customize-mode: options and key bindings as they apply to this
    /// pane, instead of the tree.
    pub customize: Option<PaneId>,
    /// customize-mode's H: global options hidden.
    pub hide_global: bool,
}

/// A row of the tree as shown.
#[derive(Debug, Clone)]
pub struct Row {
    pub node: Node,
    pub depth: usize,
    pub text: String,
    pub children: bool,
    pub expanded: bool,
    /// Last of its siblings, drawn with └ rather than ├.
    pub last: bool,
    /// Whether any sibling has children: if so, the expand sign has room.
    pub sign_room: bool,
    /// Whether each ancestor (by depth) was the last of its siblings.
    pub ancestors_last: Vec<bool>,
}

/// What a key did.
pub enum TreeKey {
    Stay,
    Exit,
    /// Leave and run this command.
    Choose(String),
    /// Run this command and stay (choose-agent's message and stop keys).
    Run(String),
}

impl TreeMode {
    pub fn new(
        selected: Node,
        sessions_collapsed: bool,
        windows_collapsed: bool,
        template: String,
        preview: bool,
    ) -> TreeMode {
        TreeMode {
            selected,
            top: 0,
            expanded: HashMap::new(),
            sessions_collapsed,
            windows_collapsed,
            template,
            preview,
            zoomed: false,
            filter: None,
            list: None,
            format: None,
            sort: None,
            reverse: false,
            agents: false,
            customize: None,
            hide_global: false,
        }
    }

    pub fn is_expanded(&self, node: Node) -> bool {
        if let Some(e) = self.expanded.get(&node) {
            return *e;
        }
        match node {
            Node::Session(_) => !self.sessions_collapsed,
            Node::Window(..) => !self.windows_collapsed && !self.sessions_collapsed,
            Node::Pane(..) | Node::Item(_) | Node::Custom(_) => false,
        }
    }
}

/// The target string for a node, as tmux's choose-tree gives it.
fn target(st: &State, node: Node) -> String {
    let name = |s| {
        st.sessions
            .get(&s)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let index = |s: SessionId, w: WindowId| {
        st.sessions
            .get(&s)
            .and_then(|x| x.windows.iter().find(|(_, id)| **id == w))
            .map(|(i, _)| *i)
            .unwrap_or(0)
    };
    match node {
        Node::Session(s) => format!("={}:", name(s)),
        Node::Window(s, w) => format!("={}:{}.", name(s), index(s, w)),
        Node::Pane(s, w, p) => format!("={}:{}.{p}", name(s), index(s, w)),
        Node::Item(_) | Node::Custom(_) => String::new(),
    }
}

impl State {
    /// Puts pane `p` in tree mode, on the current item of its session.
    pub fn enter_tree(&mut self, p: PaneId, spec: TreeSpec) {
        let Some(f) = self.found_pane(p) else {
            return;
        };
        let (s, w) = (f.session, f.window);
        let selected = if spec.list.is_some() {
            Node::Item(0)
        } else if spec.sessions_collapsed {
            Node::Session(s)
        } else if spec.windows_collapsed || self.windows.get(&w).is_none_or(|x| x.panes.len() < 2) {
            Node::Window(s, w)
        } else {
            Node::Pane(s, w, self.windows.get(&w).map_or(p, |x| x.active))
        };
        self.leave_mode(p);
        let mut m = TreeMode::new(
            selected,
            spec.sessions_collapsed,
            spec.windows_collapsed,
            spec.template,
            spec.preview,
        );
        m.filter = spec.filter;
        m.list = spec.list;
        m.format = spec.format;
        m.sort = spec.sort;
        m.reverse = spec.reverse;
        m.agents = spec.agents;
        if m.agents {
            m.selected = Node::Session(s);
        }
        if spec.customize {
            m.customize = Some(p);
            m.selected = super::customize::first_node();
        }
        if spec.zoom
            && self
                .windows
                .get(&w)
                .is_some_and(|x| !x.zoomed && x.panes.len() > 1)
        {
            if let Some(win) = self.windows.get_mut(&w) {
                win.zoomed = true;
                win.active = p;
            }
            self.apply_layout(w);
            m.zoomed = true;
        }
        if let Some(pane) = self.panes.get_mut(&p) {
            pane.mode = Some(PaneMode::Tree(m));
        }
        self.mode_changed(p);
        self.redraw_pane(p);
    }

    /// Takes a pane out of whatever mode it is in.
    pub fn leave_mode(&mut self, p: PaneId) {
        let Some(pane) = self.panes.get_mut(&p) else {
            return;
        };
        let unzoom = pane.tree_mode().is_some_and(|t| t.zoomed);
        let w = pane.window;
        if let Some((text, _)) = pane.copy_mode().and_then(|m| m.search.clone()) {
            pane.search_string = text;
        }
        if pane.mode.take().is_none() {
            return;
        }
        self.mode_changed(p);
        if unzoom {
            self.unzoom(w);
        }
        self.redraw_pane(p);
    }

    /// The tree's rows, expanded as the mode says, with only what its
    /// filter matches; everything if it matches nothing, as tmux.
    pub fn tree_rows(&self, m: &TreeMode) -> Vec<Row> {
        let rows = self.tree_rows_matching(m, m.filter.as_deref());
        if rows.is_empty() && m.filter.is_some() {
            return self.tree_rows_matching(m, None);
        }
        rows
    }

    /// Whether the mode's filter matches nothing (the tree shows all).
    pub fn tree_no_matches(&self, m: &TreeMode) -> bool {
        m.filter.is_some() && self.tree_rows_matching(m, m.filter.as_deref()).is_empty()
    }

    /// A window's panes that `filter` (a format) is true for.
    fn panes_matching(&self, wf: &Found, panes: &[PaneId], filter: Option<&str>) -> Vec<PaneId> {
        panes
            .iter()
            .copied()
            .filter(|p| {
                filter.is_none_or(|f| {
                    let at = Found { pane: *p, ..*wf };
                    commands::format::is_true(&self.tree_text(&at, f))
                })
            })
            .collect()
    }

    /// The names of a list's items, in the mode's order: by default
    /// buffers most recent first, clients by name.
    fn list_items(&self, m: &TreeMode) -> Vec<String> {
        let sort = m.sort.as_deref().unwrap_or("");
        let mut v: Vec<String> = match m.list {
            None => Vec::new(),
            Some(TreeList::Buffers) => {
                let mut b: Vec<&(String, String)> = self.buffers.iter().collect();
                match sort {
                    "name" => b.sort_by(|x, y| x.0.cmp(&y.0)),
                    "size" => b.sort_by_key(|x| std::cmp::Reverse(x.1.len())),
                    _ => {}
                }
                b.into_iter().map(|(n, _)| n.clone()).collect()
            }
            Some(TreeList::Clients) => {
                let mut c: Vec<&super::client::Client> = self
                    .clients
                    .values()
                    .filter(|c| c.control.is_none())
                    .collect();
                match sort {
                    "size" => c.sort_by_key(|c| (c.cols as u32 * c.rows as u32, c.name.clone())),
                    "creation" => c.sort_by_key(|c| c.created),
                    "activity" => c.sort_by_key(|c| std::cmp::Reverse(c.activity)),
                    _ => c.sort_by(|a, b| a.name.cmp(&b.name)),
                }
                c.into_iter().map(|c| c.name.clone()).collect()
            }
        };
        if m.reverse {
            v.reverse();
        }
        v
    }

    /// A list's rows: `name: ` and the item's format.
    fn list_rows(&self, m: &TreeMode, list: TreeList, filter: Option<&str>) -> Vec<Row> {
        let now = commands::util::now();
        let mut rows = Vec::new();
        for (i, name) in self.list_items(m).into_iter().enumerate() {
            let vars: Vec<(String, String)> = match list {
                TreeList::Buffers => {
                    let data = self
                        .buffers
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, d)| d.as_str())
                        .unwrap_or("");
                    let created = self.buffer_times.get(&name).copied().unwrap_or(now);
                    vec![
                        ("buffer_name".into(), name.clone()),
                        ("buffer_size".into(), data.len().to_string()),
                        ("buffer_sample".into(), commands::list_buffers::sample(data)),
                        ("buffer_created".into(), created.to_string()),
                    ]
                }
                TreeList::Clients => Vec::new(),
            };
            let client = self.clients.values().find(|c| c.name == name);
            let at = match list {
                TreeList::Clients => client.and_then(|c| self.found_session(c.session)),
                TreeList::Buffers => None,
            };
            let fmt = m.format.as_deref().unwrap_or(match list {
                TreeList::Buffers => "#{t/p:buffer_created}: #{buffer_sample}",
                TreeList::Clients => "#{t/p:client_activity}: session #{session_name}",
            });
            let mut ctx = Ctx::new(self, at.as_ref());
            if let Some(c) = client {
                ctx.client = Some(c);
            }
            ctx.vars = &vars;
            if filter.is_some_and(|f| !commands::format::is_true(&expand(f, &ctx))) {
                continue;
            }
            let text = format!("{name}: {}", expand(fmt, &ctx));
            rows.push(Row {
                node: Node::Item(i as u32),
                depth: 0,
                text,
                children: false,
                expanded: false,
                last: false,
                sign_room: false,
                ancestors_last: vec![],
            });
        }
        rows
    }

    fn tree_rows_matching(&self, m: &TreeMode, filter: Option<&str>) -> Vec<Row> {
        if m.customize.is_some() {
            return self
                .customize_entries(m, filter)
                .into_iter()
                .map(|e| e.row)
                .collect();
        }
        if let Some(list) = m.list {
            return self.list_rows(m, list, filter);
        }
        if m.agents {
            return self.agent_rows();
        }
        let mut rows = Vec::new();
        // By index, as tmux's default sort: sessions in the order made.
        // A window shows if a pane of it matches, a session if a window.
        let sessions: Vec<_> = self
            .sessions
            .values()
            .filter_map(|sess| {
                let windows: Vec<(Found, Vec<PaneId>, bool)> = sess
                    .windows
                    .keys()
                    .filter_map(|i| {
                        let wf = self.found_window(sess.id, *i)?;
                        let win = self.windows.get(&wf.window)?;
                        let panes = self.panes_matching(&wf, &win.panes, filter);
                        (!panes.is_empty()).then_some((wf, panes, win.panes.len() > 1))
                    })
                    .collect();
                (!windows.is_empty()).then_some((sess, windows))
            })
            .collect();
        let n_sessions = sessions.len();
        for (si, (sess, windows)) in sessions.into_iter().enumerate() {
            let snode = Node::Session(sess.id);
            let Some(sf) = self.found_session(sess.id) else {
                continue;
            };
            let text = self.tree_text(
                &sf,
                "#{session_name}: #{session_windows} windows#{?session_attached, (attached),}",
            );
            let open = m.is_expanded(snode);
            let s_last = si + 1 == n_sessions;
            rows.push(Row {
                node: snode,
                depth: 0,
                text,
                children: true,
                expanded: open,
                last: s_last,
                sign_room: true,
                ancestors_last: vec![],
            });
            if !open {
                continue;
            }
            let any_multi = windows.iter().any(|(_, _, multi)| *multi);
            let n_windows = windows.len();
            for (wi, (wf, panes, multi)) in windows.into_iter().enumerate() {
                let w = wf.window;
                let wnode = Node::Window(sess.id, w);
                let w_open = multi && m.is_expanded(wnode);
                let w_last = wi + 1 == n_windows;
                rows.push(Row {
                    node: wnode,
                    depth: 1,
                    text: self.tree_text(&wf, "#{window_index}: #{window_name}#{window_flags}"),
                    children: multi,
                    expanded: w_open,
                    last: w_last,
                    sign_room: any_multi,
                    ancestors_last: vec![s_last],
                });
                if !w_open {
                    continue;
                }
                let n_panes = panes.len();
                for (pi, p) in panes.into_iter().enumerate() {
                    let pf = Found { pane: p, ..wf };
                    rows.push(Row {
                        node: Node::Pane(sess.id, w, p),
                        depth: 2,
                        text: self.tree_text(
                            &pf,
                            "#{pane_index}: #{pane_current_command}#{?pane_active,*,}",
                        ),
                        children: false,
                        expanded: false,
                        last: pi + 1 == n_panes,
                        sign_room: false,
                        ancestors_last: vec![s_last, w_last],
                    });
                }
            }
        }
        rows
    }

    fn tree_text(&self, at: &Found, fmt: &str) -> String {
        expand(fmt, &Ctx::new(self, Some(at)))
    }

    /// Rows of the list part: the rest of the pane shows the preview.
    fn tree_list_height(m: &TreeMode, sy: usize, rows: usize) -> usize {
        if !m.preview {
            return sy;
        }
        // customize-mode keeps a preview of a fixed height.
        let mut h = if m.customize.is_some() {
            sy.saturating_sub(super::customize::PREVIEW_ROWS)
        } else {
            sy / 3 * 2
        };
        if m.customize.is_none() && h > rows {
            h = sy / 2;
        }
        if h < 10 || sy - h < 2 {
            h = sy;
        }
        h
    }

    /// A key for a pane in tree mode; returns the command a choice runs.
    pub fn tree_input(&mut self, p: PaneId, key: Key) -> Option<String> {
        match self.tree_key(p, key) {
            TreeKey::Stay => {
                self.redraw_pane(p);
                None
            }
            TreeKey::Exit => {
                self.leave_mode(p);
                None
            }
            TreeKey::Choose(command) => {
                self.leave_mode(p);
                Some(command)
            }
            TreeKey::Run(command) => {
                self.redraw_pane(p);
                Some(command)
            }
        }
    }

    fn tree_key(&mut self, p: PaneId, key: Key) -> TreeKey {
        let Some(pane) = self.panes.get(&p) else {
            return TreeKey::Exit;
        };
        let Some(m) = pane.tree_mode().cloned() else {
            return TreeKey::Exit;
        };
        let sy = pane.sy as usize;
        let mut m = m;
        let rows = self.tree_rows(&m);
        if rows.is_empty() {
            return TreeKey::Exit;
        }
        let at = rows.iter().position(|r| r.node == m.selected).unwrap_or(0);
        let height = Self::tree_list_height(&m, sy, rows.len());
        let n = rows.len();
        let goto = |i: usize, m: &mut TreeMode| m.selected = rows[i.min(n - 1)].node;
        let mut name = key.to_string();
        let mut at = at;
        if m.customize.is_some() {
            // A shortcut selects its row and acts as Enter there, as
            // tmux's mode_tree_key.
            if let Some(i) = shortcut(&key).filter(|i| *i < n) {
                at = i;
                goto(i, &mut m);
                name = "Enter".into();
            }
            if let Some(outcome) = self.customize_key(&mut m, rows[at].node, &name) {
                if let Some(pm) = self.panes.get_mut(&p).and_then(|x| x.tree_mode_mut()) {
                    *pm = m;
                }
                return outcome;
            }
        }
        let outcome = match name.as_str() {
            "q" | "Escape" | "C-c" | "C-g" => TreeKey::Exit,
            // As tmux's buffer and client modes: d deletes the buffer,
            // detaches the client.
            "d" if m.list.is_some() => {
                let (Some(list), Node::Item(i)) = (m.list, rows[at].node) else {
                    return TreeKey::Stay;
                };
                let Some(name) = self.list_items(&m).get(i as usize).cloned() else {
                    return TreeKey::Stay;
                };
                match list {
                    TreeList::Buffers => {
                        self.buffers.retain(|(n, _)| *n != name);
                        self.buffer_times.remove(&name);
                    }
                    TreeList::Clients => {
                        let conn = self
                            .clients
                            .values()
                            .find(|c| c.name == name)
                            .map(|c| c.conn);
                        if let Some(conn) = conn {
                            self.detach(conn, None);
                        }
                    }
                }
                if self.list_items(&m).is_empty() {
                    TreeKey::Exit
                } else {
                    goto(at, &mut m);
                    TreeKey::Stay
                }
            }
            "Enter" => TreeKey::Choose(self.fill(&m, rows[at].node)),
            "Up" | "k" | "C-p" => {
                goto((at + n - 1) % n, &mut m);
                TreeKey::Stay
            }
            "Down" | "j" | "C-n" => {
                goto((at + 1) % n, &mut m);
                TreeKey::Stay
            }
            "PPage" | "C-b" => {
                goto(at.saturating_sub(height), &mut m);
                TreeKey::Stay
            }
            "NPage" | "C-f" => {
                goto(at + height, &mut m);
                TreeKey::Stay
            }
            "g" | "Home" => {
                goto(0, &mut m);
                TreeKey::Stay
            }
            "G" | "End" => {
                goto(n - 1, &mut m);
                TreeKey::Stay
            }
            "Left" | "h" | "-" => {
                let r = &rows[at];
                if r.children && r.expanded {
                    m.expanded.insert(r.node, false);
                } else if let Some(parent) = rows[..at].iter().rev().find(|x| x.depth < r.depth) {
                    m.selected = parent.node;
                }
                TreeKey::Stay
            }
            "Right" | "l" | "+" => {
                let r = &rows[at];
                if r.children {
                    m.expanded.insert(r.node, true);
                }
                TreeKey::Stay
            }
            "M--" => {
                for r in &rows {
                    m.expanded.insert(r.node, false);
                }
                if let Node::Window(s, _) | Node::Pane(s, _, _) = m.selected {
                    m.selected = Node::Session(s);
                }
                TreeKey::Stay
            }
            "M-+" => {
                self.expand_all(&mut m);
                for r in rows.iter().filter(|r| r.children) {
                    m.expanded.insert(r.node, true);
                }
                TreeKey::Stay
            }
            "v" => {
                m.preview = !m.preview;
                TreeKey::Stay
            }
            "m" if m.agents => TreeKey::Run(self.agent_key_command(rows[at].node, AGENT_MESSAGE)),
            "x" if m.agents => TreeKey::Run(self.agent_key_command(rows[at].node, AGENT_STOP)),
            _ => match shortcut(&key) {
                Some(i) if i < n => TreeKey::Choose(self.fill(&m, rows[i].node)),
                _ => TreeKey::Stay,
            },
        };
        if let Some(pm) = self.panes.get_mut(&p).and_then(|x| x.tree_mode_mut()) {
            *pm = m;
        }
        outcome
    }

    fn expand_all(&self, m: &mut TreeMode) {
        for (s, sess) in &self.sessions {
            m.expanded.insert(Node::Session(*s), true);
            for w in sess.windows.values() {
                m.expanded.insert(Node::Window(*s, *w), true);
            }
        }
    }

    fn fill(&self, m: &TreeMode, node: Node) -> String {
        let what = match (m.list, node) {
            (Some(_), Node::Item(i)) => self
                .list_items(m)
                .get(i as usize)
                .cloned()
                .unwrap_or_default(),
            _ => target(self, node),
        };
        m.template.replace("%%", &what)
    }

    /// Draws a pane in tree mode: the list, then a box with a preview of
    /// the selected item's pane.
    pub fn draw_tree(
        &self,
        canvas: &mut Canvas,
        m: &TreeMode,
        mode_style: Style,
        (x0, y0): (usize, usize),
        (w, h): (usize, usize),
    ) {
        let rows = self.tree_rows(m);
        let height = Self::tree_list_height(m, h, rows.len()).min(h);
        let at = rows.iter().position(|r| r.node == m.selected).unwrap_or(0);
        // Keep the selection in view.
        let top = if at < m.top {
            at
        } else if at >= m.top + height {
            at + 1 - height
        } else {
            m.top
        };
        let keylen = key_width(rows.len());
        for (i, row) in rows.iter().enumerate().skip(top).take(height) {
            let y = y0 + i - top;
            let st = if i == at {
                mode_style
            } else {
                Style::default()
            };
            if i == at {
                canvas.fill(y, x0, x0 + w, st);
            }
            let lead = prefix(i, row, keylen);
            if m.customize.is_some() {
                // Its text is drawn as a format: styles and all.
                let used = canvas.put(x0, y, &lead, st, w) - x0;
                draw_styled(
                    canvas,
                    &row.text,
                    st,
                    (x0 + used, y),
                    w.saturating_sub(used),
                );
            } else {
                canvas.put(x0, y, &format!("{lead}{}", row.text), st, w);
            }
        }
        if height < h && h - height >= 2 {
            let node = rows.get(at).map(|r| r.node).unwrap_or(m.selected);
            let filter = m.filter.as_ref().map(|_| {
                if self.tree_no_matches(m) {
                    "no matches"
                } else {
                    "active"
                }
            });
            if m.customize.is_some() {
                let (mut title, lines) = self.customize_preview(m, node).unwrap_or_default();
                if let Some(f) = filter {
                    title.push_str(&format!(" (filter: {f})"));
                }
                let (bx, by, bw, bh) = (x0, y0 + height, w, h - height);
                draw_box(canvas, &title, (bx, by), (bw, bh));
                if bw > 4 && bh > 2 {
                    draw_wrapped(canvas, &lines, (bx + 2, by + 1), (bw - 4, bh - 2));
                }
                return;
            }
            let item = self.item_preview(m, node);
            self.draw_preview(
                canvas,
                item,
                node,
                filter,
                (x0, y0 + height),
                (w, h - height),
            );
        }
    }

    /// What the preview of a list's item shows: a buffer's text, a
    /// client's pane.
    fn item_preview(&self, m: &TreeMode, node: Node) -> Option<(String, ItemPreview)> {
        let (Some(list), Node::Item(i)) = (m.list, node) else {
            return None;
        };
        let name = self.list_items(m).get(i as usize)?.clone();
        let what = match list {
            TreeList::Buffers => ItemPreview::Text(
                self.buffers
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, d)| d.clone())
                    .unwrap_or_default(),
            ),
            TreeList::Clients => ItemPreview::Pane(
                self.clients
                    .values()
                    .find(|c| c.name == name)
                    .and_then(|c| self.found_session(c.session))
                    .map(|f| f.pane),
            ),
        };
        Some((name, what))
    }

    fn draw_preview(
        &self,
        canvas: &mut Canvas,
        item: Option<(String, ItemPreview)>,
        node: Node,
        filter: Option<&str>,
        (x0, y0): (usize, usize),
        (w, h): (usize, usize),
    ) {
        let plain = Style::default();
        let (title, pane) = match node {
            Node::Session(s) => (
                self.sessions
                    .get(&s)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                self.found_session(s).map(|f| f.pane),
            ),
            Node::Window(s, w) => {
                let f = self
                    .sessions
                    .get(&s)
                    .and_then(|x| x.windows.iter().find(|(_, id)| **id == w))
                    .and_then(|(i, _)| self.found_window(s, *i));
                (
                    f.map(|f| f.index.to_string()).unwrap_or_default(),
                    f.map(|f| f.pane),
                )
            }
            Node::Pane(_, _, p) => (p.to_string(), Some(p)),
            Node::Custom(_) => (String::new(), None),
            Node::Item(_) => match &item {
                Some((name, ItemPreview::Pane(p))) => (name.clone(), *p),
                Some((name, ItemPreview::Text(_))) => (name.clone(), None),
                None => (String::new(), None),
            },
        };
        if w < 4 {
            return;
        }
        let mut title = title;
        if let Some(f) = filter {
            title.push_str(&format!(" (filter: {f})"));
        }
        draw_box(canvas, &title, (x0, y0), (w, h));
        if let Some((_, ItemPreview::Text(text))) = &item {
            for (i, line) in text.lines().take(h - 2).enumerate() {
                canvas.put(x0 + 1, y0 + 1 + i, line, plain, w - 2);
            }
            return;
        }
        let Some(p) = pane.and_then(|p| self.panes.get(&p)) else {
            return;
        };
        let mut emu = p.io.shared.emu();
        let lines = emu.screen_lines();
        // The bottom of the screen, where the program's latest output is.
        let inner = h - 2;
        let used = lines
            .iter()
            .rposition(|l| !l.plain(false).trim().is_empty())
            .map_or(0, |i| i + 1);
        let from = used.saturating_sub(inner);
        for (i, line) in lines.iter().skip(from).take(inner).enumerate() {
            canvas.blit(x0 + 1, y0 + 1 + i, w - 2, line);
        }
    }
}

/// The preview's box, its title in the top line.
fn draw_box(canvas: &mut Canvas, title: &str, (x0, y0): (usize, usize), (w, h): (usize, usize)) {
    if w < 4 || h < 2 {
        return;
    }
    let plain = Style::default();
    let top = format!(
        "┌ {title} {}┐",
        "─".repeat(w.saturating_sub(4 + style::width(title)))
    );
    canvas.put(x0, y0, &top, plain, w);
    for y in 1..h - 1 {
        canvas.put(x0, y0 + y, "│", plain, 1);
        canvas.put(x0 + w - 1, y0 + y, "│", plain, 1);
    }
    let bottom = format!("└{}┘", "─".repeat(w - 2));
    canvas.put(x0, y0 + h - 1, &bottom, plain, w);
}

/// Text with `#[style]` directives, as tmux's format_draw: after
/// `#[ignore]` the rest is drawn as it is.
fn draw_styled(canvas: &mut Canvas, text: &str, base: Style, (x, y): (usize, usize), w: usize) {
    let (styled, literal) = match text.split_once("#[ignore]") {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    };
    let mut used = 0;
    let mut last = base;
    for (st, part) in style::segments(styled, &base) {
        used = canvas.put(x + used, y, &part, st, w.saturating_sub(used)) - x;
        last = st;
    }
    if let Some(rest) = literal {
        canvas.put(x + used, y, rest, last, w.saturating_sub(used));
    }
}

/// Lines wrapped at spaces to the width, as tmux's screen_write_text, as
/// many as fit.
fn draw_wrapped(
    canvas: &mut Canvas,
    lines: &[String],
    (x, y0): (usize, usize),
    (w, h): (usize, usize),
) {
    let mut y = 0;
    for line in lines {
        let mut rest = line.as_str();
        loop {
            if y >= h {
                return;
            }
            let fits = rest
                .char_indices()
                .scan(0, |width, (i, c)| {
                    *width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    Some((i, *width))
                })
                .take_while(|(_, width)| *width <= w)
                .last()
                .map_or(0, |(i, _)| {
                    i + rest[i..].chars().next().map_or(0, char::len_utf8)
                });
            let cut = if fits >= rest.len() {
                rest.len()
            } else {
                rest[..fits].rfind(' ').map_or(fits, |i| i + 1)
            };
            canvas.put(x, y0 + y, rest[..cut].trim_end(), Style::default(), w);
            y += 1;
            rest = &rest[cut..];
            if rest.is_empty() {
                break;
            }
        }
    }
}

/// What a list item's preview shows.
enum ItemPreview {
    Text(String),
    Pane(Option<PaneId>),
}

/// choose-agent's row: status dot, name, type, objective, group (`*` for
/// its coordinator), tokens and last activity.
const AGENT_ROW: &str = "#{session_name}  #{agent_type}  #{?agent_objective,#{=/40/…:agent_objective},-}  #{?agent_group,#{agent_group}#{?agent_coordinator,*,},-}  #{agent_tokens} tokens  #{t/f/%H#:%M#:%S:agent_activity}";
/// m: a message to the agent, typed in the prompt.
const AGENT_MESSAGE: &str = "command-prompt -p 'message to %%:' \"agent-send -q -t '%%' -- '%%%'\"";
/// x: stop it, once confirmed.
const AGENT_STOP: &str = "confirm-before -p 'stop %%? (y/n)' \"agent-stop -t '%%'\"";

fn status_dot(status: &str) -> &'static str {
    match status {
        "active" => "●",
        "waiting" | "paused" | "idle" => "◐",
        "completed" | "stopped" => "○",
        "failed" | "lost" => "✗",
        _ => "·",
    }
}

impl State {
    /// A row per agent that has a session, in the order the agents came.
    fn agent_rows(&self) -> Vec<Row> {
        let mut agents: Vec<_> = self
            .agents
            .records
            .values()
            .filter_map(|a| Some((a, a.session?)))
            .collect();
        agents.sort_by_key(|(a, _)| (a.row.created, a.row.key.clone()));
        agents
            .into_iter()
            .filter_map(|(a, s)| {
                let f = self.found_session(s)?;
                let text = format!(
                    "{} {}",
                    status_dot(&a.row.status),
                    self.tree_text(&f, AGENT_ROW)
                );
                Some(Row {
                    node: Node::Session(s),
                    depth: 0,
                    text,
                    children: false,
                    expanded: false,
                    last: false,
                    sign_room: false,
                    ancestors_last: vec![],
                })
            })
            .collect()
    }

    /// A key's command for the agent of a row, `%%` its session name.
    fn agent_key_command(&self, node: Node, template: &str) -> String {
        let name = match node {
            Node::Session(s) | Node::Window(s, _) | Node::Pane(s, _, _) => self
                .sessions
                .get(&s)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
            Node::Item(_) | Node::Custom(_) => String::new(),
        };
        template
            .replace("%%%", "\u{0}")
            .replace("%%", &name)
            .replace('\u{0}', "%%")
    }
}

/// The width of the shortcut column: the widest key's, as tmux's
/// mode_tree_draw pads them all to.
fn key_width(rows: usize) -> usize {
    if rows > 10 { 6 } else { 4 }
}

/// The "(N) " shortcut and the tree lines before a row's text.
fn prefix(i: usize, row: &Row, keylen: usize) -> String {
    let key = match i {
        0..=9 => format!("({i})"),
        10..=35 => format!("(M-{})", (b'a' + (i - 10) as u8) as char),
        _ => String::new(),
    };
    let key = format!("{key:<keylen$}");
    let sign = if row.children {
        if row.expanded { "- " } else { "+ " }
    } else if row.sign_room {
        "  "
    } else {
        ""
    };
    if row.depth == 0 {
        return format!("{key}{sign}");
    }
    let mut s = key;
    for last in row.ancestors_last.iter().skip(1) {
        s.push_str(if *last { "    " } else { "│   " });
    }
    s.push_str(if row.last { "└─> " } else { "├─> " });
    s.push_str(sign);
    s
}

/// The row a shortcut key picks: 0-9, then M-a to M-z.
fn shortcut(key: &Key) -> Option<usize> {
    match key.code {
        KeyCode::Char(c @ '0'..='9') if !key.meta && !key.ctrl => Some(c as usize - '0' as usize),
        KeyCode::Char(c @ 'a'..='z') if key.meta && !key.ctrl => {
            Some(10 + c as usize - 'a' as usize)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        depth: usize,
        children: bool,
        expanded: bool,
        last: bool,
        room: bool,
        anc: &[bool],
    ) -> Row {
        Row {
            node: Node::Session(SessionId(0)),
            depth,
            text: String::new(),
            children,
            expanded,
            last,
            sign_room: room,
            ancestors_last: anc.to_vec(),
        }
    }

    #[test]
    fn prefixes_draw_tmux_tree_lines() {
        assert_eq!(
            prefix(0, &row(0, true, true, false, true, &[]), 4),
            "(0) - "
        );
        assert_eq!(
            prefix(0, &row(0, true, true, false, true, &[]), 6),
            "(0)   - "
        );
        assert_eq!(
            prefix(40, &row(0, false, false, false, false, &[]), 6),
            "      "
        );
        assert_eq!(
            prefix(1, &row(1, false, false, false, true, &[false]), 4),
            "(1) ├─>   "
        );
        assert_eq!(
            prefix(2, &row(1, true, true, true, true, &[false]), 4),
            "(2) └─> - "
        );
        assert_eq!(
            prefix(3, &row(2, false, false, false, false, &[false, true]), 4),
            "(3)     ├─> "
        );
        assert_eq!(
            prefix(3, &row(2, false, false, true, false, &[false, false]), 4),
            "(3) │   └─> "
        );
        assert_eq!(
            prefix(10, &row(1, false, false, true, false, &[true]), 6),
            "(M-a) └─> "
        );
    }
}
