//! `send_bulk` and `campaign` of `Client` and `AsyncClient`: a Python iterable fed to the
//! core's campaign engine, results collected or streamed in input order.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use instasent::runtime::StartedIn;
use instasent::{blocking, CampaignOptions};
use pyo3::exceptions::{PyRuntimeError, PyStopAsyncIteration, PyStopIteration, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyIterator, PyList};
use pyo3::{PyTraverseError, PyVisit};

use crate::convert::message;
use crate::error::{invalid, to_py_err, IntoPyResult};
use crate::types::{item_results, ItemResult, Message, Progress};

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
                Some(Ok(item)) => match message(&item) {
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

/// `Client.campaign`: an iterator of `ItemResult`s in input order, each with its
/// input `index`. Memory stays flat however many messages go through: inputs are read only
/// as fast as the API answers, and results are handed out as they come.
#[pyclass(module = "instasent")]
pub struct Campaign {
    /// Checked before the lock: one of the parent's threads may have held it at a fork.
    started_in: StartedIn,
    /// Outside the lock, which the iterating thread holds: `stop()` comes from another thread.
    stopper: Stopper,
    state: Mutex<CampaignState>,
}

struct CampaignState {
    feed: Feed,
    ready: std::vec::IntoIter<instasent::ItemResult>,
}

impl CampaignState {
    fn start(
        client: &blocking::Client,
        messages: &Bound<'_, PyAny>,
        options: CampaignOptions,
        on_progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<CampaignState> {
        Ok(CampaignState {
            feed: Feed::start(client, messages, options, on_progress)?,
            ready: Vec::new().into_iter(),
        })
    }

    /// The next result; None at the end, or the caller-side failure once every result of
    /// what was sent has been handed out.
    fn next_result(&mut self, py: Python<'_>) -> PyResult<Option<instasent::ItemResult>> {
        self.fill(py)?;
        self.take()
    }

    /// Feeds and waits until a result is ready or the campaign is over; takes none.
    fn fill(&mut self, py: Python<'_>) -> PyResult<()> {
        while self.ready.as_slice().is_empty() {
            match self.feed.next_settled(py)? {
                Some(settled) => self.ready = settled.into_iter(),
                None => break,
            }
        }
        Ok(())
    }

    /// The next ready result; once none is left (after [`fill`](Self::fill) found the campaign
    /// over), None at the end or the caller-side failure.
    fn take(&mut self) -> PyResult<Option<instasent::ItemResult>> {
        match self.ready.next() {
            Some(r) => Ok(Some(r)),
            None => self.feed.failure.take().map_or(Ok(None), Err),
        }
    }

    fn traverse(&self, visit: &PyVisit<'_>) -> Result<(), PyTraverseError> {
        if let Some(input) = &self.feed.input {
            visit.call(input)?;
        }
        if let Some(cb) = &self.feed.on_progress {
            visit.call(cb)?;
        }
        Ok(())
    }

    fn clear(&mut self) {
        self.feed.stop();
        self.feed.input = None;
        self.feed.on_progress = None;
    }
}

impl Campaign {
    pub fn start(
        client: &blocking::Client,
        messages: &Bound<'_, PyAny>,
        options: CampaignOptions,
        on_progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Campaign> {
        let state = CampaignState::start(client, messages, options, on_progress)?;
        Ok(Campaign {
            started_in: StartedIn::this_process(),
            stopper: state.feed.stopper(),
            state: Mutex::new(state),
        })
    }

    fn state(&self) -> PyResult<std::sync::MutexGuard<'_, CampaignState>> {
        // Re-entered from its own input iterable or callback, or used from two threads; or, in
        // a forked child, held by a thread of the parent at the fork.
        self.state
            .try_lock()
            .map_err(|_| match self.started_in.check() {
                Err(forked) => to_py_err(forked),
                Ok(()) => PyRuntimeError::new_err("this campaign is already being iterated"),
            })
    }
}

#[pymethods]
impl Campaign {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<ItemResult>> {
        Ok(self.state()?.next_result(py)?.map(ItemResult::new))
    }

    /// The input and the callback are Python objects that may refer back to this campaign
    /// (a generator that holds it): visited, so that such a cycle is collected.
    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        // Locked: being iterated, so reachable from a running frame anyway.
        match self.state.try_lock() {
            Ok(state) => state.traverse(&visit),
            Err(_) => Ok(()),
        }
    }

    fn __clear__(&mut self) {
        self.state
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Reads no more input: the messages already sent still settle and are yielded, then the
    /// iteration ends. Inputs read but not yet sent are dropped unsent.
    /// Does nothing in a forked child, where nothing of the campaign runs.
    fn stop(&self) {
        if self.started_in.check().is_err() {
            return;
        }
        self.stopper.stop();
    }
}

/// `AsyncClient.campaign`: `Client.campaign` for `async for`. The iterable is read, and the
/// settling waited for, on a worker thread of the core's runtime, so the event loop never
/// blocks; `on_progress` runs on the event loop, and what it raises stops the campaign as in
/// `Campaign`. Results already settled are handed out without a trip through the loop.
#[pyclass(module = "instasent")]
pub struct AsyncCampaign {
    /// Checked before the lock: one of the parent's threads may have held it at a fork.
    started_in: StartedIn,
    /// Outside the lock, which a worker holds while it waits for the event loop.
    stopper: Stopper,
    state: Arc<Mutex<CampaignState>>,
}

impl AsyncCampaign {
    pub fn start(
        py: Python<'_>,
        client: &blocking::Client,
        messages: &Bound<'_, PyAny>,
        options: CampaignOptions,
        on_progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<AsyncCampaign> {
        let on_progress = on_loop(py, on_progress)?;
        // An async iterable is read through the event loop, a batch per trip, by the worker
        // thread that reads the input; a batch part-filled when the input has nothing ready
        // goes after the core's linger, as in the core's own campaign stream.
        let (messages, pause) =
            if !messages.hasattr("__iter__")? && messages.hasattr("__aiter__")? {
                let event_loop = pyo3_async_runtimes::get_running_loop(py)?;
                let module = py.import("instasent._async_input")?;
                let reader = module.getattr("BlockingReader")?.call1((
                    messages,
                    event_loop,
                    options.batch_size,
                ))?;
                (reader, Some(module.getattr("PAUSE")?.unbind()))
            } else {
                (messages.clone(), None)
            };
        let mut state = CampaignState::start(client, &messages, options, on_progress)?;
        state.feed.pause = pause;
        Ok(AsyncCampaign {
            started_in: StartedIn::this_process(),
            stopper: state.feed.stopper(),
            state: Arc::new(Mutex::new(state)),
        })
    }
}

#[pymethods]
impl AsyncCampaign {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Ok(mut state) = self.state.try_lock() {
            if let Some(r) = state.ready.next() {
                let result = Py::new(py, ItemResult::new(r))?.into_any();
                return Ok(Bound::new(py, Ready(Some(result)))?.into_any());
            }
        }
        // Before waiting for the lock, which a thread of the parent may have held at a fork.
        self.started_in.check().map_err(to_py_err)?;
        let state = self.state.clone();
        crate::aio::future(py, async move {
            // The worker only waits for a result to be ready; it is taken here, where the
            // awaiting coroutine still is. A coroutine cancelled meanwhile (`wait_for` timing out
            // on an idle queue) takes nothing, and the result waits for the next `__anext__`:
            // taken by the worker, it was lost with the cancelled coroutine.
            let waiter = state.clone();
            let filled = tokio::task::spawn_blocking(move || {
                // Locked before attaching: a second `__anext__` waits here without the GIL,
                // which the first needs back between its waits.
                let mut state = waiter.lock().unwrap_or_else(|e| e.into_inner());
                crate::shutdown::attach(|py| state.fill(py))
            })
            .await;
            filled.unwrap_or_else(|e| {
                Err(invalid(format!("the campaign stopped unexpectedly: {e}")))
            })?;
            let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
            Python::attach(|py| match state.take()? {
                Some(r) => Ok(Py::new(py, ItemResult::new(r))?.into_any()),
                None => Err(PyStopAsyncIteration::new_err(())),
            })
        })
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        match self.state.try_lock() {
            Ok(state) => state.traverse(&visit),
            Err(_) => Ok(()),
        }
    }

    fn __clear__(&mut self) {
        // Never waits with the GIL held: a worker holding the lock needs it back. Locked
        // means being iterated, so not garbage.
        if let Ok(mut state) = self.state.try_lock() {
            state.clear();
        }
    }

    /// Reads no more input: the messages already sent still settle and are yielded.
    /// Does nothing in a forked child, where nothing of the campaign runs.
    fn stop(&self) {
        if self.started_in.check().is_err() {
            return;
        }
        self.stopper.stop();
    }
}

/// An awaitable whose value is already there: `await` takes it without suspending.
#[pyclass(module = "instasent")]
struct Ready(Option<Py<PyAny>>);

#[pymethods]
impl Ready {
    fn __await__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self) -> PyResult<()> {
        Err(PyStopIteration::new_err((self.0.take(),)))
    }
}
