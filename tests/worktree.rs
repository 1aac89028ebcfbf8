//! Agents in git worktrees of their own: parallel coding agents never
//! touch each other's files, a result names the branch and what changed,
//! and the worktree goes only when asked.

mod common;
use common::{BIN, Mux};
use serde_json::Value;
use std::process::Command;

fn json(s: &str) -> Value {
    serde_json::from_str(s.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_worktree_agent_works_on_its_own_branch_and_says_what_changed() {
    let m = Mux::new();
    let repo = m.dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("lexer.rs"), "fn lex() {}\n").unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "start"]);
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "p",
        "-c",
        repo.to_str().unwrap(),
        "-G",
        "shell",
        &m.runner("p"),
    ]);
    m.wait_text("p", "RUNNER");
    // Two editors at once, each in its own tree.
    m.ok(&[
        "agent-type",
        "--worktree",
        "editor",
        "--",
        "sh",
        "-c",
        &format!(
            "echo \"// {{task}}\" >> lexer.rs; echo new > notes-{{task}}.md; \
             {BIN} agent-done \"edited in $PWD\""
        ),
    ]);
    m.inside_ok("p", &["agent-spawn", "-T", "editor", "one"]);
    m.inside_ok("p", &["agent-spawn", "-T", "editor", "two"]);
    let results = json(&m.inside_ok("p", &["agent-wait", "--json", "--timeout", "20"]));
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 2, "{results:?}");
    for i in [1, 2] {
        let r = results
            .iter()
            .find(|r| r["agent"] == format!("agent:p:sub:{i}"))
            .unwrap();
        let text = r["result"].as_str().unwrap();
        assert!(
            text.ends_with(&format!(
                "\n\nbranch agmux/p/sub/{i}: 1 file changed, 1 insertion(+), 1 new untracked"
            )),
            "{text}"
        );
        let key = format!("agent:p:sub:{i}");
        let wt = m.ok(&["show-agent", "-t", &key, "-F", "#{agent_worktree}"]);
        let wt = wt.trim_end();
        assert!(wt.ends_with(&format!("sub_{i}")), "{wt}");
        assert!(
            text.starts_with(&format!("edited in {wt}")),
            "{text} vs {wt}"
        );
    }
    // The parent's checkout is untouched; the branches hold the work.
    assert_eq!(
        std::fs::read_to_string(repo.join("lexer.rs")).unwrap(),
        "fn lex() {}\n"
    );
    let branches = git(&repo, &["branch", "--list", "agmux/*"]);
    assert!(
        branches.contains("agmux/p/sub/1") && branches.contains("agmux/p/sub/2"),
        "{branches}"
    );
    // Removed only when asked; the branch stays.
    let v = json(&m.ok(&["show-agent", "-t", "agent:p:sub:1", "--json"]));
    let wt = v["worktree"].as_str().unwrap().to_string();
    assert!(std::path::Path::new(&wt).exists());
    m.ok(&["agent-forget", "-t", "agent:p:sub:1", "--cleanup"]);
    assert!(!std::path::Path::new(&wt).exists(), "{wt}");
    assert!(git(&repo, &["branch", "--list", "agmux/*"]).contains("agmux/p/sub/1"));
    m.ok(&["agent-forget", "-t", "agent:p:sub:2"]);
    assert!(git(&repo, &["worktree", "list"]).contains("sub_2"));
    // A new agent never takes over a branch that is already there.
    git(&repo, &["branch", "agmux/p/sub/3"]);
    m.inside_ok("p", &["agent-spawn", "-T", "editor", "three"]);
    let r = json(&m.inside_ok("p", &["agent-wait", "--json", "--timeout", "20"]));
    let text = r[0]["result"].as_str().unwrap_or_default().to_string();
    assert!(text.starts_with("edited in "), "{r}");
    assert_eq!(r[0]["agent"], "agent:p:sub:3");
    assert!(
        text.ends_with("branch agmux/p/sub/3-2: 1 file changed, 1 insertion(+), 1 new untracked"),
        "{text}"
    );
    let b = m.ok(&["show-agent", "-t", "agent:p:sub:3", "-F", "#{agent_branch}"]);
    assert_eq!(b, "agmux/p/sub/3-2\n");
}

#[test]
fn outside_a_repository_it_says_so() {
    let m = Mux::new();
    let plain = m.dir.join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    m.ok(&[
        "new-session",
        "-d",
        "-s",
        "p",
        "-c",
        plain.to_str().unwrap(),
        "-G",
        "shell",
        &m.runner("p"),
    ]);
    m.wait_text("p", "RUNNER");
    let e = m.inside_fail("p", &["agent-spawn", "--worktree", "true"]);
    assert!(
        e.starts_with("can't make a worktree: ") && e.ends_with(" is not in a git repository"),
        "{e}"
    );
    assert_eq!(
        m.ok(&["list-agents", "-a", "-F", "#{agent_key}"]),
        "agent:p\n"
    );
}
