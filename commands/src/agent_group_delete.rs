use crate::{CmdResult, Command, Flow, Host, Io};

/// Delete a group that has no members left, with its shared context.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentGroupDelete {
    /// The group.
    #[arg(value_name = "group")]
    group: String,
}

impl Command for AgentGroupDelete {
    const NAME: &'static str = "agent-group-delete";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        host.group_delete(io, &self.group)?;
        Ok(Flow::Continue)
    }
}
