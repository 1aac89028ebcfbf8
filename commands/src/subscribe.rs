use crate::proto::SubscribeRequest;
use crate::{CmdResult, Command, Flow, Host, Io, bail};

/// Print events as they happen: every change of the agent layer and the
/// multiplexer's sessions, windows, panes and clients coming and going, one
/// a line, until interrupted. With --since, the stored events after that id
/// come first, with no gap and no duplicate. A subscriber that does not
/// keep up is cut off with an error naming where to resume.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct Subscribe {
    /// One JSON object a line (NDJSON): id, time, type, agent, actor, detail
    /// and the event's fields.
    #[arg(long = "json")]
    pub json: bool,
    /// For people, in a pane of its own: local time, the agent on a badge
    /// of its own colour, the event and what it says.
    #[arg(long = "pretty", conflicts_with = "json")]
    pub pretty: bool,
    /// Only events this agent did or had done to it.
    #[arg(short = 't', value_name = "target-agent")]
    pub agent: Option<String>,
    /// Only events of this group.
    #[arg(short = 'g', value_name = "group")]
    pub group: Option<String>,
    /// Only these event types, separated by commas.
    #[arg(long = "events", value_name = "types")]
    pub events: Option<String>,
    /// First the stored events after this id.
    #[arg(long = "since", value_name = "id")]
    pub since: Option<String>,
    /// Also what this pane prints, as output events (not stored).
    #[arg(long = "pane-output", value_name = "target-pane")]
    pub pane_output: Option<String>,
    /// Also this pane's screen, as screen events: every row first, then
    /// the rows that change (not stored).
    #[arg(long = "screen", value_name = "target-pane")]
    pub screen: Option<String>,
}

impl Subscribe {
    /// Parses the arguments after `subscribe`, with tmux's errors.
    pub fn parse(args: &[String]) -> CmdResult<Subscribe> {
        let mut clap = <Subscribe as clap::CommandFactory>::command();
        let args = crate::util::getopt_order(&clap, args);
        let argv = std::iter::once(Self::NAME.to_string()).chain(args);
        clap.try_get_matches_from_mut(argv)
            .and_then(|m| <Subscribe as clap::FromArgMatches>::from_arg_matches(&m))
            .map_err(|e| crate::util::clap_error(Self::NAME, &clap, &e))
    }

    /// The request for the server; `env` is the client's environment.
    pub fn request(&self, env: Vec<String>) -> CmdResult<SubscribeRequest> {
        let since = match self.since.as_deref() {
            None => None,
            Some(s) => match s.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => bail!("invalid event id: {s}"),
            },
        };
        Ok(SubscribeRequest {
            since,
            agent: self.agent.clone(),
            group: self.group.clone(),
            events: self
                .events
                .as_deref()
                .map(|e| {
                    e.split(',')
                        .map(str::trim)
                        .filter(|k| !k.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            pane_output: self.pane_output.clone(),
            screen: self.screen.clone(),
            announce: false,
            env,
        })
    }
}

impl Command for Subscribe {
    const NAME: &'static str = "subscribe";
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, _host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        bail!("subscribe streams events to its own client: run it alone, as `agmux subscribe`")
    }
}
