//! Delivery reports: `parseDlr` (auto-detected), the per-format parsers, `DeliveryTracker`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;

use napi::bindgen_prelude::{
    Buffer, Either, Either3, FromNapiValue, TypeName, ValidateNapiValue, ValueType,
};
use napi::sys;
use napi_derive::napi;
use serde_json::Value;

use crate::error::{invalid_argument, to_napi, IntoNapi};
use instasent::dlr;

/// A delivery report, whatever it arrived as. `rawStatus` and `code` hold what was received,
/// `status` and `codeMeaning` what the documentation says it means.
// The required fields first, then the optional ones, absent when `None`: the order in which napi
// sets the keys of the objects it builds, and in which `index.js` unpacks the packed form.
#[napi(object)]
pub struct DeliveryReport {
    /// `"webhook"`, `"smpp"` or `"insider"`.
    pub source: String,
    /// The Instasent message id the report is about.
    pub id: String,
    /// Normalised status (`"delivered"`, `"failed"`, … or `"unknown"`).
    pub status: String,
    /// The status exactly as received (`"DELIVRD"`, `"undelivered"`, …).
    pub raw_status: String,
    /// No further transition is expected.
    pub is_final: bool,
    /// The payload as JSON (SMPP: the receipt's fields).
    pub raw: Value,
    /// The `clientId` the message was sent with, when the format carries it (webhook JSON).
    pub client_id: Option<String>,
    /// The error code as received (webhook `code`, SMPP `err`, Insider `reason.code`); 0 is "OK".
    pub code: Option<i64>,
    /// The documented meaning of `code`; absent for an unknown code.
    pub code_meaning: Option<String>,
    /// RFC 3339 UTC.
    pub event_at: Option<String>,
    /// `eventAt` as Unix seconds.
    pub event_unix: Option<i64>,
    /// Inbound or opt-out text (webhook `message`).
    pub message: Option<String>,
    /// The handset number, where the format carries it (Insider `phoneNumber`).
    pub to: Option<String>,
    /// SMPP `dlvrd`: whether the receipt counts the message as delivered.
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

fn bytes(payload: &Payload) -> napi::Result<Cow<'_, [u8]>> {
    Ok(match payload {
        Either3::A(s) => Cow::Borrowed(s.as_bytes()),
        Either3::B(b) => Cow::Borrowed(b),
        Either3::C(JsonObject(v)) if v.is_object() => serde_json::to_vec(v)
            .map(Cow::Owned)
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

/// A parsed report for `index.js`: packed as JSON, which it unpacks (several times faster than
/// napi building the object property by property), or as the object when JSON would not give
/// the same one.
type Report = Either<String, DeliveryReport>;

fn report(r: instasent::Result<dlr::DeliveryReport>) -> napi::Result<Report> {
    let r = r.napi()?;
    if json_is_exact(&r.raw) {
        if let Ok(json) = pack(&r) {
            return Ok(Either::A(json));
        }
    }
    Ok(Either::B(DeliveryReport::from(r)))
}

/// One JSON array, the fields in [`DeliveryReport`]'s order and `null` for an absent one:
/// `JSON.parse` reads it faster than the object with its keys, and `unpackReport` in
/// `index.js` names them.
fn pack(r: &dlr::DeliveryReport) -> serde_json::Result<String> {
    serde_json::to_string(&(
        r.source.as_str(),
        &r.id,
        r.status.as_str(),
        &r.raw_status,
        r.is_final,
        &r.raw,
        &r.client_id,
        r.code,
        &r.code_meaning,
        &r.event_at,
        r.event_unix,
        &r.message,
        &r.to,
        r.delivered,
    ))
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
    /// An empty tracker. Feed it every report your webhook receives, in any order.
    #[napi(constructor)]
    pub fn new() -> Self {
        DeliveryTracker {
            inner: Mutex::new(dlr::DeliveryTracker::new()),
        }
    }

    /// Records a report (a parsed `DeliveryReport`, or a raw payload to parse first) and says
    /// what happened: `"applied"`, `"duplicate"` or `"stale"`.
    #[napi(ts_args_type = "report: DeliveryReport | string | Buffer | Record<string, any>")]
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

    /// Forgets a message and returns its latest report, or `null` when none is held. Once a
    /// final state is stored elsewhere, a long-running receiver removes it, so the tracker holds
    /// only what is still in flight.
    #[napi]
    pub fn remove(&self, id: String) -> Option<DeliveryReport> {
        self.with(|t| t.remove(&id).map(DeliveryReport::from))
    }

    /// The latest report of every message still in flight (no final status yet), in id order.
    #[napi]
    pub fn pending(&self) -> Vec<DeliveryReport> {
        self.with(|t| t.pending().cloned().map(DeliveryReport::from).collect())
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
    fn a_report_packs_its_fields_in_order_with_null_for_the_absent_ones() {
        let r = dlr::parse_webhook(br#"{"id":"a","status":"delivered","code":0,"clientId":"c"}"#);
        let Either::A(json) = report(r).unwrap() else {
            panic!("expected JSON")
        };
        let packed: Vec<Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(
            packed,
            vec![
                json!("webhook"),
                json!("a"),
                json!("delivered"),
                json!("delivered"),
                json!(true),
                json!({"id": "a", "status": "delivered", "code": 0, "clientId": "c"}),
                json!("c"),
                json!(0),
                json!("OK"),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
            ]
        );
    }
}
