use crate::{bail, CmdResult, Command, Flow, Host, Io, SessionId, TargetKind};

/// Make the next window (by index, wrapping around) the current one.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct NextWindow {
    /// The next window with an alert (bell, activity or silence).
    #[arg(short = 'a')]
    alert: bool,
    /// The session to move in.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
}

/// The index after (or before) the current window, wrapping around.
pub(crate) fn step(host: &dyn Host, s: SessionId, forward: bool) -> CmdResult<u32> {
    let Some(current) = host.session_found(s).map(|f| f.index) else {
        bail!("no current window");
    };
    let indices: Vec<u32> = host.windows(s).into_iter().map(|(i, _)| i).collect();
    let pos = indices.iter().position(|i| *i == current).unwrap_or(0);
    if indices.len() < 2 {
        bail!("no {} window", if forward { "next" } else { "previous" });
    }
    let next = if forward {
        (pos + 1) % indices.len()
    } else {
        (pos + indices.len() - 1) % indices.len()
    };
    Ok(indices[next])
}

/// The index of the next (or previous) window with an alert, wrapping
/// around, as tmux's session_next_alert.
pub(crate) fn step_alert(host: &dyn Host, io: &Io, s: SessionId, forward: bool) -> CmdResult<u32> {
    let current = host.session_found(s).map_or(0, |f| f.index);
    let mut indices: Vec<u32> = host.windows(s).into_iter().map(|(i, _)| i).collect();
    if !forward {
        indices.reverse();
    }
    let pos = indices.iter().position(|i| *i == current).unwrap_or(0);
    let alerted = |i: u32| {
        host.window_found(s, i).is_some_and(|f| {
            let flags = "#{window_bell_flag}#{window_activity_flag}#{window_silence_flag}";
            host.expand(io, flags, Some(&f)).contains('1')
        })
    };
    let after = indices.iter().cycle().skip(pos + 1).take(indices.len().saturating_sub(1));
    match after.copied().find(|i| alerted(*i)) {
        Some(i) => Ok(i),
        None => bail!("no {} window", if forward { "next" } else { "previous" }),
    }
}

impl Command for NextWindow {
    const NAME: &'static str = "next-window";
    const ALIAS: Option<&'static str> = Some("next");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let s = host.find(io, self.target.as_deref(), TargetKind::Session)?.session;
        let index = if self.alert {
            step_alert(host, io, s, true)?
        } else {
            step(host, s, true)?
        };
        host.select_window(s, index)?;
        Ok(Flow::Continue)
    }
}
