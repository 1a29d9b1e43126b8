//! The documented field rules of `POST /sms` and `POST /sms/bulk` items
//! (docs: transactional-api/http/bulk, "Each item accepts the same fields as POST /sms").
//! The client checks them before sending and the sandbox enforces them, so both always agree.

use serde_json::Value;

use crate::encoding::{self, AnalyzeOptions, Encoding};
use crate::error::FieldErrors;
use crate::model::SmsRequest;

/// Items per `POST /sms/bulk` request (docs: "Items per request 1 – 100").
pub const MAX_BULK_ITEMS: usize = 100;
/// `clientId`: "Your own reference (≤40 chars)".
pub const MAX_CLIENT_ID_CHARS: usize = 40;
/// The concatenation header numbers parts in one octet (3GPP TS 23.040 §9.2.3.24.1),
/// so no message can travel in more than 255 parts.
pub const MAX_SEGMENTS: usize = 255;

/// The API's message for a required field that is missing, empty, or (`from`, `to`) only
/// spaces.
pub const NOT_BLANK: &str = "This value should not be blank.";
/// Exactly as the docs show it for a rejected `to` (transactional-api/http/bulk, the `errors`
/// example): no final period, unlike the messages the docs do not show.
pub const NOT_VALID: &str = "This value is not valid";
/// The API's message for a string field given as another JSON type.
pub const WRONG_TYPE: &str = "This value should be of type string.";
/// The message the API gives for a `clientId` that an earlier accepted SMS already carries.
/// The client relies on it to recognise that a retried send had in fact been accepted.
pub const CLIENT_ID_ALREADY_USED: &str = "This value is already used.";

/// Checks one SMS against every documented rule; all failing fields are reported at once.
pub fn validate_sms(sms: &SmsRequest) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut add = |field: &str, message: String| {
        errors.entry(field.to_string()).or_default().push(message);
    };
    if let Some(m) = check_sender(&sms.from) {
        add("from", m);
    }
    if let Some(m) = check_msisdn(&sms.to) {
        add("to", m);
    }
    if let Some(m) = check_text(&sms.text, sms.allow_unicode) {
        add("text", m);
    }
    if let Some(id) = &sms.client_id {
        if let Some(m) = check_client_id(id) {
            add("clientId", m);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// An item's fields as a server reads them: `None` is a field left out or null. Deserialising
/// a well-typed body straight into these skips the `serde_json::Value` tree (the sandbox's
/// fast path); a mistyped field, or an item that is not an object, fails the decode, and
/// [`validate_sms_value`] reports it.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct SmsItemFields {
    /// `from`, the sender ID.
    pub from: Option<String>,
    /// `to`, the destination number.
    pub to: Option<String>,
    /// `text`, the message body.
    pub text: Option<String>,
    /// `allowUnicode`; `None` reads as `false`.
    pub allow_unicode: Option<bool>,
    /// `clientId`, the caller's reference.
    pub client_id: Option<String>,
}

/// The fields as serde's derive reads them. Only ever fed an object: a derived decoder also
/// takes a JSON array of the values in field order (`["Acme", "+34…", "Hi", true, "c-1"]`),
/// which is not a message, so [`SmsItemFields`] hands it nothing else.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObjectFields {
    from: Option<String>,
    to: Option<String>,
    text: Option<String>,
    allow_unicode: Option<bool>,
    client_id: Option<String>,
}

impl<'de> serde::Deserialize<'de> for SmsItemFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectOnly;
        impl<'de> serde::de::Visitor<'de> for ObjectOnly {
            type Value = SmsItemFields;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an SMS item object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                use serde::Deserialize;
                let f =
                    ObjectFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(SmsItemFields {
                    from: f.from,
                    to: f.to,
                    text: f.text,
                    allow_unicode: f.allow_unicode,
                    client_id: f.client_id,
                })
            }
        }
        deserializer.deserialize_map(ObjectOnly)
    }
}

impl SmsItemFields {
    /// The documented rules; exactly what [`validate_sms_value`] gives for the same JSON.
    pub fn validate(self) -> Result<SmsRequest, FieldErrors> {
        self.validate_after(FieldErrors::new())
    }

    /// Adds the missing fields and the documented rules to the errors found while reading the
    /// fields; the first error a field got (wrong type, missing) wins.
    fn validate_after(self, mut errors: FieldErrors) -> Result<SmsRequest, FieldErrors> {
        for (name, value) in [("from", &self.from), ("to", &self.to), ("text", &self.text)] {
            if value.is_none() {
                errors
                    .entry(name.into())
                    .or_insert_with(|| vec![NOT_BLANK.into()]);
            }
        }
        let sms = SmsRequest {
            from: self.from.unwrap_or_default(),
            to: self.to.unwrap_or_default(),
            text: self.text.unwrap_or_default(),
            allow_unicode: self.allow_unicode.unwrap_or(false),
            client_id: self.client_id,
        };
        if let Err(more) = validate_sms(&sms) {
            for (field, messages) in more {
                errors.entry(field).or_insert(messages);
            }
        }
        if errors.is_empty() {
            Ok(sms)
        } else {
            Err(errors)
        }
    }
}

/// Validates an untyped JSON item (what a server receives), reporting wrong types per field.
pub fn validate_sms_value(item: &Value) -> Result<SmsRequest, FieldErrors> {
    let Some(obj) = item.as_object() else {
        let mut errors = FieldErrors::new();
        errors.insert(
            "item".into(),
            vec!["This value should be of type object.".into()],
        );
        return Err(errors);
    };
    let mut errors = FieldErrors::new();
    let mut string_field = |name: &str| -> Option<String> {
        match obj.get(name)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            _ => {
                errors.insert(name.into(), vec![WRONG_TYPE.into()]);
                None
            }
        }
    };
    let mut fields = SmsItemFields {
        from: string_field("from"),
        to: string_field("to"),
        text: string_field("text"),
        client_id: string_field("clientId"),
        allow_unicode: None,
    };
    fields.allow_unicode = match obj.get("allowUnicode") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            errors.insert(
                "allowUnicode".into(),
                vec!["This value should be of type bool.".into()],
            );
            None
        }
    };
    fields.validate_after(errors)
}

/// Sender ID: "3–14 characters — up to 11 alphanumeric chars or up to 14 digits".
/// Spaces are allowed inside an alphanumeric sender (the SDK pages send as "My company").
pub fn check_sender(from: &str) -> Option<String> {
    if from.trim().is_empty() {
        return Some(NOT_BLANK.into());
    }
    let len = from.chars().count();
    let numeric = from.bytes().all(|b| b.is_ascii_digit());
    if numeric {
        if !(3..=14).contains(&len) {
            return Some("A numeric sender must have 3 to 14 digits.".into());
        }
        return None;
    }
    let alphanumeric = from.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ');
    if !alphanumeric || from.starts_with(' ') || from.ends_with(' ') {
        return Some(
            "An alphanumeric sender may only contain letters A-Z, digits and inner spaces.".into(),
        );
    }
    if !(3..=11).contains(&len) {
        return Some("An alphanumeric sender must have 3 to 11 characters.".into());
    }
    None
}

/// E.164: `+`, a non-zero country code digit, at most 15 digits in all (ITU-T E.164 §6).
/// Every malformed number gets the one documented message, [`NOT_VALID`]: the client's local
/// check must word a rejection exactly as the API does.
pub fn check_msisdn(to: &str) -> Option<String> {
    if to.trim().is_empty() {
        return Some(NOT_BLANK.into());
    }
    let Some(digits) = to.strip_prefix('+') else {
        return Some(NOT_VALID.into());
    };
    let ok = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        None
    } else {
        Some(NOT_VALID.into())
    }
}

/// Text is required; without `allowUnicode` it must be GSM-7; it must fit in 255 parts.
pub fn check_text(text: &str, allow_unicode: bool) -> Option<String> {
    if text.is_empty() {
        return Some(NOT_BLANK.into());
    }
    // A 255-part UCS-2 message holds 255 × 67 UTF-16 units; anything with more chars is too long
    // whatever its encoding, so huge inputs are refused before they are analysed.
    if text.len() > MAX_SEGMENTS * 153 * 4 {
        return Some(format!(
            "This text is too long: it would need more than {MAX_SEGMENTS} parts."
        ));
    }
    // Plain GSM-7 that obviously fits needs no segmentation: the common case stays cheap.
    let septets = encoding::text_septets(text);
    if septets.is_some_and(|n| n <= (MAX_SEGMENTS - 5) * 153) {
        return None;
    }
    let analysis = encoding::analyze(text, &AnalyzeOptions::default());
    if analysis.encoding == Encoding::Ucs2 && !allow_unicode {
        let shown: String = analysis.unicode_chars.iter().take(5).collect();
        return Some(format!(
            "This text has characters outside GSM-7 ({shown}); set allowUnicode to send it as UCS-2."
        ));
    }
    if analysis.segments > MAX_SEGMENTS {
        return Some(format!(
            "This text is too long: it would need more than {MAX_SEGMENTS} parts."
        ));
    }
    None
}

/// `clientId`: non-empty, at most 40 characters.
pub fn check_client_id(client_id: &str) -> Option<String> {
    if client_id.is_empty() {
        return Some(NOT_BLANK.into());
    }
    if client_id.chars().count() > MAX_CLIENT_ID_CHARS {
        return Some(format!(
            "This value is too long. It should have {MAX_CLIENT_ID_CHARS} characters or less."
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(from: &str, to: &str, text: &str) -> SmsRequest {
        SmsRequest::new(from, to, text)
    }

    #[test]
    fn documented_sender_rules() {
        assert_eq!(check_sender("Instasent"), None);
        assert_eq!(check_sender("My company"), None);
        assert_eq!(check_sender("12345678901234"), None);
        assert!(check_sender("ab").is_some());
        assert!(check_sender("ABCDEFGHIJKL").is_some(), "12 alphanumerics");
        assert!(check_sender("123456789012345").is_some(), "15 digits");
        assert!(check_sender("Acme!").is_some());
        assert!(check_sender("").is_some());
    }

    #[test]
    fn e164_rules() {
        assert_eq!(check_msisdn("+34600000000"), None);
        for bad in [
            "34600000000",
            "+0034600000",
            "+3460000000000000",
            "+34 600 000",
        ] {
            // docs: transactional-api/http/bulk, `"to": ["This value is not valid"]`.
            assert_eq!(
                check_msisdn(bad).as_deref(),
                Some("This value is not valid"),
                "{bad}"
            );
        }
        assert_eq!(check_msisdn("").as_deref(), Some(NOT_BLANK));
    }

    #[test]
    fn only_an_object_is_read_as_item_fields() {
        let array = json!(["Acme", "+34600000000", "Hi", true, "c-1"]);
        assert!(serde_json::from_value::<SmsItemFields>(array.clone()).is_err());
        assert!(serde_json::from_str::<Vec<SmsItemFields>>(&format!("[{array}]")).is_err());
        let object = json!({"from": "Acme", "to": "+34600000000", "text": "Hi", "clientId": "c-1"});
        let fields: SmsItemFields = serde_json::from_value(object).unwrap();
        assert_eq!(fields.client_id.as_deref(), Some("c-1"));
        let repeated = r#"{"from": "Acme", "from": "Other", "to": "+34600000000", "text": "Hi"}"#;
        assert!(serde_json::from_str::<SmsItemFields>(repeated).is_err());
        assert!(validate_sms_value(&array).unwrap_err().contains_key("item"));
    }

    #[test]
    fn text_needs_allow_unicode_outside_gsm7() {
        assert_eq!(check_text("Hola", false), None);
        assert!(check_text("Hola 😀", false)
            .unwrap()
            .contains("allowUnicode"));
        assert_eq!(check_text("Hola 😀", true), None);
        assert!(check_text("", true).is_some());
    }

    #[test]
    fn client_id_at_most_40() {
        assert_eq!(check_client_id(&"x".repeat(40)), None);
        assert!(check_client_id(&"x".repeat(41)).is_some());
    }

    #[test]
    fn all_failing_fields_reported() {
        let errors = validate_sms(&ok("!", "600", "")).unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            vec!["from", "text", "to"]
        );
    }

    #[test]
    fn wrong_types_reported_per_field() {
        let errors =
            validate_sms_value(&json!({"from": "Acme", "to": 34600000000u64, "text": "x"}))
                .unwrap_err();
        assert_eq!(errors["to"], vec![WRONG_TYPE.to_string()]);
        let sms = validate_sms_value(
            &json!({"from": "Acme", "to": "+34600000000", "text": "x", "clientId": "a"}),
        )
        .unwrap();
        assert_eq!(sms.client_id.as_deref(), Some("a"));
    }

    #[test]
    fn typed_fields_validate_exactly_like_the_json_item() {
        let items = [
            json!({"from": "Acme", "to": "+34600000000", "text": "Hi"}),
            json!({"from": "Acme", "to": "+34600000000", "text": "Hi", "clientId": "c-1"}),
            json!({"to": "+34600000000", "text": "Hi"}),
            json!({"from": null, "to": null, "text": null}),
            json!({}),
            json!({"from": "Acme", "to": "600", "text": ""}),
            json!({"from": "A very long sender", "to": "+34600000000", "text": "Hi"}),
            json!({"from": "Acme", "to": "+34600000000", "text": "Hola €", "allowUnicode": false}),
            json!({"from": "Acme", "to": "+34600000000", "text": "😀", "allowUnicode": true}),
            json!({"from": "Acme", "to": "+34600000000", "text": "Hi", "clientId": "x".repeat(41)}),
            json!({"from": "Acme", "to": "+34600000000", "text": "Hi", "clientId": ""}),
        ];
        for item in items {
            let typed: SmsItemFields = serde_json::from_value(item.clone()).unwrap();
            assert_eq!(typed.validate(), validate_sms_value(&item), "{item}");
        }
    }
}
