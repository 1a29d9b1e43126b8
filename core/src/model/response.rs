//! Paging, and what every call gives back: the typed body, the documented
//! `{response_code, response_body}` shape and the rate-limit window.

use serde::Serialize;
use serde_json::Value;

use crate::ratelimit::RateLimit;

/// Paging of list endpoints (`page` starts at 1; `per_page` defaults to 10 on the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageRequest {
    /// Page number, from 1; 0 is refused before sending
    /// ([`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument)).
    pub page: u32,
    /// Items per page, 1 to 100; anything else is refused before sending.
    pub per_page: u32,
}

impl PageRequest {
    /// The largest `per_page` the API takes.
    pub const MAX_PER_PAGE: u32 = 100;

    /// Page `page` (from 1) of `per_page` items (1–100); out of range, the call that takes it
    /// refuses it before sending.
    pub fn new(page: u32, per_page: u32) -> Self {
        PageRequest { page, per_page }
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            page: 1,
            per_page: 10,
        }
    }
}

/// What every call gives back: the typed body plus what the documented SDKs return
/// (`response_code`, `response_body`), and the rate-limit window of the response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// HTTP status (`response_code` of the documented SDKs).
    pub status: u16,
    /// The parsed JSON body (`response_body`); `Value::Null` for an empty body.
    pub raw: Value,
    /// The `X-RateLimit-*` window the response reported; `None` when it lacked one of the three
    /// headers, and for an `accepted_earlier` send, which got no answer of its own.
    pub rate_limit: Option<RateLimit>,
    /// The typed body (the `entity`, or the `entities`, of the JSON).
    pub body: T,
}

impl<T> Response<T> {
    /// The same response with its body converted by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            raw: self.raw,
            rate_limit: self.rate_limit,
            body: f(self.body),
        }
    }
}

/// What Instasent's own SDKs return for every call: the HTTP status and the JSON body
/// (`response["response_code"]`, `response["response_body"]`), whatever the status was.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DocumentedResponse {
    /// The HTTP status (201, 404, 429…).
    pub response_code: u16,
    /// The parsed JSON body; `null` when the body was empty (e.g. a 429).
    pub response_body: Value,
}

impl<T> Response<T> {
    /// This response in the `{response_code, response_body}` shape of Instasent's own SDKs.
    pub fn documented(&self) -> DocumentedResponse {
        DocumentedResponse {
            response_code: self.status,
            response_body: self.raw.clone(),
        }
    }
}

/// The documented shape of a call's outcome: an HTTP error status is a response like any other
/// (as in Instasent's own libraries); only failures without a response (transport, timeout,
/// ambiguous outcome, invalid arguments, local validation) stay errors.
pub fn documented<T>(result: crate::Result<Response<T>>) -> crate::Result<DocumentedResponse> {
    match result {
        Ok(resp) => Ok(resp.documented()),
        // An ambiguous send keeps its last answer's status, but that answer says nothing about
        // the attempt that may have gone out: a response dict would read as "not sent".
        Err(e) if e.kind() == crate::ErrorKind::AmbiguousOutcome => Err(e),
        Err(e) => match e.status() {
            Some(status) => Ok(DocumentedResponse {
                response_code: status,
                // A body that is not JSON (a proxy's HTML page) is kept as text.
                response_body: e
                    .body()
                    .filter(|b| !b.trim().is_empty())
                    .map_or(Value::Null, |b| {
                        serde_json::from_str(b).unwrap_or_else(|_| Value::String(b.to_owned()))
                    }),
            }),
            None => Err(e),
        },
    }
}

/// A page of a list endpoint.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page number requested.
    pub page: u32,
    /// The page size requested; a page with fewer items than this is the last one.
    pub per_page: u32,
    /// The items of this page, in the API's order.
    pub items: Vec<T>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_request_is_the_page_and_its_size() {
        assert_eq!(
            PageRequest::new(3, 25),
            PageRequest {
                page: 3,
                per_page: 25
            }
        );
    }

    #[test]
    fn documented_shape_keeps_http_errors_as_responses() {
        let e = crate::Error::new(crate::ErrorKind::NotFound, "nf")
            .with_status(404)
            .with_body(r#"{"message":"Not found"}"#);
        let d = documented::<()>(Err(e)).unwrap();
        assert_eq!(d.response_code, 404);
        assert_eq!(d.response_body, serde_json::json!({"message": "Not found"}));
        let local = crate::Error::invalid_argument("bad");
        assert!(documented::<()>(Err(local)).is_err());
    }

    #[test]
    fn documented_shape_keeps_a_body_that_is_not_json_as_text() {
        let page = "<html>502 Bad Gateway</html>";
        let e = crate::Error::new(crate::ErrorKind::Server, "bad gateway")
            .with_status(502)
            .with_body(page);
        let d = documented::<()>(Err(e)).unwrap();
        assert_eq!(d.response_body, serde_json::json!(page));
        let blank = crate::Error::new(crate::ErrorKind::RateLimited, "slow down")
            .with_status(429)
            .with_body("\n");
        assert_eq!(
            documented::<()>(Err(blank)).unwrap().response_body,
            Value::Null
        );
    }
}
