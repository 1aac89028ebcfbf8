use crate::host::TreeSpec;
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind};

/// Choose from the windows whose name, pane title or visible content
/// match: choose-tree with a filter. Without -C, -N or -T all three are
/// searched.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct FindWindow {
    /// Match the visible content of panes.
    #[arg(short = 'C')]
    content: bool,
    /// Ignore case.
    #[arg(short = 'i')]
    ignore_case: bool,
    /// Match window names.
    #[arg(short = 'N')]
    name: bool,
    /// The match string is an extended regular expression, not a glob
    /// pattern.
    #[arg(short = 'r')]
    regex: bool,
    /// Match pane titles.
    #[arg(short = 'T')]
    title: bool,
    /// Zoom the pane while choosing.
    #[arg(short = 'Z')]
    zoom: bool,
    /// The pane to show the tree in.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// What to look for.
    #[arg(value_name = "match-string")]
    pattern: String,
}

impl Command for FindWindow {
    const NAME: &'static str = "find-window";
    const ALIAS: Option<&'static str> = Some("findw");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let pane = host.find(io, self.target.as_deref(), TargetKind::Pane)?.pane;
        let spec = TreeSpec {
            template: "switch-client -t '%%'".to_string(),
            preview: true,
            zoom: self.zoom,
            filter: Some(self.filter()),
            ..TreeSpec::default()
        };
        host.choose_tree(io, pane, spec)?;
        Ok(Flow::Continue)
    }
}

impl FindWindow {
    /// The filter tmux builds, to the byte.
    fn filter(&self) -> String {
        let suffix = match (self.regex, self.ignore_case) {
            (true, true) => "/ri",
            (true, false) => "/r",
            (false, true) => "/i",
            (false, false) => "",
        };
        let s = &self.pattern;
        let all = !self.content && !self.name && !self.title;
        let (c, n, t) = (
            all || self.content,
            all || self.name,
            all || self.title,
        );
        let content = format!("#{{C{suffix}:{s}}}");
        let name = format!("#{{m{suffix}:*{s}*,#{{window_name}}}}");
        let title = format!("#{{m{suffix}:*{s}*,#{{pane_title}}}}");
        match (c, n, t) {
            (true, true, true) => format!("#{{||:{content},#{{||:{name},{title}}}}}"),
            (true, true, false) => format!("#{{||:{content},{name}}}"),
            (true, false, true) => format!("#{{||:{content},{title}}}"),
            (false, true, true) => format!("#{{||:{name},{title}}}"),
            (true, false, false) => content,
            (false, true, false) => name,
            _ => title,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn filter(args: &[&str]) -> String {
        let argv = std::iter::once("find-window").chain(args.iter().copied());
        FindWindow::parse_from(argv).filter()
    }

    #[test]
    fn builds_tmux_filters() {
        assert_eq!(
            filter(&["x"]),
            "#{||:#{C:x},#{||:#{m:*x*,#{window_name}},#{m:*x*,#{pane_title}}}}"
        );
        assert_eq!(filter(&["-N", "-i", "x"]), "#{m/i:*x*,#{window_name}}");
        assert_eq!(
            filter(&["-C", "-T", "-r", "x"]),
            "#{||:#{C/r:x},#{m/r:*x*,#{pane_title}}}"
        );
        assert_eq!(filter(&["-ri", "-C", "x"]), "#{C/ri:x}");
    }
}
