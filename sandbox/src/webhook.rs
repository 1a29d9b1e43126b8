//! DLR and inbound webhook delivery (docs: transactional-api/http/dlrs: "any non-2xx is a
//! failure and retried with exponential backoff"). Events go through bounded queues to a few
//! workers sharing one HTTP client, so the API path never waits on a webhook. Events of one
//! message always go to the same worker, which keeps their order even across retries.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{mpsc, watch};

use crate::stats::{bump, Counters};

/// Tries per event; waits between them double from [`FIRST_RETRY`].
pub const ATTEMPTS: u32 = 5;
pub const FIRST_RETRY: Duration = Duration::from_millis(100);
const WORKERS: usize = 4;
const QUEUE: usize = 16_384;
/// The docs ask receivers to answer within 5 seconds.
const TIMEOUT: Duration = Duration::from_secs(5);

/// One webhook body: a DLR `{id, clientId, status, code, eventAt}`, or an inbound message,
/// which also carries `message`, `from` and `to`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    pub client_id: Option<String>,
    pub status: &'static str,
    pub code: i64,
    pub event_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

#[derive(Clone)]
pub struct Webhooks {
    queues: Arc<Vec<mpsc::Sender<Event>>>,
}

impl Webhooks {
    /// Starts the workers on the current runtime; they stop when `shutdown` turns true.
    pub fn start(
        url: String,
        counters: Arc<Counters>,
        shutdown: watch::Receiver<bool>,
    ) -> std::io::Result<Self> {
        let client = webhook_client(&url)?;
        let queues = (0..WORKERS)
            .map(|_| {
                let (tx, rx) = mpsc::channel(QUEUE);
                tokio::spawn(worker(
                    rx,
                    client.clone(),
                    url.clone(),
                    counters.clone(),
                    shutdown.clone(),
                ));
                tx
            })
            .collect();
        Ok(Webhooks {
            queues: Arc::new(queues),
        })
    }

    /// Queues an event; waits only when the worker's queue is full.
    pub async fn send(&self, event: Event) {
        let shard = shard_of(&event.id, self.queues.len());
        let _ = self.queues[shard].send(event).await;
    }
}

fn shard_of(id: &str, n: usize) -> usize {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    (hash % n as u64) as usize
}

async fn worker(
    mut rx: mpsc::Receiver<Event>,
    client: reqwest::Client,
    url: String,
    counters: Arc<Counters>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let event = tokio::select! {
            _ = crate::state::stopped(&mut shutdown) => return,
            event = rx.recv() => match event { Some(e) => e, None => return },
        };
        tokio::select! {
            _ = crate::state::stopped(&mut shutdown) => return,
            _ = deliver(&client, &url, &event, &counters) => {}
        }
    }
}

/// The client that delivers to `url`. A plain-http receiver (the usual local one) needs no
/// certificates; for an https one the system's are loaded, and where it has none the sandbox
/// still runs and those deliveries fail and are counted (`webhooks_failed`).
///
/// Redirects are not followed: the docs count "any non-2xx" as a failure to retry, and
/// following one would deliver elsewhere (a 302 turns the POST into a GET without the body).
/// Nor is a proxy from the environment used: the API delivers from its own network, and
/// through the developer's proxy the reports (numbers, inbound texts) would leave the machine.
fn webhook_client(url: &str) -> std::io::Result<reqwest::Client> {
    let builder = || {
        reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
    };
    if reqwest::Url::parse(url).is_ok_and(|u| u.scheme() == "https") {
        if let Ok(client) = builder().build() {
            return Ok(client);
        }
    }
    builder()
        .tls_certs_only(std::iter::empty())
        .build()
        .map_err(std::io::Error::other)
}

async fn deliver(client: &reqwest::Client, url: &str, event: &Event, counters: &Counters) {
    let body = serde_json::to_vec(event).unwrap_or_default();
    let mut wait = FIRST_RETRY;
    for attempt in 1..=ATTEMPTS {
        let sent = client
            .post(url)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await;
        // Only a 2xx is a delivery; a 3xx is retried like any other failure.
        if matches!(&sent, Ok(r) if r.status().is_success()) {
            bump(&counters.webhooks_sent, 1);
            return;
        }
        if attempt < ATTEMPTS {
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }
    bump(&counters.webhooks_failed, 1);
}

#[cfg(test)]
mod tests {
    #[test]
    fn shards_are_stable_and_in_range() {
        let a = super::shard_of("0123456789abcdef01234567", 4);
        assert_eq!(a, super::shard_of("0123456789abcdef01234567", 4));
        assert!(a < 4);
    }
}
