use crate::hooks::{self, HookScope};
use crate::host::OptionScope;
use crate::options::Value;
use crate::set_hook::hook_scope;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Show hooks, as `hook[N] command`: with -g every hook there is (the
/// unset ones by name alone), else those set on the session, window (-w)
/// or pane (-p).
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ShowHooks {
    /// The global hooks.
    #[arg(short = 'g')]
    global: bool,
    /// Pane hooks.
    #[arg(short = 'p')]
    pane: bool,
    /// Window hooks.
    #[arg(short = 'w')]
    window: bool,
    /// The session, window or pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// One hook to show.
    #[arg(value_name = "hook")]
    hook: Option<String>,
}

impl Command for ShowHooks {
    const NAME: &'static str = "show-hooks";
    const ACCESS: crate::Access = crate::Access::Read;
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let kind = if self.window || self.pane {
            HookScope::Window
        } else {
            HookScope::Session
        };
        let scope = hook_scope(host, io, kind, self.target.as_deref(), self.global, self.pane)?;
        let global = matches!(scope, OptionScope::GlobalSession | OptionScope::GlobalWindow);
        let names: Vec<String> = match &self.hook {
            Some(h) => {
                if !hooks::is_hook(h) {
                    bail!("invalid option: {h}");
                }
                if hooks::scope_of(h) != Some(kind) {
                    return Ok(Flow::Continue);
                }
                vec![h.clone()]
            }
            None => {
                let mut all = hooks::all(kind);
                if kind == HookScope::Session {
                    all.extend(hooks::AGENT_HOOKS.iter().map(|h| h.to_string()));
                    all.sort();
                }
                all
            }
        };
        let opts = host.options(scope);
        for name in names {
            let list = match opts.and_then(|o| o.get(&name)) {
                Some(Value::Array(list)) => list.as_slice(),
                _ => &[],
            };
            let set: Vec<(usize, &String)> =
                list.iter().enumerate().filter(|(_, c)| !c.is_empty()).collect();
            if set.is_empty() {
                // agmux's own hooks are listed only once set, so that
                // the listing is tmux's.
                if global && (self.hook.is_some() || !hooks::AGENT_HOOKS.contains(&name.as_str())) {
                    io.print(&name);
                }
                continue;
            }
            for (i, c) in set {
                io.print(&format!("{name}[{i}] {c}"));
            }
        }
        Ok(Flow::Continue)
    }
}
