//! The dashboard's line to the agmux server: commands run as this process
//! (so with its identity), and subscriptions read as async frame streams.

use crate::Global;
use crate::client::{self, Captured};
use crate::paths::Flavor;
use commands::proto::{self, ClientMsg, PROTOCOL_VERSION, ServerMsg, SubscribeRequest};
use serde_json::Value;
use std::path::PathBuf;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};

#[derive(Clone)]
pub struct Link {
    pub flavor: Flavor,
    pub global: Global,
}

impl Link {
    /// Runs a command line on the server.
    pub async fn run(&self, argv: Vec<String>) -> Result<Captured, String> {
        let (flavor, g) = (self.flavor, self.global.clone());
        tokio::task::spawn_blocking(move || client::capture(flavor, &g, argv))
            .await
            .map_err(|e| e.to_string())?
    }

    /// A command's standard output as JSON, or its one-line error.
    pub async fn json(&self, argv: &[&str]) -> Result<Value, String> {
        let c = self
            .run(argv.iter().map(|a| a.to_string()).collect())
            .await?;
        if c.code != 0 {
            return Err(c.stderr.trim_end().to_string());
        }
        serde_json::from_str(&c.stdout).map_err(|e| format!("{}: {e}", argv.join(" ")))
    }

    fn socket(&self) -> Result<PathBuf, String> {
        client::socket_path(self.flavor, &self.global)
    }

    /// Opens a subscription.
    pub async fn subscribe(&self, req: SubscribeRequest) -> Result<Subscription, String> {
        let path = self.socket()?;
        let stream = UnixStream::connect(&path)
            .await
            .map_err(|_| format!("no server running on {}", path.display()))?;
        let (r, mut w) = stream.into_split();
        let mut frames = proto::encode(&ClientMsg::Hello {
            version: PROTOCOL_VERSION,
        });
        frames.extend(proto::encode(&ClientMsg::Subscribe(req)));
        w.write_all(&frames)
            .await
            .map_err(|e| format!("lost server: {e}"))?;
        Ok(Subscription { r, w })
    }
}

pub struct Subscription {
    r: OwnedReadHalf,
    w: OwnedWriteHalf,
}

impl Subscription {
    /// The next event; an error when the server went or refused.
    pub async fn next(&mut self) -> Result<Value, String> {
        loop {
            let mut header = [0u8; 4];
            self.r
                .read_exact(&mut header)
                .await
                .map_err(|_| "server exited".to_string())?;
            let len = proto::body_len(header).map_err(|e| e.to_string())?;
            let mut body = vec![0u8; len];
            self.r
                .read_exact(&mut body)
                .await
                .map_err(|_| "server exited".to_string())?;
            match proto::decode::<ServerMsg>(&body).map_err(|e| e.to_string())? {
                ServerMsg::Event { event } => return Ok(event),
                ServerMsg::Error { message } => return Err(message),
                ServerMsg::Hello { version, .. } if version != PROTOCOL_VERSION => {
                    return Err(format!(
                        "protocol version mismatch (dashboard {PROTOCOL_VERSION}, server {version})"
                    ));
                }
                _ => {}
            }
        }
    }

    /// Says the last screen update was handled: the server may send the
    /// next.
    pub async fn drawn(&mut self) -> Result<(), String> {
        self.w
            .write_all(&proto::encode(&ClientMsg::Drawn))
            .await
            .map_err(|e| format!("lost server: {e}"))
    }
}
