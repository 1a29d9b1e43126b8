//! How a campaign runs (`CampaignOptions`), what it reports as it goes (`Progress`) and
//! once it is done (`CampaignReport`).

use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::outcome::ItemResult;
use crate::client::{check_concurrency, Client};
use crate::error::{Error, Result};
use crate::validate::MAX_BULK_ITEMS;

/// Called after every batch with the running totals.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How a campaign runs.
#[derive(Clone)]
#[non_exhaustive]
pub struct CampaignOptions {
    /// Bulk requests in flight at once, 1–[`MAX_BULK_CONCURRENCY`](crate::MAX_BULK_CONCURRENCY)
    /// (default: the client's `bulk_concurrency`).
    pub concurrency: Option<usize>,
    /// Messages per bulk request, 1–100 (default 100). Out of range, the campaign is refused
    /// ([`CampaignOptions::check`]), not adjusted.
    pub batch_size: usize,
    /// Check the documented rules before sending (default on): bad items never leave the machine.
    pub validate_locally: bool,
    /// Treat "clientId already used" as accepted by an earlier run: set it when re-running a
    /// campaign with the same `clientId`s after an interruption, so nothing is sent twice and
    /// the results still say accepted.
    pub resume: bool,
    /// Called with the running totals each time a batch settles, one call at a time and with
    /// totals that only grow, from the runtime thread that settled it: keep it quick, batches
    /// settling meanwhile wait for it. A blocking client's call there is allowed on a
    /// multi-thread runtime.
    pub on_progress: Option<ProgressFn>,
}

impl Default for CampaignOptions {
    fn default() -> Self {
        CampaignOptions {
            concurrency: None,
            batch_size: MAX_BULK_ITEMS,
            validate_locally: true,
            resume: false,
            on_progress: None,
        }
    }
}

/// The furthest [`Progress`] a campaign reported: batches settle and report concurrently, so
/// the last report to arrive is not always the furthest.
#[derive(Clone, Default)]
pub struct LatestProgress(Arc<Mutex<Progress>>);

impl std::fmt::Debug for LatestProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("LatestProgress").field(&self.get()).finish()
    }
}

impl LatestProgress {
    /// The furthest totals reported so far (all zero before the first batch settles).
    pub fn get(&self) -> Progress {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn record(&self, p: &Progress) {
        let mut latest = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if (p.done(), p.requests) >= (latest.done(), latest.requests) {
            *latest = *p;
        }
    }
}

/// Options are built from the default with these setters (or by assigning fields):
/// `CampaignOptions::default().batch_size(50).resume(true)`. The struct is `non_exhaustive`, so
/// an option added later breaks no caller.
impl CampaignOptions {
    /// Sets [`concurrency`](Self::concurrency) (bulk requests in flight).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = Some(concurrency);
        self
    }

    /// Sets [`batch_size`](Self::batch_size) (messages per bulk request, 1–100).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }

    /// Sets [`validate_locally`](Self::validate_locally).
    pub fn validate_locally(mut self, yes: bool) -> Self {
        self.validate_locally = yes;
        self
    }

    /// Sets [`resume`](Self::resume).
    pub fn resume(mut self, yes: bool) -> Self {
        self.resume = yes;
        self
    }

    /// Sets [`on_progress`](Self::on_progress).
    pub fn on_progress(mut self, on_progress: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(on_progress));
        self
    }

    /// Refuses a `batch_size` outside 1–100 (the API's limit per bulk request) and a
    /// `concurrency` of 0: a campaign that silently ran other than asked would be worse. Every
    /// binding relies on this one rule.
    pub fn check(&self) -> Result<()> {
        if !(1..=MAX_BULK_ITEMS).contains(&self.batch_size) {
            return Err(Error::invalid_argument(format!(
                "batch size must be between 1 and {MAX_BULK_ITEMS} messages per request, got {}",
                self.batch_size
            )));
        }
        match self.concurrency {
            Some(concurrency) => check_concurrency(concurrency),
            None => Ok(()),
        }
    }

    /// Messages per request and requests in flight that these options give on `client`.
    pub(super) fn shape(&self, client: &Client) -> Result<(usize, usize)> {
        self.check()?;
        // `check` refused a 0 here, and the client's own concurrency was checked when it was built.
        let concurrency = self
            .concurrency
            .unwrap_or_else(|| client.bulk_concurrency());
        Ok((self.batch_size, concurrency))
    }

    /// The same options, also recording the furthest progress report (the caller's callback,
    /// if any, still runs), so the totals can be read while the campaign runs or once it is
    /// over.
    pub fn recording_progress(self) -> (CampaignOptions, LatestProgress) {
        let latest = LatestProgress::default();
        let sink = latest.clone();
        let user = self.on_progress.clone();
        let on_progress: ProgressFn = Arc::new(move |p: &Progress| {
            sink.record(p);
            if let Some(cb) = &user {
                cb(p);
            }
        });
        (
            CampaignOptions {
                on_progress: Some(on_progress),
                ..self
            },
            latest,
        )
    }
}

impl std::fmt::Debug for CampaignOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CampaignOptions")
            .field("concurrency", &self.concurrency)
            .field("batch_size", &self.batch_size)
            .field("validate_locally", &self.validate_locally)
            .field("resume", &self.resume)
            .finish_non_exhaustive()
    }
}

/// Running totals of a campaign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Progress {
    /// Inputs read so far.
    pub read: u64,
    /// Inputs the API accepted, `accepted_earlier` ones included.
    pub accepted: u64,
    /// Inputs rejected, by the local checks or by the API.
    pub rejected: u64,
    /// Inputs whose request failed as a whole, or that were not sent once a 401 or 402 halted
    /// the campaign.
    pub failed: u64,
    /// Bulk requests answered, and batches failed unsent after a 401 or 402 halted the campaign.
    pub requests: u64,
    /// Seconds since the campaign started.
    pub elapsed_secs: f64,
}

impl Progress {
    /// Inputs settled so far: `accepted + rejected + failed`.
    pub fn done(&self) -> u64 {
        self.accepted + self.rejected + self.failed
    }

    /// Settled messages per second so far.
    pub fn rate(&self) -> f64 {
        if self.elapsed_secs > 0.0 {
            self.done() as f64 / self.elapsed_secs
        } else {
            0.0
        }
    }
}

/// A finished campaign: every result in input order, and the totals.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CampaignReport {
    /// One result per input, in input order.
    pub results: Vec<ItemResult>,
    /// The final totals.
    pub progress: Progress,
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use futures_util::stream;

    use super::*;
    use crate::ErrorKind;

    #[test]
    fn each_setter_sets_its_own_option_and_no_other() {
        let calls = Arc::new(AtomicU64::new(0));
        let counted = calls.clone();
        let o = CampaignOptions::default()
            .concurrency(3)
            .batch_size(40)
            .validate_locally(false)
            .resume(true)
            .on_progress(move |_| {
                counted.fetch_add(1, Ordering::Relaxed);
            });
        assert_eq!(
            (o.concurrency, o.batch_size, o.validate_locally, o.resume),
            (Some(3), 40, false, true)
        );
        (o.on_progress.expect("set"))(&Progress::default());
        assert_eq!(calls.load(Ordering::Relaxed), 1);
        let d = CampaignOptions::default();
        assert_eq!(
            (d.concurrency, d.batch_size, d.validate_locally, d.resume),
            (None, 100, true, false)
        );
        assert!(d.on_progress.is_none());
    }

    #[test]
    fn options_out_of_range_are_refused_not_adjusted() {
        // Nothing is sent.
        let client = crate::testing::no_server().build().unwrap();
        let with = |batch_size, concurrency| CampaignOptions {
            batch_size,
            concurrency,
            ..CampaignOptions::default()
        };
        for bad in [
            with(0, None),
            with(101, None),
            with(100, Some(0)),
            with(100, Some(crate::MAX_BULK_CONCURRENCY + 1)),
            // Queues are sized by the concurrency: an absurd one must not reach them.
            with(100, Some(usize::MAX)),
        ] {
            let e = client
                .campaign(stream::empty(), bad.clone())
                .err()
                .unwrap_or_else(|| panic!("{bad:?} accepted"));
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad:?}");
        }
        assert_eq!(with(1, Some(1)).shape(&client).unwrap(), (1, 1));
        let most = crate::MAX_BULK_CONCURRENCY;
        assert_eq!(with(100, Some(most)).shape(&client).unwrap(), (100, most));
        assert!(with(100, Some(usize::MAX))
            .check()
            .unwrap_err()
            .message()
            .contains("at most 1024 bulk requests in flight"));
        assert_eq!(
            with(100, None).shape(&client).unwrap(),
            (100, client.bulk_concurrency())
        );
        assert!(with(101, None)
            .check()
            .unwrap_err()
            .message()
            .contains("between 1 and 100"));
    }

    #[test]
    fn the_recorded_progress_is_the_furthest_not_the_last_to_arrive() {
        let (options, latest) = CampaignOptions::default().recording_progress();
        let report = options.on_progress.expect("recording installs a callback");
        let at = |accepted, requests| Progress {
            read: 300,
            accepted,
            requests,
            ..Progress::default()
        };
        report(&at(200, 2));
        // A batch that settled earlier reports after a later one.
        report(&at(100, 1));
        assert_eq!(latest.get(), at(200, 2));
        report(&at(300, 3));
        assert_eq!(latest.get(), at(300, 3));
    }
}
