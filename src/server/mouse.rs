//! The mouse, with `mouse on`: events become keys named for where they
//! happened (MouseDown1Pane, MouseDrag1Border, WheelUpStatus...) and run
//! their bindings with the mouse as target, as in tmux; unbound ones go to
//! the program under the mouse if it asked for mouse events. A drag runs its
//! binding once, which may make the rest of it move a border or grow a
//! copy-mode selection.

use super::input::{Mouse, MouseKind};
use super::state::State;
use commands::host::{MouseDrag, MouseTarget};
use commands::keys::{Key, KeyCode, MouseAt, MouseEvent, MouseKey};
use commands::options::Value;
use commands::{CmdResult, PaneId, bail};

/// A drag in progress on a client.
#[derive(Debug, Clone, Copy)]
pub struct Drag {
    button: u8,
    at: MouseAt,
    /// What following the mouse does, once a binding said.
    action: Option<MouseDrag>,
    /// Where the mouse was last, in the client's cells.
    last: (u16, u16),
}

/// Presses of the same button in quick succession, as tmux counts them:
/// a second within the click time is a SecondClick, a third a
/// TripleClick; two with no third in time are a DoubleClick.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clicks {
    /// Waiting for a second click (after a press) or a third (after a
    /// second).
    waiting: Option<ClickWait>,
    /// The button code of the press that started the count.
    code: u32,
    /// That press, for the DoubleClick when no third comes.
    press: Option<Mouse>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClickWait {
    Second,
    Third,
}

/// tmux's KEYC_CLICK_TIMEOUT, in milliseconds.
const CLICK_TIME: u64 = 300;

/// The button code xterm reports for an event.
pub(super) fn xterm_code(m: &Mouse) -> u32 {
    let base = match m.kind {
        MouseKind::Down(b) | MouseKind::Up(b) => u32::from(b.clamp(1, 4)) - 1,
        MouseKind::Drag(b) => u32::from(b.clamp(1, 3)) - 1 + 32,
        MouseKind::WheelUp => 64,
        MouseKind::WheelDown => 65,
        MouseKind::Move => 35,
    };
    base + 4 * u32::from(m.shift) + 8 * u32::from(m.meta) + 16 * u32::from(m.ctrl)
}

impl State {
    pub fn client_mouse(&mut self, conn: u64, m: Mouse) {
        let Some(c) = self.clients.get(&conn) else {
            return;
        };
        if !self
            .session_opt(Some(c.session), "mouse")
            .is_some_and(Value::as_flag)
        {
            return;
        }
        // A drag starts where the button went down, as in tmux: that is
        // where its binding acts (a border, or where a selection begins).
        let before = c.mouse_at;
        let starts_drag = matches!(m.kind, MouseKind::Drag(_)) && c.drag.is_none();
        let (x, y) = if starts_drag { before } else { (m.x, m.y) };
        let Some((at, target)) = self.mouse_target(conn, x, y) else {
            return;
        };
        let target = MouseTarget {
            code: xterm_code(&m),
            release: matches!(m.kind, MouseKind::Up(_)),
            ..target
        };
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        c.mouse_at = (m.x, m.y);
        let (event, at) = match (m.kind, c.drag) {
            (MouseKind::Move, _) => {
                // Motion without a button has no binding; programs that
                // asked for all motion get it.
                if let Some(p) = target.pane {
                    let _ = self.send_mouse_to(p, &target);
                }
                return;
            }
            (MouseKind::Drag(_), Some(d)) if d.action.is_some() => {
                self.drag_update(conn, d, m.x, m.y);
                return;
            }
            (MouseKind::Drag(b), Some(_)) => (MouseEvent::Drag(b), at),
            (MouseKind::Drag(b), None) => {
                c.drag = Some(Drag {
                    button: b,
                    at,
                    action: None,
                    last: before,
                });
                (MouseEvent::Drag(b), at)
            }
            (MouseKind::Up(_), Some(d)) => {
                c.drag = None;
                (MouseEvent::DragEnd(d.button), d.at)
            }
            (MouseKind::Up(b), None) => (MouseEvent::Up(b), at),
            (MouseKind::Down(b), _) => {
                c.drag = None;
                match self.count_click(conn, &m, b) {
                    Some(event) => (event, at),
                    // Another button within the click time: dropped, as
                    // tmux drops it.
                    None => return,
                }
            }
            (MouseKind::WheelUp, _) => (MouseEvent::WheelUp, at),
            (MouseKind::WheelDown, _) => (MouseEvent::WheelDown, at),
        };
        let key = Key {
            code: KeyCode::Mouse(MouseKey { event, at }),
            ctrl: m.ctrl,
            meta: m.meta,
            shift: m.shift,
        };
        self.client_key(conn, key, Vec::new(), Some(target));
    }

    /// A press: a plain press, or the second or third of a quick series of
    /// the same button (as tmux's server_client_check_mouse). `None` for a
    /// press of another button while counting.
    fn count_click(&mut self, conn: u64, m: &Mouse, button: u8) -> Option<MouseEvent> {
        let c = self.clients.get_mut(&conn)?;
        let code = xterm_code(m);
        let same = code == c.clicks.code;
        let event = match c.clicks.waiting.take() {
            Some(ClickWait::Second) if same => {
                c.clicks.waiting = Some(ClickWait::Third);
                Some(MouseEvent::SecondClick(button))
            }
            // The third: the series is over, no timer.
            Some(ClickWait::Third) if same => return Some(MouseEvent::TripleClick(button)),
            Some(_) => None,
            None => {
                c.clicks.waiting = Some(ClickWait::Second);
                Some(MouseEvent::Down(button))
            }
        };
        c.clicks.code = code;
        c.clicks.press = Some(*m);
        self.client_timer(conn, super::client::TimerKind::Click, CLICK_TIME);
        event
    }

    /// The click time passed: after a second click with no third, the
    /// pair was a double click, which runs its binding where the second
    /// was.
    pub fn click_timer_fired(&mut self, conn: u64) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        let waiting = c.clicks.waiting.take();
        let Some(m) = c.clicks.press.filter(|_| waiting == Some(ClickWait::Third)) else {
            return;
        };
        let MouseKind::Down(button) = m.kind else {
            return;
        };
        let Some((at, target)) = self.mouse_target(conn, m.x, m.y) else {
            return;
        };
        let target = MouseTarget {
            code: xterm_code(&m),
            release: false,
            ignore: true,
            ..target
        };
        let key = Key {
            code: KeyCode::Mouse(MouseKey {
                event: MouseEvent::DoubleClick(button),
                at,
            }),
            ctrl: m.ctrl,
            meta: m.meta,
            shift: m.shift,
        };
        self.client_key(conn, key, Vec::new(), Some(target));
    }

    /// What is under the mouse at a cell of the client: the status line
    /// (and the window named there), a pane, or a border (and the pane left
    /// of or above it).
    fn mouse_target(&self, conn: u64, x: u16, y: u16) -> Option<(MouseAt, MouseTarget)> {
        let c = self.clients.get(&conn)?;
        let f = self.found_session(c.session)?;
        let status = self.status_lines(c.session);
        let top = self
            .session_opt(Some(c.session), "status-position")
            .is_some_and(|v| v.as_str() == "top");
        let mut t = MouseTarget {
            pane: None,
            window: None,
            x: 0,
            y: 0,
            code: 0,
            release: false,
            ignore: false,
        };
        if status > 0 && y == if top { 0 } else { c.rows.saturating_sub(1) } {
            use super::render::{STATUS_LEFT, STATUS_RIGHT};
            // As tmux: a window's name, status-left, status-right, or
            // none of them (the default range).
            let range = c
                .status_ranges
                .iter()
                .find(|(a, b, _)| (*a..*b).contains(&(x as usize)))
                .map(|r| r.2);
            let (at, index) = match range {
                Some(STATUS_LEFT) => (MouseAt::StatusLeft, f.index),
                Some(STATUS_RIGHT) => (MouseAt::StatusRight, f.index),
                Some(index) => (MouseAt::Status, index),
                None => (MouseAt::StatusDefault, f.index),
            };
            t.window = Some((c.session, index));
            return Some((at, t));
        }
        let py = if top { y.checked_sub(status)? } else { y };
        let (x, py) = (u32::from(x), u32::from(py));
        let win = self.windows.get(&f.window)?;
        let visible: Vec<PaneId> = if win.zoomed {
            vec![win.active]
        } else {
            win.panes.clone()
        };
        let panes = visible.iter().filter_map(|p| self.panes.get(p));
        for p in panes.clone() {
            if (p.xoff..p.xoff + p.sx).contains(&x) && (p.yoff..p.yoff + p.sy).contains(&py) {
                t.pane = Some(p.id);
                t.x = (x - p.xoff) as u16;
                t.y = (py - p.yoff) as u16;
                return Some((MouseAt::Pane, t));
            }
        }
        for p in panes {
            let right = p.xoff + p.sx == x && p.yoff <= py + 1 && p.yoff + p.sy >= py;
            let below = p.yoff + p.sy == py && p.xoff <= x + 1 && p.xoff + p.sx >= x;
            if right || below {
                t.pane = Some(p.id);
                return Some((MouseAt::Border, t));
            }
        }
        None
    }

    /// The rest of a drag after its binding chose what it does.
    fn drag_update(&mut self, conn: u64, d: Drag, x: u16, y: u16) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        if let Some(drag) = c.drag.as_mut() {
            drag.last = (x, y);
        }
        let session = c.session;
        let Some(f) = self.found_session(session) else {
            return;
        };
        let top = self
            .session_opt(Some(session), "status-position")
            .is_some_and(|v| v.as_str() == "top");
        let area_y = if top {
            self.status_lines(session) as i32
        } else {
            0
        };
        match d.action {
            Some(MouseDrag::Border) => {
                let (lx, ly) = (i32::from(d.last.0), i32::from(d.last.1) - area_y);
                let (x, y) = (i32::from(x), i32::from(y) - area_y);
                self.drag_border(f.window, (lx, ly), (x, y));
            }
            Some(MouseDrag::Select(p)) => {
                let Some(pane) = self.panes.get_mut(&p) else {
                    return;
                };
                let (px, py) = (
                    i32::from(x) - pane.xoff as i32,
                    i32::from(y) - area_y - pane.yoff as i32,
                );
                if let Some((mode, mut emu)) = pane.copy_parts() {
                    mode.move_to(&mut **emu, px, py);
                }
                self.redraw_pane(p);
            }
            None => {}
        }
    }

    /// Moves the borders that were under the mouse at `from` to `to`, as
    /// tmux's resize-pane -M does.
    fn drag_border(&mut self, w: commands::WindowId, from: (i32, i32), to: (i32, i32)) {
        let Some(win) = self.windows.get(&w) else {
            return;
        };
        let (lx, ly) = from;
        let mut across = None;
        let mut down = None;
        for p in win.panes.iter().filter_map(|p| self.panes.get(p)) {
            let (x0, y0) = (p.xoff as i32, p.yoff as i32);
            let (x1, y1) = (x0 + p.sx as i32, y0 + p.sy as i32);
            if across.is_none() && x1 == lx && y0 <= ly + 1 && y1 >= ly {
                across = Some(p.id);
            }
            if down.is_none() && y1 == ly && x0 <= lx + 1 && x1 >= lx {
                down = Some(p.id);
            }
        }
        let Some(win) = self.windows.get_mut(&w) else {
            return;
        };
        if let Some(p) = across.filter(|_| to.0 != lx) {
            win.layout.resize_pane(
                p,
                super::layout::Dir::LeftRight,
                i64::from(to.0 - lx),
                false,
            );
        }
        if let Some(p) = down.filter(|_| to.1 != ly) {
            win.layout.resize_pane(
                p,
                super::layout::Dir::TopBottom,
                i64::from(to.1 - ly),
                false,
            );
        }
        self.apply_layout(w);
        self.redraw_window(w);
    }

    /// Makes the rest of a client's drag move a border or a selection.
    pub fn start_drag(&mut self, conn: u64, m: &MouseTarget, action: MouseDrag) -> CmdResult {
        let Some(c) = self.clients.get_mut(&conn) else {
            bail!("can't find client: {conn}");
        };
        let Some(drag) = c.drag.as_mut() else {
            // Not in a drag (a press, or a script): nothing to follow.
            return Ok(());
        };
        drag.action = Some(action);
        if action == MouseDrag::Border {
            // The event that started the drag moves the border already.
            let (d, (x, y)) = (*drag, c.mouse_at);
            self.drag_update(conn, d, x, y);
        }
        if let MouseDrag::Select(p) = action
            && m.pane == Some(p)
        {
            if let Some((mode, mut emu)) = self.panes.get_mut(&p).and_then(|x| x.copy_parts()) {
                mode.move_to(&mut **emu, i32::from(m.x), i32::from(m.y));
                let _ = mode.command(&mut **emu, "begin-selection", &[]);
            }
            self.redraw_pane(p);
        }
        Ok(())
    }

    /// Passes a mouse event to the program in pane `p`, encoded as it asked
    /// (SGR or the old X10 bytes), if it asked for that kind of event.
    pub fn send_mouse_to(&mut self, p: PaneId, m: &MouseTarget) -> CmdResult {
        let Some(pane) = self.panes.get(&p) else {
            bail!("can't find pane: {p}");
        };
        if pane.mode.is_some() || m.pane != Some(p) || m.ignore {
            return Ok(());
        }
        let mode = pane.io.shared.emu().mouse_mode();
        if let Some(bytes) = mouse_report(mode, m) {
            pane.io.write(&bytes);
        }
        Ok(())
    }
}

/// A mouse event (`m.x`, `m.y` in the program's cells) as a program that
/// asked for `mode` wants it, or nothing if it did not ask for this kind.
pub fn mouse_report(mode: super::emulator::MouseMode, m: &MouseTarget) -> Option<Vec<u8>> {
    use super::emulator::MouseReport as R;
    let motion = m.code & 32 != 0;
    let buttons = m.code & 3 != 3 || m.code & 64 != 0;
    let wanted = match mode.report {
        R::Off => false,
        R::Press => !m.release && !motion,
        R::PressRelease => !motion,
        R::ButtonMotion => !motion || buttons,
        R::AnyMotion => true,
    };
    if !wanted {
        return None;
    }
    let (x, y) = (u32::from(m.x) + 1, u32::from(m.y) + 1);
    if mode.sgr {
        let end = if m.release { 'm' } else { 'M' };
        return Some(format!("\x1b[<{};{x};{y}{end}", m.code).into_bytes());
    }
    // X10 coordinates are one byte: past column 223 they cannot be sent
    // at all.
    if x > 223 || y > 223 {
        return None;
    }
    let code = if m.release { 3 | (m.code & !3) } else { m.code };
    Some(vec![
        0x1b,
        b'[',
        b'M',
        (32 + code) as u8,
        (32 + x) as u8,
        (32 + y) as u8,
    ])
}

/// The button code tmux keeps for an event (its `m->b`): as xterm's, but
/// a release is button 3, whichever was released.
pub fn tmux_button(m: &Mouse) -> u32 {
    let code = xterm_code(m);
    match m.kind {
        MouseKind::Up(_) => (code & !3) | 3,
        _ => code,
    }
}
