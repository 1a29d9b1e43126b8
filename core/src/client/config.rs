//! Client options and their defaults.

use std::time::Duration;

use reqwest::Url;

use super::Client;
use crate::error::{Error, Result};
use crate::http::{RetryPolicy, Token, TokenPlacement, Transport, TransportConfig};

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.instasent.com/transactional/v1";
/// Overrides the base URL when the builder is not given one (e.g. to point at the sandbox).
pub const BASE_URL_ENV: &str = "INSTASENT_BASE_URL";
/// Bulk requests in flight at once during a campaign.
pub const DEFAULT_BULK_CONCURRENCY: usize = 8;

/// The most bulk requests a campaign may keep in flight. Far past what any rate limit lets
/// through; above it, queues sized by the concurrency would be a mistake's size, not a plan's.
pub const MAX_BULK_CONCURRENCY: usize = 1024;

/// Refuses a concurrency of 0 or above [`MAX_BULK_CONCURRENCY`]: the one rule for the client's
/// default and a campaign's own option.
pub(crate) fn check_concurrency(concurrency: usize) -> Result<()> {
    if concurrency == 0 {
        return Err(Error::invalid_argument(
            "concurrency must be at least 1 bulk request in flight, got 0",
        ));
    }
    if concurrency > MAX_BULK_CONCURRENCY {
        return Err(Error::invalid_argument(format!(
            "concurrency must be at most {MAX_BULK_CONCURRENCY} bulk requests in flight, got {concurrency}"
        )));
    }
    Ok(())
}

/// Builds a [`Client`]. `Debug` never shows the token.
#[derive(Clone)]
pub struct ClientBuilder {
    token: String,
    base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    bulk_concurrency: usize,
    user_agent: Option<String>,
    placement: TokenPlacement,
    allow_insecure_http: bool,
    pacing: bool,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &"***")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("bulk_concurrency", &self.bulk_concurrency)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Default options for the API token `token` (an `api_sms` token): 30 s per attempt, 10 s to
    /// connect, [`RetryPolicy::default`], pacing on, token in the `Authorization` header, 8 bulk
    /// requests in flight. Nothing is checked until [`build`](Self::build).
    pub fn new(token: impl Into<String>) -> Self {
        ClientBuilder {
            token: token.into(),
            base_url: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            bulk_concurrency: DEFAULT_BULK_CONCURRENCY,
            user_agent: None,
            placement: TokenPlacement::Header,
            allow_insecure_http: false,
            pacing: true,
        }
    }

    /// Base URL of the API; defaults to `$INSTASENT_BASE_URL`, then [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Time limit of one HTTP attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time limit to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed requests are retried (default [`RetryPolicy::default`]). Whatever the policy, a
    /// request the server may have acted on is repeated only when a repeat cannot take effect
    /// twice: reads, and sends, which always carry a `clientId`.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Shorthand: retries after the first attempt (0 disables retrying).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_attempts = retries.saturating_add(1);
        self
    }

    /// Bulk requests in flight at once during a campaign (default 8; 0 and more than
    /// [`MAX_BULK_CONCURRENCY`] are refused by [`build`](Self::build)).
    pub fn bulk_concurrency(mut self, concurrency: usize) -> Self {
        self.bulk_concurrency = concurrency;
        self
    }

    /// Prepended to the SDK's own user agent (`myapp/1.2 instasent-rust/0.1.0`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Send the token as `?access_token=` instead of the `Authorization` header.
    pub fn token_in_query(mut self, yes: bool) -> Self {
        self.placement = if yes {
            TokenPlacement::Query
        } else {
            TokenPlacement::Header
        };
        self
    }

    /// Allow plain `http://` to hosts other than loopback (the token would travel in clear).
    pub fn allow_insecure_http(mut self, yes: bool) -> Self {
        self.allow_insecure_http = yes;
        self
    }

    /// Pace requests by `X-RateLimit-*` so a known window is never exceeded (default on).
    pub fn pacing(mut self, yes: bool) -> Self {
        self.pacing = yes;
        self
    }

    /// The bulk concurrency set so far (see [`bulk_concurrency`](Self::bulk_concurrency)).
    pub fn get_bulk_concurrency(&self) -> usize {
        self.bulk_concurrency
    }

    /// Checks the options and builds the client; no request is made. `InvalidArgument` when the
    /// token is empty or holds spaces or control characters, an option is out of range (no
    /// attempt, no bulk concurrency, a zero timeout, a user agent that is not printable ASCII), or
    /// the base URL is invalid, carries credentials, a query or a fragment, or is plain `http://`
    /// to a host other than loopback without [`allow_insecure_http`](Self::allow_insecure_http).
    /// `Transport` when the system's root certificates cannot be loaded.
    pub fn build(self) -> Result<Client> {
        if self.token.trim().is_empty() {
            return Err(Error::invalid_argument("the API token is empty"));
        }
        if self.token.chars().any(|c| c.is_control() || c == ' ') {
            return Err(Error::invalid_argument(
                "the API token contains spaces or control characters",
            ));
        }
        if self.retry.max_attempts == 0 {
            return Err(Error::invalid_argument(
                "the retry policy's max_attempts counts the first attempt: it must be at least 1",
            ));
        }
        // Checked here, where the option can be named: the HTTP client would refuse it later as
        // a failure to build, which reads like the machine's fault.
        if let Some(ua) = &self.user_agent {
            if !ua.chars().all(|c| matches!(c, ' '..='~')) {
                return Err(Error::invalid_argument(
                    "the user agent must be printable ASCII (it is sent as an HTTP header)",
                ));
            }
        }
        // Refused rather than adjusted, like a campaign's options: a client that silently ran
        // other than configured would be worse.
        check_concurrency(self.bulk_concurrency)?;
        for (what, limit) in [
            ("timeout", self.timeout),
            ("connect timeout", self.connect_timeout),
        ] {
            if limit.is_zero() {
                return Err(Error::invalid_argument(format!(
                    "the {what} must be longer than zero"
                )));
            }
        }
        let raw = match &self.base_url {
            Some(url) => url.clone(),
            None => std::env::var(BASE_URL_ENV)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        };
        let base = parse_base_url(&raw, self.allow_insecure_http)?;
        let user_agent = match &self.user_agent {
            Some(ua) => format!("{ua} instasent-rust/{}", env!("CARGO_PKG_VERSION")),
            None => format!("instasent-rust/{}", env!("CARGO_PKG_VERSION")),
        };
        let transport = Transport::new(TransportConfig {
            base,
            token: Token::new(self.token.clone()),
            placement: self.placement,
            retry: self.retry.clone(),
            pacing: self.pacing,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            user_agent,
            max_idle_per_host: self.bulk_concurrency.max(8).saturating_mul(2),
        })?;
        Ok(Client::from_parts(transport, self))
    }
}

/// `raw` with everything up to its last `@` (after the scheme) replaced by `***`: an error
/// message must not repeat credentials a URL carries, even one too broken to parse, and an
/// unencoded `/`, `?` or `#` in a password is what breaks it, so the host's end cannot be
/// trusted. A path holding `@` is hidden too, which costs nothing.
fn without_credentials(raw: &str) -> String {
    let (scheme, rest) = raw.split_once("://").unwrap_or(("", raw));
    match rest.rfind('@') {
        Some(at) => {
            let sep = if scheme.is_empty() { "" } else { "://" };
            format!("{scheme}{sep}***{}", &rest[at..])
        }
        None => raw.to_string(),
    }
}

/// Whether `url` names this machine: `localhost`, 127.0.0.0/8 or `[::1]`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Only `https://`, or `http://` to loopback (the sandbox), unless explicitly allowed.
fn parse_base_url(raw: &str, allow_insecure_http: bool) -> Result<Url> {
    let url = Url::parse(raw.trim()).map_err(|e| {
        Error::invalid_argument(format!(
            "base URL {:?} is not a valid URL: {e}",
            without_credentials(raw)
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" => {
            if !is_loopback(&url) && !allow_insecure_http {
                return Err(Error::invalid_argument(format!(
                    "refusing plain http:// to {}: the token would travel unencrypted (use https, or allow_insecure_http)",
                    url.host_str().unwrap_or("?")
                )));
            }
        }
        other => {
            return Err(Error::invalid_argument(format!(
                "base URL scheme {other:?} is not http(s)"
            )))
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid_argument(
            "the base URL must not have a query or fragment",
        ));
    }
    // The token is what authenticates. Credentials in the URL would be sent as well, and would
    // show wherever the base URL is shown (a client's repr, a log line).
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_argument(format!(
            "the base URL {:?} carries credentials: the API token authenticates, leave them out",
            without_credentials(raw)
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_base_url_is_not_repeated_with_its_credentials() {
        let e = parse_base_url("https://user:s3cret@exa mple.com/v1", false).unwrap_err();
        let message = e.to_string();
        assert!(!message.contains("s3cret"), "{message}");
        assert!(message.contains("https://***@exa mple.com/v1"), "{message}");
        for broken in [
            "https://user:s3c#ret@api.example.com/v1",
            "https://u:a/b?c@api.example.com/v1",
        ] {
            let message = parse_base_url(broken, false).unwrap_err().to_string();
            assert!(
                !message.contains("s3c") && !message.contains("a/b"),
                "{message}"
            );
        }
        let e = parse_base_url("not a url", false).unwrap_err();
        assert!(e.to_string().contains("\"not a url\""), "{e}");
    }

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(parse_base_url("http://127.0.0.1:8080/transactional/v1", false).is_ok());
        assert!(parse_base_url("http://localhost/x", false).is_ok());
        assert!(parse_base_url("http://[::1]:9/x", false).is_ok());
        let err = parse_base_url("http://api.example.com/x", false).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument);
        assert!(parse_base_url("http://api.example.com/x", true).is_ok());
        assert!(parse_base_url("ftp://x", true).is_err());
    }

    #[test]
    fn a_base_url_with_credentials_is_refused_without_repeating_them() {
        for url in [
            "https://u:PW-secret@api.example/v1",
            "https://u@api.example/v1",
        ] {
            let err = Client::builder("t").base_url(url).build().unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument);
            assert!(err.message().contains("credentials"), "{err}");
            assert!(!err.message().contains("PW-secret"), "{err}");
        }
    }

    #[test]
    fn a_user_agent_that_is_no_header_value_is_an_invalid_argument() {
        for ua in ["a\r\nb", "café"] {
            let err = Client::builder("t")
                .base_url("http://127.0.0.1:1/v1")
                .user_agent(ua)
                .build()
                .unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument);
            assert!(err.message().contains("user agent"), "{err}");
        }
        assert!(Client::builder("t")
            .base_url("http://127.0.0.1:1/v1")
            .user_agent("acme-crm/2.1 (+https://acme.example)")
            .build()
            .is_ok());
    }

    #[test]
    fn builder_debug_hides_token() {
        let b = ClientBuilder::new("sk_very_secret_token");
        assert!(!format!("{b:?}").contains("sk_very_secret_token"));
    }

    #[test]
    fn options_out_of_range_are_refused_not_adjusted() {
        let refused = |b: ClientBuilder| b.build().unwrap_err();
        let local = crate::testing::no_server;
        let e = refused(local().bulk_concurrency(0));
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        assert!(
            e.to_string().contains("concurrency must be at least 1"),
            "{e}"
        );
        let e = refused(local().bulk_concurrency(usize::MAX));
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        assert!(e.to_string().contains("at most 1024"), "{e}");
        assert!(local()
            .bulk_concurrency(MAX_BULK_CONCURRENCY)
            .build()
            .is_ok());
        assert!(refused(local().timeout(Duration::ZERO))
            .to_string()
            .contains("timeout must be longer than zero"));
        assert!(refused(local().connect_timeout(Duration::ZERO))
            .to_string()
            .contains("connect timeout must be longer than zero"));
        assert_eq!(
            local()
                .bulk_concurrency(1)
                .build()
                .unwrap()
                .bulk_concurrency(),
            1
        );
    }

    #[test]
    fn empty_token_is_refused() {
        assert_eq!(
            ClientBuilder::new("  ").build().unwrap_err().kind(),
            crate::ErrorKind::InvalidArgument
        );
    }
}
