use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Join a coordination group. The first member becomes its coordinator.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentJoinGroup {
    /// Ask to be the coordinator: refused while another coordinator is
    /// alive, unless -f.
    #[arg(short = 'C')]
    coordinator: bool,
    /// With -C, take the role from a live coordinator.
    #[arg(short = 'f')]
    force: bool,
    /// The agent: a session or an agent key (default: the caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
    /// The group.
    #[arg(value_name = "group")]
    group: String,
}

impl Command for AgentJoinGroup {
    const NAME: &'static str = "agent-join-group";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        check_group_name(&self.group)?;
        let key = host.agent_key(io, self.target.as_deref())?;
        host.agent_join(io, &key, &self.group, self.coordinator, self.force)?;
        Ok(Flow::Continue)
    }
}

/// Group names go in formats, targets and JSON: printable, no spaces.
pub(crate) fn check_group_name(g: &str) -> CmdResult {
    if g.is_empty() || g.len() > 128 || g.chars().any(|c| c.is_whitespace() || c.is_control()) {
        bail!("invalid group name: {g:?}");
    }
    Ok(())
}
