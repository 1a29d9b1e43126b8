//! `analyze` against the segment rules of TS 23.038/23.040, one behaviour per test.

use super::*;

fn plain(text: &str) -> Analysis {
    analyze(text, &AnalyzeOptions::default())
}

fn with(table: ShiftTable, text: &str) -> Analysis {
    analyze(
        text,
        &AnalyzeOptions {
            smart: false,
            shift_table: Some(table),
        },
    )
}

#[test]
fn gsm7_single_message_holds_160_septets() {
    let a = plain(&"a".repeat(160));
    assert_eq!(
        (a.encoding, a.segments, a.units, a.remaining),
        (Encoding::Gsm7, 1, 160, 0)
    );
    let b = plain(&"a".repeat(161));
    assert_eq!((b.segments, b.part_units.as_slice()), (2, &[153, 8][..]));
    assert_eq!(b.remaining, 145);
}

#[test]
fn gsm7_concatenated_parts_hold_153_septets() {
    assert_eq!(plain(&"a".repeat(306)).segments, 2);
    assert_eq!(plain(&"a".repeat(307)).segments, 3);
}

#[test]
fn extension_characters_cost_two_septets() {
    let a = plain(&"€".repeat(80));
    assert_eq!((a.units, a.segments), (160, 1));
    assert_eq!(plain(&format!("{}^", "a".repeat(159))).segments, 2);
}

#[test]
fn an_escape_pair_is_never_split() {
    let a = plain(&format!("{}{{{}", "a".repeat(152), "b".repeat(10)));
    assert_eq!(a.parts[0], "a".repeat(152));
    assert_eq!(a.part_units, vec![152, 12]);
}

#[test]
fn ucs2_limits_are_70_and_67() {
    assert_eq!(plain(&"ж".repeat(70)).segments, 1);
    let a = plain(&"ж".repeat(71));
    assert_eq!(
        (a.encoding, a.segments, a.part_units.as_slice()),
        (Encoding::Ucs2, 2, &[67, 4][..])
    );
    assert_eq!(plain(&"ж".repeat(134)).segments, 2);
    assert_eq!(plain(&"ж".repeat(135)).segments, 3);
}

#[test]
fn a_surrogate_pair_is_never_split() {
    let a = plain(&format!("{}😀{}", "ж".repeat(66), "ж".repeat(10)));
    assert_eq!(a.units, 78);
    assert_eq!(a.part_units, vec![66, 12]);
    assert!(a.parts[1].starts_with('😀'));
}

#[test]
fn unicode_chars_are_distinct_in_first_order() {
    let a = plain("ça va? ça, á 😀 ç");
    assert_eq!(a.unicode_chars, vec!['ç', 'á', '😀']);
    assert!(plain("Ñandú").unicode_chars == vec!['ú']);
}

#[test]
fn empty_text_is_one_empty_segment() {
    let a = plain("");
    assert_eq!(
        (a.segments, a.units, a.parts.clone()),
        (1, 0, vec![String::new()])
    );
}

#[test]
fn spanish_single_shift_encodes_acute_vowels() {
    let a = with(ShiftTable::Spanish, "Canción");
    assert_eq!(a.encoding, Encoding::Gsm7);
    assert_eq!((a.units, a.single_capacity), (8, 155));
    assert_eq!(
        (a.locking_shift, a.single_shift),
        (None, Some(ShiftTable::Spanish))
    );
}

#[test]
fn a_shift_table_is_left_out_when_not_needed() {
    let a = with(ShiftTable::Portuguese, &"a".repeat(160));
    assert_eq!((a.segments, a.single_capacity), (1, 160));
    assert_eq!((a.locking_shift, a.single_shift), (None, None));
}

#[test]
fn portuguese_locking_shift_is_used_when_it_saves_a_segment() {
    // Single shift only: 100 × 2 = 200 septets > 155 → 2 segments; locking: 100 septets → 1.
    let a = with(ShiftTable::Portuguese, &"ã".repeat(100));
    assert_eq!(
        (a.locking_shift, a.single_shift),
        (Some(ShiftTable::Portuguese), None)
    );
    assert_eq!((a.units, a.segments, a.single_capacity), (100, 1, 155));
    // Equal segments and header: the locking table leaves more room (141 vs 138 septets).
    let b = with(ShiftTable::Portuguese, "Não, obrigação");
    assert_eq!(b.locking_shift, Some(ShiftTable::Portuguese));
    assert_eq!(b.single_shift, None);
    assert_eq!((b.units, b.remaining), (14, 141));
}

#[test]
fn turkish_locking_and_single_shift_capacities() {
    let a = with(ShiftTable::Turkish, &"ş".repeat(155));
    assert_eq!((a.single_capacity, a.per_part_capacity), (155, 149));
    assert_eq!(a.segments, 1);
    let b = with(ShiftTable::Turkish, &"ş".repeat(156));
    assert_eq!((b.segments, b.part_units.as_slice()), (2, &[149, 7][..]));
}

#[test]
fn serializes_with_the_documented_names() {
    let v = serde_json::to_value(plain("ç")).unwrap();
    assert_eq!(v["encoding"], "UCS-2");
    assert_eq!(v["unicodeChars"], serde_json::json!(["ç"]));
    assert_eq!(v["singleCapacity"], 70);
    assert_eq!(v["perPartCapacity"], 67);
    assert_eq!(v["smartApplied"], false);
}
