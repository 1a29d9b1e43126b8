//! A campaign the caller feeds and drains from synchronous code, a batch at a time: what a
//! binding without an async runtime of its own (C, PHP) streams through. The engine runs on the
//! process-wide runtime; `push` blocks while `concurrency` batches are already queued, so the
//! input held stays bounded however long the campaign, and results wait here until `next`
//! takes them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::bulk::{CampaignOptions, ItemResult, LatestProgress, Progress};
use crate::client::Client as AsyncClient;
use crate::error::{Error, Result};
use crate::model::SmsRequest;

/// What [`Campaign::next`] hands out.
#[derive(Debug, Default)]
pub struct Settled {
    /// The results settled since the previous call, in completion order (`index` says which
    /// input each one answers).
    pub results: Vec<ItemResult>,
    /// The campaign's totals so far.
    pub progress: Progress,
    /// Over: no input is taken any more and every result has been handed out.
    pub done: bool,
}

#[derive(Default)]
struct Outbox {
    results: Vec<ItemResult>,
    /// The engine's stream has ended: every result is in `results` or was handed out.
    finished: bool,
}

struct Shared {
    outbox: Mutex<Outbox>,
    settled: Condvar,
}

impl Shared {
    fn outbox(&self) -> MutexGuard<'_, Outbox> {
        self.outbox.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running campaign (see the module's doc). Every method may be called from any thread; a
/// feeding thread and a draining thread may work side by side. Dropping it stops the input:
/// what is queued is dropped unsent, the batches in flight finish on the runtime.
pub struct Campaign {
    input: Mutex<Option<mpsc::Sender<Vec<SmsRequest>>>>,
    stop_feeding: Arc<AtomicBool>,
    shared: Arc<Shared>,
    progress: LatestProgress,
    /// The process that started it: after a `fork()` the runtime task is not in the child, so
    /// waiting there would never end.
    pid: u32,
}

impl Campaign {
    pub(super) fn start(client: AsyncClient, options: CampaignOptions) -> Result<Campaign> {
        let rt = crate::runtime::runtime()?;
        let queued = options
            .concurrency
            .unwrap_or_else(|| client.bulk_concurrency())
            .max(1);
        let (options, progress) = options.recording_progress();
        let (input, mut pushed) = mpsc::channel::<Vec<SmsRequest>>(queued);
        let stop_feeding = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            outbox: Mutex::new(Outbox::default()),
            settled: Condvar::new(),
        });
        let stop = stop_feeding.clone();
        let task_shared = shared.clone();
        rt.spawn(async move {
            let messages = futures_util::stream::poll_fn(move |cx| pushed.poll_recv(cx))
                .flat_map(futures_util::stream::iter)
                .take_while(move |_| std::future::ready(!stop.load(Ordering::Acquire)));
            let mut results = std::pin::pin!(client.campaign(messages, options).ready_chunks(1024));
            while let Some(settled) = results.next().await {
                task_shared.outbox().results.extend(settled);
                task_shared.settled.notify_all();
            }
            task_shared.outbox().finished = true;
            task_shared.settled.notify_all();
        });
        Ok(Campaign {
            input: Mutex::new(Some(input)),
            stop_feeding,
            shared,
            progress,
            pid: std::process::id(),
        })
    }

    fn same_process(&self) -> Result<()> {
        if std::process::id() == self.pid {
            Ok(())
        } else {
            Err(Error::invalid_argument(
                "this campaign was started in the parent process; start a new one after fork()",
            ))
        }
    }

    /// Queues messages, waiting while `concurrency` pushes are already queued. Batches of
    /// `batch_size` are formed across pushes: a batch goes out once it is full, or at
    /// [`end`](Self::end). False when the campaign takes no more input (ended or stopped);
    /// the messages were not queued.
    pub fn push(&self, messages: Vec<SmsRequest>) -> Result<bool> {
        self.same_process()?;
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::invalid_argument(
                "a blocking call was made from inside an async runtime; use Client::campaign there",
            ));
        }
        // Cloned out of the lock: a push waiting for room must not hold up `end` or `stop`.
        let Some(input) = self.input.lock().unwrap_or_else(|e| e.into_inner()).clone() else {
            return Ok(false);
        };
        if messages.is_empty() {
            return Ok(true);
        }
        Ok(input.blocking_send(messages).is_ok() && !self.stop_feeding.load(Ordering::Acquire))
    }

    /// No more input: the campaign finishes once what is queued has been sent.
    pub fn end(&self) {
        self.input.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// Sends nothing more: queued input is dropped unsent; the batches in flight settle and
    /// [`next`](Self::next) still hands out their results.
    pub fn stop(&self) {
        self.stop_feeding.store(true, Ordering::Release);
        self.end();
    }

    /// Every result settled since the previous call, waiting up to `wait` for the first one
    /// (or for the campaign to be over).
    pub fn next(&self, wait: Duration) -> Result<Settled> {
        self.same_process()?;
        let deadline = Instant::now() + wait;
        let mut outbox = self.shared.outbox();
        while outbox.results.is_empty() && !outbox.finished {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            outbox = self
                .shared
                .settled
                .wait_timeout(outbox, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        let results = std::mem::take(&mut outbox.results);
        let done = outbox.finished;
        drop(outbox);
        Ok(Settled {
            results,
            progress: self.progress.get(),
            done,
        })
    }
}

impl Drop for Campaign {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_with_no_server_settles_every_input_and_ends() {
        // Nothing listens on port 9 of loopback: every batch fails to connect, so each input
        // still gets exactly one result and the campaign ends.
        let client = crate::blocking::Client::from_builder(
            crate::ClientBuilder::new("t")
                .base_url("http://127.0.0.1:9/transactional/v1")
                .retry_policy(crate::RetryPolicy::none()),
        )
        .unwrap();
        let options = CampaignOptions {
            batch_size: 2,
            ..CampaignOptions::default()
        };
        let campaign = client.start_campaign(options).unwrap();
        let sms = |to: &str| SmsRequest::new("Acme", to, "hi");
        assert!(campaign
            .push(vec![sms("+34600000001"), sms("+34600000002")])
            .unwrap());
        assert!(campaign.push(vec![sms("not a number")]).unwrap());
        campaign.end();
        assert!(!campaign.push(vec![sms("+34600000003")]).unwrap());
        let mut results = Vec::new();
        loop {
            let settled = campaign.next(Duration::from_secs(10)).unwrap();
            results.extend(settled.results);
            if settled.done {
                assert_eq!(settled.progress.read, 3);
                break;
            }
        }
        results.sort_unstable_by_key(|r| r.index);
        assert_eq!(
            results.iter().map(|r| r.index).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        for r in &results[..2] {
            assert!(
                matches!(
                    r.outcome,
                    crate::Outcome::Failed {
                        kind: crate::ErrorKind::Transport,
                        ..
                    }
                ),
                "{r:?}"
            );
        }
        assert!(matches!(
            results[2].outcome,
            crate::Outcome::Rejected { .. }
        ));
    }

    #[test]
    fn next_returns_empty_when_nothing_settles_in_time() {
        let client = crate::blocking::Client::new("t").unwrap();
        let campaign = client.start_campaign(CampaignOptions::default()).unwrap();
        let settled = campaign.next(Duration::from_millis(20)).unwrap();
        assert!(settled.results.is_empty() && !settled.done);
        campaign.stop();
        assert!(!campaign.push(vec![]).unwrap());
        assert!(campaign.next(Duration::from_secs(10)).unwrap().done);
    }
}
