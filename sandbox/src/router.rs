//! Request pipeline of the API routes: the body (or 408/413), latency, auth, forced and
//! counted 429s, injected 500s, dispatch, drop-after-commit, and the `X-RateLimit-*` headers
//! every response carries.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, CONNECTION};
use hyper::StatusCode;
use tokio::sync::Notify;

use crate::admin;
use crate::api::{account, lookup, sms, verify};
use crate::endpoint::{Endpoint, Route};
use crate::request::Request;
use crate::respond::{self, Resp};
use crate::state::State;
use crate::stats::bump;
use crate::window::WindowState;

pub const API_PREFIX: &str = "/transactional/v1";
pub const ADMIN_PREFIX: &str = "/_sandbox";
/// Larger bodies are refused with 413 before they are read whole.
pub const MAX_BODY_BYTES: usize = 4 << 20;
pub const BODY_TOO_LARGE: &str = "Request body too large";
pub const BODY_TIMEOUT: &str = "Request body not received in time";

/// Closes the connection a request came on without answering it.
#[derive(Clone)]
pub struct KillSwitch(pub Arc<Notify>);

/// The connection came in on a loopback address (the sandbox's usual place).
#[derive(Clone, Copy)]
pub struct OnLoopback(pub bool);

/// Whether a `Host` or `Origin` names this machine: `localhost` (and `*.localhost`),
/// 127.0.0.0/8 or `[::1]`, with or without a port.
fn names_this_machine(authority: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(&format!("http://{authority}")) else {
        return false;
    };
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A web page the developer has open can reach a sandbox on loopback: by a name of its own
/// that resolves to 127.0.0.1 (DNS rebinding: the browser sends that name as `Host`, and
/// the page reads the answers, the ledger's numbers and texts among them), or by a cross-site
/// form POST (no answer read, but `/_sandbox/reset` empties the ledger). On a loopback
/// connection both are refused: a `Host` that is not this machine's, and an `Origin` that is
/// not (browsers send one with every cross-site POST). A sandbox reached over the network
/// (bound to 0.0.0.0 in a container) is left as configured.
fn refused_as_cross_site(parts: &hyper::http::request::Parts) -> Option<Resp> {
    let on_loopback = parts
        .extensions
        .get::<OnLoopback>()
        .is_some_and(|OnLoopback(yes)| *yes);
    if !on_loopback {
        return None;
    }
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(host) = header(hyper::header::HOST) {
        if !names_this_machine(host) {
            return Some(respond::message(
                StatusCode::MISDIRECTED_REQUEST,
                "this sandbox answers only requests addressed to this machine \
                 (Host: 127.0.0.1, [::1] or localhost)",
            ));
        }
    }
    if let Some(origin) = header(hyper::header::ORIGIN) {
        let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
        if !names_this_machine(authority) {
            return Some(respond::message(
                StatusCode::FORBIDDEN,
                "this sandbox refuses requests from web pages of other sites",
            ));
        }
    }
    None
}

enum Body {
    Read(Bytes),
    TooLarge,
    /// Not all there within the read timeout.
    Stalled,
}

/// Reads the whole body, up to [`MAX_BODY_BYTES`] and within `timeout`: a client that sends
/// headers and then stops would otherwise hold its connection and task for ever.
async fn read_body(body: Incoming, timeout: Duration) -> Body {
    match tokio::time::timeout(timeout, Limited::new(body, MAX_BODY_BYTES).collect()).await {
        Ok(Ok(collected)) => Body::Read(collected.to_bytes()),
        Ok(Err(_)) => Body::TooLarge,
        Err(_) => Body::Stalled,
    }
}

/// `408`, and the connection closed: what is left of the body can no longer be told apart
/// from a next request.
fn body_timeout() -> Resp {
    let mut resp = respond::message(StatusCode::REQUEST_TIMEOUT, BODY_TIMEOUT);
    resp.headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    resp
}

pub async fn handle(state: Arc<State>, req: hyper::Request<Incoming>) -> Resp {
    let kill = req.extensions().get::<KillSwitch>().cloned();
    let (parts, body) = req.into_parts();
    if let Some(refusal) = refused_as_cross_site(&parts) {
        return refusal;
    }
    let path = parts.uri.path().to_string();
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let (body, too_large, stalled) = match read_body(body, state.read_timeout).await {
        Body::Read(bytes) => (bytes, false, false),
        Body::TooLarge => (Bytes::new(), true, false),
        Body::Stalled => (Bytes::new(), false, true),
    };
    let request = Request { query, body };
    if let Some(rest) = path.strip_prefix(ADMIN_PREFIX) {
        if stalled {
            return body_timeout();
        }
        return admin::handle(&state, &parts.method, rest, &request);
    }
    let route = Route::of(&parts.method, &path);
    let endpoint = route.endpoint;
    bump(&state.counters.requests, 1);
    if stalled {
        return with_window(body_timeout(), state.windows.peek(endpoint), false);
    }
    let faults = state.faults();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    // Authenticated before anything is counted: a request without a valid token is the
    // caller's mistake, not the organization's traffic, and must not use up its windows (nor
    // a forced 429). It is answered 401 whatever the windows say.
    if !authorized(&state, parts.headers.get(AUTHORIZATION), &request) {
        let resp = respond::message(StatusCode::UNAUTHORIZED, respond::UNAUTHORIZED);
        return with_window(resp, state.windows.peek(endpoint), false);
    }
    if state.take_burst() {
        bump(&state.counters.rate_limited, 1);
        let window = state.windows.peek(endpoint);
        return with_window(respond::empty(StatusCode::TOO_MANY_REQUESTS), window, true);
    }
    let window = state.windows.hit(endpoint);
    if !window.allowed {
        bump(&state.counters.rate_limited, 1);
        return with_window(respond::empty(StatusCode::TOO_MANY_REQUESTS), window, true);
    }
    let (error_draw, drop_draw) = if faults.error_rate > 0.0 || faults.drop_after_commit_rate > 0.0
    {
        state.fault_draws()
    } else {
        (1.0, 1.0)
    };
    if error_draw < faults.error_rate {
        bump(&state.counters.injected_errors, 1);
        let resp = respond::message(StatusCode::INTERNAL_SERVER_ERROR, respond::INTERNAL_ERROR);
        return with_window(resp, window, false);
    }
    if too_large {
        let resp = respond::message(StatusCode::PAYLOAD_TOO_LARGE, BODY_TOO_LARGE);
        return with_window(resp, window, false);
    }
    let outcome = dispatch(&state, route, &request);
    let drop_it = outcome.committed && drop_draw < faults.drop_after_commit_rate;
    if let (true, Some(KillSwitch(kill))) = (drop_it, kill) {
        bump(&state.counters.dropped_connections, 1);
        kill.notify_one();
        // The connection task drops the connection; this response must never be written.
        std::future::pending::<()>().await;
    }
    with_window(outcome.resp, window, false)
}

fn authorized(state: &State, header: Option<&HeaderValue>, req: &Request) -> bool {
    let from_header = header.and_then(|v| v.to_str().ok()).and_then(|v| {
        let (scheme, token) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    });
    match from_header.or_else(|| req.param("access_token")) {
        Some(token) => constant_time_eq(token.as_bytes(), state.token.as_bytes()),
        None => !state.require_token,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn with_window(mut resp: Resp, window: WindowState, exhausted: bool) -> Resp {
    let remaining = if exhausted { 0 } else { window.remaining };
    let headers = resp.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(window.limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    headers.insert("x-ratelimit-reset", HeaderValue::from(window.reset));
    resp
}

fn dispatch(state: &State, route: Route, req: &Request) -> sms::Committed {
    match route.endpoint {
        Endpoint::SmsCreate => sms::create(state, req),
        Endpoint::SmsBulk => sms::bulk(state, req),
        Endpoint::VerifyCreate => verify::create(state, req),
        endpoint => {
            let resp = match endpoint {
                Endpoint::SmsList => sms::list(state, req),
                Endpoint::SmsGet => sms::get(state, &route.id),
                Endpoint::SmsPrices => account::sms_prices(),
                Endpoint::LookupCreate => lookup::create(state, req),
                Endpoint::LookupList => lookup::list(state, req),
                Endpoint::LookupGet => lookup::get(state, &route.id),
                Endpoint::LookupPrices => account::lookup_prices(),
                Endpoint::Account => account::account(state),
                Endpoint::VerifyList => verify::list(state, req),
                Endpoint::VerifyGet => verify::check(state, &route.id, req),
                _ => respond::not_found(),
            };
            resp.into()
        }
    }
}
