//! One place where requests leave the SDK: authentication, pacing, retries and the mapping of
//! HTTP outcomes to [`Error`]. Resource modules build requests and read bodies, nothing else.

use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use super::answer::{self, BodyError};
use super::pacer::{Pacer, Slot, POLL};
use super::retry::RetryPolicy;
use super::tls;
use super::token::{Token, TokenPlacement};
use crate::error::{Error, ErrorKind, Result};
use crate::ratelimit::RateLimit;

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
    /// The request could change something (not a GET): a success it cannot read still took
    /// effect.
    pub may_act: bool,
    /// To mask in an error built from this answer later.
    token: Token,
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
    /// Per attempt; shortened for an attempt that would outlive the retry budget.
    timeout: Duration,
    /// A retry with less of the budget left than this is not started.
    connect_timeout: Duration,
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

/// The budget of a policy whose `max_elapsed` is too long to add to a clock: a century.
const NO_DEADLINE: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

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
            // A redirect is an error (`answer::http_error`): following one would send the
            // request, its body and its retries wherever a proxy or a broken server pointed,
            // turn a POST into a GET that "succeeds", and put the token in a Referer.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .tcp_nodelay(true);
        // A proxy from the environment (`HTTP_PROXY`, `ALL_PROXY`) is for leaving the machine:
        // through it, a request to a local sandbox would carry the token and the messages to the
        // proxy, in clear for plain http.
        let builder = if crate::client::is_loopback(&cfg.base) {
            builder.no_proxy()
        } else {
            builder
        };
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
            timeout: cfg.timeout,
            connect_timeout: cfg.connect_timeout,
        })
    }

    pub(crate) fn base(&self) -> &Url {
        &self.base
    }

    pub(crate) fn latest_rate_limit(&self) -> Option<RateLimit> {
        self.pacer.latest()
    }

    /// Sends `req`, retrying 429, 5xx and broken connections within the policy. A 2xx comes
    /// back as `Ok`; any other status as an `Error` carrying status, body and field errors,
    /// with the token masked wherever the answer quoted it.
    pub(crate) async fn execute(&self, req: &ApiRequest) -> Result<RawResponse> {
        self.execute_with_retries(req)
            .await
            .map_err(|e| e.redacting(self.token.secret()))
    }

    async fn execute_with_retries(&self, req: &ApiRequest) -> Result<RawResponse> {
        // A budget too long to add (`Duration::MAX`: "no limit") panicked here.
        let now = Instant::now();
        let deadline = now
            .checked_add(self.retry.max_elapsed)
            .unwrap_or_else(|| now + NO_DEADLINE);
        let mut tries = Tries::default();
        // Retrying after the server may have acted is only safe where a repeat cannot take
        // effect twice: reads, and the sends this SDK always gives a `clientId`. Anything else
        // (lookups, verify, raw calls) is retried only when it certainly was not processed.
        let repeat_is_safe = req.method == Method::GET || is_send(req);
        let may_act = !req.method.is_safe();
        // What the call ends with if the next retry cannot be made.
        let mut previous: Option<Error> = None;
        loop {
            tries.attempts += 1;
            let left = deadline.saturating_duration_since(Instant::now());
            let mut slot = self.pace(req.endpoint, left).await;
            let left = deadline.saturating_duration_since(Instant::now());
            if let Some(previous) = previous.take() {
                // A retry that could not even connect before the budget ends is not started.
                if left < self.connect_timeout {
                    return Err(previous);
                }
            }
            let started = Instant::now();
            let outcome = self.attempt(req, left).await;
            log_attempt(req, &outcome, tries.attempts, started.elapsed());
            let out_of_budget =
                tries.attempts >= self.retry.max_attempts || Instant::now() >= deadline;
            let (wait, error) = match outcome {
                Attempt::Response(resp) => 'answered: {
                    let status = resp.status();
                    let rate_limit = RateLimit::from_headers(|name| {
                        resp.headers().get(name).and_then(|v| v.to_str().ok())
                    });
                    if let Some(slot) = slot.take() {
                        self.pacer.observe(slot, rate_limit);
                    }
                    // Kept for an error only: a success needs none of them.
                    let headers = if status.is_success() {
                        HeaderMap::new()
                    } else {
                        resp.headers().clone()
                    };
                    let body = match answer::read_body(resp).await {
                        Ok(body) => body,
                        Err(BodyError::Broken(e)) => {
                            tries.maybe_committed |= may_act;
                            tries.unanswered = true;
                            let error = self.unanswered(req, e, tries.attempts);
                            if out_of_budget || !repeat_is_safe {
                                return Err(self.conclude(req, error, &tries));
                            }
                            break 'answered (self.retry.backoff(tries.attempts), error);
                        }
                        Err(BodyError::TooLarge) => {
                            // A success was carried out, whatever it said.
                            tries.maybe_committed |= may_act && status.is_success();
                            let error = self.too_large(req, status, rate_limit);
                            return Err(self.conclude(req, error, &tries));
                        }
                    };
                    if status.is_success() {
                        return Ok(RawResponse {
                            status: status.as_u16(),
                            body,
                            rate_limit,
                            maybe_committed: tries.maybe_committed,
                            may_act,
                            token: self.token.clone(),
                        });
                    }
                    let error = answer::http_error(status, &headers, &body, rate_limit);
                    let wait = match status.as_u16() {
                        429 if !out_of_budget => error
                            .retry_after()
                            .unwrap_or_else(|| self.retry.backoff(tries.attempts)),
                        500..=599 => {
                            // A 5xx may still have committed the request: remember, so a later
                            // "clientId already used" is read as success.
                            tries.maybe_committed |= may_act;
                            if out_of_budget || !repeat_is_safe {
                                return Err(self.conclude(req, error, &tries));
                            }
                            error
                                .retry_after()
                                .unwrap_or_else(|| self.retry.backoff(tries.attempts))
                        }
                        _ => return Err(self.conclude(req, error, &tries)),
                    };
                    // Waiting longer than this for the server's leave only delays the same
                    // answer: it is the caller's to wait for, with `retry_after` in hand.
                    if wait > self.retry.max_rate_limit_wait {
                        return Err(self.conclude(req, error, &tries));
                    }
                    (wait, error)
                }
                Attempt::NotSent(e) => {
                    let error = self.unanswered(req, e, tries.attempts);
                    if out_of_budget {
                        return Err(self.conclude(req, error, &tries));
                    }
                    (self.retry.backoff(tries.attempts), error)
                }
                Attempt::Unanswered(e) => {
                    tries.maybe_committed |= may_act;
                    tries.unanswered = true;
                    let error = self.unanswered(req, e, tries.attempts);
                    if out_of_budget || !repeat_is_safe {
                        return Err(self.conclude(req, error, &tries));
                    }
                    (self.retry.backoff(tries.attempts), error)
                }
            };
            let error = self.conclude(req, error, &tries);
            // A retry that could not start before the budget ends is not waited for.
            if Instant::now() + wait >= deadline {
                return Err(error);
            }
            // Retries are the one thing a caller cannot see from the result: logged a level
            // above the attempts, so `info` shows them without a line per request.
            tracing::info!(
                endpoint = req.endpoint,
                after = %error.kind(),
                next_attempt = tries.attempts + 1,
                max_attempts = self.retry.max_attempts,
                wait_ms = millis(wait),
                "retrying"
            );
            previous = Some(error);
            // An unanswered request no longer counts as in flight while we back off.
            drop(slot);
            tokio::time::sleep(wait).await;
        }
    }

    /// Waits until the endpoint's window has room, for at most `budget`; `None` when pacing
    /// is off.
    async fn pace(&self, endpoint: &'static str, budget: Duration) -> Option<Slot<'_>> {
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
        let until = Instant::now() + budget;
        loop {
            match self.pacer.reserve(endpoint) {
                Ok(slot) => return Some(slot),
                Err(wait) if wait > longest || Instant::now() + wait > until => {
                    return Some(self.pacer.start_now(endpoint))
                }
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    async fn attempt(&self, req: &ApiRequest, budget_left: Duration) -> Attempt {
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
                pairs.append_pair("access_token", self.token.secret());
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let mut builder = self
            .http
            .request(req.method.clone(), url)
            .header("accept", "application/json");
        // Cut to what is left of the budget, but never below the connect timeout: a shorter
        // one would fire while connecting and read as a request sent and left unanswered.
        let cut = budget_left.max(self.connect_timeout);
        if cut < self.timeout {
            builder = builder.timeout(cut);
        }
        if self.placement == TokenPlacement::Header {
            builder = builder.bearer_auth(self.token.secret());
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

    /// The error a call ends with, its last attempt having ended in `error`. For a call that
    /// changes something, an attempt that went out unanswered makes the outcome ambiguous
    /// whatever came after (a 429, a 503 or a refused connection on the retry says nothing
    /// about it), and so does a 5xx to a send. Only an answer that the request itself is wrong,
    /// which the first attempt got too, settles it.
    fn conclude(&self, req: &ApiRequest, error: Error, tries: &Tries) -> Error {
        if error.kind() == ErrorKind::AmbiguousOutcome {
            return error;
        }
        let settled = error.says_the_request_is_wrong();
        if !req.method.is_safe() && !settled {
            let why = if tries.unanswered {
                Some(format!(
                    "an attempt was sent and got no answer, and the retries did not settle it \
                     (the last: {error})"
                ))
            } else if tries.maybe_committed && is_send(req) {
                Some(format!("the API answered {error}"))
            } else {
                None
            };
            if let Some(why) = why {
                let message = format!("{}: {why}; {}", req.endpoint, what_to_check(req));
                return error
                    .reclassified(ErrorKind::AmbiguousOutcome, message)
                    .perhaps_carried_out();
            }
        }
        // Kept for a 422 too: "clientId already used" after an attempt that may have gone is
        // that attempt's success (the send path reads it so).
        error.with_maybe_committed(tries.maybe_committed)
    }

    fn too_large(
        &self,
        req: &ApiRequest,
        status: StatusCode,
        rate_limit: Option<RateLimit>,
    ) -> Error {
        Error::decode(format!(
            "{}: the API's answer (HTTP {}) is larger than {} MiB, more than any answer of the \
             API; it was not read",
            req.endpoint,
            status.as_u16(),
            answer::MAX_ANSWER_BYTES >> 20
        ))
        .with_status(status.as_u16())
        .with_rate_limit(rate_limit)
    }

    fn unanswered(&self, req: &ApiRequest, e: reqwest::Error, attempts: u32) -> Error {
        let host = host_of(&self.base);
        let what = if e.is_timeout() {
            format!("no answer came from the API at {host} in time")
        } else {
            // Where and why, as the caller of a binding sees only this message: "connection
            // refused" and "failed to lookup address" ask for different fixes.
            format!(
                "the connection to the API at {host} broke ({})",
                root_cause(&e)
            )
        };
        if !e.is_connect() && !req.method.is_safe() {
            let retries = match attempts {
                1 => String::new(),
                2 => " (its retry could not settle it)".into(),
                n => format!(" ({} retries could not settle it)", n - 1),
            };
            return Error::new(
                ErrorKind::AmbiguousOutcome,
                format!(
                    "{}: the request was sent, but {what}{retries}; {}",
                    req.endpoint,
                    what_to_check(req)
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
        let message = if e.is_connect() {
            format!(
                "{}: could not reach the API at {host} ({})",
                req.endpoint,
                root_cause(&e)
            )
        } else {
            format!("{}: {what}", req.endpoint)
        };
        Error::new(kind, message).with_source(e)
    }
}

/// One debug line per attempt. Only the endpoint's template is named (never a path, which may
/// hold an id or a phone number), and never the token or a body.
fn log_attempt(req: &ApiRequest, outcome: &Attempt, attempt: u32, took: Duration) {
    let elapsed_ms = millis(took);
    match outcome {
        Attempt::Response(resp) => tracing::debug!(
            endpoint = req.endpoint,
            status = resp.status().as_u16(),
            attempt,
            elapsed_ms,
            "answered"
        ),
        Attempt::NotSent(e) => tracing::debug!(
            endpoint = req.endpoint,
            attempt,
            elapsed_ms,
            cause = %root_cause(e),
            "not sent"
        ),
        Attempt::Unanswered(e) => tracing::debug!(
            endpoint = req.endpoint,
            attempt,
            elapsed_ms,
            cause = %if e.is_timeout() { "timed out".to_string() } else { root_cause(e) },
            "sent, no answer"
        ),
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// How one call's attempts went so far.
#[derive(Default)]
struct Tries {
    attempts: u32,
    /// The server may have carried out an attempt: it answered 5xx, or the attempt went out and
    /// no answer came back.
    maybe_committed: bool,
    /// An attempt went out and no answer came back: only the API knows what became of it.
    unanswered: bool,
}

/// The sends, whose every message carries a `clientId` the API refuses a second time.
fn is_send(req: &ApiRequest) -> bool {
    matches!(req.endpoint, "POST /sms" | "POST /sms/bulk")
}

/// What to do about a call that may have been carried out.
fn what_to_check(req: &ApiRequest) -> &'static str {
    if is_send(req) {
        "the message may have been sent: look it up by its clientId before sending it again"
    } else {
        "the API may have carried it out: check before repeating it"
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
        answer::parse_body(&self.body).map_err(|e| self.undecodable(e))
    }

    /// A successful answer the SDK could not read keeps its status and body: the request took
    /// effect (a send was charged), and the caller needs what came back to tell what it was.
    pub(crate) fn undecodable(&self, e: Error) -> Error {
        e.with_status(self.status)
            .with_body(String::from_utf8_lossy(&self.body))
            .with_rate_limit(self.rate_limit)
            .with_maybe_committed(self.may_act)
            .redacting(self.token.secret())
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
}
