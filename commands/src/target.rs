//! Targets: the ids of sessions, windows and panes, and the splitting of a
//! `-t` string into its parts the way tmux's cmd-find does it.

use std::fmt;

macro_rules! id_type {
    ($name:ident, $sigil:literal) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($sigil, "{}"), self.0)
            }
        }

        impl $name {
            /// Parses `$3` / `@3` / `%3`.
            pub fn parse(s: &str) -> Option<Self> {
                let digits = s.strip_prefix($sigil)?;
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                digits.parse().ok().map($name)
            }
        }
    };
}

id_type!(SessionId, "$");
id_type!(WindowId, "@");
id_type!(PaneId, "%");

/// A resolved target, like tmux's `cmd_find_state`: a session, the window
/// link (index) in it, the window and a pane of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub session: SessionId,
    pub index: u32,
    pub window: WindowId,
    pub pane: PaneId,
}

/// What a `-t` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Session,
    Window,
    Pane,
}

/// The parts of a target string. `exact_*` is set by a leading `=`, which
/// turns off prefix and pattern matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    pub session: Option<String>,
    pub window: Option<String>,
    pub pane: Option<String>,
    pub exact_session: bool,
    pub exact_window: bool,
    /// The window part came after a `:` (so it must not be tried as a session).
    pub window_only: bool,
    /// The pane part came after a `.` (so it must not be tried as a window).
    pub pane_only: bool,
}

/// Splits a target such as `work:2.1`, `%4`, `@2`, `$1`, `=main:` or
/// `{last}` into session, window and pane parts.
pub fn split(target: &str, kind: TargetKind) -> Parts {
    let mut p = Parts::default();
    let (head, rest) = match target.find(':') {
        Some(i) => (&target[..i], Some(&target[i + 1..])),
        None => (target, None),
    };
    let period_in = rest.unwrap_or(head);
    // A pane id never contains a period, and window names may; only split
    // on the first one, as tmux does.
    let (before_period, pane) = match period_in.find('.') {
        Some(i) => (&period_in[..i], Some(&period_in[i + 1..])),
        None => (period_in, None),
    };
    match (rest.is_some(), pane) {
        (true, Some(pane)) => {
            p.session = Some(head.to_string());
            p.window = Some(before_period.to_string());
            p.pane = Some(pane.to_string());
            p.window_only = true;
            p.pane_only = true;
        }
        (true, None) => {
            p.session = Some(head.to_string());
            p.window = Some(before_period.to_string());
            p.window_only = true;
        }
        (false, Some(pane)) => {
            p.window = Some(before_period.to_string());
            p.pane = Some(pane.to_string());
            p.pane_only = true;
        }
        (false, None) => {
            let s = head.to_string();
            if s.starts_with('$') {
                p.session = Some(s);
            } else if s.starts_with('@') {
                p.window = Some(s);
            } else if s.starts_with('%') {
                p.pane = Some(s);
            } else {
                match kind {
                    TargetKind::Session => p.session = Some(s),
                    TargetKind::Window => p.window = Some(s),
                    TargetKind::Pane => p.pane = Some(s),
                }
            }
        }
    }
    if let Some(s) = p.session.as_mut().filter(|s| s.starts_with('=')) {
        s.remove(0);
        p.exact_session = true;
    }
    if let Some(w) = p.window.as_mut().filter(|w| w.starts_with('=')) {
        w.remove(0);
        p.exact_window = true;
    }
    for part in [&mut p.session, &mut p.window, &mut p.pane] {
        if part.as_deref() == Some("") {
            *part = None;
        }
    }
    p.window = p.window.map(|w| map_window_token(&w).to_string());
    p.pane = p.pane.map(|w| map_pane_token(&w).to_string());
    p
}

/// tmux's `{start}`-style tokens for windows, as their short forms.
fn map_window_token(w: &str) -> &str {
    match w {
        "{start}" => "^",
        "{last}" => "!",
        "{end}" => "$",
        "{next}" => "+",
        "{previous}" => "-",
        other => other,
    }
}

fn map_pane_token(p: &str) -> &str {
    match p {
        "{last}" => "!",
        "{next}" => "+",
        "{previous}" => "-",
        "{top}" => "top",
        "{bottom}" => "bottom",
        "{left}" => "left",
        "{right}" => "right",
        "{top-left}" => "top-left",
        "{top-right}" => "top-right",
        "{bottom-left}" => "bottom-left",
        "{bottom-right}" => "bottom-right",
        other => other,
    }
}

/// `fnmatch(3)` without flags: `*`, `?`, `[...]` and `\` escapes, so
/// `-t 'b*'` matches as in tmux.
pub fn fnmatch(pattern: &str, s: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some('*') => (0..=s.len()).any(|i| go(&p[1..], &s[i..])),
            Some('?') => !s.is_empty() && go(&p[1..], &s[1..]),
            Some('[') => {
                let Some(&c) = s.first() else { return false };
                match class(&p[1..], c) {
                    Some((true, used)) => go(&p[1 + used..], &s[1..]),
                    Some((false, _)) => false,
                    None => c == '[' && go(&p[1..], &s[1..]),
                }
            }
            Some('\\') if p.len() > 1 => s.first() == Some(&p[1]) && go(&p[2..], &s[1..]),
            Some(&c) => s.first() == Some(&c) && go(&p[1..], &s[1..]),
        }
    }
    // Matches `c` against a bracket expression starting after `[`; returns
    // whether it matched and how many pattern chars the class used.
    fn class(p: &[char], c: char) -> Option<(bool, usize)> {
        let mut i = 0;
        let negate = matches!(p.first(), Some('!') | Some('^'));
        if negate {
            i += 1;
        }
        let mut matched = false;
        let mut first = true;
        while i < p.len() {
            if p[i] == ']' && !first {
                return Some((matched != negate, i + 1));
            }
            first = false;
            if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
                if p[i] <= c && c <= p[i + 2] {
                    matched = true;
                }
                i += 3;
            } else {
                if p[i] == c {
                    matched = true;
                }
                i += 1;
            }
        }
        None
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = s.chars().collect();
    go(&p, &s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_and_print() {
        assert_eq!(SessionId::parse("$12"), Some(SessionId(12)));
        assert_eq!(
            PaneId::parse("%0").map(|p| p.to_string()),
            Some("%0".into())
        );
        assert_eq!(WindowId::parse("@"), None);
        assert_eq!(WindowId::parse("@1x"), None);
    }

    #[test]
    fn splits_like_tmux() {
        let p = split("work:2.1", TargetKind::Pane);
        assert_eq!(p.session.as_deref(), Some("work"));
        assert_eq!(p.window.as_deref(), Some("2"));
        assert_eq!(p.pane.as_deref(), Some("1"));
        let p = split("%3", TargetKind::Session);
        assert_eq!(p.pane.as_deref(), Some("%3"));
        let p = split("main", TargetKind::Window);
        assert_eq!(p.window.as_deref(), Some("main"));
        let p = split("=main:", TargetKind::Window);
        assert_eq!(p.session.as_deref(), Some("main"));
        assert!(p.exact_session);
        assert_eq!(p.window, None);
        let p = split(":{last}", TargetKind::Window);
        assert_eq!(p.window.as_deref(), Some("!"));
        let p = split("1.{top}", TargetKind::Pane);
        assert_eq!(p.pane.as_deref(), Some("top"));
    }

    #[test]
    fn fnmatch_basics() {
        assert!(fnmatch("b*", "beta"));
        assert!(fnmatch("?eta", "beta"));
        assert!(fnmatch("[a-c]eta", "beta"));
        assert!(!fnmatch("[!a-c]eta", "beta"));
        assert!(!fnmatch("a*", "beta"));
        assert!(fnmatch("\\*", "*"));
    }
}
