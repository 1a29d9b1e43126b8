//! One place where requests leave the SDK: authentication, pacing, retries and the mapping of
//! HTTP outcomes to [`Error`]. Resource modules build requests and read bodies, nothing else.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use super::pacer::{Pacer, Slot, POLL};
use super::retry::RetryPolicy;
use super::tls;
use crate::error::{Error, ErrorKind, FieldErrors, Result};
use crate::ratelimit::RateLimit;

/// Where the token goes (docs: transactional-api/http/authentication).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TokenPlacement {
    /// `Authorization: Bearer …` — recommended, never ends up in URLs or logs.
    #[default]
    Header,
    /// `?access_token=…` — for gateways that strip headers.
    Query,
}

/// The API token. Its `Debug` never shows the value.
#[derive(Clone)]
pub(crate) struct Token(String);

impl Token {
    pub(crate) fn new(value: String) -> Self {
        Token(value)
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

/// One logical API call; retried attempts reuse its body byte for byte (and so its `clientId`s).
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    pub method: Method,
    /// Path below the base URL, e.g. `/sms/bulk`.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<bytes::Bytes>,
    /// Rate limits are per endpoint: the pacing key (`"POST /sms/bulk"`).
    pub endpoint: &'static str,
}

/// What came back, after retries.
#[derive(Debug, Clone)]
pub(crate) struct RawResponse {
    pub status: u16,
    /// The body as received; parsed by whoever reads it (campaigns skip the generic JSON tree).
    pub body: bytes::Bytes,
    pub rate_limit: Option<RateLimit>,
    /// An earlier attempt may have been committed by the server (a 5xx, or a request sent and
    /// left unanswered). Not set by a 429 or a refused connection: those commit nothing, so a
    /// "clientId already used" after them is the caller's own reuse, not an earlier attempt.
    pub maybe_committed: bool,
}

#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    base: Url,
    token: Token,
    placement: TokenPlacement,
    retry: RetryPolicy,
    pacing: bool,
    pacer: Pacer,
}

pub(crate) struct TransportConfig {
    pub base: Url,
    pub token: Token,
    pub placement: TokenPlacement,
    pub retry: RetryPolicy,
    pub pacing: bool,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub user_agent: String,
    pub max_idle_per_host: usize,
}

enum Attempt {
    Response(reqwest::Response),
    /// Nothing reached the server (connection refused, DNS, TLS handshake).
    NotSent(reqwest::Error),
    /// The request may have reached the server; no answer came back.
    Unanswered(reqwest::Error),
}

/// How long an idle connection is kept for reuse.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(25);

impl Transport {
    pub(crate) fn new(cfg: TransportConfig) -> Result<Transport> {
        let builder = reqwest::Client::builder()
            .user_agent(cfg.user_agent)
            .timeout(cfg.timeout)
            .connect_timeout(cfg.connect_timeout)
            .pool_max_idle_per_host(cfg.max_idle_per_host)
            // Below the idle timeouts servers and load balancers commonly close a kept-alive
            // connection at (60 s and more; the sandbox's 30 s): a connection reused just as
            // the server closes it fails a request that never reached it.
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .tcp_nodelay(true);
        // Every request goes to `base`, so a plain-http client never needs a certificate.
        let builder = if cfg.base.scheme() == "https" {
            let tls = tls::shared_https_config().map_err(|e| {
                Error::new(
                    ErrorKind::Transport,
                    format!(
                        "could not load the system's root certificates, needed to reach {}",
                        host_of(&cfg.base)
                    ),
                )
                .with_source(e)
            })?;
            builder.tls_backend_preconfigured(tls)
        } else {
            builder.tls_certs_only(std::iter::empty())
        };
        let http = builder.build().map_err(|e| {
            Error::new(ErrorKind::Transport, "could not build the HTTP client")
                .with_source(e.without_url())
        })?;
        Ok(Transport {
            http,
            base: cfg.base,
            token: cfg.token,
            placement: cfg.placement,
            retry: cfg.retry,
            pacing: cfg.pacing,
            pacer: Pacer::default(),
        })
    }

    pub(crate) fn base(&self) -> &Url {
        &self.base
    }

    pub(crate) fn latest_rate_limit(&self) -> Option<RateLimit> {
        self.pacer.latest()
    }

    /// Sends `req`, retrying 429, 5xx and broken connections within the policy. A 2xx comes
    /// back as `Ok`; any other status as an `Error` carrying status, body and field errors.
    pub(crate) async fn execute(&self, req: &ApiRequest) -> Result<RawResponse> {
        let started = Instant::now();
        let mut attempt = 0u32;
        let mut maybe_committed = false;
        // Retrying after the server may have acted is only safe where a repeat cannot take
        // effect twice: reads, and the sends this SDK always gives a `clientId`. Anything else
        // (lookups, verify, raw calls) is retried only when it certainly was not processed.
        let repeat_is_safe =
            req.method == Method::GET || matches!(req.endpoint, "POST /sms" | "POST /sms/bulk");
        loop {
            attempt += 1;
            let mut slot = self.pace(req.endpoint).await;
            let outcome = self.attempt(req).await;
            let out_of_budget =
                attempt >= self.retry.max_attempts || started.elapsed() >= self.retry.max_elapsed;
            let wait = match outcome {
                Attempt::Response(resp) => {
                    let status = resp.status();
                    let rate_limit = RateLimit::from_headers(|name| {
                        resp.headers().get(name).and_then(|v| v.to_str().ok())
                    });
                    if let Some(slot) = slot.take() {
                        self.pacer.observe(slot, rate_limit);
                    }
                    let body = match resp.bytes().await {
                        Ok(body) => body,
                        Err(e) => {
                            maybe_committed = true;
                            if out_of_budget || !repeat_is_safe {
                                return Err(self.unanswered(req, e, attempt, maybe_committed));
                            }
                            tokio::time::sleep(self.retry.backoff(attempt)).await;
                            continue;
                        }
                    };
                    if status.is_success() {
                        return Ok(RawResponse {
                            status: status.as_u16(),
                            body,
                            rate_limit,
                            maybe_committed,
                        });
                    }
                    let error = http_error(status, &body, rate_limit);
                    match status.as_u16() {
                        429 if !out_of_budget => {
                            let wait = error
                                .retry_after()
                                .unwrap_or_else(|| self.retry.backoff(attempt));
                            if wait > self.retry.max_rate_limit_wait {
                                return Err(error.with_attempts_hint(attempt, maybe_committed));
                            }
                            tracing::debug!(
                                endpoint = req.endpoint,
                                ?wait,
                                "rate limited; waiting for the window to reset"
                            );
                            wait
                        }
                        500..=599 if !out_of_budget && repeat_is_safe => {
                            // A 5xx may still have committed the request: remember, so a later
                            // "clientId already used" is read as success.
                            maybe_committed = true;
                            tracing::debug!(
                                endpoint = req.endpoint,
                                status = status.as_u16(),
                                "server error; retrying"
                            );
                            self.retry.backoff(attempt)
                        }
                        _ => {
                            return Err(error.with_attempts_hint(attempt, maybe_committed));
                        }
                    }
                }
                Attempt::NotSent(e) => {
                    if out_of_budget {
                        return Err(self.unanswered(req, e, attempt, maybe_committed));
                    }
                    self.retry.backoff(attempt)
                }
                Attempt::Unanswered(e) => {
                    maybe_committed = true;
                    if out_of_budget || !repeat_is_safe {
                        return Err(self.unanswered(req, e, attempt, maybe_committed));
                    }
                    tracing::debug!(
                        endpoint = req.endpoint,
                        "no answer; retrying with the same body"
                    );
                    self.retry.backoff(attempt)
                }
            };
            // An unanswered request no longer counts as in flight while we back off.
            drop(slot);
            tokio::time::sleep(wait).await;
        }
    }

    /// Waits until the endpoint's window has room; `None` when pacing is off.
    async fn pace(&self, endpoint: &'static str) -> Option<Slot<'_>> {
        if !self.pacing {
            return None;
        }
        // Waiting longer than a 429 would be waited for only delays the same answer: the
        // request goes, and the 429 is handled as any other (returned at once when retries are
        // off, so a caller who asked for no retries is never held for a window's reset).
        let longest = if self.retry.max_attempts > 1 {
            self.retry.max_rate_limit_wait
        } else {
            POLL
        };
        loop {
            match self.pacer.reserve(endpoint) {
                Ok(slot) => return Some(slot),
                Err(wait) if wait > longest => return Some(self.pacer.start_now(endpoint)),
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    async fn attempt(&self, req: &ApiRequest) -> Attempt {
        let mut url = self.base.clone();
        {
            let path = format!("{}{}", self.base.path().trim_end_matches('/'), req.path);
            url.set_path(&path);
        }
        {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &req.query {
                pairs.append_pair(k, v);
            }
            if self.placement == TokenPlacement::Query {
                pairs.append_pair("access_token", &self.token.0);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let mut builder = self
            .http
            .request(req.method.clone(), url)
            .header("accept", "application/json");
        if self.placement == TokenPlacement::Header {
            builder = builder.bearer_auth(&self.token.0);
        }
        if let Some(body) = &req.body {
            builder = builder
                .header("content-type", "application/json")
                .body(body.clone());
        }
        match builder.send().await {
            Ok(resp) => Attempt::Response(resp),
            Err(e) if e.is_connect() => Attempt::NotSent(e.without_url()),
            Err(e) => Attempt::Unanswered(e.without_url()),
        }
    }

    fn unanswered(
        &self,
        req: &ApiRequest,
        e: reqwest::Error,
        attempts: u32,
        maybe_committed: bool,
    ) -> Error {
        // Any method but a read may have changed something on the server (a raw PUT or DELETE).
        if maybe_committed && !req.method.is_safe() {
            let retries = match attempts {
                1 => String::new(),
                2 => " and its retry could not settle it".into(),
                n => format!(" and {} retries could not settle it", n - 1),
            };
            let check = if matches!(req.endpoint, "POST /sms" | "POST /sms/bulk") {
                "the message may have been sent: look it up by its clientId before sending it again"
            } else {
                "the API may have carried it out: check before repeating it"
            };
            return Error::new(
                ErrorKind::AmbiguousOutcome,
                format!(
                    "{}: the connection broke after the request was sent{retries}; {check}",
                    req.endpoint
                ),
            )
            .perhaps_carried_out()
            .with_source(e);
        }
        let kind = if e.is_timeout() {
            ErrorKind::Timeout
        } else {
            ErrorKind::Transport
        };
        let what = if e.is_timeout() {
            format!("timed out waiting for the API at {}", host_of(&self.base))
        } else {
            // Where and why, as the caller of a binding sees only this message: "connection
            // refused" and "failed to lookup address" ask for different fixes.
            format!(
                "could not reach the API at {} ({})",
                host_of(&self.base),
                root_cause(&e)
            )
        };
        Error::new(kind, format!("{}: {what}", req.endpoint)).with_source(e)
    }
}

/// `host:port` of the base URL, to say which API failed: never its path, query or credentials.
fn host_of(base: &Url) -> String {
    let host = base.host_str().unwrap_or("?");
    match base.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// The innermost error's text (an OS error, a DNS or TLS failure): the layers above it say
/// only that a request failed. URLs never reach here (reqwest errors are stripped of theirs).
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut inner = e;
    while let Some(next) = inner.source() {
        inner = next;
    }
    inner.to_string()
}

impl RawResponse {
    /// The body as JSON; an empty body is `null`.
    pub(crate) fn json(&self) -> Result<Value> {
        parse_body(&self.body).map_err(|e| self.undecodable(e))
    }

    /// A successful answer the SDK could not read keeps its status and body: the request took
    /// effect (a send was charged), and the caller needs what came back to tell what it was.
    pub(crate) fn undecodable(&self, e: Error) -> Error {
        e.with_status(self.status)
            .with_body(String::from_utf8_lossy(&self.body))
            .with_rate_limit(self.rate_limit)
    }
}

fn parse_body(body: &[u8]) -> Result<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body)
        .map_err(|e| Error::decode(format!("the API answered with invalid JSON: {e}")))
}

/// Builds the error of a non-2xx response: `message` and `errors.fields` from the JSON body
/// when there is one (docs: transactional-api/http/errors).
pub(crate) fn http_error(status: StatusCode, body: &[u8], rate_limit: Option<RateLimit>) -> Error {
    let kind = ErrorKind::from_status(status.as_u16()).unwrap_or(ErrorKind::Validation);
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let message = json
        .as_ref()
        .and_then(|j| j.get("message"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| default_message(status));
    let fields: FieldErrors = json
        .as_ref()
        // Documented for bulk items as `fields`; single sends answer `errors.fields`.
        .and_then(|j| j.pointer("/errors/fields").or_else(|| j.get("fields")))
        .and_then(|f| serde_json::from_value(f.clone()).ok())
        .unwrap_or_default();
    let mut error = Error::new(kind, message)
        .with_status(status.as_u16())
        .with_fields(fields)
        .with_rate_limit(rate_limit);
    if !body.is_empty() {
        error = error.with_body(String::from_utf8_lossy(body).into_owned());
    }
    error
}

fn default_message(status: StatusCode) -> String {
    match status.as_u16() {
        401 => "the token is missing, revoked or malformed".into(),
        402 => "the account has run out of balance; top it up in the dashboard".into(),
        404 => "not found, or not visible to this token".into(),
        413 => "the request is too large (a bulk request takes at most 100 messages)".into(),
        429 => "rate limited; retry after X-RateLimit-Reset".into(),
        _ => status
            .canonical_reason()
            .unwrap_or("HTTP error")
            .to_string(),
    }
}

impl Error {
    /// Marks a final non-retryable error that followed an attempt which may have been committed.
    fn with_attempts_hint(self, attempts: u32, maybe_committed: bool) -> Error {
        self.with_retry_context(attempts, maybe_committed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unreachable_api_is_named_with_its_cause_and_never_the_token() {
        let client = crate::testing::no_server()
            .base_url("http://127.0.0.1:9/transactional/v1")
            .token_in_query(true)
            .build()
            .unwrap();
        let e = client.get_account_balance().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Transport);
        let message = e.to_string();
        assert!(
            message.contains("could not reach the API at 127.0.0.1:9 (")
                && message.to_lowercase().contains("refused"),
            "{message}"
        );
        assert!(!message.contains("access_token"), "{message}");
    }

    #[test]
    fn token_debug_is_redacted() {
        let t = Token::new("sk_live_secret".into());
        assert_eq!(format!("{t:?}"), "Token(***)");
    }

    #[test]
    fn http_error_reads_message_and_fields() {
        let body = br#"{"message":"Validation failed","errors":{"fields":{"to":["This value is not valid."]}}}"#;
        let e = http_error(StatusCode::UNPROCESSABLE_ENTITY, body, None);
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.status(), Some(422));
        assert_eq!(e.message(), "Validation failed");
        assert_eq!(
            e.fields()["to"],
            vec!["This value is not valid.".to_string()]
        );
    }

    #[test]
    fn field_errors_are_read_at_the_top_level_too() {
        let body = br#"{"message":"Validation failed","fields":{"clientId":["This value is already used."]}}"#;
        let e = http_error(StatusCode::UNPROCESSABLE_ENTITY, body, None);
        assert_eq!(
            e.fields()["clientId"],
            vec!["This value is already used.".to_string()]
        );
    }

    #[test]
    fn empty_429_gets_a_helpful_message() {
        let e = http_error(StatusCode::TOO_MANY_REQUESTS, b"", None);
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert!(e.message().contains("X-RateLimit-Reset"));
        assert_eq!(e.body(), None);
    }
}
