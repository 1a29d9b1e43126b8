//! DLR parsing rate of the core alone (no binding): a documented webhook body, an Insider
//! failure event and an SMPP receipt, each through `dlr::parse` (what a mixed endpoint calls).
//! Run: `cargo bench -p instasent --bench dlr -- --warm-up-time 1 --measurement-time 3`.
//! bench/dlr.sh compares the bindings with their runtimes' own JSON parsers.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use instasent::dlr;

const WEBHOOK: &str = r#"{"id":"6d1a3e1f9b2c4d5e8f7a6b5c","clientId":"order-12345","status":"delivered","code":0,"eventAt":"2026-11-22T10:00:00Z","message":null}"#;
const INSIDER: &str = r#"{"id":"sms-a1234567-b123-c123-d123-e123f123456","event":"Undelivered","timestamp":1795341600,"phoneNumber":"+34600000000","reason":{"code":8,"message":"Network error"}}"#;
const SMPP: &str = "id:0123456789 sub:001 dlvrd:001 submit date:2611221000 done date:2611221001 stat:DELIVRD err:000 text:Hello";

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("dlr_parse");
    group.throughput(Throughput::Elements(1));
    for (name, payload) in [("webhook", WEBHOOK), ("insider", INSIDER), ("smpp", SMPP)] {
        dlr::parse(payload.as_bytes()).expect("the bench's payloads parse");
        group.bench_function(name, |b| {
            b.iter(|| dlr::parse(black_box(payload.as_bytes())).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
