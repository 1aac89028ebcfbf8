//! tmux's command syntax, used by configuration files, `if-shell`,
//! `run-shell -C`, the command prompt and key bindings: one command a line,
//! `;` between commands (`\;` for a literal one), single and double quotes,
//! backslash escapes, `$VAR` and `~` expansion, `#` comments, `\` line
//! continuation, `{ ... }` blocks as one argument, `NAME=value` assignments,
//! and `%if` / `%elif` / `%else` / `%endif`.

/// One command found in the text, with the line it started on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCommand {
    pub line: usize,
    pub argv: Vec<String>,
    /// Which words of argv were `{ ... }` blocks, which tmux prints back in
    /// braces (list-keys, show-hooks) where other words are quoted.
    pub blocks: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// What the parser needs from outside: variables for `$NAME`, and the truth
/// of a `%if` condition (a format).
pub trait Context {
    fn env(&self, name: &str) -> Option<String>;
    fn condition(&self, format: &str) -> bool;
    /// command-alias's entries, where there is a server to ask.
    fn aliases(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A context that expands nothing: no environment, every condition
/// false. For checking and storing command text.
pub struct Literal;

impl Context for Literal {
    fn env(&self, _name: &str) -> Option<String> {
        None
    }
    fn condition(&self, _format: &str) -> bool {
        false
    }
}

/// A context with the process environment and every condition false.
pub struct ProcessEnv;

impl Context for ProcessEnv {
    fn env(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
    fn condition(&self, _format: &str) -> bool {
        false
    }
}

/// Parses `src` into commands. Commands inside a false `%if` are skipped.
pub fn parse(src: &str, ctx: &dyn Context) -> Result<Vec<ParsedCommand>, ParseError> {
    let mut p = Parser {
        chars: src.chars().collect(),
        pos: 0,
        line: 1,
        ctx,
        blocks: Vec::new(),
    };
    p.commands()
}

/// Parses and returns the errors of each failing line instead of stopping at
/// the first, so that a configuration file with one bad line still loads the
/// rest: each statement is parsed on its own.
pub fn parse_lenient(src: &str, ctx: &dyn Context) -> (Vec<ParsedCommand>, Vec<ParseError>) {
    match parse(src, ctx) {
        Ok(cmds) => (cmds, Vec::new()),
        Err(first) => {
            // Fall back to statement-by-statement parsing around the error:
            // parse the text before the failing line, report it, continue
            // after it.
            let lines: Vec<&str> = src.split_inclusive('\n').collect();
            let before: String = lines[..first.line.saturating_sub(1).min(lines.len())].concat();
            let after: String = lines[first.line.min(lines.len())..].concat();
            let mut cmds = parse(&before, ctx).unwrap_or_default();
            let (more, mut errs) = parse_lenient(&after, ctx);
            for c in more {
                cmds.push(ParsedCommand {
                    line: c.line + first.line,
                    ..c
                });
            }
            for e in &mut errs {
                e.line += first.line;
            }
            errs.insert(0, first);
            (cmds, errs)
        }
    }
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    ctx: &'a dyn Context,
    /// The block words of the statement being read.
    blocks: Vec<usize>,
}

/// State of one `%if` block: whether this branch is live, and whether an
/// earlier branch already was.
struct Cond {
    live: bool,
    taken: bool,
    parent_live: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn err(&self, message: &str) -> ParseError {
        ParseError {
            line: self.line,
            message: message.to_string(),
        }
    }

    fn commands(&mut self) -> Result<Vec<ParsedCommand>, ParseError> {
        let mut out = Vec::new();
        let mut conds: Vec<Cond> = Vec::new();
        let live = |conds: &Vec<Cond>| conds.last().is_none_or(|c| c.live);
        loop {
            self.skip_blank();
            let Some(c) = self.peek() else { break };
            if c == '%' && self.at_line_start() {
                out.extend(self.directive(&mut conds)?);
                continue;
            }
            let line = self.line;
            self.blocks.clear();
            let argv = self.statement()?;
            if argv.is_empty() || !live(&conds) {
                continue;
            }
            let words = argv.len();
            let argv = assignment(argv);
            // An assignment is rewritten into other words: no blocks stay.
            let blocks = if argv.len() == words {
                std::mem::take(&mut self.blocks)
            } else {
                Vec::new()
            };
            out.push(ParsedCommand { line, argv, blocks });
        }
        if !conds.is_empty() {
            return Err(self.err("missing %endif"));
        }
        Ok(out)
    }

    fn at_line_start(&self) -> bool {
        self.chars[..self.pos]
            .iter()
            .rev()
            .take_while(|c| **c != '\n')
            .all(|c| *c == ' ' || *c == '\t')
    }

    fn skip_blank(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | '\r' | ';' => {
                    self.bump();
                }
                '\\' if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                '#' => self.skip_comment(),
                _ => break,
            }
        }
    }

    fn skip_comment(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            self.bump();
        }
    }

    fn rest_of_line(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            s.push(c);
            self.bump();
        }
        s
    }

    fn directive(&mut self, conds: &mut Vec<Cond>) -> Result<Option<ParsedCommand>, ParseError> {
        let text = self.rest_of_line();
        let (word, arg) = match text.split_once(char::is_whitespace) {
            Some((w, a)) => (w, a.trim()),
            None => (text.trim(), ""),
        };
        let parent_live = conds.last().is_none_or(|c| c.live);
        let truth = |p: &Self| -> Result<bool, ParseError> {
            let mut sub = Parser {
                chars: arg.chars().collect(),
                pos: 0,
                line: p.line,
                ctx: p.ctx,
                blocks: Vec::new(),
            };
            let words = sub.statement()?;
            let fmt = words.first().cloned().unwrap_or_default();
            Ok(p.ctx.condition(&fmt))
        };
        match word {
            "%if" => {
                let t = parent_live && truth(self)?;
                conds.push(Cond {
                    live: t,
                    taken: t,
                    parent_live,
                });
            }
            "%elif" => {
                let cur = conds.last().ok_or_else(|| self.err("%elif without %if"))?;
                let (pl, taken) = (cur.parent_live, cur.taken);
                let t = pl && !taken && truth(self)?;
                let cur = conds
                    .last_mut()
                    .ok_or_else(|| self.err("%elif without %if"))?;
                cur.live = t;
                cur.taken |= t;
            }
            "%else" => {
                let cur = conds
                    .last_mut()
                    .ok_or_else(|| self.err("%else without %if"))?;
                cur.live = cur.parent_live && !cur.taken;
                cur.taken = true;
            }
            "%endif" => {
                conds.pop().ok_or_else(|| self.err("%endif without %if"))?;
            }
            "%hidden" => {
                // A hidden assignment: in the environment of new panes, left
                // out of show-environment without -h.
                if let Some((k, v)) = arg.split_once('=').filter(|_| parent_live) {
                    return Ok(Some(ParsedCommand {
                        line: self.line,
                        argv: vec![
                            "set-environment".into(),
                            "-gh".into(),
                            k.to_string(),
                            v.trim_matches('"').to_string(),
                        ],
                        blocks: Vec::new(),
                    }));
                }
            }
            other => return Err(self.err(&format!("unknown directive: {other}"))),
        }
        Ok(None)
    }

    /// Reads the words of one command, up to `;`, a newline or a comment.
    /// Errors name the line the command started on.
    fn statement(&mut self) -> Result<Vec<String>, ParseError> {
        let start = self.line;
        self.statement_inner().map_err(|e| ParseError {
            line: start,
            message: e.message,
        })
    }

    fn statement_inner(&mut self) -> Result<Vec<String>, ParseError> {
        let mut argv = Vec::new();
        loop {
            while let Some(c) = self.peek() {
                if c == ' ' || c == '\t' || c == '\r' {
                    self.bump();
                } else if c == '\\' && self.peek_at(1) == Some('\n') {
                    self.bump();
                    self.bump();
                } else {
                    break;
                }
            }
            match self.peek() {
                None | Some('\n') | Some(';') => {
                    self.bump();
                    return Ok(argv);
                }
                Some('#') => {
                    self.skip_comment();
                    return Ok(argv);
                }
                Some('{') => {
                    self.blocks.push(argv.len());
                    argv.push(self.block()?);
                }
                Some('}') => return Err(self.err("syntax error: unexpected }")),
                Some(_) => argv.push(self.word()?),
            }
        }
    }

    /// A `{ ... }` block: its text, to be parsed again by whoever runs it.
    fn block(&mut self) -> Result<String, ParseError> {
        let start_line = self.line;
        self.bump();
        let mut depth = 1;
        let mut text = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(ParseError {
                    line: start_line,
                    message: "syntax error: missing }".into(),
                });
            };
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                '\'' | '"' => {
                    text.push(c);
                    while let Some(q) = self.bump() {
                        text.push(q);
                        if q == '\\' && c == '"' {
                            if let Some(n) = self.bump() {
                                text.push(n);
                            }
                            continue;
                        }
                        if q == c {
                            break;
                        }
                    }
                    continue;
                }
                '#' => {
                    // A comment inside a block runs to the end of its line.
                    while let Some(n) = self.peek() {
                        if n == '\n' {
                            break;
                        }
                        self.bump();
                    }
                    continue;
                }
                _ => {}
            }
            text.push(c);
        }
        Ok(text.trim().to_string())
    }

    fn word(&mut self) -> Result<String, ParseError> {
        let mut w = String::new();
        let mut first = true;
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | '\r' | ';' => break,
                '\'' => {
                    self.bump();
                    loop {
                        match self.bump() {
                            Some('\'') => break,
                            Some(ch) => w.push(ch),
                            None => return Err(self.err("syntax error: missing '")),
                        }
                    }
                }
                '"' => {
                    self.bump();
                    loop {
                        match self.bump() {
                            Some('"') => break,
                            Some('\\') => self.escape(&mut w, true)?,
                            Some('$') => self.variable(&mut w),
                            Some(ch) => w.push(ch),
                            None => return Err(self.err("syntax error: missing \"")),
                        }
                    }
                }
                '\\' => {
                    self.bump();
                    if self.peek() == Some('\n') {
                        self.bump();
                        continue;
                    }
                    self.escape(&mut w, false)?;
                }
                '$' => {
                    self.bump();
                    self.variable(&mut w);
                }
                '~' if first => {
                    self.bump();
                    let mut user = String::new();
                    while let Some(ch) = self.peek() {
                        if ch == '/' || ch.is_whitespace() || ch == ';' {
                            break;
                        }
                        user.push(ch);
                        self.bump();
                    }
                    match home_of(&user, self.ctx) {
                        Some(h) => w.push_str(&h),
                        None => {
                            w.push('~');
                            w.push_str(&user);
                        }
                    }
                }
                _ => {
                    self.bump();
                    w.push(c);
                }
            }
            first = false;
        }
        Ok(w)
    }

    fn escape(&mut self, w: &mut String, quoted: bool) -> Result<(), ParseError> {
        let Some(c) = self.bump() else {
            return Err(self.err("syntax error: trailing \\"));
        };
        match c {
            'a' => w.push('\x07'),
            'b' => w.push('\x08'),
            'e' => w.push('\x1b'),
            'f' => w.push('\x0c'),
            's' => w.push(' '),
            'v' => w.push('\x0b'),
            'r' => w.push('\r'),
            'n' => w.push('\n'),
            't' => w.push('\t'),
            'u' | 'U' => {
                let n = if c == 'u' { 4 } else { 8 };
                let mut hex = String::new();
                for _ in 0..n {
                    match self.peek() {
                        Some(h) if h.is_ascii_hexdigit() => {
                            hex.push(h);
                            self.bump();
                        }
                        _ => break,
                    }
                }
                let ch = u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.err("invalid \\u argument"))?;
                w.push(ch);
            }
            '0'..='7' => {
                let mut oct = c.to_string();
                for _ in 0..2 {
                    match self.peek() {
                        Some(o @ '0'..='7') => {
                            oct.push(o);
                            self.bump();
                        }
                        _ => break,
                    }
                }
                let v = u32::from_str_radix(&oct, 8).unwrap_or(0);
                w.push(char::from_u32(v).unwrap_or('?'));
            }
            '\n' if quoted => {}
            other => w.push(other),
        }
        Ok(())
    }

    fn variable(&mut self, w: &mut String) {
        let braced = self.peek() == Some('{');
        if braced {
            self.bump();
        }
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if braced {
                self.bump();
                if c == '}' {
                    break;
                }
                name.push(c);
            } else if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                self.bump();
            } else {
                break;
            }
        }
        if name.is_empty() && !braced {
            w.push('$');
            return;
        }
        if let Some(v) = self.ctx.env(&name) {
            w.push_str(&v);
        }
    }
}

fn home_of(user: &str, ctx: &dyn Context) -> Option<String> {
    if user.is_empty() {
        return ctx.env("HOME");
    }
    let name = std::ffi::CString::new(user).ok()?;
    // SAFETY: getpwnam returns a pointer into static storage or null; we copy
    // the directory out before any other passwd call.
    unsafe {
        let pw = libc::getpwnam(name.as_ptr());
        if pw.is_null() || (*pw).pw_dir.is_null() {
            return None;
        }
        Some(
            std::ffi::CStr::from_ptr((*pw).pw_dir)
                .to_string_lossy()
                .into_owned(),
        )
    }
}

/// `NAME=value` on its own is an environment assignment.
fn assignment(argv: Vec<String>) -> Vec<String> {
    if argv.len() == 1
        && let Some((name, value)) = argv[0].split_once('=')
    {
        let valid = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if valid {
            return vec![
                "set-environment".into(),
                "-g".into(),
                name.to_string(),
                value.to_string(),
            ];
        }
    }
    argv
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ctx;
    impl Context for Ctx {
        fn env(&self, name: &str) -> Option<String> {
            match name {
                "HOME" => Some("/home/u".into()),
                "X" => Some("ex".into()),
                _ => None,
            }
        }
        fn condition(&self, f: &str) -> bool {
            f == "1"
        }
    }

    fn argv(src: &str) -> Vec<Vec<String>> {
        parse(src, &Ctx)
            .unwrap()
            .into_iter()
            .map(|c| c.argv)
            .collect()
    }

    fn v(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn words_quotes_and_separators() {
        assert_eq!(
            argv("new -d -s 'a b' ; splitw -h \"x\\ty\""),
            vec![v(&["new", "-d", "-s", "a b"]), v(&["splitw", "-h", "x\ty"])]
        );
        assert_eq!(
            argv("bind x neww \\; splitw"),
            vec![v(&["bind", "x", "neww", ";", "splitw"])]
        );
    }

    #[test]
    fn comments_continuations_and_variables() {
        let src = "# comment\nset -g status-left \"$X ${X}\" # trailing\nnew \\\n  -d\n";
        assert_eq!(
            argv(src),
            vec![v(&["set", "-g", "status-left", "ex ex"]), v(&["new", "-d"])]
        );
        assert_eq!(argv("source ~/x"), vec![v(&["source", "/home/u/x"])]);
        assert_eq!(argv("display '$X'"), vec![v(&["display", "$X"])]);
    }

    #[test]
    fn blocks_are_one_argument() {
        assert_eq!(
            argv("if true {\n  neww\n  splitw -h\n} { kill-server }"),
            vec![v(&["if", "true", "neww\n  splitw -h", "kill-server"])]
        );
    }

    #[test]
    fn conditionals() {
        let src = "%if \"1\"\na\n%elif \"1\"\nb\n%else\nc\n%endif\n%if \"0\"\nd\n%else\ne\n%endif";
        assert_eq!(argv(src), vec![v(&["a"]), v(&["e"])]);
    }

    #[test]
    fn assignments() {
        assert_eq!(
            argv("FOO=bar"),
            vec![v(&["set-environment", "-g", "FOO", "bar"])]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("a\nb 'unterminated\n", &Ctx).unwrap_err();
        assert_eq!(e.line, 2);
        let (cmds, errs) = parse_lenient("a\nb }\nc\n", &Ctx);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 2);
        assert_eq!(
            cmds.iter().map(|c| c.argv[0].as_str()).collect::<Vec<_>>(),
            ["a", "c"]
        );
        assert_eq!(cmds[1].line, 3);
    }
}
