//! `Client.send_bulk`: feeds a Python iterable to the core's campaign engine.
//!
//! The iterable is read in the calling thread (it needs the GIL) one batch at a time and handed
//! to the engine through a bounded channel; while the engine is busy the thread waits with the
//! GIL released. Results and progress come back on a second channel and are turned into Python
//! objects in the calling thread, so user callbacks never run on the runtime's threads.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use instasent::{blocking, CampaignOptions, SmsRequest};
use pyo3::prelude::*;

use crate::convert::message;
use crate::error::{invalid, IntoPyResult};
use crate::types::{ItemResult, Progress};

/// Campaign options from the keyword arguments; the engine caps batches at 100 (API limit).
pub fn options(
    concurrency: Option<usize>,
    batch_size: usize,
    resume: bool,
    validate: bool,
) -> PyResult<CampaignOptions> {
    if !(1..=instasent::validate::MAX_BULK_ITEMS).contains(&batch_size) {
        return Err(invalid(format!(
            "batch_size must be between 1 and {}, got {batch_size}",
            instasent::validate::MAX_BULK_ITEMS
        )));
    }
    if concurrency == Some(0) {
        return Err(invalid("concurrency must be at least 1"));
    }
    Ok(CampaignOptions {
        concurrency,
        batch_size,
        validate_locally: validate,
        resume,
        on_progress: None,
    })
}

enum Event {
    /// Whatever had settled when the engine was polled: one channel send per batch, not per
    /// message.
    Results(Vec<instasent::ItemResult>),
    Progress(instasent::Progress),
}

/// Stops the campaign when the caller gives up (an exception while reading the iterable, a
/// failing callback, Ctrl-C): messages not yet handed over are never sent.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub fn run(
    py: Python<'_>,
    client: &blocking::Client,
    messages: &Bound<'_, PyAny>,
    mut options: CampaignOptions,
    on_progress: Option<Bound<'_, PyAny>>,
) -> PyResult<Vec<ItemResult>> {
    let mut iter = messages.try_iter()?;
    let rt = instasent::runtime::runtime().py_err()?;
    let core = client.current();
    let batch = options.batch_size;
    let in_flight = options
        .concurrency
        .unwrap_or_else(|| core.bulk_concurrency());
    // Whole batches cross the channel: one hand-over (and at most one wake-up) per batch.
    let (in_tx, mut in_rx) = tokio::sync::mpsc::channel::<Vec<SmsRequest>>(in_flight);
    let (ev_tx, ev_rx) = mpsc::channel::<Event>();
    if on_progress.is_some() {
        let tx = ev_tx.clone();
        options.on_progress = Some(Arc::new(move |p: &instasent::Progress| {
            let _ = tx.send(Event::Progress(*p));
        }));
    }
    let mut task = AbortOnDrop(rt.spawn(async move {
        let input = futures_util::stream::poll_fn(move |cx| in_rx.poll_recv(cx))
            .flat_map(futures_util::stream::iter);
        let mut results = std::pin::pin!(core.campaign(input, options).ready_chunks(1024));
        while let Some(settled) = results.next().await {
            if ev_tx.send(Event::Results(settled)).is_err() {
                break;
            }
        }
    }));

    let mut settled: Vec<instasent::ItemResult> = Vec::new();
    let mut handle = |ev: Event| -> PyResult<()> {
        match ev {
            Event::Results(mut batch) => settled.append(&mut batch),
            Event::Progress(p) => {
                if let Some(cb) = &on_progress {
                    cb.call1((Progress::from(p),))?;
                }
            }
        }
        Ok(())
    };

    let mut sender = Some(in_tx);
    while let Some(tx) = &sender {
        let mut chunk = Vec::with_capacity(batch);
        let mut exhausted = false;
        while chunk.len() < batch {
            match iter.next() {
                Some(item) => chunk.push(message(&item?)?),
                None => {
                    exhausted = true;
                    break;
                }
            }
        }
        let accepted = chunk.is_empty() || py.detach(|| tx.blocking_send(chunk).is_ok());
        while let Ok(ev) = ev_rx.try_recv() {
            handle(ev)?;
        }
        py.check_signals()?;
        if exhausted || !accepted {
            sender = None;
        }
    }
    let mut ev_rx = ev_rx;
    loop {
        // The receiver is not `Sync`: it travels into the GIL-free closure and back.
        let (next, rx) = py.detach(move || (ev_rx.recv_timeout(Duration::from_millis(100)), ev_rx));
        ev_rx = rx;
        match next {
            Ok(ev) => handle(ev)?,
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    if let Err(e) = py.detach(|| rt.block_on(&mut task.0)) {
        return Err(invalid(format!("the bulk send stopped unexpectedly: {e}")));
    }
    settled.sort_by_key(|r| r.index);
    Ok(settled.into_iter().map(ItemResult::new).collect())
}
