//! display-popup and display-menu: overlays over an attached client's
//! screen that take its keys while they show, as tmux's popup.c and
//! menu.c. A popup runs a program on a terminal of its own; a menu runs
//! the command of the item chosen. The command that showed either waits
//! until it closes.

use super::PaneRef;
use super::client::Client;
use super::input::Mouse;
use super::pane::PaneIo;
use super::state::State;
use super::style::{self, Canvas};
use super::tty::modes;
use crate::screen::Style;
use commands::host::{Io, MenuSpec, PopupSpec, SpawnSpec};
use commands::keys::{Key, KeyCode};
use commands::{CmdResult, Flow, Found, PaneId};

/// The id a popup's program runs under: it is no pane of any window.
pub const POPUP_PANE: PaneId = PaneId(u32::MAX - 1);

pub enum Overlay {
    Popup(Box<Popup>),
    Menu(Menu),
}

/// Where an overlay is and the command waiting for it.
struct Place {
    x: usize,
    y: usize,
    w: usize,
    h: usize,
}

pub struct Popup {
    place: Place,
    /// Where it was asked to be, for when the client is resized.
    asked: (usize, usize, usize, usize),
    /// The program, until it is gone.
    io: Option<PaneIo>,
    /// Its screen, kept after it exits.
    screen: std::sync::Arc<super::pane::Shared>,
    run: PaneRef,
    /// The border's six characters (corners clockwise from the top left,
    /// then horizontal and vertical), or none.
    border: Option<[char; 6]>,
    title: String,
    style: Style,
    border_style: Style,
    /// -E: 1 closes when the program exits, 2 when it exits with 0.
    close_on_exit: u8,
    /// A move or resize by the mouse in progress.
    drag: PopupDrag,
    /// The last mouse event the popup kept: cell and button code.
    last_mouse: (i64, i64, u32),
    exit_status: Option<i32>,
    eof: bool,
    /// What a command-line client waiting for it exits with: the
    /// program's status, 128 + SIGHUP until it has one, as in tmux.
    status: i32,
    waiting: Option<Waiting>,
}

pub struct Menu {
    place: Place,
    title: String,
    items: Vec<Option<Item>>,
    /// The item under the cursor.
    choice: Option<usize>,
    /// Shown by a mouse binding: the mouse chooses (tmux's menus shown
    /// otherwise close at a click).
    mouse: bool,
    /// -O: stays open when the button is released.
    stay_open: bool,
    /// Where the chosen command runs.
    at: Found,
    /// The mouse event of the binding that showed it, which the chosen
    /// command gets too (`=`, #{mouse_*}).
    event: Option<commands::host::MouseTarget>,
    waiting: Option<Waiting>,
}

/// What dragging a popup with the mouse does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PopupDrag {
    Off,
    /// Button 1 on the border (or with Meta): the popup follows; the
    /// offset is where it was taken.
    Move(i64, i64),
    /// Button 3 on the border: the bottom right corner follows.
    Size,
}

impl Popup {
    /// The mouse moved while dragging the popup: it follows (or its
    /// corner does), kept on the client's `screen`, as tmux's
    /// popup_handle_drag; a release ends the drag.
    fn follow_drag(&mut self, x: i64, y: i64, b: u32, screen: (i64, i64)) {
        let pl = &mut self.place;
        let (sx, sy) = (pl.w as i64, pl.h as i64);
        match self.drag {
            _ if !dragging(b) => self.drag = PopupDrag::Off,
            PopupDrag::Move(dx, dy) => {
                let px = if x < dx {
                    0
                } else if x - dx + sx > screen.0 {
                    screen.0 - sx
                } else {
                    x - dx
                };
                let py = if y < dy {
                    0
                } else if y - dy + sy > screen.1 {
                    screen.1 - sy
                } else {
                    y - dy
                };
                pl.x = px.max(0) as usize;
                pl.y = py.max(0) as usize;
                self.drag = PopupDrag::Move(x - pl.x as i64, y - pl.y as i64);
                self.asked = (pl.x, pl.y, pl.w, pl.h);
            }
            PopupDrag::Size => {
                let (px, py) = (pl.x as i64, pl.y as i64);
                let least = if self.border.is_some() { 3 } else { 1 };
                if x < px + least || y < py + least {
                    return;
                }
                pl.w = (x - px) as usize;
                pl.h = (y - py) as usize;
                self.asked = (pl.x, pl.y, pl.w, pl.h);
                let inset = if self.border.is_some() { 2 } else { 0 };
                if let Some(io) = &self.io {
                    io.resize((pl.w - inset) as u16, (pl.h - inset) as u16);
                }
            }
            PopupDrag::Off => {}
        }
    }
}

/// What a mouse event does to a menu, as tmux's menu_key_cb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MenuMouse {
    /// Nothing more; redraw if the highlighted item changed.
    Stay(bool),
    Close,
    /// Run the highlighted item.
    Choose,
}

/// tmux's tests on its button codes.
fn buttons(b: u32) -> u32 {
    b & 195
}
fn released(b: u32) -> bool {
    buttons(b) == 3
}
fn wheel(b: u32) -> bool {
    b & 64 != 0
}
fn dragging(b: u32) -> bool {
    b & 32 != 0
}

impl Menu {
    /// A mouse event at client cell (x, y) with tmux's button code `b`.
    fn mouse(&mut self, x: i64, y: i64, b: u32) -> MenuMouse {
        if !self.mouse {
            // Shown from the keyboard: button 1 does nothing, anything
            // else closes it.
            return if buttons(b) != 0 {
                MenuMouse::Close
            } else {
                MenuMouse::Stay(false)
            };
        }
        let (px, py) = (self.place.x as i64, self.place.y as i64);
        let (width, count) = (self.place.w as i64 - 4, self.items.len() as i64);
        let outside = x < px || x > px + 4 + width || y < py + 1 || y > py + count;
        if outside {
            let close = if self.stay_open {
                !released(b) && !wheel(b) && !dragging(b)
            } else {
                released(b)
            };
            if close {
                return MenuMouse::Close;
            }
            return MenuMouse::Stay(self.choice.take().is_some());
        }
        let choose = if self.stay_open {
            !wheel(b) && !dragging(b)
        } else {
            released(b)
        };
        if choose {
            return MenuMouse::Choose;
        }
        let old = self.choice.replace((y - py - 1) as usize);
        MenuMouse::Stay(old != self.choice)
    }
}

struct Item {
    /// As drawn: without the `-` of an item that cannot be chosen.
    name: String,
    enabled: bool,
    key: Option<Key>,
    /// The key as shown after the name, if there is room.
    key_shown: Option<String>,
    command: String,
}

/// The queue of the command that showed an overlay, parked until it
/// closes.
struct Waiting {
    queue: u64,
    /// Whether the program's exit status is the command's (a command-line
    /// client's, as tmux sets its retval).
    status: bool,
}

/// The border characters of a popup-border-lines choice.
fn border_chars(lines: &str) -> Option<[char; 6]> {
    Some(match lines {
        "none" => return None,
        "double" => ['╔', '╗', '╝', '╚', '═', '║'],
        "heavy" => ['┏', '┓', '┛', '┗', '━', '┃'],
        "rounded" => ['╭', '╮', '╯', '╰', '─', '│'],
        "simple" => ['+', '+', '+', '+', '-', '|'],
        "padded" => [' '; 6],
        _ => ['┌', '┐', '┘', '└', '─', '│'],
    })
}

/// strtol: the leading number of a string, 0 if none.
fn leading_number(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    let n = digits[..end].parse::<i64>().unwrap_or(0);
    if neg { -n } else { n }
}

/// Draws `text` (a format's result, with `#[...]` styles and
/// `#[align=...]`) in `width` columns from (x, y), as tmux's format_draw.
fn draw_format(canvas: &mut Canvas, x: usize, y: usize, width: usize, text: &str, base: Style) {
    // The parts for the left, centre and right.
    let mut parts: [Vec<(Style, String)>; 3] = Default::default();
    let mut part = 0;
    let mut st = base;
    let mut rest = text;
    loop {
        let (chunk, directive) = match rest.find("#[") {
            Some(i) => {
                let after = &rest[i + 2..];
                match after.find(']') {
                    Some(end) => (&rest[..i], Some((&after[..end], &after[end + 1..]))),
                    None => (rest, None),
                }
            }
            None => (rest, None),
        };
        if !chunk.is_empty() {
            parts[part].push((st, chunk.to_string()));
        }
        let Some((spec, next)) = directive else {
            break;
        };
        let mut plain = Vec::new();
        for word in spec.split([',', ' ']).filter(|w| !w.is_empty()) {
            match word {
                "align=left" => part = 0,
                "align=centre" | "align=center" => part = 1,
                "align=right" => part = 2,
                w if w.starts_with("align=") || w.starts_with("list") => {}
                w => plain.push(w),
            }
        }
        if !plain.is_empty() {
            style::apply(&mut st, &plain.join(","), &base);
        }
        rest = next;
    }
    let len = |p: &Vec<(Style, String)>| p.iter().map(|(_, t)| style::width(t)).sum::<usize>();
    let put = |canvas: &mut Canvas, from: usize, p: &Vec<(Style, String)>, limit: usize| {
        let mut col = from;
        for (s, t) in p {
            let room = (x + width).min(from + limit).saturating_sub(col);
            col = canvas.put(col, y, t, *s, room);
        }
    };
    let (l, c, r) = (len(&parts[0]), len(&parts[1]), len(&parts[2]));
    put(canvas, x, &parts[0], width);
    if c > 0 {
        let from = x + width.saturating_sub(c) / 2;
        put(canvas, from, &parts[1], width.saturating_sub(from - x));
    }
    if r > 0 {
        let from = x + width.saturating_sub(r).max(l.min(width));
        put(canvas, from, &parts[2], width.saturating_sub(from - x));
    }
}

/// A wide character cut by an overlay's left edge shows as a space.
fn cut_left(canvas: &mut Canvas, x: usize, y: usize) {
    if x == 0 {
        return;
    }
    if let Some(c) = canvas.lines.get_mut(y).and_then(|l| l.get_mut(x - 1))
        && c.width == 2
    {
        *c = style::Cell::blank(c.style());
    }
}

fn draw_box(canvas: &mut Canvas, p: &Place, chars: [char; 6], st: Style, title: &str) {
    let (x, y, w, h) = (p.x, p.y, p.w, p.h);
    let line = |l: char, m: char, r: char| {
        let mut s = String::new();
        s.push(l);
        for _ in 2..w {
            s.push(m);
        }
        s.push(r);
        s
    };
    canvas.put(x, y, &line(chars[0], chars[4], chars[1]), st, w);
    canvas.put(x, y + h - 1, &line(chars[3], chars[4], chars[2]), st, w);
    for row in y + 1..y + h - 1 {
        canvas.put(x, row, &chars[5].to_string(), st, 1);
        canvas.put(x + w - 1, row, &chars[5].to_string(), st, 1);
    }
    if !title.is_empty() && w > 4 {
        draw_format(canvas, x + 2, y, w - 4, title, st);
    }
}

impl State {
    fn overlay_style(&self, at: &Found, name: &str, given: Option<&str>) -> Style {
        let spec = self
            .window_opt(at.window, name)
            .map(|v| v.as_str().to_string())
            .unwrap_or_default();
        let mut st = style::parse(&spec, &Style::default());
        if let Some(g) = given {
            let over = style::parse(g, &st);
            st.fg = over.fg;
            st.bg = over.bg;
        }
        st.attrs = 0;
        st
    }

    /// Where an overlay of `w` x `h` goes on client `conn`, from -x and
    /// -y, as tmux's cmd_display_menu_get_position; `None` if it does not
    /// fit.
    fn overlay_place(
        &self,
        io: &Io,
        conn: u64,
        at: &Found,
        (w, h): (usize, usize),
        (xs, ys): (Option<&str>, Option<&str>),
    ) -> Option<Place> {
        let c = self.clients.get(&conn)?;
        let (sx, sy) = (c.cols as i64, c.rows as i64);
        let (wi, hi) = (w as i64, h as i64);
        if wi > sx || hi > sy {
            return None;
        }
        let mut vars: Vec<(&str, String)> = vec![
            ("popup_width", w.to_string()),
            ("popup_height", h.to_string()),
        ];
        let lines = self.status_lines(c.session) as i64;
        let top = if lines > 0 {
            let at_top = self
                .session_opt(Some(c.session), "status-position")
                .is_some_and(|v| v.as_str() == "top");
            if let Some((start, _, _)) = c.status_ranges.iter().find(|r| r.2 == at.index) {
                vars.push(("popup_window_status_line_x", start.to_string()));
                let y = if at_top { 1 + hi } else { sy - lines };
                vars.push(("popup_window_status_line_y", y.to_string()));
            }
            let y = if at_top { lines + hi } else { sy - lines };
            vars.push(("popup_status_line_y", y.to_string()));
            if at_top { lines } else { 0 }
        } else {
            0
        };
        // Where the mouse was, for a menu or popup shown by a mouse
        // binding, as tmux's cmd_display_menu_get_position.
        if io.caller.mouse.is_some() {
            let (mx, my) = (i64::from(c.mouse_at.0), i64::from(c.mouse_at.1));
            vars.push(("popup_mouse_x", mx.to_string()));
            vars.push(("popup_mouse_y", my.to_string()));
            vars.push(("popup_mouse_centre_x", (mx - wi / 2).max(0).to_string()));
            let n = my - hi / 2;
            let n = if n + hi >= sy { sy - hi } else { n };
            vars.push(("popup_mouse_centre_y", n.to_string()));
            let n = my + hi;
            vars.push((
                "popup_mouse_top",
                (if n >= sy { sy - 1 } else { n }).to_string(),
            ));
            vars.push(("popup_mouse_bottom", (my - hi).max(0).to_string()));
        }
        let n = (sx - 1) / 2 - wi / 2;
        vars.push(("popup_centre_x", n.max(0).to_string()));
        let n = (sy - 1) / 2 + hi / 2;
        vars.push((
            "popup_centre_y",
            (if n >= sy { sy - hi } else { n }).to_string(),
        ));
        if let Some(p) = self.panes.get(&at.pane) {
            let (xoff, yoff, psx, psy) = (p.xoff as i64, p.yoff as i64, p.sx as i64, p.sy as i64);
            let n = top + yoff + hi;
            vars.push((
                "popup_pane_top",
                (if n >= sy { sy - hi } else { n }).to_string(),
            ));
            vars.push(("popup_pane_bottom", (top + yoff + psy).to_string()));
            vars.push(("popup_pane_left", xoff.to_string()));
            vars.push(("popup_pane_right", (xoff + psx - wi).max(0).to_string()));
        }
        let expand = |spec: &str| -> i64 {
            let mut text = spec.to_string();
            for (name, value) in &vars {
                text = text.replace(&format!("#{{{name}}}"), value);
            }
            // Variables of the mouse that is not there expand to nothing.
            for name in ["popup_mouse_x", "popup_mouse_y", "popup_mouse_centre_x"] {
                text = text.replace(&format!("#{{{name}}}"), "");
            }
            for name in [
                "popup_mouse_centre_y",
                "popup_mouse_top",
                "popup_mouse_bottom",
            ] {
                text = text.replace(&format!("#{{{name}}}"), "");
            }
            leading_number(&commands::Host::expand(self, io, &text, Some(at)))
        };
        let xp = match xs {
            None | Some("C") => "#{popup_centre_x}",
            Some("R") => "#{popup_pane_right}",
            Some("P") => "#{popup_pane_left}",
            Some("M") => "#{popup_mouse_centre_x}",
            Some("W") => "#{popup_window_status_line_x}",
            Some(other) => other,
        };
        let mut x = expand(xp);
        if x + wi >= sx {
            x = sx - wi;
        } else if x < 0 {
            x = 0;
        }
        let yp = match ys {
            None | Some("C") => "#{popup_centre_y}",
            Some("P") => "#{popup_pane_bottom}",
            Some("M") => "#{popup_mouse_top}",
            Some("S") => "#{popup_status_line_y}",
            Some("W") => "#{popup_window_status_line_y}",
            Some(other) => other,
        };
        let mut y = expand(yp);
        if y < hi {
            y = 0;
        } else {
            y -= hi;
        }
        if y + hi >= sy {
            y = sy - hi;
        }
        Some(Place {
            x: x.max(0) as usize,
            y: y.max(0) as usize,
            w,
            h,
        })
    }

    /// The client was resized: its popup shrinks and moves to stay on it,
    /// as tmux's popup_resize_cb.
    pub fn overlay_resized(&mut self, conn: u64) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        let (sx, sy) = (c.cols as usize, c.rows as usize);
        let Some(Overlay::Popup(p)) = &mut c.overlay else {
            return;
        };
        let (px, py, psx, psy) = p.asked;
        p.place.h = psy.min(sy);
        p.place.w = psx.min(sx);
        p.place.y = if py + p.place.h > sy {
            sy - p.place.h
        } else {
            py
        };
        p.place.x = if px + p.place.w > sx {
            sx - p.place.w
        } else {
            px
        };
        let inner = match p.border {
            None => Some((p.place.w, p.place.h)),
            Some(_) if p.place.w > 2 && p.place.h > 2 => Some((p.place.w - 2, p.place.h - 2)),
            Some(_) => None,
        };
        if let (Some((w, h)), Some(io)) = (inner, &p.io) {
            io.resize(w as u16, h as u16);
        }
    }

    /// The queue of the command running now, parked until the overlay
    /// closes.
    fn overlay_waiting(&self, io: &Io) -> Option<Waiting> {
        self.current_queue.map(|queue| Waiting {
            queue,
            status: io.caller.client.is_none(),
        })
    }

    pub fn show_popup(
        &mut self,
        io: &Io,
        conn: u64,
        at: &Found,
        spec: PopupSpec,
    ) -> CmdResult<Flow> {
        let lines = match &spec.border_lines {
            Some(l) => {
                let known = [
                    "single", "double", "heavy", "simple", "rounded", "padded", "none",
                ];
                if !known.contains(&l.as_str()) {
                    commands::bail!("popup-border-lines invalid choice: {l}");
                }
                l.clone()
            }
            None => self
                .window_opt(at.window, "popup-border-lines")
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
        };
        let border = border_chars(&lines);
        let (w, h) = (spec.width as usize, spec.height as usize);
        let (iw, ih) = match border {
            None if w < 1 || h < 1 => return Ok(Flow::Continue),
            None => (w, h),
            Some(_) if w < 3 || h < 3 => return Ok(Flow::Continue),
            Some(_) => (w - 2, h - 2),
        };
        let Some(place) =
            self.overlay_place(io, conn, at, (w, h), (spec.x.as_deref(), spec.y.as_deref()))
        else {
            return Ok(Flow::Continue);
        };
        let style = self.overlay_style(at, "popup-style", spec.style.as_deref());
        let border_style =
            self.overlay_style(at, "popup-border-style", spec.border_style.as_deref());
        let cwd = spec
            .cwd
            .clone()
            .unwrap_or_else(|| self.spawn_cwd(io, at.session, None, Some(at)));
        let spawn = SpawnSpec {
            command: spec.command.clone(),
            cwd: Some(cwd.clone()),
            env: spec.env.clone(),
        };
        let (pio, _) = self.start_pane(
            io, POPUP_PANE, at.session, &spawn, &cwd, iw as u32, ih as u32,
        )?;
        let popup = Popup {
            asked: (place.x, place.y, place.w, place.h),
            place,
            screen: pio.shared.clone(),
            run: pio.run,
            io: Some(pio),
            border,
            title: spec.title,
            style,
            border_style,
            close_on_exit: spec.close_on_exit,
            drag: PopupDrag::Off,
            last_mouse: (0, 0, 0),
            exit_status: None,
            eof: false,
            status: 129,
            waiting: self.overlay_waiting(io),
        };
        let waits = popup.waiting.is_some();
        if let Some(c) = self.clients.get_mut(&conn) {
            c.overlay = Some(Overlay::Popup(Box::new(popup)));
            c.dirty = true;
        }
        Ok(if waits { Flow::Wait } else { Flow::Continue })
    }

    pub fn show_menu(&mut self, io: &Io, conn: u64, at: &Found, spec: MenuSpec) -> CmdResult<Flow> {
        let Some(cols) = self.clients.get(&conn).map(|c| c.cols as usize) else {
            return Ok(Flow::Continue);
        };
        let mut items = Vec::new();
        let mut width = 0;
        for item in spec.items {
            let Some(item) = item else {
                items.push(None);
                continue;
            };
            let enabled = !item.name.starts_with('-');
            let name = if enabled {
                item.name.clone()
            } else {
                item.name[1..].to_string()
            };
            let key = Key::parse(&item.key);
            let mut max = cols.saturating_sub(4);
            let slen = style::width(&item.name);
            let mut key_shown = key.filter(|_| enabled).map(|k| k.to_string());
            if let Some(k) = &key_shown {
                let keylen = k.len() + 3;
                if keylen <= max / 4 {
                    max -= keylen;
                } else if keylen >= max || slen >= max - keylen {
                    key_shown = None;
                }
            }
            let mut shown: String = name.clone();
            if slen > max {
                max = max.saturating_sub(1);
                let mut t = String::new();
                for ch in name.chars() {
                    if style::width(&t) + style::width(&ch.to_string()) > max {
                        break;
                    }
                    t.push(ch);
                }
                t.push('>');
                shown = t;
            }
            let mut w = style::width(&shown);
            if let Some(k) = &key_shown {
                w += k.len() + 3;
            }
            width = width.max(w);
            items.push(Some(Item {
                name: shown,
                enabled,
                key,
                key_shown,
                command: item.command,
            }));
        }
        let (w, h) = (width + 4, items.len() + 2);
        let Some(mut place) =
            self.overlay_place(io, conn, at, (w, h), (spec.x.as_deref(), spec.y.as_deref()))
        else {
            return Ok(Flow::Continue);
        };
        let Some(c) = self.clients.get(&conn) else {
            return Ok(Flow::Continue);
        };
        let (sx, sy) = (c.cols as usize, c.rows as usize);
        if sx < w || sy < h {
            return Ok(Flow::Continue);
        }
        place.x = place.x.min(sx - w);
        place.y = place.y.min(sy - h);
        // From the keyboard the first item that can be chosen is chosen;
        // from the mouse none is until the mouse is over one.
        let mouse = io.caller.mouse.is_some();
        let choice = items
            .iter()
            .position(|i| i.as_ref().is_some_and(|i| i.enabled))
            .filter(|_| !mouse);
        let menu = Menu {
            place,
            title: spec.title,
            items,
            choice,
            mouse,
            event: io.caller.mouse,
            stay_open: spec.stay_open,
            at: *at,
            waiting: self.overlay_waiting(io),
        };
        let waits = menu.waiting.is_some();
        if let Some(c) = self.clients.get_mut(&conn) {
            c.overlay = Some(Overlay::Menu(menu));
            c.dirty = true;
        }
        Ok(if waits { Flow::Wait } else { Flow::Continue })
    }

    /// Closes the client's overlay: its program is hung up, and the
    /// command that showed it goes on.
    pub fn close_overlay(&mut self, conn: u64) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        let Some(o) = c.overlay.take() else {
            return;
        };
        c.dirty = true;
        c.full = true;
        self.overlay_gone(o);
    }

    /// An overlay that went (closed, or its client did).
    pub fn overlay_gone(&mut self, o: Overlay) {
        let (waiting, status) = match o {
            Overlay::Popup(p) => {
                if let Some(io) = &p.io {
                    io.kill();
                }
                (p.waiting, p.status)
            }
            Overlay::Menu(m) => (m.waiting, 0),
        };
        if let Some(w) = waiting {
            if w.status
                && let Some(q) = self.parked.get_mut(&w.queue)
            {
                q.io.status = status;
            }
            self.ready.push_back(w.queue);
        }
    }

    /// The client whose popup runs as `r`.
    fn popup_client(&mut self, r: PaneRef) -> Option<(u64, &mut Popup)> {
        self.clients
            .values_mut()
            .find_map(|c| match &mut c.overlay {
                Some(Overlay::Popup(p)) if p.run == r => Some((c.conn, &mut **p)),
                _ => None,
            })
    }

    pub fn popup_output(&mut self, r: PaneRef) {
        let Some((conn, p)) = self.popup_client(r) else {
            return;
        };
        p.screen
            .dirty
            .store(false, std::sync::atomic::Ordering::Release);
        if let Some(c) = self.clients.get_mut(&conn) {
            c.dirty = true;
        }
    }

    /// The popup's program exited (`status`) or its terminal closed.
    pub fn popup_ended(&mut self, r: PaneRef, status: Option<i32>, grace_over: bool) {
        let Some((conn, p)) = self.popup_client(r) else {
            return;
        };
        match status {
            Some(s) => p.exit_status = Some(s),
            None if !grace_over => p.eof = true,
            None => {}
        }
        let done = grace_over || (p.eof && p.exit_status.is_some());
        if !done {
            if !grace_over {
                self.grace_popup(r);
            }
            return;
        }
        if p.io.is_none() {
            return;
        }
        if let Some(io) = p.io.take() {
            io.stop_reader();
        }
        p.status = p.exit_status.unwrap_or(0);
        let close = p.close_on_exit == 1 || (p.close_on_exit == 2 && p.status == 0);
        if close {
            self.close_overlay(conn);
        } else if let Some(c) = self.clients.get_mut(&conn) {
            c.dirty = true;
        }
    }

    fn grace_popup(&self, r: PaneRef) {
        let events = self.events.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            let _ = events.send(super::Event::ExitGrace(r));
        });
    }

    /// Input while an overlay shows: it takes every key. Returns false if
    /// the client has no overlay.
    pub fn overlay_key(&mut self, conn: u64, key: &Key, raw: &[u8]) -> bool {
        let Some(c) = self.clients.get_mut(&conn) else {
            return false;
        };
        match &mut c.overlay {
            None => false,
            Some(Overlay::Popup(p)) => {
                let closing_key = !key.meta
                    && (key.code == KeyCode::Char('\x1b') || key.code == KeyCode::Char('\x03'));
                if closing_key && (p.close_on_exit == 0 || p.io.is_none()) {
                    self.close_overlay(conn);
                    return true;
                }
                if let Some(io) = &p.io {
                    let bytes = match key.code {
                        KeyCode::Char(_) if !key.ctrl && !raw.is_empty() => raw.to_vec(),
                        _ => key.encode(io.shared.emu().input_modes()),
                    };
                    io.write(&bytes);
                }
                true
            }
            Some(Overlay::Menu(m)) => {
                let n = m.items.len();
                let enabled = |m: &Menu, i: usize| m.items[i].as_ref().is_some_and(|x| x.enabled);
                let chosen = m
                    .items
                    .iter()
                    .position(|i| i.as_ref().is_some_and(|i| i.enabled && i.key == Some(*key)));
                let mut run = None;
                if let Some(i) = chosen {
                    run = Some(i);
                } else {
                    let plain = !key.ctrl && !key.meta;
                    match key.code {
                        KeyCode::Up | KeyCode::Char('k') if plain || key.code == KeyCode::Up => {
                            let old = m.choice.unwrap_or(0);
                            loop {
                                m.choice = Some(match m.choice {
                                    None | Some(0) => n - 1,
                                    Some(i) => i - 1,
                                });
                                if enabled(m, m.choice.unwrap_or(0)) || m.choice == Some(old) {
                                    break;
                                }
                            }
                        }
                        KeyCode::Down | KeyCode::Char('j')
                            if plain || key.code == KeyCode::Down =>
                        {
                            let old = m.choice.unwrap_or(0);
                            loop {
                                m.choice = Some(match m.choice {
                                    Some(i) if i + 1 < n => i + 1,
                                    _ => 0,
                                });
                                if enabled(m, m.choice.unwrap_or(0)) || m.choice == Some(old) {
                                    break;
                                }
                            }
                        }
                        KeyCode::Char('g') | KeyCode::PageUp | KeyCode::Char('\x02')
                            if (key.code == KeyCode::Char('g') && plain)
                                || key.code == KeyCode::PageUp
                                || (key.code == KeyCode::Char('\x02') && !key.meta) =>
                        {
                            let i = m.choice.map_or(0, |c| c.saturating_sub(5));
                            m.choice = (i..n).find(|i| enabled(m, *i));
                        }
                        KeyCode::Char('G') | KeyCode::PageDown
                            if (key.code == KeyCode::Char('G') && plain)
                                || key.code == KeyCode::PageDown =>
                        {
                            let i = match m.choice {
                                Some(c) if c + 6 <= n => c + 5,
                                _ => n - 1,
                            };
                            m.choice = (0..=i).rev().find(|i| enabled(m, *i));
                        }
                        KeyCode::Char('\r') if plain => match m.choice {
                            Some(i) => run = Some(i),
                            None => {
                                self.close_overlay(conn);
                                return true;
                            }
                        },
                        KeyCode::Char('\x1b') | KeyCode::Char('q') if plain => {
                            self.close_overlay(conn);
                            return true;
                        }
                        // C-c and C-g.
                        KeyCode::Char('\x03') | KeyCode::Char('\x07') if !key.meta => {
                            self.close_overlay(conn);
                            return true;
                        }
                        _ => {}
                    }
                }
                if let Some(i) = run {
                    m.choice = Some(i);
                    self.choose_menu_item(conn);
                    return true;
                }
                if let Some(c) = self.clients.get_mut(&conn) {
                    c.dirty = true;
                }
                true
            }
        }
    }

    /// Raw input the parser did not make a key of: a popup's program gets
    /// it. False if there is no popup.
    pub fn overlay_raw(&mut self, conn: u64, raw: &[u8]) -> bool {
        match self.clients.get(&conn).and_then(|c| c.overlay.as_ref()) {
            None => false,
            Some(Overlay::Menu(_)) => true,
            Some(Overlay::Popup(p)) => {
                if let Some(io) = &p.io {
                    io.write(raw);
                }
                true
            }
        }
    }

    /// A paste while an overlay shows: a popup's program gets it, in
    /// brackets if it asked for them.
    pub fn overlay_paste(&mut self, conn: u64, data: &[u8]) -> bool {
        match self.clients.get(&conn).and_then(|c| c.overlay.as_ref()) {
            None => false,
            Some(Overlay::Menu(_)) => true,
            Some(Overlay::Popup(p)) => {
                if let Some(io) = &p.io {
                    let bracketed = io.shared.emu().input_modes().bracketed_paste;
                    let mut bytes = Vec::new();
                    if bracketed {
                        bytes.extend_from_slice(b"\x1b[200~");
                    }
                    bytes.extend_from_slice(data);
                    if bracketed {
                        bytes.extend_from_slice(b"\x1b[201~");
                    }
                    io.write(&bytes);
                }
                true
            }
        }
    }

    /// Runs the client's menu's highlighted item, as tmux's menu_key_cb
    /// does at "chosen": nothing highlighted, a line or an item that
    /// cannot be chosen closes the menu (or, with -O, leaves it open).
    fn choose_menu_item(&mut self, conn: u64) {
        let Some(Overlay::Menu(m)) = self.clients.get(&conn).and_then(|c| c.overlay.as_ref())
        else {
            return;
        };
        let item = m
            .choice
            .and_then(|i| m.items.get(i))
            .and_then(|i| i.as_ref().filter(|x| x.enabled));
        let (command, at) = match item {
            Some(item) => (item.command.clone(), (m.at, m.event)),
            None if m.stay_open && m.choice.is_some() => return,
            None => return self.close_overlay(conn),
        };
        self.close_overlay(conn);
        self.run_menu_command(conn, &command, &at);
    }

    /// A mouse event while the client shows an overlay: a menu chooses
    /// with it, a popup is moved or resized by its border or passes it to
    /// its program, as tmux's menu_key_cb and popup_key_cb.
    pub fn overlay_mouse(&mut self, conn: u64, m: Mouse) {
        let b = super::mouse::tmux_button(&m);
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        let (x, y) = (i64::from(m.x), i64::from(m.y));
        let action = match &mut c.overlay {
            None => return,
            Some(Overlay::Menu(menu)) => menu.mouse(x, y, b),
            Some(Overlay::Popup(_)) => return self.popup_mouse(conn, &m, b),
        };
        match action {
            MenuMouse::Stay(redraw) => c.dirty |= redraw,
            MenuMouse::Close => self.close_overlay(conn),
            MenuMouse::Choose => self.choose_menu_item(conn),
        }
    }

    fn popup_mouse(&mut self, conn: u64, m: &Mouse, b: u32) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        let screen = (i64::from(c.cols), i64::from(c.rows));
        let Some(Overlay::Popup(p)) = &mut c.overlay else {
            return;
        };
        let (x, y) = (i64::from(m.x), i64::from(m.y));
        if p.drag != PopupDrag::Off {
            p.follow_drag(x, y, b, screen);
            p.last_mouse = (x, y, b);
            c.dirty = true;
            c.full = true;
            return;
        }
        let (px, py) = (p.place.x as i64, p.place.y as i64);
        let (sx, sy) = (p.place.w as i64, p.place.h as i64);
        if x < px || x > px + sx - 1 || y < py || y > py + sy - 1 {
            // Outside: ignored (tmux offers its popup menu on button 3).
            return;
        }
        let on_border =
            p.border.is_some() && (x == px || x == px + sx - 1 || y == py || y == py + sy - 1);
        let meta_only = b & 28 == 8;
        if meta_only || on_border {
            if dragging(b) {
                // What the button pressed before the drag was says what
                // the drag does.
                let (lx, ly, lb) = p.last_mouse;
                p.drag = match buttons(lb) {
                    0 => PopupDrag::Move(lx - px, ly - py),
                    2 => PopupDrag::Size,
                    _ => PopupDrag::Off,
                };
            }
            p.last_mouse = (x, y, b);
            return;
        }
        // Inside: the program gets it, in its own cells, if it asked.
        let Some(io) = &p.io else {
            return;
        };
        let inset = i64::from(p.border.is_some());
        let target = commands::host::MouseTarget {
            pane: None,
            window: None,
            x: (x - px - inset).max(0) as u16,
            y: (y - py - inset).max(0) as u16,
            code: super::mouse::xterm_code(m),
            release: matches!(m.kind, super::input::MouseKind::Up(_)),
            ignore: false,
        };
        if let Some(bytes) = super::mouse::mouse_report(io.shared.emu().mouse_mode(), &target) {
            io.write(&bytes);
        }
    }

    /// Runs a menu item's command as the client, at the menu's target
    /// (and with the mouse event that showed the menu), as tmux's menus
    /// run theirs in the state of display-menu.
    fn run_menu_command(
        &mut self,
        conn: u64,
        command: &str,
        (at, event): &(Found, Option<commands::host::MouseTarget>),
    ) {
        if command.is_empty() {
            return;
        }
        let Some(caller) = self.client_caller(conn) else {
            return;
        };
        let io = commands::Io::new(caller);
        // Without a mouse event, the menu's target stands in for one: the
        // default target of what runs, never sent on to a program.
        let event = event.unwrap_or(commands::host::MouseTarget {
            pane: Some(at.pane),
            window: Some((at.session, at.index)),
            x: 0,
            y: 0,
            code: 0,
            release: false,
            ignore: true,
        });
        match commands::parse_with_host(self, &io, command) {
            Ok(list) => self.run_for_client_at(conn, list, Some(event)),
            Err(e) => self.message(conn, &super::state::status_error(&e.0)),
        }
    }

    /// Draws the client's overlay over its screen; the cursor goes into a
    /// popup, and hides under a menu.
    pub fn draw_overlay(
        &self,
        canvas: &mut Canvas,
        c: &Client,
        cursor: &mut (u16, u16),
        mode_bits: &mut u8,
    ) {
        match &c.overlay {
            None => {}
            Some(Overlay::Popup(p)) => {
                let pl = &p.place;
                for y in pl.y..pl.y + pl.h {
                    cut_left(canvas, pl.x, y);
                    canvas.fill(y, pl.x, pl.x + pl.w, p.style);
                }
                let (ix, iy, iw, ih) = match p.border {
                    Some(_) if pl.w < 3 || pl.h < 3 => return,
                    Some(chars) => {
                        draw_box(canvas, pl, chars, p.border_style, &p.title);
                        (pl.x + 1, pl.y + 1, pl.w - 2, pl.h - 2)
                    }
                    None => (pl.x, pl.y, pl.w, pl.h),
                };
                let mut emu = p.screen.emu();
                for (i, line) in emu.screen_lines().iter().enumerate().take(ih) {
                    canvas.blit(ix, iy + i, iw, line);
                    // Cells of the default colours take the popup's.
                    if let Some(row) = canvas.lines.get_mut(iy + i) {
                        for cell in row.iter_mut().skip(ix).take(iw) {
                            cell.default_colours(p.style.fg, p.style.bg);
                        }
                    }
                }
                let (cx, cy) = emu.cursor();
                *cursor = (
                    (ix + (cx as usize).min(iw.saturating_sub(1))) as u16,
                    (iy + (cy as usize).min(ih.saturating_sub(1))) as u16,
                );
                if emu.cursor_visible() {
                    *mode_bits &= !modes::CURSOR_HIDDEN;
                } else {
                    *mode_bits |= modes::CURSOR_HIDDEN;
                }
                // The terminal reports the mouse while the popup's
                // program wants it, as tmux takes the popup's modes.
                if emu.mouse_mode().report != super::emulator::MouseReport::Off {
                    *mode_bits |= modes::MOUSE;
                }
            }
            Some(Overlay::Menu(m)) => {
                let pl = &m.place;
                let plain = Style::default();
                for y in pl.y..pl.y + pl.h {
                    cut_left(canvas, pl.x, y);
                    canvas.fill(y, pl.x, pl.x + pl.w, plain);
                }
                let chars = ['┌', '┐', '┘', '└', '─', '│'];
                draw_box(canvas, pl, chars, plain, &m.title);
                let chosen_style = self
                    .window_opt(m.at.window, "mode-style")
                    .map(|v| style::parse(v.as_str(), &plain))
                    .unwrap_or(plain);
                let width = pl.w - 4;
                for (i, item) in m.items.iter().enumerate() {
                    let y = pl.y + 1 + i;
                    let Some(item) = item else {
                        let mut s = String::from('├');
                        for _ in 2..pl.w {
                            s.push('─');
                        }
                        s.push('┤');
                        canvas.put(pl.x, y, &s, plain, pl.w);
                        continue;
                    };
                    let st = if m.choice == Some(i) && item.enabled {
                        chosen_style
                    } else {
                        plain
                    };
                    canvas.fill(y, pl.x + 2, pl.x + 2 + width, st);
                    let mut name_style = st;
                    if !item.enabled {
                        name_style.attrs |= crate::screen::DIM;
                    }
                    canvas.put(pl.x + 2, y, &item.name, name_style, width);
                    if let Some(k) = &item.key_shown {
                        let text = format!("({k})");
                        let from = pl.x + 2 + width - text.len();
                        canvas.put(from, y, &text, st, text.len());
                    }
                }
                *mode_bits |= modes::CURSOR_HIDDEN;
                // A menu shown by the mouse takes the mouse, mouse option
                // or not.
                if m.mouse {
                    *mode_bits |= modes::MOUSE;
                }
            }
        }
    }
}
