//! Delivery reports: `parseDlr` (auto-detected), the per-format parsers, `DeliveryTracker`.

use std::collections::HashMap;
use std::sync::Mutex;

use napi::bindgen_prelude::{
    Buffer, Either, Either3, FromNapiValue, TypeName, ValidateNapiValue, ValueType,
};
use napi::sys;
use napi_derive::napi;
use serde::Serialize;
use serde_json::Value;

use crate::error::{invalid_argument, to_napi, IntoNapi};
use instasent::dlr;

/// A delivery report, whatever it arrived as. `rawStatus` and `code` hold what was received,
/// `status` and `codeMeaning` what the documentation says it means.
// The required fields first, then the optional ones, absent when `None`: the order in which napi
// sets the keys of the objects it builds, so that the JSON form (see `report`) has it too.
#[napi(object)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryReport {
    /// `"webhook"`, `"smpp"` or `"insider"`.
    pub source: String,
    pub id: String,
    /// Normalised status (`"delivered"`, `"failed"`, … or `"unknown"`).
    pub status: String,
    pub raw_status: String,
    /// No further transition is expected.
    pub is_final: bool,
    /// The payload as JSON (SMPP: the receipt's fields).
    pub raw: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_meaning: Option<String>,
    /// RFC 3339 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_unix: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered: Option<bool>,
}

// Built field by field rather than through serde (the core value → JSON → this struct round
// trip cost more than the parse itself); the strings are the core's serde names.
impl From<dlr::DeliveryReport> for DeliveryReport {
    fn from(r: dlr::DeliveryReport) -> Self {
        DeliveryReport {
            source: r.source.as_str().into(),
            id: r.id,
            client_id: r.client_id,
            status: r.status.as_str().into(),
            raw_status: r.raw_status,
            code: r.code,
            code_meaning: r.code_meaning,
            event_at: r.event_at,
            event_unix: r.event_unix,
            is_final: r.is_final,
            message: r.message,
            to: r.to,
            delivered: r.delivered,
            raw: r.raw,
        }
    }
}

/// A plain JS object, read as JSON (napi has no "object as serde_json::Value" argument that
/// can take part in an `Either`).
pub struct JsonObject(Value);

impl TypeName for JsonObject {
    fn type_name() -> &'static str {
        "Record<string, any>"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ValidateNapiValue for JsonObject {}

impl FromNapiValue for JsonObject {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: same contract as the caller's (a valid env and value from napi).
        unsafe { Value::from_napi_value(env, value) }.map(JsonObject)
    }
}

type Payload = Either3<String, Buffer, JsonObject>;

fn bytes(payload: &Payload) -> napi::Result<Vec<u8>> {
    Ok(match payload {
        Either3::A(s) => s.as_bytes().to_vec(),
        Either3::B(b) => b.to_vec(),
        Either3::C(JsonObject(v)) if v.is_object() => serde_json::to_vec(v)
            .map_err(|e| invalid_argument(format!("the payload is not JSON: {e}")))?,
        Either3::C(_) => {
            return Err(invalid_argument(
                "a DLR payload is a string, a Buffer or an object",
            ))
        }
    })
}

/// Largest integer napi turns into a JS number (beyond it: a BigInt); JSON.parse is exact
/// up to it too.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Whether `JSON.parse` of `v` gives the very value napi would build from it: no integer napi
/// would make a BigInt (JSON.parse makes a rounded number) and no `__proto__` key (napi's set
/// changes the prototype, JSON.parse makes an own property).
fn json_is_exact(v: &Value) -> bool {
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.abs() <= MAX_SAFE_INTEGER,
            None => n.is_f64(),
        },
        Value::Array(items) => items.iter().all(json_is_exact),
        Value::Object(map) => map
            .iter()
            .all(|(k, v)| k != "__proto__" && json_is_exact(v)),
        _ => true,
    }
}

/// A parsed report for `index.js`: as JSON, which it `JSON.parse`s (several times faster than
/// napi building the object property by property), or as the object when JSON would not give
/// the same one.
type Report = Either<String, DeliveryReport>;

fn report(r: instasent::Result<dlr::DeliveryReport>) -> napi::Result<Report> {
    let r = DeliveryReport::from(r.napi()?);
    if json_is_exact(&r.raw) {
        if let Ok(json) = serde_json::to_string(&r) {
            return Ok(Either::A(json));
        }
    }
    Ok(Either::B(r))
}

/// Any DLR payload: Instasent webhook JSON, SMPP receipt text or Insider callback event.
#[napi(
    ts_args_type = "payload: string | Buffer | Record<string, any>",
    ts_return_type = "DeliveryReport"
)]
pub fn parse_dlr(payload: Payload) -> napi::Result<Report> {
    report(dlr::parse(&bytes(&payload)?))
}

/// An Instasent DLR webhook body.
#[napi(
    ts_args_type = "payload: string | Buffer | Record<string, any>",
    ts_return_type = "DeliveryReport"
)]
pub fn parse_webhook(payload: Payload) -> napi::Result<Report> {
    report(dlr::parse_webhook(&bytes(&payload)?))
}

/// An SMPP delivery receipt (`id:… sub:… dlvrd:… submit date:… done date:… stat:… err:…`).
#[napi(ts_return_type = "DeliveryReport")]
pub fn parse_smpp_receipt(text: Either<String, Buffer>) -> napi::Result<Report> {
    let text = match text {
        Either::A(s) => s,
        Either::B(b) => String::from_utf8(b.to_vec()).map_err(|e| {
            to_napi(instasent::Error::decode(format!(
                "SMPP receipt is not valid UTF-8: {e}"
            )))
        })?,
    };
    report(dlr::parse_smpp_receipt(&text))
}

/// An Insider SMS status callback event.
#[napi(
    ts_args_type = "payload: string | Buffer | Record<string, any>",
    ts_return_type = "DeliveryReport"
)]
pub fn parse_insider_event(payload: Payload) -> napi::Result<Report> {
    report(dlr::parse_insider_event(&bytes(&payload)?))
}

/// The latest delivery state per message id (redelivered, stale and out-of-order reports do
/// not overwrite a newer one).
#[napi]
pub struct DeliveryTracker {
    inner: Mutex<dlr::DeliveryTracker>,
}

impl DeliveryTracker {
    fn with<T>(&self, f: impl FnOnce(&mut dlr::DeliveryTracker) -> T) -> T {
        f(&mut self.inner.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

#[napi]
impl DeliveryTracker {
    #[napi(constructor)]
    pub fn new() -> Self {
        DeliveryTracker {
            inner: Mutex::new(dlr::DeliveryTracker::new()),
        }
    }

    /// Records a report (a parsed `DeliveryReport`, or a raw payload to parse first) and says
    /// what happened: `"applied"`, `"duplicate"` or `"stale"`.
    #[napi(ts_args_type = "report: DeliveryReport | string | Buffer")]
    pub fn record(&self, report: Payload) -> napi::Result<String> {
        let parsed = match report {
            Either3::C(JsonObject(v)) if v.get("rawStatus").is_some() => {
                serde_json::from_value::<dlr::DeliveryReport>(v)
                    .map_err(|e| invalid_argument(format!("not a DeliveryReport: {e}")))?
            }
            other => dlr::parse(&bytes(&other)?).napi()?,
        };
        Ok(self.with(|t| t.record(parsed)).as_str().to_string())
    }

    /// The latest report of a message, if any.
    #[napi]
    pub fn get(&self, id: String) -> Option<DeliveryReport> {
        self.with(|t| t.get(&id).cloned().map(DeliveryReport::from))
    }

    /// Messages tracked.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        self.with(|t| t.len()) as u32
    }

    /// Messages per latest normalised status.
    #[napi]
    pub fn counts(&self) -> HashMap<String, u32> {
        self.with(|t| t.counts().into_iter().map(|(k, v)| (k, v as u32)).collect())
    }
}

impl Default for DeliveryTracker {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_stands_in_only_where_json_parse_builds_the_same_value() {
        assert!(json_is_exact(
            &json!({"code": 0, "n": -9007199254740991_i64, "f": 1.5, "a": [null, true, "x"]})
        ));
        assert!(!json_is_exact(&json!({"ms": 9007199254740992_u64})));
        assert!(!json_is_exact(&json!({"a": [{"big": u64::MAX}]})));
        assert!(!json_is_exact(&json!({"__proto__": {"x": 1}})));
    }

    #[test]
    fn report_json_lists_required_fields_then_the_optional_ones_set() {
        let r = dlr::parse_webhook(br#"{"id":"a","status":"delivered","code":0,"clientId":"c"}"#);
        let Either::A(json) = report(r).unwrap() else {
            panic!("expected JSON")
        };
        let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(&json)
            .map(|m| m.keys().cloned().collect())
            .unwrap();
        assert!(json.starts_with(r#"{"source":"webhook","id":"a","status":"delivered","rawStatus":"delivered","isFinal":true,"raw":"#));
        assert!(keys.contains(&"clientId".to_string()) && !keys.contains(&"message".to_string()));
    }
}
