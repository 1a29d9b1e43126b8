//! The one error type of the SDK. Bindings map [`ErrorKind`] to their own error shapes in
//! exactly one place each; nothing else about an error is binding-specific.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::ratelimit::RateLimit;

/// Per-field messages, as the API reports them under `errors.fields`
/// (`{"to": ["This value is not valid"]}`).
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// What went wrong, coarse enough for a caller to branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400 or 422: the request itself is wrong; not retryable.
    Validation,
    /// 401: token missing, revoked or malformed.
    Unauthorized,
    /// 402: the account has run out of balance.
    PaymentRequired,
    /// 404: the resource does not exist or is not visible to this token.
    NotFound,
    /// 413: the body is too large (bulk: more than 100 items).
    PayloadTooLarge,
    /// 429: rate limited; `Error::retry_after` says when the window resets.
    RateLimited,
    /// 5xx, after the retry budget was spent. For a send or any other call that changes
    /// something, the server may have carried it out ([`Error::maybe_committed`]).
    Server,
    /// The request or the whole retry budget took longer than allowed.
    Timeout,
    /// The connection could not be made or broke before anything was sent.
    Transport,
    /// The response could not be understood (a redirect, which the SDK does not follow, included),
    /// or a payload (DLR, receipt) could not be parsed.
    Decode,
    /// The caller passed something unusable; nothing was sent.
    InvalidArgument,
    /// A send may or may not have been accepted: an attempt went out and no answer came back,
    /// and no later answer settled it. Look the message up by `clientId`
    /// ([`Client::find_sms_by_client_id`](crate::Client::find_sms_by_client_id)) before resending.
    AmbiguousOutcome,
}

impl ErrorKind {
    /// A stable machine-readable code, shared by every binding (`"RATE_LIMITED"`, …).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Validation => "VALIDATION",
            ErrorKind::Unauthorized => "UNAUTHORIZED",
            ErrorKind::PaymentRequired => "PAYMENT_REQUIRED",
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ErrorKind::RateLimited => "RATE_LIMITED",
            ErrorKind::Server => "SERVER",
            ErrorKind::Timeout => "TIMEOUT",
            ErrorKind::Transport => "TRANSPORT",
            ErrorKind::Decode => "DECODE",
            ErrorKind::InvalidArgument => "INVALID_ARGUMENT",
            ErrorKind::AmbiguousOutcome => "AMBIGUOUS_OUTCOME",
        }
    }

    /// What the kind tells the caller, in a sentence or two: the bindings' documentation of
    /// their error classes and codes.
    pub fn meaning(self) -> &'static str {
        match self {
            ErrorKind::Validation => {
                "The request breaks the API's field rules: refused by the API (HTTP 400 or 422) \
                 or by the SDK's own checks before anything was sent. Not retryable: fix the \
                 request."
            }
            ErrorKind::Unauthorized => {
                "The token is missing, revoked or malformed (HTTP 401 or 403)."
            }
            ErrorKind::PaymentRequired => {
                "The account has run out of balance (HTTP 402); nothing more can be sent until \
                 it is topped up."
            }
            ErrorKind::NotFound => {
                "The resource does not exist or is not visible to this token (HTTP 404)."
            }
            ErrorKind::PayloadTooLarge => {
                "The request is too large (HTTP 413); a bulk request takes at most 100 messages."
            }
            ErrorKind::RateLimited => {
                "Rate limited (HTTP 429) beyond the retries; the error says when the window \
                 resets."
            }
            ErrorKind::Server => {
                "The API failed (HTTP 5xx) until the retries were spent. A call that changes \
                 something may have been carried out: the error says whether it may have been \
                 committed."
            }
            ErrorKind::Timeout => {
                "The request, or the whole retry budget, took longer than allowed."
            }
            ErrorKind::Transport => {
                "The connection could not be made, or broke before anything was sent."
            }
            ErrorKind::Decode => {
                "An answer or a payload could not be understood (a redirect, which the SDK does \
                 not follow, included)."
            }
            ErrorKind::InvalidArgument => "An argument is unusable; nothing was sent.",
            ErrorKind::AmbiguousOutcome => {
                "A send went out and no answer settled it: the message may have been accepted. \
                 Look it up by the error's clientId before sending it again."
            }
        }
    }

    /// Every kind, in a stable order (bindings use it to build their tables and tests).
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Validation,
        ErrorKind::Unauthorized,
        ErrorKind::PaymentRequired,
        ErrorKind::NotFound,
        ErrorKind::PayloadTooLarge,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::Timeout,
        ErrorKind::Transport,
        ErrorKind::Decode,
        ErrorKind::InvalidArgument,
        ErrorKind::AmbiguousOutcome,
    ];

    /// The kind an HTTP error status maps to, or `None` for a success status.
    pub fn from_status(status: u16) -> Option<ErrorKind> {
        Some(match status {
            200..=299 => return None,
            // Redirects are not followed: an API client that did would re-send bodies (and
            // tokens) wherever it was pointed.
            300..=399 => ErrorKind::Decode,
            400 | 422 => ErrorKind::Validation,
            401 | 403 => ErrorKind::Unauthorized,
            402 => ErrorKind::PaymentRequired,
            404 => ErrorKind::NotFound,
            413 => ErrorKind::PayloadTooLarge,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Validation,
        })
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An SDK error. Never contains the API token: messages are built from statuses, response
/// bodies and our own text, and URLs are stripped of their query before they get here.
pub struct Error {
    // Boxed: errors travel in every `Result` of the SDK, and keeping them one pointer wide keeps
    // the happy path cheap.
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    fields: FieldErrors,
    body: Option<String>,
    rate_limit: Option<RateLimit>,
    /// The request may have been carried out: an earlier attempt of it was, or it broke after
    /// being sent.
    maybe_committed: bool,
    /// The response's `Retry-After`, when it gave one.
    retry_after: Option<Duration>,
    /// The `clientId` of the message a failed send was about.
    client_id: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// An error of `kind` with `message` and nothing else; the `with_*` methods add the rest.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                status: None,
                fields: FieldErrors::new(),
                body: None,
                rate_limit: None,
                maybe_committed: false,
                retry_after: None,
                client_id: None,
                source: None,
            }),
        }
    }

    /// An [`ErrorKind::InvalidArgument`]: the caller passed something unusable, nothing was sent.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// An [`ErrorKind::Decode`]: a response or a payload could not be read.
    pub fn decode(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Decode, message)
    }

    /// Sets the HTTP status of the response the error came from.
    pub fn with_status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }

    /// Sets the per-field messages, replacing any.
    pub fn with_fields(mut self, fields: FieldErrors) -> Self {
        self.inner.fields = fields;
        self
    }

    /// Sets the raw response body.
    pub fn with_body(mut self, body: impl Into<String>) -> Self {
        self.inner.body = Some(body.into());
        self
    }

    /// Sets the `X-RateLimit-*` state of the response.
    pub fn with_rate_limit(mut self, rate_limit: Option<RateLimit>) -> Self {
        self.inner.rate_limit = rate_limit;
        self
    }

    /// Sets the underlying error, which [`source`](std::error::Error::source) returns.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    pub(crate) fn with_maybe_committed(mut self, maybe_committed: bool) -> Self {
        self.inner.maybe_committed = maybe_committed;
        self
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.inner.retry_after = retry_after;
        self
    }

    /// The same error under another kind and message; status, body, fields and the rest stay.
    pub(crate) fn reclassified(mut self, kind: ErrorKind, message: String) -> Self {
        self.inner.kind = kind;
        self.inner.message = message;
        self
    }

    /// Masks `secret` wherever the server's answer put it (a 401 that quotes the token back):
    /// errors are printed and logged, and the token must never be. Too short a secret would
    /// mask ordinary words, and no real token is that short.
    pub(crate) fn redacting(mut self, secret: &str) -> Self {
        if secret.len() < 8 {
            return self;
        }
        let mask = |s: &mut String| {
            if s.contains(secret) {
                *s = s.replace(secret, "***");
            }
        };
        let inner = &mut *self.inner;
        mask(&mut inner.message);
        if let Some(body) = &mut inner.body {
            mask(body);
        }
        for messages in inner.fields.values_mut() {
            messages.iter_mut().for_each(mask);
        }
        self
    }

    /// The request itself broke after it was sent ([`ErrorKind::AmbiguousOutcome`]).
    pub(crate) fn perhaps_carried_out(mut self) -> Self {
        self.inner.maybe_committed = true;
        self
    }

    /// Names the message a failed single send was about. An ambiguous outcome's message says
    /// it too, as the C and PHP callers see only the message: the `clientId` is what to look
    /// the message up by, and the SDK may have generated it.
    pub(crate) fn about_message(mut self, client_id: &str) -> Self {
        if self.inner.kind == ErrorKind::AmbiguousOutcome {
            self.inner.message = format!("{} (clientId {client_id:?})", self.inner.message);
        } else if self.may_have_gone_unsaid() {
            self.inner.message = format!(
                "{}; the message may have been sent: send it again only with the same clientId \
                 (the API refuses a second copy), or look it up first (clientId {client_id:?})",
                self.inner.message
            );
        }
        self.inner.client_id = Some(client_id.to_owned());
        self
    }

    /// The answer says the request itself is wrong (400, 413, 422, or the SDK's own check before
    /// sending): an earlier attempt got the same, so it settles whether one was carried out.
    /// An unlisted status read as `Validation` (a proxy's 408) settles nothing.
    pub(crate) fn says_the_request_is_wrong(&self) -> bool {
        match self.inner.status {
            Some(status) => matches!(status, 400 | 413 | 422),
            None => matches!(
                self.inner.kind,
                ErrorKind::Validation | ErrorKind::PayloadTooLarge | ErrorKind::InvalidArgument
            ),
        }
    }

    /// The request may have been carried out and the kind does not say so: its message must.
    pub(crate) fn may_have_gone_unsaid(&self) -> bool {
        self.inner.maybe_committed
            && self.inner.kind != ErrorKind::AmbiguousOutcome
            && !self.says_the_request_is_wrong()
    }

    /// Whether the request that failed may have been carried out anyway: always for
    /// [`ErrorKind::AmbiguousOutcome`]; for a call that changes something (a send, a lookup, a
    /// verify, a raw POST), also after a 5xx, and after a 2xx whose answer could not be read.
    pub fn maybe_committed(&self) -> bool {
        self.inner.maybe_committed
    }

    /// For a failed single send: the message's `clientId`, the caller's or the one the SDK
    /// generated for it.
    pub fn client_id(&self) -> Option<&str> {
        self.inner.client_id.as_deref()
    }

    /// What went wrong, to branch on.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// What went wrong in words, without the kind, status and field messages that `Display` adds.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The HTTP status, when the error came from a response.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// Per-field validation messages (local or from the server).
    pub fn fields(&self) -> &FieldErrors {
        &self.inner.fields
    }

    /// The raw response body, when there was one.
    pub fn body(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }

    /// The `X-RateLimit-*` state of the response that failed.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        self.inner.rate_limit.as_ref()
    }

    /// How long the server asked to wait before trying again: its `Retry-After` on a 429 or a
    /// 5xx, else, for [`ErrorKind::RateLimited`], the time until the window resets. None for
    /// any other error, whose response reported the window too ([`Error::rate_limit`]): waiting
    /// for it would not make a 404 or a 401 succeed.
    pub fn retry_after(&self) -> Option<Duration> {
        match self.inner.kind {
            ErrorKind::RateLimited => self.inner.retry_after.or_else(|| {
                self.inner
                    .rate_limit
                    .as_ref()
                    .and_then(RateLimit::until_reset)
            }),
            ErrorKind::Server => self.inner.retry_after,
            _ => None,
        }
    }

    /// Whether the same request may succeed if sent again later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.inner.kind,
            ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Transport
        )
    }
}

// Named `Error`, as `fn main() -> Result<(), instasent::Error>` prints it, not by its box.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner {
            kind,
            message,
            status,
            fields,
            body,
            rate_limit,
            maybe_committed,
            retry_after,
            client_id,
            source,
        } = &*self.inner;
        f.debug_struct("Error")
            .field("kind", kind)
            .field("message", message)
            .field("status", status)
            .field("fields", fields)
            .field("body", body)
            .field("rate_limit", rate_limit)
            .field("maybe_committed", maybe_committed)
            .field("retry_after", retry_after)
            .field("client_id", client_id)
            .field("source", source)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner.status {
            Some(status) => write!(
                f,
                "{} (HTTP {status}): {}",
                self.inner.kind, self.inner.message
            )?,
            None => write!(f, "{}: {}", self.inner.kind, self.inner.message)?,
        }
        for (field, messages) in &self.inner.fields {
            write!(f, "; {field}: {}", messages.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// `Result` with the SDK's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where to name a value of the caller's input that could not be read (the path
/// `serde_path_to_error` gives, e.g. `[2].to`), so that each binding words a refusal the same
/// way: `path: reason`, or the reason alone when this is `None` (the top of the input). serde's
/// reason for an unknown key already names the key, so the path then stops at the object that
/// holds it: `limits: unknown field `windo`…`, not `limits.windo: unknown field `windo`…`.
pub fn input_path<'a>(path: &'a str, reason: &str) -> Option<&'a str> {
    let unknown_key = reason
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    let path = match unknown_key.and_then(|key| path.strip_suffix(key)) {
        Some("") => "",
        Some(holder) if holder.ends_with('.') => &holder[..holder.len() - 1],
        _ => path,
    };
    (!path.is_empty() && path != ".").then_some(path)
}

/// A refusal of the caller's input worded as every binding words it: `path: reason`, with the
/// path [`input_path`] gives, or the reason alone.
pub fn at_input_path(path: &str, reason: &str) -> String {
    match input_path(path, reason) {
        Some(path) => format!("{path}: {reason}"),
        None => reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_documented_kinds() {
        assert_eq!(ErrorKind::from_status(201), None);
        assert_eq!(ErrorKind::from_status(400), Some(ErrorKind::Validation));
        assert_eq!(ErrorKind::from_status(422), Some(ErrorKind::Validation));
        assert_eq!(ErrorKind::from_status(401), Some(ErrorKind::Unauthorized));
        assert_eq!(
            ErrorKind::from_status(402),
            Some(ErrorKind::PaymentRequired)
        );
        assert_eq!(ErrorKind::from_status(404), Some(ErrorKind::NotFound));
        assert_eq!(
            ErrorKind::from_status(413),
            Some(ErrorKind::PayloadTooLarge)
        );
        assert_eq!(ErrorKind::from_status(429), Some(ErrorKind::RateLimited));
        assert_eq!(ErrorKind::from_status(503), Some(ErrorKind::Server));
    }

    #[test]
    fn display_lists_field_errors() {
        let mut fields = FieldErrors::new();
        fields.insert("to".into(), vec!["This value is not valid".into()]);
        let e = Error::new(ErrorKind::Validation, "rejected")
            .with_status(422)
            .with_fields(fields);
        assert_eq!(
            e.to_string(),
            "VALIDATION (HTTP 422): rejected; to: This value is not valid"
        );
    }

    #[test]
    fn codes_are_unique() {
        let codes: std::collections::HashSet<_> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
    }

    #[test]
    fn input_path_names_where_a_value_sits_and_an_unknown_key_once() {
        let why = "invalid type: integer `5`, expected a string";
        assert_eq!(input_path("[2].to", why), Some("[2].to"));
        assert_eq!(input_path(".", why), None);
        assert_eq!(input_path("", why), None);
        let unknown = "unknown field `windo`, expected one of `window_secs`";
        assert_eq!(input_path("limits.windo", unknown), Some("limits"));
        assert_eq!(input_path("windo", unknown), None);
        assert_eq!(input_path("[3].windo", unknown), Some("[3]"));
        // A path that does not end with the key's segment is kept whole.
        assert_eq!(input_path("limits", unknown), Some("limits"));
        assert_eq!(input_path("xwindo", unknown), Some("xwindo"));
        assert_eq!(at_input_path("[2].to", why), format!("[2].to: {why}"));
        assert_eq!(at_input_path("windo", unknown), unknown);
    }
}
