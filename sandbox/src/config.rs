//! What a sandbox is started with, and the faults that can be changed while it runs.

use std::net::SocketAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The token a sandbox accepts when none is given.
pub const DEFAULT_TOKEN: &str = "sandbox-token";

/// Everything a sandbox is started with: `SandboxConfig::default().token("t").balance(5.0)`.
/// `non_exhaustive`, so that a setting added later breaks no caller: built from `default()`
/// with a setter per field (fields stay readable and assignable).
#[derive(Clone)]
#[non_exhaustive]
pub struct SandboxConfig {
    /// The `api_sms` token requests must carry (header `Authorization: Bearer` or `?access_token=`).
    pub token: String,
    /// Where to listen; port 0 picks a free one (`Sandbox::addr` tells which).
    pub addr: SocketAddr,
    /// DLR and inbound webhook URL; without it statuses still progress in the ledger.
    pub webhook: Option<String>,
    pub faults: Faults,
    pub limits: RateLimits,
    /// Starting balance in EUR; `POST /_sandbox/reset` restores it.
    pub balance: f64,
    /// Time between the `sent` DLR and the next one.
    pub dlr_delay: Duration,
    /// When false, requests without a token are served too (a wrong token is still refused).
    pub require_token: bool,
    /// How long a client may take to send a request's head, and then its body. A connection
    /// whose head stalls longer is closed (so is a keep-alive connection idle that long); a
    /// body that stalls is answered `408`. Never applies while a request is being answered.
    pub read_timeout: Duration,
}

/// Generous: only a client that has stopped sending meets it.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            token: DEFAULT_TOKEN.to_string(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            webhook: None,
            faults: Faults::default(),
            limits: RateLimits::default(),
            balance: 1000.0,
            dlr_delay: Duration::from_millis(50),
            require_token: true,
            read_timeout: DEFAULT_READ_TIMEOUT,
        }
    }
}

impl SandboxConfig {
    /// Sets [`token`](Self::token).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// Sets [`addr`](Self::addr).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Sets [`webhook`](Self::webhook).
    pub fn webhook(mut self, url: impl Into<String>) -> Self {
        self.webhook = Some(url.into());
        self
    }

    /// Sets [`faults`](Self::faults).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Sets [`limits`](Self::limits).
    pub fn limits(mut self, limits: RateLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets [`balance`](Self::balance).
    pub fn balance(mut self, eur: f64) -> Self {
        self.balance = eur;
        self
    }

    /// Sets [`dlr_delay`](Self::dlr_delay).
    pub fn dlr_delay(mut self, delay: Duration) -> Self {
        self.dlr_delay = delay;
        self
    }

    /// Sets [`require_token`](Self::require_token).
    pub fn require_token(mut self, yes: bool) -> Self {
        self.require_token = yes;
        self
    }

    /// Sets [`read_timeout`](Self::read_timeout).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Refuses what the sandbox could only act on wrongly later: a token no client can send, a
    /// webhook it could never POST to (every delivery report would be lost unnoticed), a
    /// balance that is not an amount, a fault rate outside 0–1.
    pub fn check(&self) -> Result<(), String> {
        if self.token.is_empty() || !self.token.chars().all(|c| matches!(c, '!'..='~')) {
            return Err(
                "the token must be printable ASCII without spaces, and not empty".to_string(),
            );
        }
        if let Some(url) = &self.webhook {
            let parsed = url::Url::parse(url)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if parsed.is_none() {
                // Named without what may follow an `@` in it: a password given there.
                let shown = match url.rsplit_once('@') {
                    Some((_, after)) => format!("…@{after}"),
                    None => url.clone(),
                };
                return Err(format!(
                    "the webhook {shown:?} is not an http:// or https:// URL \
                     (e.g. \"http://127.0.0.1:8089/dlr\")"
                ));
            }
        }
        if !(self.balance.is_finite() && self.balance >= 0.0) {
            return Err(format!(
                "the balance must be an amount of EUR from 0 up, got {}",
                self.balance
            ));
        }
        if self.read_timeout.is_zero() {
            return Err("the read timeout must be longer than 0".to_string());
        }
        self.faults.check()
    }

    pub(crate) fn checked(&self) -> std::io::Result<()> {
        self.check()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    }
}

// The token must never reach a log through `{:?}`.
impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("token", &"<redacted>")
            .field("addr", &self.addr)
            .field("webhook", &self.webhook)
            .field("faults", &self.faults)
            .field("limits", &self.limits)
            .field("balance", &self.balance)
            .field("dlr_delay", &self.dlr_delay)
            .field("require_token", &self.require_token)
            .field("read_timeout", &self.read_timeout)
            .finish()
    }
}

/// Injected failures (also `PUT /_sandbox/faults`): `Faults::default().error_rate(0.1)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Faults {
    /// Share (0..1) of API requests answered `500` before anything is committed.
    pub error_rate: f64,
    /// Added to every API request.
    pub latency_ms: u64,
    /// Share (0..1) of `POST /sms` and `POST /sms/bulk` requests that are committed and then
    /// answered by closing the connection without a response.
    pub drop_after_commit_rate: f64,
    /// The next N authenticated API requests get `429` (a `401` uses none).
    pub rate_limit_burst: u32,
    /// Makes the 500s and dropped answers reproducible: each request that reaches fault
    /// injection takes its two draws from one generator seeded with this, so the k-th such
    /// request meets the same fault in every run. Unset: seeded at random.
    pub seed: Option<u64>,
}

impl Faults {
    /// Sets [`error_rate`](Self::error_rate).
    pub fn error_rate(mut self, rate: f64) -> Self {
        self.error_rate = rate;
        self
    }

    /// Sets [`latency_ms`](Self::latency_ms).
    pub fn latency_ms(mut self, ms: u64) -> Self {
        self.latency_ms = ms;
        self
    }

    /// Sets [`drop_after_commit_rate`](Self::drop_after_commit_rate).
    pub fn drop_after_commit_rate(mut self, rate: f64) -> Self {
        self.drop_after_commit_rate = rate;
        self
    }

    /// Sets [`rate_limit_burst`](Self::rate_limit_burst).
    pub fn rate_limit_burst(mut self, requests: u32) -> Self {
        self.rate_limit_burst = requests;
        self
    }

    /// Sets [`seed`](Self::seed).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Refuses a rate outside 0–1 (or not a number) instead of acting as if it were clamped:
    /// an `errorRate` of 5 was meant as something, and it is not what would happen.
    pub fn check(&self) -> Result<(), String> {
        for (name, rate) in [
            ("errorRate", self.error_rate),
            ("dropAfterCommitRate", self.drop_after_commit_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                // Named as serde names a key ("unknown field `errorRat`"), so that a binding
                // can spell it in its own language's case.
                return Err(format!("`{name}` must be between 0 and 1, got {rate}"));
            }
        }
        Ok(())
    }

    /// The faults `json` asks for, as `PUT /_sandbox/faults` and the bindings that take them as
    /// JSON read them: an object (serde alone would also read `[]` as "no faults"), known keys
    /// only, a key left out off, the rates checked.
    pub fn from_json(json: &[u8]) -> Result<Faults, String> {
        match serde_json::from_slice::<serde_json::Value>(json).map_err(|e| e.to_string())? {
            object @ serde_json::Value::Object(_) => {
                // The path names the key of a value of the wrong type: "errorRate: invalid type …".
                let faults: Faults = serde_path_to_error::deserialize(object).map_err(|e| {
                    instasent::error::at_input_path(&e.path().to_string(), &e.inner().to_string())
                })?;
                faults.check()?;
                Ok(faults)
            }
            other => Err(format!(
                "expected an object such as {{\"errorRate\":1}}, got {other}"
            )),
        }
    }

    pub(crate) fn checked(&self) -> std::io::Result<()> {
        self.check()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    }
}

/// Requests allowed per window and endpoint (docs: transactional-api/http/rate-limits:
/// "scoped by organization and by endpoint"): `sms` for `POST /sms`, `bulk` for
/// `POST /sms/bulk`, and `other` for each other endpoint on its own (`GET /sms`,
/// `GET /sms/{id}`, `POST /lookup`, `GET /organization/account`, …: every one of them may make
/// `other` requests per window).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RateLimits {
    /// Length of a window, in seconds.
    pub window_secs: u64,
    /// `POST /sms` requests per window.
    pub sms: u64,
    /// `POST /sms/bulk` requests per window.
    pub bulk: u64,
    /// Requests per window to each other endpoint.
    pub other: u64,
}

/// Built from the default with a setter per field: `RateLimits::default().sms(10)`.
impl RateLimits {
    /// Sets [`window_secs`](Self::window_secs).
    pub fn window_secs(mut self, secs: u64) -> Self {
        self.window_secs = secs;
        self
    }

    /// Sets [`sms`](Self::sms).
    pub fn sms(mut self, requests: u64) -> Self {
        self.sms = requests;
        self
    }

    /// Sets [`bulk`](Self::bulk).
    pub fn bulk(mut self, requests: u64) -> Self {
        self.bulk = requests;
        self
    }

    /// Sets [`other`](Self::other).
    pub fn other(mut self, requests: u64) -> Self {
        self.other = requests;
        self
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            window_secs: 60,
            sms: 60_000,
            bulk: 60_000,
            other: 6_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_from_json_are_an_object_of_known_keys_with_rates_in_range() {
        assert_eq!(Faults::from_json(b"{}"), Ok(Faults::default()));
        assert_eq!(
            Faults::from_json(br#"{"errorRate":1,"seed":7}"#),
            Ok(Faults::default().error_rate(1.0).seed(7))
        );
        for (json, says) in [
            (&b"[]"[..], "expected an object"),
            (b"null", "expected an object"),
            (b"not json", "expected ident"),
            (br#"{"errorRat":1}"#, "unknown field `errorRat`"),
            (br#"{"errorRate":"all"}"#, "errorRate: invalid type"),
            (
                br#"{"dropAfterCommitRate":3}"#,
                "`dropAfterCommitRate` must be between 0 and 1",
            ),
        ] {
            let e = Faults::from_json(json).unwrap_err();
            assert!(e.contains(says), "{}: {e}", String::from_utf8_lossy(json));
            assert!(!e.contains(": unknown field"), "the key named twice: {e}");
        }
    }

    #[test]
    fn a_config_the_sandbox_could_only_act_on_wrongly_is_refused() {
        assert_eq!(SandboxConfig::default().check(), Ok(()));
        let refused = |config: SandboxConfig, says: &str| {
            let e = config.check().unwrap_err();
            assert!(e.contains(says), "{e}");
        };
        for token in ["", "with space", "tab\t", "ñ"] {
            refused(
                SandboxConfig {
                    token: token.into(),
                    ..Default::default()
                },
                "token",
            );
        }
        for url in [
            "not a url",
            "ftp://x/dlr",
            "http://",
            "127.0.0.1:8089/dlr",
            "http://[::1",
        ] {
            refused(
                SandboxConfig {
                    webhook: Some(url.into()),
                    ..Default::default()
                },
                "webhook",
            );
        }
        // A password in a refused URL is not repeated in the message.
        let e = SandboxConfig {
            webhook: Some("ftp://dlruser:WEBHOOKSECRET@127.0.0.1/dlr".into()),
            ..Default::default()
        }
        .check()
        .unwrap_err();
        assert!(
            !e.contains("WEBHOOKSECRET") && e.contains("127.0.0.1/dlr"),
            "{e}"
        );
        for balance in [-1.0, f64::NAN, f64::INFINITY] {
            refused(
                SandboxConfig {
                    balance,
                    ..Default::default()
                },
                "balance",
            );
        }
        refused(
            SandboxConfig {
                read_timeout: Duration::ZERO,
                ..Default::default()
            },
            "read timeout",
        );
        refused(
            SandboxConfig {
                faults: Faults {
                    error_rate: 2.0,
                    ..Default::default()
                },
                ..Default::default()
            },
            "errorRate",
        );
        let fine = SandboxConfig {
            webhook: Some("https://hooks.example/dlr".into()),
            balance: 0.0,
            ..Default::default()
        };
        assert_eq!(fine.check(), Ok(()));
    }
}
