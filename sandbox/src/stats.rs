//! Counters of what the sandbox did, for tests and benchmarks (`GET /_sandbox/stats`).

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Stats {
    /// API requests received (admin routes excluded).
    pub requests: u64,
    /// Messages committed to the ledger (including verify SMS).
    pub accepted_messages: u64,
    /// Items refused with field errors (a `422` of `POST /sms` counts one).
    pub rejected_items: u64,
    /// `429` responses sent, forced ones included.
    pub rate_limited: u64,
    /// `500` responses from `errorRate`.
    pub injected_errors: u64,
    /// Connections closed after commit by `dropAfterCommitRate`.
    pub dropped_connections: u64,
    /// Webhook POSTs answered 2xx.
    pub webhooks_sent: u64,
    /// Webhook events given up after every retry failed.
    pub webhooks_failed: u64,
}

#[derive(Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub accepted_messages: AtomicU64,
    pub rejected_items: AtomicU64,
    pub rate_limited: AtomicU64,
    pub injected_errors: AtomicU64,
    pub dropped_connections: AtomicU64,
    pub webhooks_sent: AtomicU64,
    pub webhooks_failed: AtomicU64,
}

pub fn bump(counter: &AtomicU64, by: u64) {
    counter.fetch_add(by, Ordering::Relaxed);
}

impl Counters {
    pub fn snapshot(&self) -> Stats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Stats {
            requests: get(&self.requests),
            accepted_messages: get(&self.accepted_messages),
            rejected_items: get(&self.rejected_items),
            rate_limited: get(&self.rate_limited),
            injected_errors: get(&self.injected_errors),
            dropped_connections: get(&self.dropped_connections),
            webhooks_sent: get(&self.webhooks_sent),
            webhooks_failed: get(&self.webhooks_failed),
        }
    }

    pub fn reset(&self) {
        for c in [
            &self.requests,
            &self.accepted_messages,
            &self.rejected_items,
            &self.rate_limited,
            &self.injected_errors,
            &self.dropped_connections,
            &self.webhooks_sent,
            &self.webhooks_failed,
        ] {
            c.store(0, Ordering::Relaxed);
        }
    }
}
