//! Watches the quoting of the bytes the CSV parser reads, to catch what the `csv` crate
//! silently accepts:
//!
//! - a quoted field that is never closed: the crate ends it at the end of the input, so one
//!   stray `"` turns every later line into the text of one row (sent to that row's number);
//! - text after a closing quote (`"abc"def`): the crate glues it on (`abcdef`), so an
//!   unescaped quote inside a quoted field (`"say "hi" now"`) changes the text, and a stray
//!   quote that is closed lines later by another one merges the rows in between.
//!
//! The watcher mirrors csv-core's state machine for the reader's settings (delimiter `,`, quote
//! `"` with `""` as an escaped quote, no escape byte, no comments, `\r`, `\n` or `\r\n` end a
//! record): a quote opens a quoted field only as the first byte of a field, so a quote inside
//! an unquoted field (`5" screen`) is text, as the crate reads it, and cannot merge rows. Every
//! byte of interest is ASCII, so UTF-8 text needs no decoding here.

use std::collections::VecDeque;
use std::io::{self, Read};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: it closes the field, or is the first of `""`.
    QuoteInQuoted,
}

/// Text after the closing quote of a quoted field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flaw {
    /// Byte offset of the text after the quote, to tell which record it belongs to.
    pub offset: u64,
    /// Line (1-based) where the quoted field opened.
    pub opened: u64,
    /// Line of the closing quote.
    pub line: u64,
}

pub struct QuoteWatch<R> {
    inner: R,
    state: State,
    /// Line (1-based) of the next byte; lines end at `\n`, as csv-core counts them.
    line: u64,
    /// Byte offset of the next byte: the csv reader's positions count the same bytes.
    offset: u64,
    /// Line where the quoted field being read opened.
    opened: u64,
    eof: bool,
    /// Flaws not yet matched with the record that holds them: the csv reader reads ahead of
    /// the record it hands out.
    flaws: VecDeque<Flaw>,
}

impl<R> QuoteWatch<R> {
    pub fn new(inner: R) -> Self {
        QuoteWatch {
            inner,
            state: State::FieldStart,
            line: 1,
            offset: 0,
            opened: 0,
            eof: false,
            flaws: VecDeque::new(),
        }
    }

    /// The line where a quoted field opened that the input ended inside of. The csv reader
    /// asks for more bytes only once it has parsed all it holds, so when this is `Some`, the
    /// record it produced last is the one holding that field (and the last one there is).
    pub fn unclosed(&self) -> Option<u64> {
        (self.eof && self.state == State::Quoted).then_some(self.opened)
    }

    /// The flaws that lie before byte `end` (the csv reader's position after a record):
    /// those of that record, as earlier records took theirs.
    pub fn flaws_before(&mut self, end: u64) -> Vec<Flaw> {
        let mut found = Vec::new();
        while self.flaws.front().is_some_and(|f| f.offset < end) {
            found.extend(self.flaws.pop_front());
        }
        found
    }

    fn step(&mut self, byte: u8) {
        use State::*;
        let ends_field = matches!(byte, b',' | b'\n' | b'\r');
        self.state = match (self.state, byte) {
            (FieldStart, b'"') => {
                self.opened = self.line;
                Quoted
            }
            (FieldStart | Unquoted, _) if ends_field => FieldStart,
            (FieldStart | Unquoted, _) => Unquoted,
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => Quoted,
            (QuoteInQuoted, b'"') => Quoted,
            (QuoteInQuoted, _) if ends_field => FieldStart,
            (QuoteInQuoted, _) => {
                self.flaws.push_back(Flaw {
                    offset: self.offset,
                    opened: self.opened,
                    line: self.line,
                });
                Unquoted
            }
        };
        self.line += u64::from(byte == b'\n');
        self.offset += 1;
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.eof = true;
        }
        for &b in &buf[..n] {
            self.step(b);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(text: &str) -> QuoteWatch<&[u8]> {
        let mut w = QuoteWatch::new(text.as_bytes());
        // Small reads, as a stream would arrive: state carries across reads.
        let mut buf = [0u8; 3];
        while w.read(&mut buf).unwrap() > 0 {}
        w
    }

    #[test]
    fn a_quote_left_open_at_the_end_names_its_line() {
        let w = watch("to,text\n+34600000001,\"Hola\n+34600000002,Adios\n");
        assert_eq!(w.unclosed(), Some(2));
        let w = watch("to,text\n+34600000001,Hola\n\"");
        assert_eq!(w.unclosed(), Some(3));
    }

    #[test]
    fn closed_escaped_and_multi_line_quotes_are_fine() {
        let mut w = watch(
            "to,text\n+34600000001,\"Hola, \"\"Ana\"\"\nhasta luego\"\n+34600000002,\"\"\r\n",
        );
        assert_eq!(w.unclosed(), None);
        assert!(w.flaws_before(u64::MAX).is_empty());
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_text() {
        let mut w = watch("to,text\n+34600000001,5\" screen\n+34600000002, \"x\n");
        assert_eq!(w.unclosed(), None);
        assert!(w.flaws_before(u64::MAX).is_empty());
    }

    #[test]
    fn text_after_a_closing_quote_is_a_flaw_of_its_record() {
        let text = "to,text\n+1,\"say \"hi\" now\"\n+2,\"a\nb\"c\n";
        let mut w = watch(text);
        let first_end = text.find("+2").unwrap() as u64;
        let f = w.flaws_before(first_end);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].opened, f[0].line), (2, 2));
        let f = w.flaws_before(u64::MAX);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].opened, f[0].line), (3, 4));
        assert!(w.flaws_before(u64::MAX).is_empty());
        // `"say "` closes, `hi` follows it; the last `"` then opens nothing (mid-field) and
        // the second row's quote closes on line 4.
        assert_eq!(w.unclosed(), None);
    }
}
