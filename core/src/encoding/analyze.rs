//! `analyze`: which encoding a text travels in, how many units and segments it costs, where it
//! splits, and which characters forced UCS-2.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::gsm7::{self, ASCII_SEPTETS, NOT_GSM};
use super::segment::{Capacity, Split, Splitter};
use super::shift::{Alphabet, ShiftTable};
use super::smart::{self, Replacement};

/// The data coding of a short message (TS 23.038 §4: GSM 7-bit default alphabet or UCS-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Encoding {
    /// GSM 7-bit default alphabet (TS 23.038 §6.2.1): 160 septets in a message sent alone, 153 in
    /// each part of a longer one.
    #[serde(rename = "GSM-7")]
    Gsm7,
    /// UCS-2, as UTF-16 code units: 70 in a message sent alone, 67 in each part of a longer one.
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl Encoding {
    /// `"GSM-7"` or `"UCS-2"`, as the API's `encoding` field writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }
}

/// How [`analyze`] treats a text. The default takes it as it is, without national shift tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AnalyzeOptions {
    /// Replace look-alike characters by GSM-7 ones when that makes the message cheaper
    /// (see [`smart_encode`](super::smart_encode)).
    pub smart: bool,
    /// Allow this language's national shift tables. They are used only when they save segments
    /// (or make the text encodable at all), since each one costs header space.
    pub shift_table: Option<ShiftTable>,
}

/// Built from the default with these setters: `AnalyzeOptions::default().smart(true)`. The
/// struct is `non_exhaustive`, so an option added later breaks no caller.
impl AnalyzeOptions {
    /// Sets [`smart`](Self::smart).
    pub fn smart(mut self, yes: bool) -> Self {
        self.smart = yes;
        self
    }

    /// Sets [`shift_table`](Self::shift_table): `None` for none.
    pub fn shift_table(mut self, table: impl Into<Option<ShiftTable>>) -> Self {
        self.shift_table = table.into();
        self
    }
}

/// What a text costs as an SMS.
///
/// `units` are septets for GSM-7 (an extension or single-shift character counts 2, a basic or
/// locking-shift character 1) and UTF-16 code units for UCS-2 (a character outside the BMP
/// counts 2).
// Deserialize: a binding's copy of an analysis (Python's pickle) comes back exactly as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Analysis {
    /// The encoding the text travels in: GSM-7 when every character is in its alphabet (with
    /// the allowed national tables), else UCS-2.
    pub encoding: Encoding,
    /// Short messages the text travels in; an empty text still makes one.
    pub segments: usize,
    /// Units the whole text takes (see above), before any split.
    pub units: usize,
    /// The text of each segment; their concatenation is `text`.
    pub parts: Vec<String>,
    /// Distinct characters, in order of first appearance, that kept the text out of GSM-7.
    pub unicode_chars: Vec<char>,
    /// The text as it travels (after smart encoding, when that applied).
    pub text: String,
    /// Units of one message sent alone (160, 155, 152 or 70).
    pub single_capacity: usize,
    /// Units of each part of a concatenated message (153, 149, 146 or 67).
    pub per_part_capacity: usize,
    /// Units of each part, in order.
    pub part_units: Vec<usize>,
    /// Units the last segment can still take.
    pub remaining: usize,
    /// National locking shift table in use (its IE is in every part's header).
    pub locking_shift: Option<ShiftTable>,
    /// National single shift table in use (its IE is in every part's header).
    pub single_shift: Option<ShiftTable>,
    /// Whether smart encoding changed the text.
    pub smart_applied: bool,
    /// The replacements smart encoding made, one per distinct character.
    pub replaced: Vec<Replacement>,
}

/// Analyses `text` as it would be sent. With `options.smart` the look-alike replacements are
/// made only when the result costs fewer segments, or turns a UCS-2 text into GSM-7 at no
/// more segments.
pub fn analyze(text: &str, options: &AnalyzeOptions) -> Analysis {
    if options.smart {
        smart::analyze_smart(text, options.shift_table)
    } else {
        analyze_as_is(text, options.shift_table)
    }
}

/// Analyses `text` without smart encoding.
pub(crate) fn analyze_as_is(text: &str, shift_table: Option<ShiftTable>) -> Analysis {
    let Some(table) = shift_table else {
        return match scan_default(text) {
            Ok(splitter) => gsm7_analysis(text, splitter, Alphabet::DEFAULT),
            Err(first) => {
                let unicode_chars = unencodable(text, first, Alphabet::DEFAULT);
                ucs2_analysis(text, unicode_chars)
            }
        };
    };
    // Fewest segments; then the most room left in the last one; then the smaller header.
    let mut best: Option<(Alphabet, Splitter, (usize, usize))> = None;
    for alphabet in Alphabet::candidates(Some(table)) {
        let Some(splitter) = scan(text, alphabet) else {
            continue;
        };
        let capacity = Capacity::gsm7(alphabet.shift_ies());
        let key = (
            splitter.segments(capacity.single),
            usize::MAX - splitter.remaining(capacity),
        );
        if best.as_ref().is_none_or(|(_, _, k)| key < *k) {
            best = Some((alphabet, splitter, key));
        }
    }
    match best {
        Some((alphabet, splitter, _)) => gsm7_analysis(text, splitter, alphabet),
        None => {
            let unicode_chars = Alphabet::candidates(Some(table))
                .into_iter()
                .map(|alphabet| unencodable(text, 0, alphabet))
                .min_by_key(Vec::len)
                .unwrap_or_default();
            ucs2_analysis(text, unicode_chars)
        }
    }
}

/// Septet count and split of `text` in the default alphabet, or the byte offset of its first
/// character outside it. Plain ASCII is summed 16 bytes at a time while the part has room.
fn scan_default(text: &str) -> Result<Splitter, usize> {
    const CHUNK: usize = 16;
    let bytes = text.as_bytes();
    let mut splitter = Splitter::new(Capacity::gsm7(0).per_part);
    let mut i = 0;
    let mut slow_until = 0;
    while i < bytes.len() {
        if i >= slow_until && i + CHUNK <= bytes.len() && splitter.room() >= CHUNK {
            let mut sum = 0usize;
            let mut flags = 0u8;
            for &b in &bytes[i..i + CHUNK] {
                let s = ASCII_SEPTETS[usize::from(b & 0x7F)];
                flags |= s | (b & 0x80);
                sum += usize::from(s);
            }
            // Taken whole when every byte is GSM-7 ASCII and the part has room for the run.
            if flags & NOT_GSM == 0 && sum <= splitter.room() {
                splitter.push_run(sum);
                i += CHUNK;
                continue;
            }
            slow_until = i + CHUNK;
        }
        let b = bytes[i];
        if b < 0x80 {
            let s = ASCII_SEPTETS[usize::from(b)];
            if s == NOT_GSM {
                return Err(i);
            }
            splitter.push(i, usize::from(s));
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            let Some(s) = gsm7::septets(c) else {
                return Err(i);
            };
            splitter.push(i, usize::from(s));
            i += c.len_utf8();
        }
    }
    Ok(splitter)
}

/// Septet count and split of `text` in `alphabet`, or `None` when a character is not in it.
fn scan(text: &str, alphabet: Alphabet) -> Option<Splitter> {
    if alphabet == Alphabet::DEFAULT {
        return scan_default(text).ok();
    }
    let mut splitter = Splitter::new(Capacity::gsm7(alphabet.shift_ies()).per_part);
    for (i, c) in text.char_indices() {
        splitter.push(i, usize::from(alphabet.septets(c)?));
    }
    Some(splitter)
}

/// Whether any alphabet that `shift_table` allows can encode `c`.
pub(crate) fn encodable(c: char, shift_table: Option<ShiftTable>) -> bool {
    Alphabet::candidates(shift_table)
        .into_iter()
        .any(|alphabet| alphabet.septets(c).is_some())
}

/// Distinct characters from byte `from` on that `alphabet` cannot encode, in order.
fn unencodable(text: &str, from: usize, alphabet: Alphabet) -> Vec<char> {
    let mut seen = CharSet::default();
    text[from..]
        .chars()
        .filter(|&c| alphabet.septets(c).is_none() && seen.insert(c))
        .collect()
}

fn gsm7_analysis(text: &str, splitter: Splitter, alphabet: Alphabet) -> Analysis {
    let capacity = Capacity::gsm7(alphabet.shift_ies());
    let split = splitter.finish(text, capacity.single);
    build(text, Encoding::Gsm7, capacity, split, Vec::new(), alphabet)
}

fn ucs2_analysis(text: &str, unicode_chars: Vec<char>) -> Analysis {
    let capacity = Capacity::UCS2;
    let mut splitter = Splitter::new(capacity.per_part);
    for (i, c) in text.char_indices() {
        splitter.push(i, c.len_utf16());
    }
    let split = splitter.finish(text, capacity.single);
    build(
        text,
        Encoding::Ucs2,
        capacity,
        split,
        unicode_chars,
        Alphabet::DEFAULT,
    )
}

fn build(
    text: &str,
    encoding: Encoding,
    capacity: Capacity,
    split: Split,
    unicode_chars: Vec<char>,
    alphabet: Alphabet,
) -> Analysis {
    let segments = split.parts.len();
    let last = split.part_units.last().copied().unwrap_or(0);
    let remaining = if segments == 1 {
        capacity.single - last
    } else {
        capacity.per_part - last
    };
    Analysis {
        encoding,
        segments,
        units: split.units,
        parts: split.parts,
        unicode_chars,
        text: text.to_owned(),
        single_capacity: capacity.single,
        per_part_capacity: capacity.per_part,
        part_units: split.part_units,
        remaining,
        locking_shift: alphabet.locking,
        single_shift: alphabet.single,
        smart_applied: false,
        replaced: Vec::new(),
    }
}

/// A set of characters: a bitmap for the BMP (allocated on first use), a hash set beyond it.
#[derive(Default)]
struct CharSet {
    bmp: Vec<u64>,
    astral: HashSet<char>,
}

impl CharSet {
    /// Adds `c`; true when it was not there yet.
    fn insert(&mut self, c: char) -> bool {
        let code = c as usize;
        if code > 0xFFFF {
            return self.astral.insert(c);
        }
        if self.bmp.is_empty() {
            self.bmp = vec![0; 0x10000 / 64];
        }
        let (word, bit) = (code / 64, 1u64 << (code % 64));
        let fresh = self.bmp[word] & bit == 0;
        self.bmp[word] |= bit;
        fresh
    }
}
