//! Keeps the core runtime's threads out of Python once the interpreter starts to exit.
//!
//! A runtime thread that is inside Python when the interpreter finalizes (answering an
//! `AsyncClient` call through the event loop, reading a campaign's input) gives up the GIL in
//! the middle of some call, and when it asks for it back CPython ends the thread where it
//! stands. The Rust frames above then let go of objects without the GIL, and the process dies
//! of a segfault or "PyGILState_Release: thread state must be current" at exit. So every
//! entry into Python from a runtime thread goes through [`enter`], and an `atexit` hook
//! ([`close_for_exit`]), which runs before finalization, closes the gate and waits, without
//! the GIL, for the threads inside to leave. Work that comes later is dropped: nobody is left
//! to receive it.

use std::cell::Cell;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// How long exit waits for threads inside Python: a campaign's batches in flight settle in
/// this time on any sane network; past it the interpreter goes on exiting regardless.
const LONGEST_WAIT: Duration = Duration::from_secs(5);

struct Gate {
    /// The process these counts belong to: a forked child starts with none inside and open.
    pid: u32,
    inside: usize,
    closed: bool,
}

static GATE: Mutex<Gate> = Mutex::new(Gate {
    pid: 0,
    inside: 0,
    closed: false,
});
static LEFT: Condvar = Condvar::new();

fn gate() -> MutexGuard<'static, Gate> {
    let mut gate = GATE.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    if gate.pid != pid {
        *gate = Gate {
            pid,
            inside: 0,
            closed: false,
        };
    }
    gate
}

thread_local! {
    /// How many times this thread is inside the gate (entries nest).
    static HELD: Cell<usize> = const { Cell::new(0) };
}

/// Held by a runtime thread while it may touch Python.
pub struct Inside(());

impl Drop for Inside {
    fn drop(&mut self) {
        HELD.set(HELD.get().saturating_sub(1));
        leave(1);
    }
}

fn leave(times: usize) {
    let mut gate = gate();
    gate.inside = gate.inside.saturating_sub(times);
    if gate.closed {
        LEFT.notify_all();
    }
}

/// Leave to enter Python from a runtime thread; `None` once the interpreter is exiting.
pub fn enter() -> Option<Inside> {
    let mut gate = gate();
    if gate.closed {
        return None;
    }
    gate.inside += 1;
    HELD.set(HELD.get() + 1);
    Some(Inside(()))
}

/// `py.detach` for a wait that may run inside the gate (a campaign's worker waiting for
/// results): the thread is out of the gate while it waits without the GIL, so exit does not
/// wait for a slow server's answer, and comes back in before it takes the GIL again. Once the
/// interpreter is exiting it never takes it again: it parks for good, as the process ends.
pub fn detach<T, F>(py: Python<'_>, wait: F) -> T
where
    F: Send + FnOnce() -> T,
    T: Send,
{
    let held = HELD.get();
    if held == 0 {
        return py.detach(wait);
    }
    leave(held);
    py.detach(|| {
        let out = wait();
        loop {
            let mut gate = gate();
            if !gate.closed {
                gate.inside += held;
                return out;
            }
            drop(gate);
            std::thread::park();
        }
    })
}

/// Whether the interpreter has started to exit (this process's gate is closed).
pub fn is_closed() -> bool {
    gate().closed
}

/// `Python::attach` for a runtime thread: refused with a RuntimeError once the interpreter is
/// exiting.
pub fn attach<R>(f: impl FnOnce(Python<'_>) -> PyResult<R>) -> PyResult<R> {
    let _inside = enter()
        .ok_or_else(|| PyRuntimeError::new_err("the Python interpreter is shutting down"))?;
    Python::attach(f)
}

/// The `atexit` hook: closes the gate, then waits for the threads inside to leave.
#[pyfunction]
pub fn close_for_exit(py: Python<'_>) {
    py.detach(|| {
        let deadline = Instant::now() + LONGEST_WAIT;
        let mut gate = gate();
        gate.closed = true;
        while gate.inside > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            gate = LEFT
                .wait_timeout(gate, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    });
}

/// Registers [`close_for_exit`] with `atexit`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let hook = wrap_pyfunction!(close_for_exit, m)?;
    m.py().import("atexit")?.call_method1("register", (hook,))?;
    Ok(())
}
