//! display-popup and display-menu: overlays over an attached client's
//! screen that take its keys while they show, as tmux's popup.c and
//! menu.c. A popup runs a program on a terminal of its own; a menu runs
//! the command of the item chosen. The command that showed either waits
//! until it closes.

use super::PaneRef;
use super::client::Client;
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
    /// Where the chosen command runs.
    at: Found,
    waiting: Option<Waiting>,
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
        // Keys, no mouse: the first item that can be chosen is chosen.
        let choice = items
            .iter()
            .position(|i| i.as_ref().is_some_and(|i| i.enabled));
        let menu = Menu {
            place,
            title: spec.title,
            items,
            choice,
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
                    let command = m.items[i]
                        .as_ref()
                        .filter(|x| x.enabled)
                        .map(|x| x.command.clone());
                    let at = m.at;
                    self.close_overlay(conn);
                    if let Some(command) = command {
                        self.run_menu_command(conn, &command, &at);
                    }
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

    /// Runs a menu item's command as the client, at the menu's target.
    fn run_menu_command(&mut self, conn: u64, command: &str, at: &Found) {
        if command.is_empty() {
            return;
        }
        let _ = at;
        self.run_text(conn, command);
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
            }
        }
    }
}
