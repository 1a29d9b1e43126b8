//! Reading campaign rows: a CSV file with a header row, or JSON lines (one object per line).
//! Rows are read lazily, so a file of any size is streamed.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use serde_json::Value;

use crate::fail::{CliResult, Failure};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
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
    /// A read failure after which nothing more can be read (I/O error).
    pub fatal: Option<String>,
}

enum Inner {
    Csv {
        reader: csv::Reader<Box<dyn Read + Send>>,
        headers: Vec<String>,
    },
    Json {
        lines: io::Lines<Box<dyn BufRead + Send>>,
        line: u64,
    },
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

    /// Column names of a CSV file (JSON lines have none up front).
    pub fn headers(&self) -> Option<&[String]> {
        match &self.rows.inner {
            Inner::Csv { headers, .. } => Some(headers),
            Inner::Json { .. } => None,
        }
    }
}

/// `.jsonl`/`.ndjson`/`.json` are JSON lines, `.csv` is CSV; otherwise content starting with
/// `{` is JSON lines.
fn detect(path: &Path, reader: &mut Box<dyn BufRead + Send>) -> io::Result<Format> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("jsonl" | "ndjson" | "json") => return Ok(Format::JsonLines),
        Some("csv") => return Ok(Format::Csv),
        _ => {}
    }
    let head = reader.fill_buf()?;
    let first = head
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF);
    Ok(if first == Some(&b'{') {
        Format::JsonLines
    } else {
        Format::Csv
    })
}

impl Rows {
    fn new(format: Format, reader: Box<dyn BufRead + Send>) -> Result<Rows, String> {
        let inner = match format {
            Format::Csv => {
                let reader: Box<dyn Read + Send> = Box::new(reader);
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .flexible(false)
                    .from_reader(reader);
                let headers = reader
                    .headers()
                    .map_err(|e| format!("cannot read the CSV header: {e}"))?
                    .iter()
                    .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
                    .collect::<Vec<_>>();
                if headers.iter().all(|h| h.is_empty()) {
                    return Err("the CSV file has no header row".into());
                }
                Inner::Csv { reader, headers }
            }
            Format::JsonLines => Inner::Json {
                lines: reader.lines(),
                line: 0,
            },
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
        match &mut self.inner {
            Inner::Csv { reader, headers } => {
                let mut record = csv::StringRecord::new();
                match reader.read_record(&mut record) {
                    Ok(false) => None,
                    Ok(true) => Some(Ok(Record {
                        fields: headers
                            .iter()
                            .cloned()
                            .zip(record.iter().map(String::from))
                            .collect(),
                    })),
                    Err(e) => match e.kind() {
                        csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. } => {
                            Some(Err(one_line(&e.to_string())))
                        }
                        _ => {
                            self.fatal = Some(e.to_string());
                            None
                        }
                    },
                }
            }
            Inner::Json { lines, line } => loop {
                let text = match lines.next()? {
                    Ok(text) => text,
                    Err(e) => {
                        self.fatal = Some(format!("line {}: {e}", *line + 1));
                        return None;
                    }
                };
                *line += 1;
                if text.trim().is_empty() {
                    continue;
                }
                return Some(json_record(&text).map_err(|e| format!("line {line}: {e}")));
            },
        }
    }
}

fn one_line(s: &str) -> String {
    crate::fail::one_line(s)
}

fn json_record(text: &str) -> Result<Record, String> {
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("not a JSON object".into());
    };
    let fields = map
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, v)
        })
        .collect();
    Ok(Record { fields })
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
        Format::JsonLines => Some(
            file.lines()
                .map_while(Result::ok)
                .filter(|l| !l.trim().is_empty())
                .count() as u64,
        ),
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
        assert_eq!(rec.get("n"), Some(""));
        assert_eq!(r[1].as_ref().unwrap_err(), "line 3: not a JSON object");
        assert!(r[2]
            .as_ref()
            .unwrap_err()
            .starts_with("line 4: not valid JSON"));
    }

    #[test]
    fn format_follows_extension_then_content() {
        let mut r: Box<dyn BufRead + Send> = Box::new(&b"  {\"to\":1}"[..]);
        assert_eq!(
            detect(Path::new("x.txt"), &mut r).unwrap(),
            Format::JsonLines
        );
        let mut r: Box<dyn BufRead + Send> = Box::new(&b"to,text"[..]);
        assert_eq!(detect(Path::new("x"), &mut r).unwrap(), Format::Csv);
        assert_eq!(
            detect(Path::new("x.ndjson"), &mut r).unwrap(),
            Format::JsonLines
        );
    }
}
