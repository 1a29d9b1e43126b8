//! One campaign row → one `SmsRequest`. Columns (any case, `_` optional): `to`; `text`, or
//! `template` / `--template` with `{column}` placeholders; `from` (or `--from`);
//! `allowUnicode` (or `--unicode`); `clientId` (derived when absent, see `client_id`).
//! The documented field rules are the core's: this only assembles the request.

use std::cell::RefCell;

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
    let columns = Columns::new(record);
    let mut errors = FieldErrors::new();
    let text = match text_of(&columns, d) {
        Ok(text) => text,
        Err((field, why)) => {
            errors.insert(field.into(), vec![why]);
            String::new()
        }
    };
    let allow_unicode = match columns.non_blank("allowUnicode") {
        None => d.unicode,
        Some(v) => parse_bool(v).unwrap_or_else(|| {
            errors.insert(
                "allowUnicode".into(),
                vec![format!("{v:?} is not a boolean (true/false, 1/0, yes/no)")],
            );
            false
        }),
    };
    // Cells are trimmed as `to` is: `Acme, +34600000000` is a common way to write a row.
    let from = columns
        .non_blank("from")
        .map(|v| v.trim().to_string())
        .or_else(|| d.from.clone())
        .unwrap_or_default();
    let to = columns.get("to").unwrap_or_default().trim().to_string();
    let own = columns.non_blank("clientId").map(str::trim);
    let unreadable = columns.unreadable();
    if !unreadable.is_empty() {
        // Worded with its place in the file (`line 3: …`), as a row that cannot be read is.
        errors.insert("row".into(), unreadable);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut sms = SmsRequest::new(from, to, text).allow_unicode(allow_unicode);
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

/// A row's columns as the command reads them. A value with no one text (a JSON object, array
/// or fraction) refuses the row only once it is read: a column the command never reads may
/// hold anything.
struct Columns<'a> {
    record: &'a Record,
    unreadable: RefCell<Vec<String>>,
}

impl<'a> Columns<'a> {
    fn new(record: &'a Record) -> Self {
        Columns {
            record,
            unreadable: RefCell::new(Vec::new()),
        }
    }

    fn get(&self, column: &str) -> Option<&'a str> {
        if let Some(why) = self.record.unusable(column) {
            let mut unreadable = self.unreadable.borrow_mut();
            if !unreadable.iter().any(|w| w == why) {
                unreadable.push(why.to_string());
            }
            return None;
        }
        self.record.get(column)
    }

    fn non_blank(&self, column: &str) -> Option<&'a str> {
        self.get(column).filter(|v| !v.trim().is_empty())
    }

    /// A template's placeholder: a value that cannot be read fills it with nothing, as the row
    /// is refused for it anyway, with its own reason rather than "no column".
    fn placeholder(&self, column: &str) -> Option<&'a str> {
        match self.get(column) {
            None if self.record.unusable(column).is_some() => Some(""),
            value => value,
        }
    }

    /// Why the columns read so far could not be.
    fn unreadable(self) -> Vec<String> {
        self.unreadable.into_inner()
    }
}

/// `text` as given, else the row's `template` column, else `--template`.
fn text_of(columns: &Columns, d: &RowDefaults) -> Result<String, (&'static str, String)> {
    if let Some(text) = columns.non_blank("text") {
        return Ok(text.to_string());
    }
    let own;
    let template = match columns.non_blank("template") {
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
        .render(|column| columns.placeholder(column))
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
            unusable: Vec::new(),
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

    #[test]
    fn a_value_without_one_text_refuses_the_row_only_where_it_is_read() {
        let mut r = record(&[("to", "+34600000000"), ("name", "Ana")]);
        r.unusable = vec![
            ("meta".into(), "line 1: `meta` is an object".into()),
            (
                "amount".into(),
                "line 1: `amount` is a number with a fraction".into(),
            ),
        ];
        let sms = to_sms(0, &r, &defaults(Some("Hi {name}")), &mut ids()).unwrap();
        assert_eq!(sms.text, "Hi Ana");
        let e = to_sms(0, &r, &defaults(Some("Hi {name}, {amount}")), &mut ids()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e["row"], ["line 1: `amount` is a number with a fraction"]);
        r.unusable
            .push(("text".into(), "line 1: `text` is an object".into()));
        let e = to_sms(0, &r, &defaults(Some("Hi {name}")), &mut ids()).unwrap_err();
        assert_eq!(e["row"], ["line 1: `text` is an object"]);
    }
}
