//! A message: what is sent (`POST /sms`, an item of `POST /sms/bulk`) and what the API
//! returns for it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn unknown_entity_fields_are_kept() {
        let sms: Sms = serde_json::from_value(serde_json::json!({
            "id": "abc", "clientId": null, "from": "A", "to": "+34600000000", "text": "x",
            "status": "enqueued", "futureField": 7
        }))
        .unwrap();
        assert_eq!(sms.extra.get("futureField"), Some(&serde_json::json!(7)));
    }
}
