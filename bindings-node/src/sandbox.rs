//! `Sandbox`: the local emulator of the Transactional API (`instasent_sandbox::Sandbox::spawn`,
//! its own thread and runtime), for tests and demos. It holds no handle on the event loop: a
//! script that forgets `stop()` still exits.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use napi_derive::napi;
use serde::Deserialize;

use crate::error::{invalid_argument, to_napi, IntoNapi};
use crate::options::{opt_whole, Options};
use crate::types::{mirror, mirror_all};
use instasent_sandbox::{Faults as CoreFaults, RateLimits, SandboxConfig};

/// Injected failures; a field left out is off.
#[napi(object, object_from_js = false)]
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Faults {
    /// Share (0..1) of API requests answered `500` before anything is committed.
    pub error_rate: Option<f64>,
    /// Added to every API request, in milliseconds.
    pub latency_ms: Option<f64>,
    /// Share (0..1) of sends committed and then answered by closing the connection.
    pub drop_after_commit_rate: Option<f64>,
    /// The next N API requests get `429`.
    pub rate_limit_burst: Option<f64>,
    /// Makes the 500s and drops reproducible: the k-th request that reaches fault injection
    /// meets the same fault in every run with this seed.
    pub seed: Option<f64>,
}

impl TryFrom<Faults> for CoreFaults {
    type Error = napi::Error;

    fn try_from(f: Faults) -> napi::Result<Self> {
        // A field left out keeps the sandbox's own default (off).
        let mut faults = CoreFaults::default();
        if let Some(rate) = f.error_rate {
            faults = faults.error_rate(rate);
        }
        if let Some(ms) = opt_whole("latencyMs", f.latency_ms)? {
            faults = faults.latency_ms(ms.into());
        }
        if let Some(rate) = f.drop_after_commit_rate {
            faults = faults.drop_after_commit_rate(rate);
        }
        if let Some(n) = opt_whole("rateLimitBurst", f.rate_limit_burst)? {
            faults = faults.rate_limit_burst(n);
        }
        if let Some(seed) = opt_whole("seed", f.seed)? {
            faults = faults.seed(seed.into());
        }
        Ok(faults)
    }
}

/// Requests allowed per window and endpoint group (`sms`: POST /sms, `bulk`: POST /sms/bulk,
/// `other`: every other route).
#[napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Limits {
    /// Length of a rate-limit window, in seconds (default 60).
    pub window_secs: Option<f64>,
    /// `POST /sms` requests per window (default 60 000).
    pub sms: Option<f64>,
    /// `POST /sms/bulk` requests per window (default 60 000).
    pub bulk: Option<f64>,
    /// Requests per window to each other endpoint (default 6 000).
    pub other: Option<f64>,
}

/// Options of `new Sandbox(options)` and `Sandbox.start(options)`.
#[napi(object, object_from_js = false)]
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SandboxOptions {
    /// The token requests must carry (default `"sandbox-token"`).
    pub token: Option<String>,
    /// Loopback port to listen on (default: a free one).
    pub port: Option<f64>,
    /// Starting balance in EUR (default 1000).
    pub balance: Option<f64>,
    /// DLR and inbound webhook URL.
    pub webhook: Option<String>,
    /// Time between the `sent` DLR and the next one, in milliseconds (default 50).
    pub dlr_delay_ms: Option<f64>,
    /// When false, requests without a token are served too.
    pub require_token: Option<bool>,
    /// Faults to inject from the start (see `setFaults`).
    pub faults: Option<Faults>,
    /// Requests allowed per rate-limit window, per endpoint (defaults: 60-second windows,
    /// 60 000 `POST /sms` and 60 000 `POST /sms/bulk` requests, 6 000 to each other endpoint).
    pub limits: Option<Limits>,
}

fn config(o: SandboxOptions) -> napi::Result<SandboxConfig> {
    let mut c = SandboxConfig::default();
    if let Some(token) = o.token {
        c.token = token;
    }
    if let Some(port) = opt_whole("port", o.port)? {
        let port = u16::try_from(port)
            .map_err(|_| invalid_argument(format!("port must be at most 65535, got {port}")))?;
        c.addr = SocketAddr::from(([127, 0, 0, 1], port));
    }
    if let Some(balance) = o.balance {
        c.balance = balance;
    }
    c.webhook = o.webhook;
    if let Some(ms) = opt_whole("dlrDelayMs", o.dlr_delay_ms)? {
        c.dlr_delay = Duration::from_millis(ms.into());
    }
    if let Some(yes) = o.require_token {
        c.require_token = yes;
    }
    if let Some(f) = o.faults {
        c.faults = f.try_into()?;
    }
    if let Some(l) = o.limits {
        let d = RateLimits::default();
        let limit = |name, value, default| {
            Ok::<_, napi::Error>(opt_whole(name, value)?.map_or(default, u64::from))
        };
        c.limits = RateLimits::default()
            .window_secs(limit("windowSecs", l.window_secs, d.window_secs)?)
            .sms(limit("sms", l.sms, d.sms)?)
            .bulk(limit("bulk", l.bulk, d.bulk)?)
            .other(limit("other", l.other, d.other)?);
    }
    Ok(c)
}

/// A message in the sandbox's ledger.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerMessage {
    /// The message id the API answered with.
    pub id: String,
    /// The `clientId` it was sent with.
    pub client_id: Option<String>,
    /// Sender ID.
    pub from: String,
    /// Destination, E.164.
    pub to: String,
    /// The message body.
    pub text: String,
    /// `"GSM-7"` or `"UCS-2"`.
    pub encoding: String,
    /// Segments charged.
    pub segments: u32,
    /// EUR charged: segments × the destination's price.
    pub price: f64,
    /// `enqueued` until the first DLR, then the latest DLR status.
    pub status: String,
    /// Code of the latest DLR (0 before any).
    pub code: i64,
    /// When the sandbox accepted it (RFC 3339).
    pub created_at: String,
}

/// What the sandbox did so far.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SandboxStats {
    /// API requests received (admin routes excluded).
    pub requests: f64,
    /// Messages committed to the ledger (verify SMS included).
    pub accepted_messages: f64,
    /// Items refused with field errors (a `422` of `POST /sms` counts one).
    pub rejected_items: f64,
    /// `429` responses sent, forced ones included.
    pub rate_limited: f64,
    /// `500` responses from `errorRate`.
    pub injected_errors: f64,
    /// Connections closed after commit by `dropAfterCommitRate`.
    pub dropped_connections: f64,
    /// Webhook POSTs answered 2xx.
    pub webhooks_sent: f64,
    /// Webhook events given up after every retry failed.
    pub webhooks_failed: f64,
}

/// A running local emulator of the Transactional API on 127.0.0.1.
#[napi]
pub struct Sandbox {
    inner: Mutex<Option<instasent_sandbox::Sandbox>>,
    base_url: String,
    token: String,
}

fn spawn(options: Option<Options<SandboxOptions>>) -> napi::Result<Sandbox> {
    let options = options.map(|o| o.0).unwrap_or_default();
    let sb = instasent_sandbox::Sandbox::spawn(config(options)?)
        .map_err(|e| to_napi(instasent_sandbox::Sandbox::start_error(e)))?;
    Ok(Sandbox {
        base_url: sb.base_url(),
        token: sb.token().to_string(),
        inner: Mutex::new(Some(sb)),
    })
}

impl Sandbox {
    fn with<T>(&self, f: impl FnOnce(&instasent_sandbox::Sandbox) -> T) -> napi::Result<T> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .as_ref()
            .map(f)
            .ok_or_else(|| invalid_argument("the sandbox was stopped"))
    }
}

#[napi]
impl Sandbox {
    /// Starts a sandbox and returns once it listens.
    #[napi(constructor, strict)]
    pub fn new(
        #[napi(ts_arg_type = "SandboxOptions | undefined | null")] options: Option<
            Options<SandboxOptions>,
        >,
    ) -> napi::Result<Sandbox> {
        spawn(options)
    }

    /// `await Sandbox.start(options)`: the same as `new Sandbox(options)`.
    #[napi(strict)]
    pub async fn start(
        #[napi(ts_arg_type = "SandboxOptions | undefined | null")] options: Option<
            Options<SandboxOptions>,
        >,
    ) -> napi::Result<Sandbox> {
        // Starting waits for the sandbox's own thread to listen: not on one of the two workers
        // of the runtime every call shares.
        tokio::task::spawn_blocking(move || spawn(options))
            .await
            .map_err(|e| {
                to_napi(instasent_sandbox::Sandbox::start_error(
                    std::io::Error::other(e),
                ))
            })?
    }

    /// `http://127.0.0.1:PORT/transactional/v1`: pass it as the client's `baseUrl`.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The token the sandbox accepts.
    #[napi(getter)]
    pub fn token(&self) -> String {
        self.token.clone()
    }

    /// Every accepted message, in ledger order, with its latest status.
    #[napi]
    pub fn messages(&self) -> napi::Result<Vec<LedgerMessage>> {
        self.with(|s| mirror_all(&s.messages()))?.napi()
    }

    /// Counters since start (or `reset()`): requests, accepted messages, rejected items,
    /// 429s, injected errors, dropped connections, webhooks sent and failed.
    #[napi]
    pub fn stats(&self) -> napi::Result<SandboxStats> {
        self.with(|s| mirror(&s.stats()))?.napi()
    }

    /// The faults injected now (`rateLimitBurst`: the forced 429s still to send; `seed` is
    /// absent when unset).
    #[napi]
    pub fn faults(&self) -> napi::Result<Faults> {
        self.with(|s| mirror(&s.faults()))?.napi()
    }

    /// Replaces the injected faults (fields left out are off).
    #[napi]
    pub fn set_faults(
        &self,
        #[napi(ts_arg_type = "Faults")] faults: Options<Faults>,
    ) -> napi::Result<()> {
        let faults = faults.0.try_into()?;
        self.with(|s| s.set_faults(faults))?
            .map_err(|e| invalid_argument(format!("faults: {e}")))
    }

    /// Clears the ledger, lookups, verifications, stats and rate-limit windows; restores the
    /// balance. Faults stay.
    #[napi]
    pub fn reset(&self) -> napi::Result<()> {
        self.with(|s| s.reset())
    }

    /// Posts an inbound message to the webhook (`stop` for an opt-out word).
    #[napi]
    pub fn inject_inbound(&self, from: String, to: String, text: String) -> napi::Result<()> {
        self.with(|s| s.inject_inbound(&from, &to, &text))
    }

    /// The code a verification sent (`null` for an unknown id).
    #[napi]
    pub fn verify_code(&self, verify_id: String) -> napi::Result<Option<String>> {
        self.with(|s| s.verify_code(&verify_id))
    }

    /// Stops the server; later calls that need it (`messages`, `setFaults`, …) throw, while
    /// `baseUrl` and `token` still read. Stopping twice is harmless.
    #[napi]
    pub fn stop(&self) {
        let taken = self.inner.lock().unwrap_or_else(|e| e.into_inner()).take();
        drop(taken);
    }
}
