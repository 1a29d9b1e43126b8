//! One chunk of a `sendBulk` campaign. `index.js` pulls at most `batchSize × concurrency`
//! inputs from the caller's (async) iterable, hands them here and awaits the results before it
//! pulls more, so memory stays bounded whatever the input length; the core's campaign engine
//! does the validation, batching, concurrency and reconciliation.

use std::sync::{Arc, Mutex};

use futures_util::stream::{self, StreamExt};
use napi_derive::napi;
use serde_json::Value;

use crate::client::SmsClient;
use crate::error::invalid_argument;
use crate::runtime::run;
use crate::types::{BulkItemResult, SmsInput};
use instasent::{CampaignOptions, Progress, SmsRequest};

#[napi(object)]
pub struct ChunkOptions {
    /// Bulk requests in flight at once (default: the client's `concurrency`).
    pub concurrency: Option<u32>,
    /// Messages per bulk request, 1–100 (default 100).
    pub batch_size: Option<u32>,
    /// Count "clientId already used" as accepted by an earlier run.
    pub resume: Option<bool>,
    /// Index of the chunk's first input in the whole campaign.
    pub offset: Option<u32>,
}

#[napi(object)]
pub struct ChunkProgress {
    pub read: f64,
    pub accepted: f64,
    pub rejected: f64,
    pub failed: f64,
    /// Bulk requests answered.
    pub requests: f64,
}

#[napi(object)]
pub struct ChunkResult {
    /// In input order.
    pub results: Vec<BulkItemResult>,
    pub progress: ChunkProgress,
}

/// A JS message object → `SmsRequest`; `index` names the culprit in the error.
fn sms_request(index: usize, value: Value) -> napi::Result<SmsRequest> {
    serde_json::from_value::<SmsInput>(value)
        .map(Into::into)
        .map_err(|e| {
            invalid_argument(format!(
                "message {index} is not {{from, to, text, allowUnicode?, clientId?}}: {e}"
            ))
        })
}

#[napi]
impl SmsClient {
    /// Sends one chunk of a campaign (used by `sendBulk`; call that instead).
    #[napi]
    pub async fn send_bulk_chunk(
        &self,
        messages: Vec<Value>,
        options: Option<ChunkOptions>,
    ) -> napi::Result<ChunkResult> {
        let offset = options.as_ref().and_then(|o| o.offset).unwrap_or(0) as u64;
        let messages = messages
            .into_iter()
            .enumerate()
            .map(|(i, v)| sms_request(offset as usize + i, v))
            .collect::<napi::Result<Vec<_>>>()?;
        let last = Arc::new(Mutex::new(Progress::default()));
        let mut opts = CampaignOptions::default();
        if let Some(o) = &options {
            opts.concurrency = o.concurrency.map(|c| c as usize);
            if let Some(b) = o.batch_size {
                opts.batch_size = b as usize;
            }
            opts.resume = o.resume.unwrap_or(false);
        }
        let sink = last.clone();
        opts.on_progress = Some(Arc::new(move |p: &Progress| {
            // Batches finish concurrently: keep the furthest totals, not the last writer's.
            let mut held = sink.lock().unwrap_or_else(|e| e.into_inner());
            if (p.done(), p.requests) >= (held.done(), held.requests) {
                *held = *p;
            }
        }));
        let c = self.inner.clone();
        let mut results = run(async move {
            Ok(c.campaign(stream::iter(messages), opts)
                .collect::<Vec<_>>()
                .await)
        })
        .await?;
        results.sort_unstable_by_key(|r| r.index);
        let p = *last.lock().unwrap_or_else(|e| e.into_inner());
        Ok(ChunkResult {
            results: results
                .into_iter()
                .map(|r| BulkItemResult::new(offset + r.index, r.outcome))
                .collect(),
            progress: ChunkProgress {
                read: p.read as f64,
                accepted: p.accepted as f64,
                rejected: p.rejected as f64,
                failed: p.failed as f64,
                requests: p.requests as f64,
            },
        })
    }
}
