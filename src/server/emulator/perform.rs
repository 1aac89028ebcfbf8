//! The `vte` parser's callbacks: which sequence does what to the
//! [`Term`]. Sequences the vt100 crate handled are handled the same way;
//! the additions (answers to queries, tab stops, DECALN, focus events,
//! 1047) are what tmux does.

use super::MouseReport;
use super::grid::Pos;
use super::term::{MouseEncoding, Term};

/// A CSI sequence's parameters: from vte, or from the fast path that
/// reads plain `ESC [ n ; n ... X` sequences itself (`Emu::feed`).
pub trait CsiParams {
    /// Each parameter with its sub-parameters (`38:2:r:g:b` is one).
    fn groups(&self) -> impl Iterator<Item = &[u16]>;
}

impl CsiParams for vte::Params {
    fn groups(&self) -> impl Iterator<Item = &[u16]> {
        self.iter()
    }
}

/// Up to 16 plain numbers, as the fast path reads them.
#[derive(Default)]
pub struct Plain {
    pub vals: [u16; 16],
    pub n: usize,
}

impl CsiParams for Plain {
    fn groups(&self) -> impl Iterator<Item = &[u16]> {
        self.vals[..self.n].iter().map(std::slice::from_ref)
    }
}

/// The first value of parameter `i`, 0 where missing.
fn first(params: &impl CsiParams, i: usize) -> u16 {
    params
        .groups()
        .nth(i)
        .and_then(|p| p.first().copied())
        .unwrap_or(0)
}

/// Parameter `i`, `default` where missing or 0.
fn arg(params: &impl CsiParams, i: usize, default: u16) -> u16 {
    match first(params, i) {
        0 => default,
        n => n,
    }
}

impl vte::Perform for Term {
    /// Stops the parser as soon as it is back in its ground state, so the
    /// ASCII fast path can take over (see `Emu::process`).
    fn terminated(&self) -> bool {
        self.ground_event
    }

    fn print(&mut self, c: char) {
        self.ground_event = true;
        // vt100 draws neither replacement characters (invalid UTF-8) nor
        // C1 controls.
        if c == '\u{fffd}' || ('\u{80}'..'\u{a0}').contains(&c) {
            return;
        }
        self.text(c);
    }

    fn execute(&mut self, b: u8) {
        match b {
            8 => self.backspace(),
            9 => self.tab(),
            10..=12 => self.linefeed(),
            13 => self.carriage_return(),
            7 => self.bells = self.bells.saturating_add(1),
            _ => {}
        }
    }

    fn esc_dispatch(&mut self, intermediates: &[u8], _ignore: bool, b: u8) {
        self.ground_event = true;
        match (intermediates.first(), b) {
            (None, b'7') => self.save_cursor(),
            (None, b'8') => self.restore_cursor(),
            (None, b'=') => self.app_keypad = true,
            (None, b'>') => self.app_keypad = false,
            (None, b'M') => self.reverse_index(),
            (None, b'c') => self.reset(),
            (None, b'H') if !self.vt100_compat => self.set_tab(),
            (Some(b'#'), b'8') if intermediates.len() == 1 && !self.vt100_compat => {
                self.alignment_test();
            }
            _ => {}
        }
    }

    fn csi_dispatch(&mut self, params: &vte::Params, intermediates: &[u8], _ignore: bool, c: char) {
        self.ground_event = true;
        self.dispatch_csi(params, intermediates, c);
    }

    fn osc_dispatch(&mut self, params: &[&[u8]], _bell: bool) {
        match params {
            // tmux takes everything after the first ';' as the title
            // (vt100 ignored titles with a ';' in them).
            [b"0" | b"2", s] if self.vt100_compat => {
                self.title = String::from_utf8_lossy(s).into_owned();
            }
            [b"0" | b"2", rest @ ..] if !rest.is_empty() && !self.vt100_compat => {
                self.title = String::from_utf8_lossy(&rest.join(&b';')).into_owned();
            }
            [b"7", rest @ ..] if !self.vt100_compat => {
                if let Ok(p) = std::str::from_utf8(&rest.join(&b';')) {
                    self.path = p.to_string();
                }
            }
            // OSC 10/11 set the default colours (a query, `?`, is left
            // unanswered: agmux panes have the terminal's defaults);
            // 110/111 reset them.
            [which @ (b"10" | b"11"), spec] if !self.vt100_compat => {
                let i = usize::from(*which == b"11");
                if let Some(c) = std::str::from_utf8(spec).ok().and_then(parse_osc_colour) {
                    self.default_colours[i] = Some(c);
                }
            }
            [which @ (b"110" | b"111")] if !self.vt100_compat => {
                self.default_colours[usize::from(*which == b"111")] = None;
            }
            _ => {}
        }
    }
}

impl Term {
    /// A CSI sequence, from either parser.
    pub fn dispatch_csi(&mut self, params: &impl CsiParams, intermediates: &[u8], c: char) {
        if self.vt100_compat && !matches!(intermediates, [] | [b' '] | [b'?', ..] | [b'>']) {
            return;
        }
        // What vt100 did not handle: CBT, TBC, SCP/RCP, CSI 18 t, DECRQM,
        // XDA.
        if self.vt100_compat
            && (matches!(c, 'Z' | 'g' | 's' | 'u' | 't' | 'p')
                || (intermediates == [b'>'] && c == 'q'))
        {
            return;
        }
        match intermediates {
            [] => self.csi(params, c),
            [b' '] if c == 'q' => {
                if let n @ 0..=6 = first(params, 0) {
                    self.cursor_style = n as u8;
                }
            }
            [b'?', ..] => self.csi_private(params, intermediates, c),
            [b'>'] if c == 'c' && first(params, 0) == 0 => {
                self.replies.extend_from_slice(b"\x1b[>84;0;0c");
            }
            [b'>'] if c == 'q' && first(params, 0) == 0 => {
                let v = concat!("\x1bP>|agmux ", env!("CARGO_PKG_VERSION"), "\x1b\\");
                self.replies.extend_from_slice(v.as_bytes());
            }
            // DECRQM for an ANSI mode: only IRM is known, and never set.
            [b'$'] if c == 'p' => {
                let m = first(params, 0);
                if m > 0 {
                    let n = if m == 4 { 2 } else { 0 };
                    self.reply(format!("\x1b[{m};{n}$y"));
                }
            }
            _ => {}
        }
    }

    fn reply(&mut self, s: String) {
        self.replies.extend_from_slice(s.as_bytes());
    }

    fn csi(&mut self, params: &impl CsiParams, c: char) {
        let n = || arg(params, 0, 1);
        let g = self.g_mut();
        match c {
            '@' => g.insert_cells(n()),
            'A' => g.row_dec_clamp(n()),
            'B' => g.row_inc_clamp(n()),
            'C' => g.col_inc_clamp(n()),
            'D' => g.col_dec(n()),
            'E' => {
                g.col_set(0);
                g.row_inc_clamp(n());
            }
            'F' => {
                g.col_set(0);
                g.row_dec_clamp(n());
            }
            'G' | '`' => g.col_set(n() - 1),
            'H' | 'f' => g.set_pos(Pos {
                row: arg(params, 0, 1) - 1,
                col: arg(params, 1, 1) - 1,
            }),
            'J' => self.erase_display(first(params, 0)),
            'K' => self.erase_line(first(params, 0)),
            'L' => g.insert_lines(n()),
            'M' => g.delete_lines(n()),
            'P' => g.delete_cells(n()),
            'S' => g.scroll_up(n()),
            'T' => g.scroll_down(n()),
            'X' => {
                let style = self.cur_style();
                self.g_mut().erase_cells(n(), style);
            }
            'Z' => self.back_tab(n()),
            'b' => {
                if let Some(ch) = self.last_char {
                    for _ in 0..n() {
                        self.text(ch);
                    }
                }
            }
            'c' if first(params, 0) == 0 => self.replies.extend_from_slice(b"\x1b[?1;2c"),
            'd' => g.row_set(n() - 1),
            'g' => self.clear_tab(first(params, 0)),
            'm' => self.sgr(params),
            // SCP and RCP: DECSC and DECRC by another name, as tmux.
            's' => self.save_cursor(),
            'u' => self.restore_cursor(),
            'n' => match first(params, 0) {
                5 => self.replies.extend_from_slice(b"\x1b[0n"),
                6 => self.report_cursor(),
                _ => {}
            },
            'r' => {
                let rows = g.rows_n;
                let top = arg(params, 0, 1);
                let bottom = arg(params, 1, rows);
                g.set_scroll_region(top - 1, bottom - 1);
            }
            // Window size in characters, rows first (as xterm and tmux
            // after 3.3a; 3.3a itself sends columns first).
            't' if first(params, 0) == 18 => {
                let (cols, rows) = (g.cols, g.rows_n);
                self.reply(format!("\x1b[8;{rows};{cols}t"));
            }
            _ => {}
        }
    }

    fn erase_display(&mut self, mode: u16) {
        let style = self.cur_style();
        let g = self.g_mut();
        match mode {
            0 => g.erase_all_forward(style),
            1 => g.erase_all_backward(style),
            2 => g.erase_all(style),
            3 => g.erase_all_scrollback(true),
            _ => {}
        }
    }

    fn erase_line(&mut self, mode: u16) {
        let style = self.cur_style();
        let g = self.g_mut();
        match mode {
            0 => g.erase_row_forward(style),
            1 => g.erase_row_backward(style),
            2 => g.erase_row(style),
            _ => {}
        }
    }

    /// `CSI ? ...`: DEC private modes, DECRQM, and DECSED/DECSEL, which
    /// erase the cells DECSCA did not protect: no cell is protected here,
    /// so they erase as ED/EL do (as vt100 did, and xterm does). tmux 3.3a
    /// has no entry for them and erases nothing (checked in its input.c
    /// and by hand); agmux keeps today's behaviour.
    fn csi_private(&mut self, params: &impl CsiParams, intermediates: &[u8], c: char) {
        match (intermediates, c) {
            (_, 'J') => self.erase_display(first(params, 0)),
            (_, 'K') => self.erase_line(first(params, 0)),
            (_, 'h') => params.groups().for_each(|p| self.dec_mode(p, true)),
            (_, 'l') => params.groups().for_each(|p| self.dec_mode(p, false)),
            ([b'?', b'$'], 'p') => {
                let m = first(params, 0);
                if m > 0 {
                    let n = match self.dec_mode_state(m) {
                        Some(true) => 1,
                        Some(false) => 2,
                        None => 0,
                    };
                    self.reply(format!("\x1b[?{m};{n}$y"));
                }
            }
            _ => {}
        }
    }

    /// What DECRQM reports for a private mode: set, reset, or unknown.
    fn dec_mode_state(&self, m: u16) -> Option<bool> {
        Some(match m {
            1 => self.app_cursor,
            6 => self.g().origin_mode,
            // Autowrap is always on.
            7 => true,
            25 => !self.hide_cursor,
            47 | 1047 | 1049 => self.alt_on,
            9 => self.mouse == MouseReport::Press,
            1000 => self.mouse == MouseReport::PressRelease,
            1002 => self.mouse == MouseReport::ButtonMotion,
            1003 => self.mouse == MouseReport::AnyMotion,
            1004 => self.focus,
            1005 => self.mouse_enc == MouseEncoding::Utf8,
            1006 => self.mouse_enc == MouseEncoding::Sgr,
            2004 => self.bracketed_paste,
            _ => return None,
        })
    }

    fn dec_mode(&mut self, p: &[u16], on: bool) {
        let mouse = |t: &mut Term, m: MouseReport| {
            if on {
                t.mouse = m;
            } else if t.mouse == m {
                t.mouse = MouseReport::Off;
            }
        };
        let enc = |t: &mut Term, e: MouseEncoding| {
            if on {
                t.mouse_enc = e;
            } else if t.mouse_enc == e {
                t.mouse_enc = MouseEncoding::Default;
            }
        };
        match p {
            [1] => self.app_cursor = on,
            [6] => self.g_mut().set_origin_mode(on),
            [9] => mouse(self, MouseReport::Press),
            [25] => self.hide_cursor = !on,
            [1047] if self.vt100_compat => {}
            [47] | [1047] => {
                if on {
                    self.enter_alternate();
                } else {
                    self.exit_alternate();
                    self.main_to_size();
                }
            }
            [1000] => mouse(self, MouseReport::PressRelease),
            [1002] => mouse(self, MouseReport::ButtonMotion),
            [1003] => mouse(self, MouseReport::AnyMotion),
            [1004] => self.focus = on,
            [1005] => enc(self, MouseEncoding::Utf8),
            [1006] => enc(self, MouseEncoding::Sgr),
            [1049] => {
                if on {
                    self.save_cursor();
                    self.alt.clear();
                    self.enter_alternate();
                } else {
                    self.exit_alternate();
                    // The cursor comes back first, to be rewrapped with
                    // the text it is on.
                    self.restore_cursor();
                    self.main_to_size();
                }
            }
            [2004] => self.bracketed_paste = on,
            _ => {}
        }
    }
}

/// A colour as OSC 10/11 give it, the forms tmux's input_osc_parse_colour
/// reads: `rgb:RR/GG/BB` or `rgb:RRRR/GGGG/BBBB`, `#RRGGBB` or
/// `#RRRRGGGGBBBB`, `R,G,B`.
fn parse_osc_colour(p: &str) -> Option<crate::screen::Color> {
    let hex = |s: &str| u16::from_str_radix(s, 16).ok();
    let rgb = |r: u16, g: u16, b: u16, shift: u32| {
        Some(crate::screen::Color::Rgb(
            (r >> shift) as u8,
            (g >> shift) as u8,
            (b >> shift) as u8,
        ))
    };
    if let Some(rest) = p.strip_prefix("rgb:") {
        let parts: Vec<&str> = rest.split('/').collect();
        let [r, g, b] = parts.as_slice() else {
            return None;
        };
        let width = r.len();
        if (width == 2 || width == 4) && g.len() == width && b.len() == width {
            let shift = if width == 4 { 8 } else { 0 };
            return rgb(hex(r)?, hex(g)?, hex(b)?, shift);
        }
        return None;
    }
    if let Some(h) = p.strip_prefix('#') {
        let w = match h.len() {
            6 => 2,
            12 => 4,
            _ => return None,
        };
        let part = |i: usize| h.get(i * w..(i + 1) * w).and_then(hex);
        return rgb(part(0)?, part(1)?, part(2)?, if w == 4 { 8 } else { 0 });
    }
    let parts: Vec<u16> = p
        .split(',')
        .map(|x| x.trim().parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [r, g, b] if *r < 256 && *g < 256 && *b < 256 => rgb(*r, *g, *b, 0),
        _ => None,
    }
}
