//! The command prompt (`prefix :`, command-prompt) and confirm-before,
//! typed at on a client's status line.

use super::client::Prompt;
use super::state::State;
use commands::host::PromptKind;
use commands::keys::{Key, KeyCode};

/// At most this many lines of prompt history are kept.
const HISTORY: usize = 100;

impl State {
    pub fn start_prompt(&mut self, conn: u64, prompt: Prompt) {
        if let Some(c) = self.clients.get_mut(&conn) {
            c.prompt = Some(prompt);
            c.message = None;
            c.dirty = true;
        }
    }

    pub fn prompt_insert(&mut self, conn: u64, text: &str) {
        let Some(p) = self.clients.get_mut(&conn).and_then(|c| c.prompt.as_mut()) else {
            return;
        };
        let at = byte_index(&p.input, p.pos);
        p.input.insert_str(at, text);
        p.pos += text.chars().count();
        if let Some(c) = self.clients.get_mut(&conn) {
            c.dirty = true;
        }
    }

    pub fn prompt_key(&mut self, conn: u64, key: Key) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        c.dirty = true;
        let Some(p) = c.prompt.as_mut() else { return };
        match p.kind {
            PromptKind::OneKey if key == Key::char('\x1b') => {
                c.prompt = None;
                return;
            }
            PromptKind::OneKey | PromptKind::KeyName => {
                // One key answers: the character, or the key's name.
                let answer = match (p.kind, key.code) {
                    (PromptKind::OneKey, KeyCode::Char(ch)) if !key.ctrl && !key.meta => {
                        ch.to_string()
                    }
                    _ => key.to_string(),
                };
                if let Some(mut p) = c.prompt.take() {
                    p.input = answer;
                    self.finish_prompt(conn, p);
                }
                return;
            }
            PromptKind::Numeric if !matches!(key.code, KeyCode::Char('0'..='9')) => {
                // Any other key finishes the number and then does what it
                // does (vi's 3j: the count, then j three times), as in tmux.
                if let Some(p) = c.prompt.take() {
                    self.finish_prompt(conn, p);
                }
                self.client_key(conn, key, Vec::new(), None);
                return;
            }
            _ => {}
        }
        if p.kind == PromptKind::Confirm {
            let yes = key == Key::char('y');
            let prompt = c.prompt.take();
            if let (
                true,
                Some(Prompt {
                    template: Some(cmd),
                    ..
                }),
            ) = (yes, prompt)
            {
                self.run_text(conn, &cmd);
            }
            return;
        }
        let len = p.input.chars().count();
        let ctrl = |ch: u8| Key::char((ch - b'a' + 1) as char);
        match key {
            k if k == Key::char('\r') => {
                let prompt = c.prompt.take();
                if let Some(p) = prompt {
                    self.finish_prompt(conn, p);
                }
            }
            k if k == Key::char('\x1b') || k == ctrl(b'c') || k == ctrl(b'g') => {
                c.prompt = None;
            }
            k if (k.code == KeyCode::BSpace || k == ctrl(b'h')) && p.pos > 0 => {
                let at = byte_index(&p.input, p.pos - 1);
                p.input.remove(at);
                p.pos -= 1;
            }
            k if (k.code == KeyCode::Delete || k == ctrl(b'd')) && p.pos < len => {
                let at = byte_index(&p.input, p.pos);
                p.input.remove(at);
            }
            k if k.code == KeyCode::Left || k == ctrl(b'b') => p.pos = p.pos.saturating_sub(1),
            k if k.code == KeyCode::Right || k == ctrl(b'f') => p.pos = (p.pos + 1).min(len),
            k if k.code == KeyCode::Home || k == ctrl(b'a') => p.pos = 0,
            k if k.code == KeyCode::End || k == ctrl(b'e') => p.pos = len,
            k if k == ctrl(b'u') => {
                let at = byte_index(&p.input, p.pos);
                p.input.replace_range(..at, "");
                p.pos = 0;
            }
            k if k == ctrl(b'k') => {
                let at = byte_index(&p.input, p.pos);
                p.input.truncate(at);
            }
            k if k == ctrl(b'w') => {
                let chars: Vec<char> = p.input.chars().collect();
                let mut start = p.pos;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                let (a, b) = (byte_index(&p.input, start), byte_index(&p.input, p.pos));
                p.input.replace_range(a..b, "");
                p.pos = start;
            }
            k if k.code == KeyCode::Up || k.code == KeyCode::Down => {
                let n = self.prompt_history.len();
                if n == 0 {
                    return;
                }
                let next = match (k.code, p.history_pos) {
                    (KeyCode::Up, None) => Some(n - 1),
                    (KeyCode::Up, Some(i)) => Some(i.saturating_sub(1)),
                    (_, Some(i)) if i + 1 < n => Some(i + 1),
                    _ => None,
                };
                p.history_pos = next;
                p.input = next
                    .map(|i| self.prompt_history[i].clone())
                    .unwrap_or_default();
                p.pos = p.input.chars().count();
            }
            Key {
                code: KeyCode::Char(ch),
                ctrl: false,
                meta: false,
                ..
            } if !ch.is_control() => {
                let at = byte_index(&p.input, p.pos);
                p.input.insert(at, ch);
                p.pos += 1;
            }
            _ => {}
        }
    }

    fn finish_prompt(&mut self, conn: u64, p: Prompt) {
        if !p.input.is_empty() {
            self.prompt_history.retain(|h| *h != p.input);
            self.prompt_history.push(p.input.clone());
            if self.prompt_history.len() > HISTORY {
                self.prompt_history.remove(0);
            }
        }
        let text = match &p.template {
            Some(t) => fill_template(t, &p.input),
            None => p.input.clone(),
        };
        if !text.trim().is_empty() {
            self.run_text(conn, &text);
        }
    }

    /// Parses and runs command text for a client, as the prompt does.
    pub fn run_text(&mut self, conn: u64, text: &str) {
        let Some(caller) = self.client_caller(conn) else {
            return;
        };
        let io = commands::Io::new(caller);
        match commands::parse_with_host(self, &io, text) {
            Ok(list) => self.run_for_client(conn, list),
            Err(e) => self.message(conn, &super::state::status_error(&e.0)),
        }
    }
}

/// The byte offset of char `n` of `s`.
fn byte_index(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// Puts a prompt's answer into its command template: `%%` and `%1` as
/// typed, `%%%` escaped for use inside double quotes, as tmux does.
pub(super) fn fill_template(template: &str, input: &str) -> String {
    let mut out = String::with_capacity(template.len() + input.len());
    let mut rest = template;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(r) = after.strip_prefix("%%%") {
            for c in input.chars() {
                if matches!(c, '"' | '\\' | '$') {
                    out.push('\\');
                }
                out.push(c);
            }
            rest = r;
        } else if let Some(r) = after
            .strip_prefix("%%")
            .or_else(|| after.strip_prefix("%1"))
        {
            out.push_str(input);
            rest = r;
        } else {
            out.push('%');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_fill_once_and_escape_on_request() {
        use super::fill_template as f;
        assert_eq!(f("rename '%%'", "a%%b"), "rename 'a%%b'");
        assert_eq!(
            f("find \"%%%\" %1 100%", "x\"$"),
            "find \"x\\\"\\$\" x\"$ 100%"
        );
    }
}
