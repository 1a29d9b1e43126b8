//! Any text through `encoding::analyze` with any options: no panic, and the segment invariants
//! of TS 23.040 hold (parts rebuild the text, fit their capacity, never cut a character).
#![no_main]

use instasent::encoding::{analyze, septets, AnalyzeOptions, Encoding, ShiftTable};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let shift_table = match selector % 4 {
        1 => Some(ShiftTable::Spanish),
        2 => Some(ShiftTable::Portuguese),
        3 => Some(ShiftTable::Turkish),
        _ => None,
    };
    let plain = analyze(
        &text,
        &AnalyzeOptions::default()
            .smart(false)
            .shift_table(shift_table),
    );
    let smart = analyze(
        &text,
        &AnalyzeOptions::default()
            .smart(true)
            .shift_table(shift_table),
    );
    for a in [&plain, &smart] {
        assert_eq!(a.parts.concat(), a.text);
        assert_eq!(a.parts.len(), a.segments);
        assert_eq!(a.part_units.iter().sum::<usize>(), a.units);
        let cap = if a.segments == 1 {
            a.single_capacity
        } else {
            a.per_part_capacity
        };
        assert!(a.part_units.iter().all(|&u| u <= cap));
        assert_eq!(a.encoding == Encoding::Gsm7, a.unicode_chars.is_empty());
        for (part, &units) in a.parts.iter().zip(&a.part_units) {
            let recount: usize = match a.encoding {
                Encoding::Ucs2 => part.encode_utf16().count(),
                Encoding::Gsm7 if a.locking_shift.is_none() && a.single_shift.is_none() => part
                    .chars()
                    .map(|c| usize::from(septets(c).expect("GSM-7 part")))
                    .sum(),
                Encoding::Gsm7 => units,
            };
            assert_eq!(recount, units);
        }
    }
    assert_eq!(plain.text, text);
    assert!(smart.segments <= plain.segments);
    if plain.encoding == Encoding::Gsm7 {
        assert_eq!(smart, plain);
    }
});
