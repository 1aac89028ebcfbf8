//! Typing messages into an agent's pane the way a careful person would.
//!
//! A message is typed only into an empty input line of a program that is
//! ready for it, never merged with text that is not its own:
//!
//! - ready: nobody has typed into the pane for a while, the pane has been
//!   quiet for agent-deliver-quiet (or the agent said it waits, with
//!   `set-agent -s waiting`), it did not say it is busy (`-s active`), its
//!   title shows no spinner (Claude Code and Codex put a braille spinner
//!   there while they work), and if it had bracketed paste on at its
//!   prompt, it has it on now (readline-style programs turn it off while
//!   they run something);
//! - empty: the text left of the cursor is the prompt as it was when the
//!   input line was last known to be empty (at start, after a submission,
//!   after a delivery). Text a person typed, or a draft a program put back
//!   after Esc, shows there, and the message waits, saying why.
//!
//! It is typed as a bracketed paste where the program asked for that, else
//! line by line with Enter after each (as a person at a REPL would). Before
//! Enter the screen must show the message, and only it, after the prompt;
//! after Enter the input line must have let it go. A message that could not
//! be confirmed is marked unconfirmed, never delivered, and is never typed
//! twice.

use crate::server::pane::now_micros;
use crate::server::state::State;
use crate::store::Op;
use commands::PaneId;
use commands::agent::Status;
use std::sync::atomic::Ordering;

/// How long after typing (or Enter) to wait for the program to show it.
const SHOW_US: u64 = 3_000_000;
/// Quiet needed after the echo before reading the screen.
const SETTLE_US: u64 = 80_000;
/// Of a long message, how much of its end must be seen.
const TAIL: usize = 200;

/// What a pane's input line looked like when it was known to be empty, and
/// what has been typed into it since.
#[derive(Debug, Clone, Default)]
pub struct InputTrack {
    /// Text typed into the pane by someone (a client, send-keys, a paste)
    /// since the last Enter: it may be in the input line.
    pub draft: bool,
    /// When anyone but delivery last typed into the pane (µs).
    pub typed: u64,
    /// When someone else last pressed Enter in it (µs).
    pub submitted: u64,
    /// The input line when it was empty: the text left of the cursor.
    pub prompt: Option<String>,
    /// Whether bracketed paste was on then.
    pub bracketed: bool,
    /// When the prompt was learned (µs).
    pub learned: u64,
    /// The end of a message just delivered: the prompt may be learned again
    /// once the input line no longer holds it.
    pub relearn: Option<String>,
}

impl InputTrack {
    /// Someone other than delivery typed `data` into the pane.
    pub fn typed(&mut self, data: &[u8]) {
        let now = now_micros();
        self.typed = now;
        // Enter, ^C and ^U end what was in the line; anything else may
        // have put text there.
        match data.last() {
            Some(b'\r' | b'\n' | 0x03 | 0x15) => {
                self.draft = false;
                self.submitted = now;
            }
            Some(_) => self.draft = true,
            None => {}
        }
    }
}

/// A message on its way into a pane.
pub struct Delivery {
    pub message: u64,
    pub stage: Stage,
    /// Lines still to type, for a program without bracketed paste.
    pub lines: Vec<String>,
    /// The text the input line must show before Enter.
    pub expect: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Waiting for the pane to be ready and its input line empty.
    Queued,
    /// Typed at `at`: Enter follows once the screen shows it.
    Typed { at: u64 },
    /// Enter pressed at `at`: the input line must let it go.
    Entered { at: u64 },
}

/// Letters that do not count when comparing what the screen shows with
/// what was typed: spaces of every kind, which wrapping and indenting add.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The end of a text, at most `n` characters.
fn tail(s: &str, n: usize) -> &str {
    let skip = s.chars().count().saturating_sub(n);
    s.char_indices().nth(skip).map_or("", |(i, _)| &s[i..])
}

/// Why a message may not be typed as it is, if it may not.
fn untypable(body: &str, bracketed: bool) -> Option<&'static str> {
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Some("it holds control characters");
    }
    if !bracketed && body.contains('\t') {
        return Some("it holds tabs, which the program would take as keys");
    }
    None
}

impl State {
    /// Queues a stored message to be typed into an agent's pane.
    pub fn queue_delivery(&mut self, to: &str, message: u64) {
        self.set_delivery(message, "queued", "");
        // Another host's agent: the server that runs it types it in when
        // it reads the message queued (`apply_message`).
        if self
            .agents
            .records
            .get(to)
            .is_some_and(|a| self.agents.remote(a))
        {
            return;
        }
        self.agents
            .outbox
            .entry(to.to_string())
            .or_default()
            .push_back(message);
        self.pump_delivery(to);
    }

    /// Someone other than delivery typed into pane `p`.
    pub fn pane_typed(&mut self, p: PaneId, data: &[u8]) {
        if let Some(pane) = self.panes.get_mut(&p) {
            pane.input.typed(data);
        }
    }

    /// Records a message's delivery state and why, if it changed.
    fn set_delivery(&mut self, id: u64, state: &str, note: &str) {
        let Some(m) = self.agents.messages.iter_mut().find(|m| m.id == id) else {
            return;
        };
        if m.delivery == state && m.note == note {
            return;
        }
        m.delivery = state.to_string();
        m.note = note.to_string();
        m.delivered = state == "delivered";
        let op = Op::Message(m.clone());
        self.persist(vec![op]);
    }

    /// Moves an agent's next delivery on as far as it can go now.
    pub fn pump_delivery(&mut self, key: &str) {
        let home = self
            .agents
            .records
            .get(key)
            .filter(|a| a.session.is_some())
            .and_then(|a| a.home)
            .filter(|p| self.panes.get(p).is_some_and(|x| !x.dead));
        let Some(home) = home else {
            // Nowhere to type: what waits stays in the inbox, saying so.
            let waiting: Vec<u64> = self
                .agents
                .outbox
                .remove(key)
                .into_iter()
                .flatten()
                .chain(self.agents.delivering.remove(key).map(|d| d.message))
                .collect();
            for id in waiting {
                self.set_delivery(id, "inbox", "its pane is gone");
            }
            return;
        };
        if !self.agents.delivering.contains_key(key) {
            let Some(next) = self.agents.outbox.get_mut(key).and_then(|q| q.pop_front()) else {
                return;
            };
            self.agents.delivering.insert(
                key.to_string(),
                Delivery {
                    message: next,
                    stage: Stage::Queued,
                    lines: Vec::new(),
                    expect: String::new(),
                },
            );
        }
        let Some(stage) = self.agents.delivering.get(key).map(|d| d.stage) else {
            return;
        };
        match stage {
            Stage::Queued => self.try_type(key, home),
            Stage::Typed { at } => self.check_typed(key, home, at),
            Stage::Entered { at } => self.check_entered(key, home, at),
        }
    }

    fn last_output(&self, p: PaneId) -> u64 {
        self.panes
            .get(&p)
            .map_or(0, |x| x.io.shared.activity.load(Ordering::Relaxed))
    }

    /// The text left of the cursor on its row, and the rows above it.
    fn input_rows(&self, p: PaneId, above: usize) -> Vec<String> {
        let Some(pane) = self.panes.get(&p) else {
            return Vec::new();
        };
        let mut emu = pane.io.shared.emu();
        let (cx, cy) = emu.cursor();
        let top = (cy as usize).saturating_sub(above);
        (top..=cy as usize)
            .filter_map(|y| {
                let line = emu.line(y as i64)?;
                let text = line.plain(true);
                if y == cy as usize {
                    Some(text.chars().take(cx as usize).collect())
                } else {
                    Some(text.trim_end().to_string())
                }
            })
            .collect()
    }

    fn cursor_left(&self, p: PaneId) -> String {
        self.input_rows(p, 0).pop().unwrap_or_default()
    }

    /// Why the agent's program is not ready for a message now, or None.
    fn not_ready(&mut self, key: &str, p: PaneId) -> Option<(String, u64)> {
        let now = now_micros();
        let quiet_us = self.server_num("agent-deliver-quiet").max(1) * 1000;
        let reported = self.agents.records.get(key).and_then(|a| a.reported);
        let Some(pane) = self.panes.get(&p) else {
            return Some(("its pane is gone".into(), 0));
        };
        if pane.input.typed + quiet_us > now {
            return Some((
                "someone is typing into its pane".into(),
                pane.input.typed + quiet_us - now,
            ));
        }
        if let Some((Status::Active, _)) = reported {
            return Some(("it said it is busy (set-agent -s active)".into(), 500_000));
        }
        let title_busy = pane
            .io
            .shared
            .emu()
            .title()
            .chars()
            .next()
            .is_some_and(|c| ('\u{2801}'..='\u{28ff}').contains(&c));
        if title_busy {
            return Some(("its title shows it is working".into(), 200_000));
        }
        // A program that said it waits needs only a moment of quiet.
        let need = match reported {
            Some((Status::Waiting | Status::Idle, _)) => quiet_us.min(100_000),
            _ => quiet_us,
        };
        let last = self.last_output(p);
        if last + need > now {
            return Some(("its pane is printing".into(), last + need - now));
        }
        let bracketed = pane.io.shared.emu().input_modes().bracketed_paste;
        if pane.input.prompt.is_some() && pane.input.bracketed && !bracketed {
            return Some((
                "it is not reading input (bracketed paste is off)".into(),
                200_000,
            ));
        }
        None
    }

    /// Whether the input line is empty, learning its empty look when that
    /// is known; else why not.
    fn input_empty(&mut self, p: PaneId) -> Result<(), String> {
        let left = self.cursor_left(p);
        let last = self.last_output(p);
        let Some(pane) = self.panes.get_mut(&p) else {
            return Err("its pane is gone".into());
        };
        let bracketed = pane.io.shared.emu().input_modes().bracketed_paste;
        let t = &mut pane.input;
        // The screen shows the empty prompt: what someone typed is gone -
        // once the program has drawn since (a key like Esc may take it a
        // moment), or long after.
        let reacted = last > t.typed || now_micros() > t.typed + 2_000_000;
        if t.prompt.as_deref() == Some(left.as_str()) && (!t.draft || reacted) {
            t.draft = false;
            return Ok(());
        }
        let released = t
            .relearn
            .as_deref()
            .is_some_and(|m| !squeeze(&left).contains(&squeeze(tail(m, 40))));
        let fresh = t.prompt.is_none() || t.submitted > t.learned || released;
        if t.draft {
            return Err("someone has typed into its input line".into());
        }
        if !fresh {
            return Err("its input line is not empty".into());
        }
        t.prompt = Some(left);
        t.bracketed = bracketed;
        t.learned = now_micros();
        t.relearn = None;
        Ok(())
    }

    /// Learns how pane `p`'s input line looks empty, if it is known to be
    /// (nothing typed into it since the last Enter).
    pub fn learn_input_line(&mut self, p: PaneId) {
        let _ = self.input_empty(p);
    }

    fn try_type(&mut self, key: &str, home: PaneId) {
        let Some(id) = self.agents.delivering.get(key).map(|d| d.message) else {
            return;
        };
        let Some(body) = self
            .agents
            .messages
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.body.clone())
        else {
            self.agents.delivering.remove(key);
            return self.pump_delivery(key);
        };
        if let Some((why, after)) = self.not_ready(key, home) {
            self.set_delivery(id, "queued", &why);
            return self.delivery_timer(key, after);
        }
        if let Err(why) = self.input_empty(home) {
            self.set_delivery(id, "queued", &why);
            return self.delivery_timer(key, 300_000);
        }
        let Some(pane) = self.panes.get(&home) else {
            return;
        };
        let bracketed = pane.io.shared.emu().input_modes().bracketed_paste;
        if let Some(why) = untypable(&body, bracketed) {
            self.set_delivery(id, "inbox", &format!("not typed: {why}"));
            self.agents.delivering.remove(key);
            return self.pump_delivery(key);
        }
        let prompt = pane.input.prompt.clone().unwrap_or_default();
        let body = body.replace("\r\n", "\n");
        let (first, rest): (String, Vec<String>) = if bracketed {
            (body.clone(), Vec::new())
        } else {
            let mut lines = body.split('\n').map(str::to_string);
            let first = lines.next().unwrap_or_default();
            (first, lines.rev().collect())
        };
        let mut bytes = Vec::new();
        if bracketed {
            bytes.extend_from_slice(b"\x1b[200~");
            bytes.extend_from_slice(first.as_bytes());
            bytes.extend_from_slice(b"\x1b[201~");
        } else {
            bytes.extend_from_slice(first.as_bytes());
        }
        pane.io.write(&bytes);
        if let Some(d) = self.agents.delivering.get_mut(key) {
            d.stage = Stage::Typed { at: now_micros() };
            d.lines = rest;
            d.expect = format!("{prompt}{first}");
        }
        self.set_delivery(id, "typing", "");
        self.delivery_timer(key, SETTLE_US);
    }

    /// Enter once the screen shows what was typed, and only it.
    fn check_typed(&mut self, key: &str, home: PaneId, at: u64) {
        let now = now_micros();
        let last = self.last_output(home);
        let settled = last > at && last + SETTLE_US <= now;
        if !settled && now < at + SHOW_US {
            return self.delivery_timer(key, SETTLE_US);
        }
        let Some((id, expect, more)) = self
            .agents
            .delivering
            .get(key)
            .map(|d| (d.message, d.expect.clone(), !d.lines.is_empty()))
        else {
            return;
        };
        // Someone typed in the meantime: the line may hold their text too.
        let intruded = self.panes.get(&home).is_some_and(|p| p.input.typed > at);
        let shown = !intruded && self.shows(home, &expect, more);
        if !shown {
            let why = if intruded {
                "someone typed into the pane while it was being typed; Enter not pressed"
            } else {
                "the screen did not show it as typed; Enter not pressed"
            };
            return self.unconfirmed(key, id, why);
        }
        if let Some(p) = self.panes.get(&home) {
            p.io.write(b"\r");
        }
        if let Some(d) = self.agents.delivering.get_mut(key) {
            d.stage = Stage::Entered { at: now_micros() };
        }
        self.delivery_timer(key, SETTLE_US);
    }

    /// Whether the input line shows `expect` (the prompt and what was
    /// typed), and nothing else. A long text may have scrolled out of a
    /// small input box: then its last characters must show, as what the
    /// box holds. For a line of several, only that the line is there.
    fn shows(&self, p: PaneId, expect: &str, partial: bool) -> bool {
        let want = squeeze(expect);
        let rows = self.input_rows(p, expect.lines().count() + want.len() / 20 + 4);
        let mut best = String::new();
        for k in 1..=rows.len() {
            let got = squeeze(&rows[rows.len() - k..].concat());
            if want.ends_with(&got) {
                best = got;
            }
            if best == want {
                return true;
            }
        }
        // A paste a program shows folded ("[Pasted text #1 +30 lines]").
        let left = squeeze(rows.last().map_or("", String::as_str));
        if left.contains("[Pastedtext#") {
            return true;
        }
        let enough = want.chars().count().min(TAIL);
        best.chars().count() >= enough || (partial && !best.is_empty())
    }

    /// After Enter: the input line let the text go (or, line by line, the
    /// next line is typed).
    fn check_entered(&mut self, key: &str, home: PaneId, at: u64) {
        let now = now_micros();
        let Some((id, expect, next)) = self
            .agents
            .delivering
            .get_mut(key)
            .map(|d| (d.message, d.expect.clone(), d.lines.last().cloned()))
        else {
            return;
        };
        let left = squeeze(&self.cursor_left(home));
        let typed = squeeze(tail(&expect, 40));
        // The program drew since Enter, and the line no longer ends with
        // what was typed.
        let kept = !typed.is_empty() && left.ends_with(&typed);
        let moved = self.last_output(home) > at && !kept;
        if !moved {
            if now < at + SHOW_US {
                return self.delivery_timer(key, SETTLE_US);
            }
            return self.unconfirmed(
                key,
                id,
                "Enter was pressed but the input line kept the text",
            );
        }
        if let Some(line) = next {
            // The next line, once the program has taken this one.
            if self.last_output(home) + SETTLE_US > now {
                return self.delivery_timer(key, SETTLE_US);
            }
            let prompt = self.cursor_left(home);
            if let Some(p) = self.panes.get(&home) {
                p.io.write(line.as_bytes());
            }
            if let Some(d) = self.agents.delivering.get_mut(key) {
                d.lines.pop();
                d.expect = format!("{prompt}{line}");
                d.stage = Stage::Typed { at: now_micros() };
            }
            return self.delivery_timer(key, SETTLE_US);
        }
        self.delivered(key, id, &expect);
    }

    fn delivered(&mut self, key: &str, id: u64, expect: &str) {
        self.agents.delivering.remove(key);
        self.set_delivery(id, "delivered", "");
        if let Some(p) = self
            .agents
            .records
            .get(key)
            .and_then(|a| a.home)
            .and_then(|p| self.panes.get_mut(&p))
        {
            p.input.relearn = Some(expect.to_string());
        }
        self.emit(
            "delivered",
            key,
            "",
            &format!("#{id}"),
            serde_json::json!({"id": id}),
        );
        self.pump_delivery(key);
    }

    /// Typed, but not confirmed: marked so, and never typed again.
    fn unconfirmed(&mut self, key: &str, id: u64, why: &str) {
        self.agents.delivering.remove(key);
        self.set_delivery(id, "unconfirmed", why);
        let data = serde_json::json!({"id": id, "why": why});
        self.emit("unconfirmed", key, "", &format!("#{id}: {why}"), data);
        self.pump_delivery(key);
    }

    fn delivery_timer(&self, key: &str, after_us: u64) {
        let events = self.events.clone();
        let key = key.to_string();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_micros(after_us.max(1000))).await;
            let _ = events.send(crate::server::Event::Deliver(key));
        });
    }

    /// The note of what an agent's next message waits for, for
    /// `#{agent_delivery}`.
    pub fn delivery_note(&self, key: &str) -> String {
        let id = self
            .agents
            .delivering
            .get(key)
            .map(|d| d.message)
            .or_else(|| self.agents.outbox.get(key).and_then(|q| q.front().copied()));
        let Some(m) = id.and_then(|id| self.agents.messages.iter().find(|m| m.id == id)) else {
            return String::new();
        };
        match m.note.as_str() {
            "" => m.delivery.clone(),
            note => format!("{}: {note}", m.delivery),
        }
    }
}
