//! A client that speaks the wire protocol directly, to run many commands on
//! one connection without starting a process for each.

use commands::proto::{self, ClientMsg, CommandRequest, PROTOCOL_VERSION, ServerMsg};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;

pub struct Wire {
    stream: UnixStream,
}

/// What a command printed and its exit status.
pub struct Reply {
    pub out: String,
    pub err: String,
    pub code: i32,
}

impl Wire {
    pub fn connect(socket: &Path) -> Wire {
        let mut w = Wire {
            stream: UnixStream::connect(socket).expect("connect to the server"),
        };
        w.send(&ClientMsg::Hello {
            version: PROTOCOL_VERSION,
        });
        match w.recv() {
            ServerMsg::Hello { .. } => w,
            other => panic!("no hello: {other:?}"),
        }
    }

    fn send(&mut self, msg: &ClientMsg) {
        self.stream.write_all(&proto::encode(msg)).expect("send");
    }

    fn recv(&mut self) -> ServerMsg {
        let mut header = [0u8; 4];
        self.stream.read_exact(&mut header).expect("read header");
        let len = proto::body_len(header).expect("frame length");
        let mut body = vec![0u8; len];
        self.stream.read_exact(&mut body).expect("read body");
        proto::decode(&body).expect("decode")
    }

    /// Runs one command line and waits for its exit.
    pub fn run(&mut self, argv: &[&str]) -> Reply {
        self.start(argv);
        self.finish()
    }

    /// Sends a command line without waiting. The server takes a
    /// connection's commands in order, so a command started and then one
    /// run after it shows whether the first is still waiting.
    pub fn start(&mut self, argv: &[&str]) {
        self.send(&ClientMsg::Command(CommandRequest {
            argv: argv.iter().map(|s| s.to_string()).collect(),
            ..CommandRequest::default()
        }));
    }

    /// Asks for events on this connection.
    pub fn subscribe(&mut self, req: commands::proto::SubscribeRequest) {
        self.send(&ClientMsg::Subscribe(req));
    }

    /// The next event a subscription sends.
    pub fn next_event(&mut self) -> serde_json::Value {
        loop {
            match self.recv() {
                ServerMsg::Event { event } => return event,
                ServerMsg::Error { message } => panic!("subscription ended: {message}"),
                _ => {}
            }
        }
    }

    /// Reads until the server says why it stopped, or hangs up: how many
    /// events came, and the error.
    pub fn drain_events(&mut self) -> (usize, String) {
        let mut n = 0;
        loop {
            let mut header = [0u8; 4];
            if self.stream.read_exact(&mut header).is_err() {
                return (n, String::new());
            }
            let len = proto::body_len(header).expect("frame length");
            let mut body = vec![0u8; len];
            self.stream.read_exact(&mut body).expect("read body");
            match proto::decode(&body).expect("decode") {
                ServerMsg::Event { .. } => n += 1,
                ServerMsg::Error { message } => return (n, message),
                _ => {}
            }
        }
    }

    /// Waits for the next command on this connection to exit.
    pub fn finish(&mut self) -> Reply {
        let (mut out, mut err) = (String::new(), String::new());
        loop {
            match self.recv() {
                ServerMsg::Stdout { data } => out.push_str(&data),
                ServerMsg::Stderr { data } => err.push_str(&data),
                ServerMsg::Exit { code } => return Reply { out, err, code },
                ServerMsg::Error { message } => panic!("server error: {message}"),
                _ => {}
            }
        }
    }
}
