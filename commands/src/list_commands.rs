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
        let entries: Vec<&Entry> = match &self.command {
            Some(name) => vec![crate::lookup(name)?],
            None => COMMANDS.iter().collect(),
        };
        for e in entries {
            let line = match &self.format {
                Some(f) => expand(f, &EntryVars(e)),
                None => e.usage(),
            };
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}
