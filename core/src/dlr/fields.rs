//! Typed reads of JSON payload fields with errors that name the payload and the field.
//! A missing field and an explicit `null` are the same thing to every reader here.

use serde_json::{Map, Value};

use super::event_time::truncate;
use crate::Error;

/// Parses bytes as a JSON object; `what` names the payload in errors ("DLR webhook payload").
pub(crate) fn object_from_bytes(payload: &[u8], what: &str) -> Result<Value, Error> {
    let value: Value = serde_json::from_slice(payload)
        .map_err(|e| Error::decode(format!("{what} is not valid JSON: {e}")).with_source(e))?;
    if !value.is_object() {
        return Err(not_an_object(&value, what));
    }
    Ok(value)
}

pub(crate) fn as_object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, Error> {
    value.as_object().ok_or_else(|| not_an_object(value, what))
}

fn not_an_object(value: &Value, what: &str) -> Error {
    Error::decode(format!(
        "{what} must be a JSON object, got {}",
        type_name(value)
    ))
}

pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn present<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

/// An optional string field.
pub(crate) fn opt_string(
    obj: &Map<String, Value>,
    key: &str,
    what: &str,
) -> Result<Option<String>, Error> {
    match present(obj, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Error::decode(format!(
            "{what} `{key}` must be a string, got {}",
            type_name(other)
        ))),
    }
}

/// A message id: a non-empty string, or an integer (rendered in decimal, as SMPP ids are).
pub(crate) fn opt_id(
    obj: &Map<String, Value>,
    key: &str,
    what: &str,
) -> Result<Option<String>, Error> {
    let id = match present(obj, key) {
        None => return Ok(None),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        Some(other) => {
            return Err(Error::decode(format!(
                "{what} `{key}` must be a string, got {}",
                type_name(other)
            )))
        }
    };
    if id.trim().is_empty() {
        return Err(Error::decode(format!("{what} has an empty `{key}`")));
    }
    Ok(Some(id))
}

/// An optional integer that may arrive as a JSON number or a numeric string (`"6"`).
pub(crate) fn opt_integer(
    obj: &Map<String, Value>,
    key: &str,
    what: &str,
) -> Result<Option<i64>, Error> {
    let bad =
        |shown: String| Error::decode(format!("{what} `{key}` must be an integer, got {shown}"));
    match present(obj, key) {
        None => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| bad(n.to_string())),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| bad(format!("\"{}\"", truncate(s)))),
        Some(other) => Err(bad(type_name(other).to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn integers_accept_numbers_and_numeric_strings() {
        let o = obj(json!({"a": 6, "b": " 12 ", "c": null, "d": "x", "e": 1.5, "f": true}));
        assert_eq!(opt_integer(&o, "a", "p").unwrap(), Some(6));
        assert_eq!(opt_integer(&o, "b", "p").unwrap(), Some(12));
        assert_eq!(opt_integer(&o, "c", "p").unwrap(), None);
        assert_eq!(opt_integer(&o, "missing", "p").unwrap(), None);
        for key in ["d", "e", "f"] {
            let err = opt_integer(&o, key, "p").unwrap_err();
            assert!(err.message().contains("must be an integer"), "{key}");
        }
    }

    #[test]
    fn ids_are_non_empty_strings_or_integers() {
        let o =
            obj(json!({"a": "sms-1", "b": 288230378411154593u64, "c": "  ", "d": 1.5, "e": []}));
        assert_eq!(opt_id(&o, "a", "p").unwrap().as_deref(), Some("sms-1"));
        assert_eq!(
            opt_id(&o, "b", "p").unwrap().as_deref(),
            Some("288230378411154593")
        );
        assert!(opt_id(&o, "c", "p").is_err());
        assert!(opt_id(&o, "d", "p").is_err());
        assert!(opt_id(&o, "e", "p").is_err());
    }

    #[test]
    fn non_objects_are_rejected_with_their_type() {
        let err = object_from_bytes(b"[1]", "DLR webhook payload").unwrap_err();
        assert_eq!(
            err.message(),
            "DLR webhook payload must be a JSON object, got an array"
        );
        let err = object_from_bytes(b"{", "DLR webhook payload").unwrap_err();
        assert!(err
            .message()
            .starts_with("DLR webhook payload is not valid JSON"));
    }
}
