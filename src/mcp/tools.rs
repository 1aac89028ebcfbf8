//! The tools: each builds an agmux command line. Their descriptions are
//! what an agent reads to decide when to use them.

use super::{Agmux, argv};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock};
use rmcp::schemars::{self, JsonSchema};
use rmcp::{tool, tool_router};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SpawnArgs {
    /// What the sub-agent is to do: its whole task, as you would tell a
    /// colleague. For the `shell` type, a shell command to run.
    task: String,
    /// The agent type to start (`list-agent-types`), e.g. `claude`; default
    /// `shell`.
    #[serde(default)]
    agent: Option<String>,
    /// `run` (default): one task; its result comes back to you and its
    /// session goes. `session`: it stays and takes messages.
    #[serde(default)]
    mode: Option<String>,
    /// A name for its session, to find it by later.
    #[serde(default)]
    label: Option<String>,
    /// The directory it starts in (default: its type's, else yours).
    #[serde(default)]
    cwd: Option<String>,
    /// Seconds a run may take before it is ended as failed.
    #[serde(default)]
    run_timeout_seconds: Option<u64>,
    /// Files copied into its own directory ($AGMUX_FILES).
    #[serde(default)]
    attachments: Vec<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendArgs {
    /// The agent to send to: its key (`agent:name`) or session name.
    #[serde(default)]
    session_key: Option<String>,
    /// Or the agent whose role or session name is this label.
    #[serde(default)]
    label: Option<String>,
    /// The message.
    message: String,
    /// Seconds to wait for the reply (0 or absent: do not wait). On time
    /// out the message stays delivered and the result says `timeout`.
    #[serde(default)]
    timeout_seconds: Option<f64>,
    /// Continue this thread (from an earlier send or your inbox).
    #[serde(default)]
    thread: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListArgs {
    /// Only the sub-agents of this agent.
    #[serde(default)]
    parent: Option<String>,
    /// Only agents in this status (active, idle, waiting, paused,
    /// completed, failed, stopped, lost).
    #[serde(default)]
    status: Option<String>,
    /// Only members of this group.
    #[serde(default)]
    group: Option<String>,
    /// Also agents that have ended.
    #[serde(default)]
    include_completed: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistoryArgs {
    /// The agent: its key or session name.
    session_key: String,
    /// Only the last this many messages and events.
    #[serde(default)]
    limit: Option<u64>,
    /// Also what its pane shows now.
    #[serde(default)]
    include_output: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ReplyArgs {
    /// The thread to answer (from your inbox).
    thread: String,
    /// Your reply. Exactly REPLY_SKIP ends the thread.
    message: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InboxArgs {
    /// Only messages you have not read.
    #[serde(default)]
    unread_only: bool,
    /// Mark the messages returned as read.
    #[serde(default)]
    mark_read: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct AckArgs {
    /// Ids of messages to mark read.
    ids: Vec<u64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WaitArgs {
    /// The sub-agents to wait for (default: all your running ones).
    #[serde(default)]
    session_keys: Vec<String>,
    /// Return as soon as any of them has ended.
    #[serde(default)]
    any: bool,
    /// Give up after this many seconds: the result says `timeout` and
    /// lists what ended so far.
    #[serde(default)]
    timeout_seconds: Option<f64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct DoneArgs {
    /// Your result: what your parent (or whoever started you) gets.
    result: String,
    /// The task failed.
    #[serde(default)]
    failed: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StopArgs {
    /// The sub-agent to stop.
    session_key: String,
    /// Why, for its record and for you.
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShareArgs {
    /// Your group.
    group: String,
    /// The key.
    key: String,
    /// The value: any JSON (a string stays a string).
    #[serde(default)]
    value: Value,
    /// Compare-and-set: only if the key is at this version now (0: only if
    /// it does not exist). A conflict fails and names the current version.
    #[serde(default)]
    if_version: Option<u64>,
    /// Delete the key instead.
    #[serde(default)]
    delete: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ContextArgs {
    /// The group (default: yours).
    #[serde(default)]
    group: Option<String>,
    /// One key (default: all), with its version and writer.
    #[serde(default)]
    key: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct JoinArgs {
    /// The group to join.
    group: String,
    /// Ask to be its coordinator (refused while another one is alive).
    #[serde(default)]
    coordinator: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusArgs {
    /// Your status: active (working), idle, waiting (for input), paused,
    /// completed or failed.
    #[serde(default)]
    status: Option<String>,
    /// Tokens used since your last report.
    #[serde(default)]
    tokens: Option<u64>,
    /// Count a task finished.
    #[serde(default)]
    task_done: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct NoArgs {}

/// Adds `flag value` when there is a value.
fn opt(v: &mut Vec<String>, flag: &str, value: Option<String>) {
    if let Some(x) = value {
        v.push(flag.into());
        v.push(x);
    }
}

fn text(s: impl Into<String>) -> CallToolResult {
    CallToolResult::success(vec![ContentBlock::text(s.into())])
}

fn failure(s: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(s.into())])
}

#[tool_router(vis = "pub(super)")]
impl Agmux {
    #[tool(
        description = "Start a sub-agent with a task. In run mode (the default) it does one task and its result comes back to you (as a notification, in your inbox, and from sessions_wait); in session mode it stays and takes messages. Returns its sessionKey. Refused past the limits on depth, children, concurrency and allowed types, naming the limit."
    )]
    async fn sessions_spawn(&self, Parameters(a): Parameters<SpawnArgs>) -> CallToolResult {
        let mut v = argv(&["agent-spawn", "-P", "-F", "#{agent_key} #{agent_status}"]);
        if self.me().await.key.is_none() {
            v.push("--top".into());
        }
        opt(&mut v, "-T", a.agent);
        opt(&mut v, "-m", a.mode);
        opt(&mut v, "-n", a.label);
        opt(&mut v, "-c", a.cwd);
        opt(
            &mut v,
            "--timeout",
            a.run_timeout_seconds.map(|s| s.to_string()),
        );
        for f in a.attachments {
            v.extend(["-a".into(), f]);
        }
        v.extend(["--".into(), a.task]);
        match self.run(v).await {
            Ok(c) if c.code == 0 => {
                let mut words = c.stdout.split_whitespace();
                let key = words.next().unwrap_or("");
                let status = words.next().unwrap_or("");
                text(json!({"sessionKey": key, "status": status}).to_string())
            }
            Ok(c) => failure(c.stderr.trim_end()),
            Err(e) => failure(e),
        }
    }

    #[tool(
        description = "Send a message to another agent (by sessionKey or label). It lands in their inbox and, if their program takes typed messages, is typed into their pane when it is ready. With timeoutSeconds > 0, wait for the reply on the thread and return it; on time out the message stays delivered. Use thread to continue a conversation; a reply of exactly REPLY_SKIP ends it."
    )]
    async fn sessions_send(&self, Parameters(a): Parameters<SendArgs>) -> CallToolResult {
        let mut v = argv(&["agent-send", "--json"]);
        opt(&mut v, "-t", a.session_key);
        opt(&mut v, "-l", a.label);
        opt(&mut v, "--thread", a.thread);
        opt(
            &mut v,
            "--wait",
            a.timeout_seconds
                .filter(|s| *s > 0.0)
                .map(|s| s.to_string()),
        );
        v.extend(["--".into(), a.message]);
        match self.run(v).await {
            // A time out still says which thread, and that it timed out.
            Ok(c) if c.code == 0 || (c.code == 2 && !c.stdout.is_empty()) => text(c.stdout),
            Ok(c) => failure(c.stderr.trim_end()),
            Err(e) => failure(e),
        }
    }

    #[tool(
        description = "List agents: key, session, type, objective, status, parent, group and result. Filter by parent, status or group; includeCompleted also lists those that have ended."
    )]
    async fn sessions_list(&self, Parameters(a): Parameters<ListArgs>) -> CallToolResult {
        let mut v = argv(&["list-agents", "--json"]);
        if a.include_completed || a.status.is_some() {
            v.push("-a".into());
        }
        opt(&mut v, "-p", a.parent);
        opt(&mut v, "-g", a.group);
        match self.run(v).await {
            Ok(c) if c.code == 0 => {
                let list: Vec<Value> = serde_json::from_str::<Vec<Value>>(&c.stdout)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|x| a.status.as_deref().is_none_or(|s| x["status"] == s))
                    .collect();
                text(Value::Array(list).to_string())
            }
            Ok(c) => failure(c.stderr.trim_end()),
            Err(e) => failure(e),
        }
    }

    #[tool(
        description = "An agent's history: its record, its messages both ways, its events, and its result or error; with includeOutput what its pane shows. You may read your own, your sub-agents' and your group peers'."
    )]
    async fn sessions_history(&self, Parameters(a): Parameters<HistoryArgs>) -> CallToolResult {
        let mut v = argv(&["agent-history", "--json", "-t", &a.session_key]);
        opt(&mut v, "-n", a.limit.map(|n| n.to_string()));
        if a.include_output {
            v.push("-p".into());
        }
        self.call(v).await
    }

    #[tool(
        description = "Reply on a thread from your inbox. Turns alternate; REPLY_SKIP ends the thread."
    )]
    async fn sessions_reply(&self, Parameters(a): Parameters<ReplyArgs>) -> CallToolResult {
        self.call(vec!["agent-reply".into(), a.thread, "--".into(), a.message])
            .await
    }

    #[tool(
        description = "Your inbox: messages, replies and your sub-agents' results, with their ids, threads and senders."
    )]
    async fn sessions_inbox(&self, Parameters(a): Parameters<InboxArgs>) -> CallToolResult {
        let mut v = argv(&["agent-inbox", "--json"]);
        if a.unread_only {
            v.push("--unread".into());
        }
        if a.mark_read {
            v.push("--mark-read".into());
        }
        self.call(v).await
    }

    #[tool(description = "Mark messages in your inbox read, by id.")]
    async fn sessions_ack(&self, Parameters(a): Parameters<AckArgs>) -> CallToolResult {
        let mut v = argv(&["agent-inbox"]);
        for id in a.ids {
            v.extend(["--ack".into(), id.to_string()]);
        }
        self.call(v).await
    }

    #[tool(
        description = "Wait for your sub-agents to end (all your running ones, or those named; with any, the first) and return their results. With timeoutSeconds, give up then and say what ended so far."
    )]
    async fn sessions_wait(&self, Parameters(a): Parameters<WaitArgs>) -> CallToolResult {
        let mut v = argv(&["agent-wait", "--json"]);
        if a.any {
            v.push("--any".into());
        }
        opt(
            &mut v,
            "--timeout",
            a.timeout_seconds.map(|s| s.to_string()),
        );
        for k in a.session_keys {
            v.extend(["-t".into(), k]);
        }
        match self.run(v).await {
            Ok(c) if c.code == 0 => text(c.stdout),
            Ok(c) if c.code == 2 => {
                let ended: Value = serde_json::from_str(&c.stdout).unwrap_or(Value::Null);
                text(json!({"status": "timeout", "ended": ended}).to_string())
            }
            Ok(c) => failure(c.stderr.trim_end()),
            Err(e) => failure(e),
        }
    }

    #[tool(
        description = "End your task with its result (or failed): your parent gets it at once. In run mode your session then goes."
    )]
    async fn sessions_done(&self, Parameters(a): Parameters<DoneArgs>) -> CallToolResult {
        let mut v = argv(&["agent-done"]);
        if a.failed {
            v.push("--failed".into());
        }
        v.extend(["--".into(), a.result]);
        self.call(v).await
    }

    #[tool(
        description = "Stop one of your sub-agents: its program is ended, its status becomes stopped with the reason, and its result comes back to you."
    )]
    async fn sessions_stop(&self, Parameters(a): Parameters<StopArgs>) -> CallToolResult {
        let mut v = argv(&["agent-stop", "-t", &a.session_key]);
        opt(&mut v, "--reason", a.reason);
        self.call(v).await
    }

    #[tool(
        description = "Write a key of your group's shared context (any JSON value), or delete it. Every key has a version: with ifVersion the write happens only if the key is still at that version (compare-and-set; 0 = only if new), else it fails naming the current version. Returns the key's new version."
    )]
    async fn context_share(&self, Parameters(a): Parameters<ShareArgs>) -> CallToolResult {
        let mut v = argv(&["agent-share"]);
        opt(&mut v, "--if-version", a.if_version.map(|n| n.to_string()));
        if a.delete {
            v.extend(["-d".into(), a.key.clone(), a.group.clone()]);
        } else {
            let value = match &a.value {
                Value::String(s) => s.clone(),
                other => {
                    v.push("-j".into());
                    other.to_string()
                }
            };
            v.extend([a.group.clone(), format!("{}={value}", a.key)]);
        }
        match self.run(v).await {
            Ok(c) if c.code == 0 && a.delete => {
                text(json!({"key": a.key, "deleted": true}).to_string())
            }
            Ok(c) if c.code == 0 => {
                self.call(vec![
                    "agent-context".into(),
                    "--json".into(),
                    a.group,
                    a.key,
                ])
                .await
            }
            Ok(c) => failure(c.stderr.trim_end()),
            Err(e) => failure(e),
        }
    }

    #[tool(
        description = "Read your group's shared context: every key (or one) with its value, version, writer and time."
    )]
    async fn context_get(&self, Parameters(a): Parameters<ContextArgs>) -> CallToolResult {
        let mut v = argv(&["agent-context", "--json"]);
        v.extend(a.group);
        v.extend(a.key);
        self.call(v).await
    }

    #[tool(description = "The other agents in your group, and which one coordinates it.")]
    async fn peers_list(&self, Parameters(_): Parameters<NoArgs>) -> CallToolResult {
        self.call(argv(&["agent-peers", "--json"])).await
    }

    #[tool(
        description = "Join a coordination group (the first member coordinates it; ask with coordinator)."
    )]
    async fn groups_join(&self, Parameters(a): Parameters<JoinArgs>) -> CallToolResult {
        let mut v = argv(&["agent-join-group"]);
        if a.coordinator {
            v.push("-C".into());
        }
        v.push(a.group);
        self.call(v).await
    }

    #[tool(description = "Leave your group; a coordinator hands the role on.")]
    async fn groups_leave(&self, Parameters(_): Parameters<NoArgs>) -> CallToolResult {
        self.call(argv(&["agent-leave-group"])).await
    }

    #[tool(description = "List the coordination groups: members, coordinator, context size.")]
    async fn groups_list(&self, Parameters(_): Parameters<NoArgs>) -> CallToolResult {
        self.call(argv(&["list-agent-groups", "--json"])).await
    }

    #[tool(
        description = "Report your status (waiting when you wait for input, active when you work: messages are typed to you only when you wait), tokens used since your last report, and finished tasks."
    )]
    async fn status_report(&self, Parameters(a): Parameters<StatusArgs>) -> CallToolResult {
        let mut v = argv(&["set-agent"]);
        opt(&mut v, "-s", a.status);
        opt(&mut v, "--tokens", a.tokens.map(|n| n.to_string()));
        if a.task_done {
            v.push("--task-done".into());
        }
        if v.len() == 1 {
            return failure("nothing to report: give status, tokens or taskDone");
        }
        self.call(v).await
    }
}
