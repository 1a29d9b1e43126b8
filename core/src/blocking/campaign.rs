//! A campaign the caller feeds and drains from synchronous code, a batch at a time: what a
//! binding without an async runtime of its own (C, PHP) streams through. It is a
//! [`Feed`](crate::bulk::Feed) whose waits block the calling thread: `push` blocks while
//! `concurrency` batches are already queued, and results wait until `next` takes them. A caller
//! that reads its input only while [`has_room`](Campaign::has_room) holds keeps what it has read
//! but not yet had back as results bounded, however long the campaign and however slow its loop.

use std::time::Duration;

use crate::bulk::{CampaignOptions, Feed, Settled};
use crate::client::Client as AsyncClient;
use crate::error::Result;
use crate::model::SmsRequest;

/// A running campaign (see the module's doc). Every method may be called from any thread; a
/// feeding thread and a draining thread may work side by side. Dropping it stops the input:
/// what is queued is dropped unsent, the batches in flight finish on the runtime.
#[derive(Debug)]
pub struct Campaign {
    feed: Feed,
}

impl Campaign {
    pub(super) fn start(client: AsyncClient, options: CampaignOptions) -> Result<Campaign> {
        // A C caller may push everything before it drains: `push` waits only for the queue, and
        // the holding bound is for `has_room` to tell a caller that drains as it reads.
        Ok(Campaign {
            feed: Feed::start(client, options)?,
        })
    }

    /// Queues messages, waiting while `concurrency` pushes are already queued. Batches of
    /// `batch_size` are formed across pushes: a batch goes out once it is full, or at
    /// [`end`](Self::end). False when the campaign takes no more input (ended or stopped);
    /// the messages were not queued.
    pub fn push(&self, messages: Vec<SmsRequest>) -> Result<bool> {
        self.feed.push_blocking(messages)
    }

    /// Inputs pushed so far: the `index` the next pushed input's result will have.
    pub fn pushed(&self) -> u64 {
        self.feed.pushed()
    }

    /// Whether `batch_size` more inputs may be read and pushed within the bound of `batch_size ×
    /// (2 × concurrency + 2)` inputs between their push and the caller's return for the results
    /// after theirs; asked once the caller is done with the results [`next`](Self::next)
    /// handed it last, which count as consumed. When false, take results before reading more
    /// input: a result that waits for a slow earlier batch (results come in input order)
    /// otherwise lets later ones pile up. False too once the campaign was stopped, and in a
    /// process forked after it started.
    pub fn has_room(&self) -> bool {
        self.feed.has_room()
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
    fn has_room_counts_inputs_until_their_results_are_taken_and_never_holds_up_a_push() {
        let client = crate::blocking::Client::from_builder(crate::testing::no_server()).unwrap();
        let options = CampaignOptions {
            batch_size: 2,
            concurrency: Some(1),
            ..CampaignOptions::default()
        };
        // Bound: 2 × (2 × 1 + 2) = 8 inputs.
        let campaign = client.start_campaign(options).unwrap();
        let two = || {
            vec![
                SmsRequest::new("Acme", "+34600000001", "hi"),
                SmsRequest::new("Acme", "+34600000002", "hi"),
            ]
        };
        for pushed in [2, 4, 6] {
            assert!(campaign.push(two()).unwrap());
            assert!(campaign.has_room(), "{pushed} held: another batch fits");
        }
        assert!(campaign.push(two()).unwrap());
        assert!(!campaign.has_room(), "8 held: another batch would not fit");
        // A caller that pushes everything before it drains is not held up by the bound.
        for _ in 0..6 {
            assert!(campaign.push(two()).unwrap());
        }
        campaign.end();
        let mut taken = 0;
        loop {
            let settled = campaign.next(Duration::from_secs(10)).unwrap();
            taken += settled.results.len();
            if settled.done {
                break;
            }
        }
        assert_eq!(taken, 20);
        assert!(campaign.has_room(), "every result taken");
        campaign.stop();
        assert!(!campaign.has_room(), "stopped");
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
