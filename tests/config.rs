//! Configuration: ~/.agmux.conf, -f, source-file, and errors that name the
//! file and line while the rest still loads.

mod common;
use common::{Mux, SLEEP};

#[test]
fn default_config_is_loaded_at_server_start() {
    let m = Mux::new();
    std::fs::write(
        m.home.join(".agmux.conf"),
        "# a comment\nset -g history-limit 4242\nset -g @from conf\nbind-key -n M-q display-message hi\n",
    )
    .unwrap();
    m.session("main", SLEEP);
    assert_eq!(m.line(&["show", "-gv", "history-limit"]), "4242");
    assert_eq!(m.line(&["show", "-gv", "@from"]), "conf");
    assert!(m.ok(&["list-keys", "-T", "root"]).contains("M-q"));
}

#[test]
fn dash_f_picks_the_file() {
    let m = Mux::new();
    std::fs::write(m.home.join(".agmux.conf"), "set -g @which default\n").unwrap();
    let other = m.dir.join("other.conf");
    std::fs::write(&other, "set -g @which other\n").unwrap();
    m.ok(&[
        "-f",
        other.to_str().unwrap(),
        "new-session",
        "-d",
        "-s",
        "main",
        SLEEP,
    ]);
    assert_eq!(m.line(&["show", "-gv", "@which"]), "other");
    m.ok(&["kill-server"]);
    m.ok(&["-f", "/dev/null", "new-session", "-d", "-s", "main", SLEEP]);
    assert_eq!(m.fail(&["show", "-gv", "@which"]), "invalid option: @which");
}

/// As tmux: a file that does not parse runs not at all; one whose command
/// fails as it runs goes on. The errors name file and line, and show in
/// view mode on the first session's pane (agmux also tells the first
/// client).
#[test]
fn errors_name_file_and_line() {
    let m = Mux::new();
    let conf = m.home.join(".agmux.conf");
    std::fs::write(
        &conf,
        "set -g @a 1\nbogus-command here\nset -g @b 'unterminated\nset -g @c 3\n",
    )
    .unwrap();
    let r = m.run(&["new-session", "-d", "-s", "main", SLEEP]);
    assert_eq!(r.code, 0);
    let c = conf.display();
    let errors = format!("{c}:3: syntax error: missing '\n{c}:2: unknown command: bogus-command\n");
    assert_eq!(r.stderr, errors);
    assert_eq!(m.fail(&["show", "-gv", "@a"]), "invalid option: @a");
    assert_eq!(m.display("main", "#{pane_mode}"), "view-mode");
    // The errors were for the first client only.
    assert_eq!(m.run(&["ls"]).stderr, "");
    m.ok(&["kill-server"]);
    std::fs::write(
        &conf,
        "set -g @a 1\nset -g history-limit nope\nset -g @c 3\n",
    )
    .unwrap();
    let r = m.run(&["new-session", "-d", "-s", "main", SLEEP]);
    assert_eq!(r.stderr, format!("{c}:2: value is invalid: nope\n"));
    assert_eq!(m.line(&["show", "-gv", "@a"]), "1");
    assert_eq!(m.line(&["show", "-gv", "@c"]), "3");
}

/// An if-shell in the configuration holds the first command until it has
/// run, as tmux's does: its default-terminal is the first pane's TERM.
#[test]
fn the_configuration_loads_before_the_first_command() {
    let m = Mux::new();
    std::fs::write(
        m.home.join(".agmux.conf"),
        "if-shell 'sleep 0.3; true' 'set -g default-terminal screen'\n",
    )
    .unwrap();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "main",
        "echo \"[$TERM]\"; exec sleep 1000",
    ]);
    m.wait_text("main", "[screen]");
}

#[test]
fn source_file_syntax() {
    let m = Mux::new();
    m.session("main", SLEEP);
    std::fs::write(m.dir.join("inner.conf"), "set -g @inner yes\n").unwrap();
    std::fs::write(
        m.dir.join("a.conf"),
        concat!(
            "set -g @quoted \"two words\" ; set -g @single 'a $HOME b'\n",
            "set -g @cont \\\n  continued\n",
            "VAR_FROM_CONF=hello\n",
            "%if \"#{==:#{session_name},main}\"\n",
            "set -g @branch if\n",
            "%else\n",
            "set -g @branch else\n",
            "%endif\n",
            "source-file inner.conf\n",
            "if-shell -F 1 { set -g @block done }\n",
        ),
    )
    .unwrap();
    m.ok(&["source-file", "a.conf"]);
    assert_eq!(m.line(&["show", "-gv", "@quoted"]), "two words");
    assert_eq!(m.line(&["show", "-gv", "@single"]), "a $HOME b");
    assert_eq!(m.line(&["show", "-gv", "@cont"]), "continued");
    assert_eq!(
        m.line(&["show-environment", "-g", "VAR_FROM_CONF"]),
        "VAR_FROM_CONF=hello"
    );
    assert_eq!(m.line(&["show", "-gv", "@branch"]), "if");
    assert_eq!(m.line(&["show", "-gv", "@inner"]), "yes");
    assert_eq!(m.line(&["show", "-gv", "@block"]), "done");
}

#[test]
fn source_file_missing_and_globs() {
    let m = Mux::new();
    m.session("main", SLEEP);
    let missing = m.dir.join("nope.conf");
    assert_eq!(
        m.fail(&["source-file", "nope.conf"]),
        format!("{}: No such file or directory", missing.display())
    );
    m.ok(&["source-file", "-q", "nope.conf"]);
    std::fs::create_dir(m.dir.join("conf.d")).unwrap();
    std::fs::write(m.dir.join("conf.d/1.conf"), "set -g @one 1\n").unwrap();
    std::fs::write(m.dir.join("conf.d/2.conf"), "set -g @two 2\n").unwrap();
    m.ok(&["source-file", "conf.d/*.conf"]);
    assert_eq!(m.line(&["show", "-gv", "@two"]), "2");
    // -n only checks.
    std::fs::write(m.dir.join("check.conf"), "set -g @checked 1\nbad-cmd\n").unwrap();
    let r = m.run(&["source-file", "-n", "check.conf"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .ends_with("check.conf:2: unknown command: bad-cmd\n"),
        "{}",
        r.stderr
    );
    assert_eq!(
        m.fail(&["show", "-gv", "@checked"]),
        "invalid option: @checked"
    );
}
