//! The async [`Client`]: one method per Transactional endpoint, each returning the typed body
//! together with the HTTP status and raw JSON (what the documented SDKs expose as
//! `response_code` / `response_body`).

mod account;
mod bulk_answer;
mod bulk_body;
mod config;
mod lookup;
mod paging;
mod sms;
mod verify;

use std::sync::Arc;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub(crate) use config::{check_concurrency, is_loopback};
pub use config::{
    ClientBuilder, BASE_URL_ENV, DEFAULT_BASE_URL, DEFAULT_BULK_CONCURRENCY, MAX_BULK_CONCURRENCY,
};
pub(crate) use sms::ClientIds;
pub use sms::{is_client_id_already_used, new_client_id, ACCEPTED_EARLIER_STATUS};

use crate::error::{Error, Result};
use crate::http::{ApiRequest, RawResponse, Transport};
use crate::model::Response;
use crate::ratelimit::RateLimit;

/// Async client of the Transactional API. Cheap to clone; clones share connections and the
/// rate-limit state. `Debug` never shows the token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    builder: ClientBuilder,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with default options (base URL from `$INSTASENT_BASE_URL` when set).
    pub fn new(token: impl Into<String>) -> Result<Client> {
        ClientBuilder::new(token).build()
    }

    /// Options for a client with the API token `token`; nothing is checked until
    /// [`build`](ClientBuilder::build).
    pub fn builder(token: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(token)
    }

    pub(crate) fn from_parts(transport: Transport, builder: ClientBuilder) -> Client {
        Client {
            inner: Arc::new(Inner { transport, builder }),
        }
    }

    /// The base URL every request goes to (the builder's, else `$INSTASENT_BASE_URL`, else
    /// [`DEFAULT_BASE_URL`]).
    pub fn base_url(&self) -> &str {
        self.inner.transport.base().as_str()
    }

    /// The `X-RateLimit-*` state of the latest response, whatever its endpoint.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.transport.latest_rate_limit()
    }

    /// Bulk requests this client keeps in flight during a campaign.
    pub fn bulk_concurrency(&self) -> usize {
        self.inner.builder.get_bulk_concurrency()
    }

    /// Any endpoint, for calls this SDK does not wrap yet: `path` is below the base URL
    /// (`/sms`), `body` is sent as JSON. A `GET` is retried like every read; any other method
    /// only when it certainly was not processed (connection refused, 429), since a repeat could
    /// take effect twice. `InvalidArgument` for an unknown method or a path without a leading `/`.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        query: &[(&'static str, String)],
        body: Option<&Value>,
    ) -> Result<Response<Value>> {
        let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes())
            .map_err(|_| Error::invalid_argument(format!("{method:?} is not an HTTP method")))?;
        if !path.starts_with('/') {
            return Err(Error::invalid_argument("the path must start with '/'"));
        }
        let body = body.map(json_body).transpose()?;
        let raw = self
            .execute(ApiRequest {
                method,
                path: path.to_string(),
                query: query.to_vec(),
                body,
                endpoint: "raw",
            })
            .await?;
        response(raw, |json| Ok(json.clone()))
    }

    pub(crate) async fn execute(&self, req: ApiRequest) -> Result<RawResponse> {
        self.inner.transport.execute(&req).await
    }
}

pub(crate) fn json_body<T: serde::Serialize + ?Sized>(value: &T) -> Result<bytes::Bytes> {
    serde_json::to_vec(value)
        .map(bytes::Bytes::from)
        .map_err(|e| Error::invalid_argument(format!("could not encode the request: {e}")))
}

/// Builds a typed response from the raw one.
pub(crate) fn response<T>(
    raw: RawResponse,
    body: impl FnOnce(&Value) -> Result<T>,
) -> Result<Response<T>> {
    let json = raw.json()?;
    let body = body(&json).map_err(|e| raw.undecodable(e))?;
    Ok(Response {
        status: raw.status,
        raw: json,
        rate_limit: raw.rate_limit,
        body,
    })
}

/// `{"entity": {...}}` → T.
pub(crate) fn entity<T: DeserializeOwned>(json: &Value) -> Result<T> {
    let entity = json
        .get("entity")
        .ok_or_else(|| Error::decode("the response has no `entity`"))?;
    T::deserialize(entity)
        .map_err(|e| Error::decode(format!("unexpected `entity` in the response: {e}")))
}

/// `{"entities": [...]}` → Vec<T>.
pub(crate) fn entities<T: DeserializeOwned>(json: &Value) -> Result<Vec<T>> {
    let list = json
        .get("entities")
        .ok_or_else(|| Error::decode("the response has no `entities`"))?;
    Vec::<T>::deserialize(list)
        .map_err(|e| Error::decode(format!("unexpected `entities` in the response: {e}")))
}

use serde::Deserialize;

/// A path segment from a caller-supplied id, percent-encoded so it cannot change the route.
/// `.` and `..` are refused: URL parsing reads them (encoded or not) as "this" and "the parent"
/// segment, so `get_sms_by_id(".")` listed messages instead.
pub(crate) fn path_id(what: &str, id: &str) -> Result<String> {
    if id.is_empty() {
        return Err(Error::invalid_argument(format!("the {what} id is empty")));
    }
    if id == "." || id == ".." {
        return Err(Error::invalid_argument(format!(
            "the {what} id {id:?} is not an id: it would name another path"
        )));
    }
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_escape_their_segment() {
        assert_eq!(path_id("sms", "abc-1").unwrap(), "abc-1");
        assert_eq!(path_id("sms", "../x?y").unwrap(), "..%2Fx%3Fy");
        assert!(path_id("sms", "").is_err());
        assert!(path_id("sms", ".").is_err());
        assert!(path_id("sms", "..").is_err());
        assert_eq!(path_id("sms", "...").unwrap(), "...");
    }

    #[test]
    fn a_retry_budget_too_long_to_add_to_a_clock_is_no_panic() {
        let c = crate::testing::no_server()
            .retry_policy(crate::RetryPolicy {
                max_elapsed: std::time::Duration::MAX,
                ..crate::RetryPolicy::none()
            })
            .build()
            .unwrap();
        let e = crate::runtime::block_on(c.get_account_balance())
            .unwrap()
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Transport, "{e}");
    }

    #[test]
    fn client_debug_hides_token() {
        let c = Client::builder("tok_secret_123")
            .base_url("http://127.0.0.1:1/transactional/v1")
            .build()
            .unwrap();
        assert!(!format!("{c:?}").contains("tok_secret_123"));
    }
}
