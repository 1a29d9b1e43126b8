//! National language shift tables (3GPP TS 23.038 Annex A) and the alphabets they make.
//!
//! A locking shift table (§A.3) replaces the basic table for the whole message; a single shift
//! table (§A.2) replaces the extension table. Each table in use is announced by a 3-octet
//! information element in the user data header (TS 23.040 §9.2.3.24.15/16), which costs septets.

use serde::{Deserialize, Serialize};

use super::gsm7;

/// A national language whose shift tables may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ShiftTable {
    /// Single shift table only (§A.2.2): there is no Spanish locking shift table.
    Spanish,
    /// Locking (§A.3.3) and single (§A.2.3) shift tables.
    Portuguese,
    /// Locking (§A.3.1) and single (§A.2.1) shift tables.
    Turkish,
}

impl ShiftTable {
    /// The lowercase English name (`"spanish"`, …), as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            ShiftTable::Spanish => "spanish",
            ShiftTable::Portuguese => "portuguese",
            ShiftTable::Turkish => "turkish",
        }
    }

    /// Parses `"spanish"`, `"portuguese"` or `"turkish"`, or their ISO 639-1 codes `"es"`, `"pt"`,
    /// `"tr"` (any case).
    pub fn parse(name: &str) -> Option<ShiftTable> {
        match name.to_ascii_lowercase().as_str() {
            "spanish" | "es" => Some(ShiftTable::Spanish),
            "portuguese" | "pt" => Some(ShiftTable::Portuguese),
            "turkish" | "tr" => Some(ShiftTable::Turkish),
            _ => None,
        }
    }

    /// The national language identifier carried in the shift IEs (TS 23.038 §6.2.1.2.4).
    pub fn language_id(self) -> u8 {
        match self {
            ShiftTable::Turkish => 1,
            ShiftTable::Spanish => 2,
            ShiftTable::Portuguese => 3,
        }
    }

    fn locking(self) -> Option<&'static [char; 128]> {
        match self {
            ShiftTable::Spanish => None,
            ShiftTable::Portuguese => Some(&PORTUGUESE_LOCKING),
            ShiftTable::Turkish => Some(&TURKISH_LOCKING),
        }
    }

    fn single(self) -> &'static [(u8, char)] {
        match self {
            ShiftTable::Spanish => &SPANISH_SINGLE,
            ShiftTable::Portuguese => &PORTUGUESE_SINGLE,
            ShiftTable::Turkish => &TURKISH_SINGLE,
        }
    }
}

/// One pairing of a basic table (default or national locking) with an extension table
/// (default or national single shift) that a message may be encoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Alphabet {
    pub locking: Option<ShiftTable>,
    pub single: Option<ShiftTable>,
}

impl Alphabet {
    pub const DEFAULT: Alphabet = Alphabet {
        locking: None,
        single: None,
    };

    /// The alphabets a message may use when `table` is allowed, cheapest header first
    /// (no IE, one IE, two IEs): on a tie in segments the first one wins.
    pub fn candidates(table: Option<ShiftTable>) -> Vec<Alphabet> {
        let mut out = vec![Alphabet::DEFAULT];
        if let Some(t) = table {
            out.push(Alphabet {
                locking: None,
                single: Some(t),
            });
            if t.locking().is_some() {
                out.push(Alphabet {
                    locking: Some(t),
                    single: None,
                });
                out.push(Alphabet {
                    locking: Some(t),
                    single: Some(t),
                });
            }
        }
        out
    }

    /// Shift IEs this alphabet adds to the user data header.
    pub fn shift_ies(self) -> usize {
        usize::from(self.locking.is_some()) + usize::from(self.single.is_some())
    }

    /// Septets of `c`: 1 from the basic/locking table, 2 from the extension/single shift table.
    #[inline]
    pub fn septets(self, c: char) -> Option<u8> {
        if self == Alphabet::DEFAULT {
            return gsm7::septets(c);
        }
        let in_basic = match self.locking.and_then(ShiftTable::locking) {
            Some(table) => in_locking(table, c),
            None => gsm7::septets(c) == Some(1),
        };
        if in_basic {
            return Some(1);
        }
        let ext: &[(u8, char)] = match self.single {
            Some(t) => t.single(),
            None => &gsm7::EXTENSION,
        };
        ext.iter().any(|&(_, e)| e == c).then_some(2)
    }
}

#[inline]
fn in_locking(table: &[char; 128], c: char) -> bool {
    // Every locking table keeps A-Z, a-z and 0-9 at their ASCII positions (checked in tests).
    c.is_ascii_alphanumeric() || (c != '\u{1B}' && table.contains(&c))
}

/// Turkish locking shift table (TS 23.038 §A.3.1), indexed by septet value.
pub(crate) static TURKISH_LOCKING: [char; 128] = [
    '@', '£', '$', '¥', '€', 'é', 'ù', 'ı', 'ò', 'Ç', '\n', 'Ğ', 'ğ', '\r', 'Å', 'å', 'Δ', '_',
    'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\u{1B}', 'Ş', 'ş', 'ß', 'É', ' ', '!', '"', '#',
    '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', '0', '1', '2', '3', '4', '5', '6',
    '7', '8', '9', ':', ';', '<', '=', '>', '?', 'İ', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I',
    'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö',
    'Ñ', 'Ü', '§', 'ç', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
];

/// Portuguese locking shift table (TS 23.038 §A.3.3), indexed by septet value.
pub(crate) static PORTUGUESE_LOCKING: [char; 128] = [
    '@', '£', '$', '¥', 'ê', 'é', 'ú', 'í', 'ó', 'ç', '\n', 'Ô', 'ô', '\r', 'Á', 'á', 'Δ', '_',
    'ª', 'Ç', 'À', '∞', '^', '\\', '€', 'Ó', '|', '\u{1B}', 'Â', 'â', 'Ê', 'É', ' ', '!', '"', '#',
    'º', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', '0', '1', '2', '3', '4', '5', '6',
    '7', '8', '9', ':', ';', '<', '=', '>', '?', 'Í', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I',
    'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ã', 'Õ',
    'Ú', 'Ü', '§', '~', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ã', 'õ', '`', 'ü', 'à',
];

/// Turkish single shift table (TS 23.038 §A.2.1): code after the escape septet, character.
pub(crate) static TURKISH_SINGLE: [(u8, char); 17] = [
    (0x0A, '\u{0C}'),
    (0x14, '^'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x47, 'Ğ'),
    (0x49, 'İ'),
    (0x53, 'Ş'),
    (0x63, 'ç'),
    (0x65, '€'),
    (0x67, 'ğ'),
    (0x69, 'ı'),
    (0x73, 'ş'),
];

/// Spanish single shift table (TS 23.038 §A.2.2).
pub(crate) static SPANISH_SINGLE: [(u8, char); 19] = [
    (0x09, 'ç'),
    (0x0A, '\u{0C}'),
    (0x14, '^'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x41, 'Á'),
    (0x49, 'Í'),
    (0x4F, 'Ó'),
    (0x55, 'Ú'),
    (0x61, 'á'),
    (0x65, '€'),
    (0x69, 'í'),
    (0x6F, 'ó'),
    (0x75, 'ú'),
];

/// Portuguese single shift table (TS 23.038 §A.2.3).
pub(crate) static PORTUGUESE_SINGLE: [(u8, char); 37] = [
    (0x05, 'ê'),
    (0x09, 'ç'),
    (0x0A, '\u{0C}'),
    (0x0B, 'Ô'),
    (0x0C, 'ô'),
    (0x0E, 'Á'),
    (0x0F, 'á'),
    (0x12, 'Φ'),
    (0x13, 'Γ'),
    (0x14, '^'),
    (0x15, 'Ω'),
    (0x16, 'Π'),
    (0x17, 'Ψ'),
    (0x18, 'Σ'),
    (0x19, 'Θ'),
    (0x1F, 'Ê'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x41, 'À'),
    (0x49, 'Í'),
    (0x4F, 'Ó'),
    (0x55, 'Ú'),
    (0x5B, 'Ã'),
    (0x5C, 'Õ'),
    (0x61, 'Â'),
    (0x65, '€'),
    (0x69, 'í'),
    (0x6F, 'ó'),
    (0x75, 'ú'),
    (0x7B, 'ã'),
    (0x7C, 'õ'),
    (0x7F, 'â'),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locking_tables_keep_ascii_alphanumerics_in_place() {
        for table in [&gsm7::BASIC, &TURKISH_LOCKING, &PORTUGUESE_LOCKING] {
            for (code, &c) in table.iter().enumerate() {
                if c.is_ascii_alphanumeric() {
                    assert_eq!(code, c as usize);
                }
            }
            for c in ('A'..='Z').chain('a'..='z').chain('0'..='9') {
                assert_eq!(table[c as usize], c);
            }
        }
    }

    #[test]
    fn single_shift_tables_keep_the_default_extension_characters() {
        for t in [
            ShiftTable::Spanish,
            ShiftTable::Portuguese,
            ShiftTable::Turkish,
        ] {
            for &(code, c) in gsm7::EXTENSION.iter() {
                assert!(t.single().contains(&(code, c)), "{t:?} lacks {c:?}");
            }
        }
    }

    #[test]
    fn national_characters_cost_per_table() {
        let es = Alphabet {
            locking: None,
            single: Some(ShiftTable::Spanish),
        };
        assert_eq!(es.septets('ç'), Some(2));
        assert_eq!(es.septets('á'), Some(2));
        assert_eq!(es.septets('ñ'), Some(1));
        assert_eq!(es.septets('ê'), None);
        let pt = Alphabet {
            locking: Some(ShiftTable::Portuguese),
            single: Some(ShiftTable::Portuguese),
        };
        assert_eq!(pt.septets('ã'), Some(1));
        assert_eq!(pt.septets('^'), Some(1), "locking table 0x16");
        assert_eq!(pt.septets('{'), Some(2));
        assert_eq!(pt.septets('Ñ'), None, "not in the Portuguese tables");
        let tr = Alphabet {
            locking: Some(ShiftTable::Turkish),
            single: None,
        };
        assert_eq!(tr.septets('ş'), Some(1));
        assert_eq!(tr.septets('€'), Some(1), "Turkish locking 0x04");
        assert_eq!(
            tr.septets('è'),
            None,
            "replaced by € in the Turkish locking table"
        );
        assert_eq!(tr.septets('\u{1B}'), None);
    }

    #[test]
    fn names_round_trip() {
        for t in [
            ShiftTable::Spanish,
            ShiftTable::Portuguese,
            ShiftTable::Turkish,
        ] {
            assert_eq!(ShiftTable::parse(t.as_str()), Some(t));
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
        assert_eq!(ShiftTable::parse("Klingon"), None);
    }
}
