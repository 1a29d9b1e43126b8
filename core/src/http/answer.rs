//! Reading what the API answered: the body (within a bound), `Retry-After`, and the error a
//! non-2xx answer stands for (docs: transactional-api/http/errors).

use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::Value;

use crate::error::{Error, ErrorKind, FieldErrors, Result};
use crate::ratelimit::RateLimit;

/// The largest answer read. The API's largest (a page of 100 messages) is a few hundred KB; a
/// proxy or a broken server sending more must not hold the caller's memory.
pub(crate) const MAX_ANSWER_BYTES: usize = 16 << 20;

/// Why a body could not be had.
pub(crate) enum BodyError {
    /// The connection broke while it came in.
    Broken(reqwest::Error),
    /// Past [`MAX_ANSWER_BYTES`]; the rest was not read.
    TooLarge,
}

/// The whole body, refused past [`MAX_ANSWER_BYTES`]. A body that comes in one piece (most
/// answers) is handed on without a copy.
pub(crate) async fn read_body(mut resp: reqwest::Response) -> Result<Bytes, BodyError> {
    if resp
        .content_length()
        .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
    {
        return Err(BodyError::TooLarge);
    }
    let mut next = async || resp.chunk().await.map_err(BodyError::Broken);
    let Some(first) = next().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = next().await? else {
        return Ok(first);
    };
    let mut all = BytesMut::with_capacity(first.len() + second.len());
    all.extend_from_slice(&first);
    all.extend_from_slice(&second);
    while let Some(chunk) = next().await? {
        if all.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(BodyError::TooLarge);
        }
        all.extend_from_slice(&chunk);
    }
    if all.len() > MAX_ANSWER_BYTES {
        return Err(BodyError::TooLarge);
    }
    Ok(all.freeze())
}

/// `Retry-After` as a wait: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Anything else
/// (negative, garbage) is no header at all.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The error of a non-2xx answer: `message` and `errors.fields` from the JSON body when there
/// is one.
pub(crate) fn http_error(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    rate_limit: Option<RateLimit>,
) -> Error {
    let kind = ErrorKind::from_status(status.as_u16()).unwrap_or(ErrorKind::Validation);
    if status.is_redirection() {
        return Error::new(kind, redirect_message(headers))
            .with_status(status.as_u16())
            .with_rate_limit(rate_limit);
    }
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
        .with_rate_limit(rate_limit)
        .with_retry_after(retry_after(headers));
    if !body.is_empty() {
        error = error.with_body(String::from_utf8_lossy(body).into_owned());
    }
    error
}

/// Where a redirect pointed, without its query (which could carry a token back).
fn redirect_message(headers: &HeaderMap) -> String {
    let target = headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|l| l.split(['?', '#']).next().unwrap_or_default().to_owned());
    let to = target.map_or(String::new(), |t| format!(" to {t:?}"));
    format!(
        "the API answered with a redirect{to}, which this SDK does not follow (it would send the \
         request again elsewhere): check the base URL"
    )
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

/// A body as JSON; an empty one is `null`.
pub(crate) fn parse_body(body: &[u8]) -> Result<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body)
        .map_err(|e| Error::decode(format!("the API answered with invalid JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn error(status: StatusCode, body: &[u8]) -> Error {
        http_error(status, &HeaderMap::new(), body, None)
    }

    #[test]
    fn http_error_reads_message_and_fields() {
        let body = br#"{"message":"Validation failed","errors":{"fields":{"to":["This value is not valid."]}}}"#;
        let e = error(StatusCode::UNPROCESSABLE_ENTITY, body);
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
        let e = error(StatusCode::UNPROCESSABLE_ENTITY, body);
        assert_eq!(
            e.fields()["clientId"],
            vec!["This value is already used.".to_string()]
        );
    }

    #[test]
    fn empty_429_gets_a_helpful_message() {
        let e = error(StatusCode::TOO_MANY_REQUESTS, b"");
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert!(e.message().contains("X-RateLimit-Reset"));
        assert_eq!(e.body(), None);
    }

    #[test]
    fn a_redirect_is_an_error_that_names_its_target_but_never_its_query() {
        let mut headers = HeaderMap::new();
        headers.insert(
            LOCATION,
            HeaderValue::from_static("https://elsewhere.example/v1/sms?access_token=secret"),
        );
        let e = http_error(StatusCode::TEMPORARY_REDIRECT, &headers, b"", None);
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert_eq!(e.status(), Some(307));
        assert!(
            e.message().contains("\"https://elsewhere.example/v1/sms\"")
                && e.message().contains("check the base URL"),
            "{e}"
        );
        assert!(!e.to_string().contains("secret"), "{e}");
    }

    #[test]
    fn retry_after_takes_seconds_and_http_dates_and_ignores_the_rest() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
            retry_after(&headers)
        };
        assert_eq!(with("3"), Some(Duration::from_secs(3)));
        assert_eq!(with(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(with("-5"), None);
        assert_eq!(with("soon"), None);
        assert_eq!(with(""), None);
        assert_eq!(
            with("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a date in the past: no wait"
        );
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(27) && wait <= Duration::from_secs(30));
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn a_429_or_503_carries_its_retry_after() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        for status in [
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE,
        ] {
            let e = http_error(status, &headers, b"<html>busy</html>", None);
            assert_eq!(e.retry_after(), Some(Duration::from_secs(7)), "{status}");
        }
        let e = http_error(StatusCode::NOT_FOUND, &headers, b"", None);
        assert_eq!(e.retry_after(), None, "waiting does not make a 404 succeed");
    }
}
