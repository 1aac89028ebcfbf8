//! Usage lines and errors in tmux's words, derived from the clap definitions.

use crate::error::{CmdError, CmdResult};
use clap::error::{ContextKind, ErrorKind};

/// tmux orders flags case-insensitively, lower case first: `[-AdDEPX]`.
fn flag_order(c: char) -> (char, bool) {
    (c.to_ascii_lowercase(), c.is_ascii_uppercase())
}

/// `[-AdDEPX] [-c start-directory] ... [shell-command]` for a command.
pub fn usage(cmd: &clap::Command) -> String {
    let mut bools = Vec::new();
    let mut valued = Vec::new();
    let mut longs = Vec::new();
    let mut positional = Vec::new();
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let value = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map(|s| s.to_string())
            .unwrap_or_else(|| arg.get_id().to_string());
        if arg.is_positional() {
            let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
            let text = if many { format!("{value} ...") } else { value };
            positional.push(if arg.is_required_set() {
                text
            } else {
                format!("[{text}]")
            });
        } else if let Some(short) = arg.get_short() {
            if arg.get_action().takes_values() {
                valued.push((short, value));
            } else {
                bools.push(short);
            }
        } else if let Some(long) = arg.get_long() {
            if arg.get_action().takes_values() {
                longs.push(format!("[--{long} {value}]"));
            } else {
                longs.push(format!("[--{long}]"));
            }
        }
    }
    bools.sort_by_key(|c| flag_order(*c));
    valued.sort_by_key(|(c, _)| flag_order(*c));
    let mut parts = Vec::new();
    if !bools.is_empty() {
        parts.push(format!("[-{}]", bools.into_iter().collect::<String>()));
    }
    parts.extend(valued.into_iter().map(|(c, v)| format!("[-{c} {v}]")));
    parts.extend(longs);
    parts.extend(positional);
    parts.join(" ")
}

fn positional_bounds(cmd: &clap::Command) -> (usize, Option<usize>) {
    let mut min = 0;
    let mut max = Some(0usize);
    for arg in cmd.get_positionals() {
        if arg.is_required_set() {
            min += 1;
        }
        let n = arg.get_num_args().map(|n| n.max_values()).unwrap_or(1);
        max = match (max, n) {
            (Some(m), n) if n < usize::MAX => Some(m + n),
            _ => None,
        };
    }
    (min, max)
}

/// Maps a clap error to tmux's message, e.g. `command new-session: unknown
/// flag -Z`.
/// tmux's error for arguments beyond what a command takes.
pub fn too_many(name: &str, cmd: &clap::Command) -> CmdError {
    match positional_bounds(cmd).1 {
        Some(m) => CmdError(format!(
            "command {name}: too many arguments (need at most {m})"
        )),
        None => CmdError(format!("command {name}: too many arguments")),
    }
}

pub fn clap_error(name: &str, cmd: &clap::Command, e: &clap::Error) -> CmdError {
    let invalid = e
        .get(ContextKind::InvalidArg)
        .map(|v| v.to_string())
        .unwrap_or_default();
    let flag = invalid.split_whitespace().next().unwrap_or("").to_string();
    let (min, max) = positional_bounds(cmd);
    let too_many = || match max {
        Some(m) => format!("command {name}: too many arguments (need at most {m})"),
        None => format!("command {name}: too many arguments"),
    };
    let msg = match e.kind() {
        ErrorKind::UnknownArgument if flag.starts_with('-') && flag.len() > 1 => {
            format!("command {name}: unknown flag {flag}")
        }
        ErrorKind::UnknownArgument | ErrorKind::TooManyValues => too_many(),
        ErrorKind::MissingRequiredArgument | ErrorKind::TooFewValues => {
            if flag.starts_with('-') {
                format!("command {name}: {flag} expects an argument")
            } else {
                format!("command {name}: too few arguments (need at least {min})")
            }
        }
        ErrorKind::InvalidValue if flag.starts_with('-') => {
            let value = e
                .get(ContextKind::InvalidValue)
                .map(|v| v.to_string())
                .unwrap_or_default();
            if value.is_empty() {
                format!("command {name}: {flag} expects an argument")
            } else {
                format!("command {name}: {flag}: invalid value: {value}")
            }
        }
        ErrorKind::ArgumentConflict => {
            let other = e
                .get(ContextKind::PriorArg)
                .map(|v| v.to_string())
                .unwrap_or_default();
            let other = other.split_whitespace().next().unwrap_or("");
            format!("command {name}: {flag} cannot be used with {other}")
        }
        _ => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("").trim();
            let first = first.strip_prefix("error: ").unwrap_or(first);
            format!("command {name}: {first}")
        }
    };
    CmdError(msg)
}

/// Cleans a session name as tmux does: `:` and `.` would make targets
/// ambiguous, so they become `_`; an empty name is refused.
pub fn session_name(raw: &str) -> Result<String, CmdError> {
    if raw.is_empty() {
        return Err(CmdError(format!("invalid session: {raw}")));
    }
    check_length("session name", raw)?;
    Ok(raw.replace([':', '.'], "_"))
}

/// Bytes a session or window name may have. tmux sets no limit, but a name
/// is shown on every status line and stored with every agent: a name of
/// megabytes is a mistake or an attack.
pub const NAME_MAX: usize = 256;

/// Refuses a name longer than [`NAME_MAX`].
pub fn check_length(what: &str, name: &str) -> Result<(), CmdError> {
    if name.len() > NAME_MAX {
        return Err(CmdError(format!(
            "{what} too long: {} bytes (at most {NAME_MAX})",
            name.len()
        )));
    }
    Ok(())
}

/// Parses `N` or `N%` for -l, -x and -y.
pub fn parse_size(s: &str, what: &str) -> Result<crate::host::SplitSize, CmdError> {
    use crate::host::SplitSize;
    let bad = || CmdError(format!("{what} invalid: {s}"));
    match s.strip_suffix('%') {
        Some(p) => {
            let n: u32 = p.parse().map_err(|_| bad())?;
            if n > 100 {
                return Err(bad());
            }
            Ok(SplitSize::Percent(n))
        }
        None => s.parse().map(SplitSize::Cells).map_err(|_| bad()),
    }
}

/// A parse context that reads `$NAME` from the host's global environment,
/// for commands given as text (if-shell, run-shell -C).
pub struct HostContext<'a> {
    pub host: &'a dyn crate::Host,
    pub io: &'a crate::Io,
}

impl crate::parse::Context for HostContext<'_> {
    fn env(&self, name: &str) -> Option<String> {
        self.host
            .environ(crate::host::EnvScope::Global)
            .and_then(|e| e.value(name).map(str::to_string))
    }
    fn condition(&self, format: &str) -> bool {
        crate::format::is_true(&self.host.expand(self.io, format, None))
    }
    fn aliases(&self) -> Vec<String> {
        match self
            .host
            .options(crate::host::OptionScope::Server)
            .and_then(|o| o.get("command-alias"))
        {
            Some(crate::options::Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        }
    }
}

/// Parses command text with the host's environment.
pub fn parse_commands(
    host: &dyn crate::Host,
    io: &crate::Io,
    text: &str,
) -> Result<Vec<Box<dyn crate::Runnable>>, CmdError> {
    crate::parse_text(text, &HostContext { host, io })
}

/// A number of seconds given on the command line (fractions allowed);
/// `what` names it in the error.
pub fn seconds(s: &str, what: &str) -> CmdResult<f64> {
    match s.parse::<f64>() {
        Ok(n) if n >= 0.0 && n.is_finite() => Ok(n),
        _ => Err(CmdError::new(format!("invalid {what}: {s}"))),
    }
}

/// The current time in seconds, for strftime in messages.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A flag cluster with a value attached (`-N5`, `-p'(search up)'`) as the
/// flags and the value apart, as clap reads it even where a command's
/// arguments may start with `-` (clap would take the cluster for one).
/// A value that itself starts with `-` stays attached, where clap cannot
/// mistake it for a flag.
fn split_attached(a: &str, takes_value: &dyn Fn(char) -> bool) -> Vec<String> {
    if !a.starts_with('-') || a.starts_with("--") {
        return vec![a.to_string()];
    }
    let at = a
        .char_indices()
        .skip(1)
        .find(|(_, c)| takes_value(*c))
        .map(|(i, c)| i + c.len_utf8());
    match at {
        Some(at) if at < a.len() && !a[at..].starts_with('-') => {
            vec![a[..at].to_string(), a[at..].to_string()]
        }
        _ => vec![a.to_string()],
    }
}

/// Puts `--` before the first argument that is not a flag or a flag's
/// value, so that, as with tmux's getopt, everything from there on is an
/// argument: `set -g history-limit -5` sets -5.
pub fn getopt_order(cmd: &clap::Command, args: &[String]) -> Vec<String> {
    let takes_value = |short: char| {
        cmd.get_arguments()
            .find(|a| a.get_short() == Some(short))
            .is_some_and(|a| a.get_action().takes_values())
    };
    let long_takes_value = |long: &str| {
        cmd.get_arguments()
            .find(|a| a.get_long() == Some(long))
            .is_some_and(|a| a.get_action().takes_values())
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            return args.to_vec();
        }
        if let Some(long) = a.strip_prefix("--") {
            if !long.contains('=') && long_takes_value(long) {
                i += 1;
            }
            i += 1;
            continue;
        }
        if a.len() < 2 || !a.starts_with('-') {
            break;
        }
        // A cluster like -dP or -t%1: a flag taking a value ends it.
        let chars: Vec<char> = a[1..].chars().collect();
        for (n, c) in chars.iter().enumerate() {
            if takes_value(*c) {
                if n + 1 == chars.len() {
                    i += 1;
                }
                break;
            }
        }
        i += 1;
    }
    let out: Vec<String> = args[..i.min(args.len())]
        .iter()
        .flat_map(|a| split_attached(a, &takes_value))
        .collect();
    let mut out = out;
    // agmux's own long options (--json, --if-version N) may also follow
    // the arguments, as the agent commands are documented; anything else
    // from the first argument on is an argument.
    let mut rest = Vec::new();
    let mut j = i;
    while j < args.len() {
        let a = &args[j];
        let long = a.strip_prefix("--").filter(|l| !l.is_empty());
        let name = long.map(|l| l.split('=').next().unwrap_or(l));
        match name {
            _ if a == "--" => {
                rest.extend_from_slice(&args[j + 1..]);
                break;
            }
            Some(n) if cmd.get_arguments().any(|x| x.get_long() == Some(n)) => {
                out.push(a.clone());
                if !a.contains('=') && long_takes_value(n) && j + 1 < args.len() {
                    out.push(args[j + 1].clone());
                    j += 1;
                }
            }
            _ => rest.push(a.clone()),
        }
        j += 1;
    }
    if !rest.is_empty() {
        out.push("--".to_string());
        out.extend(rest);
    }
    out
}

/// An I/O error as tmux prints it: the system's words without Rust's
/// "(os error N)".
pub fn os_error(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// A time as ISO 8601 in UTC with microseconds, for JSON:
/// `2026-12-02T05:12:33.123456Z`.
pub fn iso_time(micros: u64) -> String {
    let secs = micros / 1_000_000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        micros % 1_000_000
    )
}

/// The microseconds since the epoch of an [`iso_time`], if `s` is one.
pub fn parse_iso_time(s: &str) -> Option<u64> {
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, m, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let frac = s.get(19..)?.strip_prefix('.').unwrap_or("0Z");
    let frac = frac.strip_suffix('Z')?;
    let micros: i64 = format!("{frac:0<6}").get(..6)?.parse().ok()?;
    // Howard Hinnant's days-from-civil algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + m * 60 + sec;
    u64::try_from(secs * 1_000_000 + micros).ok()
}

/// Whether POSIX extended regular expression `pattern` matches somewhere
/// in `text`, as tmux's regcomp(3) and regexec(3); `None` if the pattern
/// does not compile (or either holds a NUL).
pub fn regex_match(pattern: &str, text: &str, ignore_case: bool) -> Option<bool> {
    let pattern = std::ffi::CString::new(pattern).ok()?;
    let text = std::ffi::CString::new(text).ok()?;
    let mut flags = libc::REG_EXTENDED | libc::REG_NOSUB;
    if ignore_case {
        flags |= libc::REG_ICASE;
    }
    // SAFETY: regex_t is plain data that regcomp fills in; it is freed
    // with regfree only after regcomp succeeded, and both strings are
    // NUL-terminated and outlive the calls.
    unsafe {
        let mut re: libc::regex_t = std::mem::zeroed();
        if libc::regcomp(&mut re, pattern.as_ptr(), flags) != 0 {
            return None;
        }
        let found = libc::regexec(&re, text.as_ptr(), 0, std::ptr::null_mut(), 0) == 0;
        libc::regfree(&mut re);
        Some(found)
    }
}

/// A number in `min..=max` read as strtonum(3) reads it, or its error
/// word as tmux prints it after what was wanted: `width too large`.
pub fn strtonum(s: &str, min: i64, max: i64) -> Result<i64, &'static str> {
    let t = s.trim_start();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("invalid");
    }
    // Beyond i128 only the sign matters.
    let n: i128 = t.parse().unwrap_or(if t.starts_with('-') {
        i128::MIN
    } else {
        i128::MAX
    });
    if n < min as i128 {
        Err("too small")
    } else if n > max as i128 {
        Err("too large")
    } else {
        Ok(n as i64)
    }
}

#[cfg(test)]
mod time_tests {
    #[test]
    fn iso_time_is_utc_with_microseconds() {
        assert_eq!(super::iso_time(0), "1970-01-01T00:00:00.000000Z");
        for t in [
            0,
            1_796_186_445_123_456,
            951_782_400_000_001,
            4_102_444_799_999_999,
        ] {
            assert_eq!(super::parse_iso_time(&super::iso_time(t)), Some(t));
        }
        assert_eq!(super::parse_iso_time("2026-12-02"), None);
        assert_eq!(
            super::iso_time(1_796_186_445_123_456),
            "2026-12-02T04:40:45.123456Z"
        );
        assert_eq!(
            super::iso_time(951_782_400_000_001),
            "2000-02-29T00:00:00.000001Z"
        );
    }
}
