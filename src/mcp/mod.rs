//! `agmux mcp`: an MCP server over stdio, for agents in panes (Claude
//! Code, Codex, any MCP client). It is a thin client of the agmux server:
//! each tool call is an agmux command sent over the socket, so it holds no
//! state of its own, survives a server restart, and is exactly as allowed,
//! and recorded, as the same command typed by the agent that started it
//! (the server tells who calls from the process tree: an MCP server started
//! by an agent's program is that agent; started outside every pane, the
//! operator).
//!
//! Sub-agents that may not spawn are not offered `sessions_spawn`, and an
//! agent type can narrow the tools further (`agent-type --tools`,
//! `--deny-tools`). A child's result is pushed to its parent's client as a
//! logging notification as soon as it is stored.

// MCP's logging notifications are deprecated in the newest protocol
// (SEP-2577), but they are what clients of the protocol versions agmux
// speaks receive unasked: a child's result reaches its parent by one.
#![allow(deprecated)]

mod frames;
mod tools;

use crate::Global;
use crate::client::{self, Captured};
use crate::paths::Flavor;
use commands::proto::{self, ClientMsg, PROTOCOL_VERSION, ServerMsg, SubscribeRequest};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, LoggingLevel, LoggingMessageNotificationParam, PaginatedRequestParams,
    ProtocolVersion, ServerCapabilities, ServerConfig, SetLevelRequestParams, Tool,
};
use rmcp::service::{NotificationContext, RequestContext};
use rmcp::{ErrorData as McpError, Peer, RoleServer, ServerHandler, ServiceExt};
use serde_json::Value;
use std::borrow::Cow;

const INSTRUCTIONS: &str = "agmux runs you in a terminal pane beside other agents. \
Use these tools to start sub-agents for parts of your task (sessions_spawn), message \
other agents and wait for their replies (sessions_send, sessions_reply, sessions_inbox), \
wait for your sub-agents' results (sessions_wait; they are also pushed to you as \
notifications), share versioned key/value context with your group (context_share, \
context_get), and report your status and usage (status_report). You always act as \
yourself: agmux knows which agent you are.";

/// `agmux mcp`.
pub fn main(flavor: Flavor, g: &Global, args: &[String]) -> i32 {
    if !args.is_empty() {
        eprintln!("usage: agmux mcp (an MCP server on stdin and stdout)");
        return 1;
    }
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mcp: {e}");
            return 1;
        }
    };
    let server = Agmux {
        flavor,
        global: g.clone(),
        tool_router: Agmux::tool_router(),
    };
    let code = rt.block_on(async move {
        // stdout carries JSON-RPC only: every word for people goes to
        // stderr.
        let running = match server.serve(frames::stdio()).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("mcp: {e}");
                return 1;
            }
        };
        match running.waiting().await {
            Ok(_) => 0,
            Err(e) => {
                eprintln!("mcp: {e}");
                1
            }
        }
    });
    // A read of stdin may still be pending in the runtime's blocking pool:
    // don't wait for it.
    std::process::exit(code)
}

#[derive(Clone)]
pub struct Agmux {
    flavor: Flavor,
    global: Global,
    tool_router: ToolRouter<Agmux>,
}

/// The caller's agent as the server sees it, for what it is offered.
struct Me {
    key: Option<String>,
    may_spawn: bool,
    tools: Vec<String>,
    deny_tools: Vec<String>,
}

impl Agmux {
    /// Runs an agmux command line as this process (so as its agent).
    async fn run(&self, argv: Vec<String>) -> Result<Captured, String> {
        let (flavor, g) = (self.flavor, self.global.clone());
        tokio::task::spawn_blocking(move || client::capture(flavor, &g, argv))
            .await
            .map_err(|e| e.to_string())?
    }

    /// A command's outcome as a tool result: its output on success, its
    /// one-line error (isError) otherwise.
    async fn call(&self, argv: Vec<String>) -> CallToolResult {
        match self.run(argv).await {
            Ok(c) if c.code == 0 => CallToolResult::success(vec![ContentBlock::text(c.stdout)]),
            Ok(c) => CallToolResult::error(vec![ContentBlock::text(c.stderr.trim_end())]),
            Err(e) => CallToolResult::error(vec![ContentBlock::text(e)]),
        }
    }

    async fn me(&self) -> Me {
        let shown = self.run(argv(&["show-agent", "--json"])).await;
        match shown
            .ok()
            .filter(|c| c.code == 0)
            .and_then(|c| serde_json::from_str::<Value>(&c.stdout).ok())
        {
            Some(v) => {
                let list = |k: &str| -> Vec<String> {
                    v[k].as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                Me {
                    key: v["key"].as_str().map(str::to_string),
                    may_spawn: v["may_spawn"].as_bool().unwrap_or(false),
                    tools: list("tools"),
                    deny_tools: list("deny_tools"),
                }
            }
            // Not an agent: the operator, who may start top-level agents.
            None => Me {
                key: None,
                may_spawn: true,
                tools: Vec::new(),
                deny_tools: Vec::new(),
            },
        }
    }

    /// Whether `me` is offered tool `name`.
    fn offered(me: &Me, name: &str) -> bool {
        if name == "sessions_spawn" && !me.may_spawn {
            return false;
        }
        if !me.tools.is_empty() && !me.tools.iter().any(|t| t == name) {
            return false;
        }
        !me.deny_tools.iter().any(|t| t == name)
    }

    /// Pushes the caller's children's results to its client, as they are
    /// stored, resuming after any disconnect from the last one seen.
    fn push_results(&self, peer: Peer<RoleServer>, key: String) {
        let (flavor, g) = (self.flavor, self.global.clone());
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Value>();
        std::thread::spawn(move || follow_results(flavor, &g, &key, &tx));
        tokio::spawn(async move {
            while let Some(ev) = rx.recv().await {
                let data = serde_json::json!({
                    "type": "result",
                    "child": ev["child"],
                    "status": ev["status"],
                    "result": ev["result"],
                    "event": ev["id"],
                });
                let note = LoggingMessageNotificationParam::new(LoggingLevel::Info, data)
                    .with_logger("agmux");
                if peer.notify_logging_message(note).await.is_err() {
                    break;
                }
            }
        });
    }
}

/// Follows `key`'s result events on a connection of its own; a server
/// restart only pauses it.
fn follow_results(
    flavor: Flavor,
    g: &Global,
    key: &str,
    tx: &tokio::sync::mpsc::UnboundedSender<Value>,
) {
    let mut since: Option<u64> = None;
    loop {
        if let Ok(stream) = client::socket_path(flavor, g)
            .and_then(|p| std::os::unix::net::UnixStream::connect(p).map_err(|e| e.to_string()))
        {
            let req = SubscribeRequest {
                since,
                agent: Some(key.to_string()),
                events: vec!["result".into()],
                ..SubscribeRequest::default()
            };
            let mut frames = proto::encode(&ClientMsg::Hello {
                version: PROTOCOL_VERSION,
            });
            frames.extend(proto::encode(&ClientMsg::Subscribe(req)));
            let mut w = &stream;
            if std::io::Write::write_all(&mut w, &frames).is_ok() {
                let mut r = &stream;
                while let Ok(Some(body)) = proto::read_frame(&mut r) {
                    let Ok(ServerMsg::Event { event }) = proto::decode::<ServerMsg>(&body) else {
                        continue;
                    };
                    since = event["id"].as_u64().or(since);
                    // Results for this agent, not results it caused.
                    if event["agent"] == key && tx.send(event).is_err() {
                        return;
                    }
                }
            }
        }
        if tx.is_closed() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// An argv from words.
fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

impl ServerHandler for Agmux {
    fn get_info(&self) -> ServerConfig {
        let caps = ServerCapabilities::builder()
            .enable_tools()
            .enable_logging()
            .build();
        ServerConfig::new(caps)
            .with_server_info(Implementation::new("agmux", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    /// The handshake in which servers may send notifications unasked: a
    /// child's result must reach its parent without a request.
    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        Cow::Borrowed(ProtocolVersion::known_up_to(&ProtocolVersion::V_2025_11_25))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        let me = self.me().await;
        let tools: Vec<Tool> = self
            .tool_router
            .list_all()
            .into_iter()
            .filter(|t| Agmux::offered(&me, &t.name))
            .collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let me = self.me().await;
        if !Agmux::offered(&me, &request.name) {
            return Err(McpError::invalid_params("tool not found", None));
        }
        self.tool_router
            .call(ToolCallContext::new(self, request, context))
            .await
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tool_router.get(name).cloned()
    }

    async fn set_level(
        &self,
        _request: SetLevelRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        Ok(())
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        if let Some(key) = self.me().await.key {
            self.push_results(context.peer, key);
        }
    }
}
