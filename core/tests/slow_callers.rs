//! Campaigns whose caller is slow between results, or blocks in a callback: the batches in
//! flight go on without it, and nothing is sent twice or reported wrongly because of it.

mod common;

use std::time::Duration;

use common::*;
use futures_util::{stream, StreamExt};
use instasent::{CampaignOptions, Outcome, SmsRequest};

fn messages(count: usize, text: &str) -> Vec<SmsRequest> {
    (0..count)
        .map(|i| SmsRequest::new("Acme", format!("+3460{i:07}"), text))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_slow_between_results_does_not_turn_answers_into_timeouts() {
    // Batches went on only while the caller polled the stream: an answer that came in while it
    // was away was read late, taken for a timeout and the batch sent again (ids lost to
    // "accepted earlier", AMBIGUOUS_OUTCOME once the retries ran out).
    let sb = sandbox().await;
    let client = builder(&sb)
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let options = CampaignOptions::default().concurrency(2).batch_size(100);
    let mut results = client
        .campaign(stream::iter(messages(600, "slow caller")), options)
        .unwrap();
    let mut taken = Vec::new();
    while let Some(r) = results.next().await {
        taken.push(r);
        if taken.len() % 100 == 1 {
            // A slow loop body, while the next batch is in flight.
            tokio::time::sleep(Duration::from_millis(1_200)).await;
        }
    }
    assert_eq!(taken.len(), 600);
    let with_ids = taken
        .iter()
        .filter(|r| {
            matches!(
                &r.outcome,
                Outcome::Accepted {
                    id: Some(_),
                    accepted_earlier: false,
                    ..
                }
            )
        })
        .count();
    assert_eq!(with_ids, 600, "every message accepted once, with its id");
    assert_eq!(sb.stats().requests, 6, "one request per batch, no retry");
}

#[test]
fn a_blocking_call_from_on_progress_completes() {
    // `on_progress` runs on the SDK's runtime; a blocking call there waited for ever for a
    // connection task queued behind it on the same worker.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(sandbox());
    let blocking = instasent::blocking::Client::from_builder(builder(&sb)).unwrap();
    let (done, finished) = std::sync::mpsc::channel();
    let caller = blocking.clone();
    std::thread::spawn(move || {
        let options = CampaignOptions::default()
            .concurrency(4)
            .batch_size(1)
            .on_progress(move |_: &instasent::Progress| {
                caller.get_account_balance().unwrap();
            });
        let mut accepted = 0;
        let progress = blocking
            .campaign_each(messages(16, "progress"), options, |r| {
                accepted += u64::from(matches!(r.outcome, Outcome::Accepted { .. }));
            })
            .unwrap();
        let _ = done.send((accepted, progress.accepted));
    });
    let outcome = finished.recv_timeout(Duration::from_secs(60));
    assert_eq!(outcome, Ok((16, 16)), "the campaign finished");
}
