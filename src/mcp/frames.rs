//! The stdio framing around the MCP service. rmcp passes over a line that
//! is not JSON in silence; JSON-RPC asks for a parse error (-32700) to
//! whoever sent it. So lines from stdin go through here first: JSON goes on
//! to the service, anything else gets the error, and the service keeps
//! serving. One task writes stdout, so the error and the service's replies
//! never interleave.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

/// The transport to serve on: the service's ends of two pipes whose other
/// ends are stdin and stdout, through the filter.
pub fn stdio() -> (DuplexStream, DuplexStream) {
    let (service_in, mut to_service) = tokio::io::duplex(1 << 16);
    let (from_service, service_out) = tokio::io::duplex(1 << 16);
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let errors = out_tx.clone();
    tokio::spawn(async move {
        let mut lines = BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if line.trim().is_empty() {
                continue;
            }
            if serde_json::from_str::<serde_json::Value>(&line).is_ok() {
                let mut bytes = line.into_bytes();
                bytes.push(b'\n');
                if to_service.write_all(&bytes).await.is_err() {
                    break;
                }
            } else {
                let error = serde_json::json!({
                    "jsonrpc": "2.0",
                    "id": null,
                    "error": {"code": -32700, "message": "parse error: not JSON"},
                });
                let mut bytes = error.to_string().into_bytes();
                bytes.push(b'\n');
                let _ = errors.send(bytes);
            }
        }
        // stdin closed: the service sees its input end.
        let _ = to_service.shutdown().await;
    });
    tokio::spawn(async move {
        let mut lines = BufReader::new(from_service).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let mut bytes = line.into_bytes();
            bytes.push(b'\n');
            if out_tx.send(bytes).is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        let mut stdout = tokio::io::stdout();
        while let Some(bytes) = out_rx.recv().await {
            if stdout.write_all(&bytes).await.is_err() || stdout.flush().await.is_err() {
                break;
            }
        }
    });
    (service_in, service_out)
}
