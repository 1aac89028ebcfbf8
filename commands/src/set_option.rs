use crate::host::OptionScope;
use crate::options::{self, Value};
use crate::{bail, CmdResult, Command, Flow, Host, Io, TargetKind};

/// Set an option of the server, a session, a window or a pane.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SetOption {
    /// Append to the value (strings) or add an item (arrays).
    #[arg(short = 'a')]
    pub(crate) append: bool,
    /// Expand the value as a format first.
    #[arg(short = 'F')]
    pub(crate) format: bool,
    /// Set the global value, inherited where no other is set.
    #[arg(short = 'g')]
    pub(crate) global: bool,
    /// Do not overwrite a value already set.
    #[arg(short = 'o')]
    pub(crate) only_if_unset: bool,
    /// Set a pane option.
    #[arg(short = 'p')]
    pub(crate) pane: bool,
    /// No error for an unknown option.
    #[arg(short = 'q')]
    pub(crate) quiet: bool,
    /// Set a server option.
    #[arg(short = 's')]
    pub(crate) server: bool,
    /// Unset the option, so the inherited value applies.
    #[arg(short = 'u')]
    pub(crate) unset: bool,
    /// Set a window option.
    #[arg(short = 'w')]
    pub(crate) window: bool,
    /// The session, window or pane.
    #[arg(short = 't', value_name = "target-pane")]
    pub(crate) target: Option<String>,
    /// The option, `name` or `name[index]` for arrays.
    #[arg(value_name = "option", required = true)]
    pub(crate) option: String,
    /// The value; a flag option with no value is toggled.
    #[arg(value_name = "value")]
    pub(crate) value: Option<String>,
}

/// The scope an option command works on, from the option's table entry and
/// the -s/-w/-p/-g flags.
pub(crate) struct Resolved {
    pub def: Option<&'static options::OptionDef>,
    pub scope: OptionScope,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn resolve(
    host: &mut dyn Host,
    io: &Io,
    name: &str,
    target: Option<&str>,
    global: bool,
    server: bool,
    window: bool,
    pane: bool,
) -> CmdResult<Option<Resolved>> {
    let def = options::lookup(name);
    if def.is_none() && !name.starts_with('@') {
        return Ok(None);
    }
    let level = match def.map(|d| d.scope) {
        Some(options::Scope::Server) => options::Scope::Server,
        Some(options::Scope::Session) if !window && !pane => options::Scope::Session,
        Some(_) => options::Scope::Window,
        None if server => options::Scope::Server,
        None if window || pane => options::Scope::Window,
        None => options::Scope::Session,
    };
    let scope = match level {
        options::Scope::Server => OptionScope::Server,
        options::Scope::Session if global => OptionScope::GlobalSession,
        options::Scope::Session => {
            OptionScope::Session(host.find(io, target, TargetKind::Session)?.session)
        }
        options::Scope::Window if pane => {
            OptionScope::Pane(host.find(io, target, TargetKind::Pane)?.pane)
        }
        options::Scope::Window if global => OptionScope::GlobalWindow,
        options::Scope::Window => {
            OptionScope::Window(host.find(io, target, TargetKind::Window)?.window)
        }
    };
    Ok(Some(Resolved { def, scope }))
}

/// Splits `name[3]` into the name and the array index.
pub(crate) fn split_index(option: &str) -> CmdResult<(&str, Option<usize>)> {
    match option.split_once('[') {
        Some((name, rest)) => match rest.strip_suffix(']').and_then(|i| i.parse().ok()) {
            Some(i) => Ok((name, Some(i))),
            None => bail!("invalid option: {option}"),
        },
        None => Ok((option, None)),
    }
}

/// The value in effect at a scope: its own, else inherited.
pub(crate) fn effective(host: &dyn Host, scope: OptionScope, name: &str) -> Option<Value> {
    let mut chain = vec![scope];
    match scope {
        OptionScope::Pane(p) => {
            if let Some(f) = host.pane_found(p) {
                chain.push(OptionScope::Window(f.window));
            }
            chain.push(OptionScope::GlobalWindow);
        }
        OptionScope::Window(_) => chain.push(OptionScope::GlobalWindow),
        OptionScope::Session(_) => chain.push(OptionScope::GlobalSession),
        _ => {}
    }
    chain
        .into_iter()
        .find_map(|s| host.options(s).and_then(|o| o.get(name)).cloned())
}

fn is_global(scope: OptionScope) -> bool {
    matches!(
        scope,
        OptionScope::Server | OptionScope::GlobalSession | OptionScope::GlobalWindow
    )
}

impl Command for SetOption {
    const NAME: &'static str = "set-option";
    const ALIAS: Option<&'static str> = Some("set");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let (name, index) = split_index(&self.option)?;
        let Some(r) = resolve(
            host,
            io,
            name,
            self.target.as_deref(),
            self.global,
            self.server,
            self.window,
            self.pane,
        )?
        else {
            if self.quiet {
                return Ok(Flow::Continue);
            }
            bail!("invalid option: {name}");
        };
        let scope = r.scope;
        if is_global(scope) {
            host.check_server_wide(io, "set server or global options")?;
        }
        if self.unset {
            let default = r.def.filter(|_| is_global(scope)).map(options::default_value);
            if let Some(opts) = host.options_mut(scope) {
                match (index, default) {
                    (Some(i), _) => {
                        if let Some(Value::Array(a)) = opts.get(name).cloned() {
                            let mut a = a;
                            if i < a.len() {
                                a.remove(i);
                            }
                            opts.set(name, Value::Array(a));
                        }
                    }
                    (None, Some(d)) => opts.set(name, d),
                    (None, None) => {
                        opts.unset(name);
                    }
                }
            }
            host.option_changed(scope, name);
            return Ok(Flow::Continue);
        }
        let here = host.options(scope).and_then(|o| o.get(name)).cloned();
        if self.only_if_unset && here.is_some() && !is_global(scope) {
            bail!("already set: {name}");
        }
        let value = match (&self.value, self.format) {
            (Some(v), true) => {
                let at = host.find(io, self.target.as_deref(), TargetKind::Pane).ok();
                Some(host.expand(io, v, at.as_ref()))
            }
            (v, _) => v.clone(),
        };
        let current = effective(host, scope, name);
        let new = match r.def {
            None => {
                let v = value.unwrap_or_default();
                match (self.append, current) {
                    (true, Some(Value::Str(old))) => Value::Str(old + &v),
                    _ => Value::Str(v),
                }
            }
            Some(def) => {
                let parsed = options::parse_value(
                    def,
                    value.as_deref(),
                    current.as_ref().unwrap_or(&options::default_value(def)),
                )?;
                match (parsed, current, self.append, index) {
                    (Value::Array(mut item), Some(Value::Array(mut old)), _, Some(i)) => {
                        let v = item.pop().unwrap_or_default();
                        if i < old.len() {
                            old[i] = v;
                        } else {
                            old.push(v);
                        }
                        Value::Array(old)
                    }
                    (Value::Array(item), Some(Value::Array(mut old)), true, None) => {
                        old.extend(item);
                        Value::Array(old)
                    }
                    (Value::Str(v), Some(Value::Str(old)), true, _) => Value::Str(old + &v),
                    (v, _, _, _) => v,
                }
            }
        };
        match host.options_mut(scope) {
            Some(opts) => opts.set(name, new),
            None => bail!("no such target for option: {name}"),
        }
        host.option_changed(scope, name);
        Ok(Flow::Continue)
    }
}
