//! `Client.send_bulk`: feeds a Python iterable to the core's campaign engine.
//!
//! The iterable is read in the calling thread (it needs the GIL) one batch at a time and handed
//! to the engine through a bounded channel; while the engine is busy the thread waits with the
//! GIL released. Results and progress come back on a second channel and are turned into Python
//! objects in the calling thread, so user callbacks never run on the runtime's threads.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use instasent::{blocking, CampaignOptions, SmsRequest};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::message;
use crate::error::{invalid, IntoPyResult};
use crate::types::{item_results, Progress};

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

/// Stops the campaign outright if `run` returns early (a second Ctrl-C while the batches in
/// flight settle, or a panic): messages not yet handed over are never sent.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub fn run<'py>(
    py: Python<'py>,
    client: &blocking::Client,
    messages: &Bound<'py, PyAny>,
    mut options: CampaignOptions,
    on_progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
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
    // Set when the caller's side fails (the iterable raises, a bad item, a failing callback,
    // Ctrl-C): inputs still queued are dropped unsent, batches in flight settle, and the error
    // carries every result so far — so what went out is never unknown.
    let stop_feeding = Arc::new(AtomicBool::new(false));
    let stop = stop_feeding.clone();
    let mut task = AbortOnDrop(rt.spawn(async move {
        let input = futures_util::stream::poll_fn(move |cx| in_rx.poll_recv(cx))
            .flat_map(futures_util::stream::iter)
            .take_while(move |_| std::future::ready(!stop.load(Ordering::Acquire)));
        let mut results = std::pin::pin!(core.campaign(input, options).ready_chunks(1024));
        while let Some(settled) = results.next().await {
            if ev_tx.send(Event::Results(settled)).is_err() {
                break;
            }
        }
    }));

    let mut settled: Vec<instasent::ItemResult> = Vec::new();
    let mut failure: Option<PyErr> = None;
    let mut handle = |ev: Event, failed: bool| -> PyResult<()> {
        match ev {
            Event::Results(mut batch) => settled.append(&mut batch),
            Event::Progress(p) => {
                if let (Some(cb), false) = (&on_progress, failed) {
                    cb.call1((Progress::from(p),))?;
                }
            }
        }
        Ok(())
    };

    let mut sender = Some(in_tx);
    while let (Some(tx), None) = (&sender, &failure) {
        let mut chunk = Vec::with_capacity(batch);
        let mut exhausted = false;
        while chunk.len() < batch {
            match iter.next().map(|item| item.and_then(|item| message(&item))) {
                Some(Ok(sms)) => chunk.push(sms),
                Some(Err(e)) => {
                    failure = Some(e);
                    break;
                }
                None => {
                    exhausted = true;
                    break;
                }
            }
        }
        if failure.is_some() {
            break;
        }
        let accepted = chunk.is_empty() || py.detach(|| tx.blocking_send(chunk).is_ok());
        while let Ok(ev) = ev_rx.try_recv() {
            if let Err(e) = handle(ev, false) {
                failure = Some(e);
                break;
            }
        }
        if failure.is_none() {
            failure = py.check_signals().err();
        }
        if exhausted || !accepted {
            sender = None;
        }
    }
    if failure.is_some() {
        stop_feeding.store(true, Ordering::Release);
    }
    drop(sender);
    let mut ev_rx = ev_rx;
    loop {
        // The receiver is not `Sync`: it travels into the GIL-free closure and back.
        let (next, rx) = py.detach(move || (ev_rx.recv_timeout(Duration::from_millis(100)), ev_rx));
        ev_rx = rx;
        let step = match next {
            Ok(ev) => handle(ev, failure.is_some()),
            Err(RecvTimeoutError::Timeout) => py.check_signals(),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if let Err(e) = step {
            if failure.is_some() {
                // A second interrupt while the batches in flight settle: stop waiting for them
                // (their outcome is then unknown, as with any interrupted request).
                return Err(e);
            }
            failure = Some(e);
            stop_feeding.store(true, Ordering::Release);
        }
    }
    if let Err(e) = py.detach(|| rt.block_on(&mut task.0)) {
        return Err(invalid(format!("the bulk send stopped unexpectedly: {e}")));
    }
    // Indexes are unique: an unstable sort gives the same order as a stable one, for less.
    settled.sort_unstable_by_key(|r| r.index);
    let results = item_results(py, settled)?;
    match failure {
        None => Ok(results),
        Some(err) => {
            // Best effort: an exception type that refuses attributes keeps its own message.
            let _ = err.value(py).setattr("results", results);
            Err(err)
        }
    }
}
