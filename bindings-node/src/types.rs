//! JS shapes of the core's values. Response entities mirror the core models field by field
//! (converted through serde, so a field the core adds lands in `extra` instead of being lost);
//! their TypeScript declarations are generated from these structs into `index.d.ts`.

use std::collections::HashMap;

use napi::bindgen_prelude::{Array, FromNapiValue, TypeName, Unknown, ValidateNapiValue};
use napi::sys;
use napi::JsValue;
use napi_derive::napi;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What Instasent's own SDKs return for every call.
#[napi(object)]
pub struct DocumentedResponse {
    /// HTTP status.
    #[napi(js_name = "response_code")]
    pub response_code: u32,
    /// The parsed JSON body; `null` for an empty body (e.g. a 429).
    #[napi(js_name = "response_body")]
    pub response_body: Value,
}

impl From<instasent::DocumentedResponse> for DocumentedResponse {
    fn from(d: instasent::DocumentedResponse) -> Self {
        DocumentedResponse {
            response_code: d.response_code.into(),
            response_body: d.response_body,
        }
    }
}

/// One SMS to send. `clientId` and `allowUnicode` may also be spelled `client_id` and
/// `allow_unicode` (not both at once); other keys are ignored.
// Read through the core's `SmsRequest` rules, as every other message input is; napi's own
// reading would skip a snake_case clientId and let a generated one replace it.
#[napi(object, object_from_js = false)]
#[derive(Clone)]
pub struct SmsInput {
    /// Sender ID: up to 11 alphanumeric characters or up to 14 digits.
    pub from: String,
    /// Destination in E.164 (`+34600000000`).
    pub to: String,
    /// The message body; GSM-7 unless `allowUnicode` (`segments(text)` shows how it travels).
    pub text: String,
    /// Allow UCS-2 when the text has characters outside GSM-7.
    pub allow_unicode: Option<bool>,
    /// Your reference (≤ 40 characters); one is generated when missing.
    pub client_id: Option<String>,
    /// `allowUnicode` as snake_case rows spell it (not both).
    #[napi(js_name = "allow_unicode")]
    pub allow_unicode_snake_case: Option<bool>,
    /// `clientId` as snake_case rows spell it (not both).
    #[napi(js_name = "client_id")]
    pub client_id_snake_case: Option<String>,
}

impl FromNapiValue for SmsInput {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let sms: instasent::SmsRequest =
            unsafe { crate::options::read_object(env, value, "SmsInput") }?;
        Ok(SmsInput {
            from: sms.from,
            to: sms.to,
            text: sms.text,
            allow_unicode: Some(sms.allow_unicode),
            client_id: sms.client_id,
            // Read into the two above by the core's rules.
            allow_unicode_snake_case: None,
            client_id_snake_case: None,
        })
    }
}

impl ValidateNapiValue for SmsInput {}

/// The messages of one bulk request, as a JS array of [`SmsInput`]; a refusal names the message
/// by its index, as its result would be (`message 1: missing field `to``).
pub struct SmsInputs(pub Vec<instasent::SmsRequest>);

impl FromNapiValue for SmsInputs {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let array = unsafe { Array::from_napi_value(env, value) }?;
        let mut messages = Vec::with_capacity(array.len() as usize);
        for index in 0..array.len() {
            let item: Unknown = array.get(index)?.ok_or_else(|| {
                crate::error::invalid_argument(format!("message {index} is missing"))
            })?;
            let what = format!("message {index}");
            messages.push(unsafe { crate::options::read_object(env, item.raw(), &what) }?);
        }
        Ok(SmsInputs(messages))
    }
}

impl TypeName for SmsInputs {
    fn type_name() -> &'static str {
        "Array<SmsInput>"
    }

    fn value_type() -> napi::ValueType {
        napi::ValueType::Object
    }
}

impl ValidateNapiValue for SmsInputs {}

impl From<SmsInput> for instasent::SmsRequest {
    fn from(s: SmsInput) -> Self {
        let mut sms = instasent::SmsRequest::new(s.from, s.to, s.text)
            .allow_unicode(s.allow_unicode.unwrap_or(false));
        sms.client_id = s.client_id;
        sms
    }
}

/// A message as the API returns it.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sms {
    /// Empty only for a send whose earlier attempt was accepted (`status` "accepted_earlier").
    pub id: String,
    /// The `clientId` it was sent with.
    pub client_id: Option<String>,
    /// Sender ID.
    pub from: String,
    /// Destination number, E.164.
    pub to: String,
    /// The message body.
    pub text: String,
    /// Latest status as the API reports it; `"accepted_earlier"` when a retried send found the
    /// message accepted by an earlier attempt.
    pub status: Option<String>,
    /// `"GSM-7"` or `"UCS-2"`.
    pub encoding: Option<String>,
    /// Segments it travels in and is charged for; absent when the answer left it out.
    pub segments: Option<u32>,
    /// What it cost, in the account's currency; absent when the answer left it out.
    pub price: Option<f64>,
    /// Destination country, ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// When the API accepted it (ISO 8601, as the API writes it).
    pub created_at: Option<String>,
    /// Fields the API returned that this SDK does not name.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An HLR lookup.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lookup {
    /// Instasent's lookup id (for `getLookup`).
    pub id: String,
    /// The number looked up, E.164.
    pub to: String,
    /// `"valid"`, `"invalid"` or `"unknown"`.
    pub status: Option<String>,
    /// Country of the number, ISO 3166-1 alpha-2, when known.
    pub country: Option<String>,
    /// Name of the mobile network the number is on, when known.
    pub network: Option<String>,
    /// Mobile country code of that network, when known.
    pub mcc: Option<String>,
    /// Mobile network code of that network, when known.
    pub mnc: Option<String>,
    /// Whether the number was ported away from its original network, when known.
    pub ported: Option<bool>,
    /// When the lookup was made (ISO 8601, as the API writes it).
    pub created_at: Option<String>,
    /// Fields the API returned that this SDK does not name.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The account balance.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Balance available for sending, in `currency`.
    pub available: f64,
    /// ISO 4217 code of the balance (`"EUR"`).
    pub currency: String,
    /// Fields the API returned that this SDK does not name.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One country of a price profile.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountryPrice {
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Dialling prefix without `+`.
    pub prefix: String,
    /// Price of one SMS segment (or one lookup), in `currency`.
    pub price: f64,
    /// ISO 4217 code of `price`.
    pub currency: String,
    /// Fields the API returned that this SDK does not name.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A verification.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verify {
    /// Instasent's verification id (for `checkVerification` and `getVerification`).
    pub id: String,
    /// `"pending"`, `"verified"`, `"failed"` or `"expired"`.
    pub status: String,
    /// The number the code was sent to, E.164.
    pub to: String,
    /// The `clientId` the request was sent with.
    pub client_id: Option<String>,
    /// When the code stops being accepted (ISO 8601, as the API writes it).
    pub expires_at: Option<String>,
    /// Checks of the code made so far, when the API reports them.
    pub attempts: Option<u32>,
    /// Fields the API returned that this SDK does not name.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Input of `client.verify(...)`: `text` holds `%token%` where the code goes.
#[napi(object)]
pub struct VerifyInput {
    /// Sender ID: up to 11 alphanumeric characters or up to 14 digits.
    pub from: String,
    /// Destination in E.164 (`+34600000000`).
    pub to: String,
    /// The message; `%token%` in it is replaced by the code.
    pub text: String,
    /// Digits in the code (default 6).
    pub token_length: Option<f64>,
    /// Seconds the code stays valid (default 300).
    pub timeout: Option<f64>,
    /// Your reference (≤ 40 characters); one is generated when missing.
    pub client_id: Option<String>,
}

/// `X-RateLimit-*` of a response.
#[napi(object)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: f64,
    /// Requests left in the current window.
    pub remaining: f64,
    /// Unix time (seconds) when the window resets.
    pub reset: f64,
}

impl From<instasent::RateLimit> for RateLimit {
    fn from(r: instasent::RateLimit) -> Self {
        RateLimit {
            limit: r.limit as f64,
            remaining: r.remaining as f64,
            reset: r.reset as f64,
        }
    }
}

/// Any endpoint's answer (`client.request`).
#[napi(object)]
pub struct ApiResponse {
    /// HTTP status.
    pub status: u32,
    /// The parsed JSON body; `null` for an empty one.
    pub body: Value,
    /// The `X-RateLimit-*` window the response reported, if any.
    pub rate_limit: Option<RateLimit>,
}

/// The fate of one input of `sendBulk` / `sendBatch`.
#[napi(object)]
pub struct BulkItemResult {
    /// Position of the input, from 0.
    pub index: u32,
    /// `"accepted"`, `"rejected"` or `"failed"`.
    pub status: String,
    /// Message id (accepted; absent when `acceptedEarlier`).
    pub id: Option<String>,
    /// The `clientId` it carried, yours or generated. After a failed `AMBIGUOUS_OUTCOME`, look the
    /// message up by it (`findMessage`) before sending it again.
    pub client_id: Option<String>,
    /// A retried or resumed send found its `clientId` already accepted.
    pub accepted_earlier: bool,
    /// Per-field messages (rejected).
    pub fields: Option<HashMap<String, Vec<String>>>,
    /// `"local"` (nothing was sent) or `"server"` (rejected).
    pub stage: Option<String>,
    /// Error code of the request that carried it (failed).
    pub code: Option<String>,
    /// What went wrong (failed).
    pub message: Option<String>,
}

impl BulkItemResult {
    pub fn new(index: u64, outcome: instasent::Outcome) -> Self {
        let mut r = BulkItemResult {
            index: index as u32,
            status: String::new(),
            id: None,
            client_id: outcome.client_id().map(str::to_owned),
            accepted_earlier: false,
            fields: None,
            stage: None,
            code: None,
            message: None,
        };
        match outcome {
            instasent::Outcome::Accepted {
                id,
                accepted_earlier,
                ..
            } => {
                r.status = "accepted".into();
                r.id = id;
                r.accepted_earlier = accepted_earlier;
            }
            instasent::Outcome::Rejected { stage, fields, .. } => {
                r.status = "rejected".into();
                r.stage = Some(
                    match stage {
                        instasent::RejectStage::Local => "local",
                        instasent::RejectStage::Server => "server",
                    }
                    .into(),
                );
                r.fields = Some(fields.into_iter().collect());
            }
            instasent::Outcome::Failed { kind, message, .. } => {
                r.status = "failed".into();
                r.code = Some(kind.code().into());
                r.message = Some(message);
            }
        }
        r
    }
}

/// Converts a core value into its JS mirror through serde.
pub fn mirror<T: Serialize, U: DeserializeOwned>(value: &T) -> instasent::Result<U> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|e| instasent::Error::decode(format!("unexpected value from the core: {e}")))
}

pub fn mirror_all<T: Serialize, U: DeserializeOwned>(values: &[T]) -> instasent::Result<Vec<U>> {
    values.iter().map(mirror).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_results_carry_what_each_outcome_says() {
        let failed = BulkItemResult::new(
            7,
            instasent::Outcome::Failed {
                client_id: Some("c7".into()),
                kind: instasent::ErrorKind::PaymentRequired,
                message: "no balance".into(),
            },
        );
        assert_eq!(
            (failed.index, failed.status.as_str(), failed.code.as_deref()),
            (7, "failed", Some("PAYMENT_REQUIRED"))
        );
        let mut fields = instasent::FieldErrors::new();
        fields.insert("to".into(), vec!["bad".into()]);
        let rejected = BulkItemResult::new(
            1,
            instasent::Outcome::Rejected {
                client_id: None,
                stage: instasent::RejectStage::Local,
                fields,
            },
        );
        assert_eq!(rejected.stage.as_deref(), Some("local"));
        assert_eq!(rejected.fields.unwrap()["to"], vec!["bad".to_string()]);
    }

    #[test]
    fn unknown_entity_fields_land_in_extra() {
        let sms: instasent::Sms = serde_json::from_value(serde_json::json!({
            "id": "a", "from": "A", "to": "+34600000000", "text": "x", "newField": 1
        }))
        .unwrap();
        let js: Sms = mirror(&sms).unwrap();
        assert_eq!(js.extra.get("newField"), Some(&serde_json::json!(1)));
        assert_eq!(js.id, "a");
    }
}
