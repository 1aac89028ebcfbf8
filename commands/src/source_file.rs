use crate::host::EnvScope;
use crate::parse::{parse_lenient, Context};
use crate::save_buffer::client_path;
use crate::{CmdResult, Command, Flow, Host, Io, Runnable};

/// Run the commands in a file (configuration syntax). An error names the
/// file and line; a file with a command that does not parse runs not at
/// all, and one that fails as it runs does not stop the others.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true)]
pub struct SourceFile {
    /// Expand each path as a format first.
    #[arg(short = 'F')]
    format: bool,
    /// Only check the syntax; run nothing.
    #[arg(short = 'n')]
    check: bool,
    /// No error for a file that does not exist.
    #[arg(short = 'q')]
    quiet: bool,
    /// Print each command before it runs.
    #[arg(short = 'v')]
    verbose: bool,
    /// Files; `~` is the home directory and glob patterns are expanded.
    #[arg(value_name = "path", required = true)]
    paths: Vec<String>,
}

/// A command from a file (or a step of agent-group-restore): its failure
/// is reported with where it came from and does not stop the commands
/// after it.
pub(crate) struct Located {
    pub inner: Box<dyn Runnable>,
    pub place: String,
    pub verbose: bool,
}

impl Runnable for Located {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn access(&self) -> crate::Access {
        self.inner.access()
    }
    fn agent(&self) -> bool {
        self.inner.agent()
    }
    fn run(self: Box<Self>, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        if self.verbose {
            io.print(&format!("{}: {}", self.place, self.inner.name()));
        }
        match self.inner.run(host, io) {
            Err(e) => {
                io.warn(&format!("{}: {}", self.place, e.0));
                io.status = 1;
                Ok(Flow::Continue)
            }
            Ok(flow) => Ok(flow),
        }
    }
}

struct Env<'a> {
    host: &'a dyn Host,
    io: &'a Io,
    /// What `%if` conditions are expanded for: the caller's current target.
    at: Option<crate::Found>,
}

impl Context for Env<'_> {
    fn env(&self, name: &str) -> Option<String> {
        self.host
            .environ(EnvScope::Global)
            .and_then(|e| e.value(name).map(str::to_string))
            .or_else(|| self.io.caller.env(name).map(str::to_string))
    }
    fn condition(&self, format: &str) -> bool {
        crate::format::is_true(&self.host.expand(self.io, format, self.at.as_ref()))
    }
    fn aliases(&self) -> Vec<String> {
        crate::util::HostContext {
            host: self.host,
            io: self.io,
        }
        .aliases()
    }
}

fn home(host: &dyn Host, io: &Io) -> Option<String> {
    Env { host, io, at: None }.env("HOME")
}

/// Paths matching a pattern, or the path itself when it has no pattern.
fn expand_glob(path: &str) -> Vec<String> {
    if !path.contains(['*', '?', '[']) {
        return vec![path.to_string()];
    }
    let p = std::path::Path::new(path);
    let (dir, pattern) = match (p.parent(), p.file_name()) {
        (Some(d), Some(f)) => (d.to_path_buf(), f.to_string_lossy().into_owned()),
        _ => return vec![path.to_string()],
    };
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| crate::target::fnmatch(&pattern, &e.file_name().to_string_lossy()))
                .map(|e| e.path().display().to_string())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

impl Command for SourceFile {
    const NAME: &'static str = "source-file";
    const ACCESS: crate::Access = crate::Access::Read;
    const ALIAS: Option<&'static str> = Some("source");

    fn exec(self, host: &mut dyn Host, io: &mut Io) -> CmdResult<Flow> {
        let mut run: Vec<Box<dyn Runnable>> = Vec::new();
        let mut failed = false;
        for raw in &self.paths {
            let path = if self.format { host.expand(io, raw, None) } else { raw.clone() };
            let path = match path.strip_prefix('~') {
                Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                    format!("{}{rest}", home(host, io).unwrap_or_default())
                }
                _ => path,
            };
            let path = client_path(io, &path).display().to_string();
            let files = expand_glob(&path);
            if files.is_empty() && !self.quiet {
                io.warn(&format!("{path}: No such file or directory"));
                failed = true;
            }
            for file in files {
                let text = match std::fs::read_to_string(&file) {
                    Ok(t) => t,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.quiet => continue,
                    Err(e) => {
                        io.warn(&format!("{file}: {}", crate::util::os_error(&e)));
                        failed = true;
                        continue;
                    }
                };
                let at = host.find(io, None, crate::TargetKind::Pane).ok();
                let env = Env { host, io, at };
                let aliases = env.aliases();
                let (cmds, errors) = parse_lenient(&text, &env);
                // As tmux: a file that does not parse runs not at all (every
                // error in it is still reported).
                let mut clean = errors.is_empty();
                for e in errors {
                    io.warn(&format!("{file}:{}: {}", e.line, e.message));
                    failed = true;
                }
                let mut these: Vec<Box<dyn Runnable>> = Vec::new();
                for c in cmds {
                    let place = format!("{file}:{}", c.line);
                    for argv in crate::expand_alias(crate::bind_key::words_of(c), &aliases) {
                        match crate::lookup(&argv[0]).and_then(|e| e.parse(&argv[1..])) {
                            Ok(inner) => these.push(Box::new(Located {
                                inner,
                                place: place.clone(),
                                verbose: self.verbose,
                            })),
                            Err(e) => {
                                io.warn(&format!("{place}: {}", e.0));
                                failed = true;
                                clean = false;
                            }
                        }
                    }
                }
                if clean {
                    run.extend(these);
                }
            }
        }
        if failed {
            io.status = 1;
        }
        if self.check {
            return Ok(Flow::Continue);
        }
        Ok(Flow::Insert(run))
    }
}
