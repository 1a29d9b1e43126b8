//! JSON rows: JSON lines (one object per line, streamed), or a JSON array of objects (a file
//! whose content starts with `[`, read whole: the array is one value, and reading it whole
//! means a broken file is refused before anything is sent; memory grows with the file, so
//! JSON lines are the format for very large campaigns).
//!
//! A row is an object whose values are each one text: a string as is; a whole number as its
//! digits (JSON writes an integer one way only, so this is what the file says; a phone number
//! given as a number goes to the core, which asks for its `+`); `true`/`false` as that word
//! except in a column read as message text or address (`to`, `from`, `text`, `template`,
//! `clientId`), where it is surely a mistake; `null` as an absent column. Anything else has no
//! one text to send: an object or array, or a number with a fraction or exponent (or too long
//! for 64 bits), which serde_json would not give back as written (`9.90` reads as `9.9`). Such
//! a value refuses the row, naming the column, only where text is expected: a column the
//! command reads (see `row.rs`); in any other it is ignored, as extra columns are in CSV
//! (`"meta": {"crm": 1}` beside the columns the campaign uses).

use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{normalize, Record, RowRead};

/// Columns read as text by `row.rs`, where `true`/`false` cannot be meant.
const TEXT_COLUMNS: [&str; 5] = ["to", "from", "text", "template", "clientid"];
const ONE_TEXT: &str = "a value must be a string, a whole number, true/false or null";
const EXAMPLE: &str = r#"{"to":"+34600000000","text":"Hola"}"#;

pub struct JsonLines {
    reader: Box<dyn BufRead + Send>,
    line: u64,
    buf: Vec<u8>,
}

impl JsonLines {
    pub fn new(mut reader: Box<dyn BufRead + Send>) -> Result<JsonLines, String> {
        let head = reader.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
        if looks_pretty_printed(head) {
            return Err(format!(
                "its first line is only `{{`, as in pretty-printed JSON, but this format is \
                 JSON lines: one whole object per line, like {EXAMPLE} (`jq -c` writes them); \
                 a JSON array of objects is read too"
            ));
        }
        Ok(JsonLines {
            reader,
            line: 0,
            buf: Vec::new(),
        })
    }

    /// The next row; `Err` is an I/O error, after which nothing more can be read. A line
    /// that is not UTF-8 is only that line's problem: the next line is read as usual.
    pub fn next_row(&mut self) -> Result<Option<RowRead>, String> {
        loop {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return Ok(None),
                Ok(_) => {}
                Err(e) => return Err(format!("line {}: {e}", self.line + 1)),
            }
            self.line += 1;
            let line = self.line;
            let text = match std::str::from_utf8(&self.buf) {
                Ok(text) => text,
                Err(e) => {
                    return Ok(Some(Err(format!(
                    "line {line}: not valid UTF-8 (byte {} of the line); save the file as UTF-8",
                    e.valid_up_to() + 1
                ))))
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            let place = format!("line {line}");
            let row = serde_json::from_str::<Parsed>(text.trim_start_matches('\u{feff}'))
                .map_err(|e| format!("not valid JSON: {e}"))
                .and_then(Parsed::into_record);
            return Ok(Some(match row {
                Ok(record) => Ok(record.located(&place)),
                Err(e) => Err(format!("{place}: {e}")),
            }));
        }
    }
}

/// The first line holding anything is a lone `{`: a pretty-printed document, whose lines one
/// by one are not rows (and one that happens to be a whole object would be sent alone). Only
/// whole lines of the first buffer are looked at; a line cut by the buffer's end says nothing.
fn looks_pretty_printed(head: &[u8]) -> bool {
    let whole_lines = head.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    head[..whole_lines]
        .split(|b| *b == b'\n')
        .map(trim_bytes)
        .find(|l| !l.is_empty())
        .is_some_and(|l| l == b"{")
}

fn trim_bytes(mut b: &[u8]) -> &[u8] {
    b = b.strip_prefix("\u{feff}".as_bytes()).unwrap_or(b);
    b.trim_ascii()
}

pub struct JsonArray {
    items: std::vec::IntoIter<Parsed>,
    element: u64,
}

impl JsonArray {
    pub fn new(mut reader: Box<dyn BufRead + Send>) -> Result<JsonArray, String> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read: {e}"))?;
        let items: Vec<Parsed> = serde_json::from_slice(trim_bytes(&bytes)).map_err(|e| {
            format!(
                "not a valid JSON array (a file starting with `[` is read whole as an array \
                 of rows, so nothing was sent): {e}"
            )
        })?;
        Ok(JsonArray {
            items: items.into_iter(),
            element: 0,
        })
    }

    pub fn next_row(&mut self) -> Option<RowRead> {
        let parsed = self.items.next()?;
        self.element += 1;
        let place = format!("element {} of the array", self.element);
        Some(match parsed.into_record() {
            Ok(record) => Ok(record.located(&place)),
            Err(e) => Err(format!("{place}: {e}")),
        })
    }

    /// Elements not handed out yet.
    pub fn remaining(&self) -> usize {
        self.items.len()
    }
}

/// Non-blank lines of a JSON-lines file, as [`JsonLines`] reads them (a line that is not
/// UTF-8 is a row too); `None` if the file cannot be read.
pub fn count_lines(reader: impl BufRead) -> Option<u64> {
    let mut n = 0;
    for line in reader.split(b'\n') {
        if !String::from_utf8_lossy(&line.ok()?).trim().is_empty() {
            n += 1;
        }
    }
    Some(n)
}

/// One JSON value as read: an object's members in file order (a map would keep one of two
/// equal keys silently), or what kind of value it was instead.
enum Parsed {
    Object(Vec<(String, Value)>),
    Other(&'static str),
}

impl Parsed {
    fn into_record(self) -> Result<Record, String> {
        match self {
            Parsed::Object(members) => record(members),
            Parsed::Other(kind) => Err(format!(
                "{kind}, not a JSON object; each row is one object, like {EXAMPLE}"
            )),
        }
    }
}

fn record(members: Vec<(String, Value)>) -> Result<Record, String> {
    let mut problems = Vec::new();
    let keys: Vec<String> = members.iter().map(|(k, _)| normalize(k)).collect();
    for (i, key) in keys.iter().enumerate() {
        let Some(first) = keys[..i].iter().position(|k| k == key && !k.is_empty()) else {
            continue;
        };
        let (earlier, this) = (&members[first].0, &members[i].0);
        problems.push(if earlier == this {
            format!("`{this}` is given twice")
        } else {
            format!(
                "`{earlier}` and `{this}` are the same column (names are compared ignoring \
                 case, `_`, `-` and spaces)"
            )
        });
    }
    let mut fields = Vec::with_capacity(members.len());
    let mut unusable = Vec::new();
    for ((name, value), key) in members.into_iter().zip(&keys) {
        let why = match value {
            Value::String(s) => {
                fields.push((name, s));
                continue;
            }
            Value::Null => continue,
            Value::Bool(b) if TEXT_COLUMNS.contains(&key.as_str()) => {
                format!("`{name}` is {b}, not a string")
            }
            Value::Bool(b) => {
                fields.push((name, b.to_string()));
                continue;
            }
            Value::Number(n) if n.is_i64() || n.is_u64() => {
                fields.push((name, n.to_string()));
                continue;
            }
            Value::Number(_) => format!(
                "`{name}` is a number with a fraction or an exponent, or too long, which \
                 would not be sent exactly as written; write it as a string"
            ),
            Value::Array(_) => format!("`{name}` is an array; {ONE_TEXT}"),
            Value::Object(_) => format!("`{name}` is an object; {ONE_TEXT}"),
        };
        unusable.push((name, why));
    }
    if problems.is_empty() {
        Ok(Record { fields, unusable })
    } else {
        Err(problems.join("; "))
    }
}

impl<'de> Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ParsedVisitor)
    }
}

struct ParsedVisitor;

impl<'de> Visitor<'de> for ParsedVisitor {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry::<String, Value>()? {
            members.push(member);
        }
        Ok(Parsed::Object(members))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Parsed::Other("an array"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Parsed, E> {
        Ok(Parsed::Other("a string"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Parsed, E> {
        Ok(Parsed::Other("true/false"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Parsed, E> {
        Ok(Parsed::Other("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Parsed, E> {
        Ok(Parsed::Other("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Parsed, E> {
        Ok(Parsed::Other("a number"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Parsed, E> {
        Ok(Parsed::Other("null"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &'static [u8]) -> Vec<RowRead> {
        let mut reader = JsonLines::new(Box::new(bytes)).unwrap();
        std::iter::from_fn(|| reader.next_row().unwrap()).collect()
    }

    fn one(line: &'static str) -> RowRead {
        let mut rows = lines(line.as_bytes());
        assert_eq!(rows.len(), 1);
        rows.remove(0)
    }

    #[test]
    fn values_are_strings_whole_numbers_or_words() {
        let rec = one(
            r#"{"to":34600000000,"text":"Hola {n}","n":-7,"vip":true,"allowUnicode":false,"gone":null}"#,
        )
        .unwrap();
        assert_eq!(rec.get("to"), Some("34600000000"));
        assert_eq!(rec.get("n"), Some("-7"));
        assert_eq!(rec.get("vip"), Some("true"));
        assert_eq!(rec.get("allowUnicode"), Some("false"));
        assert_eq!(rec.get("gone"), None);
        let names: Vec<&str> = rec.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            ["to", "text", "n", "vip", "allowUnicode"],
            "file order"
        );
    }

    #[test]
    fn a_value_with_no_one_text_is_kept_as_why_it_cannot_be_read() {
        let why = |line: &'static str, column: &str| {
            one(line).unwrap().unusable(column).map(str::to_string)
        };
        let object = r#"{"to":"+34600000000","text":{"a":1}}"#;
        assert_eq!(
            why(object, "text").unwrap(),
            format!("line 1: `text` is an object; {ONE_TEXT}")
        );
        assert_eq!(one(object).unwrap().get("text"), None);
        let array = r#"{"to":"+34600000000","text":["x","y"]}"#;
        assert_eq!(
            why(array, "text").unwrap(),
            format!("line 1: `text` is an array; {ONE_TEXT}")
        );
        let word = r#"{"to":"+34600000000","text":true}"#;
        assert_eq!(
            why(word, "text").unwrap(),
            "line 1: `text` is true, not a string"
        );
        let words = r#"{"To":false,"from":true,"client_id":true,"text":"x"}"#;
        assert_eq!(
            why(words, "to").unwrap(),
            "line 1: `To` is false, not a string"
        );
        assert_eq!(
            why(words, "from").unwrap(),
            "line 1: `from` is true, not a string"
        );
        assert_eq!(
            why(words, "clientId").unwrap(),
            "line 1: `client_id` is true, not a string"
        );
        let fraction = r#"{"to":"+34600000000","text":"Total {p}","p":9.90}"#;
        assert!(
            why(fraction, "p")
                .unwrap()
                .starts_with("line 1: `p` is a number with a fraction"),
            "{fraction}"
        );
        let long = r#"{"to":"+34600000000","text":"{n}","n":123456789012345678901}"#;
        assert!(why(long, "n")
            .unwrap()
            .starts_with("line 1: `n` is a number"));
        // The columns beside them are read as usual.
        assert_eq!(one(fraction).unwrap().get("text"), Some("Total {p}"));
    }

    #[test]
    fn a_line_that_is_not_an_object_is_refused() {
        let rows = lines(b"true\n[\"x\",\"y\"]\n\"Hola\"\n12\nnull\n");
        let why: Vec<&str> = rows
            .iter()
            .map(|r| r.as_ref().unwrap_err().as_str())
            .collect();
        for (i, kind) in ["true/false", "an array", "a string", "a number", "null"]
            .iter()
            .enumerate()
        {
            let expected = format!("line {}: {kind}, not a JSON object", i + 1);
            assert!(why[i].starts_with(&expected), "{}", why[i]);
        }
    }

    #[test]
    fn a_column_given_twice_refuses_the_row() {
        let why = one(r#"{"to":"+34600000000","text":"a","text":"b"}"#).unwrap_err();
        assert_eq!(why, "line 1: `text` is given twice");
        let why = one(r#"{"to":"+34600000000","text":"a","Text":"b"}"#).unwrap_err();
        assert!(
            why.starts_with("line 1: `text` and `Text` are the same column"),
            "{why}"
        );
        let why =
            one(r#"{"to":"+34600000000","text":"a","clientId":"1","client_id":"2"}"#).unwrap_err();
        assert!(why.contains("`clientId` and `client_id`"), "{why}");
    }

    #[test]
    fn a_line_that_is_not_utf8_is_refused_and_reading_goes_on() {
        let rows = lines(
            b"{\"to\":\"+34600000001\",\"text\":\"Ol\xe1\"}\n{\"to\":\"+34600000002\",\"text\":\"ok\"}\n",
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].as_ref().unwrap_err(),
            "line 1: not valid UTF-8 (byte 32 of the line); save the file as UTF-8"
        );
        assert_eq!(rows[1].as_ref().unwrap().get("text"), Some("ok"));
        assert_eq!(
            count_lines(&b"{}\n\xe1\n \n{}"[..]),
            Some(3),
            "the progress bar counts it too"
        );
    }

    #[test]
    fn pretty_printed_json_is_not_read_as_lines() {
        let e = JsonLines::new(Box::new(&b"\n{\n  \"to\": \"+34600000000\"\n}\n"[..]))
            .err()
            .unwrap();
        assert!(e.starts_with("its first line is only `{`"), "{e}");
        assert!(JsonLines::new(Box::new(&b"\xef\xbb\xbf{}\n"[..])).is_ok());
    }

    #[test]
    fn a_broken_array_is_refused_before_any_row() {
        let e = JsonArray::new(Box::new(&b"[{\"to\":\"+1\"},\n{\"to\":\"+2\"\n"[..]))
            .err()
            .unwrap();
        assert!(e.starts_with("not a valid JSON array"), "{e}");
        let e = JsonArray::new(Box::new(&b"[{}] {}"[..])).err().unwrap();
        assert!(e.contains("trailing characters"), "{e}");
        let mut a = JsonArray::new(Box::new(&b"\xef\xbb\xbf [{\"text\":\"a\"}]\n"[..])).unwrap();
        assert_eq!(a.next_row().unwrap().unwrap().get("text"), Some("a"));
        assert!(a.next_row().is_none());
        let a = JsonArray::new(Box::new(&b"\xef\xbb\xbf[{}, 1, {\"a\":[2]}]"[..])).unwrap();
        assert_eq!(a.remaining(), 3, "the progress bar's length");
    }
}
