//! Worktrees: an agent that works in a git worktree of its own, on a branch
//! of its own, so that coding agents running side by side never overwrite
//! each other's files. Making one runs git off the main loop (a job); the
//! spawn goes on when it is made. The agent's result names its branch and
//! what changed; `agent-forget --cleanup` removes the worktree, and nothing
//! else ever does.

use crate::server::state::State;
use crate::store::AgentRow;
use commands::agent::{AgentSpawn, Worktree};
use commands::host::{Io, JobSpec};
use commands::{CmdError, CmdResult, Flow, Host};

/// The branch for an agent: `agmux/` and its key, as a git ref allows.
pub fn branch_for(key: &str) -> String {
    let name: String = key
        .trim_start_matches("agent:")
        .chars()
        .map(|c| match c {
            ':' => '/',
            c if c.is_ascii_alphanumeric() || "-_./".contains(c) => c,
            _ => '-',
        })
        .collect();
    format!("agmux/{}", name.replace("..", "-"))
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Runs git, returning its output, or its error as one line.
fn git(dir: &str, args: &[&str]) -> Result<String, String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(err.lines().next().unwrap_or("git failed").to_string())
    }
}

impl State {
    /// Makes a worktree for the agent about to be spawned as `key`, from
    /// the repository `cwd` is in, then spawns it there.
    pub fn spawn_in_new_worktree(
        &mut self,
        io: &Io,
        parent: Option<&str>,
        mut spec: AgentSpawn,
        key: &str,
        cwd: &str,
    ) -> CmdResult<Flow> {
        if self.agents.store.is_err() {
            commands::bail!("no agent store to keep worktrees beside");
        }
        let mut root = crate::store::path_for(&self.info.socket).into_os_string();
        root.push(".d");
        let root = std::path::PathBuf::from(root).join("worktrees");
        let base_name = key.replace(':', "_");
        let mut path = root.join(&base_name);
        let mut n = 2;
        while path.exists() {
            path = root.join(format!("{base_name}-{n}"));
            n += 1;
        }
        let path = path.display().to_string();
        let branch = branch_for(key);
        let script = format!(
            "cd {cwd} || exit 3\n\
             git rev-parse --show-toplevel >/dev/null 2>&1 || {{ echo \"$PWD is not in a git repository\" >&2; exit 3; }}\n\
             base=$(git rev-parse HEAD) || exit 3\n\
             b={branch}; n=2\n\
             while git show-ref --verify -q \"refs/heads/$b\"; do b={branch}-$n; n=$((n+1)); done\n\
             mkdir -p {root} && git worktree add -q -b \"$b\" {path} \"$base\" >&2 || exit 3\n\
             echo \"$base $b\"",
            cwd = sh_quote(cwd),
            root = sh_quote(&root.display().to_string()),
            branch = sh_quote(&branch),
            path = sh_quote(&path),
        );
        let parent = parent.map(str::to_string);
        let job = JobSpec {
            command: script,
            cwd: None,
            at: None,
            delay: None,
        };
        let then: commands::host::JobThen = Box::new(move |host: &mut dyn Host, io, result| {
            if result.status != 0 {
                let why = result
                    .error
                    .lines()
                    .next()
                    .unwrap_or("git failed")
                    .to_string();
                return Err(CmdError::new(format!("can't make a worktree: {why}")));
            }
            // A branch left by an earlier agent of the same key is kept;
            // the script picked the next free name.
            let out = result.output.trim();
            let (base, branch) = out.split_once(' ').unwrap_or((out, branch.as_str()));
            spec.cwd = Some(path.clone());
            spec.worktree = Worktree::Made {
                path,
                branch: branch.to_string(),
                base: base.to_string(),
            };
            host.agent_spawn(io, parent.as_deref(), spec)
        });
        Ok(self.run_job(io, job, then, true))
    }

    /// What an agent with a worktree changed, for its result: its branch,
    /// git's summary against the commit it started from, and files it
    /// made that git does not track yet.
    pub fn worktree_summary(row: &AgentRow) -> Option<String> {
        if row.worktree.is_empty() {
            return None;
        }
        let stat = git(&row.worktree, &["diff", "--shortstat", &row.base])
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        let untracked = git(
            &row.worktree,
            &["ls-files", "--others", "--exclude-standard"],
        )
        .map(|s| s.lines().count())
        .unwrap_or(0);
        let mut what = if stat.is_empty() {
            "no changes to tracked files".to_string()
        } else {
            stat
        };
        if untracked > 0 {
            what.push_str(&format!(", {untracked} new untracked"));
        }
        Some(format!("branch {}: {what}", row.branch))
    }

    /// Removes an agent's worktree (its branch stays, with its work).
    pub fn remove_worktree(row: &AgentRow) -> CmdResult {
        if row.worktree.is_empty() {
            return Ok(());
        }
        // The repository the worktree belongs to, from the worktree itself.
        let common = git(&row.worktree, &["rev-parse", "--git-common-dir"])
            .map_err(|e| CmdError::new(format!("can't remove {}: {e}", row.worktree)))?;
        let common = common.trim();
        let repo = std::path::Path::new(&row.worktree).join(common);
        let repo = repo
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        git(&repo, &["worktree", "remove", "--force", &row.worktree])
            .map(|_| ())
            .map_err(|e| CmdError::new(format!("can't remove {}: {e}", row.worktree)))
    }
}
