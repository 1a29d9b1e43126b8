//! Reading campaign rows: a CSV file with a header row, JSON lines (one object per line), or
//! a JSON array of objects. CSV and JSON lines are read lazily, so a file of any size is
//! streamed; a JSON array is read whole (see `json.rs`).

mod csv_rows;
mod json;
mod quotes;

use std::fs::File;
use std::io::{self, BufRead, BufReader};
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
}

impl Record {
    /// The value of a column: its exact name first, then ignoring case, `_`, `-` and spaces
    /// (`clientId`, `client_id` and `ClientID` are the same column).
    pub fn get(&self, column: &str) -> Option<&str> {
        if let Some((_, v)) = self.fields.iter().find(|(k, _)| k == column) {
            return Some(v);
        }
        let wanted = normalize(column);
        self.fields
            .iter()
            .find(|(k, _)| normalize(k) == wanted)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a column when present and not blank.
    pub fn non_blank(&self, column: &str) -> Option<&str> {
        self.get(column).filter(|v| !v.trim().is_empty())
    }
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
    pub format: Format,
    pub rows: Rows,
}

impl Source {
    /// Opens the file and reads what must be right before anything is sent: the format, a CSV
    /// header (with no column named twice), a whole JSON array. A mistake there is a usage
    /// error.
    pub fn open(path: &Path) -> CliResult<Source> {
        let is_stdin = path.as_os_str() == "-";
        let mut reader: Box<dyn BufRead + Send> = if is_stdin {
            Box::new(BufReader::new(io::stdin()))
        } else {
            let file = File::open(path)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
            Box::new(BufReader::new(file))
        };
        let format = detect(path, &mut reader)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        let name = if is_stdin {
            "-".to_string()
        } else {
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string())
        };
        let rows = Rows::new(format, reader)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        Ok(Source { name, format, rows })
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
fn detect(path: &Path, reader: &mut Box<dyn BufRead + Send>) -> io::Result<Format> {
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

/// Rows in a file, counted before sending so the progress bar has a length; `None` for
/// standard input.
pub fn count(path: &Path, format: Format) -> Option<u64> {
    if path.as_os_str() == "-" {
        return None;
    }
    let file = BufReader::new(File::open(path).ok()?);
    match format {
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
            let mut record = csv::ByteRecord::new();
            let mut n = 0;
            while reader.read_byte_record(&mut record).ok()? {
                n += 1;
            }
            Some(n)
        }
        Format::JsonLines => json::count_lines(file),
        Format::JsonArray => json::count_array(file),
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
