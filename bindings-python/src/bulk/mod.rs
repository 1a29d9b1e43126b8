//! `send_bulk` and `campaign` of `Client` and `AsyncClient`: a Python iterable fed to the
//! core's campaign engine, results collected or streamed in input order.

use std::sync::Arc;
use std::time::Duration;

use instasent::{blocking, CampaignOptions};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyIterator, PyList};

use crate::convert::message;
use crate::error::{invalid, to_py_err, IntoPyResult};
use crate::types::{item_results, Message, Progress};

mod stream;

pub use stream::{AsyncCampaign, Campaign};

/// Campaign options from the keyword arguments, refused at the call when the core would
/// refuse them (`CampaignOptions::check`).
pub fn options(
    concurrency: Option<usize>,
    batch_size: usize,
    resume: bool,
    validate: bool,
) -> PyResult<CampaignOptions> {
    let mut options = CampaignOptions::default()
        .batch_size(batch_size)
        .validate_locally(validate)
        .resume(resume);
    options.concurrency = concurrency;
    options.check().py_err()?;
    Ok(options)
}

/// A campaign running on the core's runtime (`instasent::bulk::Feed`), fed from a Python
/// iterable in the caller's thread (reading it needs the GIL) one batch at a time; while the
/// engine's queue is full the caller waits with the GIL released. Results come back in input
/// order and the progress with them, both handled in the caller's thread, so user code never
/// runs on the runtime's threads. Shared by `send_bulk` (which collects) and `campaign` (which
/// streams).
///
/// The caller's side failing (the iterable raises, a bad item, a failing callback, Ctrl-C)
/// stops the reading: inputs still queued are dropped unsent, the batches in flight settle
/// and their results are still delivered, and the error is kept for the end — so what went
/// out is never unknown.
struct Feed {
    /// None once the cycle collector has cleared it (see `Campaign::__clear__`).
    input: Option<Py<PyIterator>>,
    batch: usize,
    /// Shared with the campaign's [`Stopper`].
    campaign: Arc<instasent::bulk::Feed>,
    /// The input is still read: not yet exhausted, failed or stopped.
    feeding: bool,
    /// Every result has been handed out.
    over: bool,
    on_progress: Option<Py<PyAny>>,
    /// Bulk requests answered as of the last `on_progress` call.
    reported: u64,
    failure: Option<PyErr>,
    /// A part-filled batch was just pushed because the input had nothing ready: its results
    /// are waited for once before the input is read again (the reader would wait out its idle
    /// time first, and hand the results out 100 ms late).
    paused_push: bool,
    /// `instasent._async_input.PAUSE`, when the input is an async iterable's `BlockingReader`:
    /// yielded where the input had nothing ready, it pushes the part-filled batch held (the
    /// core lingers before sending it, merging what is pushed meanwhile).
    pause: Option<Py<PyAny>>,
}

impl Feed {
    fn start(
        client: &blocking::Client,
        messages: &Bound<'_, PyAny>,
        options: CampaignOptions,
        on_progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Feed> {
        let on_progress = progress_callback(on_progress, false)?;
        let input = crate::convert::message_iter(messages)?.unbind();
        let batch = options.batch_size;
        let campaign = Arc::new(
            instasent::bulk::Feed::start(crate::logging::client_for_call(client)?, options)
                .py_err()?,
        );
        Ok(Feed {
            input: Some(input),
            batch,
            campaign,
            feeding: true,
            over: false,
            on_progress: on_progress.map(Bound::unbind),
            reported: 0,
            failure: None,
            paused_push: false,
            pause: None,
        })
    }

    /// Stops reading input; what is in flight still settles and is delivered.
    fn stop(&mut self) {
        self.feeding = false;
        self.campaign.stop();
        self.close_reader();
    }

    /// An async iterable's reader (`_async_input.BlockingReader`) keeps a task on the event
    /// loop awaiting the source's next item. Once nothing more is read, that task is cancelled
    /// and the source closed: left running, it would take the next item of a queue and drop
    /// it. Other inputs are left as they are.
    fn close_reader(&self) {
        let Some(input) = &self.input else {
            return;
        };
        let _ = crate::shutdown::attach(|py| {
            // Also called from a drop, which may run while an exception is on its way out (the
            // one that left the `async for`): running Python code here must not lose it.
            let on_its_way = PyErr::take(py);
            let input = input.bind(py);
            if let Ok(close) = input.getattr(pyo3::intern!(py, "_instasent_close")) {
                let _ = close.call0();
            }
            if let Some(e) = on_its_way {
                e.restore(py);
            }
            Ok(())
        });
    }

    fn stopper(&self) -> Stopper {
        Stopper(self.campaign.clone())
    }

    fn fail(&mut self, e: PyErr) {
        if self.failure.is_none() {
            self.failure = Some(e);
        }
        self.stop();
    }

    /// Feeds input until some results have settled and returns them (in input order), or None
    /// once the campaign is over. Err only when waiting is interrupted a second time: the
    /// batches in flight are then abandoned, as with any interrupted request.
    fn next_settled(&mut self, py: Python<'_>) -> PyResult<Option<Vec<instasent::ItemResult>>> {
        loop {
            if self.over {
                return Ok(None);
            }
            // Read and drained by this one thread: input is read only while the feed has room
            // for it, else the results it waits for are awaited.
            let feed =
                self.feeding && self.campaign.has_room() && !std::mem::take(&mut self.paused_push);
            let settled = if feed {
                self.campaign.take_ready()
            } else {
                let campaign = &self.campaign;
                crate::shutdown::detach(py, || campaign.next_blocking(Duration::from_millis(100)))
            }
            .py_err()?;
            self.over = settled.done;
            self.report(py, &settled.progress);
            if !settled.results.is_empty() {
                return Ok(Some(settled.results));
            }
            if feed {
                self.feed_one_batch(py);
            } else if !self.over {
                if let Err(e) = py.check_signals() {
                    if self.failure.is_some() {
                        return Err(e);
                    }
                    self.fail(e);
                }
            }
        }
    }

    fn report(&mut self, py: Python<'_>, progress: &instasent::Progress) {
        if progress.requests == self.reported {
            return;
        }
        self.reported = progress.requests;
        if let (Some(cb), None) = (&self.on_progress, &self.failure) {
            if let Err(e) = cb.bind(py).call1((Progress::from(*progress),)) {
                self.fail(e);
            }
        }
    }

    /// Reads up to one batch from the iterable and hands it over, waiting (without the GIL)
    /// while the engine has as much queued as it has requests in flight. A pause from an async
    /// input (its reader had nothing ready) ends the batch early; with nothing read it hands
    /// nothing over, and the caller takes the results that settled meanwhile.
    fn feed_one_batch(&mut self, py: Python<'_>) {
        let Some(input) = &self.input else {
            return self.stop();
        };
        let mut input = input.bind(py).clone();
        let pause = self.pause.as_ref().map(|p| p.bind(py));
        let mut chunk = Vec::with_capacity(self.batch);
        // A bad message is named by the index its result would have had.
        let first = self.campaign.pushed();
        let mut exhausted = false;
        while chunk.len() < self.batch {
            match input.next() {
                Some(Ok(item)) if pause.is_some_and(|p| item.is(p)) => {
                    if chunk.is_empty() {
                        return;
                    }
                    self.paused_push = true;
                    break;
                }
                Some(Ok(item)) => match message(&item, first + chunk.len() as u64) {
                    Ok(sms) => chunk.push(sms),
                    Err(e) => return self.fail(e),
                },
                Some(Err(e)) => return self.fail(e),
                None => {
                    exhausted = true;
                    break;
                }
            }
        }
        let campaign = &self.campaign;
        let taken = match crate::shutdown::detach(py, || campaign.push_blocking(chunk)) {
            Ok(taken) => taken,
            Err(e) => return self.fail(to_py_err(e)),
        };
        if let Err(e) = py.check_signals() {
            return self.fail(e);
        }
        if exhausted || !taken {
            self.feeding = false;
            self.campaign.end();
            if !taken {
                // Stopped from outside (`AsyncCampaign.stop()`).
                self.close_reader();
            }
        }
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        // Left early (a streamed campaign abandoned, a panic): nothing more is sent.
        self.stop();
    }
}

/// Stops a campaign without its lock, which the worker thread of an async campaign holds while
/// it waits for the event loop (to run `on_progress`, to read an async iterable): stopping from
/// the loop must not wait for that worker. The core's feed takes no more input at once; the
/// thread reading the input finds it closed at its next push.
#[derive(Clone)]
struct Stopper(Arc<instasent::bulk::Feed>);

impl Stopper {
    fn stop(&self) {
        self.0.stop();
    }
}

/// `Client.send_bulk`: every result, in input order.
pub fn run<'py>(
    py: Python<'py>,
    client: &blocking::Client,
    messages: &Bound<'py, PyAny>,
    options: CampaignOptions,
    on_progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    collect(py, Feed::start(client, messages, options, on_progress)?)
}

/// `AsyncClient.send_bulk`: [`run`] on a worker thread of the core's runtime. The messages are
/// read and checked up front, in the calling thread, so a bad one is refused before anything is
/// sent; `on_progress` runs on the event loop ([`on_loop`]), and what it raises stops the
/// campaign as in `run`. Cancelling the awaitable stops it too: the batches in flight settle
/// unreported.
pub fn run_async<'py>(
    py: Python<'py>,
    client: &blocking::Client,
    messages: &Bound<'py, PyAny>,
    options: CampaignOptions,
    on_progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let checked = crate::client::messages_of(messages)?;
    let messages = PyList::new(py, checked.into_iter().map(|inner| Message { inner }))?;
    let on_progress = on_loop(py, on_progress)?;
    let feed = Feed::start(client, messages.as_any(), options, on_progress)?;
    let stopper = feed.stopper();
    crate::aio::future(py, async move {
        // Dropped with this future: before the campaign is over only when the awaitable was
        // cancelled, and then nothing more is sent.
        let _stop_when_dropped = StopOnDrop(stopper);
        tokio::task::spawn_blocking(move || {
            crate::shutdown::attach(|py| Ok(collect(py, feed)?.into_any().unbind()))
        })
        .await
        .unwrap_or_else(|e| Err(invalid(format!("the campaign stopped unexpectedly: {e}"))))
    })
}

struct StopOnDrop(Stopper);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// `on_progress` of an async campaign, called by the worker thread that feeds it: run on the
/// event loop it was given on, and waited for, so that what it raises reaches the campaign.
fn on_loop<'py>(
    py: Python<'py>,
    cb: Option<Bound<'py, PyAny>>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Some(cb) = progress_callback(cb, true)? else {
        return Ok(None);
    };
    let event_loop = pyo3_async_runtimes::get_running_loop(py)?;
    py.import("instasent._async_input")?
        .getattr("OnLoop")?
        .call1((cb, event_loop))
        .map(Some)
}

/// `on_progress` checked when the call is made: found out at the first progress report, a
/// mistake came after messages had gone out. An `async def` one is awaited only where there is
/// a loop to await it on (`AsyncClient`).
fn progress_callback<'py>(
    cb: Option<Bound<'py, PyAny>>,
    awaited: bool,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Some(cb) = cb.filter(|cb| !cb.is_none()) else {
        return Ok(None);
    };
    if !cb.is_callable() {
        return Err(PyTypeError::new_err(format!(
            "on_progress must be callable, not {}",
            cb.get_type().name()?
        )));
    }
    let is_async = cb
        .py()
        .import("inspect")?
        .call_method1("iscoroutinefunction", (&cb,))?
        .is_truthy()?;
    if is_async && !awaited {
        return Err(PyTypeError::new_err(
            "on_progress is an async function, which Client would call without awaiting: pass a \
             plain function, or use AsyncClient",
        ));
    }
    Ok(Some(cb))
}

/// Every result of `feed`, in input order; the caller-side failure, if any, with them as its
/// `results`.
fn collect(py: Python<'_>, mut feed: Feed) -> PyResult<Bound<'_, PyList>> {
    let mut settled: Vec<instasent::ItemResult> = Vec::new();
    while let Some(mut more) = feed.next_settled(py)? {
        settled.append(&mut more);
    }
    let results = item_results(py, instasent::bulk::in_input_order(settled))?;
    match feed.failure.take() {
        None => Ok(results),
        Some(err) => {
            // Best effort: an exception type that refuses attributes keeps its own message.
            let _ = err.value(py).setattr("results", results);
            Err(err)
        }
    }
}
