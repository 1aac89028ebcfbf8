use crate::agent_group_save::FORMAT;
use crate::save_buffer::client_path;
use crate::source_file::Located;
use crate::{CmdResult, Command, Flow, Host, Io, Runnable, bail};
use serde_json::Value;

/// Bring back a group saved by agent-group-save: each agent that is not
/// running is resumed (its record kept, if the store still has it) or
/// started again, in its directory, parents before children; members join
/// the group, its coordinator takes the role, and context keys that are
/// missing or changed are written again (by the caller: nothing is
/// written in another agent's name, and messages stay history). A step
/// that fails is reported and the others go on.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentGroupRestore {
    /// The file agent-group-save wrote, relative to the caller's directory.
    #[arg(value_name = "file")]
    file: String,
}

fn text<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// A word for sh, quoted unless it is plain.
fn sh_quote(w: &str) -> String {
    if !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c)) {
        return w.to_string();
    }
    format!("'{}'", w.replace('\'', "'\\''"))
}

/// A command line in tmux's syntax, each word quoted as it needs.
fn line(words: &[String]) -> String {
    words
        .iter()
        .map(|w| crate::options::escape(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The command that brings agent `a` back, if it is not running, in
/// tmux's syntax (the saved command is already quoted so, as
/// #{pane_start_command} shows it).
fn start(host: &mut dyn Host, io: &Io, a: &Value) -> Option<String> {
    let (key, name, kind) = (text(a, "key"), text(a, "name"), text(a, "type"));
    let known = host.agent_view(key);
    if known.as_ref().is_some_and(|k| k.session_id.is_some()) {
        return None;
    }
    let cwd = text(a, "cwd");
    let mut argv: Vec<String>;
    match (text(a, "parent"), &known) {
        (parent, None) if !parent.is_empty() => {
            // A sub-agent the store forgot: its parent starts it again.
            argv = ["agent-spawn", "-t", parent, "-T", kind, "-n", name, "-m", "session"]
                .map(String::from)
                .to_vec();
            if !cwd.is_empty() {
                argv.extend(["-c".to_string(), cwd.to_string()]);
            }
            argv.extend(["--".to_string(), text(a, "objective").to_string()]);
            return Some(line(&argv));
        }
        _ => {
            argv = ["new-session", "-d", "-s", name, "-G", kind]
                .map(String::from)
                .to_vec();
        }
    }
    if known.is_some() {
        argv.push("--resume".into());
    }
    if !cwd.is_empty() && std::path::Path::new(cwd).is_dir() {
        argv.extend(["-c".to_string(), cwd.to_string()]);
    }
    if !text(a, "objective").is_empty() {
        argv.extend(["-o".to_string(), text(a, "objective").to_string()]);
    }
    let command = text(a, "command");
    let resume = host
        .agent_types()
        .into_iter()
        .find(|t| t.owner.is_none() && t.name == kind)
        .map(|t| t.resume)
        .unwrap_or_default();
    if known.is_none() || resume.is_empty() {
        return Some(format!("{} {command}", line(&argv)).trim_end().to_string());
    }
    // Resumed where its type knows how: the saved command's words, and the
    // type's resume arguments after them (inside a one-word shell command,
    // as words of it).
    let ctx = crate::util::HostContext { host: &*host, io };
    let mut words = crate::parse::parse(&format!("x {command}"), &ctx)
        .ok()
        .and_then(|c| c.into_iter().next())
        .map(|c| c.argv[1..].to_vec())
        .unwrap_or_default();
    match words.as_mut_slice() {
        [one] => {
            for r in &resume {
                one.push(' ');
                one.push_str(&sh_quote(r));
            }
        }
        _ => words.extend(resume),
    }
    argv.extend(words);
    Some(line(&argv))
}

impl Command for AgentGroupRestore {
    const NAME: &'static str = "agent-group-restore";
    const AGENT: bool = true;
    const START_SERVER: bool = true;
    // Each step is checked as the command it is.
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let path = client_path(io, &self.file);
        let doc: Value = match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b)
                .map_err(|e| crate::CmdError(format!("{}: not a saved group: {e}", path.display())))?,
            Err(e) => bail!("{}: {}", path.display(), crate::util::os_error(&e)),
        };
        if doc.get("agmux_group").and_then(Value::as_u64) != Some(FORMAT) {
            bail!("{}: not a saved group (agmux_group {FORMAT})", path.display());
        }
        let group = text(&doc, "group").to_string();
        if group.is_empty() {
            bail!("{}: no group named", path.display());
        }
        let agents = doc.get("agents").and_then(Value::as_array).cloned().unwrap_or_default();
        let coordinator = text(&doc, "coordinator").to_string();
        let mut steps: Vec<(String, String)> = Vec::new();
        for a in &agents {
            if let Some(cmd) = start(host, io, a) {
                steps.push((format!("starting {}", text(a, "name")), cmd));
            }
        }
        // The coordinator joins first: a new group's first member
        // coordinates it.
        let mut order: Vec<&Value> = agents.iter().collect();
        order.sort_by_key(|a| text(a, "key") != coordinator);
        for a in order {
            let member = host
                .agent_view(text(a, "key"))
                .is_some_and(|k| k.group.as_deref() == Some(group.as_str()));
            if !member {
                let argv = ["agent-join-group", "-t", text(a, "name"), &group].map(String::from);
                steps.push((format!("{} joining {group}", text(a, "name")), line(&argv)));
            }
        }
        let current = host.group_views().into_iter().find(|g| g.name == group);
        let coordinates = current.as_ref().and_then(|g| g.coordinator.as_deref()) == Some(coordinator.as_str());
        if let Some(c) = agents.iter().find(|a| text(a, "key") == coordinator)
            && current.is_some()
            && !coordinates
        {
            let argv = ["agent-join-group", "-C", "-t", text(c, "name"), &group].map(String::from);
            steps.push((format!("{} coordinating {group}", text(c, "name")), line(&argv)));
        }
        let now = match current {
            Some(_) => host.context(io, &group).unwrap_or_default(),
            None => Vec::new(),
        };
        let writer = agents.first().map(|a| text(a, "name").to_string());
        for e in doc.get("context").and_then(Value::as_array).into_iter().flatten() {
            let (key, value) = (text(e, "key"), e.get("value").cloned().unwrap_or(Value::Null));
            if key.is_empty() || now.iter().any(|n| n.key == key && n.value == value) {
                continue;
            }
            let Some(w) = &writer else { break };
            let argv = vec![
                "agent-share".to_string(),
                "-j".into(),
                "-t".into(),
                w.clone(),
                group.clone(),
                format!("{key}={value}"),
            ];
            steps.push((format!("context {key}"), line(&argv)));
        }
        let mut run: Vec<Box<dyn Runnable>> = Vec::new();
        for (what, cmd) in steps {
            // A step that fails is reported, and the others go on.
            for inner in crate::util::parse_commands(host, io, &cmd)? {
                run.push(Box::new(Located {
                    inner,
                    place: format!("agent-group-restore: {what}"),
                    verbose: false,
                }));
            }
        }
        Ok(Flow::Insert(run))
    }
}
