//! Wiring of `instasent campaign`: file rows → `Client::campaign` → results file, progress,
//! summary, delivery reports. A clientId the API already had counts as accepted, sent by an
//! earlier run or by this one (see `resume`), so a re-run sends only what has not gone out.
//!
//! Rows are read on a thread of their own and handed over through a channel: a slow pipe
//! (`producer | instasent campaign -`) must not block the runtime that sends what was already
//! read, nor keep Ctrl-C from being heard.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use futures_util::FutureExt;
use instasent::encoding::{analyze, estimate_cost, AnalyzeOptions};
use instasent::{
    CampaignOptions, CountryPrice, FieldErrors, ItemResult, Outcome, RejectStage, SmsRequest,
};

use super::client_id::Assigner;
use super::deliveries::await_deliveries;
use super::input::{Rows, Source};
use super::interrupt::Interrupt;
use super::preflight;
use super::progress::Progress;
use super::results::ResultsFile;
use super::resume::{classify, SentBy};
use super::row::{to_sms, RowDefaults};
use super::summary::{render_deliveries, RowCost, Tally};
use crate::args::CampaignArgs;
use crate::connect::Target;
use crate::fail::{CliResult, Failure};
use crate::output;

/// Messages read ahead of the engine; the engine itself reads a few batches ahead.
const READ_AHEAD: usize = 1024;
/// Results the reader settles itself (rows refused while assembled) that may wait for the
/// result side; past this the reader waits, so a file of unusable rows is not held whole.
const SETTLED_AHEAD: usize = 10_000;

/// What the reader side hands to the result side, keyed by the engine's input index (the
/// engine only sees the rows it sends).
#[derive(Default)]
struct Handoff {
    rows: Mutex<HashMap<u64, (u64, RowCost)>>,
    /// Results of rows that never reach the engine; `settled_here_ready` wakes the result side.
    settled_here: Mutex<Vec<ItemResult>>,
    settled_here_ready: tokio::sync::Notify,
    fatal: Mutex<Option<String>>,
}

impl Handoff {
    /// Called on the reader thread: waits while the result side is behind.
    fn settle_here(&self, item: ItemResult) {
        let waiting = {
            let mut settled = lock(&self.settled_here);
            settled.push(item);
            settled.len()
        };
        self.settled_here_ready.notify_one();
        if waiting >= SETTLED_AHEAD {
            while lock(&self.settled_here).len() >= SETTLED_AHEAD {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }

    fn take_settled_here(&self) -> Vec<ItemResult> {
        std::mem::take(&mut *lock(&self.settled_here))
    }
}

/// Where every result goes: the tally, the ids whose delivery reports are awaited, the results
/// file.
struct Recorder {
    tally: Tally,
    awaited: HashSet<String>,
    await_reports: bool,
    results: Option<ResultsFile>,
    /// Set once a result could not be recorded: reading stops (see `read_on_a_thread`).
    unrecorded: Arc<AtomicBool>,
}

impl Recorder {
    fn settle(&mut self, item: ItemResult, sent_by: SentBy, cost: Option<&RowCost>) {
        self.tally.record(&item.outcome, sent_by, cost);
        if let Outcome::Accepted {
            id: Some(id),
            accepted_earlier: false,
            ..
        } = &item.outcome
        {
            if self.await_reports {
                self.awaited.insert(id.clone());
            }
        }
        if let Some(results) = self.results.as_mut() {
            if !results.write(&item) {
                self.unrecorded.store(true, Ordering::Relaxed);
            }
        }
    }

    fn flush(&mut self) {
        if let Some(results) = self.results.as_mut() {
            if !results.flush() {
                self.unrecorded.store(true, Ordering::Relaxed);
            }
        }
    }
}

pub async fn run(target: &Target, args: CampaignArgs) -> CliResult {
    let template = preflight::template(&args)?;
    preflight::check_delivery_flags(target, &args)?;
    let source = Source::open(&args.file)?;
    preflight::check_columns(&source, template.as_ref(), args.from.is_some())?;
    let total = source.total;
    let csv = source.headers().is_some();
    if total == Some(0) {
        return Err(no_rows(&args, csv));
    }
    let prices = preflight::prices(target).await?;
    let inbox = preflight::delivery_inbox(target, &args).await?;
    // Opened once the API answered: a run that cannot start leaves the previous file alone.
    let results = match &args.results {
        Some(path) => Some(ResultsFile::create(path, &args.file)?),
        None => None,
    };

    let balance_before = balance(target).await;

    let defaults = RowDefaults {
        template,
        from: args.from.clone(),
        unicode: args.unicode,
    };
    let ids = Assigner::new(source.name.clone(), args.run_id.clone());
    let handoff = Arc::new(Handoff::default());
    let interrupt = Interrupt::listen();
    let cut_short = Arc::new(AtomicBool::new(false));
    // Sending goes on only while what was sent can be recorded.
    let unrecorded = Arc::new(AtomicBool::new(false));
    let rows = messages(source.rows, defaults, ids, prices, handoff.clone());
    let messages = read_on_a_thread(
        rows,
        interrupt.clone(),
        unrecorded.clone(),
        cut_short.clone(),
    );
    let mut options = CampaignOptions::default()
        .batch_size(usize::from(args.batch_size))
        // Off, so that a clientId used before this run stays apart from one this run's own
        // retry found used (see `resume`).
        .resume(false)
        // Done while each row is assembled (row::to_sms), before its clientId is derived.
        .validate_locally(false);
    options.concurrency = args.concurrency.map(usize::from);

    let started = Instant::now();
    let mut progress = Progress::new(total);
    let mut recorder = Recorder {
        tally: Tally::default(),
        awaited: HashSet::new(),
        await_reports: inbox.is_some(),
        results,
        unrecorded: unrecorded.clone(),
    };

    enum Event {
        Settled(Option<ItemResult>),
        SettledHere,
        Interrupted,
    }
    let mut stream = std::pin::pin!(target.client.campaign(messages, options)?);
    let mut told = false;
    loop {
        let event = match stream.next().now_or_never() {
            Some(next) => Event::Settled(next),
            None => {
                // Nothing waiting: what was written goes to the file now, so a kill or a second
                // Ctrl-C loses no result already handled.
                recorder.flush();
                // `next` is cancel-safe: losing this race loses no result.
                tokio::select! {
                    next = stream.next() => Event::Settled(next),
                    _ = handoff.settled_here_ready.notified() => Event::SettledHere,
                    _ = interrupt.wait(), if !told => Event::Interrupted,
                }
            }
        };
        let next = match event {
            Event::Interrupted => {
                told = true;
                progress.note(
                    "interrupted: no more rows are read; the requests in flight finish and \
                     are recorded (Ctrl-C again to quit at once)",
                );
                continue;
            }
            Event::SettledHere => None,
            Event::Settled(next) => Some(next),
        };
        for item in handoff.take_settled_here() {
            recorder.settle(item, SentBy::ThisRun, None);
        }
        let Some(next) = next else {
            progress.update(&recorder.tally);
            continue;
        };
        let Some(item) = next else { break };
        let (row, cost) = lock(&handoff.rows)
            .remove(&item.index)
            .map(|(row, cost)| (row, Some(cost)))
            .unwrap_or((item.index, None));
        let (outcome, sent_by) = classify(item.outcome);
        recorder.settle(ItemResult::new(row, outcome), sent_by, cost.as_ref());
        progress.update(&recorder.tally);
    }
    // Rows the reader settled after the last result came back.
    for item in handoff.take_settled_here() {
        recorder.settle(item, SentBy::ThisRun, None);
    }
    let Recorder {
        tally,
        awaited,
        results,
        ..
    } = recorder;
    progress.finish_sending(&tally);
    let send_secs = started.elapsed().as_secs_f64();
    let read_all = !cut_short.load(Ordering::Relaxed) && lock(&handoff.fatal).is_none();
    // An input that turned out empty is no campaign: the earlier lines stay, as when cut short.
    let complete = read_all && tally.rows > 0;
    let results = results.map(|r| (r.path().to_path_buf(), r.finish(!complete)));

    let balance_after = match balance_before {
        Some(_) => balance(target).await,
        None => None,
    };

    let mut wait_interrupted = false;
    let deliveries = match &inbox {
        Some(inbox) if !awaited.is_empty() => {
            let (secs, cut) = await_deliveries(
                inbox,
                &awaited,
                Duration::from_secs(args.dlr_timeout),
                &mut progress,
                &interrupt,
            )
            .await;
            wait_interrupted = cut && interrupt.requested();
            Some(render_deliveries(&inbox.tracker(), &awaited, secs, cut))
        }
        _ => None,
    };
    progress.finish();

    // Written whole or not at all: a closed stdout ends the process quietly (the results
    // file is complete by now).
    output::print(&tally.render(&args.file.display().to_string(), send_secs))?;
    if let (Some((before, currency)), Some((after, _))) = (&balance_before, &balance_after) {
        output::print_line(format!(
            "  balance    {before:.4} -> {after:.4} {currency} (charged {:.4})",
            before - after
        ))?;
    }
    if let Some(d) = deliveries {
        output::print(&d)?;
    }
    if let Some((path, written)) = results {
        match written {
            Ok(()) => output::print_line(format!(
                "results    {} (one JSON line per row, completion order, with its index)",
                path.display()
            ))?,
            Err(e) => {
                return Err(Failure::run(format!(
                    "could not write {}: {e}; reading stopped there, what was written is in \
                     {}.partial; re-run the same command to go on (rows already accepted are \
                     not sent twice)",
                    path.display(),
                    path.display()
                )))
            }
        }
    }
    if let Some(why) = lock(&handoff.fatal).take() {
        return Err(Failure::run(format!(
            "stopped reading {}: {why}; that row and the ones after it were not sent, the rows \
             before it were: fix what stopped it, then re-run the same command (rows already \
             accepted are not sent twice)",
            args.file.display()
        )));
    }
    if cut_short.load(Ordering::Relaxed) {
        let unread = total.map_or(String::new(), |n| {
            format!(
                "{} of {n} rows were not read; ",
                n.saturating_sub(tally.rows)
            )
        });
        return Err(Failure::Interrupted(format!(
            "interrupted: {unread}every row read was sent and recorded; re-run the same command to send the rest (rows already accepted are not sent twice)"
        )));
    }
    if wait_interrupted {
        return Err(Failure::Interrupted(
            "interrupted while waiting for delivery reports; every row was sent".into(),
        ));
    }
    if tally.rows == 0 {
        return Err(no_rows(&args, csv));
    }
    if tally.failed > 0 {
        return Err(Failure::run(format!(
            "{} messages were not sent; re-run the same command to send them (rows already accepted are not sent twice)",
            tally.failed
        )));
    }
    if tally.accepted == 0 && tally.rejected() > 0 {
        return Err(Failure::run(format!(
            "no message was accepted: all {} rows were rejected (reasons above)",
            tally.rejected()
        )));
    }
    Ok(())
}

/// An input without a single row: most likely the wrong file, or an export that kept only its
/// header. A usage error (exit 2) rather than a failure to send: re-running cannot help.
fn no_rows(args: &CampaignArgs, csv: bool) -> Failure {
    let what = if csv {
        "no rows below its header"
    } else {
        "no rows"
    };
    Failure::usage(format!(
        "{} has {what}: nothing to send",
        args.file.display()
    ))
}

/// The rows as a stream, read on a thread of their own (see the module's comment). Reading
/// stops, and `cut_short` says so, at Ctrl-C or once a result could not be recorded; Ctrl-C
/// also ends the stream while the thread waits on a slow input.
fn read_on_a_thread(
    rows: impl Iterator<Item = SmsRequest> + Send + 'static,
    interrupt: Interrupt,
    unrecorded: Arc<AtomicBool>,
    cut_short: Arc<AtomicBool>,
) -> impl futures_util::Stream<Item = SmsRequest> + Send + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel(READ_AHEAD);
    let stop = {
        let (interrupt, unrecorded) = (interrupt.clone(), unrecorded.clone());
        move || interrupt.requested() || unrecorded.load(Ordering::Relaxed)
    };
    let reader_stop = stop.clone();
    let reader_cut = cut_short.clone();
    std::thread::Builder::new()
        .name("campaign-reader".into())
        .spawn(move || {
            for sms in rows {
                if reader_stop() {
                    reader_cut.store(true, Ordering::Relaxed);
                    return;
                }
                if tx.blocking_send(sms).is_err() {
                    return;
                }
            }
        })
        .expect("a thread to read the campaign's rows");
    stream::unfold(rx, move |mut rx| {
        let (interrupt, stop, cut) = (interrupt.clone(), stop.clone(), cut_short.clone());
        async move {
            let ended = || {
                cut.store(true, Ordering::Relaxed);
                None
            };
            if stop() {
                return ended();
            }
            tokio::select! {
                biased;
                _ = interrupt.wait() => ended(),
                sms = rx.recv() => sms.map(|sms| (sms, rx)),
            }
        }
    })
}

/// The available balance, to show what the run was charged; `None` when it cannot be read.
async fn balance(target: &Target) -> Option<(f64, String)> {
    let account = target.client.get_account_balance().await.ok()?.body;
    Some((account.available, account.currency))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The rows as the engine's input: unusable rows are settled here as local rejections and
/// skipped; every other row leaves its file position and cost in the handoff.
fn messages(
    rows: Rows,
    defaults: RowDefaults,
    mut ids: Assigner,
    prices: Vec<CountryPrice>,
    handoff: Arc<Handoff>,
) -> impl Iterator<Item = SmsRequest> + Send + 'static {
    let mut rows = rows;
    let mut row_index = 0u64;
    let mut engine_index = 0u64;
    std::iter::from_fn(move || loop {
        let Some(read) = rows.next() else {
            if let Some(fatal) = rows.fatal.take() {
                *lock(&handoff.fatal) = Some(fatal);
            }
            return None;
        };
        let row = row_index;
        row_index += 1;
        let sms = read
            .map_err(|why| FieldErrors::from([("row".to_string(), vec![why])]))
            .and_then(|record| to_sms(row, &record, &defaults, &mut ids));
        match sms {
            Ok(sms) => {
                let analysis = analyze(&sms.text, &AnalyzeOptions::default());
                let price =
                    estimate_cost(&analysis, &sms.to, &prices).map(|c| (c.total, c.currency));
                let cost = RowCost {
                    encoding: analysis.encoding,
                    segments: analysis.segments,
                    price,
                };
                lock(&handoff.rows).insert(engine_index, (row, cost));
                engine_index += 1;
                return Some(sms);
            }
            Err(fields) => handoff.settle_here(ItemResult::new(
                row,
                Outcome::Rejected {
                    client_id: None,
                    stage: RejectStage::Local,
                    fields,
                },
            )),
        }
    })
}
