//! Composing what an attached client sees: the panes of its session's
//! current window, the borders between them, and the status line (or the
//! prompt, or a message, in its place).

use super::client::Client;
use super::copy::CopyMode;
use super::emulator::Emulator;
use super::formats::Ctx;
use super::state::{Pane, State};
use super::style::{self, Canvas, Cell};
use super::tty::modes;
use crate::screen::Style;
use commands::SessionId;
use commands::format::{expand, strftime};
use commands::options::Value;

/// How long a status line drawn for pane output stays good: window names
/// and titles follow programs within this (tmux checks names every 500 ms).
const STATUS_FRESH_US: u64 = 1_000_000;

pub struct Rendered {
    pub cursor: (u16, u16),
    pub cursor_style: u8,
    pub modes: u8,
    /// Where the windows are on the status line, when it was drawn afresh.
    pub status_ranges: Option<Vec<(usize, usize, u32)>>,
}

/// Box-drawing characters by which neighbours are borders too.
fn border_char(up: bool, down: bool, left: bool, right: bool) -> char {
    match (up, down, left, right) {
        (true, true, true, true) => '┼',
        (true, true, false, true) => '├',
        (true, true, true, false) => '┤',
        (false, true, true, true) => '┬',
        (true, false, true, true) => '┴',
        (false, true, false, true) => '┌',
        (false, true, true, false) => '┐',
        (true, false, false, true) => '└',
        (true, false, true, false) => '┘',
        (_, _, false, false) => '│',
        _ => '─',
    }
}

/// The status-left range among a status line's window ranges: no window
/// has this index.
pub const STATUS_LEFT: u32 = u32::MAX;
/// The status-right range.
pub const STATUS_RIGHT: u32 = u32::MAX - 1;

impl State {
    fn opt_str(&self, s: SessionId, name: &str) -> String {
        self.session_opt(Some(s), name)
            .map(|v| v.as_str().to_string())
            .unwrap_or_default()
    }

    fn opt_num(&self, s: SessionId, name: &str) -> usize {
        self.session_opt(Some(s), name)
            .map(Value::as_num)
            .unwrap_or(0)
            .max(0) as usize
    }

    /// Draws a client's screen on `canvas`. The status line comes from the
    /// client's cache when it is fresh; `status` gets the row drawn, to
    /// cache.
    pub fn render(
        &self,
        c: &Client,
        canvas: &mut Canvas,
        status_row: &mut Option<Vec<Cell>>,
    ) -> Rendered {
        let (cols, rows) = (c.cols as usize, c.rows as usize);
        canvas.reset(cols, rows);
        let mut cursor = (0u16, 0u16);
        let mut cursor_style = 0;
        let mut mode_bits = 0;
        let mut status_ranges = None;
        let Some(found) = self.found_session(c.session) else {
            return Rendered {
                cursor,
                cursor_style,
                modes: mode_bits,
                status_ranges: None,
            };
        };
        let status = self.status_lines(c.session) as usize;
        let top = self.opt_str(c.session, "status-position") == "top";
        let area_y = if top { status } else { 0 };
        let area_rows = rows.saturating_sub(status);

        if let Some(win) = self.windows.get(&found.window) {
            let visible: Vec<&Pane> = if win.zoomed {
                self.panes.get(&win.active).into_iter().collect()
            } else {
                win.panes.iter().filter_map(|p| self.panes.get(p)).collect()
            };
            for p in &visible {
                let (x0, y0) = (p.xoff as usize, p.yoff as usize);
                let w = (p.sx as usize).min(cols.saturating_sub(x0));
                let h = (p.sy as usize).min(area_rows.saturating_sub(y0));
                if matches!(p.mode, Some(super::state::PaneMode::Clock { .. })) {
                    self.draw_clock(canvas, p, (x0, area_y + y0), (w, h));
                    if p.id == win.active {
                        mode_bits |= modes::CURSOR_HIDDEN;
                    }
                    continue;
                }
                if let Some(t) = p.tree_mode() {
                    // Not holding this pane's emulator: the preview may show it.
                    let st = self.mode_style(p);
                    self.draw_tree(canvas, t, st, (x0, area_y + y0), (w, h));
                    if p.id == win.active {
                        mode_bits |= modes::CURSOR_HIDDEN;
                    }
                    continue;
                }
                let mut emu = p.copy_emu().unwrap_or_else(|| p.io.shared.emu());
                let view = p.copy_mode().map(|m| {
                    let mut m = m.clone();
                    m.follow(&mut **emu);
                    m
                });
                match &view {
                    Some(m) => {
                        self.draw_copy_mode(canvas, p, m, &mut **emu, (x0, area_y + y0), (w, h))
                    }
                    None => draw_screen(canvas, p, &mut **emu, (x0, area_y + y0), (w, h)),
                }
                if let (true, Some(m)) = (p.id == win.active, &view) {
                    cursor = ((x0 + m.cx) as u16, (area_y + y0 + m.cy) as u16);
                } else if p.id == win.active {
                    let (cx, cy) = emu.cursor();
                    cursor = (
                        (x0 + cx as usize).min(cols.saturating_sub(1)) as u16,
                        (area_y + y0 + cy as usize) as u16,
                    );
                    cursor_style = emu.cursor_style();
                    let m = emu.input_modes();
                    if m.bracketed_paste {
                        mode_bits |= modes::BRACKETED_PASTE;
                    }
                    if !emu.cursor_visible() {
                        mode_bits |= modes::CURSOR_HIDDEN;
                    }
                }
            }
            if visible.len() > 1 {
                // Where no pane is, is border.
                let mut covered = vec![vec![false; cols]; area_rows];
                for p in &visible {
                    let (x0, y0) = (p.xoff as usize, p.yoff as usize);
                    let w = (p.sx as usize).min(cols.saturating_sub(x0));
                    let h = (p.sy as usize).min(area_rows.saturating_sub(y0));
                    for row in covered.iter_mut().skip(y0).take(h) {
                        for cell in row.iter_mut().skip(x0).take(w) {
                            *cell = true;
                        }
                    }
                }
                self.borders(canvas, &covered, area_y, win, cols);
            }
            if c.pane_numbers.is_some() {
                self.draw_pane_numbers(canvas, c, area_y);
            }
        }
        if self
            .session_opt(Some(c.session), "mouse")
            .is_some_and(Value::as_flag)
        {
            mode_bits |= modes::MOUSE;
        }
        if self
            .server_options
            .get("focus-events")
            .is_some_and(Value::as_flag)
        {
            mode_bits |= modes::FOCUS;
        }
        if status > 0 {
            let y = if top { 0 } else { rows - 1 };
            if let Some(p) = &c.prompt {
                let st = style::parse(&self.opt_str(c.session, "message-style"), &Style::default());
                canvas.fill(y, 0, cols, st);
                let end = canvas.put(0, y, &p.label, st, cols);
                canvas.put(end, y, &p.input, st, cols.saturating_sub(end));
                let before: String = p.input.chars().take(p.pos).collect();
                cursor = (
                    (end + style::width(&before)).min(cols.saturating_sub(1)) as u16,
                    y as u16,
                );
                mode_bits &= !modes::CURSOR_HIDDEN;
            } else if let Some(m) = &c.message {
                let st = style::parse(&self.opt_str(c.session, "message-style"), &Style::default());
                canvas.fill(y, 0, cols, st);
                canvas.put(0, y, m, st, cols);
            } else {
                let now = super::pane::now_micros();
                match &c.status_cache {
                    Some((row, at))
                        if now.saturating_sub(*at) < STATUS_FRESH_US && row.len() == cols =>
                    {
                        canvas.lines[y].copy_from_slice(row);
                    }
                    _ => {
                        status_ranges = Some(self.status_line(canvas, y, c));
                        if !canvas.has_extra(y) {
                            *status_row = Some(canvas.lines[y].clone());
                        }
                    }
                }
            }
        }
        if c.overlay.is_some() {
            self.draw_overlay(canvas, c, &mut cursor, &mut mode_bits);
        }
        Rendered {
            cursor,
            cursor_style,
            modes: mode_bits,
            status_ranges,
        }
    }

    fn borders(
        &self,
        canvas: &mut Canvas,
        covered: &[Vec<bool>],
        area_y: usize,
        win: &super::state::Window,
        cols: usize,
    ) {
        let rows = covered.len();
        let (wx, wy) = ((win.sx as usize).min(cols), (win.sy as usize).min(rows));
        let border = |x: isize, y: isize| -> bool {
            x >= 0
                && y >= 0
                && (x as usize) < wx
                && (y as usize) < wy
                && !covered[y as usize][x as usize]
        };
        let base = Style::default();
        let plain = style::parse(
            &self
                .window_opt(win.id, "pane-border-style")
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
            &base,
        );
        // tmux's default is a format (yellow in a mode, red when the
        // panes are synchronized), expanded for the active pane.
        let active_text = self
            .window_opt(win.id, "pane-active-border-style")
            .map(|v| v.as_str().to_string())
            .unwrap_or_default();
        let at = self.found_pane(win.active);
        let active_text =
            commands::format::expand(&active_text, &super::formats::Ctx::new(self, at.as_ref()));
        let active = style::parse(&active_text, &base);
        let a = self.panes.get(&win.active);
        for y in 0..wy {
            for x in 0..wx {
                let (xi, yi) = (x as isize, y as isize);
                if !border(xi, yi) {
                    continue;
                }
                let ch = border_char(
                    border(xi, yi - 1),
                    border(xi, yi + 1),
                    border(xi - 1, yi),
                    border(xi + 1, yi),
                );
                let next_to_active = a.is_some_and(|p| {
                    let (x0, y0) = (p.xoff as isize - 1, p.yoff as isize - 1);
                    let (x1, y1) = (
                        p.xoff as isize + p.sx as isize,
                        p.yoff as isize + p.sy as isize,
                    );
                    xi >= x0 && xi <= x1 && yi >= y0 && yi <= y1
                });
                let st = if next_to_active { active } else { plain };
                canvas.put(x, area_y + y, &ch.to_string(), st, 1);
            }
        }
        self.pane_status_lines(canvas, area_y, win, (wx, wy), (&plain, &active));
    }

    /// pane-border-status: each pane's pane-border-format, drawn over the
    /// border line above (or below) it from two columns in, as tmux does,
    /// in the border's style.
    fn pane_status_lines(
        &self,
        canvas: &mut Canvas,
        area_y: usize,
        win: &super::state::Window,
        (wx, wy): (usize, usize),
        (plain, active): (&Style, &Style),
    ) {
        let border = self.border_status(win.id);
        if border == super::layout::Border::Off || win.zoomed {
            return;
        }
        for &id in &win.panes {
            let Some(p) = self.panes.get(&id) else {
                continue;
            };
            let row = match border {
                super::layout::Border::Top => (p.yoff as usize).checked_sub(1),
                _ => Some((p.yoff + p.sy) as usize),
            };
            let Some(row) = row.filter(|r| *r < wy) else {
                continue;
            };
            let width = (p.sx as usize).saturating_sub(4);
            let x = p.xoff as usize + 2;
            if width == 0 || x >= wx {
                continue;
            }
            let fmt = self
                .pane_opt(id, "pane-border-format")
                .map(|v| v.as_str().to_string())
                .unwrap_or_default();
            let found = self.found_pane(id);
            let text = expand(&fmt, &Ctx::new(self, found.as_ref()));
            let st = if id == win.active { active } else { plain };
            let limit = width.min(wx - x);
            self.draw_segments(canvas, x, area_y + row, &text, st, limit);
        }
    }

    fn mode_style(&self, p: &Pane) -> Style {
        style::parse(
            &self
                .window_opt(p.window, "mode-style")
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
            &Style::default(),
        )
    }

    /// A pane in copy mode: its view of history and screen, the selection
    /// and the position indicator in mode-style.
    fn draw_copy_mode(
        &self,
        canvas: &mut Canvas,
        p: &Pane,
        m: &CopyMode,
        emu: &mut dyn Emulator,
        (x0, y0): (usize, usize),
        (w, h): (usize, usize),
    ) {
        let st = self.mode_style(p);
        for y in 0..h {
            let row = y0 + y;
            if let Some(line) = m.view_line(emu, y) {
                canvas.blit(x0, row, w, &line);
            }
            for x in 0..w {
                if m.selected(x, y) {
                    canvas.lines[row][x0 + x].set_style(st);
                }
            }
        }
        let label = format!("[{}/{}]", m.scrolled(), emu.history_size());
        if label.len() <= w && h > 0 {
            canvas.put(x0 + w - label.len(), y0, &label, st, label.len());
        }
    }

    /// The status line: status-left, the window list, status-right.
    /// Returns where each window's label went, for the mouse.
    /// Draws the status line; returns its ranges, as tmux's status-format
    /// marks them: each window's by its index, status-left's and
    /// status-right's as [`STATUS_LEFT`] and [`STATUS_RIGHT`].
    fn status_line(&self, canvas: &mut Canvas, y: usize, c: &Client) -> Vec<(usize, usize, u32)> {
        let mut ranges = Vec::new();
        let s = c.session;
        let cols = canvas.cols;
        let base = style::parse(&self.opt_str(s, "status-style"), &Style::default());
        canvas.fill(y, 0, cols, base);
        let Some(found) = self.found_session(s) else {
            return ranges;
        };
        let now = super::pane::now_micros() as i64 / 1_000_000;
        let ctx = Ctx::new(self, Some(&found));
        let text = |fmt: &str| expand(&strftime(fmt, now), &ctx);

        let left_style = style::parse(&self.opt_str(s, "status-left-style"), &base);
        let left = text(&self.opt_str(s, "status-left"));
        let mut x = self.draw_segments(
            canvas,
            0,
            y,
            &left,
            &left_style,
            self.opt_num(s, "status-left-length"),
        );
        if x > 0 {
            ranges.push((0, x, STATUS_LEFT));
        }

        let right_style = style::parse(&self.opt_str(s, "status-right-style"), &base);
        let right = text(&self.opt_str(s, "status-right"));
        let right_max = self.opt_num(s, "status-right-length");
        let right_width: usize = style::segments(&right, &right_style)
            .iter()
            .map(|(_, t)| style::width(t))
            .sum::<usize>()
            .min(right_max);
        let right_x = cols.saturating_sub(right_width);

        let Some(sess) = self.sessions.get(&s) else {
            return ranges;
        };
        for (n, (&index, &w)) in sess.windows.iter().enumerate() {
            let Some(f) = self.found_window(s, index) else {
                continue;
            };
            let wctx = Ctx::new(self, Some(&f));
            let opt = |name: &str| {
                self.window_opt(w, name)
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default()
            };
            let current = index == sess.current;
            let fmt = if current {
                opt("window-status-current-format")
            } else {
                opt("window-status-format")
            };
            let mut st = style::parse(&opt("window-status-style"), &base);
            if current {
                st = style::parse(&opt("window-status-current-style"), &st);
            } else if sess.last.first() == Some(&index) {
                st = style::parse(&opt("window-status-last-style"), &st);
            }
            if n > 0 {
                let sep = opt("window-status-separator");
                x = canvas.put(x, y, &sep, base, right_x.saturating_sub(x));
            }
            let label = expand(&fmt, &wctx);
            let start = x;
            x = self.draw_segments(canvas, x, y, &label, &st, right_x.saturating_sub(x));
            ranges.push((start, x, index));
        }
        let end = self.draw_segments(canvas, right_x, y, &right, &right_style, right_max);
        if end > right_x {
            ranges.push((right_x, end, STATUS_RIGHT));
        }
        ranges
    }

    /// Draws text with `#[...]` style directives; returns the column after it.
    fn draw_segments(
        &self,
        canvas: &mut Canvas,
        x: usize,
        y: usize,
        text: &str,
        base: &Style,
        limit: usize,
    ) -> usize {
        let mut col = x;
        for (st, t) in style::segments(text, base) {
            let room = (x + limit).saturating_sub(col);
            if room == 0 {
                break;
            }
            col = canvas.put(col, y, &t, st, room);
        }
        col
    }
}

/// A pane's screen. Rows whose line has not changed since they were last
/// drawn are copied from the pane's cache of drawn cells.
fn draw_screen(
    canvas: &mut Canvas,
    p: &Pane,
    emu: &mut dyn Emulator,
    (x0, y0): (usize, usize),
    (w, h): (usize, usize),
) {
    let lines = emu.screen_lines();
    let mut drawn = p.drawn.borrow_mut();
    drawn.resize_with(lines.len(), Default::default);
    for (y, line) in lines.iter().enumerate().take(h) {
        let row = y0 + y;
        let (version, cells) = &mut drawn[y];
        if *version == line.version && line.version != 0 && cells.len() >= w {
            canvas.lines[row][x0..x0 + w].copy_from_slice(&cells[..w]);
            continue;
        }
        canvas.blit(x0, row, w, line);
        if !canvas.has_extra(row) {
            *version = line.version;
            cells.clear();
            cells.extend_from_slice(&canvas.lines[row][x0..x0 + w]);
        }
    }
}
