//! `new SmsClient(token, options)` options → `instasent::ClientBuilder`.

use std::time::Duration;

use napi_derive::napi;

/// Options of `new SmsClient(token, options)`.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    /// Defaults to `$INSTASENT_BASE_URL`, then `https://api.instasent.com/transactional/v1`.
    pub base_url: Option<String>,
    /// Time limit of one HTTP attempt, in milliseconds (default 30 000).
    pub timeout_ms: Option<u32>,
    /// Time limit to open a connection, in milliseconds (default 10 000).
    pub connect_timeout_ms: Option<u32>,
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: Option<u32>,
    /// Bulk requests in flight at once during a campaign (default 8).
    pub concurrency: Option<u32>,
    /// Prepended to the SDK's user agent.
    pub user_agent: Option<String>,
    /// Send the token as `?access_token=` instead of `Authorization: Bearer`.
    pub token_in_query: Option<bool>,
    /// Allow plain `http://` to hosts other than loopback.
    pub allow_insecure_http: Option<bool>,
    /// Pace requests by `X-RateLimit-*` (default true).
    pub pacing: Option<bool>,
}

pub fn builder(token: String, options: Option<ClientOptions>) -> instasent::ClientBuilder {
    let o = options.unwrap_or_default();
    let mut b = instasent::Client::builder(token);
    if let Some(url) = o.base_url {
        b = b.base_url(url);
    }
    if let Some(ms) = o.timeout_ms {
        b = b.timeout(Duration::from_millis(ms.into()));
    }
    if let Some(ms) = o.connect_timeout_ms {
        b = b.connect_timeout(Duration::from_millis(ms.into()));
    }
    if let Some(n) = o.max_retries {
        b = b.max_retries(n);
    }
    if let Some(n) = o.concurrency {
        b = b.bulk_concurrency(n as usize);
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
    b
}
