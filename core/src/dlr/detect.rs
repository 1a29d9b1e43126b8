//! One entry point for any DLR payload, for callers that receive several kinds on one endpoint.

use serde_json::Value;

use super::event_time::truncate;
use super::fields::{as_object, object_from_bytes};
use super::insider::insider_report;
use super::report::DeliveryReport;
use super::smpp::parse_smpp_receipt;
use super::webhook::webhook_report;
use crate::Error;

const WHAT: &str = "DLR payload";

/// Parses a DLR of any supported kind: a JSON object with `event` or `messageId` is an Insider
/// event, a JSON object with `status` an Instasent webhook, text starting with `id:` an SMPP
/// receipt. Leading whitespace and a UTF-8 byte-order mark are skipped.
pub fn parse(payload: &[u8]) -> Result<DeliveryReport, Error> {
    let body = payload.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(payload);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let body = &body[start..];
    let Some(&first) = body.first() else {
        return Err(Error::decode("DLR payload is empty"));
    };
    if body.len() >= 3 && body[..3].eq_ignore_ascii_case(b"id:") {
        let text = std::str::from_utf8(body).map_err(|e| {
            Error::decode(format!("SMPP receipt is not valid UTF-8: {e}")).with_source(e)
        })?;
        return parse_smpp_receipt(text);
    }
    if matches!(first, b'{' | b'[') {
        return dispatch_json(object_from_bytes(body, WHAT)?);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => {
            as_object(&value, WHAT)?;
            dispatch_json(value)
        }
        Err(_) => Err(Error::decode(format!(
            "{WHAT} `{}` is neither JSON nor an SMPP receipt (`id:…`)",
            truncate(&String::from_utf8_lossy(body))
        ))),
    }
}

fn dispatch_json(value: Value) -> Result<DeliveryReport, Error> {
    let has = |key: &str| value.get(key).is_some_and(|v| !v.is_null());
    if has("event") || has("messageId") {
        insider_report(value)
    } else if has("status") {
        webhook_report(value)
    } else {
        Err(Error::decode(format!(
            "{WHAT} is neither an Instasent webhook (no `status`) nor an Insider event (no `event` or `messageId`)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlr::DlrSource;

    #[test]
    fn each_kind_is_recognised() {
        let webhook = parse(br#" {"id":"a","status":"sent"}"#).unwrap();
        assert_eq!(webhook.source, DlrSource::Webhook);
        let insider = parse(br#"{"id":"a","event":"sent","status":"x"}"#).unwrap();
        assert_eq!(insider.source, DlrSource::Insider);
        let webhook = parse(br#"{"id":"a","status":"sent","event":null}"#).unwrap();
        assert_eq!(webhook.source, DlrSource::Webhook);
        let accepted = parse(br#"{"message":"Accepted","messageId":"m"}"#).unwrap();
        assert_eq!(accepted.source, DlrSource::Insider);
        let smpp = parse(b"\xEF\xBB\xBF\nid:1 stat:DELIVRD").unwrap();
        assert_eq!(smpp.source, DlrSource::Smpp);
    }

    #[test]
    fn anything_else_is_a_decode_error() {
        for (body, expected) in [
            (&b""[..], "is empty"),
            (b"  ", "is empty"),
            (b"{\"id\":\"a\"}", "neither an Instasent webhook"),
            (
                b"[{\"id\":\"a\",\"status\":\"sent\"}]",
                "must be a JSON object, got an array",
            ),
            (b"{nope", "is not valid JSON"),
            (b"stat:DELIVRD id:1", "neither JSON nor an SMPP receipt"),
            (b"\"delivered\"", "must be a JSON object, got a string"),
            (b"42", "must be a JSON object, got a number"),
            (b"id:\xff stat:DELIVRD", "not valid UTF-8"),
        ] {
            let err = parse(body).unwrap_err();
            assert!(err.message().contains(expected), "{}", err.message());
        }
    }
}
