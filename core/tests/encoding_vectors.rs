//! Runs every case of `tests/vectors/encoding.json` (shared with the binding suites) through
//! `instasent::encoding::analyze` and compares each expected field with the camelCase JSON of
//! the `Analysis`.

use instasent::encoding::{analyze, AnalyzeOptions};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/encoding.json"
    );
    let raw = std::fs::read_to_string(path).expect("tests/vectors/encoding.json is readable");
    serde_json::from_str(&raw).expect("encoding.json is a JSON array")
}

#[test]
fn every_encoding_vector_holds() {
    let cases = cases();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let text = case["text"].as_str().expect("text");
        let options: AnalyzeOptions =
            serde_json::from_value(case["options"].clone()).expect("options");
        let actual = serde_json::to_value(analyze(text, &options)).expect("serializable");
        let expected = case["expected"].as_object().expect("expected is an object");
        for (field, want) in expected {
            let got = actual.get(field).unwrap_or(&Value::Null);
            if got != want {
                failures.push(format!("{name}: {field} expected {want}, got {got}"));
            }
        }
        for required in ["encoding", "segments", "units"] {
            assert!(expected.contains_key(required), "{name} lacks {required}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn names_are_unique() {
    let cases = cases();
    let mut names: Vec<&str> = cases.iter().map(|c| c["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "duplicate case names");
}
