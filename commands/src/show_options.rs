use crate::options::{self, Value};
use crate::set_option::{resolve, split_index};
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};
use crate::host::OptionScope;

/// Show options of the server, a session, a window or a pane.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ShowOptions {
    /// Include inherited values, marked with `*`.
    #[arg(short = 'A')]
    pub(crate) inherited: bool,
    /// Show the global values.
    #[arg(short = 'g')]
    pub(crate) global: bool,
    /// Show pane options.
    #[arg(short = 'p')]
    pub(crate) pane: bool,
    /// No error for an unknown option.
    #[arg(short = 'q')]
    pub(crate) quiet: bool,
    /// Show server options.
    #[arg(short = 's')]
    pub(crate) server: bool,
    /// Print only the value.
    #[arg(short = 'v')]
    pub(crate) value_only: bool,
    /// Show window options.
    #[arg(short = 'w')]
    pub(crate) window: bool,
    /// The session, window or pane.
    #[arg(short = 't', value_name = "target-pane")]
    pub(crate) target: Option<String>,
    /// One option to show.
    #[arg(value_name = "option")]
    pub(crate) option: Option<String>,
}

fn lines(name: &str, value: &Value, index: Option<usize>, value_only: bool, mark: &str) -> Vec<String> {
    let one = |n: String, v: &str| {
        if value_only {
            v.to_string()
        } else {
            format!("{n}{mark} {}", options::escape(v))
        }
    };
    match value {
        // An empty array is listed by its name alone, as tmux does.
        Value::Array(items) if items.is_empty() && index.is_none() && !value_only => {
            vec![format!("{name}{mark}")]
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter(|(i, _)| index.is_none_or(|want| want == *i))
            .map(|(i, v)| one(format!("{name}[{i}]"), v))
            .collect(),
        v => vec![one(name.to_string(), &v.to_text())],
    }
}

impl Command for ShowOptions {
    const NAME: &'static str = "show-options";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("show");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if let Some(option) = &self.option {
            let (name, index) = split_index(option)?;
            let Some(r) = resolve(
                host, io, name, self.target.as_deref(), self.global, self.server, self.window, self.pane,
            )?
            else {
                if self.quiet {
                    return Ok(Flow::Continue);
                }
                bail!("invalid option: {name}");
            };
            let own = host.options(r.scope).and_then(|o| o.get(name)).cloned();
            let (value, mark) = match own {
                Some(v) => (Some(v), ""),
                None if self.inherited => (crate::set_option::effective(host, r.scope, name), "*"),
                None => (None, ""),
            };
            match value {
                Some(v) => {
                    for l in lines(name, &v, index, self.value_only, mark) {
                        io.print(&l);
                    }
                }
                None if r.def.is_none() && !self.quiet => bail!("invalid option: {name}"),
                None => {}
            }
            return Ok(Flow::Continue);
        }
        let scope = if self.server {
            OptionScope::Server
        } else if self.window || self.pane {
            match (self.pane, self.global) {
                (true, _) => OptionScope::Pane(host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane),
                (false, true) => OptionScope::GlobalWindow,
                (false, false) => OptionScope::Window(
                    host.find(io, self.target.as_deref(), TargetKind::Window)?.window,
                ),
            }
        } else if self.global {
            OptionScope::GlobalSession
        } else {
            OptionScope::Session(host.find(io, self.target.as_deref(), TargetKind::Session)?.session)
        };
        let mut all: Vec<(String, Value, &str)> = host
            .options(scope)
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| !crate::hooks::is_hook(k))
                    .map(|(k, v)| (k.to_string(), v.clone(), ""))
                    .collect()
            })
            .unwrap_or_default();
        if self.inherited {
            for def in options::TABLE {
                if !all.iter().any(|(k, _, _)| k == def.name)
                    && let Some(v) = crate::set_option::effective(host, scope, def.name)
                        && host.options(scope).is_some_and(|o| o.get(def.name).is_none())
                            && matches!(
                                (def.scope, scope),
                                (options::Scope::Session, OptionScope::Session(_))
                                    | (options::Scope::Window, OptionScope::Window(_) | OptionScope::Pane(_))
                            )
                        {
                            all.push((def.name.to_string(), v, "*"));
                        }
            }
            all.sort_by(|a, b| a.0.cmp(&b.0));
        }
        all.sort_by_key(|(name, _, _)| options::list_rank(name));
        for (name, value, mark) in all {
            for l in lines(&name, &value, None, self.value_only, mark) {
                io.print(&l);
            }
        }
        Ok(Flow::Continue)
    }
}
