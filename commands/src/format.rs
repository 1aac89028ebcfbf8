//! tmux formats: `#{name}`, `#{?cond,a,b}`, `#{==:a,b}`, `#{=N:name}`,
//! `#{t:name}`, `#S`-style aliases and the rest of the modifier language.
//!
//! The engine knows nothing about sessions or panes: it asks a [`Lookup`]
//! for variable values, and the server decides what a name means. Unknown
//! names expand to nothing, as in tmux.

/// The format variables agmux defines, for the man page; the server has a
/// test that each is implemented.
pub static VARIABLES: &[(&str, &str)] = &[
    ("alternate_on", "1 if the pane is on its alternate screen"),
    ("client_activity", "Time of the client's last input"),
    ("client_height", "Height of the client's terminal"),
    (
        "client_key_table",
        "Key table the client's next key goes to",
    ),
    ("client_name", "Name of the client: its terminal"),
    ("client_pid", "Process id of the client"),
    ("client_prefix", "1 if the prefix key was pressed"),
    ("client_readonly", "1 if the client is read-only"),
    ("client_session", "Name of the client's session"),
    ("client_termname", "TERM of the client's terminal"),
    ("client_tty", "Terminal of the client"),
    ("client_width", "Width of the client's terminal"),
    ("cursor_x", "Cursor column in the pane"),
    ("cursor_y", "Cursor line in the pane"),
    (
        "history_all_bytes",
        "The pane's lines, cells and extended cells, each with its bytes in tmux's grid",
    ),
    ("history_bytes", "Bytes of the pane's history"),
    ("history_limit", "Maximum lines of history of the pane"),
    ("history_size", "Lines of history of the pane"),
    ("host", "Host name"),
    ("host_short", "Host name up to the first dot"),
    ("pane_active", "1 if the pane is the window's active pane"),
    (
        "pane_at_bottom",
        "1 if the pane is at the bottom of the window",
    ),
    ("pane_at_left", "1 if the pane is at the left of the window"),
    (
        "pane_at_right",
        "1 if the pane is at the right of the window",
    ),
    ("pane_at_top", "1 if the pane is at the top of the window"),
    ("pane_bottom", "Bottom line of the pane"),
    (
        "pane_current_command",
        "Name of the pane's foreground command",
    ),
    (
        "pane_current_path",
        "Working directory of the pane's foreground command",
    ),
    ("pane_dead", "1 if the pane's program has exited"),
    ("pane_dead_status", "Exit status of a dead pane's program"),
    ("pane_height", "Height of the pane"),
    ("pane_id", "Unique pane id, %N"),
    (
        "pane_in_mode",
        "1 if the pane is in a mode (copy or tree mode)",
    ),
    ("mouse_line", "Line under mouse, if any"),
    ("mouse_word", "Word under mouse, if any"),
    ("mouse_x", "Mouse X position, if any"),
    ("mouse_y", "Mouse Y position, if any"),
    (
        "mouse_any_flag",
        "1 if the pane's program asked for mouse events",
    ),
    (
        "agent_key",
        "The agent's key (agent:NAME), unique among its records",
    ),
    (
        "agent_session",
        "Name of the agent's session (its last, once gone)",
    ),
    (
        "agent_host",
        "The server the agent runs on, in a store shared by several hosts (agent-host-name); empty for a server's own store",
    ),
    ("agent_type", "The agent's type (new-session -G)"),
    ("agent_objective", "The agent's objective"),
    ("agent_role", "The agent's role in its group"),
    (
        "agent_status",
        "active, idle, waiting, paused, completed, failed or lost",
    ),
    (
        "agent_created",
        "Time the agent was made, in seconds since the epoch",
    ),
    ("agent_activity", "Time of the agent's last activity"),
    (
        "agent_tasks",
        "Tasks the agent completed (set-agent --task-done)",
    ),
    (
        "agent_interactions",
        "Interactions counted (set-agent --interaction)",
    ),
    ("agent_group", "The agent's coordination group, if any"),
    ("agent_coordinator", "1 if the agent coordinates its group"),
    ("agent_peers", "Other members of the agent's group"),
    (
        "agent_parent",
        "Key of the agent that spawned this one, if any",
    ),
    (
        "agent_mode",
        "run or session for a sub-agent, empty for a root agent",
    ),
    (
        "agent_depth",
        "0 for a root agent, one more than its parent's for a sub-agent",
    ),
    (
        "agent_result",
        "What the agent ended with (agent-done, its exit, a timeout)",
    ),
    (
        "agent_reason",
        "Why it ended when not by agent-done: exit, timeout",
    ),
    (
        "agent_tokens",
        "Tokens it reported using (set-agent --tokens)",
    ),
    ("agent_turns", "Messages it was given, its task included"),
    ("agent_tokens_in", "Tokens it read, as it reported them"),
    ("agent_tokens_out", "Tokens it wrote, as it reported them"),
    (
        "agent_cost",
        "Dollars it spent, as it reported them (set-agent --cost)",
    ),
    ("agent_model", "The model it runs, as it reported it"),
    (
        "agent_usage",
        "Its tokens and cost for people, empty when none",
    ),
    (
        "agent_branch",
        "Its worktree's branch (agent-spawn --worktree)",
    ),
    ("agent_worktree", "Its worktree's directory"),
    ("agents_tokens", "Tokens of every agent kept, added up"),
    ("agents_cost", "Dollars of every agent kept, added up"),
    ("group_tokens", "Tokens of the group's members, added up"),
    ("group_cost", "Dollars of the group's members, added up"),
    (
        "group_usage",
        "The group's tokens and cost for people, empty when none",
    ),
    (
        "agent_delivery",
        "What its next message to type waits for (queued: its input line is not empty...), if one does",
    ),
    ("group_name", "Name of a coordination group"),
    ("group_created", "Time the group was made"),
    ("group_members", "Members of the group"),
    (
        "group_hosts",
        "Hosts its members run on, in a store shared by several (agent-store); empty otherwise",
    ),
    ("group_coordinator", "Key of the group's coordinator"),
    ("group_context_keys", "Keys in the group's shared context"),
    ("group_context_bytes", "Bytes of the group's shared context"),
    (
        "pane_mode",
        "Name of the pane's mode: copy-mode, tree-mode, or empty",
    ),
    ("pane_index", "Index of the pane in its window"),
    ("origin_flag", "1 if the pane's program set origin mode"),
    (
        "keypad_flag",
        "1 if the pane's program set the keypad to application mode",
    ),
    (
        "keypad_cursor_flag",
        "1 if the pane's program set the cursor keys to application mode",
    ),
    ("cursor_flag", "1 if the pane's cursor is shown"),
    ("wrap_flag", "1 if the pane wraps at the edge (always)"),
    ("insert_flag", "1 if the pane is in insert mode (never)"),
    (
        "mouse_standard_flag",
        "1 if the pane's program asked for mouse presses",
    ),
    (
        "mouse_button_flag",
        "1 if the pane's program asked for mouse drags",
    ),
    (
        "mouse_all_flag",
        "1 if the pane's program asked for all mouse motion",
    ),
    (
        "mouse_utf8_flag",
        "1 if the pane's program asked for UTF-8 mouse reports",
    ),
    (
        "mouse_sgr_flag",
        "1 if the pane's program asked for SGR mouse reports",
    ),
    (
        "scroll_region_upper",
        "Top line of the pane's scroll region",
    ),
    (
        "scroll_region_lower",
        "Bottom line of the pane's scroll region",
    ),
    (
        "alternate_saved_x",
        "Cursor column saved on entering the alternate screen",
    ),
    (
        "alternate_saved_y",
        "Cursor line saved on entering the alternate screen",
    ),
    ("pane_tabs", "The pane's tab stops, by column"),
    ("cursor_character", "The character under the pane's cursor"),
    (
        "pane_synchronized",
        "1 if the pane's input is synchronized (synchronize-panes)",
    ),
    (
        "pane_dead_signal",
        "Signal that ended the dead pane's program",
    ),
    (
        "active_window_index",
        "Index of the session's current window",
    ),
    (
        "last_window_index",
        "Index of the session's last window, by number",
    ),
    ("next_session_id", "The id the next session will have"),
    (
        "session_stack",
        "The session's windows, most recently current first",
    ),
    (
        "window_stack_index",
        "Where the window is in its session's stack",
    ),
    ("session_attached_list", "Clients attached to the session"),
    ("window_active_clients", "How many clients show the window"),
    ("window_active_clients_list", "Clients that show the window"),
    (
        "window_active_sessions",
        "How many sessions have the window current",
    ),
    (
        "window_active_sessions_list",
        "Sessions that have the window current",
    ),
    (
        "window_bigger",
        "1 if the window is bigger than the client (never)",
    ),
    (
        "window_offset_x",
        "Column of the window the client shows first (always 0)",
    ),
    (
        "window_offset_y",
        "Line of the window the client shows first (always 0)",
    ),
    ("client_control_mode", "1 if the client is in control mode"),
    ("client_created", "Time the client attached"),
    (
        "client_last_session",
        "The session the client was in before",
    ),
    (
        "client_termtype",
        "The client terminal's type from its device attributes",
    ),
    ("client_termfeatures", "Features of the client's terminal"),
    ("client_utf8", "1 if the client takes UTF-8"),
    ("client_uid", "User id of the client"),
    ("client_user", "User of the client"),
    ("client_cell_height", "Height of each client cell in pixels"),
    ("client_cell_width", "Width of each client cell in pixels"),
    ("client_flags", "The client's flags"),
    ("client_written", "Bytes written to the client's terminal"),
    (
        "client_discarded",
        "Bytes discarded when the client's terminal could not keep up",
    ),
    ("uid", "User id of the server"),
    ("user", "User the server runs as"),
    ("config_files", "Configuration files loaded at start"),
    (
        "pane_input_off",
        "1 if keys do not reach the pane (select-pane -d)",
    ),
    (
        "pane_last",
        "1 if the pane was the window's last active pane",
    ),
    ("pane_left", "Left column of the pane"),
    ("pane_pid", "Process id of the pane's program"),
    (
        "pane_pipe",
        "1 if the pane is piped to a command (pipe-pane)",
    ),
    ("pane_right", "Right column of the pane"),
    ("pane_search_string", "Last search string in copy mode"),
    ("pane_start_command", "Command the pane was started with"),
    ("pane_start_path", "Directory the pane was started in"),
    (
        "pane_title",
        "Title of the pane (set by its program or select-pane -T)",
    ),
    ("pane_top", "Top line of the pane"),
    ("pane_tty", "Pseudo terminal of the pane"),
    ("pane_width", "Width of the pane"),
    ("copy_cursor_line", "Line under the cursor in copy mode"),
    ("copy_cursor_word", "Word under the cursor in copy mode"),
    ("copy_cursor_x", "Cursor column in copy mode"),
    ("copy_cursor_y", "Cursor line in copy mode, in the view"),
    ("scroll_position", "Lines scrolled back in copy mode"),
    ("selection_present", "1 if copy mode has a selection"),
    ("pid", "Process id of the server"),
    ("session_activity", "Time of the session's last activity"),
    (
        "session_attached",
        "Number of clients attached to the session",
    ),
    ("session_created", "Time the session was created"),
    ("session_group", "Name of the session's group"),
    ("session_grouped", "1 if the session is in a group"),
    (
        "session_group_attached",
        "Number of clients the sessions of the group are attached to",
    ),
    (
        "session_group_attached_list",
        "Clients the sessions of the group are attached to",
    ),
    ("session_group_list", "Sessions of the session's group"),
    (
        "session_group_many_attached",
        "1 if several clients are attached to sessions of the group",
    ),
    ("session_group_size", "Number of sessions in the group"),
    ("session_id", "Unique session id, $N"),
    (
        "session_last_attached",
        "Time a client last attached to the session",
    ),
    (
        "session_many_attached",
        "1 if more than one client is attached",
    ),
    ("session_name", "Name of the session"),
    ("session_path", "Working directory of the session"),
    ("session_windows", "Number of windows in the session"),
    ("socket_path", "Path of the server's socket"),
    ("start_time", "Time the server started"),
    ("version", "Version of agmux"),
    (
        "window_active",
        "1 if the window is its session's current window",
    ),
    ("window_activity", "Time of the window's last activity"),
    ("window_end_flag", "1 if the window has the highest index"),
    ("window_flags", "Window flags: * current, - last, Z zoomed"),
    ("window_height", "Height of the window"),
    ("window_id", "Unique window id, @N"),
    ("window_index", "Index of the window in its session"),
    (
        "window_last_flag",
        "1 if the window is its session's last window",
    ),
    (
        "window_layout",
        "Layout of the window, as select-layout accepts it",
    ),
    ("window_name", "Name of the window"),
    ("window_panes", "Number of panes in the window"),
    ("window_raw_flags", "Window flags, without escaping"),
    ("pane_marked", "1 if this is the marked pane"),
    ("pane_format", "1 if a pane is being formatted"),
    (
        "window_format",
        "1 if a window is being formatted (list-windows, #{W:})",
    ),
    (
        "session_format",
        "1 if a session is being formatted (list-sessions, #{S:})",
    ),
    (
        "pane_dead_time",
        "When the pane's program ended (seconds since the epoch), if dead",
    ),
    ("pane_path", "The path the pane's program gave with OSC 7"),
    (
        "pane_fg",
        "The pane's default foreground colour (window-style)",
    ),
    (
        "pane_bg",
        "The pane's default background colour (window-style)",
    ),
    (
        "window_cell_width",
        "Width of a cell in pixels (16 when unknown)",
    ),
    (
        "window_cell_height",
        "Height of a cell in pixels (32 when unknown)",
    ),
    ("tree_mode_format", "choose-tree's default format"),
    ("buffer_mode_format", "choose-buffer's default format"),
    ("client_mode_format", "choose-client's default format"),
    ("pane_marked_set", "1 if a pane is marked"),
    ("window_marked_flag", "1 if the window has the marked pane"),
    ("session_marked", "1 if the session has the marked pane"),
    (
        "window_activity_flag",
        "1 if the window has unseen activity (monitor-activity)",
    ),
    (
        "window_bell_flag",
        "1 if a pane of the window rang the bell, unseen",
    ),
    (
        "window_silence_flag",
        "1 if the window has been silent monitor-silence seconds, unseen",
    ),
    (
        "session_alerts",
        "The session's windows with alerts: index and # (activity), ! (bell), ~ (silence)",
    ),
    ("window_start_flag", "1 if the window has the lowest index"),
    (
        "window_visible_layout",
        "Layout of the window as shown (zoom included)",
    ),
    ("window_width", "Width of the window"),
    ("window_zoomed_flag", "1 if the window is zoomed"),
    (
        "window_linked",
        "1 if the window is linked into other sessions",
    ),
    (
        "window_linked_sessions",
        "Number of links of the window to sessions",
    ),
    (
        "window_linked_sessions_list",
        "Sessions the window is linked into",
    ),
];

/// Where a format gets its values from.
pub trait Lookup {
    /// The value of a variable (or option), or `None` if there is none.
    fn var(&self, name: &str) -> Option<String>;

    /// The per-item lookups for the `S:`, `W:` and `P:` loop modifiers:
    /// every session, every window of the current session, every pane of
    /// the current window.
    fn each(&self, _kind: Loop) -> Vec<Box<dyn Lookup + '_>> {
        Vec::new()
    }

    /// `#{C:term}`: the line (from 1) of the pane's visible screen where
    /// `term` is, else 0; with `regex` an extended regular expression,
    /// else a substring; `ignore_case` as it says.
    fn search(&self, _term: &str, _regex: bool, _ignore_case: bool) -> u32 {
        0
    }
}

/// Which collection a loop modifier walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loop {
    Sessions,
    Windows,
    Panes,
}

/// A lookup with nothing in it; `#{l:...}` and comparisons still work.
pub struct Empty;

impl Lookup for Empty {
    fn var(&self, _name: &str) -> Option<String> {
        None
    }
}

/// Expands a format template.
pub fn expand(template: &str, lookup: &dyn Lookup) -> String {
    Expander {
        lookup,
        depth: 0,
        trace: None,
    }
    .expand(template)
}

/// Expands a format, and says how, line by line, as tmux's `display -v`
/// does (for the common steps: variables, conditionals, aliases).
pub fn expand_traced(template: &str, lookup: &dyn Lookup) -> (String, Vec<String>) {
    let mut e = Expander {
        lookup,
        depth: 0,
        trace: Some(Vec::new()),
    };
    let out = e.expand(template);
    (out, e.trace.unwrap_or_default())
}

/// `#{m:pattern,text}`: fnmatch(3), or with `regex` an extended regular
/// expression found anywhere in `text`.
pub fn matches(pattern: &str, text: &str, regex: bool, ignore_case: bool) -> bool {
    if regex {
        return crate::util::regex_match(pattern, text, ignore_case).unwrap_or(false);
    }
    if ignore_case {
        // ASCII case folding, as FNM_CASEFOLD does in the C locale.
        let (p, t) = (pattern.to_ascii_lowercase(), text.to_ascii_lowercase());
        return crate::target::fnmatch(&p, &t);
    }
    crate::target::fnmatch(pattern, text)
}

/// Whether a value counts as true: not empty and not "0".
pub fn is_true(s: &str) -> bool {
    !s.is_empty() && s != "0"
}

/// The single-letter aliases, `#S` for `#{session_name}` and so on.
fn alias(c: char) -> Option<&'static str> {
    Some(match c {
        'D' => "pane_id",
        'F' => "window_flags",
        'H' => "host",
        'I' => "window_index",
        'P' => "pane_index",
        'S' => "session_name",
        'T' => "pane_title",
        'W' => "window_name",
        'h' => "host_short",
        _ => return None,
    })
}

/// Finds the first byte in `stop` at bracket depth zero, skipping `#{...}`
/// blocks and `#,`-style escapes.
fn skip_to(s: &str, stop: &[u8]) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'#' && i + 1 < b.len() {
            if b[i + 1] == b'{' {
                depth += 1;
            }
            if b",#{}:".contains(&b[i + 1]) {
                i += 2;
                continue;
            }
        }
        if b[i] == b'}' {
            depth -= 1;
        }
        if depth == 0 && stop.contains(&b[i]) {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[derive(Debug, Default)]
struct Modifier {
    name: String,
    args: Vec<String>,
}

struct Expander<'a> {
    lookup: &'a dyn Lookup,
    depth: u32,
    /// The steps taken, when asked for (`display -v`).
    trace: Option<Vec<String>>,
}

impl Expander<'_> {
    /// Notes a step, indented by depth as tmux's format_log1.
    fn log(&mut self, step: impl FnOnce() -> String) {
        let depth = self.depth as usize;
        if let Some(t) = self.trace.as_mut() {
            t.push(format!("#{}{}", " ".repeat(depth.min(10)), step()));
        }
    }

    fn expand(&mut self, fmt: &str) -> String {
        // Formats can refer to themselves through options (`#{E:status-left}`
        // naming itself); stop rather than recurse forever.
        if self.depth > 10 {
            return String::new();
        }
        self.depth += 1;
        self.log(|| format!("expanding format: {fmt}"));
        let out = self.expand_inner(fmt);
        self.log(|| format!("result is: {out}"));
        self.depth -= 1;
        out
    }

    fn expand_inner(&mut self, fmt: &str) -> String {
        let mut out = String::with_capacity(fmt.len());
        let mut rest = fmt;
        while let Some(pos) = rest.find('#') {
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 1..];
            let Some(ch) = after.chars().next() else {
                out.push('#');
                rest = "";
                break;
            };
            match ch {
                '{' => match skip_to(&rest[pos..], b"}") {
                    Some(end) => {
                        let inner = &rest[pos + 2..pos + end];
                        self.log(|| format!("found #{{}}: {inner}"));
                        let value = self.replace(inner);
                        self.log(|| format!("replaced '{inner}' with '{value}'"));
                        out.push_str(&value);
                        rest = &rest[pos + end + 1..];
                    }
                    None => {
                        out.push_str(&rest[pos..]);
                        rest = "";
                    }
                },
                '(' => {
                    // `#(command)` output is not run here: formats are
                    // expanded inside the server's state actor, which must
                    // not wait on a shell. It expands to nothing.
                    let mut depth = 1;
                    let mut end = None;
                    for (i, c) in after[1..].char_indices() {
                        match c {
                            '(' => depth += 1,
                            ')' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = Some(i);
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    match end {
                        Some(i) => rest = &after[1 + i + 1..],
                        None => {
                            out.push_str(&rest[pos..]);
                            rest = "";
                        }
                    }
                }
                '#' | ',' | '}' => {
                    out.push(ch);
                    rest = &after[1..];
                }
                '[' => {
                    // Styles are kept for whoever draws the text.
                    out.push_str("#[");
                    rest = &after[1..];
                }
                c => {
                    match alias(c) {
                        Some(name) => {
                            self.log(|| format!("found #{c}: {name}"));
                            let value = self.replace(name);
                            self.log(|| format!("replaced '{name}' with '{value}'"));
                            out.push_str(&value);
                        }
                        None => {
                            out.push('#');
                            out.push(c);
                        }
                    }
                    rest = &after[c.len_utf8()..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Parses the modifier list at the start of a block, returning it and the
    /// rest after the `:`, or `None` if the block has no modifiers.
    fn modifiers<'s>(&mut self, s: &'s str) -> Option<(Vec<Modifier>, &'s str)> {
        let b = s.as_bytes();
        let is_end = |i: usize| i >= b.len() || b[i] == b';' || b[i] == b':';
        let mut list = Vec::new();
        let mut i = 0;
        while i < b.len() && b[i] != b':' {
            if b[i] == b';' {
                i += 1;
                if i >= b.len() {
                    break;
                }
            }
            let c = b[i];
            if b"labcdnwETSWPL<>!".contains(&c) && is_end(i + 1) {
                list.push(Modifier {
                    name: (c as char).to_string(),
                    args: vec![],
                });
                i += 1;
                continue;
            }
            if i + 1 < b.len() {
                let two = &s[i..i + 2];
                if ["||", "&&", "!=", "==", "<=", ">="].contains(&two) && is_end(i + 2) {
                    list.push(Modifier {
                        name: two.to_string(),
                        args: vec![],
                    });
                    i += 2;
                    continue;
                }
            }
            if !b"mCNst=peq".contains(&c) {
                break;
            }
            let name = (c as char).to_string();
            if is_end(i + 1) {
                list.push(Modifier { name, args: vec![] });
                i += 1;
                continue;
            }
            let next = b[i + 1];
            if !next.is_ascii_punctuation() || next == b'-' {
                // One argument with no wrapper: `=10`, `p-5`.
                let end = i + 1 + skip_to(&s[i + 1..], b":;")?;
                let arg = self.expand(&s[i + 1..end]);
                list.push(Modifier {
                    name,
                    args: vec![arg],
                });
                i = end;
                continue;
            }
            // Several arguments with a wrapper: `s/a/b/`, `e|+|`, `=/5/...`.
            let wrap = next;
            let mut args = Vec::new();
            i += 1;
            loop {
                if b[i] == wrap && is_end(i + 1) {
                    i += 1;
                    break;
                }
                let end = i + 1 + skip_to(&s[i + 1..], &[wrap, b';', b':'])?;
                args.push(self.expand(&s[i + 1..end]));
                i = end;
                if is_end(i) {
                    break;
                }
            }
            list.push(Modifier { name, args });
        }
        if i < b.len() && b[i] == b':' {
            Some((list, &s[i + 1..]))
        } else {
            None
        }
    }

    /// Splits `left,right` at the first top-level comma.
    fn choose<'s>(&self, s: &'s str) -> Option<(&'s str, &'s str)> {
        let i = skip_to(s, b",")?;
        Some((&s[..i], &s[i + 1..]))
    }

    fn find(&self, key: &str, time: bool, pretty: bool) -> Option<String> {
        let v = self.lookup.var(key)?;
        if time {
            let secs: i64 = v.trim().parse().ok()?;
            if pretty {
                return Some(pretty_time(secs, crate::util::now()));
            }
            return Some(ctime(secs));
        }
        Some(v)
    }

    /// Expands the inside of one `#{...}` block.
    fn replace(&mut self, key: &str) -> String {
        let (mods, body) = match self.modifiers(key) {
            Some((m, body)) => (m, body),
            None => (Vec::new(), key),
        };
        for (i, m) in mods.iter().enumerate() {
            self.log(|| format!("modifier {i} is {}", m.name));
            for (j, a) in m.args.iter().enumerate() {
                self.log(|| format!("modifier {i} argument {j}: {a}"));
            }
        }
        let has = |n: &str| mods.iter().any(|m| m.name == n);
        let get = |n: &str| mods.iter().find(|m| m.name == n);
        let time = has("t");
        // t/p: the time as tmux's pretty one.
        let pretty = get("t").is_some_and(|m| m.args.iter().any(|a| a == "p"));

        let mut value = if has("l") {
            body.to_string()
        } else if let Some(kind) = [
            ("S", Loop::Sessions),
            ("W", Loop::Windows),
            ("P", Loop::Panes),
        ]
        .iter()
        .find(|(n, _)| has(n))
        .map(|(_, k)| *k)
        {
            self.each(kind, body)
        } else if let Some(m) = get("m") {
            match self.choose(body) {
                Some((l, r)) => {
                    let (pat, s) = (self.expand(l), self.expand(r));
                    let flags = m.args.first().map(String::as_str).unwrap_or("");
                    bool_str(matches(&pat, &s, flags.contains('r'), flags.contains('i')))
                }
                None => String::new(),
            }
        } else if let Some(c) = get("C") {
            let flags = c.args.first().map(String::as_str).unwrap_or("");
            let term = self.expand(body);
            self.lookup
                .search(&term, flags.contains('r'), flags.contains('i'))
                .to_string()
        } else if let Some(m) = mods
            .iter()
            .find(|m| ["||", "&&", "==", "!=", "<", ">", "<=", ">="].contains(&m.name.as_str()))
        {
            match self.choose(body) {
                Some((l, r)) => {
                    let (l, r) = (self.expand(l), self.expand(r));
                    let op = &m.name;
                    self.log(|| format!("compare {op} left is: {l}"));
                    self.log(|| format!("compare {op} right is: {r}"));
                    bool_str(match m.name.as_str() {
                        "||" => is_true(&l) || is_true(&r),
                        "&&" => is_true(&l) && is_true(&r),
                        "==" => l == r,
                        "!=" => l != r,
                        "<" => l < r,
                        ">" => l > r,
                        "<=" => l <= r,
                        _ => l >= r,
                    })
                }
                None => String::new(),
            }
        } else if let Some(cond) = body.strip_prefix('?') {
            self.conditional(cond)
        } else if let Some(e) = get("e") {
            self.arithmetic(e, body)
        } else if body.contains("#{") {
            self.log(|| format!("expanding inner format '{body}'"));
            self.expand(body)
        } else {
            let found = self.find(body, time, pretty);
            match &found {
                Some(v) => self.log(|| format!("format '{body}' found: {v}")),
                None => self.log(|| format!("format '{body}' not found")),
            }
            found.unwrap_or_default()
        };

        if has("E") || has("T") {
            value = self.expand(&value);
        }
        if has("b") {
            value = match value.trim_end_matches('/').rsplit_once('/') {
                Some((_, base)) => base.to_string(),
                None => value,
            };
        }
        if has("d") {
            value = match value.trim_end_matches('/').rsplit_once('/') {
                Some(("", _)) => "/".to_string(),
                Some((dir, _)) => dir.to_string(),
                None => ".".to_string(),
            };
        }
        if has("q") {
            value = shell_quote(&value);
        }
        if let Some(s) = get("s").filter(|m| m.args.len() >= 2) {
            value = value.replace(&s.args[0], &s.args[1]);
        }
        if let Some(m) = get("=") {
            let limit: i64 = m.args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
            let marker = m.args.get(1).map(String::as_str).unwrap_or("");
            value = truncate(&value, limit, marker);
        }
        if let Some(m) = get("p") {
            let width: i64 = m.args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
            let len = value.chars().count() as i64;
            let pad = " ".repeat((width.abs() - len).max(0) as usize);
            if width > 0 {
                value.push_str(&pad);
            } else if width < 0 {
                value.insert_str(0, &pad);
            }
        }
        if has("n") {
            value = value.chars().count().to_string();
        }
        value
    }

    fn conditional(&mut self, s: &str) -> String {
        let Some(i) = skip_to(s, b",") else {
            return String::new();
        };
        let cond = &s[..i];
        self.log(|| format!("condition is: {cond}"));
        let found = match self.lookup.var(cond) {
            Some(v) => {
                self.log(|| format!("condition '{cond}' found: {v}"));
                v
            }
            None => {
                let v = self.expand(cond);
                if v == cond {
                    self.log(|| format!("condition '{cond}' not found; assuming false"));
                    String::new()
                } else {
                    v
                }
            }
        };
        let Some((left, right)) = self.choose(&s[i + 1..]) else {
            return String::new();
        };
        if is_true(&found) {
            self.log(|| format!("condition '{cond}' is true"));
            self.expand(left)
        } else {
            self.log(|| format!("condition '{cond}' is false"));
            self.expand(right)
        }
    }

    fn arithmetic(&mut self, m: &Modifier, body: &str) -> String {
        let Some(op) = m.args.first() else {
            return String::new();
        };
        let float = m.args.get(1).is_some_and(|f| f.contains('f'));
        let prec: usize = m.args.get(2).and_then(|p| p.parse().ok()).unwrap_or(2);
        let Some((l, r)) = self.choose(body) else {
            return String::new();
        };
        let (l, r) = (self.expand(l), self.expand(r));
        let (Ok(a), Ok(b)) = (l.trim().parse::<f64>(), r.trim().parse::<f64>()) else {
            return String::new();
        };
        let (a, b) = if float {
            (a, b)
        } else {
            (a.trunc(), b.trunc())
        };
        let v = match op.as_str() {
            "+" => a + b,
            "-" => a - b,
            "*" => a * b,
            "/" if b != 0.0 => a / b,
            "%" | "m" if b != 0.0 => a % b,
            "==" => (a == b) as i64 as f64,
            "!=" => (a != b) as i64 as f64,
            "<" => (a < b) as i64 as f64,
            ">" => (a > b) as i64 as f64,
            "<=" => (a <= b) as i64 as f64,
            ">=" => (a >= b) as i64 as f64,
            _ => return String::new(),
        };
        if float {
            format!("{v:.prec$}")
        } else {
            format!("{}", v.trunc() as i64)
        }
    }

    fn each(&mut self, kind: Loop, body: &str) -> String {
        // `#{W:fmt,current-fmt}`: the second format is for the current item.
        let (all, current) = match self.choose(body) {
            Some((a, c)) => (a, Some(c)),
            None => (body, None),
        };
        let items = self.lookup.each(kind);
        let mut out = String::new();
        let flag = match kind {
            Loop::Sessions => "session_attached",
            Loop::Windows => "window_active",
            Loop::Panes => "pane_active",
        };
        for item in &items {
            let fmt = match current {
                Some(c) if item.var(flag).is_some_and(|v| is_true(&v)) => c,
                _ => all,
            };
            out.push_str(
                &Expander {
                    lookup: item.as_ref(),
                    depth: self.depth,
                    trace: None,
                }
                .expand(fmt),
            );
        }
        out
    }
}

fn bool_str(b: bool) -> String {
    if b { "1".into() } else { "0".into() }
}

/// `=N` keeps the first N characters, `=-N` the last N; the marker shows
/// that something was cut.
fn truncate(s: &str, limit: i64, marker: &str) -> String {
    let n = s.chars().count();
    let keep = limit.unsigned_abs() as usize;
    if limit == 0 || n <= keep {
        return s.to_string();
    }
    if limit > 0 {
        let mut t: String = s.chars().take(keep).collect();
        t.push_str(marker);
        t
    } else {
        let mut t = marker.to_string();
        t.extend(s.chars().skip(n - keep));
        t
    }
}

/// Quotes a value for sh, as `#{q:...}` does: backslashes before specials.
pub fn shell_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "|&;<>()$`\\\"' \t\n*?[#~=%".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `ctime(3)` without the newline: `Sat Nov 21 21:23:23 2026`, local time.
pub fn ctime(secs: i64) -> String {
    strftime("%a %b %e %H:%M:%S %Y", secs)
}

/// `strftime(3)` in local time.
/// A time as tmux's `#{t/p:...}` shows it: the hour within a day, the
/// day within a month or four weeks, the date within a year, else the
/// month and year.
pub fn pretty_time(secs: i64, now: i64) -> String {
    let now = now.max(secs);
    let age = now - secs;
    let (Some((ty, tm)), Some((ny, nm))) = (year_month(secs), year_month(now)) else {
        return String::new();
    };
    let fmt = if age < 24 * 3600 {
        "%H:%M"
    } else if (ty == ny && tm == nm) || age < 28 * 24 * 3600 {
        "%a%d"
    } else if (ty == ny && tm < nm) || (ty == ny - 1 && tm > nm) {
        "%d%b"
    } else {
        "%h%y"
    };
    strftime(fmt, secs)
}

/// The local year and month of a time.
fn year_month(secs: i64) -> Option<(i32, i32)> {
    let t: libc::time_t = secs as libc::time_t;
    // SAFETY: localtime_r fills the zeroed struct we own.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return None;
        }
        Some((tm.tm_year, tm.tm_mon))
    }
}

pub fn strftime(fmt: &str, secs: i64) -> String {
    let Ok(cfmt) = std::ffi::CString::new(fmt) else {
        return String::new();
    };
    let t: libc::time_t = secs as libc::time_t;
    // SAFETY: localtime_r fills the zeroed struct we own; strftime writes at
    // most buf.len() bytes into our buffer and returns how many it wrote.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return String::new();
        }
        let mut buf = [0u8; 512];
        let n = libc::strftime(buf.as_mut_ptr().cast(), buf.len(), cfmt.as_ptr(), &tm);
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, &'static str>);
    impl Lookup for Map {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|s| s.to_string())
        }
    }

    fn vars() -> Map {
        Map(HashMap::from([
            ("session_name", "work"),
            ("window_index", "2"),
            ("pane_active", "1"),
            ("pane_dead", "0"),
            ("pane_title", "a very long pane title"),
            ("path", "/home/u/src/agmux"),
            ("n", "7"),
        ]))
    }

    fn x(f: &str) -> String {
        expand(f, &vars())
    }

    #[test]
    fn variables_and_aliases() {
        assert_eq!(x("#{session_name}:#{window_index}"), "work:2");
        assert_eq!(x("#S:#I"), "work:2");
        assert_eq!(x("#{nope}|"), "|");
        assert_eq!(x("a ## b #, #}"), "a # b , }");
        assert_eq!(x("#Z"), "#Z");
    }

    #[test]
    fn conditionals() {
        assert_eq!(x("#{?pane_active,yes,no}"), "yes");
        assert_eq!(x("#{?pane_dead,yes,no}"), "no");
        assert_eq!(x("#{?missing,yes,no}"), "no");
        assert_eq!(x("#{?#{==:#{session_name},work},W,X}"), "W");
        assert_eq!(x("#{?pane_active,#{session_name},x}"), "work");
        assert_eq!(x("#{?pane_active,a#,b,c}"), "a,b");
    }

    #[test]
    fn comparisons() {
        assert_eq!(x("#{==:#{session_name},work}"), "1");
        assert_eq!(x("#{!=:#{session_name},work}"), "0");
        assert_eq!(x("#{||:0,1}"), "1");
        assert_eq!(x("#{&&:1,0}"), "0");
        assert_eq!(x("#{m:w*,#{session_name}}"), "1");
    }

    #[test]
    fn truncation_and_padding() {
        assert_eq!(x("#{=6:pane_title}"), "a very");
        assert_eq!(x("#{=-5:pane_title}"), "title");
        assert_eq!(x("#{=/6/...:pane_title}"), "a very...");
        assert_eq!(x("#{p6:session_name}|"), "work  |");
        assert_eq!(x("#{p-6:session_name}|"), "  work|");
        assert_eq!(x("#{n:session_name}"), "4");
    }

    #[test]
    fn other_modifiers() {
        assert_eq!(x("#{b:path}"), "agmux");
        assert_eq!(x("#{d:path}"), "/home/u/src");
        assert_eq!(x("#{l:#{session_name}}"), "#{session_name}");
        assert_eq!(x("#{e|+|:#{n},3}"), "10");
        assert_eq!(x("#{e|*|f|1:2.5,2}"), "5.0");
        assert_eq!(x("#{s/work/play/:session_name}"), "play");
        assert_eq!(x("#{T;=2:session_name}"), "wo");
    }

    #[test]
    fn time() {
        let t = x("#{t:n}");
        assert!(t.ends_with("1970"), "{t}");
    }

    #[test]
    fn unterminated_is_literal() {
        assert_eq!(x("#{session_name"), "#{session_name");
    }
}
