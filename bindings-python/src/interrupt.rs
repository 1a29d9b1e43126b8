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
    wait(py, call(client.current()))
}

/// Runs `work` on the core runtime and waits for it as [`call`] does.
pub fn wait<T, Fut>(py: Python<'_>, work: Fut) -> PyResult<T>
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
                    return Err(interrupted);
                }
            }
        }
    }
}
