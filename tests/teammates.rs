//! Claude Code's agent teams get agmux's agent layer: driven through
//! agmux linked as `tmux` with the exact calls Claude Code 2.1 makes
//! (`split-window … -- cat`, `respawn-pane -k … claude --agent-id …`,
//! `kill-pane`), a teammate is an agent of its own, bound to its pane:
//! the lead's child in the team the lead coordinates, with messages,
//! events and history, ending completed when its pane is killed.

mod common;
use common::{BIN, Mux, eventually, sh_quote};
use std::path::PathBuf;

/// Stands in for `claude` as a teammate: says who agmux takes it for,
/// tries to act as its lead, then reads lines at a prompt and echoes them.
fn stand_in(m: &Mux) -> PathBuf {
    let path = m.dir.join("claude");
    let body = format!(
        "#!/bin/sh\n\
         {BIN} show-agent -F 'I AM #{{agent_key}} PARENT #{{agent_parent}} GROUP #{{agent_group}}'\n\
         {BIN} set-agent -t agent:lead -o hijacked 2>&1 | sed 's/^/SAYS /'\n\
         while :; do printf '> '; IFS= read -r line || exit 0; echo \"GOT $line\"; done\n"
    );
    std::fs::write(&path, body).expect("write the stand-in");
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("make it executable");
    path
}

/// Runs `tmux ARGS` (agmux linked as tmux) inside the lead's pane, as
/// Claude Code does; returns its standard output.
fn lead_tmux(m: &Mux, args: &str) -> String {
    let tmux = m.agmux_as_tmux();
    // The server was started as agmux: tmux finds it through TMUX, as
    // Claude Code's tmux does in a pane.
    let r = m.inside_sh(
        "lead",
        &format!("TMUX=\"$AGMUX\" exec {} {args}", tmux.display()),
    );
    assert_eq!(r.code, 0, "tmux {args} failed: {}", r.stderr);
    r.stdout
}

fn agents(m: &Mux) -> String {
    m.ok(&[
        "list-agents",
        "-F",
        "#{agent_key} #{agent_type} #{agent_parent} #{agent_group} #{agent_coordinator} #{agent_mode}",
    ])
}

#[test]
fn a_claude_code_teammate_is_an_agent_of_its_pane() {
    let m = Mux::new();
    m.runner_agent("lead");
    let claude = stand_in(&m);
    // The calls Claude Code 2.1 makes for a teammate, in order.
    assert_eq!(
        lead_tmux(
            &m,
            "split-window -d -t %0 -h -l 70% -P -F '#{pane_id}' -- cat"
        ),
        "%1\n"
    );
    lead_tmux(&m, "set-option -p -t %1 window-style bg=default,fg=blue");
    lead_tmux(&m, "select-pane -t %1 -T worker1");
    lead_tmux(&m, "set-option -w -t @0 pane-border-status top");
    lead_tmux(&m, "set-option -p -t %1 remain-on-exit failed");
    // `cat` is no teammate: nothing is registered for it.
    assert!(!agents(&m).contains("worker1"), "{}", agents(&m));
    // The environment it is given names the lead's pane: it must not
    // make the teammate the lead.
    let respawn = format!(
        "cd {} && env AGMUX_PANE=%0 TMUX_PANE=%0 CLAUDECODE=1 {} --agent-id worker1@myteam \
         --agent-name worker1 --team-name myteam --agent-color blue \
         --parent-session-id 5d2c1e0a-0000-4000-8000-000000000000",
        sh_quote(&m.dir.display().to_string()),
        claude.display()
    );
    lead_tmux(
        &m,
        &format!("respawn-pane -k -t %1 -- {}", sh_quote(&respawn)),
    );
    // A process in the teammate's pane is the teammate, the lead's child
    // in the team, and may not act as its lead.
    let screen = m.wait_text("%1", "SAYS ");
    assert!(
        screen.contains("I AM agent:myteam-worker1 PARENT agent:lead GROUP myteam"),
        "{screen}"
    );
    assert!(
        screen.contains("SAYS agent:myteam-worker1 may not change agent:lead"),
        "{screen}"
    );
    // The lead's own pane is still the lead.
    assert_eq!(
        lead_tmux(&m, "display -p -t %1 '#{pane_title}'"),
        "worker1\n"
    );
    let me = m.inside_ok("lead", &["show-agent", "-F", "#{agent_key}"]);
    assert_eq!(me, "agent:lead\n");
    let list = agents(&m);
    assert!(list.contains("agent:lead shell  myteam 1 \n"), "{list}");
    assert!(
        list.contains("agent:myteam-worker1 claude agent:lead myteam 0 teammate\n"),
        "{list}"
    );
    // The lead messages it: typed into its pane.
    m.inside_ok(
        "lead",
        &["agent-send", "-t", "myteam-worker1", "hello team"],
    );
    m.wait_text("%1", "GOT hello team");
    eventually(10, "the message marked delivered", || {
        let inbox = m.ok(&["agent-inbox", "-t", "agent:myteam-worker1", "--json"]);
        inbox.contains("\"delivered\":true").then_some(())
    });
    let history = m.inside_ok("lead", &["agent-history", "-p", "-t", "myteam-worker1"]);
    assert!(
        history.contains("event registered teammate (by agent:lead)"),
        "{history}"
    );
    assert!(history.contains("event joined myteam"), "{history}");
    assert!(
        history.contains("message from agent:lead") && history.contains("hello team"),
        "{history}"
    );
    assert!(history.contains("GOT hello team"), "{history}");
    // Claude Code kills the pane of a teammate that has finished: it ends
    // completed, and its lead hears of it.
    lead_tmux(&m, "kill-pane -t %1");
    assert_eq!(
        m.line(&[
            "show-agent",
            "-t",
            "agent:myteam-worker1",
            "-F",
            "#{agent_status} #{agent_reason}"
        ]),
        "completed killed"
    );
    assert!(!agents(&m).contains("worker1"), "{}", agents(&m));
    let inbox = m.inside_ok("lead", &["agent-inbox"]);
    assert!(inbox.contains("agent:myteam-worker1"), "{inbox}");
    assert!(
        m.ok(&["agent-history", "-t", "agent:myteam-worker1"])
            .contains("event done completed: pane %1 killed")
    );
    assert_eq!(lead_tmux(&m, "list-panes -t @0 -F '#{pane_id}'"), "%0\n");
}

#[test]
fn a_teammate_started_by_the_operator_answers_to_nobody_and_ends_when_replaced() {
    let m = Mux::new();
    let claude = stand_in(&m);
    m.ok(&["new-session", "-d", "-s", "s", "exec sleep 1000"]);
    let cmd = format!("exec {} --agent-id=w@t", claude.display());
    let pane = m.line(&[
        "split-window",
        "-d",
        "-t",
        "s:",
        "-P",
        "-F",
        "#{pane_id}",
        &cmd,
    ]);
    let screen = m.wait_text(&pane, "SAYS ");
    assert!(
        screen.contains("I AM agent:t-w PARENT  GROUP t"),
        "{screen}"
    );
    // Respawned as the same teammate, it is the same agent again.
    m.ok(&["respawn-pane", "-k", "-t", &pane, &cmd]);
    assert_eq!(agents(&m), "agent:t-w claude  t 1 teammate\n");
    // Respawned as something else, the teammate has ended.
    m.ok(&["respawn-pane", "-k", "-t", &pane, "exec cat"]);
    assert_eq!(
        m.line(&[
            "show-agent",
            "-t",
            "agent:t-w",
            "-F",
            "#{agent_status} #{agent_reason}"
        ]),
        "completed replaced"
    );
    // And a second teammate of the same name while the first runs gets a
    // name of its own.
    let a = m.line(&[
        "split-window",
        "-d",
        "-t",
        "s:",
        "-P",
        "-F",
        "#{pane_id}",
        &cmd,
    ]);
    let b = m.line(&[
        "split-window",
        "-d",
        "-t",
        "s:",
        "-P",
        "-F",
        "#{pane_id}",
        &cmd,
    ]);
    m.wait_history(&a, "I AM agent:t-w ");
    m.wait_history(&b, "I AM agent:t-w-2 ");
}
