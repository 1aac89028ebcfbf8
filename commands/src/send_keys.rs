use crate::keys::Key;
use crate::util::parse_commands;
use crate::{CmdResult, Command, Flow, Host, Io, PaneId, Runnable, TargetKind, bail, lookup, parse_argv};

/// Send keys to a pane as if typed: tmux key names (Enter, C-c, M-x, Up,
/// F1...) become their sequences, anything else is sent as text.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SendKeys {
    /// Each argument is a format, expanded for the pane first (copy
    /// mode's `#` and `*`: the word under the cursor).
    #[arg(short = 'F')]
    format: bool,
    /// Each argument is a byte in hexadecimal.
    #[arg(short = 'H')]
    hex: bool,
    /// Send the arguments as literal text, not key names.
    #[arg(short = 'l')]
    literal: bool,
    /// Send everything this many times.
    #[arg(short = 'N', value_name = "repeat-count")]
    repeat: Option<String>,
    /// Run a copy-mode command (the first key) in a pane in copy mode.
    #[arg(short = 'X')]
    copy_command: bool,
    /// Pass on the mouse event the binding runs for.
    #[arg(short = 'M')]
    mouse: bool,
    /// The pane.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// The keys.
    #[arg(value_name = "key", trailing_var_arg = true, allow_hyphen_values = true)]
    keys: Vec<String>,
}

impl Command for SendKeys {
    const NAME: &'static str = "send-keys";
    const ALIAS: Option<&'static str> = Some("send");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(mut self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if self.format {
            let at = host.find(io, self.target.as_deref(), TargetKind::Pane)?;
            self.keys = self
                .keys
                .iter()
                .map(|k| host.expand(io, k, Some(&at)))
                .collect();
        }
        let count = match self.repeat.as_deref() {
            None => 1,
            Some(n) => match n.parse::<i64>() {
                Ok(n) if n < 1 => bail!("repeat count too small"),
                Ok(n) if n > 100_000 => bail!("repeat count too large"),
                Ok(n) => n as usize,
                Err(_) => bail!("repeat count invalid"),
            },
        };
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        if self.mouse {
            let Some(m) = io.caller.mouse else {
                bail!("no mouse target");
            };
            host.send_mouse(pane, &m)?;
            return Ok(Flow::Continue);
        }
        // -N alone in copy mode: the count for the next command, as tmux
        // keeps a mode's prefix.
        if self.keys.is_empty() && self.repeat.is_some() && host.mode_table(pane).is_some() {
            host.copy_repeat(pane, count)?;
            return Ok(Flow::Continue);
        }
        if self.copy_command {
            let Some((name, args)) = self.keys.split_first() else {
                bail!("no command specified");
            };
            for _ in 0..count {
                host.copy_command(io, pane, name, args)?;
            }
            return Ok(Flow::Continue);
        }
        if let Some(table) = host.mode_table(pane).filter(|_| !self.hex && !self.literal) {
            return Ok(Flow::Insert(self.mode_bindings(host, table, pane, count)?));
        }
        if host.in_key_mode(pane) && !self.hex && !self.literal {
            let mut run = Vec::new();
            for _ in 0..count {
                for key in self.parsed_keys() {
                    if let Some(text) = host.mode_key(pane, key) {
                        run.extend(parse_commands(host, io, &text)?);
                    }
                }
            }
            return Ok(Flow::Insert(run));
        }
        let modes = host.input_modes(pane);
        let mut once = Vec::new();
        for k in &self.keys {
            if self.hex {
                match u8::from_str_radix(k.trim_start_matches("0x"), 16) {
                    Ok(b) => once.push(b),
                    Err(_) => bail!("invalid hex: {k}"),
                }
            } else if let Some(key) = Key::parse(k).filter(|_| !self.literal) {
                once.extend(key.encode(modes));
            } else {
                once.extend_from_slice(k.as_bytes());
            }
        }
        if !once.is_empty() {
            host.write_pane(pane, &once.repeat(count))?;
        }
        Ok(Flow::Continue)
    }
}

impl SendKeys {
    /// The keys as a mode sees them: key names, or each character of text.
    fn parsed_keys(&self) -> Vec<Key> {
        self.keys
            .iter()
            .flat_map(|k| match Key::parse(k) {
                Some(key) => vec![key],
                None => k.chars().filter_map(|c| Key::parse(&c.to_string())).collect(),
            })
            .collect()
    }

    /// Keys for a pane in copy mode run the mode's bindings, as typed keys
    /// would; send-keys in a binding acts on this pane. Unbound keys are
    /// dropped, as in tmux.
    fn mode_bindings(
        &self,
        host: &dyn Host,
        table: &str,
        pane: PaneId,
        count: usize,
    ) -> CmdResult<Vec<Box<dyn Runnable>>> {
        let keys = self.parsed_keys();
        let mut run = Vec::new();
        for _ in 0..count {
            for key in &keys {
                let Some(b) = host.key_tables().get(table, key) else {
                    continue;
                };
                for argv in &b.commands {
                    let mut argv = argv.clone();
                    let is_send_keys = lookup(&argv[0]).is_ok_and(|e| e.name == Self::NAME);
                    if is_send_keys && !argv.iter().any(|a| a == "-t") {
                        argv.splice(1..1, ["-t".to_string(), pane.to_string()]);
                    }
                    run.extend(parse_argv(&argv)?);
                }
            }
        }
        Ok(run)
    }
}
