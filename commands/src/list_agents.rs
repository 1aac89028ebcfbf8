use crate::agent::{AgentView, to_json};
use crate::{CmdResult, Command, Flow, Host, Io};

/// List agents: those with a live session, or with -a every record kept.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct ListAgents {
    /// Also agents that ended: completed, failed and lost ones.
    #[arg(short = 'a')]
    all: bool,
    /// Only members of this group.
    #[arg(short = 'g', value_name = "group")]
    group: Option<String>,
    /// Only sub-agents of this agent.
    #[arg(short = 'p', value_name = "parent-agent")]
    parent: Option<String>,
    /// Show the lineage: each agent under its parent, indented.
    #[arg(long = "tree")]
    tree: bool,
    /// Format of each line.
    #[arg(short = 'F', value_name = "format")]
    format: Option<String>,
    /// Print the records as a JSON array.
    #[arg(long = "json")]
    json: bool,
}

impl Command for ListAgents {
    const NAME: &'static str = "list-agents";
    const AGENT: bool = true;
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("lsa");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let parent = match &self.parent {
            Some(p) => Some(host.agent_key(io, Some(p))?),
            None => None,
        };
        let mut agents: Vec<_> = host
            .agent_views()
            .into_iter()
            .filter(|a| self.all || a.running())
            .filter(|a| self.group.is_none() || a.group == self.group)
            .filter(|a| parent.is_none() || a.parent == parent)
            .collect();
        let mut depth = vec![0; agents.len()];
        if self.tree {
            (agents, depth) = lineage(agents);
        }
        if self.json {
            io.print(&to_json(&agents));
            return Ok(Flow::Continue);
        }
        if let Some(fmt) = &self.format {
            for (a, d) in agents.iter().zip(depth) {
                let line = host.agent_expand(io, fmt, &a.key);
                io.print(&format!("{}{line}", "  ".repeat(d)));
            }
            return Ok(Flow::Continue);
        }
        let metered = agents.iter().any(|a| a.tokens > 0 || a.cost > 0.0);
        let rows: Vec<Vec<String>> = agents
            .iter()
            .zip(depth)
            .map(|(a, d)| {
                let delivery = host.agent_expand(io, "#{agent_delivery}", &a.key);
                let mut row = columns(a, d, &delivery);
                if metered {
                    // Usage goes before the objective, which ends the line.
                    let usage = host.agent_expand(io, "#{agent_usage}", &a.key);
                    row.insert(row.len() - 1, if usage.is_empty() { "-".into() } else { usage });
                }
                row
            })
            .collect();
        for line in aligned(&rows) {
            io.print(&line);
        }
        Ok(Flow::Continue)
    }
}

/// An agent's columns: key (indented under its parent with --tree),
/// session, type, status, group (`*` for its coordinator), last activity
/// in local time, objective, and what a message to it waits for.
fn columns(a: &AgentView, depth: usize, delivery: &str) -> Vec<String> {
    let group = match (&a.group, a.coordinator) {
        (Some(g), true) => format!("{g}*"),
        (Some(g), false) => g.clone(),
        (None, _) => "-".into(),
    };
    let mut objective: String = a.objective.chars().take(48).collect();
    if !delivery.is_empty() {
        objective.push_str(&format!(" (message {delivery})"));
    }
    vec![
        format!("{}{}", "  ".repeat(depth), a.key),
        match &a.host {
            Some(h) => format!("{}@{h}", a.session),
            None => a.session.clone(),
        },
        a.kind.clone(),
        a.status.as_str().to_string(),
        group,
        crate::agent::local_time(a.activity),
        objective,
    ]
}

/// Rows as lines whose columns line up (the last is not padded).
fn aligned(rows: &[Vec<String>]) -> Vec<String> {
    let width = |c: usize| {
        rows.iter()
            .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
            .max()
            .unwrap_or(0)
    };
    let n = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..n).map(width).collect();
    rows.iter()
        .map(|r| {
            let mut line = String::new();
            for (i, cell) in r.iter().enumerate() {
                if i + 1 == r.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    let pad = widths[i] - cell.chars().count() + 2;
                    line.push_str(&" ".repeat(pad));
                }
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// Orders agents as a tree, each parent followed by its children, and
/// gives each its depth in the tree.
fn lineage(agents: Vec<AgentView>) -> (Vec<AgentView>, Vec<usize>) {
    let keys: Vec<String> = agents.iter().map(|a| a.key.clone()).collect();
    let is_root = |a: &AgentView| a.parent.as_ref().is_none_or(|p| !keys.contains(p));
    let mut out = Vec::new();
    let mut depth = Vec::new();
    let mut stack: Vec<(usize, usize)> = agents
        .iter()
        .enumerate()
        .filter(|(_, a)| is_root(a))
        .map(|(i, _)| (i, 0))
        .rev()
        .collect();
    while let Some((i, d)) = stack.pop() {
        out.push(agents[i].clone());
        depth.push(d);
        let children = agents
            .iter()
            .enumerate()
            .filter(|(_, c)| c.parent.as_deref() == Some(agents[i].key.as_str()))
            .map(|(j, _)| (j, d + 1))
            .rev();
        stack.extend(children);
    }
    (out, depth)
}
