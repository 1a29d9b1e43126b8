//! SMPP delivery receipts: the `short_message` text of a `deliver_sm` with `esm_class=4`,
//! `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…`.
//!
//! Source: docs.instasent.com/transactional-api/smpp/integration ("Receiving DLRs"), which
//! follows SMPP 3.4 appendix B. `text` is the last field and runs to the end of the receipt
//! (it may contain spaces and colons). Fields the docs do not list are kept in `raw`.

use serde_json::{Map, Value};

use super::event_time::{truncate, EventTime};
use super::report::DeliveryReport;
use super::status::{DeliveryStatus, DlrSource};
use crate::Error;

/// The 7 documented `stat` values and their descriptions.
pub const SMPP_STATS: [(&str, &str); 7] = [
    ("DELIVRD", "Message delivered to destination."),
    ("EXPIRED", "Message validity period expired."),
    ("DELETED", "Message deleted."),
    ("ACCEPTD", "Message accepted."),
    ("UNDELIV", "Message undeliverable."),
    ("UNKNOWN", "Message in an invalid state."),
    ("REJECTD", "Message rejected."),
];

/// The normalised status of an SMPP `stat` (ASCII case-insensitive). `UNDELIV` is `failed`
/// ("Message could not be delivered" in the webhook table); an unlisted stat is `unknown`.
pub fn smpp_stat_status(stat: &str) -> DeliveryStatus {
    const MAP: [(&str, DeliveryStatus); 7] = [
        ("DELIVRD", DeliveryStatus::Delivered),
        ("EXPIRED", DeliveryStatus::Expired),
        ("DELETED", DeliveryStatus::Deleted),
        ("ACCEPTD", DeliveryStatus::Accepted),
        ("UNDELIV", DeliveryStatus::Failed),
        ("UNKNOWN", DeliveryStatus::Unknown),
        ("REJECTD", DeliveryStatus::Rejected),
    ];
    MAP.iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(stat))
        .map_or(DeliveryStatus::Unknown, |(_, status)| *status)
}

/// Keys in receipt order; `text` is handled apart because its value runs to the end.
const KEYS: [&str; 7] = [
    "id",
    "sub",
    "dlvrd",
    "submit date",
    "done date",
    "stat",
    "err",
];

/// Parses the text of an SMPP delivery receipt.
///
/// `err` is read against the same code table as the webhook `code` (both transports feed one
/// pipeline, and the documented example pairs `DELIVRD` with `err:000`, code 0 "OK").
pub fn parse_smpp_receipt(text: &str) -> Result<DeliveryReport, Error> {
    let fields = split_fields(text)?;
    let field = |key: &str| fields.get(key).and_then(Value::as_str);

    let id = non_empty(field("id"), "id")?;
    let raw_status = non_empty(field("stat"), "stat")?;
    let delivered = field("dlvrd")
        .map(|v| decimal(v, "dlvrd").map(|n| n > 0))
        .transpose()?;
    let code = field("err").map(|v| decimal(v, "err")).transpose()?;
    if let Some(submit) = field("submit date") {
        EventTime::parse_smpp(submit, "submit date")?;
    }
    let done = field("done date")
        .map(|v| EventTime::parse_smpp(v, "done date"))
        .transpose()?;

    let status = smpp_stat_status(&raw_status);
    let mut report = DeliveryReport::new(
        DlrSource::Smpp,
        id,
        status,
        raw_status,
        Value::Object(fields),
    )
    .with_documented_code(code)
    .with_event_time(done);
    report.delivered = delivered;
    Ok(report)
}

/// Splits a receipt into its `key:value` fields, all kept as text.
fn split_fields(text: &str) -> Result<Map<String, Value>, Error> {
    // short_message may be NUL-terminated and is often followed by a line break.
    let mut rest = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    if rest.is_empty() {
        return Err(Error::decode("SMPP receipt is empty"));
    }
    let mut fields = Map::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(value) = strip_key(rest, "text") {
            insert_once(&mut fields, "text", value)?;
            break;
        }
        let (key, after) = match KEYS
            .iter()
            .find_map(|k| strip_key(rest, k).map(|a| (*k, a)))
        {
            Some(found) => found,
            None => split_unlisted_key(rest)?,
        };
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        insert_once(&mut fields, key, &after[..end])?;
        rest = &after[end..];
    }
    Ok(fields)
}

/// `rest` without its leading `key:` (key matched ASCII case-insensitively).
fn strip_key<'a>(rest: &'a str, key: &str) -> Option<&'a str> {
    let bytes = rest.as_bytes();
    let matches = bytes.len() > key.len()
        && bytes[..key.len()].eq_ignore_ascii_case(key.as_bytes())
        && bytes[key.len()] == b':';
    matches.then(|| &rest[key.len() + 1..])
}

/// A `word:value` field the docs do not list (some SMSCs add their own).
fn split_unlisted_key(rest: &str) -> Result<(&str, &str), Error> {
    let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let token = &rest[..token_end];
    match token.split_once(':') {
        Some((key, _)) if !key.is_empty() => Ok((key, &rest[key.len() + 1..])),
        _ => Err(Error::decode(format!(
            "SMPP receipt: unexpected `{}` (expected `key:value` fields such as `stat:DELIVRD`)",
            truncate(token)
        ))),
    }
}

fn insert_once(fields: &mut Map<String, Value>, key: &str, value: &str) -> Result<(), Error> {
    let key = key.to_ascii_lowercase();
    if fields.contains_key(&key) {
        return Err(Error::decode(format!(
            "SMPP receipt: `{}` appears twice",
            truncate(&key)
        )));
    }
    fields.insert(key, Value::String(value.to_owned()));
    Ok(())
}

fn non_empty(value: Option<&str>, key: &str) -> Result<String, Error> {
    match value {
        None => Err(Error::decode(format!("SMPP receipt has no `{key}`"))),
        Some("") => Err(Error::decode(format!("SMPP receipt has an empty `{key}`"))),
        Some(v) => Ok(v.to_owned()),
    }
}

/// A decimal field such as `dlvrd:001` or `err:000`.
fn decimal(value: &str, key: &str) -> Result<i64, Error> {
    let valid = !value.is_empty() && value.len() <= 18 && value.bytes().all(|b| b.is_ascii_digit());
    if !valid {
        return Err(Error::decode(format!(
            "SMPP receipt: `{key}` {} is not a decimal number",
            truncate(value)
        )));
    }
    value
        .parse()
        .map_err(|_| Error::decode(format!("SMPP receipt: `{key}` {value} is out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const DOC_EXAMPLE: &str = "id:288230378411154593 sub:001 dlvrd:001 submit date:1602260445 done date:1602260345 stat:DELIVRD err:000 text:none";

    #[test]
    fn the_documented_receipt_parses() {
        let r = parse_smpp_receipt(DOC_EXAMPLE).unwrap();
        assert_eq!(r.source, DlrSource::Smpp);
        assert_eq!(r.id, "288230378411154593");
        assert_eq!(r.status, DeliveryStatus::Delivered);
        assert_eq!(r.raw_status, "DELIVRD");
        assert_eq!(r.delivered, Some(true));
        assert_eq!(r.code, Some(0));
        assert_eq!(r.code_meaning.as_deref(), Some("OK"));
        assert_eq!(r.event_at.as_deref(), Some("2016-02-26T03:45:00Z"));
        assert!(r.is_final);
        assert_eq!(r.raw["submit date"], "1602260445");
        assert_eq!(r.raw["text"], "none");
        assert_eq!(r.raw["sub"], "001");
    }

    #[test]
    fn each_documented_stat_has_a_status() {
        let expected = [
            "delivered",
            "expired",
            "deleted",
            "accepted",
            "failed",
            "unknown",
            "rejected",
        ];
        for ((stat, _), want) in SMPP_STATS.iter().zip(expected) {
            assert_eq!(smpp_stat_status(stat).as_str(), want, "{stat}");
        }
        assert_eq!(smpp_stat_status("ENROUTE"), DeliveryStatus::Unknown);
    }

    #[test]
    fn text_runs_to_the_end_and_may_hold_spaces_and_colons() {
        let r = parse_smpp_receipt(
            "id:7 sub:001 dlvrd:000 submit date:260421101530 done date:260421101605 stat:UNDELIV err:012 text:Your code: 1234 \r\n\0",
        )
        .unwrap();
        assert_eq!(r.raw["text"], "Your code: 1234");
        assert_eq!(r.status, DeliveryStatus::Failed);
        assert_eq!(r.delivered, Some(false));
        assert_eq!(r.code_meaning.as_deref(), Some("Unreachable"));
        assert_eq!(r.event_at.as_deref(), Some("2026-04-21T10:16:05Z"));
    }

    #[test]
    fn keys_are_case_insensitive_and_unlisted_fields_are_kept() {
        let r = parse_smpp_receipt("ID:9 Stat:delivrd dlr_err:x Text:").unwrap();
        assert_eq!(r.id, "9");
        assert_eq!(r.raw_status, "delivrd");
        assert_eq!(r.status, DeliveryStatus::Delivered);
        assert_eq!(r.raw["dlr_err"], "x");
        assert_eq!(r.raw["text"], "");
        assert_eq!(r.event_at, None);
        assert_eq!(r.code, None);
    }

    #[test]
    fn malformed_receipts_are_decode_errors_that_name_the_field() {
        let cases = [
            ("", "is empty"),
            ("id:1 sub:001 dlvrd:001 err:000 text:none", "has no `stat`"),
            ("sub:001 stat:DELIVRD", "has no `id`"),
            ("id: stat:DELIVRD", "has an empty `id`"),
            (
                "id:1 stat:DELIVRD done date:2613011200",
                "`done date` 2613011200 is not YYMMDDHHMM",
            ),
            (
                "id:1 stat:DELIVRD submit date:garbage",
                "`submit date` garbage is not YYMMDDHHMM",
            ),
            (
                "id:1 stat:DELIVRD err:0x1",
                "`err` 0x1 is not a decimal number",
            ),
            (
                "id:1 stat:DELIVRD dlvrd:yes",
                "`dlvrd` yes is not a decimal number",
            ),
            ("id:1 id:2 stat:DELIVRD", "`id` appears twice"),
            ("id:1 hello stat:DELIVRD", "unexpected `hello`"),
        ];
        for (text, expected) in cases {
            let err = parse_smpp_receipt(text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Decode);
            assert!(
                err.message().contains(expected),
                "{text}: {}",
                err.message()
            );
        }
    }
}
