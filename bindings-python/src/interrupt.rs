//! The sync client's calls, interruptible: Ctrl-C reaches a Python program while one waits.
//!
//! A call that waited inside `py.detach` heard no signal until it returned: with the default
//! timeout and retries, a dead network held a script for three minutes against Ctrl-C. So the
//! call runs on the core's runtime and the calling thread waits for it in short slices, looking
//! for signals in between; a signal's exception abandons the call (its request may have gone
//! out, as with any HTTP call interrupted half-way).

use std::future::Future;
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::time::Duration;

use instasent::{blocking, Client as AsyncClient};
use pyo3::prelude::*;

use crate::error::{invalid, IntoPyResult};

/// How often a waiting call looks for signals: quick for a person, rare for the CPU.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// Runs `call` with the client's async side on the core runtime and waits for its result
/// without the GIL, returning early with the exception of a signal (KeyboardInterrupt).
pub fn call<T, F, Fut>(py: Python<'_>, client: &blocking::Client, call: F) -> PyResult<T>
where
    F: FnOnce(AsyncClient) -> Fut,
    Fut: Future<Output = instasent::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    wait(py, call(crate::logging::client_for_call(client)?))
}

/// The clientIds a call that may deliver messages sends them with: what the exception of one
/// that a signal interrupts, or a cancellation stops, once its request may have gone out names
/// (see [`note_may_have_been_sent`]).
pub enum Sending {
    /// One message (a send, a verification): the exception's `client_id`.
    Message(String),
    /// A bulk request's messages, in input order: the exception's `client_ids`.
    Bulk(Vec<String>),
}

/// As [`call`], for a call that may deliver messages: a signal that abandons it once its
/// request may have gone out leaves a note on the exception (and its `client_id` or
/// `client_ids` attribute) with the clientIds that make sending again safe. Without it, the
/// caller of an interrupted send could only guess, and a resend under new ids could deliver
/// the messages twice.
pub fn call_sending<T, F, Fut>(
    py: Python<'_>,
    client: &blocking::Client,
    sending: Sending,
    call: F,
) -> PyResult<T>
where
    F: FnOnce(AsyncClient) -> Fut,
    Fut: Future<Output = instasent::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    wait_noting(
        py,
        call(crate::logging::client_for_call(client)?),
        Some(&sending),
    )
}

/// Runs `work` on the core runtime and waits for it as [`call`] does.
pub fn wait<T, Fut>(py: Python<'_>, work: Fut) -> PyResult<T>
where
    Fut: Future<Output = instasent::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    wait_noting(py, work, None)
}

fn wait_noting<T, Fut>(py: Python<'_>, work: Fut, sending: Option<&Sending>) -> PyResult<T>
where
    Fut: Future<Output = instasent::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let runtime = instasent::runtime::runtime().py_err()?;
    let task = runtime.spawn(work);
    let abort = task.abort_handle();
    let (done, result) = sync_channel(1);
    // Borrowed by the GIL-free wait, which needs a `Sync` handle to it.
    let result = std::sync::Mutex::new(result);
    runtime.spawn(async move {
        let _ = done.send(task.await);
    });
    loop {
        let waited = py.detach(|| {
            let result = result.lock().unwrap_or_else(|e| e.into_inner());
            result.recv_timeout(SIGNAL_CHECK)
        });
        match waited {
            Ok(Ok(outcome)) => return outcome.py_err(),
            Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                return Err(invalid("the call was stopped before it finished"))
            }
            Err(RecvTimeoutError::Timeout) => {
                if let Err(interrupted) = py.check_signals() {
                    abort.abort();
                    if let Some(sending) = sending {
                        note_may_have_been_sent(interrupted.value(py).as_any(), sending);
                    }
                    return Err(interrupted);
                }
            }
        }
    }
}

/// Notes on the exception of a send interrupted by a signal, or cancelled, that its messages
/// may have gone out, and how to send them again without a second delivery.
pub(crate) fn note_may_have_been_sent(exception: &Bound<'_, PyAny>, sending: &Sending) {
    let note = match sending {
        Sending::Message(client_id) => {
            let _ = exception.setattr("client_id", client_id);
            format!(
                "instasent: the send was interrupted after its request may have gone out, so the \
                 message may have been sent. Its clientId is {client_id:?}: send it again with \
                 client_id={client_id:?} and it cannot be delivered twice."
            )
        }
        Sending::Bulk(client_ids) => {
            let _ = exception.setattr("client_ids", client_ids.clone());
            format!(
                "instasent: the bulk send was interrupted after its request may have gone out, \
                 so its {} messages may have been sent. Their clientIds are the exception's \
                 client_ids, in input order: send them again with those and none can be \
                 delivered twice.",
                client_ids.len()
            )
        }
    };
    // `add_note` is Python 3.11's; on 3.10 the note is kept in `__notes__` all the same.
    if exception.call_method1("add_note", (&note,)).is_err() {
        let _ = exception.setattr("__notes__", vec![note]);
    }
}
