//! Control mode (-C, and iTerm2's -CC): the client is a pipe between the
//! server and a program. Each line read is a command list; the server's
//! answers come framed (%begin, %end or %error), its notifications as
//! %-lines, and pane output as %output. An empty line, or the end of the
//! input, detaches; the client then prints %exit, as tmux's does.

use super::{Global, connect};
use crate::paths::Flavor;
use commands::proto::{self, ClientMsg, CommandRequest, PROTOCOL_VERSION, ServerMsg};
use nix::sys::termios::{self, ControlFlags, InputFlags, LocalFlags, OutputFlags, SetArg};
use std::io::{self, BufRead, Write};
use std::os::unix::net::UnixStream;

pub fn run(flavor: Flavor, g: &Global, mut argv: Vec<String>) -> i32 {
    let cc = g.control >= 2;
    // -CC speaks to a terminal (iTerm2's): tmux makes it raw but for
    // CR to NL in and NL to CRNL out, and needs it to be one.
    let saved = if cc {
        match termios::tcgetattr(io::stdin()) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("tcgetattr failed: {}", e.desc());
                return 1;
            }
        }
    } else {
        None
    };
    if let Some(t) = &saved {
        let mut raw = t.clone();
        termios::cfmakeraw(&mut raw);
        raw.input_flags = InputFlags::ICRNL | InputFlags::IXANY;
        raw.output_flags = OutputFlags::OPOST | OutputFlags::ONLCR;
        raw.local_flags = LocalFlags::empty();
        raw.control_flags = ControlFlags::CREAD | ControlFlags::CS8 | ControlFlags::HUPCL;
        raw.control_chars[termios::SpecialCharacterIndices::VMIN as usize] = 1;
        raw.control_chars[termios::SpecialCharacterIndices::VTIME as usize] = 0;
        let _ = termios::tcsetattr(io::stdin(), SetArg::TCSANOW, &raw);
    }
    if argv.is_empty() {
        argv = vec!["new-session".to_string()];
    }
    let code = match connect(flavor, g, &argv) {
        Ok(stream) => converse(&stream, argv, if cc { 2 } else { 1 }),
        Err(e) => {
            eprintln!("{e}");
            1
        }
    };
    let mut out = io::stdout().lock();
    let _ = out.write_all(b"%exit\n");
    if cc {
        let _ = out.write_all(b"\x1b\\");
    }
    let _ = out.flush();
    if let Some(t) = &saved {
        let _ = termios::tcsetattr(io::stdout(), SetArg::TCSAFLUSH, t);
    }
    code
}

/// Sends the command line, then every line read, and copies the server's
/// text to stdout until it lets the client go.
fn converse(stream: &UnixStream, argv: Vec<String>, control: u8) -> i32 {
    let request = CommandRequest {
        argv,
        cwd: std::env::current_dir()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default(),
        env: std::env::vars_os()
            .map(|(k, v)| format!("{}={}", k.to_string_lossy(), v.to_string_lossy()))
            .collect(),
        term: std::env::var("TERM").unwrap_or_default(),
        control,
        ..CommandRequest::default()
    };
    let mut frames = proto::encode(&ClientMsg::Hello {
        version: PROTOCOL_VERSION,
    });
    frames.extend(proto::encode(&ClientMsg::Command(request)));
    let mut w = stream;
    if w.write_all(&frames).is_err() {
        return 1;
    }
    if let Ok(writer) = stream.try_clone() {
        std::thread::spawn(move || read_lines(writer));
    }
    let mut r = stream;
    let mut out = io::stdout();
    loop {
        let Ok(Some(body)) = proto::read_frame(&mut r) else {
            return 1;
        };
        match proto::decode::<ServerMsg>(&body) {
            Ok(ServerMsg::Stdout { data }) => {
                let _ = out.write_all(data.as_bytes());
                let _ = out.flush();
            }
            // As tmux's control client: errors too go where the program
            // reads.
            Ok(ServerMsg::Stderr { data }) => {
                let _ = out.write_all(data.as_bytes());
                let _ = out.flush();
            }
            Ok(ServerMsg::Exit { code }) | Ok(ServerMsg::Detach { code, .. }) => return code,
            Ok(ServerMsg::Error { message }) => {
                eprintln!("{message}");
                return 1;
            }
            Ok(_) => {}
            Err(_) => return 1,
        }
    }
}

/// Forwards stdin line by line; an empty line or the end stops it.
fn read_lines(mut writer: UnixStream) {
    let stdin = io::stdin();
    let mut lines = stdin.lock();
    let mut line = String::new();
    loop {
        line.clear();
        let n = lines.read_line(&mut line).unwrap_or(0);
        let text = line.trim_end_matches(['\n', '\r']);
        let msg = if n == 0 || text.is_empty() {
            ClientMsg::ControlLine { line: None }
        } else {
            ClientMsg::ControlLine {
                line: Some(text.to_string()),
            }
        };
        let last = matches!(msg, ClientMsg::ControlLine { line: None });
        if writer.write_all(&proto::encode(&msg)).is_err() || last {
            return;
        }
    }
}
