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

    fn exec(self, host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        host.group_delete(&self.group)?;
        Ok(Flow::Continue)
    }
}
