use crate::agent::{AgentSpawn as Spec, SpawnMode};
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Start a sub-agent with a task, under the spawning limits: in run mode
/// (one task, its result goes to the parent and its session away) or
/// session mode (it stays and takes messages).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentSpawn {
    /// Print the new agent (format from -F, default its key).
    #[arg(short = 'P')]
    print: bool,
    /// Format printed by -P.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Copy this file into the child's own directory (AGMUX_FILES);
    /// repeatable.
    #[arg(short = 'a', value_name = "file")]
    files: Vec<String>,
    /// run (default) or session.
    #[arg(short = 'm', value_name = "mode")]
    mode: Option<String>,
    /// Name of the child's session.
    #[arg(short = 'n', value_name = "name")]
    name: Option<String>,
    /// The agent type (default: shell, which runs the task as a command).
    #[arg(short = 'T', value_name = "type")]
    kind: Option<String>,
    /// Seconds a run may take; past them it ends, failed.
    #[arg(long = "timeout", value_name = "seconds")]
    timeout: Option<String>,
    /// The parent (default: the caller's agent).
    #[arg(short = 't', value_name = "parent-agent")]
    target: Option<String>,
    /// Start a top-level agent, with no parent (the operator only).
    #[arg(long = "top")]
    top: bool,
    /// The directory it starts in (default: its type's, else its
    /// parent's, else the caller's).
    #[arg(short = 'c', value_name = "start-directory")]
    cwd: Option<String>,
    /// Work in a new git worktree of that directory's repository, on a
    /// branch of its own (agmux/<key>); its result names the branch and
    /// what changed.
    #[arg(long = "worktree")]
    worktree: bool,
    /// Start it on another host sharing the store (agent-store): that
    /// host's server starts it, as asked there by the caller, and prints
    /// what it would print here.
    #[arg(long = "host", value_name = "host")]
    on_host: Option<String>,
    /// The task.
    #[arg(value_name = "task", trailing_var_arg = true, allow_hyphen_values = true)]
    task: Vec<String>,
}

impl Command for AgentSpawn {
    const NAME: &'static str = "agent-spawn";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("spawn");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let mode = match self.mode.as_deref() {
            None | Some("run") => SpawnMode::Run,
            Some("session") => SpawnMode::Session,
            Some(m) => bail!("invalid mode: {m} (run or session)"),
        };
        let timeout = match self.timeout.as_deref() {
            None => None,
            Some(t) => match t.parse::<u64>() {
                Ok(n) if n > 0 => Some(n),
                _ => bail!("invalid timeout: {t}"),
            },
        };
        let task = self.task.join(" ");
        if task.trim().is_empty() {
            bail!("no task given");
        }
        let parent = match (self.top, &self.target) {
            (true, Some(_)) => bail!("--top and -t contradict each other"),
            (true, None) => None,
            (false, t) => Some(host.agent_key(io, t.as_deref())?),
        };
        if let Some(h) = &self.on_host {
            if !self.files.is_empty() {
                bail!("-a can't be used with --host: the files are on this host");
            }
            let argv = self.remote_argv(parent.as_deref(), mode, timeout, &task);
            return host.agent_spawn_on(io, h, argv);
        }
        let spec = Spec {
            kind: self.kind,
            mode,
            name: self.name,
            timeout,
            files: self.files,
            cwd: self.cwd,
            task,
            worktree: if self.worktree {
                crate::agent::Worktree::Wanted
            } else {
                crate::agent::Worktree::No
            },
            print: self
                .print
                .then(|| self.format.unwrap_or_else(|| "#{agent_key}".into())),
        };
        host.agent_spawn(io, parent.as_deref(), spec)
    }
}

impl AgentSpawn {
    /// The same agent-spawn, for the other host's server: the parent
    /// resolved here, everything else as given.
    fn remote_argv(
        &self,
        parent: Option<&str>,
        mode: SpawnMode,
        timeout: Option<u64>,
        task: &str,
    ) -> Vec<String> {
        let mut v: Vec<String> = vec!["agent-spawn".into()];
        match parent {
            Some(p) => v.extend(["-t".into(), p.to_string()]),
            None => v.push("--top".into()),
        }
        v.extend(["-m".into(), mode.as_str().to_string()]);
        let opts = [("-n", &self.name), ("-T", &self.kind), ("-c", &self.cwd)];
        for (flag, value) in opts {
            if let Some(x) = value {
                v.extend([flag.to_string(), x.clone()]);
            }
        }
        if let Some(t) = timeout {
            v.extend(["--timeout".into(), t.to_string()]);
        }
        if self.worktree {
            v.push("--worktree".into());
        }
        if self.print {
            v.push("-P".into());
            if let Some(f) = &self.format {
                v.extend(["-F".into(), f.clone()]);
            }
        }
        v.extend(["--".into(), task.to_string()]);
        v
    }
}
