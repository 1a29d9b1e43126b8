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

pub const NOT_BLANK: &str = "This value should not be blank.";
pub const NOT_VALID: &str = "This value is not valid.";
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
/// fast path); a mistyped field fails the decode, and [`validate_sms_value`] reports it.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsItemFields {
    pub from: Option<String>,
    pub to: Option<String>,
    pub text: Option<String>,
    pub allow_unicode: Option<bool>,
    pub client_id: Option<String>,
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
pub fn check_msisdn(to: &str) -> Option<String> {
    if to.trim().is_empty() {
        return Some(NOT_BLANK.into());
    }
    let Some(digits) = to.strip_prefix('+') else {
        return Some("This value is not a valid E.164 number (it must start with +).".into());
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
        assert!(check_msisdn("34600000000").is_some());
        assert!(check_msisdn("+0034600000").is_some());
        assert!(check_msisdn("+3460000000000000").is_some());
        assert!(check_msisdn("+34 600 000").is_some());
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
