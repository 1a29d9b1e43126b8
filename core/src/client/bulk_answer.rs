//! Reading a `POST /sms/bulk` answer for the campaign engine, which needs two strings of each
//! entity (`id`, `clientId`) out of the dozen the API returns, and the `errors`.
//!
//! serde's derive spent ~4,900 instructions per entity matching and skipping the fields the
//! engine does not need: 43% of the Rust client's work per message (bench/instructions.sh).
//! [`scan`] reads the common shape in one pass instead, and gives up on anything else: an
//! escape or a control character in any string, a nested value inside an entity, a missing or
//! repeated `id`/`clientId`, a non-empty `errors`, a key other than `entities`/`errors`, or
//! malformed JSON. Those answers go through serde as before, so what a caller gets never depends
//! on which path read the answer; the tests hold `scan` to serde's reading of the same text.

/// An accepted entity: `clientId` is `None` when absent or `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Accepted<'a> {
    pub id: &'a str,
    pub client_id: Option<&'a str>,
}

/// The accepted entities of a bulk answer whose `errors` is empty, or `None` when the answer
/// is not of the shape described above (then read it with serde).
pub(crate) fn scan(body: &str) -> Option<Vec<Accepted<'_>>> {
    let mut s = Scanner { text: body, at: 0 };
    let mut entities = None;
    let mut errors_seen = false;
    s.expect(b'{')?;
    if !s.next_is(b'}') {
        loop {
            match s.key()? {
                b"entities" if entities.is_none() => entities = Some(s.entities()?),
                b"errors" if !errors_seen => {
                    s.expect(b'[')?;
                    s.expect(b']')?;
                    errors_seen = true;
                }
                _ => return None,
            }
            if !s.comma_or(b'}')? {
                break;
            }
        }
    }
    // Nothing but whitespace may follow.
    s.peek().is_none().then(|| entities.unwrap_or_default())
}

/// Where the string starting at `from` ends (its closing quote), or `None` if an escape or a
/// control character comes first. Eight bytes a step: a byte is flagged when it is `"`, `\\`
/// or below 0x20, with the zero-byte test of Mycroft (the same as serde_json's). A flag can be
/// spurious only above a real one of the same test, so the lowest flag of all is real, and it
/// closes the string when it is a quote's.
#[inline(always)]
fn string_end(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let v = u64::from_le_bytes(chunk.try_into().ok()?);
        let quote = v ^ (ONES * u64::from(b'"'));
        let backslash = v ^ (ONES * u64::from(b'\\'));
        let quotes = quote.wrapping_sub(ONES) & !quote & HIGH;
        let others = ((backslash.wrapping_sub(ONES) & !backslash)
            | (v.wrapping_sub(ONES * 0x20) & !v))
            & HIGH;
        let flagged = quotes | others;
        if flagged != 0 {
            let lowest = flagged & flagged.wrapping_neg();
            return (quotes & lowest != 0).then(|| at + (lowest.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        match b {
            b'"' => return Some(at),
            b'\\' | 0..=0x1f => return None,
            _ => at += 1,
        }
    }
    None
}

#[cold]
#[inline(never)]
fn past_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(at) {
        at += 1;
    }
    at
}

struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    #[inline(always)]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not whitespace. A compact answer has none between its tokens, so
    /// one comparison settles the common case.
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        match self.bytes().get(self.at) {
            Some(&b) if b > b' ' => Some(b),
            _ => {
                // A plain function of the position, so that the scanner's state can stay in
                // registers around the call.
                self.at = past_whitespace(self.bytes(), self.at);
                self.bytes().get(self.at).copied()
            }
        }
    }

    #[inline(always)]
    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Consumes `byte` if it comes next.
    fn next_is(&mut self, byte: u8) -> bool {
        self.expect(byte).is_some()
    }

    /// After a member or an element: true on `,`, false on `close`.
    #[inline(always)]
    fn comma_or(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.at += 1;
                Some(true)
            }
            b if b == close => {
                self.at += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// Where a string without escapes or control characters (the common case) lies, quotes
    /// excluded.
    #[inline(always)]
    fn string_span(&mut self) -> Option<(usize, usize)> {
        self.expect(b'"')?;
        self.rest_of_string()
    }

    /// The span of the string whose opening quote was just consumed.
    #[inline(always)]
    fn rest_of_string(&mut self) -> Option<(usize, usize)> {
        let start = self.at;
        let end = string_end(self.bytes(), start)?;
        self.at = end + 1;
        Some((start, end))
    }

    /// Such a string, borrowed.
    #[inline(always)]
    fn string(&mut self) -> Option<&'a str> {
        let (start, end) = self.string_span()?;
        // Both ends sit next to an ASCII quote, so they are character boundaries.
        self.text.get(start..end)
    }

    /// An object key and its colon.
    #[inline(always)]
    fn key(&mut self) -> Option<&'a [u8]> {
        let (start, end) = self.string_span()?;
        self.expect(b':')?;
        Some(&self.bytes()[start..end])
    }

    #[inline(always)]
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes().get(self.at..end)? == word).then(|| self.at = end)
    }

    /// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    #[inline(always)]
    fn number(&mut self) -> Option<()> {
        let digits = |s: &mut Self| {
            let start = s.at;
            while let Some(b'0'..=b'9') = s.bytes().get(s.at) {
                s.at += 1;
            }
            s.at > start
        };
        if self.bytes().get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.bytes().get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        if self.bytes().get(self.at) == Some(&b'.') {
            self.at += 1;
            digits(self).then_some(())?;
        }
        if let Some(b'e' | b'E') = self.bytes().get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes().get(self.at) {
                self.at += 1;
            }
            digits(self).then_some(())?;
        }
        Some(())
    }

    /// A string, number, `true`, `false` or `null`; `None` on anything nested.
    #[inline(always)]
    fn skip_scalar(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                self.rest_of_string().map(drop)
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    fn entities(&mut self) -> Option<Vec<Accepted<'a>>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        if self.next_is(b']') {
            return Some(out);
        }
        loop {
            out.push(self.entity()?);
            if !self.comma_or(b']')? {
                return Some(out);
            }
        }
    }

    fn entity(&mut self) -> Option<Accepted<'a>> {
        self.expect(b'{')?;
        let mut id = None;
        let mut client_id: Option<Option<&str>> = None;
        if !self.next_is(b'}') {
            loop {
                match self.key()? {
                    b"id" if id.is_none() => id = Some(self.string()?),
                    b"clientId" if client_id.is_none() => {
                        client_id = Some(match self.peek()? {
                            b'n' => self.literal(b"null").map(|()| None)?,
                            _ => Some(self.string()?),
                        });
                    }
                    b"id" | b"clientId" => return None,
                    _ => self.skip_scalar()?,
                }
                if !self.comma_or(b'}')? {
                    break;
                }
            }
        }
        Some(Accepted {
            id: id?,
            client_id: client_id.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    /// (id, clientId) per accepted entity.
    type Pairs = Vec<(String, Option<String>)>;

    /// serde's reading of the same text: the campaign's own fallback (`LeanBulkResponse`), with
    /// the number of errors.
    fn by_serde(body: &str) -> Option<(Pairs, usize)> {
        let a: super::super::sms::LeanBulkResponse = serde_json::from_str(body).ok()?;
        let pairs = a
            .entities
            .iter()
            .map(|e| (e.id.to_string(), e.client_id.as_deref().map(str::to_owned)))
            .collect();
        Some((pairs, a.errors.len()))
    }

    fn owned(scanned: Vec<Accepted<'_>>) -> Pairs {
        scanned
            .into_iter()
            .map(|a| (a.id.to_owned(), a.client_id.map(str::to_owned)))
            .collect()
    }

    const SANDBOX_ANSWER: &str = r#"{"entities":[{"id":"6a822f5a0000000000000001","clientId":"abcdefabcdefabcdefabcdefabcdef12","from":"Acme","to":"+34600000010","text":"Hola 1, tu pedido ha salido hoy.","allowUnicode":false,"status":"enqueued","encoding":"GSM-7","segments":1,"price":0.045,"country":"ES","createdAt":"2026-12-03T14:56:05.063Z"},{"id":"6a822f5a0000000000000002","from":"Acme","text":"Ñandú €","price":-1.5e-3,"extra":null,"ok":true}],"errors":[]}"#;

    #[test]
    fn the_sandboxs_answer_is_read_in_one_pass() {
        let got = scan(SANDBOX_ANSWER).expect("the common shape");
        assert_eq!(
            got,
            vec![
                Accepted {
                    id: "6a822f5a0000000000000001",
                    client_id: Some("abcdefabcdefabcdefabcdefabcdef12"),
                },
                Accepted {
                    id: "6a822f5a0000000000000002",
                    client_id: None,
                },
            ]
        );
        assert_eq!(owned(got), by_serde(SANDBOX_ANSWER).unwrap().0);
    }

    #[test]
    fn whitespace_order_null_client_ids_and_absent_lists_are_read() {
        let body = " {\n \"errors\" : [ ] ,\t\"entities\" : [ { \"clientId\" : null , \"id\" : \"a\" } ] }\r\n";
        assert_eq!(
            scan(body),
            Some(vec![Accepted {
                id: "a",
                client_id: None
            }])
        );
        assert_eq!(scan("{}"), Some(vec![]));
        assert_eq!(scan(r#"{"entities":[]}"#), Some(vec![]));
    }

    #[test]
    fn anything_else_is_left_to_serde() {
        for body in [
            // errors to reconcile
            r#"{"entities":[],"errors":[{"fields":{"to":["bad"]}}]}"#,
            // escapes, in an id, a skipped field and a key
            r#"{"entities":[{"id":"a\"b"}]}"#,
            r#"{"entities":[{"id":"a","text":"say \"hi\""}]}"#,
            r#"{"entities":[{"\u0069d":"a"}]}"#,
            // a raw control character (serde refuses it)
            "{\"entities\":[{\"id\":\"a\",\"text\":\"x\ny\"}]}",
            // nested values, missing or repeated keys, wrong types
            r#"{"entities":[{"id":"a","meta":{"k":1}}]}"#,
            r#"{"entities":[{"clientId":"c"}]}"#,
            r#"{"entities":[{"id":"a","id":"b"}]}"#,
            r#"{"entities":[{"id":"a","clientId":"c","clientId":"d"}]}"#,
            r#"{"entities":[{"id":1}]}"#,
            r#"{"entities":[{"id":"a","clientId":7}]}"#,
            r#"{"entities":[],"entities":[]}"#,
            r#"{"entities":null}"#,
            r#"{"entities":[],"page":1}"#,
            // malformed JSON
            r#"{"entities":[{"id":"a"},]}"#,
            r#"{"entities":[{"id":"a",}]}"#,
            r#"{"entities":[{"id":"a","n":01}]}"#,
            r#"{"entities":[{"id":"a","n":1.}]}"#,
            r#"{"entities":[{"id":"a","n":-}]}"#,
            r#"{"entities":[{"id":"a","b":tru}]}"#,
            r#"{"entities":[{"id":"a"}]} x"#,
            r#"{"entities":[{"id":"a"}"#,
            r#"{"entities":[{"id":"a}]}"#,
            "",
            "[]",
        ] {
            assert_eq!(scan(body), None, "{body}");
        }
    }

    fn text() -> impl Strategy<Value = String> {
        // Mostly strings serde writes as they are (non-ASCII included), so that most answers
        // take the fast path; now and then quotes, backslashes and control characters, which
        // it escapes.
        prop_oneof![
            15 => proptest::string::string_regex("[a-zA-Z0-9 +:.ñ€😀-]{0,12}").unwrap(),
            1 => proptest::string::string_regex("[a-z\"\\\\\n\u{1}ñ]{1,6}").unwrap(),
        ]
    }

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            text().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            Just(Value::Null),
        ]
    }

    fn entity() -> impl Strategy<Value = Value> {
        (
            text(),
            proptest::option::of(proptest::option::of(text())),
            proptest::collection::vec(("[a-zA-Z]{1,10}", scalar()), 0..6),
        )
            .prop_map(|(id, client_id, extra)| {
                let mut m = serde_json::Map::new();
                for (k, v) in extra {
                    if k != "id" && k != "clientId" {
                        m.insert(k, v);
                    }
                }
                m.insert("id".into(), id.into());
                if let Some(c) = client_id {
                    m.insert("clientId".into(), c.map_or(Value::Null, Value::from));
                }
                Value::Object(m)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever `scan` reads, serde reads the same; and `scan` reads every answer of the
        /// common shape, so the fast path is taken when it should be.
        #[test]
        fn scan_reads_what_serde_reads(
            entities in proptest::collection::vec(entity(), 0..8),
            pretty in any::<bool>(),
        ) {
            let answer = json!({"entities": entities, "errors": []});
            let body = if pretty {
                serde_json::to_string_pretty(&answer).unwrap()
            } else {
                serde_json::to_string(&answer).unwrap()
            };
            let (pairs, errors) = by_serde(&body).unwrap();
            prop_assert_eq!(errors, 0);
            match scan(&body) {
                Some(got) => prop_assert_eq!(owned(got), pairs),
                None => prop_assert!(body.contains('\\'), "fell back on {}", body),
            }
        }

        /// The eight-bytes-a-step search agrees with reading byte by byte, whatever sits next
        /// to the quote in the same step (bytes one off a flagged value, where the zero-byte
        /// test gives spurious flags, included).
        #[test]
        fn string_end_agrees_with_a_byte_by_byte_reading(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"aa\"\"\\\x00\x01\x1f\x20!#[]\x7f\x80\xff".to_vec()),
                0..40,
            ),
            from in 0usize..40,
        ) {
            let from = from.min(bytes.len());
            let by_byte = bytes[from..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .filter(|&i| bytes[from + i] == b'"')
                .map(|i| from + i);
            prop_assert_eq!(string_end(&bytes, from), by_byte);
        }

        /// A damaged answer is either refused by both or read the same by both.
        #[test]
        fn a_damaged_answer_never_reads_differently(at in 0usize..400, byte in any::<u8>()) {
            let mut bytes = SANDBOX_ANSWER.as_bytes().to_vec();
            let at = at % bytes.len();
            bytes[at] = byte;
            if let Ok(body) = std::str::from_utf8(&bytes) {
                if let Some(got) = scan(body) {
                    let (pairs, errors) = by_serde(body).expect("serde reads what scan reads");
                    prop_assert_eq!(errors, 0);
                    prop_assert_eq!(owned(got), pairs);
                }
            }
        }
    }
}
