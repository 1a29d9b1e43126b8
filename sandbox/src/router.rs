//! Request pipeline of the API routes: latency, forced and counted 429s, auth, injected 500s,
//! dispatch, drop-after-commit, and the `X-RateLimit-*` headers every response carries.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION};
use hyper::{Method, StatusCode};
use tokio::sync::Notify;

use crate::admin;
use crate::api::{account, lookup, sms, verify};
use crate::request::Request;
use crate::respond::{self, Resp};
use crate::state::State;
use crate::stats::bump;
use crate::window::{Group, WindowState};

pub const API_PREFIX: &str = "/transactional/v1";
pub const ADMIN_PREFIX: &str = "/_sandbox";
/// Larger bodies are refused with 413 before they are read whole.
pub const MAX_BODY_BYTES: usize = 4 << 20;
pub const BODY_TOO_LARGE: &str = "Request body too large";

/// Closes the connection a request came on without answering it.
#[derive(Clone)]
pub struct KillSwitch(pub Arc<Notify>);

pub async fn handle(state: Arc<State>, req: hyper::Request<Incoming>) -> Resp {
    let kill = req.extensions().get::<KillSwitch>().cloned();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let (body, too_large) = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => (collected.to_bytes(), false),
        Err(_) => (Bytes::new(), true),
    };
    let request = Request { query, body };
    if let Some(rest) = path.strip_prefix(ADMIN_PREFIX) {
        return admin::handle(&state, &parts.method, rest, &request);
    }
    let route = Route::of(&parts.method, &path);
    bump(&state.counters.requests, 1);
    let faults = state.faults();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if state.take_burst() {
        bump(&state.counters.rate_limited, 1);
        let window = state.windows.peek(route.group());
        return with_window(respond::empty(StatusCode::TOO_MANY_REQUESTS), window, true);
    }
    let window = state.windows.hit(route.group());
    if !window.allowed {
        bump(&state.counters.rate_limited, 1);
        return with_window(respond::empty(StatusCode::TOO_MANY_REQUESTS), window, true);
    }
    if !authorized(&state, parts.headers.get(AUTHORIZATION), &request) {
        let resp = respond::message(StatusCode::UNAUTHORIZED, respond::UNAUTHORIZED);
        return with_window(resp, window, false);
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    SmsCreate,
    SmsBulk,
    SmsList,
    SmsGet,
    SmsPrices,
    LookupCreate,
    LookupList,
    LookupGet,
    LookupPrices,
    Account,
    VerifyCreate,
    VerifyList,
    VerifyGet,
    NotFound,
}

struct Route {
    kind: Kind,
    /// The `{id}` segment of the routes that have one.
    id: String,
}

impl Route {
    fn of(method: &Method, path: &str) -> Route {
        let rest = path
            .strip_prefix(API_PREFIX)
            .filter(|r| r.is_empty() || r.starts_with('/'));
        let segments: Vec<&str> = rest
            .unwrap_or("/-")
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let get = method == Method::GET;
        let post = method == Method::POST;
        let mut id = String::new();
        let kind = match segments.as_slice() {
            _ if rest.is_none() => Kind::NotFound,
            ["sms"] if post => Kind::SmsCreate,
            ["sms"] if get => Kind::SmsList,
            ["sms", "bulk"] if post => Kind::SmsBulk,
            ["sms", "price-profile", "me", "countries"] if get => Kind::SmsPrices,
            ["sms", sms_id] if get => {
                id = sms_id.to_string();
                Kind::SmsGet
            }
            ["lookup"] if post => Kind::LookupCreate,
            ["lookup"] if get => Kind::LookupList,
            ["lookup", "price-profile", "me", "countries"] if get => Kind::LookupPrices,
            ["lookup", lookup_id] if get => {
                id = lookup_id.to_string();
                Kind::LookupGet
            }
            ["organization", "account"] if get => Kind::Account,
            ["verify"] if post => Kind::VerifyCreate,
            ["verify"] if get => Kind::VerifyList,
            ["verify", verify_id] if get => {
                id = verify_id.to_string();
                Kind::VerifyGet
            }
            _ => Kind::NotFound,
        };
        Route { kind, id }
    }

    fn group(&self) -> Group {
        match self.kind {
            Kind::SmsCreate => Group::Sms,
            Kind::SmsBulk => Group::Bulk,
            _ => Group::Other,
        }
    }
}

fn dispatch(state: &State, route: Route, req: &Request) -> sms::Committed {
    match route.kind {
        Kind::SmsCreate => sms::create(state, req),
        Kind::SmsBulk => sms::bulk(state, req),
        Kind::VerifyCreate => verify::create(state, req),
        kind => {
            let resp = match kind {
                Kind::SmsList => sms::list(state, req),
                Kind::SmsGet => sms::get(state, &route.id),
                Kind::SmsPrices => account::sms_prices(),
                Kind::LookupCreate => lookup::create(state, req),
                Kind::LookupList => lookup::list(state, req),
                Kind::LookupGet => lookup::get(state, &route.id),
                Kind::LookupPrices => account::lookup_prices(),
                Kind::Account => account::account(state),
                Kind::VerifyList => verify::list(state, req),
                Kind::VerifyGet => verify::check(state, &route.id, req),
                _ => respond::not_found(),
            };
            resp.into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_groups() {
        let r = Route::of(&Method::POST, "/transactional/v1/sms/bulk");
        assert_eq!((r.kind, r.group()), (Kind::SmsBulk, Group::Bulk));
        let r = Route::of(&Method::GET, "/transactional/v1/sms/abc/");
        assert_eq!((r.kind, r.id.as_str()), (Kind::SmsGet, "abc"));
        assert_eq!(
            Route::of(&Method::POST, "/transactional/v1/sms/").kind,
            Kind::SmsCreate
        );
        assert_eq!(
            Route::of(&Method::GET, "/transactional/v1x/sms").kind,
            Kind::NotFound
        );
        assert_eq!(
            Route::of(&Method::DELETE, "/transactional/v1/sms").kind,
            Kind::NotFound
        );
        assert_eq!(Route::of(&Method::GET, "/other").kind, Kind::NotFound);
    }
}
