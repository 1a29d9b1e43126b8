//! The bridge that runs the SDK's futures as Python coroutines on the core's one runtime
//! (`instasent::runtime::runtime()`, re-created after a fork) through pyo3-async-runtimes'
//! generic `future_into_py`, and hands their answers to the event loops.

use std::cell::OnceCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use instasent::runtime::PerProcess;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyCFunction;
use pyo3_async_runtimes::generic::{ContextExt, Runtime};
use pyo3_async_runtimes::TaskLocals;

use crate::error::IntoPyResult;
use crate::interrupt::Sending;

/// pyo3-async-runtimes over the core's runtime (not a second one of its own).
struct CoreRuntime;

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

fn core_runtime() -> Arc<tokio::runtime::Runtime> {
    // `future` checks the runtime can start before anything is spawned, so this cannot fail
    // in practice; if it did, pyo3 turns the panic into a Python exception.
    instasent::runtime::runtime().expect("instasent runtime")
}

impl Runtime for CoreRuntime {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    // pyo3-async-runtimes answers the event loop from these tasks: each step goes through the
    // exit gate (`shutdown`), and once the interpreter is exiting the task is dropped instead.
    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let mut fut = Box::pin(fut);
        core_runtime().spawn(std::future::poll_fn(
            move |cx| match crate::shutdown::enter() {
                Some(_inside) => fut.as_mut().poll(cx),
                None => std::task::Poll::Ready(()),
            },
        ))
    }

    // What pyo3-async-runtimes runs here is a finished call's answer, handed to the event loop
    // with the GIL: one thread per process does that, in turn (see `answer`).
    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        let (done, answered) = tokio::sync::oneshot::channel();
        answer(Box::new(move || {
            if let Some(_inside) = crate::shutdown::enter() {
                f();
            }
            let _ = done.send(());
        }));
        core_runtime().spawn(async move {
            let _ = answered.await;
        })
    }
}

type Answer = Box<dyn FnOnce() + Send>;

/// The thread that hands answers to event loops. tokio's blocking pool started a thread for
/// each answer that had to wait for the GIL: an event loop cancelling 1,000 calls at a
/// deadline held the GIL while their answers came in, and the process grew 500 threads. The
/// answers take the GIL one at a time anyway, so one thread loses nothing. Per process: a
/// forked child starts its own. What runs here must not block: a `__del__` the collector
/// happens to run on this thread and that waits (a sync call) holds up every answer meanwhile.
static ANSWERER: PerProcess<std::sync::mpsc::Sender<Answer>> = PerProcess::empty();

fn answer(job: Answer) {
    let answerer = ANSWERER.get_or_make(|| {
        let (sender, answers) = std::sync::mpsc::channel::<Answer>();
        std::thread::Builder::new()
            .name("instasent-answers".into())
            .spawn(move || {
                for job in answers {
                    // A panic in one answer must not leave the rest unanswered.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            })
            .map(|_| sender)
    });
    // Without the thread (the system refused one), the blocking pool does it as before.
    let job = match answerer {
        Ok(sender) => match sender.send(job) {
            Ok(()) => return,
            Err(refused) => refused.0,
        },
        Err(_) => job,
    };
    core_runtime().spawn_blocking(job);
}

impl ContextExt for CoreRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS
            .try_with(|c| c.get().cloned())
            .unwrap_or_default()
    }
}

/// A Rust future as a coroutine, run on the core runtime once awaited.
///
/// A coroutine rather than the `asyncio.Future` pyo3-async-runtimes makes: a Future can only be
/// made inside a running loop, so `asyncio.run(client.account())` and `create_task` (which
/// take coroutines) failed with it, and a Future nobody awaits was never cancelled when its
/// loop closed, so its late answer hit the closed loop. The future is made when the coroutine
/// first runs, in its task; like any coroutine, one never awaited sends nothing.
pub fn future<'py, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<Py<PyAny>>> + Send + 'static,
{
    coroutine(py, fut, None)
}

/// [`future`] for a call that may deliver messages. Cancelled once its request may have gone
/// out (a task cancelled, `asyncio.wait_for` timing out), its `CancelledError` carries the
/// clientIds that make sending again safe, as the sync client's interrupted send does
/// (`interrupt::call_sending`): otherwise a caller who let the SDK draw them could only guess,
/// and a resend under new ones could deliver the messages twice.
pub fn future_sending<'py, F>(
    py: Python<'py>,
    sending: Sending,
    fut: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<Py<PyAny>>> + Send + 'static,
{
    coroutine(py, fut, Some(sending))
}

fn coroutine<'py, F>(
    py: Python<'py>,
    fut: F,
    sending: Option<Sending>,
) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<Py<PyAny>>> + Send + 'static,
{
    instasent::runtime::runtime().py_err()?;
    let pending = std::sync::Mutex::new(Some(fut));
    let start = PyCFunction::new_closure(py, None, None, move |args, _| {
        // Nothing would answer it: the runtime's tasks are dropped once the interpreter exits
        // (an `atexit` hook that runs after ours, a daemon thread's loop).
        if crate::shutdown::is_closed() {
            return Err(PyRuntimeError::new_err(
                "the Python interpreter is shutting down: no new call can be answered",
            ));
        }
        let fut = pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .ok_or_else(|| PyRuntimeError::new_err("cannot reuse already awaited coroutine"))?;
        pyo3_async_runtimes::generic::future_into_py::<CoreRuntime, _, Py<PyAny>>(args.py(), fut)
            .map(Bound::unbind)
    })?;
    let noting = match sending {
        Some(sending) => Some(PyCFunction::new_closure(
            py,
            None,
            None,
            move |args, _| -> PyResult<()> {
                crate::interrupt::note_may_have_been_sent(&args.get_item(0)?, &sending);
                Ok(())
            },
        )?),
        None => None,
    };
    static AWAITING: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    AWAITING
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("instasent._async_input")?
                    .getattr("awaiting")?
                    .unbind(),
            )
        })?
        .bind(py)
        .call1((start, noting))
}
