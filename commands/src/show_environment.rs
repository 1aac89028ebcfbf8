use crate::environ::Var;
use crate::set_environment::env_scope;
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Show a session's environment, or the global one with -g.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ShowEnvironment {
    /// Show the global environment.
    #[arg(short = 'g')]
    global: bool,
    /// Show hidden variables.
    #[arg(short = 'h')]
    hidden: bool,
    /// Print as sh commands (`NAME="value"; export NAME;`).
    #[arg(short = 's')]
    shell: bool,
    /// The session.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
    /// One variable to show.
    #[arg(value_name = "name")]
    name: Option<String>,
}

fn line(name: &str, var: &Var, shell: bool) -> String {
    match (&var.value, shell) {
        (Some(v), false) => format!("{name}={v}"),
        (None, false) => format!("-{name}"),
        (Some(v), true) => {
            let escaped: String = v
                .chars()
                .flat_map(|c| match c {
                    '$' | '`' | '"' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            format!("{name}=\"{escaped}\"; export {name};")
        }
        (None, true) => format!("unset {name};"),
    }
}

impl Command for ShowEnvironment {
    const NAME: &'static str = "show-environment";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("showenv");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let scope = env_scope(host, io, self.global, self.target.as_deref())?;
        let Some(env) = host.environ(scope) else {
            bail!("no such session");
        };
        let mut out = Vec::new();
        if let Some(name) = &self.name {
            match env.get(name) {
                Some(var) => out.push(line(name, var, self.shell)),
                None => bail!("unknown variable: {name}"),
            }
        } else {
            for (name, var) in env.iter().filter(|(_, v)| v.hidden == self.hidden) {
                out.push(line(name, var, self.shell));
            }
        }
        for l in out {
            io.print(&l);
        }
        Ok(Flow::Continue)
    }
}
