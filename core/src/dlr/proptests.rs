//! Property tests: no input makes a parser panic, and whatever parses is self-consistent.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;

/// Invariants every successfully parsed report keeps.
fn check(report: &DeliveryReport) {
    assert!(!report.id.is_empty());
    assert_eq!(report.is_final, report.status.is_final());
    assert_eq!(report.event_at.is_some(), report.event_unix.is_some());
    if report.source != DlrSource::Insider {
        assert_eq!(
            report.code_meaning.as_deref(),
            report.code.and_then(code_meaning)
        );
    }
    serde_json::to_string(report).unwrap();
}

fn json_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::from),
        "[0-9]{1,20}".prop_map(Value::from),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9]:[0-6][0-9](Z|[+-][01][0-9]:?[0-5][0-9])?"
            .prop_map(Value::from),
        prop::sample::select(vec!["sent", "delivered", "inbound", "undelivered", "failed", "DELIVRD"])
            .prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_scalar().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,4}|code|message", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Objects built from the field names the parsers look at, with values of any type.
fn dlr_object() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "id",
        "clientId",
        "status",
        "code",
        "eventAt",
        "message",
        "event",
        "messageId",
        "reason",
        "timestamp",
        "phoneNumber",
        "uniqueArgs",
        "partCount",
    ]);
    prop::collection::btree_map(key, json_value(), 0..9)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

/// Receipts assembled from documented and near-miss fields.
fn smpp_text() -> impl Strategy<Value = String> {
    let field = prop_oneof![
        "(id|ID|sub|dlvrd|stat|err|Stat):[0-9A-Za-z]{0,20}",
        "(submit|done) date:[0-9]{0,13}",
        "(submit|done) date:[0-9]{2}[01][0-9][0-3][0-9][0-2][0-9][0-5][0-9]([0-5][0-9])?",
        "stat:(DELIVRD|EXPIRED|DELETED|ACCEPTD|UNDELIV|UNKNOWN|REJECTD)",
        "text:.{0,10}",
        "[^ ]{0,6}",
        ".{0,6}",
    ];
    prop::collection::vec(field, 0..9).prop_map(|fields| fields.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic_any_parser(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let results = [parse(&bytes), parse_webhook(&bytes), parse_insider_event(&bytes)];
        for report in results.into_iter().flatten() {
            check(&report);
        }
    }

    #[test]
    fn random_strings_never_panic_the_smpp_parser(text in ".{0,200}") {
        if let Ok(report) = parse_smpp_receipt(&text) {
            check(&report);
        }
        let _ = parse(text.as_bytes());
    }

    #[test]
    fn receipt_like_text_never_panics_and_keeps_its_fields(text in smpp_text()) {
        let prefixed = format!("id:{text}");
        for input in [&text, &prefixed] {
            if let Ok(report) = parse_smpp_receipt(input) {
                check(&report);
                prop_assert_eq!(report.raw["stat"].as_str(), Some(report.raw_status.as_str()));
                prop_assert_eq!(report.raw["id"].as_str(), Some(report.id.as_str()));
            }
        }
    }

    #[test]
    fn dlr_shaped_json_never_panics(value in dlr_object()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        // Floats need not survive a text round trip, so `parse` is compared with a re-read.
        let reread: Value = serde_json::from_slice(&bytes).unwrap();
        for (result, payload) in [
            (parse_webhook_value(&value), &value),
            (parse_insider_event_value(&value), &value),
            (parse(&bytes), &reread),
        ] {
            if let Ok(report) = result {
                check(&report);
                prop_assert_eq!(&report.raw, payload);
            }
        }
    }

    #[test]
    fn any_status_string_is_kept_raw(status in ".{1,30}") {
        prop_assume!(!status.trim().is_empty());
        let report = parse_webhook_value(&json!({"id": "m", "status": status})).unwrap();
        prop_assert_eq!(&report.raw_status, &status);
        let known = DeliveryStatus::from_name(status.trim());
        prop_assert_eq!(report.status, known.unwrap_or(DeliveryStatus::Unknown));
    }

    #[test]
    fn any_integer_code_is_kept(code in any::<i64>(), as_string in any::<bool>()) {
        let code_value = if as_string { json!(code.to_string()) } else { json!(code) };
        let report = parse_webhook_value(&json!({"id": "m", "status": "failed", "code": code_value})).unwrap();
        prop_assert_eq!(report.code, Some(code));
        prop_assert_eq!(report.code_meaning.as_deref(), code_meaning(code));
    }
}
