//! Wiring of `instasent campaign`: file rows → `Client::campaign` (resume on, so a re-run
//! counts rows sent before as accepted) → results file, progress, summary, delivery reports.
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
use super::input::{self, Rows, Source};
use super::interrupt::Interrupt;
use super::progress::Progress;
use super::results::ResultsFile;
use super::row::{to_sms, RowDefaults};
use super::summary::{render_deliveries, RowCost, Tally};
use super::template::Template;
use crate::args::CampaignArgs;
use crate::connect::Target;
use crate::fail::{CliResult, Failure};
use crate::output;
use crate::receiver::{Echo, Inbox, Receiver};

/// Every awaited message has a final status (or `unknown`, which the docs do not call final
/// but after which nothing more is expected) and no report came for this long.
const SETTLE_QUIET: Duration = Duration::from_millis(1000);
/// `unknown` is not final (docs: status list), yet it is where a message with code 99 ends.
const SETTLED_STATUS: &str = "unknown";
/// How often the wait for delivery reports counts them. A count walks every awaited id under
/// the tracker's lock, which the receiver takes for every report: counting on every report made
/// the wait quadratic (scripts/demo.sh's 4,960 messages took 4.7–6.0 s to settle; 1.2–1.3 s
/// counting at this pace, 1 s of it `SETTLE_QUIET`).
const RECOUNT_EVERY: Duration = Duration::from_millis(50);
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
    fn settle(&mut self, item: ItemResult, cost: Option<&RowCost>) {
        self.tally.record(&item.outcome, cost);
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
    let own_receiver;
    let inbox: Option<Arc<Inbox>> = match (&target.receiver, args.wait_dlr, args.dlr_listen) {
        (Some(_), _, Some(_)) => {
            return Err(Failure::usage(
                "--dlr-listen is for a real account's webhook: with --sandbox, delivery reports \
                 come back to the CLI on their own",
            ))
        }
        (_, false, _) => None,
        (_, true, Some(addr)) => {
            own_receiver = Receiver::start(addr, Echo::Quiet)
                .await
                .map_err(|e| Failure::run(format!("could not listen on {addr}: {e}")))?;
            output::note(format!(
                "receiving delivery reports on {}",
                own_receiver.url()
            ));
            Some(own_receiver.inbox.clone())
        }
        (Some(r), true, None) => Some(r.inbox.clone()),
        (None, true, None) => {
            return Err(Failure::usage(
                "--wait-dlr needs --dlr-listen ADDR (your account's webhook must reach it) or --sandbox",
            ))
        }
    };

    let source = Source::open(&args.file)?;
    let template = args
        .template
        .as_deref()
        .map(Template::parse)
        .transpose()
        .map_err(|e| Failure::usage(format!("--template: {e}")))?;
    check_columns(&source, template.as_ref(), args.from.is_some())?;
    let total = input::count(&args.file, source.format);

    // Prices only feed the cost estimate; a token without access to them still sends. A wrong
    // token or an API that cannot be reached stops here, before a row is read: each batch
    // would otherwise spend its own retries on it.
    let prices = match target.client.get_sms_price_profile().await {
        Ok(r) => r.body,
        Err(e) if is_fatal(e.kind()) => return Err(e.into()),
        Err(_) => Vec::new(),
    };
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
    let options = CampaignOptions {
        concurrency: args.concurrency.map(usize::from),
        batch_size: usize::from(args.batch_size),
        resume: true,
        // Done while each row is assembled (row::to_sms), before its clientId is derived.
        validate_locally: false,
        ..CampaignOptions::default()
    };

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
            recorder.settle(item, None);
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
        recorder.settle(
            ItemResult {
                index: row,
                outcome: item.outcome,
            },
            cost.as_ref(),
        );
        progress.update(&recorder.tally);
    }
    // Rows the reader settled after the last result came back.
    for item in handoff.take_settled_here() {
        recorder.settle(item, None);
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
    let results = results.map(|r| (r.path().to_path_buf(), r.finish(!read_all)));

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
            "stopped reading {}: {why}; the rows before it were sent: fix what stopped it, then re-run the same command (rows already accepted are not sent twice)",
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

/// What stops a campaign before its first row: nothing would get through.
fn is_fatal(kind: instasent::ErrorKind) -> bool {
    use instasent::ErrorKind::*;
    matches!(kind, Unauthorized | Transport | Timeout)
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

/// A CSV header must name everything the command needs; mistakes here are usage errors,
/// found before anything is sent.
fn check_columns(source: &Source, template: Option<&Template>, has_from: bool) -> CliResult {
    let Some(headers) = source.headers() else {
        return Ok(());
    };
    let has = |name: &str| {
        let wanted = input::normalize(name);
        headers
            .iter()
            .any(|h| h == name || input::normalize(h) == wanted)
    };
    if !has("to") {
        return Err(Failure::usage(format!(
            "{}: no `to` column (columns: {})",
            source.name,
            headers.join(", ")
        )));
    }
    if !has("text") && !has("template") && template.is_none() {
        return Err(Failure::usage(format!(
            "{}: no `text` or `template` column; give the message with --template \"Hola {{name}}\"",
            source.name
        )));
    }
    if !has("from") && !has_from {
        return Err(Failure::usage(format!(
            "{}: no `from` column; give the sender with --from",
            source.name
        )));
    }
    if let Some(t) = template {
        if let Some(missing) = t.columns().find(|c| !has(c)) {
            return Err(Failure::usage(format!(
                "--template uses {{{missing}}} but {} has no such column (columns: {})",
                source.name,
                headers.join(", ")
            )));
        }
    }
    Ok(())
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
            Err(fields) => handoff.settle_here(ItemResult {
                index: row,
                outcome: Outcome::Rejected {
                    client_id: None,
                    stage: RejectStage::Local,
                    fields,
                },
            }),
        }
    })
}

/// Waits until every awaited message has settled (see [`SETTLE_QUIET`]), `limit` passes or
/// Ctrl-C. Returns the seconds waited and whether it was cut short.
async fn await_deliveries(
    inbox: &Inbox,
    ids: &HashSet<String>,
    limit: Duration,
    progress: &mut Progress,
    interrupt: &Interrupt,
) -> (f64, bool) {
    let started = Instant::now();
    let mut recount = tokio::time::interval(RECOUNT_EVERY);
    recount.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_seen = inbox.received();
    let mut last_change = Instant::now();
    loop {
        let (finals, settled, reported) = {
            let tracker = inbox.tracker();
            let mut counts = (0, 0, 0);
            for r in ids.iter().filter_map(|id| tracker.get(id)) {
                counts.2 += 1;
                if r.is_final {
                    counts.0 += 1;
                }
                if r.is_final || r.status.as_str() == SETTLED_STATUS {
                    counts.1 += 1;
                }
            }
            counts
        };
        progress.deliveries(finals, reported, ids.len());
        let received = inbox.received();
        if received != last_seen {
            last_seen = received;
            last_change = Instant::now();
        }
        if finals == ids.len() || (settled == ids.len() && last_change.elapsed() >= SETTLE_QUIET) {
            return (started.elapsed().as_secs_f64(), false);
        }
        if started.elapsed() >= limit {
            return (started.elapsed().as_secs_f64(), true);
        }
        tokio::select! {
            _ = recount.tick() => {}
            _ = interrupt.wait() => return (started.elapsed().as_secs_f64(), true),
        }
    }
}
