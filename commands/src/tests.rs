//! Unit tests of the registry and of commands against a fake host.

use super::*;
use crate::agent::{
    AgentChange, AgentSpec, AgentType, AgentView, ContextEntry, GroupView, HistoryView,
    MessageView, SendSpec, ShareOp,
};
use crate::bindings::KeyTables;
use crate::environ::Environ;
use crate::host::*;
use crate::keys::InputModes;
use crate::options::{Options, Scope};

#[test]
fn registry_is_sorted_and_names_are_unique() {
    let names: Vec<&str> = COMMANDS.iter().map(|e| e.name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "registry! must list commands by name");
    let mut all: Vec<&str> = names.clone();
    all.extend(COMMANDS.iter().filter_map(|e| e.alias));
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n, "a name or alias is used twice");
}

#[test]
fn every_command_builds_and_documents_its_flags() {
    for e in COMMANDS {
        let cmd = e.clap();
        cmd.clone().debug_assert();
        assert!(cmd.get_about().is_some(), "{} has no doc comment", e.name);
        for arg in cmd.get_arguments() {
            assert!(
                arg.get_help().is_some(),
                "{} {} has no doc comment",
                e.name,
                arg.get_id()
            );
        }
    }
}

#[test]
fn lookup_by_name_alias_and_prefix() {
    assert_eq!(lookup("new-session").unwrap().name, "new-session");
    assert_eq!(lookup("new").unwrap().name, "new-session");
    assert_eq!(lookup("list-s").unwrap().name, "list-sessions");
    assert_eq!(lookup("frob").unwrap_err().0, "unknown command: frob");
    assert!(
        lookup("list")
            .unwrap_err()
            .0
            .starts_with("ambiguous command: list, could be: ")
    );
}

#[test]
fn usage_lines_look_like_tmux() {
    assert_eq!(
        lookup("kill-session").unwrap().usage(),
        "kill-session [-a] [-t target-session]"
    );
    assert_eq!(
        lookup("rename-window").unwrap().usage(),
        "rename-window (renamew) [-t target-window] new-name"
    );
    assert_eq!(
        lookup("wait-for").unwrap().usage(),
        "wait-for (wait) [-LSU] channel"
    );
}

fn v(s: &[&str]) -> Vec<String> {
    s.iter().map(|x| x.to_string()).collect()
}

#[test]
fn command_lines_split_on_semicolons() {
    assert_eq!(
        split_commands(&v(&["new", "-d", ";", "neww", "x;", "splitw", "a\\;"])),
        vec![v(&["new", "-d"]), v(&["neww", "x"]), v(&["splitw", "a;"])]
    );
}

#[test]
fn flags_stop_at_the_first_argument() {
    let cmd = lookup("set-option").unwrap().clap();
    assert_eq!(
        util::getopt_order(&cmd, &v(&["-g", "history-limit", "-5"])),
        v(&["-g", "--", "history-limit", "-5"])
    );
    assert_eq!(
        util::getopt_order(&cmd, &v(&["-gt", "x", "@a", "b"])),
        v(&["-gt", "x", "--", "@a", "b"])
    );
    assert_eq!(util::getopt_order(&cmd, &v(&["-g"])), v(&["-g"]));
}

#[test]
fn parse_errors_use_tmux_words() {
    let err = |args: &[&str]| parse_argv(&v(args)).err().map(|e| e.0).unwrap_or_default();
    assert_eq!(
        err(&["new-session", "-Z"]),
        "command new-session: unknown flag -Z"
    );
    assert_eq!(
        err(&["has-session", "a"]),
        "command has-session: too many arguments (need at most 0)"
    );
    assert_eq!(
        err(&["rename-window"]),
        "command rename-window: too few arguments (need at least 1)"
    );
    assert_eq!(
        err(&["has-session", "-t"]),
        "command has-session: -t expects an argument"
    );
    assert_eq!(
        err(&["wait-for", "-S", "-U", "c"]),
        "command wait-for: -S cannot be used with -U"
    );
}

/// A host with sessions and options and nothing else; enough to run
/// commands without a server.
#[derive(Default)]
struct Fake {
    sessions: Vec<(SessionId, String)>,
    global_session: Options,
    env: Environ,
    written: Vec<(PaneId, Vec<u8>)>,
    keys: KeyTables,
}

fn found(s: SessionId) -> Found {
    Found {
        session: s,
        index: 0,
        window: WindowId(s.0),
        pane: PaneId(s.0),
    }
}

impl AgentHost for Fake {
    fn agent_ready(&self, _io: &Io, _s: Option<SessionId>) -> CmdResult {
        Ok(())
    }
    fn make_agent(&mut self, _io: &Io, _home: PaneId, _spec: AgentSpec) -> CmdResult {
        Ok(())
    }
    fn agent_program_found(&self, _io: &Io, _spawn: &SpawnSpec) -> CmdResult {
        Ok(())
    }
    fn agent_key(&self, _io: &Io, _t: Option<&str>) -> CmdResult<String> {
        Err(CmdError::new("no current agent"))
    }
    fn agent_view(&self, _key: &str) -> Option<AgentView> {
        None
    }
    fn agent_views(&mut self) -> Vec<AgentView> {
        Vec::new()
    }
    fn agent_expand(&self, _io: &Io, fmt: &str, _key: &str) -> String {
        fmt.to_string()
    }
    fn set_agent(&mut self, _io: &Io, _key: &str, _c: AgentChange) -> CmdResult {
        Ok(())
    }
    fn agent_join(&mut self, _io: &Io, _k: &str, _g: &str, _c: bool, _f: bool) -> CmdResult {
        Ok(())
    }
    fn agent_leave(&mut self, _io: &Io, _key: &str) -> CmdResult {
        Ok(())
    }
    fn agent_forget(&mut self, _io: &Io, _key: &str, _c: bool) -> CmdResult {
        Ok(())
    }
    fn group_views(&mut self) -> Vec<GroupView> {
        Vec::new()
    }
    fn group_expand(&self, _io: &Io, fmt: &str, _g: &str) -> String {
        fmt.to_string()
    }
    fn group_delete(&mut self, _io: &Io, _g: &str) -> CmdResult {
        Ok(())
    }
    fn share(
        &mut self,
        _io: &Io,
        _k: Option<&str>,
        _g: &str,
        _ops: Vec<ShareOp>,
        _v: Option<u64>,
    ) -> CmdResult {
        Ok(())
    }
    fn context(&mut self, _io: &Io, _g: &str) -> CmdResult<Vec<ContextEntry>> {
        Ok(Vec::new())
    }
    fn define_agent_type(&mut self, _io: &Io, _t: AgentType) -> CmdResult {
        Ok(())
    }
    fn agent_types(&self) -> Vec<AgentType> {
        Vec::new()
    }
    fn agent_spawn(
        &mut self,
        _io: &mut Io,
        _p: Option<&str>,
        _s: crate::agent::AgentSpawn,
    ) -> CmdResult<Flow> {
        Err(CmdError::new("not in the fake"))
    }
    fn agent_done(&mut self, _io: &Io, _k: &str, _f: bool, _r: &str) -> CmdResult {
        Ok(())
    }
    fn agent_stop(&mut self, _io: &Io, _k: &str, _r: &str) -> CmdResult {
        Ok(())
    }
    fn agent_wait(
        &mut self,
        _io: &mut Io,
        _p: &str,
        _c: Vec<String>,
        _any: bool,
        _json: bool,
        _t: Option<f64>,
    ) -> CmdResult<Flow> {
        Ok(Flow::Continue)
    }
    fn caller_agent(&self, _io: &Io) -> Option<String> {
        None
    }
    fn agent_send(&mut self, _io: &mut Io, _to: &str, _s: SendSpec) -> CmdResult<Flow> {
        Ok(Flow::Continue)
    }
    fn agent_reply(&mut self, _io: &Io, _k: Option<&str>, _t: &str, _b: &str) -> CmdResult {
        Ok(())
    }
    fn agent_inbox(&self, _io: &Io, _k: &str) -> CmdResult<Vec<MessageView>> {
        Ok(Vec::new())
    }
    fn agent_inbox_wait(
        &mut self,
        _io: &mut Io,
        _k: &str,
        _s: f64,
        _m: bool,
        _j: bool,
    ) -> CmdResult<Flow> {
        Ok(Flow::Continue)
    }
    fn agent_ack(&mut self, _io: &Io, _k: &str, _id: u64) -> CmdResult {
        Ok(())
    }
    fn agent_history(
        &self,
        _io: &Io,
        _k: &str,
        _n: Option<usize>,
        _o: bool,
    ) -> CmdResult<HistoryView> {
        Err(CmdError::new("not in the fake"))
    }
}

impl Host for Fake {
    fn find(&mut self, _io: &Io, target: Option<&str>, _kind: TargetKind) -> CmdResult<Found> {
        let s = match target {
            None => self.sessions.last(),
            Some(t) => self.sessions.iter().find(|(_, n)| n == t),
        };
        match s {
            Some((id, _)) => Ok(found(*id)),
            None => bail!("can't find session: {}", target.unwrap_or("")),
        }
    }
    fn find_index(&mut self, io: &Io, t: Option<&str>) -> CmdResult<(SessionId, Option<u32>)> {
        self.find(io, t, TargetKind::Session)
            .map(|f| (f.session, None))
    }
    fn session_named(&self, name: &str) -> Option<SessionId> {
        self.sessions
            .iter()
            .find(|(_, n)| n == name)
            .map(|(id, _)| *id)
    }
    fn sessions(&self) -> Vec<SessionId> {
        self.sessions.iter().map(|(id, _)| *id).collect()
    }
    fn windows(&self, s: SessionId) -> Vec<(u32, WindowId)> {
        vec![(0, WindowId(s.0))]
    }
    fn panes(&self, w: WindowId) -> Vec<PaneId> {
        vec![PaneId(w.0)]
    }
    fn session_found(&self, s: SessionId) -> Option<Found> {
        Some(found(s))
    }
    fn window_found(&self, s: SessionId, _index: u32) -> Option<Found> {
        Some(found(s))
    }
    fn pane_found(&self, p: PaneId) -> Option<Found> {
        Some(found(SessionId(p.0)))
    }
    fn expand(&self, _io: &Io, fmt: &str, at: Option<&Found>) -> String {
        let name = at
            .and_then(|f| self.sessions.iter().find(|(id, _)| *id == f.session))
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        fmt.replace("#{session_name}", &name)
    }
    fn format_variables(&self, _io: &Io, _at: Option<&Found>) -> Vec<(String, String)> {
        Vec::new()
    }
    fn show_message(&mut self, _io: &Io, _text: &str) {}
    fn message_log(&self) -> Vec<(i64, String)> {
        Vec::new()
    }
    fn run_hook(&mut self, _io: &Io, _hook: &str, _scope: OptionScope) {}
    fn new_session(&mut self, _io: &Io, spec: NewSessionSpec) -> CmdResult<Found> {
        let id = SessionId(self.sessions.len() as u32);
        let name = spec.name.unwrap_or_else(|| id.0.to_string());
        self.sessions.push((id, name));
        Ok(found(id))
    }
    fn kill_session(&mut self, s: SessionId) {
        self.sessions.retain(|(id, _)| *id != s);
    }
    fn rename_session(&mut self, s: SessionId, name: &str) -> CmdResult {
        for (id, n) in &mut self.sessions {
            if *id == s {
                *n = name.to_string();
            }
        }
        Ok(())
    }
    fn set_session_cwd(&mut self, _s: SessionId, _cwd: &str) {}
    fn kill_server(&mut self) {
        self.sessions.clear();
    }
    fn new_window(&mut self, _io: &Io, _s: SessionId, _spec: NewWindowSpec) -> CmdResult<Found> {
        bail!("not in the fake")
    }
    fn select_window(&mut self, _s: SessionId, _index: u32) -> CmdResult {
        Ok(())
    }
    fn last_window(&self, _s: SessionId) -> Option<u32> {
        None
    }
    fn kill_window(&mut self, _w: WindowId) {}
    fn rename_window(&mut self, _w: WindowId, _name: &str) {}
    fn move_window(
        &mut self,
        _src: &Found,
        _s: SessionId,
        _index: Option<u32>,
        _kill: bool,
        _select: bool,
        _renumber_source: bool,
    ) -> CmdResult<Found> {
        bail!("not in the fake")
    }
    fn link_window(
        &mut self,
        _src: &Found,
        _s: SessionId,
        _index: Option<u32>,
        _kill: bool,
        _select: bool,
    ) -> CmdResult<Found> {
        bail!("not in the fake")
    }
    fn unlink_window(&mut self, _at: &Found, _kill: bool) -> CmdResult {
        bail!("not in the fake")
    }
    fn renumber_windows(&mut self, _s: SessionId) {}
    fn shuffle_windows(&mut self, _s: SessionId, _index: u32) {}
    fn swap_windows(&mut self, _src: &Found, _dst: &Found, _detached: bool) -> CmdResult {
        bail!("not in the fake")
    }
    fn rotate_window(&mut self, _w: WindowId, _down: bool, _keep_zoom: bool) -> CmdResult {
        bail!("not in the fake")
    }
    fn window_size(&self, _w: WindowId) -> (u32, u32) {
        (80, 24)
    }
    fn clients_size(&self, _s: SessionId, _largest: bool) -> (u32, u32) {
        (80, 24)
    }
    fn resize_window(&mut self, _w: WindowId, _sx: u32, _sy: u32) -> CmdResult {
        Ok(())
    }
    fn respawn_window(&mut self, _io: &Io, _at: &Found, _s: SpawnSpec, _kill: bool) -> CmdResult {
        bail!("not in the fake")
    }
    fn break_pane(
        &mut self,
        _p: PaneId,
        _s: SessionId,
        _place: WindowPlace,
        _name: Option<String>,
        _select: bool,
    ) -> CmdResult<Found> {
        Err(CmdError::new("not in the fake"))
    }
    fn join_pane(&mut self, _src: PaneId, _at: &Found, _place: PanePlace) -> CmdResult<Found> {
        Err(CmdError::new("not in the fake"))
    }
    fn swap_panes(&mut self, _src: PaneId, _dst: PaneId, _detached: bool) -> CmdResult {
        Ok(())
    }
    fn split_window(&mut self, _io: &Io, _at: &Found, _spec: SplitSpec) -> CmdResult<Found> {
        bail!("not in the fake")
    }
    fn kill_pane(&mut self, _p: PaneId) {}
    fn select_pane(&mut self, _p: PaneId) {}
    fn last_pane(&self, _w: WindowId) -> Option<PaneId> {
        None
    }
    fn neighbour(&self, _p: PaneId, _dir: Direction) -> Option<PaneId> {
        None
    }
    fn set_pane_title(&mut self, _p: PaneId, _title: &str) {}
    fn set_pane_input(&mut self, _p: PaneId, _on: bool) {}
    fn set_control_size(&mut self, _c: u64, _x: u16, _y: u16) -> CmdResult {
        Ok(())
    }
    fn resize_pane(&mut self, _p: PaneId, _how: Resize) -> CmdResult {
        Ok(())
    }
    fn select_layout(&mut self, _w: WindowId, _layout: &str) -> CmdResult {
        Ok(())
    }
    fn spread_layout(&mut self, _w: WindowId, _p: PaneId) -> CmdResult {
        Ok(())
    }
    fn cycle_layout(&mut self, _w: WindowId, _forward: bool) -> CmdResult {
        Ok(())
    }
    fn write_pane(&mut self, p: PaneId, data: &[u8]) -> CmdResult {
        self.written.push((p, data.to_vec()));
        Ok(())
    }
    fn input_modes(&self, _p: PaneId) -> InputModes {
        InputModes::default()
    }
    fn capture_pane(&self, _p: PaneId, _spec: CaptureSpec) -> CmdResult<String> {
        Ok(String::new())
    }
    fn clear_history(&mut self, _p: PaneId) {}
    fn copy_mode(&mut self, _p: PaneId, _u: bool, _e: bool, _q: bool) -> CmdResult {
        Ok(())
    }
    fn choose_tree(&mut self, _io: &Io, _p: PaneId, _spec: TreeSpec) -> CmdResult {
        Ok(())
    }
    fn in_key_mode(&self, _p: PaneId) -> bool {
        false
    }
    fn mode_key(&mut self, _p: PaneId, _key: crate::keys::Key) -> Option<String> {
        None
    }
    fn display_panes(&mut self, _c: u64, _t: String, _ms: Option<u64>, _keys: bool) {}
    fn clock_mode(&mut self, _p: PaneId) {}
    fn lock_client(&mut self, _client: u64) {}
    fn access_list(&self) -> Vec<(String, bool)> {
        Vec::new()
    }
    fn change_access(&mut self, _user: &str, _change: crate::host::AccessChange) -> CmdResult {
        Ok(())
    }
    fn suspend_client(&mut self, _client: u64) {}
    fn prompt_history(&self, _kind: &str) -> Vec<String> {
        Vec::new()
    }
    fn clear_prompt_history(&mut self, _kind: &str) {}
    fn has_overlay(&self, _client: u64) -> bool {
        false
    }
    fn clear_overlay(&mut self, _client: u64) {}
    fn display_popup(
        &mut self,
        _io: &Io,
        _client: u64,
        _at: &Found,
        _spec: crate::host::PopupSpec,
    ) -> CmdResult<Flow> {
        Ok(Flow::Continue)
    }
    fn display_menu(
        &mut self,
        _io: &Io,
        _client: u64,
        _at: &Found,
        _spec: crate::host::MenuSpec,
    ) -> CmdResult<Flow> {
        Ok(Flow::Continue)
    }
    fn check_server_wide(&self, _io: &Io, _what: &str) -> CmdResult {
        Ok(())
    }
    fn mode_table(&self, _p: PaneId) -> Option<&'static str> {
        None
    }
    fn send_mouse(&mut self, _p: PaneId, _m: &MouseTarget) -> CmdResult {
        Ok(())
    }
    fn mouse_drag(&mut self, _c: u64, _m: &MouseTarget, _d: MouseDrag) -> CmdResult {
        Ok(())
    }
    fn copy_repeat(&mut self, _p: PaneId, _count: usize) -> CmdResult {
        Ok(())
    }
    fn copy_command(&mut self, _io: &Io, _p: PaneId, _n: &str, _a: &[String]) -> CmdResult {
        Ok(())
    }
    fn close_pipe(&mut self, _p: PaneId) -> CmdResult<bool> {
        Ok(false)
    }
    fn open_pipe(&mut self, _io: &Io, _p: PaneId, _c: &str, _i: bool, _o: bool) -> CmdResult {
        bail!("not in the fake")
    }
    fn respawn_pane(&mut self, _io: &Io, _p: PaneId, _s: SpawnSpec, _kill: bool) -> CmdResult {
        Ok(())
    }
    fn options(&self, scope: OptionScope) -> Option<&Options> {
        (scope == OptionScope::GlobalSession).then_some(&self.global_session)
    }
    fn options_mut(&mut self, scope: OptionScope) -> Option<&mut Options> {
        (scope == OptionScope::GlobalSession).then_some(&mut self.global_session)
    }
    fn option_changed(&mut self, _scope: OptionScope, _name: &str) {}
    fn environ(&self, _scope: EnvScope) -> Option<&Environ> {
        Some(&self.env)
    }
    fn environ_mut(&mut self, _scope: EnvScope) -> Option<&mut Environ> {
        Some(&mut self.env)
    }
    fn set_buffer(&mut self, _name: Option<&str>, _data: String) -> CmdResult<String> {
        Ok("buffer0".into())
    }
    fn buffer(&self, _name: Option<&str>) -> Option<(String, String)> {
        None
    }
    fn buffer_list(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    fn delete_buffer(&mut self, _name: Option<&str>) -> bool {
        false
    }
    fn clients(&self) -> Vec<ClientView> {
        Vec::new()
    }
    fn find_client(&self, _io: &Io, _target: Option<&str>) -> CmdResult<u64> {
        bail!("no current client")
    }
    fn detach_client(&mut self, _client: u64) {}
    fn switch_client(&mut self, _client: u64, _session: SessionId) -> CmdResult {
        Ok(())
    }
    fn last_session(&self, _client: u64) -> Option<SessionId> {
        None
    }
    fn set_key_table(&mut self, _client: u64, _table: &str) {}
    fn key_tables(&self) -> &KeyTables {
        &self.keys
    }
    fn key_tables_mut(&mut self) -> &mut KeyTables {
        &mut self.keys
    }
    fn refresh_client(&mut self, _client: u64) {}
    fn prompt(
        &mut self,
        _c: u64,
        _l: &str,
        _i: &str,
        _t: Option<String>,
        _kind: crate::host::PromptKind,
    ) {
    }
    fn expand_client(&self, _io: &Io, fmt: &str, _client: u64) -> String {
        fmt.to_string()
    }
    fn wait_for(&mut self, _channel: &str, _mode: WaitMode) -> CmdResult<Flow> {
        Ok(Flow::Continue)
    }
    fn run_job(&mut self, _io: &Io, _job: JobSpec, _then: JobThen, _wait: bool) -> Flow {
        Flow::Continue
    }
}

fn run(host: &mut Fake, args: &[&str]) -> (CmdResult<()>, Io) {
    let mut io = Io::default();
    let mut result = Ok(());
    for cmd in parse_argv(&v(args)).unwrap() {
        if let Err(e) = cmd.run(host, &mut io) {
            result = Err(e);
            break;
        }
    }
    (result, io)
}

#[test]
fn sessions_on_the_fake() {
    let mut h = Fake::default();
    let (r, io) = run(&mut h, &["new-session", "-d", "-P", "-s", "a:b"]);
    assert!(r.is_ok());
    assert_eq!(io.out, "a_b:\n");
    assert_eq!(
        run(&mut h, &["new", "-d", "-s", "a_b"]).0.unwrap_err().0,
        "duplicate session: a_b"
    );
    assert!(run(&mut h, &["rename-session", "-t", "a_b", "x"]).0.is_ok());
    assert_eq!(h.sessions[0].1, "x");
    assert_eq!(
        run(&mut h, &["has-session", "-t", "nope"]).0.unwrap_err().0,
        "can't find session: nope"
    );
}

#[test]
fn options_on_the_fake() {
    let mut h = Fake {
        global_session: Options::defaults(Scope::Session),
        ..Fake::default()
    };
    assert!(
        run(&mut h, &["set-option", "-g", "history-limit", "42"])
            .0
            .is_ok()
    );
    let (_, io) = run(&mut h, &["show-options", "-gv", "history-limit"]);
    assert_eq!(io.out, "42\n");
    let (r, _) = run(&mut h, &["set-option", "-g", "history-limit", "x"]);
    assert_eq!(r.unwrap_err().0, "value is invalid: x");
}

#[test]
fn send_keys_on_the_fake() {
    let mut h = Fake::default();
    run(&mut h, &["new-session", "-d", "-s", "k"]).0.unwrap();
    run(&mut h, &["send-keys", "-t", "k", "ls", "Enter", "C-c"])
        .0
        .unwrap();
    assert_eq!(h.written, vec![(PaneId(0), b"ls\r\x03".to_vec())]);
}

#[test]
fn man_page_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../man/agmux.1");
    let want = man::render();
    if std::env::var_os("AGMUX_UPDATE_MAN").is_some() {
        std::fs::write(path, &want).expect("write man/agmux.1");
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "man/agmux.1 is stale: run `AGMUX_UPDATE_MAN=1 cargo test -p agmux-commands man_page` and commit it"
    );
}

/// What a tmux user looks for in a manual is there, from the tables the
/// server runs with.
#[test]
fn man_page_has_the_sections_people_look_for() {
    let page = man::render();
    for want in [
        ".SH KEY BINDINGS\n",
        ".SH COPY MODE\n",
        ".SH ENVIRONMENT\n",
        ".SH FILES\n",
        ".B C\\-b\nSend the prefix key (send\\-prefix)\n",
        ".B begin\\-selection\nvi: Space; emacs: C\\-Space\n",
        ".B agent\\-deliver\\-quiet\n",
        ".B AGMUX_TMPDIR\n",
    ] {
        assert!(page.contains(want), "the manual lacks {want:?}");
    }
}

#[test]
fn bindings_on_the_fake() {
    let mut h = Fake::default();
    run(
        &mut h,
        &["bind-key", "-r", "-T", "prefix", "h", "select-pane", "-L"],
    )
    .0
    .unwrap();
    run(
        &mut h,
        &["bind", "-n", "M-x", "display-message -p 'a b' ; new-window"],
    )
    .0
    .unwrap();
    let (_, io) = run(&mut h, &["list-keys"]);
    assert_eq!(
        io.out,
        "bind-key -r -T prefix h   select-pane -L\n\
         bind-key    -T root   M-x display-message -p \"a b\" \\; new-window\n"
    );
    assert_eq!(
        run(&mut h, &["bind", "x", "display-message", "a", "b"])
            .0
            .unwrap_err()
            .0,
        "command display-message: too many arguments (need at most 1)"
    );
    assert_eq!(
        run(&mut h, &["bind", "Nope-x", "new-window"])
            .0
            .unwrap_err()
            .0,
        "unknown key: Nope-x"
    );
    run(&mut h, &["unbind", "-n", "M-x"]).0.unwrap();
    let (_, io) = run(&mut h, &["list-keys", "-T", "prefix"]);
    assert_eq!(io.out, "bind-key -r -T prefix h select-pane -L\n");
}
