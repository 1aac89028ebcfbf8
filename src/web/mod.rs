//! `agmux web`: the dashboard. An HTTP and WebSocket server (axum, on the
//! tokio runtime agmux already has) that is a client of the agmux server:
//! it subscribes to events and pane screens over the socket and runs
//! commands as the process that started it, so it holds no agent state of
//! its own and may do exactly what its caller may.
//!
//! Every request carries the run's secret token (in the query, or the
//! cookie the first page load sets); a request from a foreign origin, or
//! naming a host other than the one listened on (DNS rebinding), is
//! refused before it reaches a handler.

mod guard;
mod link;
mod session;

use crate::Global;
use crate::paths::Flavor;
use axum::Router;
use axum::extract::{Query, State, WebSocketUpgrade};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

pub struct Ctx {
    token: String,
    /// The `Host` headers a request may carry: the address listened on
    /// and, on loopback, `localhost`; None when listening on every
    /// address.
    hosts: Option<Vec<String>>,
    link: link::Link,
}

pub fn main(flavor: Flavor, g: &Global, args: &[String]) -> i32 {
    if commands::help::asks_for_help(&[&["web".to_string()], args].concat()) {
        return match commands::help::help(Some("web")) {
            Ok(text) => {
                print!("{text}");
                0
            }
            Err(e) => {
                eprintln!("{e}");
                1
            }
        };
    }
    let args = match commands::web::Web::parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let addr: SocketAddr = match args.listen.parse() {
        Ok(a) => a,
        Err(_) => {
            eprintln!(
                "web: bad listen address: {} (want ADDRESS:PORT)",
                args.listen
            );
            return 1;
        }
    };
    let token = match guard::new_token() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("web: no secret for the token: {e}");
            return 1;
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("web: {e}");
            return 1;
        }
    };
    let link = link::Link {
        flavor,
        global: g.clone(),
    };
    rt.block_on(serve(addr, token, link))
}

async fn serve(addr: SocketAddr, token: String, link: link::Link) -> i32 {
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("web: can't listen on {addr}: {e}");
            return 1;
        }
    };
    let bound = listener.local_addr().unwrap_or(addr);
    if !bound.ip().is_loopback() {
        eprintln!(
            "web: warning: listening on {bound}, reachable from the network; anyone with the URL controls your agents"
        );
    }
    let hosts = if bound.ip().is_unspecified() {
        None
    } else if bound.ip().is_loopback() {
        Some(vec![
            bound.to_string(),
            format!("localhost:{}", bound.port()),
        ])
    } else {
        Some(vec![bound.to_string()])
    };
    let shown = if bound.ip().is_unspecified() {
        format!("127.0.0.1:{}", bound.port())
    } else {
        bound.to_string()
    };
    let ctx = Arc::new(Ctx { token, hosts, link });
    // The one line a script or a person needs; flushed before serving.
    println!("http://{shown}/?token={}", ctx.token);
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let app = Router::new()
        .route("/", get(index))
        .route("/app.js", get(|| asset("text/javascript", APP_JS)))
        .route("/style.css", get(|| asset("text/css", STYLE_CSS)))
        .route("/ws", get(ws))
        .layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            guard::check,
        ))
        .with_state(ctx);
    match axum::serve(listener, app).await {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("web: {e}");
            1
        }
    }
}

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");

/// The page, setting the token's cookie so the scripts and the socket that
/// follow need not carry it.
async fn index(State(ctx): State<Arc<Ctx>>) -> Response {
    let mut r = asset("text/html; charset=utf-8", INDEX_HTML).await;
    let cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Strict",
        guard::COOKIE,
        ctx.token
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

async fn asset(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-store"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

async fn ws(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<HashMap<String, String>>,
    up: WebSocketUpgrade,
) -> Response {
    let since = match q.get("since").map(|s| s.parse::<u64>()) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            return (StatusCode::BAD_REQUEST, "bad since: not an event id").into_response();
        }
    };
    let link = ctx.link.clone();
    up.on_upgrade(move |socket| session::run(socket, link, since))
}
