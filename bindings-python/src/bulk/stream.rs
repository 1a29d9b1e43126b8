//! `Client.campaign` and `AsyncClient.campaign`: the results of a campaign handed out as they
//! settle, in input order, while the feed reads the caller's iterable only as fast as the API
//! answers.

use std::sync::{Arc, Mutex};

use instasent::runtime::StartedIn;
use instasent::{blocking, CampaignOptions};
use pyo3::exceptions::{PyRuntimeError, PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3::{PyTraverseError, PyVisit};

use super::{on_loop, Feed, Stopper};
use crate::error::{invalid, to_py_err};
use crate::types::ItemResult;

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
    /// iteration ends. Inputs read but not yet sent are dropped unsent. Safe to call from another
    /// thread. Does nothing in a forked child, where nothing of the campaign runs.
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

    /// Reads no more input: the messages already sent still settle and are yielded. Safe to
    /// call from another thread. Does nothing in a forked child, where nothing of the campaign
    /// runs.
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
