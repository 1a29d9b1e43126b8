//! `new SmsClient(token, options)` options → `instasent::ClientBuilder`.

use std::time::Duration;

use napi_derive::napi;

use crate::error::invalid_argument;

/// Options of `new SmsClient(token, options)`. Times and counts are whole numbers: a negative or
/// fractional one is refused (`INVALID_ARGUMENT`), as is a `concurrency` or a timeout of 0.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    /// Defaults to `$INSTASENT_BASE_URL`, then `https://api.instasent.com/transactional/v1`.
    pub base_url: Option<String>,
    /// Time limit of one HTTP attempt, in milliseconds (default 30 000).
    pub timeout_ms: Option<f64>,
    /// Time limit to open a connection, in milliseconds (default 10 000).
    pub connect_timeout_ms: Option<f64>,
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: Option<f64>,
    /// Bulk requests in flight at once during a campaign (default 8).
    pub concurrency: Option<f64>,
    /// Prepended to the SDK's user agent.
    pub user_agent: Option<String>,
    /// Send the token as `?access_token=` instead of `Authorization: Bearer`.
    pub token_in_query: Option<bool>,
    /// Allow plain `http://` to hosts other than loopback.
    pub allow_insecure_http: Option<bool>,
    /// Pace requests by `X-RateLimit-*` (default true).
    pub pacing: Option<bool>,
}

pub fn builder(
    token: String,
    options: Option<ClientOptions>,
) -> napi::Result<instasent::ClientBuilder> {
    let o = options.unwrap_or_default();
    let mut b = instasent::Client::builder(token);
    if let Some(url) = o.base_url {
        b = b.base_url(url);
    }
    if let Some(ms) = o.timeout_ms {
        b = b.timeout(Duration::from_millis(whole("timeoutMs", ms)?.into()));
    }
    if let Some(ms) = o.connect_timeout_ms {
        b = b.connect_timeout(Duration::from_millis(whole("connectTimeoutMs", ms)?.into()));
    }
    if let Some(n) = o.max_retries {
        b = b.max_retries(whole("maxRetries", n)?);
    }
    if let Some(n) = o.concurrency {
        b = b.bulk_concurrency(whole("concurrency", n)? as usize);
    }
    if let Some(ua) = o.user_agent {
        b = b.user_agent(ua);
    }
    if let Some(yes) = o.token_in_query {
        b = b.token_in_query(yes);
    }
    if let Some(yes) = o.allow_insecure_http {
        b = b.allow_insecure_http(yes);
    }
    if let Some(yes) = o.pacing {
        b = b.pacing(yes);
    }
    Ok(b)
}

/// A count or a time from JS as a whole number from 0 to 2³²−1, whatever the call: N-API's own
/// integer types would wrap -1 into 4294967295 and cut 1.5 to 1 without a word. Whether 0 makes
/// sense is the core's call (a concurrency, a timeout or a page of 0 is refused there).
pub(crate) fn whole(name: &str, value: f64) -> napi::Result<u32> {
    if value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        Ok(value as u32)
    } else {
        Err(invalid_argument(format!(
            "{name} must be a whole number from 0 to {}, got {value}",
            u32::MAX
        )))
    }
}
