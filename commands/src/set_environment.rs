use crate::environ::Var;
use crate::host::EnvScope;
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Set or unset a variable in a session's environment, or the global one
/// with -g; new panes get it.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SetEnvironment {
    /// Expand the value as a format first.
    #[arg(short = 'F')]
    format: bool,
    /// Change the global environment.
    #[arg(short = 'g')]
    global: bool,
    /// Hide the variable from show-environment without -h.
    #[arg(short = 'h')]
    hidden: bool,
    /// Mark the variable to be removed from new panes' environment.
    #[arg(short = 'r')]
    remove: bool,
    /// Unset the variable.
    #[arg(short = 'u')]
    unset: bool,
    /// The session.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
    /// The variable.
    #[arg(value_name = "name", required = true)]
    name: String,
    /// Its value.
    #[arg(value_name = "value")]
    value: Option<String>,
}

pub(crate) fn env_scope(
    host: &mut dyn Host,
    io: &Io,
    global: bool,
    target: Option<&str>,
) -> CmdResult<EnvScope> {
    if global {
        Ok(EnvScope::Global)
    } else {
        Ok(EnvScope::Session(host.find(io, target, TargetKind::Session)?.session))
    }
}

impl Command for SetEnvironment {
    const NAME: &'static str = "set-environment";
    const ALIAS: Option<&'static str> = Some("setenv");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if self.name.is_empty() {
            bail!("empty variable name");
        }
        if self.name.contains('=') {
            bail!("variable name contains =");
        }
        let scope = env_scope(host, io, self.global, self.target.as_deref())?;
        if scope == EnvScope::Global {
            host.check_server_wide(io, "set the global environment")?;
        }
        let value = match (&self.value, self.format) {
            (Some(v), true) => {
                let at = host.find(io, self.target.as_deref(), TargetKind::Pane).ok();
                Some(host.expand(io, v, at.as_ref()))
            }
            (v, _) => v.clone(),
        };
        let env = match host.environ_mut(scope) {
            Some(e) => e,
            None => bail!("no such session"),
        };
        if self.unset {
            if value.is_some() {
                bail!("can't specify a value with -u");
            }
            env.unset(&self.name);
        } else if self.remove {
            if value.is_some() {
                bail!("can't specify a value with -r");
            }
            env.clear(&self.name);
        } else {
            let Some(value) = value else {
                bail!("no value specified");
            };
            env.set_var(
                &self.name,
                Var {
                    value: Some(value),
                    hidden: self.hidden,
                },
            );
        }
        Ok(Flow::Continue)
    }
}
