use crate::agent::ShareOp;
use crate::agent_join_group::check_group_name;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Set or delete keys of a group's shared context, as a member of the
/// group. Every key keeps its version, its writer and when it was written.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct AgentShare {
    /// Delete this key; repeatable.
    #[arg(short = 'd', value_name = "key")]
    delete: Vec<String>,
    /// The values are JSON, stored as such.
    #[arg(short = 'j')]
    json: bool,
    /// Only if the key is at this version now (compare-and-set; 0: only if
    /// it does not exist). One key at a time.
    #[arg(long = "if-version", value_name = "N")]
    if_version: Option<String>,
    /// The agent sharing: a session or an agent key (default: the
    /// caller's agent).
    #[arg(short = 't', value_name = "target-agent")]
    target: Option<String>,
    /// The group.
    #[arg(value_name = "group")]
    group: String,
    /// Keys to set.
    #[arg(value_name = "key=value", trailing_var_arg = true, allow_hyphen_values = true)]
    pairs: Vec<String>,
}

impl Command for AgentShare {
    const NAME: &'static str = "agent-share";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("share");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        check_group_name(&self.group)?;
        let mut ops = Vec::new();
        for pair in &self.pairs {
            let Some((key, value)) = pair.split_once('=') else {
                bail!("invalid key=value: {pair}");
            };
            let value = if self.json {
                match serde_json::from_str(value) {
                    Ok(v) => v,
                    Err(e) => bail!("invalid JSON for {key}: {e}"),
                }
            } else {
                serde_json::Value::String(value.to_string())
            };
            ops.push(ShareOp::Set {
                key: key.to_string(),
                value,
            });
        }
        ops.extend(self.delete.iter().map(|k| ShareOp::Delete { key: k.clone() }));
        if ops.is_empty() {
            bail!("nothing to share: give key=value or -d key");
        }
        let if_version = match self.if_version.as_deref() {
            None => None,
            Some(_) if ops.len() > 1 => bail!("--if-version takes one key at a time"),
            Some(v) => match v.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => bail!("invalid version: {v}"),
            },
        };
        host.share(io, self.target.as_deref(), &self.group, ops, if_version)?;
        Ok(Flow::Continue)
    }
}
