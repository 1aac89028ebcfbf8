use crate::{CmdResult, Command, Flow, Host, Io, bail};

/// Serve MCP (the Model Context Protocol) on stdin and stdout, for an agent
/// program in a pane: `claude mcp add agmux -- agmux mcp`. Each tool call is
/// an agmux command run as the agent whose program started it: sessions_spawn,
/// sessions_send, sessions_list, sessions_history, sessions_reply,
/// sessions_inbox, sessions_ack, sessions_wait, sessions_done, sessions_stop,
/// context_share, context_get, peers_list, groups_join, groups_leave,
/// groups_list and status_report. A sub-agent that may not spawn is not
/// offered sessions_spawn; agent-type --tools and --deny-tools narrow the
/// list. Sub-agents' results are pushed to their parent as logging
/// notifications.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct Mcp {}

impl Command for Mcp {
    const NAME: &'static str = "mcp";
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, _host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        bail!("mcp serves its own stdin and stdout: run it alone, as `agmux mcp`")
    }
}
