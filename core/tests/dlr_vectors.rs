//! The shared DLR vectors (tests/vectors/dlr.json), which every binding's suite also reads.
//! Each case is parsed with its format's parser and with the auto-detecting `parse`; both must
//! agree with the expected fields, which were written from the docs.

use std::collections::BTreeSet;

use instasent::dlr::{
    self, parse_insider_event, parse_insider_event_value, parse_smpp_receipt, parse_webhook,
    parse_webhook_value, DeliveryReport, CODES, SMPP_STATS, STATUSES,
};
use instasent::{Error, ErrorKind};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/dlr.json");
    let text = std::fs::read_to_string(path).expect("tests/vectors/dlr.json is readable");
    serde_json::from_str(&text).expect("dlr.json is a JSON array of cases")
}

fn name(case: &Value) -> &str {
    case["name"].as_str().expect("every case has a name")
}

/// The case's input as the bytes a webhook handler would receive.
fn input_bytes(case: &Value) -> Vec<u8> {
    match &case["input"] {
        Value::String(text) => text.clone().into_bytes(),
        other => serde_json::to_vec(other).unwrap(),
    }
}

/// Every way the case can be parsed; all must give the same answer.
fn parse_all(case: &Value) -> Vec<(&'static str, Result<DeliveryReport, Error>)> {
    let bytes = input_bytes(case);
    let input = &case["input"];
    let mut results = vec![("parse", dlr::parse(&bytes))];
    match case["format"].as_str() {
        Some("webhook") => {
            results.push(("parse_webhook", parse_webhook(&bytes)));
            if !input.is_string() {
                results.push(("parse_webhook_value", parse_webhook_value(input)));
            }
        }
        Some("insider") => {
            results.push(("parse_insider_event", parse_insider_event(&bytes)));
            if !input.is_string() {
                results.push((
                    "parse_insider_event_value",
                    parse_insider_event_value(input),
                ));
            }
        }
        Some("smpp") => {
            let text = input.as_str().expect("smpp inputs are strings");
            results.push(("parse_smpp_receipt", parse_smpp_receipt(text)));
        }
        other => panic!("{}: unknown format {other:?}", name(case)),
    }
    results
}

#[test]
fn every_vector_parses_as_documented() {
    let cases = cases();
    for case in &cases {
        let case_name = name(case);
        for (parser, result) in parse_all(case) {
            if let Some(kind) = case.get("expectedError") {
                let err = result.expect_err(&format!("{case_name}: {parser} must fail"));
                assert_eq!(err.kind(), ErrorKind::Decode, "{case_name}: {parser}");
                assert_eq!(kind.as_str(), Some("decode"), "{case_name}");
                // `parse` may word it differently when the payload does not say what it is.
                let needle = match parser {
                    "parse" => "",
                    _ => case["errorContains"].as_str().unwrap_or(""),
                };
                assert!(
                    err.message().contains(needle),
                    "{case_name}: {parser}: `{}` lacks `{needle}`",
                    err.message()
                );
                continue;
            }
            let report = result.unwrap_or_else(|e| panic!("{case_name}: {parser}: {e}"));
            let got = serde_json::to_value(&report).unwrap();
            assert_eq!(got["source"], case["format"], "{case_name}: {parser}");
            let expected = case["expected"].as_object().expect("expected is an object");
            for (field, want) in expected {
                assert_eq!(
                    got.get(field).unwrap_or(&Value::Null),
                    want,
                    "{case_name}: {parser}: field `{field}`"
                );
            }
            if !case["input"].is_string() {
                assert_eq!(report.raw, case["input"], "{case_name}: raw is the payload");
            }
        }
    }
}

/// The vector file itself must keep covering what the docs list.
#[test]
fn the_vectors_cover_every_documented_value() {
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let errors = cases.iter().filter(|c| c.get("expectedError").is_some());
    assert!(errors.count() >= 6);

    let of_format = |format: &str, field: &str| -> BTreeSet<String> {
        cases
            .iter()
            .filter(|c| c["format"] == format)
            .filter_map(|c| c["expected"][field].as_str().map(str::to_owned))
            .collect()
    };
    let webhook_statuses = of_format("webhook", "rawStatus");
    for (status, _) in STATUSES {
        assert!(
            webhook_statuses.contains(status),
            "no webhook vector for {status}"
        );
    }
    let smpp_stats = of_format("smpp", "rawStatus");
    for (stat, _) in SMPP_STATS {
        assert!(smpp_stats.contains(stat), "no SMPP vector for {stat}");
    }
    let insider_events = of_format("insider", "rawStatus");
    for event in [
        "accepted",
        "sent",
        "delivered",
        "undelivered",
        "failed",
        "scheduled",
    ] {
        assert!(
            insider_events.contains(event),
            "no Insider vector for {event}"
        );
    }
    let codes: BTreeSet<i64> = cases
        .iter()
        .filter_map(|c| c["expected"]["code"].as_i64())
        .collect();
    for (code, _) in CODES {
        assert!(codes.contains(&code), "no vector with code {code}");
    }
}

#[test]
fn vector_meanings_are_the_documented_strings() {
    for case in cases() {
        let expected = &case["expected"];
        if case["format"] == "insider" || expected.is_null() {
            continue;
        }
        if let Some(code) = expected["code"].as_i64() {
            assert_eq!(
                expected["codeMeaning"].as_str(),
                dlr::code_meaning(code),
                "{}",
                name(&case)
            );
        }
    }
}
