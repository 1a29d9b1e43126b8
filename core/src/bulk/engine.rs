//! Streaming campaigns: inputs are read lazily, validated, grouped into bulk requests of at most
//! 100, sent with bounded concurrency, and each input's result is yielded as soon as its batch
//! settles. At most `concurrency × batch_size` messages are held at once, however long the input.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use futures_util::stream::{self, Stream, StreamExt};

use super::batches::Batches;
use super::options::{CampaignOptions, CampaignReport, Progress, ProgressFn};
use super::outcome::{ItemResult, Outcome, RejectStage};
use crate::client::{Client, ClientIds};
use crate::error::{ErrorKind, Result};
use crate::model::SmsRequest;
use crate::validate;

#[derive(Default)]
struct Counters {
    read: AtomicU64,
    accepted: AtomicU64,
    rejected: AtomicU64,
    failed: AtomicU64,
    requests: AtomicU64,
}

struct Shared {
    client: Client,
    resume: bool,
    started: Instant,
    counters: Counters,
    on_progress: Option<ProgressFn>,
    /// Taken around `on_progress`: batches settle on several threads at once. Waited for
    /// asynchronously: a worker blocked on it could hold the very task a blocking call in the
    /// callback waits for.
    reporting: tokio::sync::Mutex<()>,
    /// Set once a batch fails in a way every later batch would too (401, 402).
    halted: AtomicBool,
    halt_reason: Mutex<Option<(ErrorKind, String)>>,
}

impl Shared {
    fn progress(&self) -> Progress {
        let c = &self.counters;
        Progress {
            read: c.read.load(Ordering::Relaxed),
            accepted: c.accepted.load(Ordering::Relaxed),
            rejected: c.rejected.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            requests: c.requests.load(Ordering::Relaxed),
            elapsed_secs: self.started.elapsed().as_secs_f64(),
        }
    }

    fn count(&self, outcome: &Outcome) {
        let c = match outcome {
            Outcome::Accepted { .. } => &self.counters.accepted,
            Outcome::Rejected { .. } => &self.counters.rejected,
            Outcome::Failed { .. } => &self.counters.failed,
        };
        c.fetch_add(1, Ordering::Relaxed);
    }
}

/// One input on its way: rejected locally already, or waiting for its batch.
enum Prepared {
    Settled(ItemResult),
    Pending(u64, SmsRequest),
}

impl Client {
    /// Sends every message of `messages` through `POST /sms/bulk` and streams one result per
    /// input (in completion order; `index` says which input). Messages without a `clientId`
    /// get one, so retried batches are never delivered twice. Fails at once, before reading
    /// any input, only when the options are invalid ([`CampaignOptions::check`]). Each batch is
    /// sent by a task of its own, so batches go on while the caller is busy between results.
    /// Dropping the stream sends nothing more and cancels the batches in flight, whose messages
    /// may have gone out unreported: give messages `clientId`s of your own if you may stop early
    /// (a re-run with `resume` then counts them), or use [`Feed`](crate::bulk::Feed), whose
    /// `stop()` lets the batches in flight settle and reports them.
    pub fn campaign<S>(
        &self,
        messages: S,
        options: CampaignOptions,
    ) -> Result<impl Stream<Item = ItemResult> + Send + 'static>
    where
        S: Stream<Item = SmsRequest> + Send + 'static,
    {
        let (batch_size, concurrency) = options.shape(self)?;
        let validate_locally = options.validate_locally;
        let shared = Arc::new(Shared {
            client: self.clone(),
            resume: options.resume,
            started: Instant::now(),
            counters: Counters::default(),
            on_progress: options.on_progress,
            reporting: tokio::sync::Mutex::new(()),
            halted: AtomicBool::new(false),
            halt_reason: Mutex::new(None),
        });
        let reader = shared.clone();
        let mut next_index = 0u64;
        Ok(Batches::new(messages, batch_size)
            .map(move |chunk| {
                reader
                    .counters
                    .read
                    .fetch_add(chunk.len() as u64, Ordering::Relaxed);
                let ids = ClientIds::checked();
                let prepared: Vec<Prepared> = chunk
                    .into_iter()
                    .map(|mut sms| {
                        let index = next_index;
                        next_index += 1;
                        sms.client_id.get_or_insert_with(|| ids.next_id());
                        if validate_locally {
                            if let Err(fields) = validate::validate_sms(&sms) {
                                let outcome = Outcome::Rejected {
                                    client_id: sms.client_id.take(),
                                    stage: RejectStage::Local,
                                    fields,
                                };
                                return Prepared::Settled(ItemResult { index, outcome });
                            }
                        }
                        Prepared::Pending(index, sms)
                    })
                    .collect();
                InFlight::send(shared.clone(), prepared)
            })
            .buffer_unordered(concurrency)
            .flat_map(stream::iter))
    }

    /// Runs a whole campaign and returns every result in input order.
    pub async fn run_campaign<I>(
        &self,
        messages: I,
        options: CampaignOptions,
    ) -> Result<CampaignReport>
    where
        I: IntoIterator<Item = SmsRequest>,
        I::IntoIter: Send + 'static,
    {
        let (options, latest) = options.recording_progress();
        let results = super::in_input_order(
            self.campaign(stream::iter(messages), options)?
                .collect()
                .await,
        );
        let progress = latest.get();
        Ok(CampaignReport { results, progress })
    }
}

/// A batch on its way, sent by a task of its own so that it goes on, and its attempt's timeout
/// measures the server rather than the caller, while the caller is busy between results.
/// Driven by the stream alone, a batch whose answer came in while the caller was away (a slow
/// loop body, a database write per result) was read late, taken for a timeout and sent again:
/// ids lost to "accepted earlier", and `AMBIGUOUS_OUTCOME` once the retries ran out. Dropped
/// (the stream dropped), it cancels the batch, as before.
struct InFlight {
    task: tokio::task::JoinHandle<Vec<ItemResult>>,
    /// The inputs it answers for (a chunk's are consecutive), should the task end without
    /// answering (its runtime shut down).
    indexes: std::ops::Range<u64>,
}

impl InFlight {
    fn send(shared: Arc<Shared>, chunk: Vec<Prepared>) -> InFlight {
        let index = |p: &Prepared| match p {
            Prepared::Settled(r) => r.index,
            Prepared::Pending(index, _) => *index,
        };
        let indexes = match (chunk.first(), chunk.last()) {
            (Some(first), Some(last)) => index(first)..index(last) + 1,
            _ => 0..0,
        };
        InFlight {
            task: tokio::spawn(send_chunk(shared, chunk)),
            indexes,
        }
    }
}

impl std::future::Future for InFlight {
    type Output = Vec<ItemResult>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Vec<ItemResult>> {
        let answered = std::task::ready!(std::pin::Pin::new(&mut self.task).poll(cx));
        std::task::Poll::Ready(match answered {
            Ok(results) => results,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => self
                .indexes
                .clone()
                .map(|index| ItemResult {
                    index,
                    outcome: Outcome::Failed {
                        client_id: None,
                        kind: ErrorKind::AmbiguousOutcome,
                        message: "the runtime the campaign ran on shut down while this \
                                  message's batch was in flight: it may have been sent"
                            .into(),
                    },
                })
                .collect(),
        })
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn send_chunk(shared: Arc<Shared>, chunk: Vec<Prepared>) -> Vec<ItemResult> {
    let mut results = Vec::with_capacity(chunk.len());
    let mut indexes = Vec::with_capacity(chunk.len());
    let mut batch = Vec::with_capacity(chunk.len());
    for p in chunk {
        match p {
            Prepared::Settled(r) => results.push(r),
            Prepared::Pending(i, sms) => {
                indexes.push(i);
                batch.push(sms);
            }
        }
    }
    if !batch.is_empty() {
        let outcomes = send_batch(&shared, &batch, shared.resume).await;
        results.extend(
            indexes
                .into_iter()
                .zip(outcomes)
                .map(|(index, outcome)| ItemResult { index, outcome }),
        );
    }
    for r in &results {
        shared.count(&r.outcome);
    }
    if let Some(cb) = &shared.on_progress {
        // Totals read under the lock, so each call sees at least what the one before it saw.
        let _one_at_a_time = shared.reporting.lock().await;
        cb(&shared.progress());
    }
    results
}

/// `duplicates_are_accepted`: a "clientId already used" means an earlier request of ours
/// (a re-run campaign, or the request a split batch came from) was accepted.
async fn send_batch(
    shared: &Shared,
    batch: &[SmsRequest],
    duplicates_are_accepted: bool,
) -> Vec<Outcome> {
    if shared.halted.load(Ordering::Acquire) {
        let (kind, why) = shared
            .halt_reason
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .unwrap_or((ErrorKind::Server, "campaign halted".into()));
        // Counted as a request settled, though none went out: progress callbacks fire per
        // request, and the inputs failed here must reach them too.
        shared.counters.requests.fetch_add(1, Ordering::Relaxed);
        return failed_all(
            batch,
            kind,
            &format!("not sent: the campaign stopped after an earlier batch failed ({why})"),
        );
    }
    let answer = shared
        .client
        .send_bulk_outcomes(batch, duplicates_are_accepted)
        .await;
    shared.counters.requests.fetch_add(1, Ordering::Relaxed);
    match answer {
        Ok(outcomes) => outcomes,
        // Too large for the server as a whole (very long messages): the API commits nothing
        // on a 413 and says to split the batch, so each half goes again with its clientIds.
        Err(e) if e.kind() == ErrorKind::PayloadTooLarge && batch.len() > 1 => {
            let (first, second) = batch.split_at(batch.len() / 2);
            let duplicates_are_accepted = duplicates_are_accepted || e.maybe_committed();
            let mut outcomes = Box::pin(send_batch(shared, first, duplicates_are_accepted)).await;
            outcomes.extend(Box::pin(send_batch(shared, second, duplicates_are_accepted)).await);
            outcomes
        }
        Err(e) => {
            if matches!(
                e.kind(),
                ErrorKind::Unauthorized | ErrorKind::PaymentRequired
            ) {
                *shared.halt_reason.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((e.kind(), e.message().to_string()));
                shared.halted.store(true, Ordering::Release);
            }
            // A batch that may have gone out (its 2xx answer could not be read) is ambiguous,
            // whatever the kind of the error: that is what a caller must check before resending.
            if e.may_have_gone_unsaid() {
                let message = format!(
                    "{e}; the messages of this batch may have been sent: look them up by their \
                     clientIds before sending them again"
                );
                return failed_all(batch, ErrorKind::AmbiguousOutcome, &message);
            }
            failed_all(batch, e.kind(), &e.to_string())
        }
    }
}

fn failed_all(batch: &[SmsRequest], kind: ErrorKind, message: &str) -> Vec<Outcome> {
    batch
        .iter()
        .map(|sms| Outcome::Failed {
            client_id: sms.client_id.clone(),
            kind,
            message: message.to_string(),
        })
        .collect()
}
