//! More of tmux 3.3a's format variables: a pane's terminal modes, the
//! windows a session stacks, who looks at a window, the client and the
//! server's user. The core ones are in formats.rs; this table joins them.

use super::emulator::MouseReport;
use super::formats::Ctx;

type VarFn = fn(&Ctx) -> Option<String>;

fn b(v: bool) -> Option<String> {
    Some(if v { "1" } else { "0" }.to_string())
}

fn n(v: impl ToString) -> Option<String> {
    Some(v.to_string())
}

fn modes(c: &Ctx) -> Option<super::emulator::Modes> {
    Some(c.pane?.io.shared.emu().modes())
}

/// The user the server runs as: its name, or its number.
fn user() -> String {
    let uid = nix::unistd::getuid();
    nix::unistd::User::from_uid(uid)
        .ok()
        .flatten()
        .map_or_else(|| uid.to_string(), |u| u.name)
}

/// Clients looking at a window: attached to a session whose current
/// window it is.
fn viewers<'a>(c: &'a Ctx) -> Option<Vec<&'a super::client::Client>> {
    let w = c.window?.id;
    Some(
        c.state
            .clients
            .values()
            .filter(|cl| {
                c.state
                    .found_session(cl.session)
                    .is_some_and(|f| f.window == w)
            })
            .collect(),
    )
}

pub static TMUX: &[(&str, VarFn)] = &[
    ("origin_flag", |c| b(modes(c)?.origin)),
    ("keypad_flag", |c| b(modes(c)?.app_keypad)),
    ("keypad_cursor_flag", |c| b(modes(c)?.app_cursor)),
    ("cursor_flag", |c| b(modes(c)?.cursor_visible)),
    // agmux's emulator always wraps and never inserts (tmux's defaults).
    ("wrap_flag", |c| c.pane.map(|_| "1".to_string())),
    ("insert_flag", |c| c.pane.map(|_| "0".to_string())),
    ("mouse_standard_flag", |c| {
        b(matches!(
            modes(c)?.mouse,
            MouseReport::Press | MouseReport::PressRelease
        ))
    }),
    ("mouse_button_flag", |c| {
        b(modes(c)?.mouse == MouseReport::ButtonMotion)
    }),
    ("mouse_all_flag", |c| {
        b(modes(c)?.mouse == MouseReport::AnyMotion)
    }),
    ("mouse_utf8_flag", |c| b(modes(c)?.mouse_utf8)),
    ("mouse_sgr_flag", |c| b(modes(c)?.mouse_sgr)),
    ("scroll_region_upper", |c| n(modes(c)?.scroll_top)),
    ("scroll_region_lower", |c| n(modes(c)?.scroll_bottom)),
    // tmux's "none saved" is UINT_MAX.
    ("alternate_saved_x", |c| {
        n(modes(c)?.saved.map_or(u32::MAX, |s| u32::from(s.0)))
    }),
    ("alternate_saved_y", |c| {
        n(modes(c)?.saved.map_or(u32::MAX, |s| u32::from(s.1)))
    }),
    ("pane_tabs", |c| {
        let tabs = modes(c)?.tabs;
        Some(
            tabs.iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(","),
        )
    }),
    ("cursor_character", |c| {
        let mut emu = c.pane?.io.shared.emu();
        let (x, y) = emu.cursor();
        let line = emu.line(i64::from(y))?;
        let text = line.plain(false);
        Some(text.chars().nth(usize::from(x)).unwrap_or(' ').to_string())
    }),
    ("pane_synchronized", |c| {
        let on = c.state.pane_opt(c.pane?.id, "synchronize-panes")?.as_flag();
        b(on)
    }),
    ("pane_dead_signal", |c| {
        let p = c.pane?;
        let signal = p
            .exit_status
            .filter(|s| p.dead && *s > 128)
            .map(|s| s - 128);
        Some(signal.map(|s| s.to_string()).unwrap_or_default())
    }),
    ("active_window_index", |c| n(c.session?.current)),
    ("last_window_index", |c| {
        n(c.session?.windows.keys().next_back()?)
    }),
    ("next_session_id", |c| {
        n(format!("${}", c.state.next_session))
    }),
    ("pane_marked", |c| {
        let m = c.state.marked_found();
        b(m.is_some_and(|m| Some(m.pane) == c.pane.map(|p| p.id)))
    }),
    ("pane_marked_set", |c| b(c.state.marked_found().is_some())),
    ("window_marked_flag", |c| {
        let m = c.state.marked_found();
        b(m.is_some_and(|m| Some(m.window) == c.window.map(|w| w.id)))
    }),
    ("session_marked", |c| {
        let m = c.state.marked_found();
        b(m.is_some_and(|m| Some(m.session) == c.session.map(|s| s.id)))
    }),
    ("pane_path", |c| n(c.pane?.io.shared.emu().path())),
    ("pane_fg", |c| pane_colour(c, true)),
    ("pane_bg", |c| pane_colour(c, false)),
    // tmux's defaults when the terminal does not say (DEFAULT_XPIXEL,
    // DEFAULT_YPIXEL).
    ("window_cell_width", |_| n(16)),
    ("window_cell_height", |_| n(32)),
    ("tree_mode_format", |_| n(TREE_MODE_FORMAT)),
    ("buffer_mode_format", |_| {
        n("#{t/p:buffer_created}: #{buffer_sample}")
    }),
    ("client_mode_format", |_| {
        n("#{t/p:client_activity}: session #{session_name}")
    }),
    ("window_activity_flag", |c| {
        alert(c, super::alerts::ACTIVITY)
    }),
    ("window_bell_flag", |c| alert(c, super::alerts::BELL)),
    ("window_silence_flag", |c| alert(c, super::alerts::SILENCE)),
    ("session_alerts", |c| {
        let s = c.session?;
        let list: Vec<String> = s
            .windows
            .iter()
            .filter_map(|(i, w)| {
                let a = c.state.alert_flags(s.id, *w);
                (a != 0).then(|| {
                    let mut t = i.to_string();
                    for (bit, ch) in [
                        (super::alerts::ACTIVITY, '#'),
                        (super::alerts::BELL, '!'),
                        (super::alerts::SILENCE, '~'),
                    ] {
                        if a & bit != 0 {
                            t.push(ch);
                        }
                    }
                    t
                })
            })
            .collect();
        Some(list.join(","))
    }),
    ("session_stack", |c| {
        let s = c.session?;
        let stack = std::iter::once(s.current).chain(s.last.iter().copied());
        Some(stack.map(|i| i.to_string()).collect::<Vec<_>>().join(","))
    }),
    ("window_stack_index", |c| {
        let s = c.session?;
        let index = c.index?;
        let stack: Vec<u32> = std::iter::once(s.current)
            .chain(s.last.iter().copied())
            .collect();
        n(stack.iter().position(|i| *i == index).unwrap_or(0))
    }),
    ("session_attached_list", |c| {
        let s = c.session?.id;
        let names: Vec<&str> = c
            .state
            .clients
            .values()
            .filter(|cl| cl.session == s)
            .map(|cl| cl.name.as_str())
            .collect();
        Some(names.join(","))
    }),
    ("window_active_clients", |c| n(viewers(c)?.len())),
    ("window_active_clients_list", |c| {
        let names: Vec<String> = viewers(c)?.iter().map(|cl| cl.name.clone()).collect();
        Some(names.join(","))
    }),
    ("window_active_sessions", |c| {
        let w = c.window?.id;
        n(c.state
            .sessions
            .values()
            .filter(|s| s.windows.get(&s.current) == Some(&w))
            .count())
    }),
    ("window_active_sessions_list", |c| {
        let w = c.window?.id;
        let names: Vec<&str> = c
            .state
            .sessions
            .values()
            .filter(|s| s.windows.get(&s.current) == Some(&w))
            .map(|s| s.name.as_str())
            .collect();
        Some(names.join(","))
    }),
    ("client_control_mode", |c| b(c.client?.control.is_some())),
    ("client_created", |c| n(c.client?.created / 1_000_000)),
    ("client_last_session", |c| {
        let s = c.client?.last_session?;
        c.state.sessions.get(&s).map(|x| x.name.clone())
    }),
    ("client_termtype", |c| c.client.map(|_| String::new())),
    ("client_termfeatures", |c| c.client.map(|_| String::new())),
    ("client_utf8", |c| c.client.map(|_| "1".to_string())),
    ("client_uid", |c| {
        c.client.map(|_| nix::unistd::getuid().to_string())
    }),
    ("client_user", |c| c.client.map(|_| user())),
    // Bytes for the client's terminal, as tmux counts them; agmux never
    // drops output for a slow terminal (it sends it fewer, fresher frames),
    // so none are discarded.
    ("client_written", |c| {
        n(c.client?.tty.as_ref().map_or(0, |t| t.written()))
    }),
    ("client_discarded", |c| c.client.map(|_| "0".to_string())),
    // A terminal's own clients only, as tmux gives them once its tty has
    // started (not a control client's).
    ("client_cell_width", |c| {
        let cl = c.client.filter(|cl| cl.control.is_none())?;
        n(cl.cell.0)
    }),
    ("client_cell_height", |c| {
        let cl = c.client.filter(|cl| cl.control.is_none())?;
        n(cl.cell.1)
    }),
    ("client_flags", |c| {
        let cl = c.client?;
        let mut flags = vec!["attached", "focused"];
        if cl.control.is_some() {
            flags.push("control-mode");
        }
        if c.state.read_only(cl.conn) {
            flags.push("read-only");
        }
        flags.push("UTF-8");
        Some(flags.join(","))
    }),
    // agmux sizes a window to its clients and never pans one larger.
    ("window_bigger", |c| {
        c.client.and(c.window).map(|_| "0".to_string())
    }),
    ("window_offset_x", |c| {
        c.client.and(c.window).map(|_| "0".to_string())
    }),
    ("window_offset_y", |c| {
        c.client.and(c.window).map(|_| "0".to_string())
    }),
    ("uid", |_| n(nix::unistd::getuid())),
    ("user", |_| Some(user())),
    ("config_files", |c| Some(c.state.config_files.join(","))),
];

/// Whether the window of the context has this alert in its session.
fn alert(c: &Ctx, bit: u8) -> Option<String> {
    let (s, w) = (c.session?, c.window?);
    Some(
        if c.state.alert_flags(s.id, w.id) & bit != 0 {
            "1"
        } else {
            "0"
        }
        .to_string(),
    )
}

/// choose-tree's default line format, as tmux 3.3a has it.
const TREE_MODE_FORMAT: &str = "#{?pane_format,#{?pane_marked,#[reverse],}#{pane_current_command}#{?pane_active,*,}#{?pane_marked,M,}#{?#{&&:#{pane_title},#{!=:#{pane_title},#{host_short}}},: \"#{pane_title}\",},#{?window_format,#{?window_marked_flag,#[reverse],}#{window_name}#{window_flags}#{?#{&&:#{==:#{window_panes},1},#{&&:#{pane_title},#{!=:#{pane_title},#{host_short}}}},: \"#{pane_title}\",},#{session_windows} windows#{?session_grouped, (group #{session_group}: #{session_group_list}),}#{?session_attached, (attached),}}}";

/// The pane's default foreground (or background) as tmux names it: from
/// window-active-style for the active pane if it sets one, else
/// window-style.
fn pane_colour(c: &Ctx, fg: bool) -> Option<String> {
    let (p, w) = (c.pane?, c.window?);
    let pick = |name: &str| {
        let spec = c
            .state
            .pane_opt(p.id, name)
            .map(|v| v.as_str().to_string())?;
        let st = super::style::parse(&spec, &crate::screen::Style::default());
        let colour = if fg { st.fg } else { st.bg };
        (colour != crate::screen::Color::Default).then_some(colour)
    };
    // As tmux's tty_default_colours: the program's own default (OSC 10,
    // 11) under each style; the active pane's when it has one.
    let palette = p.io.shared.emu().default_colours()[usize::from(!fg)];
    let active = (w.active == p.id)
        .then(|| pick("window-active-style").or(palette))
        .flatten();
    let colour = active.or_else(|| pick("window-style").or(palette));
    Some(colour.map_or("default".to_string(), colour_name))
}

/// A colour as tmux's colour_tostring writes it.
fn colour_name(c: crate::screen::Color) -> String {
    const NAMES: [&str; 8] = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    ];
    match c {
        crate::screen::Color::Default => "default".to_string(),
        crate::screen::Color::Idx(n @ 0..=7) => NAMES[n as usize].to_string(),
        crate::screen::Color::Idx(n @ 8..=15) => format!("bright{}", NAMES[n as usize - 8]),
        crate::screen::Color::Idx(n) => format!("colour{n}"),
        crate::screen::Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
    }
}

/// Line `y` of a pane's screen as text (#{mouse_line}).
pub fn pane_line(st: &super::state::State, p: commands::PaneId, y: u16) -> String {
    let Some(pane) = st.panes.get(&p) else {
        return String::new();
    };
    let mut emu = pane.io.shared.emu();
    let lines = emu.screen_lines();
    lines
        .get(y as usize)
        .map(|l| l.plain(false).trim_end().to_string())
        .unwrap_or_default()
}

/// The word at column `x` of `line`, as tmux's format_grid_word: the run
/// of characters that are neither spaces nor word separators around it;
/// on a separator, the word after it.
pub fn word_at(line: &str, x: usize, separators: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let is_sep = |c: char| c == ' ' || separators.contains(c);
    let at = |i: usize| chars.get(i).copied().unwrap_or(' ');
    let mut start = x;
    let mut found = false;
    loop {
        if is_sep(at(start)) {
            found = true;
            break;
        }
        if start == 0 {
            break;
        }
        start -= 1;
    }
    let from = if found { start + 1 } else { start };
    chars
        .iter()
        .skip(from)
        .take_while(|c| !is_sep(**c))
        .collect()
}
