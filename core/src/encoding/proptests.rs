//! Invariants of `analyze` over random mixes of every kind of character it treats differently.

use proptest::prelude::*;

use super::*;

/// Characters from each class: basic ASCII, extension, basic non-ASCII, national, other BMP,
/// astral (surrogate pairs), smart look-alikes and invisible characters.
const POOL: &[char] = &[
    'a', 'Z', '0', ' ', '\n', '@', '$', '_', '^', '{', '}', '\\', '[', '~', ']', '|', '€',
    '\u{0C}', 'é', 'ñ', 'Ç', 'Δ', 'ß', '¿', 'ç', 'á', 'í', 'ó', 'ú', 'ê', 'ã', 'ş', 'ı', 'Ğ', 'α',
    'Ж', 'ع', '中', '😀', '𝄞', '“', '”', '’', '–', '—', '…', '\u{00A0}', '\u{200B}', '\u{200D}',
    '\u{FEFF}', '•', '`', '\t',
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(proptest::sample::select(POOL), 0..420)
            .prop_map(|v| v.into_iter().collect::<String>()),
        // Long runs around the boundaries with one special character somewhere.
        (140usize..320, proptest::sample::select(POOL), 0usize..320).prop_map(|(n, c, at)| {
            let mut s: String = "a".repeat(n);
            s.insert(at.min(n), c);
            s
        }),
        any::<String>(),
    ]
}

fn options() -> impl Strategy<Value = AnalyzeOptions> {
    (
        any::<bool>(),
        proptest::option::of(proptest::sample::select(vec![
            ShiftTable::Spanish,
            ShiftTable::Portuguese,
            ShiftTable::Turkish,
        ])),
    )
        .prop_map(|(smart, shift_table)| AnalyzeOptions { smart, shift_table })
}

/// Units of `c` in the analysed encoding, recomputed from the tables the analysis names.
fn units_of(a: &Analysis, c: char) -> usize {
    match a.encoding {
        Encoding::Ucs2 => c.len_utf16(),
        Encoding::Gsm7 => {
            let alphabet = shift::Alphabet {
                locking: a.locking_shift,
                single: a.single_shift,
            };
            usize::from(
                alphabet
                    .septets(c)
                    .expect("GSM-7 text only has encodable characters"),
            )
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The whole-text count (a byte at a time for ASCII) is the sum of the per-character one;
    /// every ASCII byte, the controls included, shows up in the second strategy.
    #[test]
    fn text_septets_sums_the_characters(
        text in prop_oneof![
            text(),
            proptest::collection::vec(0u8..128, 0..200)
                .prop_map(|b| String::from_utf8(b).unwrap()),
        ],
    ) {
        let by_char = text
            .chars()
            .map(|c| septets(c).map(usize::from))
            .sum::<Option<usize>>();
        prop_assert_eq!(text_septets(&text), by_char);
    }

    #[test]
    fn parts_rebuild_the_text_and_fit(text in text(), options in options()) {
        let a = analyze(&text, &options);
        prop_assert_eq!(a.parts.concat(), a.text.clone());
        prop_assert_eq!(a.parts.len(), a.segments);
        prop_assert_eq!(a.part_units.len(), a.segments);
        prop_assert_eq!(a.part_units.iter().sum::<usize>(), a.units);
        let cap = if a.segments == 1 { a.single_capacity } else { a.per_part_capacity };
        for (part, &units) in a.parts.iter().zip(&a.part_units) {
            // Recounting each part on its own proves no escape or surrogate pair was cut.
            prop_assert_eq!(part.chars().map(|c| units_of(&a, c)).sum::<usize>(), units);
            prop_assert!(units <= cap);
        }
        if a.segments > 1 {
            prop_assert!(a.units > a.single_capacity);
            // Greedy: a part closes only when its next character would not fit.
            for (i, part) in a.parts.iter().enumerate().take(a.segments - 1) {
                let next = a.parts[i + 1].chars().next().unwrap();
                prop_assert!(a.part_units[i] + units_of(&a, next) > a.per_part_capacity);
                prop_assert!(!part.is_empty());
            }
        } else {
            prop_assert!(a.units <= a.single_capacity);
        }
    }

    #[test]
    fn unicode_chars_explain_ucs2(text in text(), options in options()) {
        let a = analyze(&text, &options);
        match a.encoding {
            Encoding::Gsm7 => prop_assert!(a.unicode_chars.is_empty()),
            Encoding::Ucs2 => {
                prop_assert!(!a.unicode_chars.is_empty());
                let mut seen = std::collections::HashSet::new();
                for &c in &a.unicode_chars {
                    prop_assert!(seen.insert(c), "duplicate {:?}", c);
                    prop_assert!(a.text.contains(c));
                }
                if options.shift_table.is_none() {
                    for &c in &a.unicode_chars {
                        prop_assert!(!is_gsm7(&c.to_string()));
                    }
                }
            }
        }
        if options.shift_table.is_none() && !options.smart {
            prop_assert_eq!(a.encoding == Encoding::Gsm7, is_gsm7(&text));
        }
    }

    #[test]
    fn smart_never_costs_more(text in text(), shift_table in options().prop_map(|o| o.shift_table)) {
        let plain = analyze(&text, &AnalyzeOptions { smart: false, shift_table });
        let smart = analyze(&text, &AnalyzeOptions { smart: true, shift_table });
        prop_assert!(smart.segments <= plain.segments);
        if plain.encoding == Encoding::Gsm7 {
            prop_assert_eq!(&smart.text, &text);
            prop_assert!(!smart.smart_applied);
        }
        if !smart.smart_applied {
            prop_assert_eq!(&smart, &plain);
        }
    }

    #[test]
    fn a_shift_table_never_costs_more(text in text(), table in proptest::sample::select(vec![
        ShiftTable::Spanish, ShiftTable::Portuguese, ShiftTable::Turkish,
    ])) {
        let plain = analyze(&text, &AnalyzeOptions::default());
        let national = analyze(&text, &AnalyzeOptions { smart: false, shift_table: Some(table) });
        prop_assert!(national.segments <= plain.segments);
        if plain.encoding == Encoding::Gsm7 {
            prop_assert_eq!(national.encoding, Encoding::Gsm7);
        }
    }
}
