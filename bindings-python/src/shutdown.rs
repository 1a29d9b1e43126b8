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
//!
//! The gate is one atomic word, not a lock: a lock held by a runtime thread at a `fork()` stays
//! held for good in the child, whose exit (or next call) then waited for ever.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// How long exit waits for threads inside Python: a campaign's batches in flight settle in
/// this time on any sane network; past it the interpreter goes on exiting regardless.
const LONGEST_WAIT: Duration = Duration::from_secs(5);

/// How often exit looks whether the threads inside have left.
const EXIT_POLL: Duration = Duration::from_millis(1);

/// The gate: the process it belongs to (high 32 bits; a forked child starts with none inside
/// and open), whether it is closed (bit 31) and how many threads are inside (the rest).
static GATE: AtomicU64 = AtomicU64::new(0);

const CLOSED: u64 = 1 << 31;
const INSIDE: u64 = CLOSED - 1;

struct Gate {
    closed: bool,
    inside: u64,
}

/// Applies `change` to this process's gate (a parent's reads as open and empty), atomically;
/// returns what `change` returns.
fn update<R>(mut change: impl FnMut(&mut Gate) -> R) -> R {
    let pid = u64::from(std::process::id());
    let mut word = GATE.load(Ordering::Acquire);
    loop {
        let mut gate = decode(word, pid);
        let out = change(&mut gate);
        let new = pid << 32 | if gate.closed { CLOSED } else { 0 } | gate.inside.min(INSIDE);
        match GATE.compare_exchange_weak(word, new, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return out,
            Err(now) => word = now,
        }
    }
}

/// The gate a word stands for in process `pid`: another process's (a parent's) is open and empty.
fn decode(word: u64, pid: u64) -> Gate {
    if word >> 32 == pid {
        Gate {
            closed: word & CLOSED != 0,
            inside: word & INSIDE,
        }
    } else {
        Gate {
            closed: false,
            inside: 0,
        }
    }
}

fn gate() -> Gate {
    decode(GATE.load(Ordering::Acquire), u64::from(std::process::id()))
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
    update(|gate| gate.inside = gate.inside.saturating_sub(times as u64));
}

/// Leave to enter Python from a runtime thread; `None` once the interpreter is exiting.
pub fn enter() -> Option<Inside> {
    let entered = update(|gate| {
        if !gate.closed {
            gate.inside += 1;
        }
        !gate.closed
    });
    if !entered {
        return None;
    }
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
            let back = update(|gate| {
                if !gate.closed {
                    gate.inside += held as u64;
                }
                !gate.closed
            });
            if back {
                return out;
            }
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
        update(|gate| gate.closed = true);
        while gate().inside > 0 && Instant::now() < deadline {
            std::thread::sleep(EXIT_POLL);
        }
    });
}

/// Registers [`close_for_exit`] with `atexit`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let hook = wrap_pyfunction!(close_for_exit, m)?;
    m.py().import("atexit")?.call_method1("register", (hook,))?;
    Ok(())
}
