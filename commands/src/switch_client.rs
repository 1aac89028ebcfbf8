use crate::{bail, CmdResult, Command, Flow, Host, Io, SessionId, TargetKind};

/// Switch a client to another session, or to another key table with -T.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SwitchClient {
    /// The last session the client was attached to.
    #[arg(short = 'l')]
    last: bool,
    /// The next session (by name).
    #[arg(short = 'n')]
    next: bool,
    /// The previous session (by name).
    #[arg(short = 'p')]
    previous: bool,
    /// The client (default: the one running the command).
    #[arg(short = 'c', value_name = "target-client")]
    client: Option<String>,
    /// The session.
    #[arg(short = 't', value_name = "target-session")]
    target: Option<String>,
    /// Put the client in this key table.
    #[arg(short = 'T', value_name = "key-table")]
    table: Option<String>,
}

impl Command for SwitchClient {
    const NAME: &'static str = "switch-client";
    const ALIAS: Option<&'static str> = Some("switchc");
    const TARGET: Option<TargetKind> = Some(TargetKind::Session);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let client = host.find_client(io, self.client.as_deref())?;
        if let Some(t) = &self.table {
            host.set_key_table(client, t);
            return Ok(Flow::Continue);
        }
        let current = host.clients().into_iter().find(|c| c.id == client).map(|c| c.session);
        let session: SessionId = if self.last {
            match host.last_session(client) {
                Some(s) => s,
                None => bail!("no last session"),
            }
        } else if self.next || self.previous {
            let all = host.sessions();
            let pos = all.iter().position(|s| Some(*s) == current).unwrap_or(0);
            let n = all.len();
            if n < 2 {
                bail!("no {} session", if self.next { "next" } else { "previous" });
            }
            all[if self.next { (pos + 1) % n } else { (pos + n - 1) % n }]
        } else {
            let found = host.find(io, self.target.as_deref(), TargetKind::Session)?;
            // A target with a window (and pane) makes them current, as in
            // tmux: choose-tree's choices are such targets.
            host.select_window(found.session, found.index)?;
            host.select_pane(found.pane);
            found.session
        };
        host.switch_client(client, session)?;
        Ok(Flow::Continue)
    }
}
