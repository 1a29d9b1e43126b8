//! Delivery-report parsing (`instasent::dlr`) into a C struct.

use std::ffi::{c_char, c_int};

use instasent::dlr::{self, DeliveryReport};
use serde_json::Value;

use crate::abi::{self, arg_bytes, arg_str, guard};
use crate::error::{c_string, instasent_code, instasent_error, Failure};

/// A delivery report, whatever it arrived as. Owned by the caller: free it with
/// `instasent_delivery_report_free`. Strings documented as nullable are NULL when absent.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct instasent_delivery_report {
    /// "webhook", "smpp" or "insider".
    pub source: *mut c_char,
    /// The Instasent message id.
    pub id: *mut c_char,
    /// Nullable.
    pub client_id: *mut c_char,
    /// Normalised status ("delivered", "failed", ...; "unknown" for an unrecognised one).
    pub status: *mut c_char,
    /// The status exactly as received ("DELIVRD", "weird-new-status").
    pub raw_status: *mut c_char,
    /// Valid when `has_code`.
    pub code: i64,
    pub has_code: bool,
    /// The documented meaning of `code`; nullable (unknown codes keep `code` only).
    pub code_meaning: *mut c_char,
    /// RFC 3339 UTC; nullable.
    pub event_at: *mut c_char,
    /// Unix seconds; valid when `has_event_at`.
    pub event_unix: i64,
    pub has_event_at: bool,
    /// No further transition is expected for this message.
    pub is_final: bool,
    /// Inbound or opt-out text; nullable.
    pub message: *mut c_char,
    /// The handset number, where the source carries it; nullable.
    pub to: *mut c_char,
    /// SMPP `dlvrd > 0`: 1 or 0; -1 when the source does not say.
    pub delivered: c_int,
    /// The whole report as camelCase JSON (including `raw`, the payload as JSON).
    pub json: *mut c_char,
}

fn text_of(v: &Value, key: &str) -> *mut c_char {
    match v.get(key) {
        Some(Value::String(s)) => c_string(s.as_str()),
        _ => std::ptr::null_mut(),
    }
}

fn to_c(
    parsed: instasent::Result<DeliveryReport>,
) -> Result<Box<instasent_delivery_report>, Failure> {
    report_to_c(parsed?)
}

/// The C struct of a report (also what `instasent_dlr_tracker_get` hands out).
pub(crate) fn report_to_c(r: DeliveryReport) -> Result<Box<instasent_delivery_report>, Failure> {
    // Enums (source, status) are read in their serialised form: the same strings every binding
    // and the vectors use.
    let v = serde_json::to_value(&r)
        .map_err(|e| instasent::Error::decode(format!("cannot encode the report: {e}")))?;
    Ok(Box::new(instasent_delivery_report {
        source: text_of(&v, "source"),
        id: c_string(r.id.as_str()),
        client_id: r
            .client_id
            .as_deref()
            .map_or(std::ptr::null_mut(), c_string),
        status: text_of(&v, "status"),
        raw_status: c_string(r.raw_status.as_str()),
        code: r.code.unwrap_or(0),
        has_code: r.code.is_some(),
        code_meaning: r
            .code_meaning
            .as_deref()
            .map_or(std::ptr::null_mut(), c_string),
        event_at: r.event_at.as_deref().map_or(std::ptr::null_mut(), c_string),
        event_unix: r.event_unix.unwrap_or(0),
        has_event_at: r.event_unix.is_some(),
        is_final: r.is_final,
        message: r.message.as_deref().map_or(std::ptr::null_mut(), c_string),
        to: r.to.as_deref().map_or(std::ptr::null_mut(), c_string),
        delivered: r.delivered.map_or(-1, c_int::from),
        json: c_string(v.to_string()),
    }))
}

/// Parses a delivery report of any supported kind, detected from its content: Instasent
/// webhook JSON, Insider callback JSON or an SMPP receipt text. `payload` is `len` bytes (need
/// not be NUL-terminated). A payload that is none of them is INSTASENT_DECODE.
/// `*out`: free with `instasent_delivery_report_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_parse_dlr(
    payload: *const c_char,
    len: usize,
    out: *mut *mut instasent_delivery_report,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard(out, err, || {
        to_c(dlr::parse(unsafe { arg_bytes(payload, len, "payload") }?))
    })
}

/// Parses an Instasent DLR webhook body (JSON) only. As `instasent_parse_dlr` otherwise.
#[no_mangle]
pub unsafe extern "C" fn instasent_parse_webhook(
    payload: *const c_char,
    len: usize,
    out: *mut *mut instasent_delivery_report,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard(out, err, || {
        to_c(dlr::parse_webhook(unsafe {
            arg_bytes(payload, len, "payload")
        }?))
    })
}

/// Parses an Insider SMS status callback (JSON) only. As `instasent_parse_dlr` otherwise.
#[no_mangle]
pub unsafe extern "C" fn instasent_parse_insider_event(
    payload: *const c_char,
    len: usize,
    out: *mut *mut instasent_delivery_report,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard(out, err, || {
        to_c(dlr::parse_insider_event(unsafe {
            arg_bytes(payload, len, "payload")
        }?))
    })
}

/// Parses an SMPP `deliver_sm` receipt text (`id:... sub:... dlvrd:... submit date:... done
/// date:... stat:... err:... text:...`). `*out`: free with `instasent_delivery_report_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_parse_smpp_receipt(
    text: *const c_char,
    out: *mut *mut instasent_delivery_report,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard(out, err, || {
        to_c(dlr::parse_smpp_receipt(unsafe { arg_str(text, "text") }?))
    })
}

/// Frees a delivery report and its strings. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_delivery_report_free(report: *mut instasent_delivery_report) {
    abi::free_quietly(|| {
        if report.is_null() {
            return;
        }
        // SAFETY: made by Box::into_raw in `report_to_c`; every string is freed once.
        let r = unsafe { Box::from_raw(report) };
        for p in [
            r.source,
            r.id,
            r.client_id,
            r.status,
            r.raw_status,
            r.code_meaning,
            r.event_at,
            r.message,
            r.to,
            r.json,
        ] {
            unsafe { abi::drop_c_string(p) };
        }
    })
}
