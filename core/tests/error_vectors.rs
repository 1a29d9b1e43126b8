//! `tests/vectors/errors.json` is the core's error codes and what each means, for the binding
//! suites that check their own docs against it (Node's `ErrorCode`, C's `instasent_code`, PHP's
//! `InstasentException`, Python's error classes). It must list every `ErrorKind`, in order,
//! with `ErrorKind::code` and `ErrorKind::meaning` word for word.

use instasent::ErrorKind;
use serde_json::{json, Value};

#[test]
fn the_error_vector_is_the_cores_codes_and_meanings() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/errors.json");
    let raw = std::fs::read_to_string(path).expect("tests/vectors/errors.json is readable");
    let listed: Value = serde_json::from_str(&raw).expect("errors.json is JSON");
    let core: Vec<Value> = ErrorKind::ALL
        .iter()
        .map(|k| json!({ "code": k.code(), "meaning": k.meaning() }))
        .collect();
    let core = Value::Array(core);
    assert!(
        listed == core,
        "tests/vectors/errors.json differs from the core; it should read:\n{}",
        serde_json::to_string_pretty(&core).unwrap()
    );
}
