//! The core's log lines as records of Python's `logging.getLogger("instasent")`: a `debug`
//! record per HTTP attempt and an `info` record per retry (`instasent::logging` says what they
//! hold; never the token, a text or a number).
//!
//! Records come from the runtime's threads, and deciding whether one is wanted must not take
//! the GIL: a thread waiting for it at every request would wait for the caller's own thread.
//! So the logger's level is read where the GIL is held anyway (at import, when a client is made
//! and at every call) and kept as `log`'s maximum level, one atomic load per line. A wanted
//! record takes the GIL through the exit gate, so none is handed over once the interpreter has
//! begun to exit. A change to the logging configuration counts from the next call.

use log::{Level, LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::error::IntoPyResult;

static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Python's number for each level; `trace` has none of its own and goes below `DEBUG`.
const LEVELS: [(Level, u8); 5] = [
    (Level::Trace, 5),
    (Level::Debug, 10),
    (Level::Info, 20),
    (Level::Warn, 30),
    (Level::Error, 40),
];

fn python_level(level: Level) -> u8 {
    LEVELS
        .iter()
        .find(|(l, _)| *l == level)
        .map_or(40, |(_, n)| *n)
}

fn logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    LOGGER
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("logging")?
                    .call_method1("getLogger", ("instasent",))?
                    .unbind(),
            )
        })
        .map(|l| l.bind(py))
}

/// Reads the `instasent` logger's level again (it honours `logging.disable` too).
pub fn refresh(py: Python<'_>) {
    let Ok(logger) = logger(py) else {
        return;
    };
    let mut most = LevelFilter::Off;
    for (level, number) in LEVELS {
        let enabled = logger
            .call_method1("isEnabledFor", (number,))
            .and_then(|b| b.is_truthy())
            .unwrap_or(false);
        if enabled {
            most = level.to_level_filter();
            break;
        }
    }
    log::set_max_level(most);
}

/// The core client a call of either Python client runs on (every call takes it here), with the
/// logger's level read again first. Called with the GIL held.
pub fn client_for_call(client: &instasent::blocking::Client) -> PyResult<instasent::Client> {
    Python::attach(refresh);
    client.current().py_err()
}

struct PythonLogging;

impl Log for PythonLogging {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= log::max_level() && instasent::logging::is_ours(metadata.target())
    }

    fn log(&self, record: &Record<'_>) {
        // The HTTP stack's own lines (its `tracing` events become records too) stay out.
        if !self.enabled(record.metadata()) {
            return;
        }
        let level = python_level(record.level());
        let message = record.args().to_string();
        // A failing handler is `logging`'s to report (`Handler.handleError`); a refused gate
        // means the interpreter is exiting, when the line has nowhere to go.
        let _ = crate::shutdown::attach(|py| {
            let logger = logger(py)?;
            if logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
                logger.call_method1("log", (level, "%s", message))?;
            }
            Ok(())
        });
    }

    fn flush(&self) {}
}

/// Hands the core's records to `logging`, at import.
pub fn register(py: Python<'_>) {
    // Only this module sets a `log` logger in this library, so this fails only on a second
    // import of the same library (a reload), which already has it.
    let _ = log::set_boxed_logger(Box::new(PythonLogging));
    refresh(py);
}
