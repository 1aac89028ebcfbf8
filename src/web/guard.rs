//! Who may use the dashboard: whoever has the run's token, from a page of
//! the dashboard's own origin.

use super::Ctx;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::io::Read;
use std::sync::Arc;

pub const COOKIE: &str = "agmux_token";

/// A fresh secret: 128 random bits as hex.
pub fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares in time independent of where the strings differ, so the
/// token cannot be guessed a byte at a time.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn query_token(req: &Request) -> Option<&str> {
    req.uri()
        .query()?
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
}

fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// Why a request is refused, if it is.
fn refusal(ctx: &Ctx, req: &Request) -> Option<(StatusCode, &'static str)> {
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let known = |h: &str| match &ctx.hosts {
        Some(hosts) => hosts.iter().any(|ok| ok.eq_ignore_ascii_case(h)),
        // Listening on every address: any name may reach it, and the
        // token decides.
        None => true,
    };
    let Some(host) = host.filter(|h| known(h)) else {
        return Some((StatusCode::FORBIDDEN, "unknown host"));
    };
    // Browsers send Origin on every WebSocket handshake and on
    // cross-site requests: it must be this very server.
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ok = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|o| o.eq_ignore_ascii_case(host));
        if !ok {
            return Some((StatusCode::FORBIDDEN, "foreign origin"));
        }
    }
    let token = query_token(req).or_else(|| cookie_token(headers));
    if !token.is_some_and(|t| same(t, &ctx.token)) {
        return Some((StatusCode::UNAUTHORIZED, "token required"));
    }
    None
}

pub async fn check(State(ctx): State<Arc<Ctx>>, req: Request, next: Next) -> Response {
    match refusal(&ctx, &req) {
        Some(why) => why.into_response(),
        None => next.run(req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        let t = new_token().unwrap();
        assert_eq!(t.len(), 32);
        assert_ne!(t, new_token().unwrap());
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; agmux_token=xyz; b=2".parse().unwrap());
        assert_eq!(cookie_token(&h), Some("xyz"));
        h.insert(header::COOKIE, "agmux_tokenx=1".parse().unwrap());
        assert_eq!(cookie_token(&h), None);
    }
}
