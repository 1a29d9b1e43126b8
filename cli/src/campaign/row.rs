//! One campaign row → one `SmsRequest`. Columns (any case, `_` optional): `to`; `text`, or
//! `template` / `--template` with `{column}` placeholders; `from` (or `--from`);
//! `allowUnicode` (or `--unicode`); `clientId` (derived when absent, see `client_id`).
//! The documented field rules are the core's: this only assembles the request.

use instasent::{FieldErrors, SmsRequest};

use super::client_id::Assigner;
use super::input::Record;
use super::template::Template;

pub struct RowDefaults {
    pub template: Option<Template>,
    pub from: Option<String>,
    pub unicode: bool,
}

/// The request of row `index`, or the fields that could not be assembled.
pub fn to_sms(
    index: u64,
    record: &Record,
    d: &RowDefaults,
    ids: &mut Assigner,
) -> Result<SmsRequest, FieldErrors> {
    let mut errors = FieldErrors::new();
    let text = match text_of(record, d) {
        Ok(text) => text,
        Err((field, why)) => {
            errors.insert(field.into(), vec![why]);
            String::new()
        }
    };
    let allow_unicode = match record.non_blank("allowUnicode") {
        None => d.unicode,
        Some(v) => parse_bool(v).unwrap_or_else(|| {
            errors.insert(
                "allowUnicode".into(),
                vec![format!("{v:?} is not a boolean (true/false, 1/0, yes/no)")],
            );
            false
        }),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    // Cells are trimmed as `to` is: `Acme, +34600000000` is a common way to write a row.
    let from = record
        .non_blank("from")
        .map(|v| v.trim().to_string())
        .or_else(|| d.from.clone())
        .unwrap_or_default();
    let to = record.get("to").unwrap_or_default().trim().to_string();
    let mut sms = SmsRequest::new(from, to, text).allow_unicode(allow_unicode);
    let own = record.non_blank("clientId").map(str::trim);
    sms.client_id = own.map(str::to_string);
    // The core's local checks run here, before a clientId is given: a row refused by them never
    // takes a place among identical messages, so deleting it cannot shift the id of a twin that
    // was sent (see client_id). The engine is told not to check again.
    instasent::validate::validate_sms(&sms)?;
    let id = ids
        .assign(index, own, &sms)
        .map_err(|why| FieldErrors::from([("clientId".to_string(), vec![why])]))?;
    sms.client_id = Some(id);
    Ok(sms)
}

/// `text` as given, else the row's `template` column, else `--template`.
fn text_of(record: &Record, d: &RowDefaults) -> Result<String, (&'static str, String)> {
    if let Some(text) = record.non_blank("text") {
        return Ok(text.to_string());
    }
    let own;
    let template = match record.non_blank("template") {
        Some(source) => {
            own = Template::parse(source).map_err(|e| ("template", e.to_string()))?;
            &own
        }
        None => match &d.template {
            Some(t) => t,
            // Empty text: the core reports it as the API would ("should not be blank").
            None => return Ok(String::new()),
        },
    };
    template
        .render(|column| record.get(column))
        .map_err(|e| ("template", e.to_string()))
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" => Some(true),
        "false" | "0" | "no" | "n" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(pairs: &[(&str, &str)]) -> Record {
        Record {
            fields: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn defaults(template: Option<&str>) -> RowDefaults {
        RowDefaults {
            template: template.map(|t| Template::parse(t).unwrap()),
            from: Some("Acme".into()),
            unicode: false,
        }
    }

    fn ids() -> Assigner {
        Assigner::new("c.csv", "")
    }

    #[test]
    fn template_is_filled_and_defaults_apply() {
        let r = record(&[("to", " +34600000000 "), ("name", "José")]);
        let sms = to_sms(0, &r, &defaults(Some("Hola {name}")), &mut ids()).unwrap();
        assert_eq!(sms.text, "Hola José");
        assert_eq!(sms.from, "Acme");
        assert_eq!(sms.to, "+34600000000");
        assert!(!sms.allow_unicode);
        assert!(sms.client_id.unwrap().starts_with("cli-"));
    }

    #[test]
    fn row_columns_override_the_defaults() {
        let r = record(&[
            ("to", "+34600000000"),
            ("text", "Fijo"),
            ("from", "Tienda"),
            ("allow_unicode", "yes"),
            ("ClientID", "mine-1"),
        ]);
        let sms = to_sms(3, &r, &defaults(Some("Hola {name}")), &mut ids()).unwrap();
        assert_eq!(sms.text, "Fijo");
        assert_eq!(sms.from, "Tienda");
        assert!(sms.allow_unicode);
        assert_eq!(sms.client_id.as_deref(), Some("mine-1"));
    }

    #[test]
    fn a_template_column_beats_the_flag() {
        let r = record(&[
            ("to", "+34600000000"),
            ("template", "Adiós {name}"),
            ("name", "Ana"),
            ("allowUnicode", "yes"),
        ]);
        let sms = to_sms(0, &r, &defaults(Some("Hola {name}")), &mut ids()).unwrap();
        assert_eq!(sms.text, "Adiós Ana");
    }

    #[test]
    fn unusable_rows_name_the_field() {
        let r = record(&[("to", "+34600000000"), ("allowUnicode", "maybe")]);
        let e = to_sms(0, &r, &defaults(Some("Hola {surname}")), &mut ids()).unwrap_err();
        assert_eq!(e["template"], ["no column `surname` for the template"]);
        assert!(e["allowUnicode"][0].contains("not a boolean"));
    }

    #[test]
    fn the_derived_client_id_follows_the_message_not_the_row_number() {
        let r = record(&[("to", "+34600000000"), ("name", "Ana")]);
        let d = defaults(Some("Hola {name}"));
        let id = |row, ids: &mut Assigner| to_sms(row, &r, &d, ids).unwrap().client_id;
        assert_eq!(id(5, &mut ids()), id(6, &mut ids()));
        let mut one_file = ids();
        assert_ne!(id(5, &mut one_file), id(6, &mut one_file));
    }

    #[test]
    fn from_is_trimmed_and_an_own_client_id_repeated_is_refused() {
        let r = record(&[
            ("to", "+34600000000"),
            ("from", " Tienda "),
            ("text", "x"),
            ("clientId", "k"),
        ]);
        let mut ids = ids();
        assert_eq!(
            to_sms(0, &r, &defaults(None), &mut ids).unwrap().from,
            "Tienda"
        );
        let e = to_sms(1, &r, &defaults(None), &mut ids).unwrap_err();
        assert!(e["clientId"][0].contains("row 1's clientId"));
    }
}
