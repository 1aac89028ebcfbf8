//! Wire protocol between client and server.
//!
//! A frame is a big-endian `u32` body length followed by a JSON body. The
//! first frame each way is a `Hello` carrying the protocol version; a peer
//! speaking another version is refused with an error frame. Frames larger than
//! [`MAX_FRAME`] are refused without being read, so a hostile length cannot
//! make the server allocate.

use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

/// Bumped whenever a message changes shape.
pub const PROTOCOL_VERSION: u32 = 3;

/// Largest body accepted, in bytes. Command lines and replies are far
/// smaller; 16 MiB leaves room for a large `set-buffer` or `load-buffer`.
pub const MAX_FRAME: usize = 16 << 20;

/// What a client asks of the server.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ClientMsg {
    Hello {
        version: u32,
    },
    Command(CommandRequest),
    /// The attached client's terminal, as a descriptor passed with this
    /// message (SCM_RIGHTS): from now on the server reads the keys from it
    /// and draws on it, as tmux's server does.
    Tty,
    /// The attached client's terminal changed size.
    Resize {
        cols: u16,
        rows: u16,
        /// A cell's size in pixels, 0 where the terminal does not say.
        #[serde(default)]
        cell: (u16, u16),
    },
    /// A subscriber handled the last screen update: the server may send
    /// the next.
    Drawn,
    /// The lock command the server asked for has ended: the client has its
    /// terminal again.
    Unlock,
    /// A suspended client was continued and has its terminal again.
    Wakeup,
    /// Stream events on this connection (`agmux subscribe`): the ones after
    /// `since` from the store first, then each as it is stored.
    Subscribe(SubscribeRequest),
    /// A line a control-mode client read (-C): a command list. None: its
    /// input ended (or an empty line came), and the client leaves.
    ControlLine {
        line: Option<String>,
    },
}

/// What a subscriber wants to hear of.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SubscribeRequest {
    /// Replay the stored events after this id first; none: only new ones.
    #[serde(default)]
    pub since: Option<u64>,
    /// Only events of this agent (as actor or subject): an agent key or a
    /// session.
    #[serde(default)]
    pub agent: Option<String>,
    /// Only events of this group.
    #[serde(default)]
    pub group: Option<String>,
    /// Only these event types (empty: all).
    #[serde(default)]
    pub events: Vec<String>,
    /// Also the output of this pane, as `output` events (not stored).
    #[serde(default)]
    pub pane_output: Option<String>,
    /// Also the screen of this pane, as `screen` events: every row first,
    /// then the rows that changed, one update per `drawn` frame the
    /// subscriber sends back (not stored).
    #[serde(default)]
    pub screen: Option<String>,
    /// First a `subscribed` event with `head`, the id of the last event
    /// stored: what a snapshot taken now reflects, and where to resume.
    #[serde(default)]
    pub announce: bool,
    /// The client's environment, for targets as commands resolve them.
    #[serde(default)]
    pub env: Vec<String>,
}

/// One invocation of the command line: the argv after the global flags, and
/// what the server needs to know about the caller to run it as tmux would.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CommandRequest {
    pub argv: Vec<String>,
    /// The client's working directory: the default for new panes.
    pub cwd: String,
    /// The client's environment as `NAME=value`: for `update-environment`,
    /// and `AGMUX_PANE` / `TMUX_PANE`, which make a pane's own session the
    /// default target.
    pub env: Vec<String>,
    /// Whether the client's stdin is a terminal (attaching needs one).
    #[serde(default)]
    pub tty: bool,
    /// The terminal's size, when there is one.
    #[serde(default)]
    pub size: Option<(u16, u16)>,
    /// A cell's size in pixels, 0 where the terminal does not say.
    #[serde(default)]
    pub cell: (u16, u16),
    /// The terminal's name (`/dev/pts/3`), for list-clients and targets.
    #[serde(default)]
    pub tty_name: String,
    /// TERM of the client's terminal.
    #[serde(default)]
    pub term: String,
    /// Control mode: 1 for -C, 2 for -CC (iTerm2's, wrapped in a DCS).
    #[serde(default)]
    pub control: u8,
}

/// What the server sends back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ServerMsg {
    Hello {
        version: u32,
        pid: u32,
    },
    /// Text for the client's stdout.
    Stdout {
        data: String,
    },
    /// Text for the client's stderr.
    Stderr {
        data: String,
    },
    /// The command list finished; the client exits with this status.
    Exit {
        code: i32,
    },
    /// The request could not be understood; the connection stays usable
    /// unless the frame boundary was lost.
    Error {
        message: String,
    },
    /// The client is now attached: it puts its terminal in raw mode on the
    /// alternate screen and hands it over ([`ClientMsg::Tty`]).
    Attached,
    /// The server has stopped using the terminal: run this command
    /// (lock-command) on it, take it back and say Unlock.
    Lock {
        command: String,
    },
    /// The server has stopped using the terminal: stop (SIGTSTP); once
    /// continued, take it back and say Wakeup.
    Suspend,
    /// Stop being attached: restore the terminal, print the message (tmux's
    /// `[detached (from session x)]`, `[exited]`...) and exit with `code`.
    Detach {
        message: String,
        code: i32,
    },
    /// One event for a subscriber: a JSON object with at least id, time,
    /// type, agent and actor.
    Event {
        event: serde_json::Value,
    },
}

/// Text in one style. Each character takes its display width in cells.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Run {
    pub t: String,
    /// Foreground, background, attributes: colours are -1 for the default,
    /// 0-255 for a palette index, 0x1000000 + RGB for true colour.
    pub s: [i32; 3],
}

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("frame of {0} bytes is larger than the limit of {MAX_FRAME} bytes")]
    TooLarge(usize),
    #[error("malformed frame: {0}")]
    Malformed(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Serialises a message into a frame: length prefix and JSON body.
pub fn encode<T: Serialize>(msg: &T) -> Vec<u8> {
    // Serialising these plain enums cannot fail: no maps with non-string
    // keys, no custom serialisers.
    let body = serde_json::to_vec(msg).unwrap_or_default();
    let mut frame = Vec::with_capacity(body.len() + 4);
    frame.extend_from_slice(&(body.len() as u32).to_be_bytes());
    frame.extend_from_slice(&body);
    frame
}

/// Checks a frame header and returns the body length it announces.
pub fn body_len(header: [u8; 4]) -> Result<usize, FrameError> {
    let len = u32::from_be_bytes(header) as usize;
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge(len));
    }
    Ok(len)
}

pub fn decode<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, FrameError> {
    serde_json::from_slice(body).map_err(|e| FrameError::Malformed(e.to_string()))
}

/// Blocking write of one frame (the client side is plain std I/O).
pub fn write_frame<T: Serialize>(w: &mut impl Write, msg: &T) -> io::Result<()> {
    w.write_all(&encode(msg))
}

/// Blocking read of one frame body. `Ok(None)` is a clean end of stream.
pub fn read_frame(r: &mut impl Read) -> Result<Option<Vec<u8>>, FrameError> {
    let mut header = [0u8; 4];
    match r.read_exact(&mut header) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let len = body_len(header)?;
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let msg = ClientMsg::Command(CommandRequest {
            argv: vec!["new-session".into(), "-d".into()],
            cwd: "/tmp".into(),
            env: vec!["A=b".into()],
            tty: false,
            ..Default::default()
        });
        let frame = encode(&msg);
        let body = read_frame(&mut &frame[..]).unwrap().unwrap();
        assert_eq!(decode::<ClientMsg>(&body).unwrap(), msg);
    }

    #[test]
    fn oversized_header_is_refused() {
        let err = body_len((MAX_FRAME as u32 + 1).to_be_bytes()).unwrap_err();
        assert!(matches!(err, FrameError::TooLarge(_)));
    }

    #[test]
    fn garbage_body_is_malformed() {
        assert!(matches!(
            decode::<ClientMsg>(b"{not json"),
            Err(FrameError::Malformed(_))
        ));
    }
}
