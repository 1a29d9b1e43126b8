//! Reading campaign rows: a CSV file with a header row, JSON lines (one object per line), or
//! a JSON array of objects. CSV and JSON lines are read lazily, so a file of any size is
//! streamed; a JSON array is read whole (see `json.rs`).
//!
//! A regular file is read twice: once up front to count its rows and to find a CSV quote that
//! would stop the reading halfway (so such a file is refused before anything is sent), then to
//! send. Anything else (`-`, a pipe, a FIFO, `/dev/stdin`, `<(…)`) gives its bytes only once,
//! so it is opened once and its rows are only counted as they come.

mod csv_rows;
mod json;
mod quotes;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek};
use std::path::Path;

use crate::fail::{CliResult, Failure};
use csv_rows::CsvRows;
use json::{JsonArray, JsonLines};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
    JsonArray,
}

/// One row's values by column name, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub fields: Vec<(String, String)>,
    /// Columns whose value has no one text to send (a JSON object, array or fraction), with
    /// why: they refuse the row only if it is read from them (see `row.rs`), so a column the
    /// command never reads may hold anything.
    pub unusable: Vec<(String, String)>,
}

impl Record {
    /// The value of a column: its exact name first, then ignoring case, `_`, `-` and spaces
    /// (`clientId`, `client_id` and `ClientID` are the same column).
    pub fn get(&self, column: &str) -> Option<&str> {
        find(&self.fields, column)
    }

    /// Why a column's value cannot be read as text, when it cannot.
    pub fn unusable(&self, column: &str) -> Option<&str> {
        find(&self.unusable, column)
    }

    /// The same record, its reasons saying where in the file it is (`line 3`).
    pub fn located(mut self, place: &str) -> Record {
        for (_, why) in &mut self.unusable {
            *why = format!("{place}: {why}");
        }
        self
    }
}

fn find<'a>(entries: &'a [(String, String)], column: &str) -> Option<&'a str> {
    if let Some((_, v)) = entries.iter().find(|(k, _)| k == column) {
        return Some(v);
    }
    let wanted = normalize(column);
    entries
        .iter()
        .find(|(k, _)| normalize(k) == wanted)
        .map(|(_, v)| v.as_str())
}

pub fn normalize(column: &str) -> String {
    column
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// One row as read: its values, or why it could not be read.
pub type RowRead = Result<Record, String>;

pub struct Rows {
    inner: Inner,
    /// Why reading stopped early: an I/O error, or a row whose end cannot be told (an
    /// unclosed quote in CSV), which is withheld with everything after it.
    pub fatal: Option<String>,
}

enum Inner {
    Csv(CsvRows),
    JsonLines(JsonLines),
    JsonArray(JsonArray),
}

/// Where a campaign comes from: `-` is standard input.
pub struct Source {
    /// The file name without its directory: part of every derived clientId, so the same file
    /// run from another directory resumes instead of sending again.
    pub name: String,
    pub rows: Rows,
    /// Rows in the input, when known before sending: a regular file, or a JSON array.
    pub total: Option<u64>,
}

impl Source {
    /// Opens the file and reads what must be right before anything is sent: the format, a CSV
    /// header (with no column named twice), a whole JSON array, and in a regular file, quotes
    /// that would stop the reading halfway. A mistake there is a usage error.
    pub fn open(path: &Path) -> CliResult<Source> {
        let unreadable =
            |e: io::Error| Failure::usage(format!("cannot read {}: {e}", path.display()));
        let in_file = |e: String| Failure::usage(format!("{}: {e}", path.display()));
        let is_stdin = path.as_os_str() == "-";
        let mut counted = None;
        let (format, reader): (Format, Box<dyn BufRead + Send>) = if is_stdin {
            let mut reader = BufReader::new(io::stdin());
            (
                detect(path, &mut reader).map_err(unreadable)?,
                Box::new(reader),
            )
        } else {
            let file = File::open(path).map_err(unreadable)?;
            let regular = file.metadata().map_err(unreadable)?.is_file();
            let mut reader = BufReader::new(file);
            let format = detect(path, &mut reader).map_err(unreadable)?;
            if regular {
                counted = survey(format, &mut reader).map_err(in_file)?;
                reader.rewind().map_err(unreadable)?;
            }
            (format, Box::new(reader))
        };
        let name = if is_stdin {
            "-".to_string()
        } else {
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string())
        };
        let rows = Rows::new(format, reader).map_err(in_file)?;
        let total = counted.or_else(|| rows.known_len());
        Ok(Source { name, rows, total })
    }

    /// Column names of a CSV file (JSON rows have none up front).
    pub fn headers(&self) -> Option<&[String]> {
        match &self.rows.inner {
            Inner::Csv(csv) => Some(&csv.headers),
            Inner::JsonLines(_) | Inner::JsonArray(_) => None,
        }
    }
}

/// `.csv` is CSV; `.jsonl`/`.ndjson`/`.json` are JSON, an array if the content starts with
/// `[` and JSON lines otherwise; any other name goes by content: `{` is JSON lines, `[` a JSON
/// array, anything else CSV.
fn detect(path: &Path, reader: &mut impl BufRead) -> io::Result<Format> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if ext.as_deref() == Some("csv") {
        return Ok(Format::Csv);
    }
    let head = reader.fill_buf()?;
    let first = head
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF);
    let json = matches!(ext.as_deref(), Some("jsonl" | "ndjson" | "json"));
    Ok(match first {
        Some(b'[') => Format::JsonArray,
        Some(b'{') => Format::JsonLines,
        _ if json => Format::JsonLines,
        _ => Format::Csv,
    })
}

impl Rows {
    fn new(format: Format, reader: Box<dyn BufRead + Send>) -> Result<Rows, String> {
        let inner = match format {
            Format::Csv => Inner::Csv(CsvRows::new(reader)?),
            Format::JsonLines => Inner::JsonLines(JsonLines::new(reader)?),
            Format::JsonArray => Inner::JsonArray(JsonArray::new(reader)?),
        };
        Ok(Rows { inner, fatal: None })
    }

    /// Rows still to come, when known without reading on: a JSON array, read whole.
    fn known_len(&self) -> Option<u64> {
        match &self.inner {
            Inner::JsonArray(array) => Some(array.remaining() as u64),
            Inner::Csv(_) | Inner::JsonLines(_) => None,
        }
    }
}

impl Iterator for Rows {
    type Item = RowRead;

    fn next(&mut self) -> Option<RowRead> {
        if self.fatal.is_some() {
            return None;
        }
        let next = match &mut self.inner {
            Inner::Csv(csv) => csv.next_row(),
            Inner::JsonLines(lines) => lines.next_row(),
            Inner::JsonArray(array) => Ok(array.next_row()),
        };
        next.unwrap_or_else(|fatal| {
            self.fatal = Some(fatal);
            None
        })
    }
}

/// The first reading of a regular file: how many rows it holds (`None` when that is left to
/// the second reading), or why reading would stop halfway. The CSV reader is the one that
/// sends, so both readings stop at the same row; found here, nothing was sent.
fn survey(format: Format, file: &mut BufReader<File>) -> Result<Option<u64>, String> {
    match format {
        Format::Csv => {
            let mut rows = CsvRows::new(file)?;
            let n = rows
                .count_rest()
                .map_err(|why| format!("{why}; nothing was sent"))?;
            Ok(Some(n))
        }
        Format::JsonLines => Ok(json::count_lines(file)),
        // Read whole when opened: its length is known then.
        Format::JsonArray => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(format: Format, text: &'static str) -> Vec<RowRead> {
        Rows::new(format, Box::new(text.as_bytes()))
            .unwrap()
            .collect()
    }

    #[test]
    fn csv_rows_are_named_by_the_header() {
        let r = rows(
            Format::Csv,
            "to,name,clientId\n+34600000000,\"Peña, Ana\",c1\n",
        );
        let rec = r[0].as_ref().unwrap();
        assert_eq!(rec.get("name"), Some("Peña, Ana"));
        assert_eq!(rec.get("client_id"), Some("c1"));
        assert_eq!(rec.get("to"), Some("+34600000000"));
    }

    #[test]
    fn a_csv_row_with_the_wrong_field_count_is_an_error_and_reading_goes_on() {
        let r = rows(
            Format::Csv,
            "to,text\n+34600000000,a,extra\n+34600000001,b\n",
        );
        assert_eq!(r.len(), 2);
        assert!(r[0].is_err());
        assert_eq!(r[1].as_ref().unwrap().get("text"), Some("b"));
    }

    #[test]
    fn json_lines_skip_blank_lines_and_report_bad_ones() {
        let r = rows(
            Format::JsonLines,
            "{\"to\":\"+34600000000\",\"allowUnicode\":true,\"n\":null}\n\n[1]\n{oops\n",
        );
        assert_eq!(r.len(), 3);
        let rec = r[0].as_ref().unwrap();
        assert_eq!(rec.get("allowUnicode"), Some("true"));
        assert_eq!(rec.get("n"), None, "null is an absent column");
        assert!(r[1]
            .as_ref()
            .unwrap_err()
            .starts_with("line 3: an array, not a JSON object"));
        assert!(r[2]
            .as_ref()
            .unwrap_err()
            .starts_with("line 4: not valid JSON"));
    }

    #[test]
    fn a_json_array_is_read_as_rows() {
        let r = rows(
            Format::JsonArray,
            "[\n  {\"to\": \"+34600000001\", \"text\": \"a\"},\n  \"b\",\n  {\"to\": \"+34600000003\", \"text\": \"c\"}\n]\n",
        );
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].as_ref().unwrap().get("text"), Some("a"));
        assert!(r[1]
            .as_ref()
            .unwrap_err()
            .starts_with("element 2 of the array: a string, not a JSON object"));
        assert_eq!(r[2].as_ref().unwrap().get("text"), Some("c"));
    }

    #[test]
    fn format_follows_extension_then_content() {
        let detected = |name: &str, content: &'static str| {
            let mut r: Box<dyn BufRead + Send> = Box::new(content.as_bytes());
            detect(Path::new(name), &mut r).unwrap()
        };
        assert_eq!(detected("x.txt", "  {\"to\":1}"), Format::JsonLines);
        assert_eq!(detected("x", "to,text"), Format::Csv);
        assert_eq!(detected("x.ndjson", "to,text"), Format::JsonLines);
        assert_eq!(detected("-", "\u{feff}\n [{\"to\":1}]"), Format::JsonArray);
        assert_eq!(detected("x.json", "[\n  {}\n]"), Format::JsonArray);
        assert_eq!(detected("x.JSON", "{}\n{}"), Format::JsonLines);
        assert_eq!(detected("x.csv", "[to],text"), Format::Csv);
    }
}
