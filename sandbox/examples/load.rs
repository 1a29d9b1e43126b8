//! Throughput of `POST /sms/bulk`: the sandbox runs on its own 2-worker runtime
//! (`Sandbox::spawn`), the load generator on another; N workers each POST the same 100-item
//! body (no clientIds, so nothing is a duplicate) for M seconds.
//!
//! `cargo run -p instasent-sandbox --release --example load -- [workers=8] [seconds=10]`

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use instasent_sandbox::{Sandbox, SandboxConfig};

fn main() {
    let mut args = std::env::args().skip(1);
    let workers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let sandbox = Sandbox::spawn(SandboxConfig::default().balance(1e12)).expect("sandbox starts");
    let url = format!("{}/sms/bulk", sandbox.base_url());
    let token = sandbox.token().to_string();
    let body: Vec<serde_json::Value> = (0..100)
        .map(|i| {
            serde_json::json!({
                "from": "Instasent",
                "to": format!("+3460000{:04}", 1000 + i),
                "text": "Your order has shipped and will arrive tomorrow between 9:00 and 13:00."
            })
        })
        .collect();
    let body = bytes::Bytes::from(serde_json::to_vec(&body).unwrap());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let requests = Arc::new(AtomicU64::new(0));
    let messages = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(workers)
            .build()
            .unwrap();
        let deadline = started + Duration::from_secs(seconds);
        let tasks: Vec<_> = (0..workers)
            .map(|_| {
                let (client, url, token, body) =
                    (client.clone(), url.clone(), token.clone(), body.clone());
                let (requests, messages, failures) =
                    (requests.clone(), messages.clone(), failures.clone());
                tokio::spawn(async move {
                    while Instant::now() < deadline {
                        let resp = client
                            .post(&url)
                            .bearer_auth(&token)
                            .header("content-type", "application/json")
                            .body(body.clone())
                            .send()
                            .await;
                        match resp {
                            Ok(r) if r.status() == 201 => {
                                let _ = r.bytes().await;
                                requests.fetch_add(1, Ordering::Relaxed);
                                messages.fetch_add(100, Ordering::Relaxed);
                            }
                            _ => {
                                failures.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                })
            })
            .collect();
        for task in tasks {
            let _ = task.await;
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let requests = requests.load(Ordering::Relaxed);
    let messages = messages.load(Ordering::Relaxed);
    println!(
        "workers={workers} seconds={elapsed:.1} requests={requests} failures={} \
         requests/s={:.0} messages/s={:.0} ledger={}",
        failures.load(Ordering::Relaxed),
        requests as f64 / elapsed,
        messages as f64 / elapsed,
        sandbox.stats().accepted_messages,
    );
}
