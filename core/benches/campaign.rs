//! Campaign throughput and memory of the Rust client against a running sandbox.
//!
//!   INSTASENT_BASE_URL=… INSTASENT_TOKEN=… cargo bench -p instasent --bench campaign -- [MESSAGES] [CONCURRENCY] [current|multi]
//!
//! Messages are generated lazily (a stream, never a Vec), so the peak RSS it prints is the
//! client's own footprint for a campaign of that size. Prints one JSON line.

use std::time::Instant;

use futures_util::StreamExt;
use instasent::{CampaignOptions, Client, Outcome, SmsRequest};

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let total: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let concurrency: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(8);
    let token = std::env::var("INSTASENT_TOKEN").expect("INSTASENT_TOKEN is set");
    // "current": everything on the calling thread, the way a process that only runs campaigns
    // is best set up (no cross-thread wake-ups per request); "multi": `#[tokio::main]`'s default.
    let flavor = args.get(2).map(String::as_str).unwrap_or("multi");
    let rt = match flavor {
        "current" => tokio::runtime::Builder::new_current_thread(),
        "multi" => tokio::runtime::Builder::new_multi_thread(),
        other => panic!("runtime flavor is current or multi, not {other}"),
    }
    .enable_all()
    .build()
    .unwrap();
    rt.block_on(async move {
        let client = Client::builder(token).bulk_concurrency(concurrency).build().expect("client");
        let messages = futures_util::stream::iter(0..total).map(|i| {
            SmsRequest::new("Acme", format!("+3461{:07}", i % 10_000_000), format!("Hola {i}, tu pedido ha salido hoy."))
        });
        let started = Instant::now();
        let mut results = std::pin::pin!(client
            .campaign(messages, CampaignOptions::default())
            .expect("default options are valid"));
        let (mut accepted, mut other) = (0u64, 0u64);
        while let Some(r) = results.next().await {
            match r.outcome {
                Outcome::Accepted { .. } => accepted += 1,
                _ => other += 1,
            }
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{{\"client\":\"rust ({flavor}-thread runtime)\",\"messages\":{total},\"accepted\":{accepted},\"other\":{other},\"seconds\":{secs:.3},\"messagesPerSec\":{:.0},\"peakRssMiB\":{:.1}}}",
            total as f64 / secs,
            peak_rss_kib() as f64 / 1024.0
        );
    });
}
