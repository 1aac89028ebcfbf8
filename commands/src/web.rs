use crate::{CmdResult, Command, Flow, Host, Io, bail};

/// Serve the dashboard in the browser: every agent as a tab and a card,
/// the lineage, groups and their shared context, one activity stream with
/// filters, and the focused agent's terminal, live, with typing and
/// messages routed to it. Prints the URL to open, with this run's secret
/// token; every request must carry it. See DASHBOARD.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct Web {
    /// Where to listen, ADDRESS:PORT (port 0: any free one). Anything but
    /// loopback is reachable from the network, and says so.
    #[arg(long = "listen", value_name = "address", default_value = "127.0.0.1:7681")]
    pub listen: String,
}

impl Web {
    /// Parses the arguments after `web`, with tmux's errors.
    pub fn parse(args: &[String]) -> CmdResult<Web> {
        let mut clap = <Web as clap::CommandFactory>::command();
        let args = crate::util::getopt_order(&clap, args);
        let argv = std::iter::once(Self::NAME.to_string()).chain(args);
        clap.try_get_matches_from_mut(argv)
            .and_then(|m| <Web as clap::FromArgMatches>::from_arg_matches(&m))
            .map_err(|e| crate::util::clap_error(Self::NAME, &clap, &e))
    }
}

impl Command for Web {
    const NAME: &'static str = "web";
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, _host: &mut dyn Host, _io: &mut Io) -> CmdResult<Flow> {
        bail!("web serves the dashboard itself: run it alone, as `agmux web`")
    }
}
