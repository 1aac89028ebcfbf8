use crate::agent::to_json;
use crate::options::escape;
use crate::{CmdResult, Command, Flow, Host, Io};

/// List the types of agent: each as the agent-type command that defines it.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListAgentTypes {
    /// Print the types as a JSON array.
    #[arg(long = "json")]
    json: bool,
}

impl Command for ListAgentTypes {
    const NAME: &'static str = "list-agent-types";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let types = host.agent_types();
        if self.json {
            io.print(&to_json(&types));
            return Ok(Flow::Continue);
        }
        for t in types {
            // An agent's own types are listed, not offered as configuration.
            let mut line = match &t.owner {
                Some(o) => format!("# {o}: agent-type"),
                None => String::from("agent-type"),
            };
            if let Some(c) = &t.cwd {
                line.push_str(&format!(" -c {}", escape(c)));
            }
            for e in &t.env {
                line.push_str(&format!(" -e {}", escape(e)));
            }
            line.push_str(if t.inject { " --inject" } else { " --no-inject" });
            line.push_str(&format!(" {} --", escape(&t.name)));
            for a in &t.command {
                line.push(' ');
                line.push_str(&escape(a));
            }
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}
