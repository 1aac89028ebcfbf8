//! The vt100 crate behind the [`Emulator`] trait: what panes used before
//! agmux had its own emulator, kept (in tests only) as the reference the
//! differential tests compare [`super::Emu`] with.

use super::{
    BOLD, Color, DIM, Emulator, INVERSE, ITALIC, Line, LineCell, MouseMode, MouseReport, Style,
    UNDERLINE, next_version,
};
use commands::keys::InputModes;
use std::num::NonZeroU16;

/// What the vt100 parser reports through its callbacks.
#[derive(Default)]
struct Events {
    title: String,
    replies: Vec<u8>,
    trimmed: u64,
    /// Focus reporting (DECSET 1004), which vt100 leaves to us.
    focus: bool,
}

impl vt100::Callbacks for Events {
    fn on_scroll(&mut self, _row: vt100::capture::RowContents<'_>, alternate: bool) {
        if !alternate {
            self.trimmed += 1;
        }
    }

    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.title = String::from_utf8_lossy(title).into_owned();
    }

    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        if i1 == Some(b'?') && matches!(c, 'h' | 'l') && params.contains(&&[1004][..]) {
            self.focus = c == 'h';
        }
        let first = params.first().and_then(|p| p.first()).copied().unwrap_or(0);
        match (i1, c, first) {
            // Primary device attributes: a VT100 with advanced video, as
            // tmux answers.
            (None, 'c', 0) => self.replies.extend_from_slice(b"\x1b[?1;2c"),
            (Some(b'>'), 'c', 0) => self.replies.extend_from_slice(b"\x1b[>84;0;0c"),
            (None, 'n', 5) => self.replies.extend_from_slice(b"\x1b[0n"),
            (None, 'n', 6) => {
                let (row, col) = screen.cursor_position();
                let reply = format!("\x1b[{};{}R", row + 1, col + 1);
                self.replies.extend_from_slice(reply.as_bytes());
            }
            _ => {}
        }
    }
}

/// The vt100 crate behind the [`Emulator`] trait.
pub struct Vt100 {
    parser: vt100::Parser<Events>,
    /// The visible lines as last read, and each row's formatted text then:
    /// vt100 finds every cell by walking its rows, so a row is re-read only
    /// when its formatted text (one pass over the screen) changed.
    keys: Vec<String>,
    lines: Vec<Line>,
    /// Output or a resize came since the lines were last read: without
    /// either, a frame (another pane's output, the clock) reuses them.
    changed: bool,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n.max(1)).unwrap_or(NonZeroU16::MIN)
}

fn color(c: vt100::Color) -> Color {
    match c {
        vt100::Color::Default => Color::Default,
        vt100::Color::Idx(n) => Color::Idx(n),
        vt100::Color::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

impl Vt100 {
    pub fn new(cols: u16, rows: u16, history: usize) -> Vt100 {
        Vt100 {
            parser: vt100::Parser::new_with_callbacks(
                nz(rows),
                nz(cols),
                history,
                Events::default(),
            ),
            keys: Vec::new(),
            lines: Vec::new(),
            changed: true,
        }
    }

    /// Reads visible row `row` with the screen scrolled back `offset` lines.
    fn read_row(&mut self, offset: usize, row: u16) -> Option<Line> {
        let screen = self.parser.screen_mut();
        if screen.scrollback() != offset {
            screen.set_scrollback(offset);
        }
        let (_, cols) = screen.size();
        let mut line = Line {
            wrapped: screen.row_wrapped(row),
            ..Line::default()
        };
        line.cells.reserve(cols.get() as usize);
        for col in 0..cols.get() {
            let cell = screen.cell(row, col)?;
            let mut attrs = 0;
            for (on, bit) in [
                (cell.bold(), BOLD),
                (cell.dim(), DIM),
                (cell.italic(), ITALIC),
                (cell.underline(), UNDERLINE),
                (cell.inverse(), INVERSE),
            ] {
                if on {
                    attrs |= bit;
                }
            }
            let style = Style {
                fg: color(cell.fgcolor()),
                bg: color(cell.bgcolor()),
                attrs,
            };
            let text = cell.contents();
            line.text.push_str(text);
            let width = if cell.is_wide_continuation() {
                0
            } else if cell.is_wide() {
                2
            } else {
                1
            };
            line.cells.push(LineCell {
                len: text.len().min(u8::MAX as usize) as u8,
                width,
                style,
            });
        }
        Some(line)
    }
}

impl Emulator for Vt100 {
    fn process(&mut self, bytes: &[u8]) {
        self.parser.process(bytes);
        self.changed = true;
    }

    fn take_replies(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.parser.callbacks_mut().replies)
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.screen_mut().set_scrollback(0);
        self.parser.set_size(nz(rows), nz(cols));
        self.changed = true;
    }

    fn size(&self) -> (u16, u16) {
        let (rows, cols) = self.parser.screen().size();
        (cols.get(), rows.get())
    }

    fn cursor(&self) -> (u16, u16) {
        let (row, col) = self.parser.screen().cursor_position();
        (col, row)
    }

    fn cursor_visible(&self) -> bool {
        !self.parser.screen().hide_cursor()
    }

    fn cursor_style(&self) -> u8 {
        use vt100::CursorStyle::*;
        match self.parser.screen().cursor_style() {
            Default => 0,
            BlinkBlock => 1,
            SteadyBlock => 2,
            BlinkUnderline => 3,
            SteadyUnderline => 4,
            BlinkVerticalBar => 5,
            SteadyVerticalBar => 6,
        }
    }

    fn title(&self) -> &str {
        &self.parser.callbacks().title
    }

    fn set_title(&mut self, title: &str) {
        self.parser.callbacks_mut().title = title.to_string();
    }

    fn input_modes(&self) -> InputModes {
        let s = self.parser.screen();
        InputModes {
            app_cursor: s.application_cursor(),
            app_keypad: s.application_keypad(),
            bracketed_paste: s.bracketed_paste(),
        }
    }

    fn mouse_mode(&self) -> MouseMode {
        use vt100::{MouseProtocolEncoding as E, MouseProtocolMode as M};
        let s = self.parser.screen();
        MouseMode {
            report: match s.mouse_protocol_mode() {
                M::None => MouseReport::Off,
                M::Press => MouseReport::Press,
                M::PressRelease => MouseReport::PressRelease,
                M::ButtonMotion => MouseReport::ButtonMotion,
                M::AnyMotion => MouseReport::AnyMotion,
            },
            sgr: s.mouse_protocol_encoding() == E::Sgr,
        }
    }

    fn focus_reporting(&self) -> bool {
        self.parser.callbacks().focus
    }

    fn alternate_screen(&self) -> bool {
        self.parser.screen().alternate_screen()
    }

    fn history_size(&self) -> usize {
        self.parser.screen().scrollback_len()
    }

    fn history_trimmed(&self) -> u64 {
        self.parser.callbacks().trimmed
    }

    fn clear_history(&mut self) {
        self.parser.screen_mut().clear_scrollback();
    }

    fn line(&mut self, y: i64) -> Option<Line> {
        let (_, rows) = self.size();
        let line = if y >= 0 {
            let row = u16::try_from(y).ok().filter(|r| *r < rows)?;
            self.read_row(0, row)
        } else {
            let back = usize::try_from(-y).ok()?;
            if back > self.history_size() {
                return None;
            }
            // Scrolled back by `back`, history line -back is the top row.
            self.read_row(back, 0)
        };
        let screen = self.parser.screen_mut();
        if screen.scrollback() != 0 {
            screen.set_scrollback(0);
        }
        line
    }

    fn screen_lines(&mut self) -> &[Line] {
        if !self.changed {
            return &self.lines;
        }
        self.changed = false;
        let (cols, rows) = self.size();
        let keys: Vec<String> = self.parser.screen().rows_formatted(0, cols).collect();
        let rows = rows as usize;
        self.keys.truncate(rows);
        self.lines.truncate(rows);
        for (y, key) in keys.into_iter().enumerate() {
            let wrapped = self.parser.screen().row_wrapped(y as u16);
            let fresh = self.keys.get(y).is_some_and(|k| *k == key)
                && self
                    .lines
                    .get(y)
                    .is_some_and(|l| l.cells.len() == cols as usize && l.wrapped == wrapped);
            if fresh {
                continue;
            }
            let mut line = self.read_row(0, y as u16).unwrap_or_default();
            line.version = next_version();
            if y < self.lines.len() {
                self.keys[y] = key;
                self.lines[y] = line;
            } else {
                self.keys.push(key);
                self.lines.push(line);
            }
        }
        &self.lines
    }
}
