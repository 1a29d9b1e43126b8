//! Smart encoding: typographic look-alikes replaced by GSM-7 characters, so that a text pasted
//! from a word processor does not silently travel as UCS-2 at less than half the capacity.
//!
//! Choices:
//! - quotes: ‘ ’ ‚ ‛ ′ ´ ` ‹ › → `'`; “ ” „ ‟ ″ « » → `"` (guillemets are quotation marks in
//!   Spanish, Portuguese and French, so they become quotes rather than `<<`);
//! - dashes and the minus sign (‐ ‑ ‒ – — ― − ⁃) → `-`; bullets • ‣ → `-`; ellipsis … → `...`;
//! - Unicode spaces (NBSP, U+2000–U+200A, narrow NBSP, medium mathematical space, ideographic
//!   space, tab) → ` `;
//! - invisible characters (ZWSP, word joiner, BOM, soft hyphen) are removed; ZWNJ and ZWJ are
//!   removed only between GSM-7 characters, since next to an emoji or in Indic and Arabic script
//!   they change what is shown;
//! - accented letters outside the default alphabet lose the accent (á → a, Í → I, ê → e, õ → o…)
//!   and `ç` becomes `Ç`, the only C-cedilla of the default alphabet (TS 23.038 §6.2.1, 0x09).
//!
//! The replacements are kept only when they pay: fewer segments, or GSM-7 instead of UCS-2 at no
//! more segments. A text that is already GSM-7 is never touched.

use serde::{Deserialize, Serialize};

use super::analyze::{analyze_as_is, encodable, Analysis, Encoding};
use super::gsm7;
use super::shift::ShiftTable;

/// One character smart encoding replaced, and what it became (empty when removed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Replacement {
    /// The character replaced.
    pub from: char,
    /// What it became; empty when it was removed.
    pub to: String,
}

/// The GSM-7 stand-in of `c`, if smart encoding has one.
pub fn replacement(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`'
        | '\u{2039}' | '\u{203A}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{2043}' | '\u{2022}' | '\u{2023}' => "-",
        '\u{2026}' => "...",
        '\t' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => "",
        'á' | 'â' | 'ã' => "a",
        'Á' | 'À' | 'Â' | 'Ã' => "A",
        'ê' | 'ë' => "e",
        'È' | 'Ê' | 'Ë' => "E",
        'í' | 'î' | 'ï' => "i",
        'Í' | 'Ì' | 'Î' | 'Ï' => "I",
        'ó' | 'ô' | 'õ' => "o",
        'Ó' | 'Ò' | 'Ô' | 'Õ' => "O",
        'ú' | 'û' => "u",
        'Ú' | 'Ù' | 'Û' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ç' => "Ç",
        _ => return None,
    })
}

/// Joiners change how their neighbours render unless both are plain GSM-7 characters.
fn is_joiner(c: char) -> bool {
    c == '\u{200C}' || c == '\u{200D}'
}

/// Every replacement made, unconditionally, with the distinct replacements in order.
pub fn smart_replace(text: &str) -> (String, Vec<Replacement>) {
    replace_where(text, |_| true)
}

/// Replaces the characters for which `wanted` holds.
fn replace_where(text: &str, wanted: impl Fn(char) -> bool) -> (String, Vec<Replacement>) {
    let mut out = String::with_capacity(text.len());
    let mut replaced: Vec<Replacement> = Vec::new();
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let keep_joiner = is_joiner(c)
            && [prev, next]
                .into_iter()
                .flatten()
                .any(|n| gsm7::septets(n).is_none() && replacement(n).is_none());
        match replacement(c).filter(|_| !keep_joiner && wanted(c)) {
            Some(to) => {
                out.push_str(to);
                if !replaced.iter().any(|r| r.from == c) {
                    replaced.push(Replacement {
                        from: c,
                        to: to.to_owned(),
                    });
                }
            }
            None => out.push(c),
        }
        prev = Some(c);
    }
    (out, replaced)
}

/// `text` as smart encoding would send it: unchanged unless the replacements pay.
pub fn smart_encode(text: &str) -> String {
    analyze_smart(text, None).text
}

pub(crate) fn analyze_smart(text: &str, shift_table: Option<ShiftTable>) -> Analysis {
    let original = analyze_as_is(text, shift_table);
    if original.encoding == Encoding::Gsm7 {
        return original;
    }
    let mut best = original;
    let mut variants = vec![smart_replace(text)];
    if shift_table.is_some() {
        // Letters the national tables carry (á with the Spanish table) may keep their accent;
        // whichever variant costs less is sent, the accented one on a tie.
        variants.insert(0, replace_where(text, |c| !encodable(c, shift_table)));
    }
    for (smart_text, replaced) in variants {
        if replaced.is_empty() {
            continue;
        }
        let mut candidate = analyze_as_is(&smart_text, shift_table);
        let pays = candidate.segments < best.segments
            || (candidate.encoding == Encoding::Gsm7
                && best.encoding == Encoding::Ucs2
                && candidate.segments <= best.segments);
        if pays {
            candidate.smart_applied = true;
            candidate.replaced = replaced;
            best = candidate;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::{analyze, AnalyzeOptions};

    fn smart() -> AnalyzeOptions {
        AnalyzeOptions {
            smart: true,
            shift_table: None,
        }
    }

    #[test]
    fn every_replacement_is_gsm7() {
        for code in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            if let Some(to) = replacement(c) {
                assert!(gsm7::is_gsm7(to), "{c:?} → {to:?}");
                assert!(!gsm7::is_gsm7(&c.to_string()), "{c:?} is already GSM-7");
            }
        }
    }

    #[test]
    fn curly_quotes_become_straight() {
        let a = analyze("“Hola” ‘amigo’ — ok…", &smart());
        assert_eq!(a.text, "\"Hola\" 'amigo' - ok...");
        assert_eq!(a.encoding, Encoding::Gsm7);
        assert!(a.smart_applied);
        assert_eq!(a.replaced.len(), 6);
        assert_eq!(a.replaced[0].from, '“');
    }

    #[test]
    fn gsm7_text_is_never_touched() {
        let text = "Hola señor, ¿qué tal? 10€ {ok}";
        let a = analyze(text, &smart());
        assert_eq!(a.text, text);
        assert!(!a.smart_applied);
        assert!(a.replaced.is_empty());
    }

    #[test]
    fn replacements_that_do_not_pay_are_dropped() {
        // The emoji keeps the text in UCS-2, so the straight quotes would gain nothing.
        let text = "“Hola” 😀";
        let a = analyze(text, &smart());
        assert_eq!(a.text, text);
        assert!(!a.smart_applied);
        assert_eq!(a.encoding, Encoding::Ucs2);
    }

    #[test]
    fn joiners_inside_emoji_sequences_are_kept() {
        let family = "👨\u{200D}👩\u{200D}👧";
        let (out, replaced) = smart_replace(family);
        assert_eq!(out, family);
        assert!(replaced.is_empty());
        let (out, _) = smart_replace("a\u{200D}b\u{200B}c");
        assert_eq!(out, "abc");
    }

    #[test]
    fn a_shift_table_keeps_the_accents_it_carries() {
        let a = analyze(
            "Canción “ok”",
            &AnalyzeOptions {
                smart: true,
                shift_table: Some(ShiftTable::Spanish),
            },
        );
        assert_eq!(a.text, "Canción \"ok\"");
        assert_eq!((a.units, a.single_shift), (13, Some(ShiftTable::Spanish)));
    }

    #[test]
    fn smart_encode_helper() {
        assert_eq!(smart_encode("Canción\u{00A0}ç"), "Cancion Ç");
        assert_eq!(smart_encode("plain"), "plain");
    }
}
