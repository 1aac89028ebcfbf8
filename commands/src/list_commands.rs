use crate::format::{expand, Lookup};
use crate::{CmdResult, Command, Entry, Flow, Host, Io, COMMANDS};

/// List the commands with their usage.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListCommands {
    /// Format of each line (command_list_name, command_list_alias,
    /// command_list_usage).
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Only this command.
    #[arg(value_name = "command")]
    command: Option<String>,
}

struct EntryVars<'a>(&'a Entry);

impl Lookup for EntryVars<'_> {
    fn var(&self, name: &str) -> Option<String> {
        match name {
            "command_list_name" => Some(self.0.name.to_string()),
            "command_list_alias" => Some(self.0.alias.unwrap_or("").to_string()),
            "command_list_usage" => {
                let u = self.0.usage();
                let rest = u.split_once(' ').map(|(_, r)| r).unwrap_or("");
                let rest = match self.0.alias {
                    Some(_) => rest.split_once(' ').map(|(_, r)| r).unwrap_or(""),
                    None => rest,
                };
                Some(rest.to_string())
            }
            _ => None,
        }
    }
}

impl Command for ListCommands {
    const NAME: &'static str = "list-commands";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("lscm");

    fn exec(self, _host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        io.out.push_str(&self.output()?);
        Ok(Flow::Continue)
    }
}

impl ListCommands {
    fn output(&self) -> CmdResult<String> {
        let entries: Vec<&Entry> = match &self.command {
            Some(name) => vec![crate::lookup(name)?],
            None => COMMANDS.iter().collect(),
        };
        let mut out = String::new();
        for e in entries {
            match &self.format {
                Some(f) => out.push_str(&expand(f, &EntryVars(e))),
                None => out.push_str(&e.usage()),
            }
            out.push('\n');
        }
        Ok(out)
    }

    /// list-commands without a server (it needs none, as in tmux): the
    /// arguments after its name.
    pub fn without_server(args: &[String]) -> CmdResult<String> {
        let mut clap = <ListCommands as clap::CommandFactory>::command();
        let args = crate::util::getopt_order(&clap, args);
        let argv = std::iter::once(Self::NAME.to_string()).chain(args);
        let me = clap
            .try_get_matches_from_mut(argv)
            .and_then(|m| <ListCommands as clap::FromArgMatches>::from_arg_matches(&m))
            .map_err(|e| crate::util::clap_error(Self::NAME, &clap, &e))?;
        me.output()
    }
}
