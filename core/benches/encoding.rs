//! Throughput of `analyze` (MB/s of input) on large GSM-7 and UCS-2 texts and on SMS-sized ones.
//! Run: `cargo bench -p instasent --bench encoding -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use instasent::encoding::{analyze, AnalyzeOptions, ShiftTable};

const GSM_ASCII: &str = "Your order 48213 has shipped. Track it at https://example.com/t/48213 - reply STOP to opt out. ";
const GSM_SPANISH: &str =
    "¿Señor Muñoz? Su pedido de pingüinos ya fue enviado. Pagué 10€ [ref {A-1}]. ¡Gracias! ";
const UCS2: &str = "Привет! Ваш заказ отправлен 😀 — 你好，订单已发货。 ";

fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len() + 1)
}

fn bench(c: &mut Criterion) {
    let plain = AnalyzeOptions::default();
    assert!(instasent::encoding::is_gsm7(GSM_SPANISH));
    let cases = [
        (
            "gsm7_ascii_1MB",
            repeat_to(GSM_ASCII, 1 << 20),
            plain.clone(),
        ),
        (
            "gsm7_spanish_1MB",
            repeat_to(GSM_SPANISH, 1 << 20),
            plain.clone(),
        ),
        ("ucs2_1MB", repeat_to(UCS2, 1 << 20), plain.clone()),
        ("gsm7_sms_160", "a".repeat(160), plain.clone()),
        (
            "spanish_shift_64KB",
            repeat_to("Canción de acción, ¿sí? ", 1 << 16),
            AnalyzeOptions::default().shift_table(ShiftTable::Spanish),
        ),
        (
            "smart_64KB",
            repeat_to("“Hola” — qué tal… ", 1 << 16),
            AnalyzeOptions::default().smart(true),
        ),
    ];
    let mut group = c.benchmark_group("analyze");
    for (name, text, options) in &cases {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*name, |b| b.iter(|| analyze(black_box(text), options)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
