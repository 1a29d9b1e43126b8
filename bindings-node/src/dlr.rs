//! Delivery reports: `parseDlr` (auto-detected), the per-format parsers, `DeliveryTracker`.

use std::collections::HashMap;
use std::sync::Mutex;

use napi::bindgen_prelude::{
    Buffer, Either, Either3, FromNapiValue, TypeName, ValidateNapiValue, ValueType,
};
use napi::sys;
use napi_derive::napi;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{invalid_argument, to_napi, IntoNapi};
use crate::types::mirror;
use instasent::dlr;

/// A delivery report, whatever it arrived as. `rawStatus` and `code` hold what was received,
/// `status` and `codeMeaning` what the documentation says it means.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryReport {
    /// `"webhook"`, `"smpp"` or `"insider"`.
    pub source: String,
    pub id: String,
    pub client_id: Option<String>,
    /// Normalised status (`"delivered"`, `"failed"`, … or `"unknown"`).
    pub status: String,
    pub raw_status: String,
    pub code: Option<i64>,
    pub code_meaning: Option<String>,
    /// RFC 3339 UTC.
    pub event_at: Option<String>,
    pub event_unix: Option<i64>,
    /// No further transition is expected.
    pub is_final: bool,
    pub message: Option<String>,
    pub to: Option<String>,
    pub delivered: Option<bool>,
    /// The payload as JSON (SMPP: the receipt's fields).
    pub raw: Value,
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

fn report(r: instasent::Result<dlr::DeliveryReport>) -> napi::Result<DeliveryReport> {
    mirror(&r.napi()?).napi()
}

/// Any DLR payload: Instasent webhook JSON, SMPP receipt text or Insider callback event.
#[napi(ts_args_type = "payload: string | Buffer | Record<string, any>")]
pub fn parse_dlr(payload: Payload) -> napi::Result<DeliveryReport> {
    report(dlr::parse(&bytes(&payload)?))
}

/// An Instasent DLR webhook body.
#[napi(ts_args_type = "payload: string | Buffer | Record<string, any>")]
pub fn parse_webhook(payload: Payload) -> napi::Result<DeliveryReport> {
    report(dlr::parse_webhook(&bytes(&payload)?))
}

/// An SMPP delivery receipt (`id:… sub:… dlvrd:… submit date:… done date:… stat:… err:…`).
#[napi]
pub fn parse_smpp_receipt(text: Either<String, Buffer>) -> napi::Result<DeliveryReport> {
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
#[napi(ts_args_type = "payload: string | Buffer | Record<string, any>")]
pub fn parse_insider_event(payload: Payload) -> napi::Result<DeliveryReport> {
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
    pub fn get(&self, id: String) -> napi::Result<Option<DeliveryReport>> {
        self.with(|t| t.get(&id).map(mirror).transpose()).napi()
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
