//! `instasent segments`: the core's analysis of a text, as a table or as its JSON, and whether
//! a send would refuse the text (empty, more parts than a message can have).

use instasent::encoding::{analyze, Analysis, AnalyzeOptions, ShiftTable};

use crate::args::{SegmentsArgs, ShiftTableArg};
use crate::fail::CliResult;
use crate::output::{print, print_json};

pub fn run(args: SegmentsArgs) -> CliResult {
    let options = AnalyzeOptions::default()
        .smart(args.smart)
        .shift_table(args.shift_table.map(shift_table));
    let analysis = analyze(&args.text, &options);
    let refused = refusal(&analysis);
    if args.json {
        // The analysis's own keys stay as documented; `refused` is added (null when a send
        // would take the text).
        let mut json = serde_json::to_value(&analysis).unwrap_or_default();
        if let Some(object) = json.as_object_mut() {
            object.insert("refused".into(), refused.into());
        }
        return print_json(&json);
    }
    let mut out = table(&analysis);
    if let Some(why) = refused {
        out.push_str(&format!("refused    {why}\n"));
    }
    print(&out)
}

/// Why the API would refuse the text as it travels, by the rules a send is checked against
/// (core/src/validate.rs). UCS-2 is assumed allowed: that one is the sender's choice, and the
/// table already names the characters that need it.
fn refusal(a: &Analysis) -> Option<String> {
    let why = instasent::validate::check_text(&a.text, true)?;
    Some(if a.text.is_empty() {
        "a send refuses an empty text".into()
    } else {
        format!("a send refuses this text: {why}")
    })
}

fn shift_table(arg: ShiftTableArg) -> ShiftTable {
    match arg {
        ShiftTableArg::Spanish => ShiftTable::Spanish,
        ShiftTableArg::Portuguese => ShiftTable::Portuguese,
        ShiftTableArg::Turkish => ShiftTable::Turkish,
    }
}

fn table(a: &Analysis) -> String {
    let mut out = String::new();
    out.push_str(&format!("encoding   {}\n", a.encoding.as_str()));
    out.push_str(&format!("segments   {}\n", a.segments));
    let unit = match a.encoding {
        instasent::encoding::Encoding::Gsm7 => "septets",
        instasent::encoding::Encoding::Ucs2 => "UTF-16 units",
    };
    out.push_str(&format!(
        "units      {} {unit} ({} per single message, {} per part; {} left in the last part)\n",
        a.units, a.single_capacity, a.per_part_capacity, a.remaining
    ));
    if !a.unicode_chars.is_empty() {
        let chars: Vec<String> = a.unicode_chars.iter().map(|c| format!("{c:?}")).collect();
        out.push_str(&format!("ucs-2 by   {}\n", chars.join(" ")));
    }
    if let Some(t) = a.locking_shift {
        out.push_str(&format!("locking    {}\n", t.as_str()));
    }
    if let Some(t) = a.single_shift {
        out.push_str(&format!("single     {}\n", t.as_str()));
    }
    if a.smart_applied {
        let r: Vec<String> = a
            .replaced
            .iter()
            .map(|r| format!("{:?}→{:?}", r.from, r.to))
            .collect();
        out.push_str(&format!("smart      {}\n", r.join(" ")));
    }
    for (i, part) in a.parts.iter().enumerate() {
        let units = a.part_units.get(i).copied().unwrap_or_default();
        out.push_str(&format!(
            "part {:>3}   {:>3} units  {:?}\n",
            i + 1,
            units,
            part
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_every_part() {
        let text = "a".repeat(200);
        let a = analyze(&text, &AnalyzeOptions::default());
        let t = table(&a);
        assert!(t.contains("encoding   GSM-7"));
        assert!(t.contains("segments   2"));
        assert_eq!(t.lines().filter(|l| l.starts_with("part")).count(), 2);
    }

    #[test]
    fn table_names_the_characters_that_forced_ucs2() {
        let a = analyze("Hola María", &AnalyzeOptions::default());
        let t = table(&a);
        assert!(t.contains("UCS-2"));
        assert!(t.contains("'í'"), "{t}");
    }

    #[test]
    fn a_text_a_send_refuses_says_so() {
        let fits = analyze(&"a".repeat(255 * 153), &AnalyzeOptions::default());
        assert_eq!(fits.segments, 255);
        assert_eq!(refusal(&fits), None);
        let long = analyze(&"a".repeat(255 * 153 + 1), &AnalyzeOptions::default());
        assert!(refusal(&long).is_some_and(|why| why.contains("255 parts")));
        let empty = analyze("", &AnalyzeOptions::default());
        assert!(refusal(&empty).is_some());
    }
}
