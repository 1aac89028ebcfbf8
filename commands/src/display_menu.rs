use crate::host::{MenuItem, MenuSpec};
use crate::{CmdResult, Command, Flow, Host, Io, TargetKind, bail};

/// Show a menu over a client and wait until it closes. Each item is a
/// name, a key and a command, all formats; an empty name is a separator
/// line and a name starting with `-` an item that cannot be chosen. The
/// arrow keys (or j and k) move, Enter or an item's key runs its command
/// as if typed at the client, Escape or q closes the menu. Shown by a
/// mouse binding, the mouse chooses too: the item under a dragging
/// button is highlighted and releasing it there runs it; a release
/// outside closes the menu.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct DisplayMenu {
    /// Keep the menu open when the mouse button is released; a click
    /// chooses an item.
    #[arg(short = 'O')]
    stay_open: bool,
    /// The client to show it on (default: the current one).
    #[arg(short = 'c', value_name = "target-client")]
    client: Option<String>,
    /// The pane the items' formats and commands refer to.
    #[arg(short = 't', value_name = "target-pane")]
    target: Option<String>,
    /// Title on the top border, a format.
    #[arg(short = 'T', value_name = "title")]
    title: Option<String>,
    /// Column, as display-popup -x.
    #[arg(short = 'x', value_name = "position")]
    x: Option<String>,
    /// Line of the bottom edge, as display-popup -y.
    #[arg(short = 'y', value_name = "position")]
    y: Option<String>,
    /// name key command ..., an empty name for a separator.
    #[arg(value_name = "name key command", required = true, num_args = 1..)]
    items: Vec<String>,
}

impl Command for DisplayMenu {
    const NAME: &'static str = "display-menu";
    const ALIAS: Option<&'static str> = Some("menu");
    const TARGET: Option<TargetKind> = Some(TargetKind::Pane);

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let client = host.find_client(io, self.client.as_deref())?;
        let at = host.find(io, self.target.as_deref(), TargetKind::Pane)?;
        if host.has_overlay(client) {
            return Ok(Flow::Continue);
        }
        let title = self
            .title
            .as_deref()
            .map(|t| host.expand(io, t, Some(&at)))
            .unwrap_or_default();
        let mut items: Vec<Option<MenuItem>> = Vec::new();
        let mut args = self.items.iter();
        while let Some(name) = args.next() {
            if name.is_empty() {
                // A line; not as the first item.
                if !items.is_empty() {
                    items.push(None);
                }
                continue;
            }
            let (Some(key), Some(command)) = (args.next(), args.next()) else {
                bail!("not enough arguments");
            };
            let name = host.expand(io, name, Some(&at));
            if name.is_empty() {
                continue;
            }
            items.push(Some(MenuItem {
                name,
                key: key.clone(),
                command: host.expand(io, command, Some(&at)),
            }));
        }
        if items.is_empty() {
            return Ok(Flow::Continue);
        }
        let spec = MenuSpec {
            title,
            stay_open: self.stay_open,
            items,
            x: self.x,
            y: self.y,
        };
        host.display_menu(io, client, &at, spec)
    }
}
