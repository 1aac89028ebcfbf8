use crate::host::OptionScope;
use crate::options::{Value, escape};
use crate::set_hook::HOOKS;
use crate::{CmdResult, Command, Flow, Host, Io};

/// Show the commands set for hooks, as `hook[N] command`.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ShowHooks {
    /// The global hooks (the only kind).
    #[arg(short = 'g')]
    global: bool,
}

impl Command for ShowHooks {
    const NAME: &'static str = "show-hooks";
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let _ = self.global;
        let Some(opts) = host.options(OptionScope::Server) else {
            return Ok(Flow::Continue);
        };
        for h in HOOKS {
            match opts.get(h) {
                Some(Value::Array(list)) if !list.is_empty() => {
                    for (i, c) in list.iter().enumerate() {
                        io.print(&format!("{h}[{i}] {}", escape(c)));
                    }
                }
                _ => io.print(h),
            }
        }
        Ok(Flow::Continue)
    }
}
