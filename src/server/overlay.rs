//! display-panes: every pane's number drawn large over it for a moment;
//! typing a number runs a command (select-pane by default) on that pane.

use super::client::{Client, TimerKind};
use super::state::State;
use super::style::{self, Canvas};
use crate::screen::Style;
use commands::keys::{Key, KeyCode};
use commands::options::Value;

pub struct PaneNumbers {
    /// Run on the chosen pane, `%%` replaced by its id.
    pub template: String,
    /// Whether typed numbers choose (not with display-panes -N).
    pub keys: bool,
}

/// tmux's 5x5 digits, a row of five cells per byte from the high bit.
pub(super) const DIGITS: [[u8; 5]; 10] = [
    [0b11111, 0b10001, 0b10001, 0b10001, 0b11111],
    [0b00001, 0b00001, 0b00001, 0b00001, 0b00001],
    [0b11111, 0b00001, 0b11111, 0b10000, 0b11111],
    [0b11111, 0b00001, 0b11111, 0b00001, 0b11111],
    [0b10001, 0b10001, 0b11111, 0b00001, 0b00001],
    [0b11111, 0b10000, 0b11111, 0b00001, 0b11111],
    [0b11111, 0b10000, 0b11111, 0b10001, 0b11111],
    [0b11111, 0b00001, 0b00001, 0b00001, 0b00001],
    [0b11111, 0b10001, 0b11111, 0b10001, 0b11111],
    [0b11111, 0b10001, 0b11111, 0b00001, 0b11111],
];

impl State {
    pub fn show_pane_numbers(&mut self, conn: u64, numbers: PaneNumbers, ms: Option<u64>) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        c.pane_numbers = Some(numbers);
        c.dirty = true;
        let session = c.session;
        let ms = ms.unwrap_or_else(|| {
            self.session_opt(Some(session), "display-panes-time")
                .map_or(1000, Value::as_num)
                .max(1) as u64
        });
        self.client_timer(conn, TimerKind::PaneNumbers, ms);
    }

    /// A key while the numbers show. A pane's number runs the command on
    /// it; any other key hides the numbers and is handled as usual.
    /// Returns whether the key was used up.
    pub fn pane_numbers_key(&mut self, conn: u64, key: &Key) -> bool {
        let Some(c) = self.clients.get_mut(&conn) else {
            return false;
        };
        let Some(numbers) = c.pane_numbers.take() else {
            return false;
        };
        c.dirty = true;
        let session = c.session;
        let index = match key.code {
            _ if !numbers.keys || key.ctrl || key.meta => return false,
            KeyCode::Char(d @ '0'..='9') => d as u32 - '0' as u32,
            KeyCode::Char(a @ 'a'..='z') => 10 + a as u32 - 'a' as u32,
            _ => return false,
        };
        let Some(f) = self.found_session(session) else {
            return true;
        };
        let base = self.pane_base_index(f.window);
        let pane = index
            .checked_sub(base)
            .and_then(|i| self.windows.get(&f.window)?.panes.get(i as usize).copied());
        if let Some(p) = pane {
            self.unzoom(f.window);
            let command = super::prompt::fill_template(&numbers.template, &p.to_string());
            self.run_text(conn, &command);
        }
        true
    }

    /// Draws the numbers over the panes of the client's window.
    pub fn draw_pane_numbers(&self, canvas: &mut Canvas, c: &Client, area_y: usize) {
        let Some(f) = self.found_session(c.session) else {
            return;
        };
        let Some(win) = self.windows.get(&f.window) else {
            return;
        };
        let colour = |name: &str| {
            let spec = self
                .session_opt(Some(c.session), name)
                .map(|v| v.as_str().to_string())
                .unwrap_or_default();
            style::colour(&spec).unwrap_or_default()
        };
        let (active, other) = (
            colour("display-panes-active-colour"),
            colour("display-panes-colour"),
        );
        let base = self.pane_base_index(f.window);
        for (i, id) in win.panes.iter().enumerate() {
            let Some(p) = self
                .panes
                .get(id)
                .filter(|_| !win.zoomed || *id == win.active)
            else {
                continue;
            };
            let col = if *id == win.active { active } else { other };
            let text = (base as usize + i).to_string();
            let (x0, y0) = (p.xoff as usize, area_y + p.yoff as usize);
            let (sx, sy) = (p.sx as usize, p.sy as usize);
            let len = text.len();
            let fg = Style {
                fg: col,
                ..Style::default()
            };
            if sx < len * 6 || sy < 5 {
                let x = x0 + (sx / 2).saturating_sub(len / 2);
                canvas.put(x, y0 + sy / 2, &text, fg, sx);
                continue;
            }
            let size = format!("{}x{}", p.sx, p.sy);
            if sx >= size.len() && sy > 6 {
                canvas.put(x0 + sx - size.len(), y0, &size, fg, size.len());
            }
            let block = Style {
                bg: col,
                ..Style::default()
            };
            let (px, py) = (x0 + sx / 2 - len * 3, y0 + sy / 2 - 2);
            for (n, d) in text.bytes().enumerate() {
                let rows = DIGITS[(d - b'0') as usize];
                for (dy, bits) in rows.iter().enumerate() {
                    for dx in 0..5 {
                        if bits & (0b10000 >> dx) != 0 {
                            canvas.put(px + n * 6 + dx, py + dy, " ", block, 1);
                        }
                    }
                }
            }
        }
    }
}
