//! Copy mode: a pane's history and screen as a scrollable view with a
//! cursor, a selection, and search, driven by `send-keys -X` commands from
//! the copy-mode key tables.
//!
//! Lines are numbered from the oldest line of history (0) to the bottom of
//! the screen, so that a position stays put while output scrolls below it.

use super::emulator::{Emulator, Line};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    /// Line number: 0 is the oldest line of history.
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone)]
pub struct CopyMode {
    /// The line at the top of the view.
    pub top: usize,
    /// The cursor, in the view.
    pub cx: usize,
    pub cy: usize,
    /// Where the selection started, if one is being made.
    pub anchor: Option<Pos>,
    pub rectangle: bool,
    /// Select whole lines.
    pub line_mode: bool,
    /// The last search: text and direction.
    pub search: Option<(String, bool)>,
    /// Leave copy mode when the view reaches the bottom (copy-mode -e).
    pub exit_at_bottom: bool,
    /// History size now, to turn line numbers into emulator lines.
    hsize: usize,
    /// Lines the emulator had dropped from the top of history when the
    /// positions were last brought up to date.
    trimmed: u64,
    /// The column the cursor wants to be in when moving up and down.
    want_col: Option<usize>,
    /// The last jump (jump-forward and friends) and its character, for
    /// jump-again and jump-reverse.
    jump: Option<(Jump, char)>,
    /// The mark (set-mark, jump-to-mark).
    mark: Option<Pos>,
    /// How many times the next command runs (a typed repeat count).
    pub prefix: Option<usize>,
    /// vi keys (mode-keys): a selection includes the cursor's cell and,
    /// reaching past the end of its last line, that line's newline. With
    /// emacs keys it ends before the cursor, without a final newline, as
    /// tmux's window_copy_get_selection.
    pub vi: bool,
    /// The word select-word selected: the mouse moving within it keeps
    /// it whole, as tmux's word selections grow by words.
    word: Option<(Pos, Pos)>,
}

/// The jumps to a character on the cursor's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jump {
    Forward,
    Backward,
    /// Onto the cell before the character.
    ToForward,
    /// Onto the cell after the character.
    ToBackward,
}

impl Jump {
    fn reverse(self) -> Jump {
        match self {
            Jump::Forward => Jump::Backward,
            Jump::Backward => Jump::Forward,
            Jump::ToForward => Jump::ToBackward,
            Jump::ToBackward => Jump::ToForward,
        }
    }
}

/// What a command did to the mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    /// Leave copy mode.
    Exit,
    /// Leave, having copied this text.
    CopyExit(String),
    /// Stay, having copied this text.
    Copy(String),
    /// Leave, adding this text to the end of the most recent buffer.
    AppendExit(String),
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Characters that separate words, as tmux's word-separators default.
fn is_separator(c: char) -> bool {
    is_space(c) || "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~".contains(c)
}

impl CopyMode {
    /// Enters copy mode on an emulator with the view at the bottom.
    pub fn new(emu: &mut dyn Emulator) -> CopyMode {
        let hsize = emu.history_size();
        let (cx, cy) = emu.cursor();
        CopyMode {
            top: hsize,
            cx: cx as usize,
            cy: cy as usize,
            anchor: None,
            rectangle: false,
            line_mode: false,
            search: None,
            exit_at_bottom: false,
            hsize,
            trimmed: emu.history_trimmed(),
            want_col: None,
            jump: None,
            mark: None,
            prefix: None,
            vi: true,
            word: None,
        }
    }

    /// Keeps positions on their lines as output arrives: numbers from the
    /// oldest line hold while history grows, and shift when the history
    /// limit drops lines from its top.
    pub fn follow(&mut self, emu: &mut dyn Emulator) {
        let trimmed = emu.history_trimmed();
        let dropped = trimmed.saturating_sub(self.trimmed) as usize;
        self.trimmed = trimmed;
        if dropped > 0 {
            self.top = self.top.saturating_sub(dropped);
            if let Some(a) = self.anchor.as_mut() {
                a.line = a.line.saturating_sub(dropped);
            }
        }
        self.hsize = emu.history_size();
        self.top = self.top.min(self.hsize);
        // The pane may have been resized.
        let (cols, rows) = emu.size();
        self.cx = self.cx.min(cols.max(1) as usize - 1);
        self.cy = self.cy.min(rows.max(1) as usize - 1);
    }

    /// Lines scrolled back from the bottom, as tmux's position indicator.
    pub fn scrolled(&self) -> usize {
        self.hsize.saturating_sub(self.top)
    }

    pub fn cursor(&self) -> Pos {
        Pos {
            line: self.top + self.cy,
            col: self.cx,
        }
    }

    /// The text of line `n` (history or screen).
    fn line_text(emu: &mut dyn Emulator, hsize: usize, n: usize) -> String {
        Self::line(emu, hsize, n)
            .map(|l| l.plain(false))
            .unwrap_or_default()
    }

    pub fn line(emu: &mut dyn Emulator, hsize: usize, n: usize) -> Option<Line> {
        emu.line(n as i64 - hsize as i64)
    }

    /// Row `y` of the view.
    pub fn view_line(&self, emu: &mut dyn Emulator, y: usize) -> Option<Line> {
        Self::line(emu, self.hsize, self.top + y)
    }

    fn last_line(emu: &dyn Emulator, hsize: usize) -> usize {
        hsize + emu.size().1 as usize - 1
    }

    fn set_cursor(&mut self, emu: &dyn Emulator, pos: Pos) {
        let rows = emu.size().1 as usize;
        let last = Self::last_line(emu, self.hsize);
        let line = pos.line.min(last);
        if line < self.top {
            self.top = line;
        } else if line >= self.top + rows {
            self.top = line + 1 - rows;
        }
        self.cy = line - self.top;
        self.cx = pos.col.min(emu.size().0 as usize - 1);
    }

    /// Moves the view by `n` lines (negative: up), keeping the cursor on
    /// screen.
    fn scroll(&mut self, emu: &dyn Emulator, n: isize) {
        let rows = emu.size().1 as usize;
        let max_top = self.hsize;
        let top = (self.top as isize + n).clamp(0, max_top as isize) as usize;
        let cursor = self.cursor();
        self.top = top;
        let line = cursor.line.clamp(top, top + rows - 1);
        self.cy = line - top;
    }

    /// The selected text, if a selection is being made.
    pub fn selection_text(&self, emu: &mut dyn Emulator) -> Option<String> {
        let a = self.anchor?;
        let b = self.cursor();
        let (start, end) = if (a.line, a.col) <= (b.line, b.col) {
            (a, b)
        } else {
            (b, a)
        };
        let mut out = String::new();
        // With emacs keys the cursor's cell is not part of it.
        let past = usize::from(self.vi);
        let mut past_end = false;
        for n in start.line..=end.line {
            let line = Self::line(emu, self.hsize, n).unwrap_or_default();
            let text: Vec<char> = line.plain(true).chars().collect();
            let (from, to) = if self.line_mode {
                (0, text.len())
            } else if self.rectangle {
                let (l, r) = (a.col.min(b.col), a.col.max(b.col));
                (l, (r + 1).min(text.len()))
            } else {
                let from = if n == start.line { start.col } else { 0 };
                let to = if n == end.line {
                    past_end = end.col + past > text.len();
                    (end.col + past).min(text.len())
                } else {
                    text.len()
                };
                (from, to)
            };
            let part: String = text
                .get(from.min(text.len())..to.max(from).min(text.len()))
                .unwrap_or(&[])
                .iter()
                .collect();
            out.push_str(part.trim_end_matches(' '));
            let joins = !self.rectangle && !self.line_mode && line.wrapped && n != end.line;
            if n != end.line && !joins {
                out.push('\n');
            }
        }
        // The last line's newline: vi keeps it when the selection reaches
        // past the end of the line (a whole line, or beyond its text).
        if self.vi && (self.line_mode || past_end) {
            out.push('\n');
        }
        // An emacs selection of nothing copies nothing.
        if out.is_empty() && !self.vi {
            return None;
        }
        Some(out)
    }

    /// Whether the cell at view (x, y) is selected.
    pub fn selected(&self, x: usize, y: usize) -> bool {
        let Some(a) = self.anchor else { return false };
        let b = self.cursor();
        let n = self.top + y;
        let (start, end) = if (a.line, a.col) <= (b.line, b.col) {
            (a, b)
        } else {
            (b, a)
        };
        if n < start.line || n > end.line {
            return false;
        }
        if self.line_mode {
            return true;
        }
        if self.rectangle {
            return x >= a.col.min(b.col) && x <= a.col.max(b.col);
        }
        // With emacs keys the cursor's cell is not selected.
        let last = if self.vi { x <= end.col } else { x < end.col };
        (n != start.line || x >= start.col) && (n != end.line || last)
    }

    fn find(&self, emu: &mut dyn Emulator, text: &str, forward: bool) -> Option<Pos> {
        if text.is_empty() {
            return None;
        }
        let last = Self::last_line(emu, self.hsize);
        let cur = self.cursor();
        let lines: Vec<usize> = if forward {
            (cur.line..=last).chain(0..cur.line).collect()
        } else {
            (0..=cur.line)
                .rev()
                .chain((cur.line + 1..=last).rev())
                .collect()
        };
        for (i, n) in lines.into_iter().enumerate() {
            let line: Vec<char> = Self::line_text(emu, self.hsize, n).chars().collect();
            let needle: Vec<char> = text.chars().collect();
            let hits: Vec<usize> = (0..line.len().saturating_sub(needle.len() - 1))
                .filter(|&c| line[c..].starts_with(&needle))
                .collect();
            let pick = if forward {
                hits.into_iter()
                    .find(|&c| i > 0 || n != cur.line || c > cur.col)
            } else {
                hits.into_iter()
                    .rev()
                    .find(|&c| i > 0 || n != cur.line || c < cur.col)
            };
            if let Some(col) = pick {
                return Some(Pos { line: n, col });
            }
        }
        None
    }

    fn word_move(&mut self, emu: &mut dyn Emulator, forward: bool, end: bool, big: bool) {
        let class = |c: char| -> u8 {
            if is_space(c) {
                0
            } else if !big && is_separator(c) {
                1
            } else {
                2
            }
        };
        let mut pos = self.cursor();
        let mut line = self.padded_line(emu, pos.line);
        let step = |pos: &mut Pos, line: &mut Vec<char>, emu: &mut dyn Emulator| -> bool {
            self.step_char(emu, forward, pos, line)
        };
        let at = |pos: &Pos, line: &Vec<char>| line.get(pos.col).copied().unwrap_or(' ');
        if forward && !end {
            // next-word: past this word, then past spaces.
            let start = class(at(&pos, &line));
            while class(at(&pos, &line)) == start && start != 0 && step(&mut pos, &mut line, emu) {}
            while class(at(&pos, &line)) == 0 && step(&mut pos, &mut line, emu) {}
        } else if forward {
            // next-word-end: onto the next non-space, then to its word's end.
            step(&mut pos, &mut line, emu);
            while class(at(&pos, &line)) == 0 && step(&mut pos, &mut line, emu) {}
            let c = class(at(&pos, &line));
            loop {
                let mut next = pos;
                let mut nl = line.clone();
                if !step(&mut next, &mut nl, emu)
                    || class(at(&next, &nl)) != c
                    || next.line != pos.line
                {
                    break;
                }
                pos = next;
                line = nl;
            }
        } else {
            // previous-word: back over spaces, then to the word's start.
            step(&mut pos, &mut line, emu);
            while class(at(&pos, &line)) == 0 && step(&mut pos, &mut line, emu) {}
            let c = class(at(&pos, &line));
            while pos.col > 0 && class(line[pos.col - 1]) == c {
                pos.col -= 1;
            }
        }
        self.set_cursor(emu, pos);
    }

    /// Moves to a character on the cursor's line, as tmux's jumps: onto it,
    /// or (the "to" jumps) beside it; nowhere if it is not there.
    fn jump_to(&mut self, emu: &mut dyn Emulator, kind: Jump, c: char) {
        let cur = self.cursor();
        let line: Vec<char> = Self::line_text(emu, self.hsize, cur.line).chars().collect();
        let found = match kind {
            Jump::Forward => (cur.col + 1..line.len()).find(|&i| line[i] == c),
            Jump::ToForward => (cur.col + 2..line.len())
                .find(|&i| line[i] == c)
                .map(|i| i - 1),
            Jump::Backward => (0..cur.col.min(line.len())).rev().find(|&i| line[i] == c),
            Jump::ToBackward => (0..cur.col.saturating_sub(1).min(line.len()))
                .rev()
                .find(|&i| line[i] == c)
                .map(|i| i + 1),
        };
        if let Some(col) = found {
            self.set_cursor(
                emu,
                Pos {
                    line: cur.line,
                    col,
                },
            );
        }
    }

    /// Selects the word under the cursor (select-word, a double click).
    fn select_word(&mut self, emu: &mut dyn Emulator) {
        let cur = self.cursor();
        let line: Vec<char> = Self::line_text(emu, self.hsize, cur.line).chars().collect();
        let class = |c: char| (is_space(c), is_separator(c));
        let Some(&here) = line.get(cur.col) else {
            return;
        };
        let same = |i: usize| class(line[i]) == class(here);
        let start = (0..cur.col)
            .rev()
            .take_while(|&i| same(i))
            .last()
            .unwrap_or(cur.col);
        let end = (cur.col..line.len())
            .take_while(|&i| same(i))
            .last()
            .unwrap_or(cur.col);
        let from = Pos {
            line: cur.line,
            col: start,
        };
        let to = Pos {
            line: cur.line,
            col: end,
        };
        self.anchor = Some(from);
        self.line_mode = false;
        // With emacs keys the cursor goes after the word, since the
        // selection ends before it.
        let past = Pos {
            col: to.col + usize::from(!self.vi),
            ..to
        };
        self.set_cursor(emu, past);
        self.word = Some((from, past));
    }

    /// To the next blank line after this paragraph (its end), or the blank
    /// line before it (its start), as tmux's paragraph moves.
    fn paragraph(&mut self, emu: &mut dyn Emulator, next: bool) {
        let last = Self::last_line(emu, self.hsize);
        let blank =
            |emu: &mut dyn Emulator, n: usize| Self::line_text(emu, self.hsize, n).is_empty();
        let mut n = self.cursor().line;
        if next {
            while n < last && blank(emu, n) {
                n += 1;
            }
            while n < last && !blank(emu, n) {
                n += 1;
            }
            let col = Self::line_text(emu, self.hsize, n).chars().count();
            self.set_cursor(emu, Pos { line: n, col });
        } else {
            while n > 0 && blank(emu, n) {
                n -= 1;
            }
            while n > 0 && !blank(emu, n) {
                n -= 1;
            }
            self.set_cursor(emu, Pos { line: n, col: 0 });
        }
    }

    /// The bracket matching the one under the cursor (or, forwards, the
    /// first bracket after it on the line), counting nesting across lines.
    fn matching_bracket(&mut self, emu: &mut dyn Emulator, next: bool) -> Option<Pos> {
        const PAIRS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('{', '}')];
        let mut pos = self.cursor();
        let mut line = self.padded_line(emu, pos.line);
        if next
            && !line
                .get(pos.col)
                .is_some_and(|c| PAIRS.iter().any(|p| p.0 == *c || p.1 == *c))
        {
            pos.col = (pos.col..line.len()).find(|&i| PAIRS.iter().any(|p| p.0 == line[i]))?;
        }
        let here = *line.get(pos.col)?;
        let (open, close, forward) = PAIRS.iter().find_map(|&(o, c)| {
            if here == o {
                Some((o, c, true))
            } else if here == c {
                Some((o, c, false))
            } else {
                None
            }
        })?;
        let mut depth = 0usize;
        loop {
            let c = line.get(pos.col).copied();
            if c == Some(open) {
                depth = if forward {
                    depth + 1
                } else {
                    depth.checked_sub(1)?
                };
            } else if c == Some(close) {
                depth = if forward {
                    depth.checked_sub(1)?
                } else {
                    depth + 1
                };
            }
            if depth == 0 {
                return Some(pos);
            }
            if !self.step_char(emu, forward, &mut pos, &mut line) {
                return None;
            }
        }
    }

    /// A line's characters and a space for its end, as word and bracket
    /// moves walk them.
    fn padded_line(&self, emu: &mut dyn Emulator, n: usize) -> Vec<char> {
        let mut v: Vec<char> = Self::line_text(emu, self.hsize, n).chars().collect();
        v.push(' ');
        v
    }

    /// Steps `pos` one character on (or back), across lines, keeping
    /// `line` as [`Self::padded_line`] of its line: false at the ends.
    fn step_char(
        &self,
        emu: &mut dyn Emulator,
        forward: bool,
        pos: &mut Pos,
        line: &mut Vec<char>,
    ) -> bool {
        if forward {
            if pos.col + 1 < line.len() {
                pos.col += 1;
            } else if pos.line < Self::last_line(emu, self.hsize) {
                pos.line += 1;
                pos.col = 0;
                *line = self.padded_line(emu, pos.line);
            } else {
                return false;
            }
        } else if pos.col > 0 {
            pos.col -= 1;
        } else if pos.line > 0 {
            pos.line -= 1;
            *line = self.padded_line(emu, pos.line);
            pos.col = line.len() - 1;
        } else {
            return false;
        }
        true
    }

    /// Puts the cursor at a cell of the view, as the mouse does; a row
    /// above or below the view scrolls it by one.
    pub fn move_to(&mut self, emu: &mut dyn Emulator, x: i32, y: i32) {
        self.follow(emu);
        let rows = emu.size().1 as i32;
        // Within a word select-word selected, the word stays whole.
        let at = (self.top as i64 + i64::from(y), i64::from(x));
        let within = |(from, to): (Pos, Pos)| {
            at.0 == from.line as i64 && (from.col as i64..=to.col as i64).contains(&at.1)
        };
        if self.anchor.is_some() && self.word.is_some_and(within) {
            return;
        }
        if y < 0 {
            self.scroll(emu, -1);
        } else if y >= rows {
            self.scroll(emu, 1);
        }
        let line = self.top + y.clamp(0, rows - 1) as usize;
        self.set_cursor(
            emu,
            Pos {
                line,
                col: x.max(0) as usize,
            },
        );
        self.want_col = None;
    }

    /// Runs one copy-mode command (the name after `send-keys -X`).
    pub fn command(
        &mut self,
        emu: &mut dyn Emulator,
        name: &str,
        args: &[String],
    ) -> Result<Outcome, String> {
        self.follow(emu);
        // Another selection replaces a word selection.
        if matches!(name, "begin-selection" | "clear-selection" | "select-line") {
            self.word = None;
        }
        let (cols, rows) = (emu.size().0 as usize, emu.size().1 as usize);
        let last = Self::last_line(emu, self.hsize);
        let cur = self.cursor();
        let len = Self::line_text(emu, self.hsize, cur.line).chars().count();
        let keep_col = self.want_col.unwrap_or(self.cx);
        let mut vertical = false;
        match name {
            "cancel" => return Ok(Outcome::Exit),
            "cursor-left" => self.cx = self.cx.saturating_sub(1),
            "cursor-right" => self.cx = (self.cx + 1).min(cols - 1),
            "cursor-up" | "cursor-down" => {
                let line = if name == "cursor-up" {
                    cur.line.saturating_sub(1)
                } else {
                    (cur.line + 1).min(last)
                };
                self.set_cursor(
                    emu,
                    Pos {
                        line,
                        col: keep_col,
                    },
                );
                vertical = true;
            }
            "start-of-line" => self.cx = 0,
            // Past the last character, as tmux puts it.
            "end-of-line" => self.cx = len.min(cols - 1),
            "back-to-indentation" => {
                let text = Self::line_text(emu, self.hsize, cur.line);
                self.cx = text.chars().position(|c| !is_space(c)).unwrap_or(0);
            }
            "history-top" => self.set_cursor(emu, Pos { line: 0, col: 0 }),
            "history-bottom" => {
                let l = last;
                let t = Self::line_text(emu, self.hsize, l).chars().count();
                self.set_cursor(
                    emu,
                    Pos {
                        line: l,
                        col: t.saturating_sub(1),
                    },
                );
            }
            "top-line" => self.cy = 0,
            "middle-line" => self.cy = rows / 2,
            "bottom-line" => self.cy = rows - 1,
            "scroll-up" => self.scroll(emu, -1),
            "scroll-down" => self.scroll(emu, 1),
            "page-up" => self.scroll(emu, -(rows as isize)),
            "page-down" => self.scroll(emu, rows as isize),
            "halfpage-up" => self.scroll(emu, -(rows as isize / 2).max(1)),
            "halfpage-down" => self.scroll(emu, (rows as isize / 2).max(1)),
            "next-word" => self.word_move(emu, true, false, false),
            "next-word-end" => self.word_move(emu, true, true, false),
            "previous-word" => self.word_move(emu, false, false, false),
            "next-space" => self.word_move(emu, true, false, true),
            "next-space-end" => self.word_move(emu, true, true, true),
            "previous-space" => self.word_move(emu, false, false, true),
            "begin-selection" => {
                self.anchor = Some(cur);
                self.line_mode = false;
            }
            "select-line" => {
                self.anchor = Some(Pos {
                    line: cur.line,
                    col: 0,
                });
                self.line_mode = true;
            }
            "clear-selection" => {
                self.anchor = None;
                self.line_mode = false;
            }
            "rectangle-toggle" => self.rectangle = !self.rectangle,
            // The copy-pipe forms copy too; the pipe is the host's to run.
            "copy-selection" | "copy-selection-no-clear" | "copy-pipe" | "copy-pipe-no-clear" => {
                let text = self.selection_text(emu);
                if !name.ends_with("no-clear") {
                    self.anchor = None;
                }
                return Ok(text.map_or(Outcome::Stay, Outcome::Copy));
            }
            "copy-selection-and-cancel" | "copy-pipe-and-cancel" => {
                return Ok(match self.selection_text(emu) {
                    Some(t) => Outcome::CopyExit(t),
                    None => Outcome::Exit,
                });
            }
            "append-selection-and-cancel" => {
                return Ok(match self.selection_text(emu) {
                    Some(t) => Outcome::AppendExit(t),
                    None => Outcome::Exit,
                });
            }
            "jump-forward" | "jump-backward" | "jump-to-forward" | "jump-to-backward" => {
                let kind = match name {
                    "jump-forward" => Jump::Forward,
                    "jump-backward" => Jump::Backward,
                    "jump-to-forward" => Jump::ToForward,
                    _ => Jump::ToBackward,
                };
                if let Some(c) = args.first().and_then(|a| a.chars().next()) {
                    self.jump = Some((kind, c));
                    self.jump_to(emu, kind, c);
                }
            }
            "jump-again" | "jump-reverse" => {
                if let Some((kind, c)) = self.jump {
                    let kind = if name == "jump-again" {
                        kind
                    } else {
                        kind.reverse()
                    };
                    self.jump_to(emu, kind, c);
                }
            }
            "goto-line" => {
                // As tmux: the line is how far back the view goes.
                let back = args
                    .first()
                    .and_then(|a| a.trim().parse::<i64>().ok())
                    .unwrap_or(-1);
                let back = usize::try_from(back).map_or(self.hsize, |b| b.min(self.hsize));
                self.top = self.hsize - back;
            }
            "set-mark" => self.mark = Some(cur),
            "jump-to-mark" => {
                if let Some(mark) = self.mark.replace(cur) {
                    self.set_cursor(emu, mark);
                }
            }
            "other-end" => {
                if let Some(a) = self.anchor.replace(cur) {
                    self.set_cursor(emu, a);
                }
            }
            "select-word" => self.select_word(emu),
            "next-paragraph" | "previous-paragraph" => {
                self.paragraph(emu, name == "next-paragraph");
            }
            "next-matching-bracket" | "previous-matching-bracket" => {
                if let Some(p) = self.matching_bracket(emu, name.starts_with("next")) {
                    self.set_cursor(emu, p);
                }
            }
            // agmux's view follows the pane and always shows where it is.
            "refresh-from-pane" | "toggle-position" => {}
            "copy-end-of-line" | "copy-pipe-end-of-line-and-cancel" => {
                let text: String = Self::line_text(emu, self.hsize, cur.line)
                    .chars()
                    .skip(cur.col)
                    .collect();
                return Ok(Outcome::CopyExit(text));
            }
            "search-forward"
            | "search-backward"
            | "search-forward-incremental"
            | "search-backward-incremental" => {
                // Without text, the last search again in this direction.
                // The incremental forms search once the text is complete.
                let forward = name.starts_with("search-forward");
                let text = args
                    .first()
                    .cloned()
                    .or_else(|| self.search.clone().map(|s| s.0));
                if let Some(text) = text.filter(|t| !t.is_empty()) {
                    if let Some(p) = self.find(emu, &text, forward) {
                        self.set_cursor(emu, p);
                    }
                    self.search = Some((text, forward));
                }
            }
            "search-again" | "search-reverse" => {
                if let Some((text, forward)) = self.search.clone() {
                    let dir = if name == "search-again" {
                        forward
                    } else {
                        !forward
                    };
                    if let Some(p) = self.find(emu, &text, dir) {
                        self.set_cursor(emu, p);
                    }
                }
            }
            other => return Err(format!("unknown command: {other}")),
        }
        if !vertical {
            self.want_col = None;
        } else {
            self.want_col = Some(keep_col);
        }
        if self.exit_at_bottom && self.scrolled() == 0 && name.contains("down") {
            return Ok(Outcome::Exit);
        }
        Ok(Outcome::Stay)
    }
}

impl super::state::State {
    /// Shows output of commands run from keys in view mode on the
    /// client's current pane, after what it shows already, as tmux does.
    pub fn show_output(&mut self, conn: u64, text: &str) {
        if let Some(f) = self.client_found(conn) {
            self.show_output_in(f.pane, text);
        }
    }

    /// Shows text in view mode on a pane, after what the view shows
    /// already.
    pub fn show_output_in(&mut self, p: commands::PaneId, text: &str) {
        use super::state::{PaneMode, View};
        if self
            .panes
            .get(&p)
            .is_some_and(|p| !matches!(p.mode, Some(PaneMode::View(_))))
        {
            self.leave_mode(p);
        }
        let Some(pane) = self.panes.get_mut(&p) else {
            return;
        };
        let (cols, rows) = (pane.sx.max(1) as u16, pane.sy.max(1) as u16);
        let view = match &mut pane.mode {
            Some(PaneMode::View(v)) => v,
            _ => {
                let mut emu: Box<dyn Emulator> =
                    Box::new(super::emulator::Emu::new(cols, rows, VIEW_HISTORY));
                let copy = CopyMode::new(&mut *emu);
                pane.mode = Some(PaneMode::View(Box::new(View {
                    copy,
                    emu: std::sync::Mutex::new(emu),
                })));
                let Some(PaneMode::View(v)) = &mut pane.mode else {
                    return;
                };
                v
            }
        };
        let v = &mut **view;
        let mut emu = v.emu.lock().unwrap_or_else(|e| e.into_inner());
        let mut bytes = Vec::new();
        if emu.cursor() != (0, 0) {
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
        emu.process(&bytes);
        let _ = v.copy.command(&mut **emu, "history-top", &[]);
        drop(emu);
        self.redraw_pane(p);
    }
}

/// Lines a view of command output keeps.
const VIEW_HISTORY: usize = 100_000;

impl super::state::Pane {
    /// The pane's copy mode brought up to date with output that arrived
    /// since its last command.
    pub fn copy_view(&self) -> Option<CopyMode> {
        let mut m = self.copy_mode()?.clone();
        m.follow(&mut **self.copy_emu()?);
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::emulator::Emu;

    fn emu_with(lines: &[&str]) -> Emu {
        let mut e = Emu::new(20, 3, 100);
        let text = lines.join("\r\n");
        e.process(text.as_bytes());
        e
    }

    fn run(m: &mut CopyMode, e: &mut Emu, cmds: &[&str]) {
        for c in cmds {
            m.command(e, c, &[]).unwrap();
        }
    }

    #[test]
    fn moves_and_selects() {
        let mut e = emu_with(&["one two", "three four", "five six", "seven"]);
        let mut m = CopyMode::new(&mut e);
        assert_eq!(m.scrolled(), 0);
        run(&mut m, &mut e, &["history-top"]);
        assert_eq!(m.cursor(), Pos { line: 0, col: 0 });
        assert_eq!(m.scrolled(), 1);
        run(
            &mut m,
            &mut e,
            &["next-word", "begin-selection", "cursor-down", "end-of-line"],
        );
        // vi keys (the default here): end-of-line is past the last
        // character, so the line's newline comes too, as in tmux.
        assert_eq!(m.selection_text(&mut e).unwrap(), "two\nthree four\n");
        m.vi = false;
        assert_eq!(
            m.command(&mut e, "copy-selection-and-cancel", &[]).unwrap(),
            Outcome::CopyExit("two\nthree four".into())
        );
    }

    #[test]
    fn lines_rectangles_and_words() {
        let mut e = emu_with(&["abc def", "ghi jkl", "x"]);
        let mut m = CopyMode::new(&mut e);
        run(&mut m, &mut e, &["history-top", "select-line"]);
        assert_eq!(m.selection_text(&mut e).unwrap(), "abc def\n");
        run(
            &mut m,
            &mut e,
            &[
                "clear-selection",
                "cursor-right",
                "begin-selection",
                "rectangle-toggle",
                "cursor-down",
                "cursor-right",
            ],
        );
        assert_eq!(m.selection_text(&mut e).unwrap(), "bc\nhi");
        run(
            &mut m,
            &mut e,
            &["clear-selection", "history-top", "next-word-end"],
        );
        assert_eq!(m.cursor().col, 2);
        run(&mut m, &mut e, &["next-word-end"]);
        assert_eq!(m.cursor().col, 6);
        run(&mut m, &mut e, &["previous-word"]);
        assert_eq!(m.cursor().col, 4);
    }

    #[test]
    fn search_both_ways_and_follow_new_output() {
        let mut e = emu_with(&["alpha", "beta", "alpha again", "gamma"]);
        let mut m = CopyMode::new(&mut e);
        run(&mut m, &mut e, &["history-top"]);
        m.command(&mut e, "search-forward", &["alpha".into()])
            .unwrap();
        assert_eq!(m.cursor(), Pos { line: 2, col: 0 });
        run(&mut m, &mut e, &["search-again"]);
        assert_eq!(m.cursor(), Pos { line: 0, col: 0 });
        run(&mut m, &mut e, &["search-reverse"]);
        assert_eq!(m.cursor(), Pos { line: 2, col: 0 });
        // New output does not move the view; it is further from the bottom.
        let (top, back) = (m.top, m.scrolled());
        e.process(b"\r\nmore\r\nlines");
        m.follow(&mut e);
        assert_eq!((m.top, m.scrolled()), (top, back + 2));
        m.command(&mut e, "search-backward", &[]).unwrap();
        assert_eq!(m.cursor(), Pos { line: 0, col: 0 });
        assert!(m.command(&mut e, "frobnicate", &[]).is_err());
    }

    #[test]
    fn a_selected_word_stays_whole_under_the_mouse() {
        let mut e = emu_with(&["alpha beta gamma", "x"]);
        let mut m = CopyMode::new(&mut e);
        run(&mut m, &mut e, &["history-top"]);
        m.move_to(&mut e, 7, 0);
        run(&mut m, &mut e, &["select-word"]);
        m.move_to(&mut e, 7, 0);
        assert_eq!(m.selection_text(&mut e).unwrap(), "beta");
    }
}
