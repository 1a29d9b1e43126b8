//! Insider transactional SMS callback events.
//!
//! Source: reference/insider-transactional-sms.md ("SMS Status Callback", "Sample Callback
//! Responses"). Every event carries `id`, `event`, `uniqueArgs`, and mostly `phoneNumber`,
//! `timestamp` (unix seconds) and `partCount`; failures add `reason {message, code}`. The accept
//! acknowledgement is different: `{"message": "Accepted", "messageId": …}`, with no `event`.

use serde_json::Value;

use super::event_time::EventTime;
use super::fields::{as_object, object_from_bytes, opt_id, opt_integer, opt_string, type_name};
use super::report::DeliveryReport;
use super::status::{DeliveryStatus, DlrSource};
use crate::Error;

const WHAT: &str = "Insider event";
const REASON: &str = "Insider event `reason`";
const TIMESTAMP: &str = "Insider event `timestamp`";

/// The raw status given to an accept acknowledgement, which has no `event` of its own.
const ACCEPTED: &str = "accepted";

/// The normalised status of an Insider `event` (ASCII case-insensitive).
///
/// `undelivered` ("Soft Bounce" in the docs: the carrier could not deliver) is `failed`, the
/// webhook's "Message could not be delivered". `failed` is what the docs title "SMS Dropped"
/// (e.g. "Invalid Phone Number": Insider never sent it), so it is `error`, "Message could not
/// be sent to the device". An unlisted event is `unknown`.
pub fn insider_event_status(event: &str) -> DeliveryStatus {
    const MAP: [(&str, DeliveryStatus); 6] = [
        ("accepted", DeliveryStatus::Accepted),
        ("sent", DeliveryStatus::Sent),
        ("delivered", DeliveryStatus::Delivered),
        ("undelivered", DeliveryStatus::Failed),
        ("failed", DeliveryStatus::Error),
        ("scheduled", DeliveryStatus::Scheduled),
    ];
    MAP.iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(event))
        .map_or(DeliveryStatus::Unknown, |(_, status)| *status)
}

/// Parses the body of an Insider callback POST.
pub fn parse_insider_event(payload: &[u8]) -> Result<DeliveryReport, Error> {
    insider_report(object_from_bytes(payload, WHAT)?)
}

/// Parses an already-decoded Insider callback body. `reason.code` becomes `code` and
/// `reason.message` becomes `code_meaning` (Insider codes are not Instasent's table).
pub fn parse_insider_event_value(v: &Value) -> Result<DeliveryReport, Error> {
    insider_report(v.clone())
}

/// The report of a decoded event, which becomes its `raw` as is.
pub(crate) fn insider_report(v: Value) -> Result<DeliveryReport, Error> {
    let obj = as_object(&v, WHAT)?;
    let message_id = opt_id(obj, "messageId", WHAT)?;
    let id = match opt_id(obj, "id", WHAT)? {
        Some(id) => id,
        None => message_id
            .clone()
            .ok_or_else(|| Error::decode(format!("{WHAT} has no `id` (or `messageId`)")))?,
    };
    let raw_status = match opt_string(obj, "event", WHAT)? {
        Some(event) if event.trim().is_empty() => {
            return Err(Error::decode(format!("{WHAT} has an empty `event`")))
        }
        Some(event) => event,
        None if message_id.is_some() => ACCEPTED.to_owned(),
        None => return Err(Error::decode(format!("{WHAT} has no `event`"))),
    };
    let status = insider_event_status(raw_status.trim());

    let (code, reason) = match obj.get("reason") {
        None | Some(Value::Null) => (None, None),
        Some(reason @ Value::Object(_)) => {
            let reason = as_object(reason, WHAT)?;
            (
                opt_integer(reason, "code", REASON)?,
                opt_string(reason, "message", REASON)?,
            )
        }
        Some(other) => {
            return Err(Error::decode(format!(
                "{WHAT} `reason` must be an object, got {}",
                type_name(other)
            )))
        }
    };
    let at = opt_integer(obj, "timestamp", WHAT)?
        .map(|seconds| EventTime::from_unix(seconds, TIMESTAMP))
        .transpose()?;

    let to = opt_string(obj, "phoneNumber", WHAT)?;

    let mut report =
        DeliveryReport::new(DlrSource::Insider, id, status, raw_status, v).with_event_time(at);
    report.code = code;
    report.code_meaning = reason;
    report.to = to;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use serde_json::json;

    #[test]
    fn the_accept_acknowledgement_uses_message_id() {
        let r = parse_insider_event(
            br#"{"message": "Accepted", "messageId": "sms-a1234567-b123-c123-d123-e123f123456"}"#,
        )
        .unwrap();
        assert_eq!(r.source, DlrSource::Insider);
        assert_eq!(r.id, "sms-a1234567-b123-c123-d123-e123f123456");
        assert_eq!(r.status, DeliveryStatus::Accepted);
        assert_eq!(r.raw_status, "accepted");
        assert_eq!(r.message, None);
        assert_eq!(r.event_at, None);
        assert!(!r.is_final);
    }

    #[test]
    fn undelivered_is_failed_with_the_reason_as_code() {
        let r = parse_insider_event_value(&json!({
            "id": "sms-1", "uniqueArgs": {"a": "b"}, "event": "undelivered",
            "reason": {"message": "Soft Bounce", "code": 1404},
            "phoneNumber": "+901234567890", "timestamp": 1234567890
        }))
        .unwrap();
        assert_eq!(r.status, DeliveryStatus::Failed);
        assert_eq!(r.raw_status, "undelivered");
        assert_eq!(r.code, Some(1404));
        assert_eq!(r.code_meaning.as_deref(), Some("Soft Bounce"));
        assert_eq!(r.to.as_deref(), Some("+901234567890"));
        assert_eq!(r.event_at.as_deref(), Some("2009-02-13T23:31:30Z"));
        assert_eq!(r.event_unix, Some(1_234_567_890));
        assert!(r.is_final);
        assert_eq!(r.raw["uniqueArgs"]["a"], "b");
    }

    #[test]
    fn dropped_is_error_and_scheduled_is_not_final() {
        let dropped = parse_insider_event_value(&json!({"id": "x", "event": "failed"})).unwrap();
        assert_eq!(dropped.status, DeliveryStatus::Error);
        let scheduled =
            parse_insider_event_value(&json!({"id": "x", "event": "scheduled"})).unwrap();
        assert_eq!(scheduled.status, DeliveryStatus::Scheduled);
        assert!(!scheduled.is_final);
        let new = parse_insider_event_value(&json!({"id": "x", "event": "clicked"})).unwrap();
        assert_eq!(new.status, DeliveryStatus::Unknown);
        assert_eq!(new.raw_status, "clicked");
    }

    #[test]
    fn malformed_events_are_decode_errors_that_name_the_problem() {
        let cases = [
            (json!({"event": "sent"}), "has no `id` (or `messageId`)"),
            (json!({"id": "x"}), "has no `event`"),
            (json!({"id": "x", "event": ""}), "has an empty `event`"),
            (
                json!({"id": "x", "event": "sent", "reason": "bad"}),
                "`reason` must be an object",
            ),
            (
                json!({"id": "x", "event": "sent", "reason": {"code": "abc"}}),
                "`reason` `code` must be an integer",
            ),
            (
                json!({"id": "x", "event": "sent", "timestamp": "noon"}),
                "`timestamp` must be an integer",
            ),
            (
                json!({"id": "x", "event": "sent", "timestamp": i64::MAX}),
                "is not a representable unix time",
            ),
            (
                json!({"id": "x", "event": "sent", "phoneNumber": 34600}),
                "`phoneNumber` must be a string",
            ),
        ];
        for (payload, expected) in cases {
            let err = parse_insider_event_value(&payload).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Decode);
            assert!(
                err.message().contains(expected),
                "{payload}: {}",
                err.message()
            );
        }
    }
}
