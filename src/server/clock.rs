//! clock-mode: the time drawn large over a pane, as tmux's window-clock.c.

use super::state::{Pane, PaneMode, State};
use super::style::{self, Canvas};
use crate::screen::Style;
use commands::PaneId;
use commands::format::strftime;

/// ':', 'A', 'P' and 'M' after the digits, five rows of five cells.
const MORE: [[u8; 5]; 4] = [
    [0b00000, 0b00100, 0b00000, 0b00100, 0b00000],
    [0b11111, 0b10001, 0b11111, 0b10001, 0b10001],
    [0b11111, 0b10001, 0b11111, 0b10000, 0b10000],
    [0b10001, 0b11011, 0b10101, 0b10001, 0b10001],
];

fn glyph(c: char) -> Option<[u8; 5]> {
    match c {
        '0'..='9' => Some(super::overlay::DIGITS[c as usize - '0' as usize]),
        ':' => Some(MORE[0]),
        'A' => Some(MORE[1]),
        'P' => Some(MORE[2]),
        'M' => Some(MORE[3]),
        _ => None,
    }
}

impl State {
    pub fn enter_clock(&mut self, p: PaneId) {
        if !self.panes.contains_key(&p) {
            return;
        }
        self.leave_mode(p);
        let alive = std::sync::Arc::new(());
        let watch = std::sync::Arc::downgrade(&alive);
        if let Some(pane) = self.panes.get_mut(&p) {
            pane.mode = Some(PaneMode::Clock { _alive: alive });
        }
        // Redrawn each second while it shows.
        let events = self.events.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                if watch.upgrade().is_none() || events.send(super::Event::StatusTick).is_err() {
                    break;
                }
            }
        });
        self.mode_changed(p);
        self.redraw_pane(p);
    }

    /// The time as tmux's clock shows it: `%H:%M`, or with
    /// clock-mode-style 12, `%l:%M AM`.
    fn clock_text(&self, p: &Pane) -> String {
        let twelve = self
            .window_opt(p.window, "clock-mode-style")
            .is_some_and(|v| v.as_str() == "12");
        let now = commands::util::now();
        if twelve {
            let hour: u32 = strftime("%H", now).trim().parse().unwrap_or(0);
            let ampm = if hour >= 12 { "PM" } else { "AM" };
            format!("{}{ampm}", strftime("%l:%M ", now))
        } else {
            strftime("%H:%M", now)
        }
    }

    pub fn draw_clock(
        &self,
        canvas: &mut Canvas,
        p: &Pane,
        (x0, y0): (usize, usize),
        (w, h): (usize, usize),
    ) {
        let colour = self
            .window_opt(p.window, "clock-mode-colour")
            .map(|v| v.as_str().to_string())
            .and_then(|c| style::colour(&c))
            .unwrap_or_default();
        for y in y0..y0 + h {
            canvas.fill(y, x0, x0 + w, Style::default());
        }
        let text = self.clock_text(p);
        let len = text.chars().count();
        if w < 6 * len || h < 6 {
            if w >= len && h != 0 {
                let fg = Style {
                    fg: colour,
                    ..Style::default()
                };
                canvas.put(x0 + w / 2 - len / 2, y0 + h / 2, &text, fg, w);
            }
            return;
        }
        let block = Style {
            bg: colour,
            ..Style::default()
        };
        let mut x = x0 + w / 2 - 3 * len;
        let y = y0 + h / 2 - 3;
        for c in text.chars() {
            if let Some(rows) = glyph(c) {
                for (dy, bits) in rows.iter().enumerate() {
                    for dx in 0..5 {
                        if bits & (0b10000 >> dx) != 0 {
                            canvas.put(x + dx, y + dy, " ", block, 1);
                        }
                    }
                }
            }
            x += 6;
        }
    }
}
