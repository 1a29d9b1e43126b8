//! The one place where a core [`instasent::Error`] becomes a JS error. The napi error carries a
//! marker followed by a JSON description; `lib/errors.js` turns it into an `InstasentError`
//! with a stable `code` (`ErrorKind::code`). Nothing else in the binding decides a code.

use napi::Status;
use serde_json::{json, Value};

/// Prefix of the reason of every error this binding raises; `lib/errors.js` looks for it.
pub const MARKER: &str = "\u{1}instasent-error:";

/// A core error as a napi error (reason = marker + JSON).
pub fn to_napi(e: instasent::Error) -> napi::Error {
    let rate_limit = e
        .rate_limit()
        .map(|r| json!({"limit": r.limit, "remaining": r.remaining, "reset": r.reset}));
    let described = json!({
        "code": e.kind().code(),
        "message": e.to_string(),
        "status": e.status(),
        "fields": e.fields(),
        "body": e.body(),
        "retryAfter": e.retry_after().map(|d| d.as_secs_f64()),
        "resetAt": e.rate_limit().map(|r| r.reset),
        "rateLimit": rate_limit.unwrap_or(Value::Null),
        "maybeCommitted": e.maybe_committed(),
        "clientId": e.client_id(),
    });
    napi::Error::new(Status::GenericFailure, format!("{MARKER}{described}"))
}

/// Arguments the binding cannot turn into core values: `INVALID_ARGUMENT`, like the core's own.
pub fn invalid_argument(message: impl Into<String>) -> napi::Error {
    to_napi(instasent::Error::invalid_argument(message))
}

pub trait IntoNapi<T> {
    fn napi(self) -> napi::Result<T>;
}

impl<T> IntoNapi<T> for instasent::Result<T> {
    fn napi(self) -> napi::Result<T> {
        self.map_err(to_napi)
    }
}

/// The stable codes, in `ErrorKind::ALL` order.
#[napi_derive::napi]
pub fn error_codes() -> Vec<String> {
    instasent::ErrorKind::ALL
        .iter()
        .map(|k| k.code().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_holds_code_status_and_fields() {
        let mut fields = instasent::FieldErrors::new();
        fields.insert("to".into(), vec!["This value is not valid".into()]);
        let e = instasent::Error::new(instasent::ErrorKind::Validation, "rejected")
            .with_status(422)
            .with_fields(fields);
        let reason = to_napi(e).reason;
        let json: Value = serde_json::from_str(reason.strip_prefix(MARKER).unwrap()).unwrap();
        assert_eq!(json["code"], "VALIDATION");
        assert_eq!(json["status"], 422);
        assert_eq!(json["fields"]["to"][0], "This value is not valid");
    }
}
