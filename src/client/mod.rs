//! The command-line client: it sends one command line to the server and
//! prints what comes back. It is plain blocking std I/O with no runtime, so
//! a command costs little more than starting a process.

use crate::Global;
mod attach;
mod control;
mod integrate;
mod subscribe;

use crate::paths::{self, Flavor};
use commands::proto::{self, ClientMsg, CommandRequest, PROTOCOL_VERSION, ServerMsg};
use std::io::{self, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Which socket to use: `-S`, `-L`, the server of the pane we are in, or
/// the default one.
pub fn socket_path(flavor: Flavor, g: &Global) -> Result<PathBuf, String> {
    if let Some(p) = &g.socket_path {
        return Ok(absolute(p));
    }
    if let Some(name) = &g.socket_name {
        return paths::socket_path(flavor, name);
    }
    if let Ok(v) = std::env::var(flavor.env_var())
        && let Some(sock) = v.split(',').next().filter(|s| !s.is_empty())
    {
        return Ok(PathBuf::from(sock));
    }
    paths::socket_path(flavor, "default")
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        return p.to_path_buf();
    }
    std::env::current_dir()
        .map(|d| d.join(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

pub fn main(flavor: Flavor, g: &Global, mut argv: Vec<String>) -> i32 {
    if argv.is_empty() {
        argv = vec!["new-session".to_string()];
    }
    if let Some(code) = without_server(&argv) {
        return code;
    }
    if argv[0] == "integrate" {
        return integrate::run(flavor, g, &argv[1..]);
    }
    if g.control > 0 {
        return control::run(flavor, g, argv);
    }
    let stream = match connect(flavor, g, &argv) {
        Ok(s) => s,
        Err(e) => {
            // With no server to ask, an unknown command is the error
            // worth telling; a running server reports (and logs) it, and
            // knows command-alias.
            let unknown = commands::split_commands(&argv)
                .iter()
                .find_map(|cmd| commands::lookup(&cmd[0]).err());
            eprintln!("{}", unknown.map_or(e, |u| u.0));
            return 1;
        }
    };
    // A subscription is its own exchange: a stream of events, not a reply.
    if !argv.is_empty() && commands::lookup(&argv[0]).is_ok_and(|e| e.name == "subscribe") {
        return subscribe::run(&stream, &argv[1..]);
    }
    let tty = nix::unistd::isatty(io::stdin()).unwrap_or(false);
    let request = CommandRequest {
        argv,
        cwd: std::env::current_dir()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default(),
        env: std::env::vars_os()
            .map(|(k, v)| format!("{}={}", k.to_string_lossy(), v.to_string_lossy()))
            .collect(),
        tty,
        size: if tty { terminal_size() } else { None },
        cell: if tty { terminal_cell() } else { (0, 0) },
        tty_name: if tty {
            nix::unistd::ttyname(io::stdin())
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        } else {
            String::new()
        },
        term: std::env::var("TERM").unwrap_or_default(),
        control: 0,
    };
    let result = match exchange(&stream, request.clone()) {
        // A server on its way out (its last session just ended) may take
        // the connection and go without a word: it never read the
        // command, so a new server may run it.
        Err(Exchange::Gone) => match connect(flavor, g, &request.argv) {
            Ok(stream) => exchange(&stream, request),
            Err(e) => Err(Exchange::Failed(e)),
        },
        other => other,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// Why an exchange with the server ended without an exit status.
enum Exchange {
    /// The server hung up before saying anything at all.
    Gone,
    Failed(String),
}

impl std::fmt::Display for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exchange::Gone => f.write_str("server exited unexpectedly"),
            Exchange::Failed(e) => f.write_str(e),
        }
    }
}

impl From<String> for Exchange {
    fn from(e: String) -> Exchange {
        Exchange::Failed(e)
    }
}

/// What needs no server: `help`, `COMMAND --help`, and list-commands when
/// none runs. The exit status, if it was one of those.
fn without_server(argv: &[String]) -> Option<i32> {
    let print = |r: commands::CmdResult<String>| match r {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    };
    if argv[0] == "help" {
        return Some(print(commands::help::help(argv.get(1).map(String::as_str))));
    }
    let lists: &[&str] = &["list-commands", "lscm"];
    for cmd in commands::split_commands(argv) {
        if commands::help::asks_for_help(&cmd) {
            return Some(print(commands::help::help(Some(&cmd[0]))));
        }
    }
    if argv.len() > 1 && argv.iter().any(|w| w == ";") {
        return None;
    }
    if lists.contains(&argv[0].as_str()) {
        return Some(print(
            commands::list_commands::ListCommands::without_server(&argv[1..]),
        ));
    }
    None
}

/// A connection to the server, starting it when the command needs one.
fn connect(flavor: Flavor, g: &Global, argv: &[String]) -> Result<UnixStream, String> {
    let path = socket_path(flavor, g)?;
    match UnixStream::connect(&path) {
        Ok(s) => Ok(s),
        Err(_) if commands::needs_server_start(argv) => start_server(flavor, g, &path)
            .map_err(|e| format!("server failed to start on {}: {e}", path.display())),
        Err(_) => Err(format!("no server running on {}", path.display())),
    }
}

/// What a command printed and its exit status.
#[derive(Debug, Default)]
pub struct Captured {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs a command line on the server for a caller that is not a terminal
/// (agmux mcp) and returns what it printed.
pub fn capture(flavor: Flavor, g: &Global, argv: Vec<String>) -> Result<Captured, String> {
    let stream = connect(flavor, g, &argv)?;
    let request = CommandRequest {
        argv,
        cwd: std::env::current_dir()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default(),
        env: std::env::vars_os()
            .map(|(k, v)| format!("{}={}", k.to_string_lossy(), v.to_string_lossy()))
            .collect(),
        ..CommandRequest::default()
    };
    let mut frames = proto::encode(&ClientMsg::Hello {
        version: PROTOCOL_VERSION,
    });
    frames.extend(proto::encode(&ClientMsg::Command(request)));
    let mut w = &stream;
    w.write_all(&frames)
        .map_err(|e| format!("lost server: {e}"))?;
    let mut r = &stream;
    let mut out = Captured::default();
    loop {
        let body = match proto::read_frame(&mut r) {
            Ok(Some(b)) => b,
            Ok(None) => return Err("server exited unexpectedly".into()),
            Err(e) => return Err(format!("lost server: {e}")),
        };
        match proto::decode::<ServerMsg>(&body).map_err(|e| e.to_string())? {
            ServerMsg::Hello { version, .. } if version != PROTOCOL_VERSION => {
                return Err(format!(
                    "protocol version mismatch (client {PROTOCOL_VERSION}, server {version})"
                ));
            }
            ServerMsg::Stdout { data } => out.stdout.push_str(&data),
            ServerMsg::Stderr { data } => out.stderr.push_str(&data),
            ServerMsg::Exit { code } => {
                out.code = code;
                return Ok(out);
            }
            ServerMsg::Error { message } => return Err(message),
            _ => {}
        }
    }
}

/// The size of the terminal on stdin. (crossterm's size() runs `tput` when
/// there is none, which would cost every command two processes.)
pub fn terminal_size() -> Option<(u16, u16)> {
    // SAFETY: TIOCGWINSZ fills the zeroed winsize we own.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDIN_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0 && ws.ws_row > 0).then_some((ws.ws_col, ws.ws_row))
}

/// A cell of the terminal on stdin in pixels, as tmux works it out from
/// TIOCGWINSZ: 0 where the terminal does not give its pixel size.
pub fn terminal_cell() -> (u16, u16) {
    // SAFETY: TIOCGWINSZ fills the zeroed winsize we own.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDIN_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    if !ok {
        return (0, 0);
    }
    let per = |px: u16, n: u16| px.checked_div(n).unwrap_or(0);
    (per(ws.ws_xpixel, ws.ws_col), per(ws.ws_ypixel, ws.ws_row))
}

/// Sends the command and relays the replies until the exit status.
fn exchange(stream: &UnixStream, request: CommandRequest) -> Result<i32, Exchange> {
    let mut frames = proto::encode(&ClientMsg::Hello {
        version: PROTOCOL_VERSION,
    });
    frames.extend(proto::encode(&ClientMsg::Command(request)));
    let mut w = stream;
    // A server that refuses us says why and hangs up, perhaps before our
    // write ends: read its answer before blaming the write.
    let written = w.write_all(&frames);
    let mut r = stream;
    let stdout = io::stdout();
    let stderr = io::stderr();
    // Whether the server answered anything but its hello (which the
    // connection says before the server has looked at the command).
    let mut answered = false;
    loop {
        let body = match (proto::read_frame(&mut r), &written) {
            (Ok(Some(b)), _) => b,
            (Ok(None), _) | (Err(_), _) if !answered => return Err(Exchange::Gone),
            (_, Err(e)) => return Err(format!("lost server: {e}").into()),
            (Ok(None), _) => return Err("server exited unexpectedly".to_string().into()),
            (Err(e), _) => return Err(format!("lost server: {e}").into()),
        };
        let msg: ServerMsg = proto::decode(&body).map_err(|e| e.to_string())?;
        answered |= !matches!(msg, ServerMsg::Hello { .. });
        match msg {
            ServerMsg::Hello { version, .. } if version != PROTOCOL_VERSION => {
                return Err(format!(
                    "protocol version mismatch (client {PROTOCOL_VERSION}, server {version})"
                )
                .into());
            }
            ServerMsg::Hello { .. } => {}
            // A closed stdout (`agmux ls | head -1`) is not an error here.
            ServerMsg::Stdout { data } => {
                let _ = stdout.lock().write_all(data.as_bytes());
            }
            ServerMsg::Stderr { data } => {
                let _ = stderr.lock().write_all(data.as_bytes());
            }
            ServerMsg::Exit { code } => {
                let _ = stdout.lock().flush();
                return Ok(code);
            }
            ServerMsg::Error { message } => return Err(message.into()),
            ServerMsg::Attached => return Ok(attach::run(stream, Vec::new())),
            ServerMsg::Lock { .. }
            | ServerMsg::Suspend
            | ServerMsg::Detach { .. }
            | ServerMsg::Event { .. } => {}
        }
    }
}

/// Starts a server for `path` and returns a connection to it.
///
/// A lock file keeps two clients from starting two servers. The server is
/// handed one end of a socket pair as its first client, so there is no
/// waiting for its socket to appear: it says hello on the pair once it
/// listens, and the lock is released then.
fn start_server(flavor: Flavor, g: &Global, path: &Path) -> io::Result<UnixStream> {
    let lock_path = PathBuf::from(format!("{}.lock", path.display()));
    let lock_file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&lock_path)?;
    let _lock = nix::fcntl::Flock::lock(lock_file, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| io::Error::from(e))?;
    if let Ok(s) = UnixStream::connect(path) {
        return Ok(s);
    }
    // We hold the lock and nothing answers: any socket file is stale.
    let _ = std::fs::remove_file(path);

    let (ours, theirs) = UnixStream::pair()?;
    let theirs: OwnedFd = theirs.into();
    let fd = theirs.as_raw_fd();
    let mut cmd = Command::new(std::env::current_exe()?);
    cmd.arg0(match flavor {
        Flavor::Agmux => "agmux",
        Flavor::Tmux => "tmux",
    });
    cmd.arg("-S").arg(path);
    if let Some(f) = &g.config {
        cmd.arg("-f").arg(absolute(f));
    }
    cmd.args(["server", "--client-fd", "3"]);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            if fd == 3 {
                let flags = libc::fcntl(3, libc::F_GETFD);
                libc::fcntl(3, libc::F_SETFD, flags & !libc::FD_CLOEXEC);
            } else if libc::dup2(fd, 3) == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn()?;
    drop(theirs);
    let mut r = &ours;
    let started = proto::read_frame(&mut r);
    // Listening now: the lock has done its job. Removing the file while it
    // is held is what tmux does too; a later start makes a new one.
    let _ = std::fs::remove_file(&lock_path);
    match started {
        Ok(Some(body)) => match proto::decode::<ServerMsg>(&body) {
            Ok(ServerMsg::Hello { .. }) => Ok(ours),
            Ok(ServerMsg::Error { message }) => Err(io::Error::other(message)),
            _ => Err(io::Error::other("unexpected first frame")),
        },
        _ => {
            let status = child.try_wait().ok().flatten();
            Err(io::Error::other(match status {
                Some(s) => format!("server exited ({s})"),
                None => "no answer".to_string(),
            }))
        }
    }
}
