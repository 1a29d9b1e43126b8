//! The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1, §6.2.1.1).
//!
//! A character of the basic table takes one septet; a character of the extension table takes two
//! (the escape septet 0x1B, then its code). Everything else cannot travel as GSM-7.

/// The default alphabet, indexed by septet value; 0x1B is the escape to the extension table.
/// 0x09 is capital C-cedilla (`Ç`): the table lists it in upper case, so `ç` is not GSM-7.
pub(crate) static BASIC: [char; 128] = [
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', 'Δ', '_',
    'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\u{1B}', 'Æ', 'æ', 'ß', 'É', ' ', '!', '"', '#',
    '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', '0', '1', '2', '3', '4', '5', '6',
    '7', '8', '9', ':', ';', '<', '=', '>', '?', '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I',
    'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö',
    'Ñ', 'Ü', '§', '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
];

/// The default extension table (§6.2.1.1): code after the escape septet, character.
pub(crate) static EXTENSION: [(u8, char); 10] = [
    (0x0A, '\u{0C}'),
    (0x14, '^'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x65, '€'),
];

/// Marks an ASCII byte that has no GSM-7 form (C0 controls other than LF/CR/FF, `` ` `` and DEL).
pub(crate) const NOT_GSM: u8 = 0x80;

/// Septets of each ASCII character: 1 (basic table), 2 (extension table) or [`NOT_GSM`].
pub(crate) static ASCII_SEPTETS: [u8; 128] = ascii_septets();

const fn ascii_septets() -> [u8; 128] {
    let mut table = [NOT_GSM; 128];
    let mut i = 0;
    while i < 128 {
        let c = BASIC[i] as u32;
        if c < 128 && i != 0x1B {
            table[c as usize] = 1;
        }
        i += 1;
    }
    let mut j = 0;
    while j < EXTENSION.len() {
        let c = EXTENSION[j].1 as u32;
        if c < 128 {
            table[c as usize] = 2;
        }
        j += 1;
    }
    table
}

/// Septets of `c` in the default alphabet: `Some(1)` basic, `Some(2)` extension, `None` not GSM-7.
#[inline]
pub fn septets(c: char) -> Option<u8> {
    if c.is_ascii() {
        let s = ASCII_SEPTETS[c as usize];
        return (s != NOT_GSM).then_some(s);
    }
    non_ascii_septets(c)
}

/// Septets of a whole text in the default alphabet, `None` if any character is not GSM-7.
/// ASCII text (the usual case) is summed a byte at a time, without decoding characters or
/// stopping early.
pub(crate) fn text_septets(text: &str) -> Option<usize> {
    if !text.is_ascii() {
        return text
            .chars()
            .try_fold(0usize, |n, c| septets(c).map(|s| n + s as usize));
    }
    let (total, marks) = text.bytes().fold((0usize, 0u8), |(total, marks), b| {
        // ASCII, so the mask changes nothing; it spares a bounds check per byte.
        let s = ASCII_SEPTETS[usize::from(b & 0x7f)];
        (total + usize::from(s), marks | s)
    });
    (marks & NOT_GSM == 0).then_some(total)
}

/// The non-ASCII part of the default alphabet, spelled out so the compiler builds a jump table.
#[inline]
fn non_ascii_septets(c: char) -> Option<u8> {
    match c {
        '£' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | 'Ø' | 'ø' | 'Å' | 'å' | 'Δ' | 'Φ' | 'Γ'
        | 'Λ' | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ' | 'Ξ' | 'Æ' | 'æ' | 'ß' | 'É' | '¤' | '¡' | 'Ä'
        | 'Ö' | 'Ñ' | 'Ü' | '§' | '¿' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à' => Some(1),
        '€' => Some(2),
        _ => None,
    }
}

/// Whether the whole text can travel in the GSM-7 default alphabet (basic + extension tables),
/// without national language shift tables.
pub fn is_gsm7(text: &str) -> bool {
    text_septets(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_match_agrees_with_the_basic_table() {
        for (code, &c) in BASIC.iter().enumerate() {
            if code == 0x1B {
                continue;
            }
            assert_eq!(septets(c), Some(1), "{c:?} at 0x{code:02X}");
        }
        for &(_, c) in EXTENSION.iter() {
            assert_eq!(septets(c), Some(2), "{c:?}");
        }
        let listed = BASIC.len() - 1 + EXTENSION.len();
        let accepted = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| septets(c).is_some())
            .count();
        assert_eq!(
            accepted, listed,
            "no character outside the two tables is accepted"
        );
    }

    #[test]
    fn spanish_accents_follow_the_table() {
        for c in [
            'é', 'ñ', 'Ñ', 'ü', 'Ü', '¿', '¡', 'à', 'è', 'ì', 'ò', 'ù', 'Ç', 'É',
        ] {
            assert!(is_gsm7(&c.to_string()), "{c} is in the basic table");
        }
        for c in ['ç', 'á', 'í', 'ó', 'ú', 'Á', 'Í', 'Ó', 'Ú', 'ê', '`'] {
            assert!(!is_gsm7(&c.to_string()), "{c} is not GSM-7");
        }
    }

    #[test]
    fn ascii_oddities() {
        assert_eq!(septets('$'), Some(1));
        assert_eq!(septets('@'), Some(1));
        assert_eq!(septets('_'), Some(1));
        assert_eq!(septets('\u{0C}'), Some(2), "form feed is 0x1B 0x0A");
        assert_eq!(
            septets('\u{1B}'),
            None,
            "the escape septet is not a character"
        );
        assert_eq!(septets('\t'), None);
        assert_eq!(septets('\u{7F}'), None);
        for c in "^{}\\[~]|€".chars() {
            assert_eq!(septets(c), Some(2), "{c}");
        }
    }
}
