//! Turning a client's canvas into what its terminal is sent: ratatui's
//! crossterm backend draws the cells that changed since the last frame, the
//! way ratatui's own buffer diff picks them, and the terminal's modes,
//! cursor and cursor shape follow.

use super::modes;
use crate::screen::{Color as ScreenColor, Style as ScreenStyle};
use crate::server::style::{Canvas, Cell};
use crossterm::{cursor, event, queue};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Cell as TermCell;
use ratatui::layout::Position;
use ratatui::style::{Color, Modifier, Style};
use std::io::{self, Write};

/// What the terminal shows besides its cells, so that only changes are
/// sent. Default: nothing is known (a new or retaken terminal).
#[derive(Debug, Default)]
pub struct Shown {
    cursor_visible: Option<bool>,
    shape: u8,
    modes: u8,
}

/// One frame: the canvas, what it replaces (`None`: a cleared terminal),
/// and the state around the cells.
pub struct Frame<'a> {
    pub next: &'a Canvas,
    pub prev: Option<&'a Canvas>,
    /// The rows that may differ from `prev`.
    pub rows: &'a [usize],
    pub cursor: (u16, u16),
    pub cursor_style: u8,
    pub modes: u8,
}

/// Appends to `out` what makes the terminal show `f`.
pub fn paint(out: &mut Vec<u8>, shown: &mut Shown, f: &Frame) -> io::Result<()> {
    if f.prev.is_none() {
        queue!(
            out,
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )?;
    }
    set_modes(out, shown.modes, f.modes)?;
    shown.modes = f.modes;
    let updates = changed_cells(f);
    let mut backend = CrosstermBackend::new(&mut *out);
    if !updates.is_empty() {
        backend.draw(updates.iter().map(|(x, y, c)| (*x, *y, c)))?;
    }
    let visible = f.modes & modes::CURSOR_HIDDEN == 0;
    if visible {
        backend.set_cursor_position(Position::new(f.cursor.0, f.cursor.1))?;
    }
    if shown.cursor_visible != Some(visible) {
        if visible {
            backend.show_cursor()?;
        } else {
            backend.hide_cursor()?;
        }
        shown.cursor_visible = Some(visible);
    }
    if f.cursor_style != shown.shape {
        shown.shape = f.cursor_style;
        queue!(out, cursor_shape(f.cursor_style))?;
    }
    Ok(())
}

/// The cells of the rows to draw that differ from what is shown, as
/// ratatui's diff finds them: the cell hidden under a wide character is
/// skipped, and the cells after one whose width changed are drawn again.
fn changed_cells(f: &Frame) -> Vec<(u16, u16, TermCell)> {
    let blank = Cell::blank(ScreenStyle::default());
    let mut out = Vec::new();
    let mut text = String::new();
    for &y in f.rows {
        let Some(line) = f.next.lines.get(y) else {
            continue;
        };
        let old_line = f.prev.and_then(|p| p.lines.get(y));
        let (mut invalidated, mut to_skip) = (0usize, 0usize);
        for (x, cur) in line.iter().enumerate() {
            let old = old_line.and_then(|l| l.get(x)).unwrap_or(&blank);
            let differs = match f.prev {
                Some(prev) => !f.next.same_cell(prev, cur, old),
                None => *cur != blank,
            };
            if (differs || invalidated > 0) && to_skip == 0 {
                text.clear();
                f.next.push_text(cur, &mut text);
                if text.is_empty() {
                    text.push(' ');
                }
                let mut cell = TermCell::default();
                cell.set_symbol(&text).set_style(style(&cur.style()));
                out.push((x as u16, y as u16, cell));
            }
            let (w, old_w) = (width(cur), width(old));
            to_skip = w.saturating_sub(1);
            invalidated = w.max(old_w).max(invalidated).saturating_sub(1);
        }
    }
    out
}

/// Columns a cell takes on the terminal: the right half of a wide
/// character is a blank of one, as in ratatui's buffer.
fn width(c: &Cell) -> usize {
    if c.width == 2 { 2 } else { 1 }
}

fn colour(c: ScreenColor) -> Color {
    match c {
        ScreenColor::Default => Color::Reset,
        ScreenColor::Idx(n) => Color::Indexed(n),
        ScreenColor::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

fn style(s: &ScreenStyle) -> Style {
    use crate::screen::{BLINK, BOLD, DIM, HIDDEN, INVERSE, ITALIC, STRIKETHROUGH, UNDERLINE};
    let mut st = Style::default().fg(colour(s.fg)).bg(colour(s.bg));
    for (bit, m) in [
        (BOLD, Modifier::BOLD),
        (DIM, Modifier::DIM),
        (ITALIC, Modifier::ITALIC),
        (UNDERLINE, Modifier::UNDERLINED),
        (INVERSE, Modifier::REVERSED),
        (BLINK, Modifier::SLOW_BLINK),
        (HIDDEN, Modifier::HIDDEN),
        (STRIKETHROUGH, Modifier::CROSSED_OUT),
    ] {
        if s.attrs & bit != 0 {
            st = st.add_modifier(m);
        }
    }
    st
}

/// Turns the terminal's mouse, bracketed paste and focus reporting on or
/// off as they changed.
fn set_modes(out: &mut impl Write, old: u8, new: u8) -> io::Result<()> {
    let changed = old ^ new;
    let on = |bit: u8| new & bit != 0;
    if changed & modes::MOUSE != 0 {
        if on(modes::MOUSE) {
            queue!(out, event::EnableMouseCapture)?;
        } else {
            queue!(out, event::DisableMouseCapture)?;
        }
    }
    if changed & modes::BRACKETED_PASTE != 0 {
        if on(modes::BRACKETED_PASTE) {
            queue!(out, event::EnableBracketedPaste)?;
        } else {
            queue!(out, event::DisableBracketedPaste)?;
        }
    }
    if changed & modes::FOCUS != 0 {
        if on(modes::FOCUS) {
            queue!(out, event::EnableFocusChange)?;
        } else {
            queue!(out, event::DisableFocusChange)?;
        }
    }
    Ok(())
}

fn cursor_shape(n: u8) -> cursor::SetCursorStyle {
    use cursor::SetCursorStyle::*;
    match n {
        1 => BlinkingBlock,
        2 => SteadyBlock,
        3 => BlinkingUnderScore,
        4 => SteadyUnderScore,
        5 => BlinkingBar,
        6 => SteadyBar,
        _ => DefaultUserShape,
    }
}
