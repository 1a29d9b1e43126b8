//! A campaign the caller feeds and drains from synchronous code, a batch at a time: what a
//! binding without an async runtime of its own (C, PHP) streams through. It is a
//! [`Feed`](crate::bulk::Feed) whose waits block the calling thread: `push` blocks while
//! `concurrency` batches are already queued, so the input held stays bounded however long the
//! campaign, and results wait until `next` takes them.

use std::time::Duration;

use crate::bulk::{CampaignOptions, Feed, Holding, Settled};
use crate::client::Client as AsyncClient;
use crate::error::{Error, Result};
use crate::model::SmsRequest;

/// A running campaign (see the module's doc). Every method may be called from any thread; a
/// feeding thread and a draining thread may work side by side. Dropping it stops the input:
/// what is queued is dropped unsent, the batches in flight finish on the runtime.
pub struct Campaign {
    feed: Feed,
}

/// Every call may block, so each is refused from inside an async runtime, where it would block
/// a worker (the runtime's `block_on` would panic). A `spawn_blocking` thread is refused too:
/// tokio does not tell it apart.
fn outside_async() -> Result<()> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::invalid_argument(
            "a blocking call was made from inside an async runtime; use Client::campaign there",
        ));
    }
    Ok(())
}

impl Campaign {
    pub(super) fn start(client: AsyncClient, options: CampaignOptions) -> Result<Campaign> {
        // A C caller may push everything before it drains: only the queue is bounded.
        Ok(Campaign {
            feed: Feed::start(client, options, Holding::Unbounded)?,
        })
    }

    /// Queues messages, waiting while `concurrency` pushes are already queued. Batches of
    /// `batch_size` are formed across pushes: a batch goes out once it is full, or at
    /// [`end`](Self::end). False when the campaign takes no more input (ended or stopped);
    /// the messages were not queued.
    pub fn push(&self, messages: Vec<SmsRequest>) -> Result<bool> {
        outside_async()?;
        self.feed.push_blocking(messages)
    }

    /// No more input: the campaign finishes once what is queued has been sent.
    pub fn end(&self) {
        self.feed.end();
    }

    /// Sends nothing more: queued input is dropped unsent; the batches in flight settle and
    /// [`next`](Self::next) still hands out their results.
    pub fn stop(&self) {
        self.feed.stop();
    }

    /// Every result settled since the previous call, in input order, waiting up to `wait` for
    /// the first one (or for the campaign to be over).
    pub fn next(&self, wait: Duration) -> Result<Settled> {
        outside_async()?;
        self.feed.next_blocking(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_with_no_server_settles_every_input_and_ends() {
        // Nothing listens on port 9 of loopback: every batch fails to connect, so each input
        // still gets exactly one result and the campaign ends.
        let client = crate::blocking::Client::from_builder(crate::testing::no_server()).unwrap();
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
