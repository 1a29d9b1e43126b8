//! Request and response types of the Transactional API, in the API's own field names.
//! Response entities keep every field they do not name in `extra`, so a field the API adds
//! later is not lost on its way to a binding.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ratelimit::RateLimit;

fn is_false(b: &bool) -> bool {
    !*b
}

/// One SMS to send: the body of `POST /sms` and an item of `POST /sms/bulk`.
///
/// Read from JSON, `clientId` and `allowUnicode` may also be spelled `client_id` and
/// `allow_unicode`: messages often come from snake_case rows, and a clientId read past would be
/// replaced by a generated one, losing the caller's protection against sending twice on a re-run.
/// Giving both spellings is an error ("both `clientId` and `client_id` are given").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", try_from = "SmsRequestSpellings")]
#[non_exhaustive]
pub struct SmsRequest {
    /// Sender ID: up to 11 alphanumeric characters or up to 14 digits.
    pub from: String,
    /// Destination in E.164 (`+34600000000`).
    pub to: String,
    /// Message body. It must be GSM-7 unless `allow_unicode` is set, and fit in 255 segments
    /// (see [`encoding::analyze`](crate::encoding::analyze)).
    pub text: String,
    /// Allow UCS-2 when the text has characters outside GSM-7.
    #[serde(skip_serializing_if = "is_false")]
    pub allow_unicode: bool,
    /// Caller's reference (≤ 40 characters, unique per SMS). The client fills one in when it is
    /// missing, so that a retried send can never be delivered twice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// An [`SmsRequest`] as read, each spelling apart, so that a message giving both names the two
/// keys (serde's aliases would call it a "duplicate field `clientId`" when the caller wrote
/// `client_id` once). A key given as `null` counts as given, as in every binding's own reading,
/// and then reads as absent: an unset `allowUnicode` is `false` (JSON built from PHP or JS often
/// writes an unset flag as `null`, and refusing the whole batch for it helps nobody).
#[derive(Deserialize)]
struct SmsRequestSpellings {
    from: String,
    to: String,
    text: String,
    #[serde(default, rename = "allowUnicode", deserialize_with = "given")]
    allow_unicode: Option<Option<bool>>,
    #[serde(default, rename = "allow_unicode", deserialize_with = "given")]
    allow_unicode_snake_case: Option<Option<bool>>,
    #[serde(default, rename = "clientId", deserialize_with = "given")]
    client_id: Option<Option<String>>,
    #[serde(default, rename = "client_id", deserialize_with = "given")]
    client_id_snake_case: Option<Option<String>>,
}

/// A key that is present, `null` included (`Some(None)`); a missing one stays `None`.
fn given<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// The refusal of a message that gives one field under both its spellings. Bindings that read
/// messages themselves (Python's dicts) say the same; Node's campaign reader, in JS, repeats it.
#[doc(hidden)]
pub fn both_spellings_given(first: &str, second: &str) -> String {
    format!("both `{first}` and `{second}` are given")
}

impl TryFrom<SmsRequestSpellings> for SmsRequest {
    type Error = String;

    fn try_from(m: SmsRequestSpellings) -> Result<Self, String> {
        fn one<T>(
            camel: Option<Option<T>>,
            snake: Option<Option<T>>,
            names: [&str; 2],
        ) -> Result<Option<T>, String> {
            match (camel, snake) {
                (Some(_), Some(_)) => Err(both_spellings_given(names[0], names[1])),
                (camel, snake) => Ok(camel.or(snake).flatten()),
            }
        }
        Ok(SmsRequest {
            from: m.from,
            to: m.to,
            text: m.text,
            allow_unicode: one(
                m.allow_unicode,
                m.allow_unicode_snake_case,
                ["allowUnicode", "allow_unicode"],
            )?
            .unwrap_or(false),
            client_id: one(
                m.client_id,
                m.client_id_snake_case,
                ["clientId", "client_id"],
            )?,
        })
    }
}

impl SmsRequest {
    /// A message with `allowUnicode` off and no `clientId` (the client generates one when it sends
    /// it).
    pub fn new(from: impl Into<String>, to: impl Into<String>, text: impl Into<String>) -> Self {
        SmsRequest {
            from: from.into(),
            to: to.into(),
            text: text.into(),
            allow_unicode: false,
            client_id: None,
        }
    }

    /// Sets `allowUnicode`: a text with characters outside GSM-7 may then travel as UCS-2 (70
    /// characters in a single segment instead of 160).
    pub fn allow_unicode(mut self, allow: bool) -> Self {
        self.allow_unicode = allow;
        self
    }

    /// Sets your own `clientId` (≤ 40 characters, unique per SMS). It comes back on every DLR,
    /// and it is what lets a re-run campaign with `resume` skip the messages accepted the first
    /// time.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }
}

/// A message as the API returns it (`entity` of `POST /sms`, `GET /sms/{id}`; items of lists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Sms {
    /// Instasent's message id, the key its DLRs carry. Empty when `status` is
    /// [`ACCEPTED_EARLIER_STATUS`](crate::ACCEPTED_EARLIER_STATUS): the id could not be read back.
    pub id: String,
    /// The `clientId` it was sent with; `None` only for a message sent without one (this SDK
    /// always sends one).
    #[serde(default)]
    pub client_id: Option<String>,
    /// Sender ID.
    #[serde(default)]
    pub from: String,
    /// Destination number, E.164.
    #[serde(default)]
    pub to: String,
    /// Message body.
    #[serde(default)]
    pub text: String,
    /// Latest status as the API reports it;
    /// [`ACCEPTED_EARLIER_STATUS`](crate::ACCEPTED_EARLIER_STATUS) when a retried send found the
    /// message accepted by an earlier attempt.
    #[serde(default)]
    pub status: Option<String>,
    /// `"GSM-7"` or `"UCS-2"`.
    #[serde(default)]
    pub encoding: Option<String>,
    /// Segments the message travels in and is charged for; `None` when the answer left it out
    /// (as in an `accepted_earlier` entity).
    #[serde(default)]
    pub segments: Option<u32>,
    /// What the message cost, in the account's currency; `None` when the answer left it out.
    #[serde(default)]
    pub price: Option<f64>,
    /// Destination country, ISO 3166-1 alpha-2.
    #[serde(default)]
    pub country: Option<String>,
    /// When the API accepted the message, as the API writes it (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Fields of the entity this type does not name, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One rejected bulk item: `{"fields": {"to": ["This value is not valid"]}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct BulkItemError {
    /// Messages per field (`from`, `to`, `text`, `clientId`…).
    #[serde(default)]
    pub fields: crate::error::FieldErrors,
}

/// `POST /sms/bulk` → `201 {"entities": [...], "errors": [...]}`; errors follow input order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct BulkResponse {
    /// The accepted messages, each with its `id`.
    #[serde(default)]
    pub entities: Vec<Sms>,
    /// One per rejected item, in the input order of the rejected items; they carry no index, so
    /// [`BulkResult::items`](crate::bulk::BulkResult::items) pairs them with their inputs.
    #[serde(default)]
    pub errors: Vec<BulkItemError>,
}

/// An HLR lookup (`POST /lookup`, `GET /lookup/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Lookup {
    /// Instasent's lookup id, for [`get_lookup_by_id`](crate::Client::get_lookup_by_id).
    pub id: String,
    /// The number looked up, E.164.
    #[serde(default)]
    pub to: String,
    /// `"valid"`, `"invalid"` or `"unknown"`.
    #[serde(default)]
    pub status: Option<String>,
    /// Country of the number, ISO 3166-1 alpha-2, when known.
    #[serde(default)]
    pub country: Option<String>,
    /// Name of the mobile network the number is on, when known.
    #[serde(default)]
    pub network: Option<String>,
    /// Mobile country code of that network, when known.
    #[serde(default)]
    pub mcc: Option<String>,
    /// Mobile network code of that network, when known.
    #[serde(default)]
    pub mnc: Option<String>,
    /// Whether the number was ported away from its original network, when known.
    #[serde(default)]
    pub ported: Option<bool>,
    /// When the lookup was made, as the API writes it (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Fields of the entity this type does not name, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /organization/account` → `entity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Account {
    /// Balance available for sending, in `currency`.
    pub available: f64,
    /// ISO 4217 code of the balance (`"EUR"`).
    #[serde(default)]
    pub currency: String,
    /// Fields of the entity this type does not name, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One country of a price profile (`GET /sms/price-profile/me/countries`,
/// `GET /lookup/price-profile/me/countries`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CountryPrice {
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Dialling prefix without `+` (`"34"`).
    #[serde(default)]
    pub prefix: String,
    /// Price of one SMS segment (or one lookup).
    pub price: f64,
    /// ISO 4217 code of `price`.
    #[serde(default)]
    pub currency: String,
    /// Fields of the entity this type does not name, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /verify` body, as Instasent's libraries send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VerifyRequest {
    /// The SMS that carries the code.
    pub sms: VerifySms,
    /// Digits in the generated code.
    pub token_length: u32,
    /// Seconds the code stays valid.
    pub timeout: u32,
    /// Your reference for the request (≤ 40 characters); the client generates one when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

impl VerifyRequest {
    /// Digits when the caller gives none, as Instasent's libraries default it.
    pub const DEFAULT_TOKEN_LENGTH: u32 = 6;
    /// Seconds the code stays valid when the caller gives none, as Instasent's libraries default it.
    pub const DEFAULT_TIMEOUT_SECS: u32 = 300;

    /// A code of [`DEFAULT_TOKEN_LENGTH`](Self::DEFAULT_TOKEN_LENGTH) digits valid for
    /// [`DEFAULT_TIMEOUT_SECS`](Self::DEFAULT_TIMEOUT_SECS), sent from `from` to `to` in `text`
    /// (which holds `%token%` where the code goes), without a `clientId` (the client generates
    /// one).
    pub fn new(from: impl Into<String>, to: impl Into<String>, text: impl Into<String>) -> Self {
        VerifyRequest {
            sms: VerifySms::new(from, to, text),
            token_length: Self::DEFAULT_TOKEN_LENGTH,
            timeout: Self::DEFAULT_TIMEOUT_SECS,
            client_id: None,
        }
    }

    /// Sets the number of digits in the code.
    pub fn token_length(mut self, digits: u32) -> Self {
        self.token_length = digits;
        self
    }

    /// Sets how many seconds the code stays valid.
    pub fn timeout(mut self, secs: u32) -> Self {
        self.timeout = secs;
        self
    }

    /// Sets your own reference for the request (≤ 40 characters).
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }
}

impl VerifySms {
    /// The SMS that carries a code: `text` holds `%token%` where the code goes.
    pub fn new(from: impl Into<String>, to: impl Into<String>, text: impl Into<String>) -> Self {
        VerifySms {
            from: from.into(),
            to: to.into(),
            text: text.into(),
        }
    }
}

/// The SMS that carries a verify code; `text` holds `%token%` where the code goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerifySms {
    /// Sender ID, under the same rules as [`SmsRequest::from`].
    pub from: String,
    /// Destination number, E.164.
    pub to: String,
    /// Message body, with `%token%` where the code goes (refused locally without it).
    pub text: String,
}

/// A verification (`POST /verify`, `GET /verify/{id}`, check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Verify {
    /// Instasent's verification id, for [`check_verify`](crate::Client::check_verify).
    pub id: String,
    /// `"pending"`, `"verified"`, `"failed"` or `"expired"`.
    pub status: String,
    /// The number the code was sent to.
    #[serde(default)]
    pub to: String,
    /// The `clientId` of the request, when the API echoes it.
    #[serde(default)]
    pub client_id: Option<String>,
    /// When the code stops being valid, as the API writes it (ISO 8601).
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Checks of the code made so far, when the API reports them.
    #[serde(default)]
    pub attempts: Option<u32>,
    /// Fields of the entity this type does not name, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

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
    fn a_verify_request_from_new_is_what_instasent_libraries_send() {
        let req = VerifyRequest::new("Acme", "+34600000000", "Code %token%");
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            serde_json::json!({
                "sms": {"from": "Acme", "to": "+34600000000", "text": "Code %token%"},
                "tokenLength": 6,
                "timeout": 300,
            })
        );
        let set = req.token_length(8).timeout(60).client_id("v-1");
        assert_eq!(
            (set.token_length, set.timeout, set.client_id.as_deref()),
            (8, 60, Some("v-1"))
        );
        assert_eq!(
            PageRequest::new(3, 25),
            PageRequest {
                page: 3,
                per_page: 25
            }
        );
    }

    #[test]
    fn sms_request_reads_snake_case_spellings_and_refuses_both_at_once() {
        let snake: SmsRequest = serde_json::from_str(
            r#"{"from":"A","to":"+34600000000","text":"Hi","client_id":"c-1","allow_unicode":true}"#,
        )
        .unwrap();
        assert_eq!(snake.client_id.as_deref(), Some("c-1"));
        assert!(snake.allow_unicode);
        let both = serde_json::from_str::<SmsRequest>(
            r#"{"from":"A","to":"+34600000000","text":"Hi","clientId":"c-1","client_id":"c-2"}"#,
        );
        let message = both.unwrap_err().to_string();
        assert!(
            message.contains("both `clientId` and `client_id` are given"),
            "{message}"
        );
        let flags = serde_json::from_str::<SmsRequest>(
            r#"{"from":"A","to":"+34600000000","text":"Hi","allowUnicode":false,"allow_unicode":true}"#,
        );
        let message = flags.unwrap_err().to_string();
        assert!(
            message.contains("both `allowUnicode` and `allow_unicode` are given"),
            "{message}"
        );
        // The same key twice is still serde's own refusal.
        let twice = serde_json::from_str::<SmsRequest>(
            r#"{"from":"A","to":"+34600000000","text":"Hi","clientId":"a","clientId":"b"}"#,
        );
        assert!(twice
            .unwrap_err()
            .to_string()
            .contains("duplicate field `clientId`"));
    }

    #[test]
    fn sms_request_reads_null_as_absent_but_given() {
        let nulls: SmsRequest = serde_json::from_str(
            r#"{"from":"A","to":"+34600000000","text":"Hi","allowUnicode":null,"clientId":null}"#,
        )
        .unwrap();
        assert!(!nulls.allow_unicode);
        assert_eq!(nulls.client_id, None);
        let both = serde_json::from_str::<SmsRequest>(
            r#"{"from":"A","to":"+34600000000","text":"Hi","clientId":null,"client_id":"c-1"}"#,
        );
        assert!(both
            .unwrap_err()
            .to_string()
            .contains("both `clientId` and `client_id` are given"));
    }

    #[test]
    fn sms_request_serializes_with_api_names() {
        let req = SmsRequest::new("Acme", "+34600000000", "Hi")
            .allow_unicode(true)
            .client_id("c-1");
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"from": "Acme", "to": "+34600000000", "text": "Hi", "allowUnicode": true, "clientId": "c-1"})
        );
        let plain = serde_json::to_value(SmsRequest::new("Acme", "+34600000000", "Hi")).unwrap();
        assert_eq!(
            plain,
            serde_json::json!({"from": "Acme", "to": "+34600000000", "text": "Hi"})
        );
    }

    #[test]
    fn allow_unicode_null_reads_as_false() {
        let read = |flag: &str| {
            let item = format!(r#"{{"from":"Acme","to":"+34600000000","text":"Hi"{flag}}}"#);
            serde_json::from_str::<SmsRequest>(&item).map(|s| s.allow_unicode)
        };
        assert!(!read(r#","allowUnicode":null"#).unwrap());
        assert!(read(r#","allowUnicode":true"#).unwrap());
        assert!(!read("").unwrap());
        assert!(read(r#","allowUnicode":"yes""#).is_err(), "not a flag");
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

    #[test]
    fn unknown_entity_fields_are_kept() {
        let sms: Sms = serde_json::from_value(serde_json::json!({
            "id": "abc", "clientId": null, "from": "A", "to": "+34600000000", "text": "x",
            "status": "enqueued", "futureField": 7
        }))
        .unwrap();
        assert_eq!(sms.extra.get("futureField"), Some(&serde_json::json!(7)));
    }
}
