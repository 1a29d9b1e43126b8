//! Instasent DLR webhook JSON: `{ id, clientId, status, code, eventAt, message? }`.
//!
//! Source: docs.instasent.com/transactional-api/http/dlrs ("Payload shape"). Fields the docs do
//! not list are ignored (they stay in `raw`).

use serde_json::Value;

use super::event_time::EventTime;
use super::fields::{as_object, object_from_bytes, opt_id, opt_integer, opt_string};
use super::report::DeliveryReport;
use super::status::{DeliveryStatus, DlrSource};
use crate::Error;

const WHAT: &str = "DLR webhook payload";
const EVENT_AT: &str = "DLR webhook payload `eventAt`";

/// Parses the body of an Instasent DLR webhook POST.
pub fn parse_webhook(payload: &[u8]) -> Result<DeliveryReport, Error> {
    webhook_report(object_from_bytes(payload, WHAT)?)
}

/// Parses an already-decoded DLR webhook body.
pub fn parse_webhook_value(v: &Value) -> Result<DeliveryReport, Error> {
    webhook_report(v.clone())
}

/// The report of a decoded body, which becomes its `raw` as is (a copy of the whole tree was
/// a third of a parse).
pub(crate) fn webhook_report(v: Value) -> Result<DeliveryReport, Error> {
    let obj = as_object(&v, WHAT)?;
    let id =
        opt_id(obj, "id", WHAT)?.ok_or_else(|| Error::decode(format!("{WHAT} has no `id`")))?;
    let raw_status = opt_string(obj, "status", WHAT)?
        .ok_or_else(|| Error::decode(format!("{WHAT} has no `status`")))?;
    if raw_status.trim().is_empty() {
        return Err(Error::decode(format!("{WHAT} has an empty `status`")));
    }
    let status = DeliveryStatus::from_name(raw_status.trim()).unwrap_or(DeliveryStatus::Unknown);
    let event_at = opt_string(obj, "eventAt", WHAT)?
        .map(|text| EventTime::parse_iso8601(&text, EVENT_AT))
        .transpose()?;
    let code = opt_integer(obj, "code", WHAT)?;
    let client_id = opt_string(obj, "clientId", WHAT)?;
    let message = opt_string(obj, "message", WHAT)?;

    let mut report = DeliveryReport::new(DlrSource::Webhook, id, status, raw_status, v)
        .with_documented_code(code)
        .with_event_time(event_at);
    report.client_id = client_id;
    report.message = message;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use serde_json::json;

    #[test]
    fn the_documented_payload_parses() {
        let body = br#"{ "id": "sms-id", "clientId": "custom-id", "status": "delivered", "code": 0, "eventAt": "2026-04-21T10:15:00Z" }"#;
        let r = parse_webhook(body).unwrap();
        assert_eq!(r.source, DlrSource::Webhook);
        assert_eq!(r.id, "sms-id");
        assert_eq!(r.client_id.as_deref(), Some("custom-id"));
        assert_eq!(r.status, DeliveryStatus::Delivered);
        assert_eq!(r.raw_status, "delivered");
        assert_eq!(r.code, Some(0));
        assert_eq!(r.code_meaning.as_deref(), Some("OK"));
        assert_eq!(r.event_at.as_deref(), Some("2026-04-21T10:15:00Z"));
        assert_eq!(r.event_unix, Some(1_776_766_500));
        assert!(r.is_final);
        assert_eq!(r.raw["clientId"], "custom-id");
    }

    #[test]
    fn an_unknown_status_is_kept_raw_and_normalised_to_unknown() {
        let r = parse_webhook_value(&json!({"id": "a", "status": "weird-new-status"})).unwrap();
        assert_eq!(r.status, DeliveryStatus::Unknown);
        assert_eq!(r.raw_status, "weird-new-status");
        assert!(!r.is_final);
    }

    #[test]
    fn an_unknown_code_is_kept_without_meaning() {
        let r = parse_webhook_value(&json!({"id": "a", "status": "failed", "code": 4242})).unwrap();
        assert_eq!(r.code, Some(4242));
        assert_eq!(r.code_meaning, None);
    }

    #[test]
    fn a_numeric_string_code_is_read_as_a_number() {
        let r = parse_webhook_value(&json!({"id": "a", "status": "failed", "code": "6"})).unwrap();
        assert_eq!(r.code, Some(6));
        assert_eq!(r.code_meaning.as_deref(), Some("Antispam reject"));
    }

    #[test]
    fn inbound_text_arrives_in_message() {
        let r = parse_webhook_value(
            &json!({"id": "a", "status": "inbound", "message": "Hola", "clientId": null}),
        )
        .unwrap();
        assert_eq!(r.status, DeliveryStatus::Inbound);
        assert_eq!(r.message.as_deref(), Some("Hola"));
        assert_eq!(r.client_id, None);
    }

    #[test]
    fn malformed_payloads_are_decode_errors_that_name_the_problem() {
        let cases: [(&[u8], &str); 9] = [
            (b"not json", "is not valid JSON"),
            (b"[]", "must be a JSON object, got an array"),
            (br#"{"status":"sent"}"#, "has no `id`"),
            (br#"{"id":"a"}"#, "has no `status`"),
            (br#"{"id":"a","status":""}"#, "has an empty `status`"),
            (br#"{"id":"a","status":7}"#, "`status` must be a string"),
            (
                br#"{"id":"a","status":"sent","code":"x"}"#,
                "`code` must be an integer",
            ),
            (
                br#"{"id":"a","status":"sent","eventAt":"soon"}"#,
                "`eventAt` `soon` is not an ISO-8601",
            ),
            (
                br#"{"id":"a","status":"sent","clientId":5}"#,
                "`clientId` must be a string",
            ),
        ];
        for (body, expected) in cases {
            let err = parse_webhook(body).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Decode);
            assert!(
                err.message().contains(expected),
                "{:?}: {}",
                String::from_utf8_lossy(body),
                err.message()
            );
        }
    }
}
