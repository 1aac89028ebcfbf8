//! Screen watches: a subscriber that asked for a pane's screen (the
//! dashboard's focused terminal) gets its rows as `screen` events, all of
//! them first, then the rows that changed. One update is in flight at a
//! time: the next goes when the subscriber says it has handled the last
//! (a `drawn` frame), so a pane printing megabytes a second costs one
//! update per round trip, and an idle pane costs nothing.

use crate::screen::{Color, Line, Style};
use crate::server::Reply;
use crate::server::state::State;
use commands::PaneId;
use commands::host::Io;
use commands::proto::{Run, ServerMsg};
use serde_json::{Value, json};
use tokio::sync::mpsc;

pub struct ScreenWatch {
    conn: u64,
    pane: PaneId,
    tx: mpsc::Sender<ServerMsg>,
    reply: Reply,
    /// The version of each row as last sent (0: send it).
    versions: Vec<u64>,
    /// Size, cursor and modes as last sent: a change resends them.
    head: Value,
    /// An update was sent and not yet acknowledged.
    in_flight: bool,
    /// The pane changed while an update was in flight.
    dirty: bool,
}

/// A style as the wire carries it: colours -1 (default), 0-255, or
/// 0x1000000 + RGB, then the attribute bits.
pub fn wire_style(s: &Style) -> [i32; 3] {
    let c = |c: &Color| match c {
        Color::Default => -1,
        Color::Idx(n) => *n as i32,
        Color::Rgb(r, g, b) => 0x100_0000 | ((*r as i32) << 16) | ((*g as i32) << 8) | *b as i32,
    };
    [c(&s.fg), c(&s.bg), s.attrs as i32]
}

/// A line as runs of text in one style; the right half of a wide
/// character has no run of its own.
fn line_runs(line: &Line) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (cell, text) in line.cell_texts().filter(|(c, _)| c.width > 0) {
        let s = wire_style(&cell.style);
        match out.last_mut() {
            Some(r) if r.s == s => r.t.push_str(text),
            _ => out.push(Run {
                t: text.to_string(),
                s,
            }),
        }
    }
    // Trailing default blanks carry nothing.
    if let Some(last) = out.last_mut()
        && last.s == [-1, -1, 0]
    {
        let kept = last.t.trim_end_matches(' ').len();
        last.t.truncate(kept);
        if last.t.is_empty() {
            out.pop();
        }
    }
    out
}

impl State {
    /// Starts sending pane `target`'s screen to a subscriber.
    pub fn watch_screen(
        &mut self,
        io: &Io,
        conn: u64,
        target: &str,
        tx: mpsc::Sender<ServerMsg>,
        reply: Reply,
    ) -> commands::CmdResult {
        let f = self.resolve(io, Some(target), commands::TargetKind::Pane)?;
        self.current_access = Some(commands::Access::ReadContent);
        let reach = self.check_reach(io, &f);
        self.current_access = None;
        reach?;
        self.screen_watches.push(ScreenWatch {
            conn,
            pane: f.pane,
            tx,
            reply,
            versions: Vec::new(),
            head: Value::Null,
            in_flight: false,
            dirty: true,
        });
        let i = self.screen_watches.len() - 1;
        self.send_screen(i);
        Ok(())
    }

    /// Pane `p` printed or changed size.
    pub fn screen_changed(&mut self, p: PaneId) {
        let mut i = 0;
        while i < self.screen_watches.len() {
            let w = &mut self.screen_watches[i];
            if w.pane == p {
                w.dirty = true;
                if !w.in_flight && !self.send_screen(i) {
                    continue;
                }
            }
            i += 1;
        }
    }

    /// A subscriber handled its last update.
    pub fn screen_drawn(&mut self, conn: u64) {
        if let Some(i) = self.screen_watches.iter().position(|w| w.conn == conn) {
            self.screen_watches[i].in_flight = false;
            if self.screen_watches[i].dirty {
                self.send_screen(i);
            }
        }
    }

    /// Pane `p` is gone: its watchers hear so once, and stop.
    pub fn screen_closed(&mut self, p: PaneId) {
        self.screen_watches.retain(|w| {
            if w.pane != p {
                return true;
            }
            let event = json!({"type": "screen", "pane": p.to_string(), "closed": true});
            let _ = w.tx.try_send(ServerMsg::Event { event });
            false
        });
    }

    pub fn unwatch_screens(&mut self, conn: u64) {
        self.screen_watches.retain(|w| w.conn != conn);
    }

    /// Sends watch `i` what changed since its last update. False when the
    /// watch was dropped (its queue was full: the subscriber is cut off).
    fn send_screen(&mut self, i: usize) -> bool {
        let Some(pane) = self.panes.get(&self.screen_watches[i].pane) else {
            return true;
        };
        let w = &mut self.screen_watches[i];
        let mut emu = pane.io.shared.emu();
        let (cols, rows) = emu.size();
        let (x, y) = emu.cursor();
        let modes = emu.input_modes();
        let head = json!({
            "cols": cols,
            "rows": rows,
            "cursor": [x, y],
            "cursor_visible": emu.cursor_visible(),
            "app_cursor": modes.app_cursor,
            "app_keypad": modes.app_keypad,
            "bracketed_paste": modes.bracketed_paste,
        });
        let lines = emu.screen_lines();
        let full = w.versions.len() != lines.len() || head["cols"] != w.head["cols"];
        if full {
            w.versions = vec![0; lines.len()];
        }
        let mut changed = Vec::new();
        for (y, line) in lines.iter().enumerate() {
            if full || line.version == 0 || line.version != w.versions[y] {
                w.versions[y] = line.version;
                changed.push(json!({"y": y, "runs": line_runs(line)}));
            }
        }
        drop(emu);
        w.dirty = false;
        if changed.is_empty() && head == w.head {
            return true;
        }
        let mut event = json!({
            "type": "screen",
            "time": commands::util::iso_time(crate::server::pane::now_micros()),
            "pane": w.pane.to_string(),
            "full": full,
            "lines": changed,
        });
        if let (Value::Object(e), Value::Object(h)) = (&mut event, &head) {
            e.extend(h.clone());
        }
        w.head = head;
        w.in_flight = true;
        if w.tx.try_send(ServerMsg::Event { event }).is_err() {
            let message = "subscriber too slow for the pane's screen: cut off".to_string();
            let _ = w.reply.send(ServerMsg::Error { message });
            self.screen_watches.remove(i);
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::LineCell;

    fn cell(len: u8, width: u8, fg: Color) -> LineCell {
        LineCell {
            len,
            width,
            style: Style {
                fg,
                ..Style::default()
            },
        }
    }

    #[test]
    fn runs_join_a_style_and_skip_the_right_half_of_wide_characters() {
        let line = Line {
            text: "ab世c".into(),
            cells: vec![
                cell(1, 1, Color::Idx(1)),
                cell(1, 1, Color::Idx(1)),
                cell(3, 2, Color::Default),
                cell(0, 0, Color::Default),
                cell(1, 1, Color::Rgb(1, 2, 3)),
                cell(0, 1, Color::Default),
            ],
            ..Line::default()
        };
        let runs = line_runs(&line);
        let texts: Vec<(&str, [i32; 3])> = runs.iter().map(|r| (r.t.as_str(), r.s)).collect();
        assert_eq!(
            texts,
            vec![
                ("ab", [1, -1, 0]),
                ("世", [-1, -1, 0]),
                ("c", [0x100_0000 | 0x010203, -1, 0]),
            ]
        );
    }
}
