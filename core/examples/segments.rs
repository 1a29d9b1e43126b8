//! How texts travel as SMS: encoding, segments, split points, smart encoding, national shift
//! tables, and what they cost with the account's price profile.
//!
//!     cargo run -p instasent --example segments

mod common;

use instasent::encoding::{analyze, estimate_cost, AnalyzeOptions, ShiftTable};

fn main() -> Result<(), instasent::Error> {
    let texts = [
        "Hola José, tu pedido llega mañana.",
        "Hola María, tu pedido llega mañana.",
        "“Smart” quotes – and dashes… cost UCS-2 unless replaced",
        "Precio: 10€ {oferta} [hoy] ~ fin",
    ];
    for text in texts {
        let a = analyze(text, &AnalyzeOptions::default());
        println!(
            "{:<58} {} {} segment(s), {} units, forced by {:?}",
            format!("{text:?}"),
            a.encoding.as_str(),
            a.segments,
            a.units,
            a.unicode_chars
        );
    }

    let smart = analyze(texts[2], &AnalyzeOptions::default().smart(true));
    println!(
        "smart: {:?} → {} {}",
        smart.text,
        smart.encoding.as_str(),
        smart.segments
    );

    let spanish = "Íñigo, tu cita en Cádiz es el sábado a las 10:00. ".repeat(4);
    for table in [None, Some(ShiftTable::Spanish)] {
        let a = analyze(&spanish, &AnalyzeOptions::default().shift_table(table));
        println!(
            "shift table {table:?}: {} {} segments, parts {:?}",
            a.encoding.as_str(),
            a.segments,
            a.part_units
        );
    }

    let target = common::target(common::not_both_set(), None);
    let client = instasent::blocking::Client::from_builder(target.builder())?;
    let prices = client.get_sms_price_profile()?.body;
    let long = analyze(
        &"Recordatorio de su cita. ".repeat(12),
        &AnalyzeOptions::default(),
    );
    for to in ["+34600123456", "+33612345678", "+99912345678"] {
        match estimate_cost(&long, to, &prices) {
            Some(c) => println!(
                "{to}: {} × {} = {} {}",
                c.segments, c.price_per_segment, c.total, c.currency
            ),
            None => println!("{to}: no price in the profile"),
        }
    }
    Ok(())
}
