//! CSV rows: a header row names the columns; each later record is one row.

use std::io::{BufRead, Read};

use super::quotes::{Flaw, QuoteWatch};
use super::{normalize, Record, RowRead};

/// How to write a quote that is part of the text; said with every quoting error.
const QUOTE_HINT: &str =
    "a quote that is part of the text is doubled inside a quoted field: \"say \"\"hi\"\"\"";

pub struct CsvRows<R: Read = Box<dyn BufRead + Send>> {
    reader: csv::Reader<QuoteWatch<R>>,
    pub headers: Vec<String>,
}

impl<R: Read> CsvRows<R> {
    pub fn new(reader: R) -> Result<CsvRows<R>, String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(QuoteWatch::new(reader));
        let headers = reader
            .headers()
            .map_err(|e| format!("cannot read the CSV header: {e}"))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect::<Vec<_>>();
        let end = reader.position().byte();
        let watch = reader.get_mut();
        if let Some(line) = watch.unclosed() {
            return Err(format!(
                "the CSV header: line {line}: a quoted field starts here and is never closed; {QUOTE_HINT}"
            ));
        }
        if let Some(flaw) = watch.flaws_before(end).first() {
            return Err(format!(
                "the CSV header: line {}: text follows the closing quote of a quoted field; {QUOTE_HINT}",
                flaw.line
            ));
        }
        if headers.iter().all(|h| h.is_empty()) {
            return Err("the CSV file has no header row".into());
        }
        if let Some(duplicates) = duplicate_columns(&headers) {
            return Err(format!(
                "the CSV header names the same column more than once: {duplicates}; only one \
                 of each would be read, as names are compared ignoring case, `_`, `-` and \
                 spaces: rename or remove the extra ones"
            ));
        }
        Ok(CsvRows { reader, headers })
    }

    /// The next row; `Err` stops reading: an I/O error, or a quoting mistake that may have
    /// merged several lines into the row (see [`super::quotes`]). Such a row is withheld,
    /// never sent, and so is everything after it: rows merged into one are messages lost, and
    /// what follows a misread quote cannot be trusted to be the rows the file meant.
    pub fn next_row(&mut self) -> Result<Option<RowRead>, String> {
        let mut record = csv::StringRecord::new();
        let read = self.reader.read_record(&mut record);
        let read = match read {
            Err(e) if !is_row_error(&e) => return Err(e.to_string()),
            read => read,
        };
        if let Some(why) = self.quoting()? {
            return Ok(Some(Err(why)));
        }
        Ok(match read {
            Ok(false) => None,
            Ok(true) => Some(Ok(Record {
                fields: self
                    .headers
                    .iter()
                    .cloned()
                    .zip(record.iter().map(String::from))
                    .collect(),
                unusable: Vec::new(),
            })),
            Err(e) => Some(Err(crate::fail::one_line(&e.to_string()))),
        })
    }

    /// Reads the rows left without keeping them: how many [`CsvRows::next_row`] would give,
    /// or where it would stop (its `Err`).
    pub fn count_rest(&mut self) -> Result<u64, String> {
        let mut record = csv::ByteRecord::new();
        let mut rows = 0;
        loop {
            let read = match self.reader.read_byte_record(&mut record) {
                Err(e) if !is_row_error(&e) => return Err(e.to_string()),
                read => read,
            };
            self.quoting()?;
            match read {
                Ok(false) => return Ok(rows),
                Ok(true) | Err(_) => rows += 1,
            }
        }
    }

    /// The quoting of the record just read: `Err` when it stops reading, `Some` when it
    /// refuses only this row.
    fn quoting(&mut self) -> Result<Option<String>, String> {
        let end = self.reader.position().byte();
        let watch = self.reader.get_mut();
        if let Some(line) = watch.unclosed() {
            return Err(format!(
                "line {line}: a quoted field starts here and is never closed, so the rest of \
                 the file would be read into this row; add the missing quote ({QUOTE_HINT})"
            ));
        }
        let flaws = watch.flaws_before(end);
        if let Some(Flaw { opened, line, .. }) = flaws.iter().find(|f| f.opened != f.line) {
            return Err(format!(
                "line {opened}: a quoted field starts here and ends on line {line} with text \
                 after its closing quote, so a quote is missing or not doubled and the lines \
                 in between may belong to other rows; fix the quotes ({QUOTE_HINT})"
            ));
        }
        // On one line, text after a closing quote changes the text (`"say "hi" now"` reads as
        // `say hi" now"`) but not where the row ends: only this row is refused.
        Ok(flaws.first().map(|flaw| {
            format!(
                "line {}: text follows the closing quote of a quoted field, so the field \
                 would not be sent as written; {QUOTE_HINT}",
                flaw.line
            )
        }))
    }
}

/// A CSV error that refuses one row and lets reading go on.
fn is_row_error(e: &csv::Error) -> bool {
    matches!(
        e.kind(),
        csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
    )
}

/// Column names that [`Record::get`] could not tell apart, as "`to` (columns 1 and 4)",
/// or `None` when every name is distinct. Empty names (a trailing `,` in a spreadsheet's
/// export) cannot be asked for and are left out.
fn duplicate_columns(headers: &[String]) -> Option<String> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let key = normalize(h);
        if key.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, columns)) => columns.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let described: Vec<String> = groups
        .iter()
        .filter(|(_, columns)| columns.len() > 1)
        .map(|(_, columns)| {
            let mut names: Vec<String> = Vec::new();
            for &i in columns {
                let name = format!("`{}`", headers[i]);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            let numbers: Vec<String> = columns.iter().map(|i| (i + 1).to_string()).collect();
            format!("{} (columns {})", names.join(", "), join_and(&numbers))
        })
        .collect();
    (!described.is_empty()).then(|| described.join("; "))
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use std::io::BufReader;

    use super::*;

    /// Every row, then why reading stopped (if it did). Read twice: as a file is, and a byte
    /// at a time as a pipe may deliver it, which must not change which row a quoting mistake
    /// is charged to.
    fn read(text: &str) -> (Vec<RowRead>, Option<String>) {
        let whole = read_with(text, 8192);
        assert_eq!(whole, read_with(text, 1), "byte-at-a-time reading differs");
        // The first reading of a file, which only counts, agrees with the one that sends.
        let counted = CsvRows::new(text.as_bytes()).unwrap().count_rest();
        match (&whole.1, counted) {
            (None, Ok(n)) => assert_eq!(n, whole.0.len() as u64, "rows counted"),
            (Some(fatal), Err(e)) => assert_eq!(fatal, &e),
            (fatal, counted) => panic!("reading stopped at {fatal:?}, counting at {counted:?}"),
        }
        whole
    }

    fn read_with(text: &str, capacity: usize) -> (Vec<RowRead>, Option<String>) {
        let bytes = text.as_bytes().to_vec();
        let source = BufReader::with_capacity(capacity, std::io::Cursor::new(bytes));
        let mut rows = CsvRows::new(Box::new(source)).unwrap();
        let mut out = Vec::new();
        loop {
            match rows.next_row() {
                Ok(Some(row)) => out.push(row),
                Ok(None) => return (out, None),
                Err(fatal) => return (out, Some(fatal)),
            }
        }
    }

    fn open_error(text: &'static str) -> String {
        CsvRows::new(Box::new(text.as_bytes()))
            .err()
            .expect("the header is refused")
    }

    fn text(row: &RowRead) -> &str {
        row.as_ref().unwrap().get("text").unwrap()
    }

    #[test]
    fn an_unclosed_quote_stops_reading_and_its_row_is_never_yielded() {
        let (rows, fatal) = read(
            "to,from,text\n+34600001100,Acme,Fine\n+34600001101,Acme,\"Hello unbalanced\n\
             +34600001102,Acme,Hi two\n+34600001103,Acme,Hi three\n",
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(text(&rows[0]), "Fine");
        let fatal = fatal.unwrap();
        assert!(
            fatal.starts_with("line 3: a quoted field starts here and is never closed"),
            "{fatal}"
        );
    }

    #[test]
    fn an_unclosed_quote_in_a_middle_column_stops_reading_too() {
        // Merged, the row has too few fields: it used to be one rejected row standing for
        // all the lines after it.
        let (rows, fatal) = read(
            "to,from,text\n+34600001101,\"Acme,Hello\n+34600001102,Acme,Hi two\n\
             +34600001103,Acme,Hi three\n",
        );
        assert!(rows.is_empty());
        assert!(fatal.unwrap().starts_with("line 2: "));
        let (rows, fatal) = read("to,text\n+34600001101,Hola\n\"");
        assert_eq!(rows.len(), 1);
        assert!(fatal.unwrap().starts_with("line 3: "));
    }

    #[test]
    fn an_unclosed_quote_after_many_rows_stops_at_its_row() {
        // Far past the csv reader's first 8 KiB buffer.
        let mut file = String::from("to,text\n");
        for i in 0..2000 {
            file.push_str(&format!("+346000{i:05},Hola {i}\n"));
        }
        file.push_str("+34600099999,\"Adios\n+34600099998,Otro\n");
        let (rows, fatal) = read(&file);
        assert_eq!(rows.len(), 2000);
        assert!(rows.iter().all(Result::is_ok));
        assert!(fatal.unwrap().starts_with("line 2002: "));
    }

    #[test]
    fn multi_line_and_escaped_quotes_are_read_as_written() {
        let (rows, fatal) = read(
            "to,text\r\n+34600000001,\"Hola\r\nAna, \"\"bienvenida\"\"\"\r\n+34600000002,\"\"\r\n\
             +34600000003,Adios\r\n",
        );
        assert_eq!(fatal, None);
        assert_eq!(text(&rows[0]), "Hola\r\nAna, \"bienvenida\"");
        assert_eq!(text(&rows[1]), "");
        assert_eq!(text(&rows[2]), "Adios");
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_part_of_the_text() {
        // A quote opens a quoted field only as a field's first character (the csv crate's
        // reading), so here it cannot swallow the rows after it.
        let (rows, fatal) = read("to,text\n+34600000001,5\" screen\n+34600000002,Hi\n");
        assert_eq!(fatal, None);
        assert_eq!(text(&rows[0]), "5\" screen");
        assert_eq!(text(&rows[1]), "Hi");
    }

    #[test]
    fn text_after_a_closing_quote_refuses_only_that_row() {
        let mut file = String::from("to,text\n");
        for i in 0..1500 {
            file.push_str(&format!("+346000{i:05},Hola {i}\n"));
        }
        file.push_str("+34600099999,\"say \"hi\" now\"\n+34600099998,Otro\n");
        let (rows, fatal) = read(&file);
        assert_eq!(fatal, None);
        assert_eq!(rows.len(), 1502);
        assert!(rows[..1500].iter().all(Result::is_ok));
        let why = rows[1500].as_ref().unwrap_err();
        assert!(
            why.starts_with("line 1502: text follows the closing quote"),
            "{why}"
        );
        assert_eq!(text(&rows[1501]), "Otro");
    }

    #[test]
    fn a_quote_closed_lines_later_with_text_after_it_stops_reading() {
        // Without the check this is one valid-looking row: `Hello` plus the next line.
        let (rows, fatal) = read(
            "to,text\n+34600000000,Fine\n+34600000001,\"Hello\n+34600000002,Hi \"two\" x\n\
             +34600000003,Three\n",
        );
        assert_eq!(rows.len(), 1);
        let fatal = fatal.unwrap();
        assert!(
            fatal.starts_with("line 3: a quoted field starts here and ends on line 4"),
            "{fatal}"
        );
    }

    #[test]
    fn a_column_named_twice_is_refused_when_the_file_is_opened() {
        let e = open_error("to,text,from,to\n+34600000000,a,b,+34600000001\n");
        assert!(e.contains("`to` (columns 1 and 4)"), "{e}");
        let e = open_error("text,Text,to\n");
        assert!(e.contains("`text`, `Text` (columns 1 and 2)"), "{e}");
        let e = open_error("to,client_id,text,clientId,Client ID\n");
        assert!(
            e.contains("`client_id`, `clientId`, `Client ID` (columns 2, 4 and 5)"),
            "{e}"
        );
        // Unnamed columns (a spreadsheet's trailing commas) cannot be asked for.
        let (rows, _) = read("to,text,,\n+34600000000,Hola,,\n");
        assert_eq!(text(&rows[0]), "Hola");
    }

    #[test]
    fn quoting_mistakes_in_the_header_are_refused() {
        let e = open_error("to,\"text\n+34600000000,Hola\n");
        assert!(
            e.contains("line 1: a quoted field starts here and is never closed"),
            "{e}"
        );
        let e = open_error("to,\"te\"xt\n+34600000000,Hola\n");
        assert!(e.contains("line 1: text follows the closing quote"), "{e}");
    }
}
