//! The one place where a core [`instasent::Error`] becomes a Python exception.
//!
//! Every class derives from `instasent.InstasentError`; a few also derive from the builtin a
//! Python caller would already catch (`ValueError` for bad arguments and rejected fields,
//! `TimeoutError` for timeouts, `ConnectionError` for transport failures). The classes are
//! built once at import with `type(...)`, because `create_exception!` takes a single base.

use instasent::{Error, ErrorKind};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

/// `(kind, Python class name, extra builtin base)`, in `ErrorKind::ALL` order.
const CLASSES: [(ErrorKind, &str, Option<&str>); 12] = [
    (ErrorKind::Validation, "ValidationError", Some("ValueError")),
    (ErrorKind::Unauthorized, "AuthenticationError", None),
    (ErrorKind::PaymentRequired, "PaymentRequiredError", None),
    (ErrorKind::NotFound, "NotFoundError", None),
    (ErrorKind::PayloadTooLarge, "PayloadTooLargeError", None),
    (ErrorKind::RateLimited, "RateLimitedError", None),
    (ErrorKind::Server, "ServerError", None),
    (
        ErrorKind::Timeout,
        "InstasentTimeoutError",
        Some("TimeoutError"),
    ),
    (
        ErrorKind::Transport,
        "TransportError",
        Some("ConnectionError"),
    ),
    (ErrorKind::Decode, "DecodeError", Some("ValueError")),
    (
        ErrorKind::InvalidArgument,
        "InvalidArgumentError",
        Some("ValueError"),
    ),
    (ErrorKind::AmbiguousOutcome, "AmbiguousOutcomeError", None),
];

struct Classes {
    base: Py<PyType>,
    by_kind: Vec<(ErrorKind, Py<PyType>)>,
}

static CLASSES_CELL: PyOnceLock<Classes> = PyOnceLock::new();

fn make_class<'py>(
    py: Python<'py>,
    name: &str,
    bases: Vec<Bound<'py, PyAny>>,
    doc: &str,
    attributes: &[(&str, Bound<'py, PyAny>)],
) -> PyResult<Bound<'py, PyType>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "instasent")?;
    namespace.set_item("__doc__", doc)?;
    for (name, value) in attributes {
        namespace.set_item(name, value)?;
    }
    let class = py
        .get_type::<PyType>()
        .call1((name, PyTuple::new(py, bases)?, namespace))?;
    Ok(class.cast_into::<PyType>()?)
}

/// `message` of an error built by hand: the text it was built with (`str` of its first
/// argument), else "". A `functools.cached_property`, which is not a data descriptor, so
/// `build`'s `setattr` puts the SDK's own message on the instance, where it comes first.
fn hand_built_message(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    py.import("functools")?
        .getattr("cached_property")?
        .call1((wrap_pyfunction!(message, py)?,))
}

/// The text the error was built with.
#[pyfunction]
fn message(err: &Bound<'_, PyAny>) -> PyResult<String> {
    let args = err.getattr("args")?.cast_into::<PyTuple>()?;
    match args.len() {
        0 => Ok(String::new()),
        _ => Ok(args.get_item(0)?.str()?.to_cow()?.into_owned()),
    }
}

/// A read-only empty mapping: a class attribute shared by every instance must not be mutable.
fn empty_mapping(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    py.import("types")?
        .getattr("MappingProxyType")?
        .call1((PyDict::new(py),))
}

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES_CELL.get_or_try_init(py, || {
        let builtins = py.import("builtins")?;
        let base = make_class(
            py,
            "InstasentError",
            vec![py.get_type::<PyException>().into_any()],
            "Base of every instasent error; each subclass stands for one `code`.\n\n\
             Attributes:\n\
             - code: stable string such as \"RATE_LIMITED\"\n\
             - message: the error's text\n\
             - status: the HTTP status, or None\n\
             - fields: per-field messages (`{\"to\": [\"This value is not valid\"]}`)\n\
             - body: the raw response body, or None\n\
             - retry_after: seconds to wait (RATE_LIMITED only), or None\n\
             - reset: the rate-limit window's reset, or None\n\
             - maybe_committed: the request may have been carried out anyway\n\
             - client_id: a failed send's clientId, to look the message up by\n\
             - results: the ItemResult of every message sent when the error stopped a \
             send_bulk, else None",
            // Class attributes, so that an error built by hand (a test's `NotFoundError("x")`)
            // reads like one the SDK raised; `build` sets the instance's own. `code` is each
            // subclass's; the base's own, for `InstasentError("x")`, is INVALID_ARGUMENT, as
            // Node's `new InstasentError("x")` (a handler reading `e.code` must not meet an
            // AttributeError). `message` is the hand-built error's own text, so it is worked
            // out per instance. `bulk::run` sets `results` on the errors that stop a send_bulk
            // (the caller's own included).
            &[
                (
                    "code",
                    ErrorKind::InvalidArgument
                        .code()
                        .into_pyobject(py)?
                        .into_any(),
                ),
                ("message", hand_built_message(py)?),
                ("status", py.None().into_bound(py)),
                ("fields", empty_mapping(py)?),
                ("body", py.None().into_bound(py)),
                ("retry_after", py.None().into_bound(py)),
                ("reset", py.None().into_bound(py)),
                (
                    "maybe_committed",
                    false.into_pyobject(py)?.to_owned().into_any(),
                ),
                ("client_id", py.None().into_bound(py)),
                ("results", py.None().into_bound(py)),
            ],
        )?;
        let mut by_kind = Vec::with_capacity(CLASSES.len());
        for (kind, name, extra) in CLASSES {
            let mut bases = vec![base.clone().into_any()];
            if let Some(extra) = extra {
                bases.push(builtins.getattr(extra)?);
            }
            let doc = format!("{}\n\n`code` is {:?}.", kind.meaning(), kind.code());
            let code = [("code", kind.code().into_pyobject(py)?.into_any())];
            by_kind.push((kind, make_class(py, name, bases, &doc, &code)?.unbind()));
        }
        Ok(Classes {
            base: base.unbind(),
            by_kind,
        })
    })
}

/// Adds `InstasentError`, its subclasses and the `TimeoutError` alias to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let c = classes(py)?;
    m.add("InstasentError", c.base.bind(py))?;
    for (kind, class) in &c.by_kind {
        let class = class.bind(py);
        m.add(class.name()?.to_cow()?.as_ref(), class)?;
        if *kind == ErrorKind::Timeout {
            m.add("TimeoutError", class)?;
        }
    }
    Ok(())
}

/// The Python exception for a core error, with its attributes set.
pub fn to_py_err(err: Error) -> PyErr {
    Python::attach(|py| build(py, &err).unwrap_or_else(|e| e))
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let c = classes(py)?;
    let class = c
        .by_kind
        .iter()
        .find(|(k, _)| *k == err.kind())
        .map(|(_, class)| class.bind(py).clone())
        .unwrap_or_else(|| c.base.bind(py).clone());
    let exc = class.call1((err.to_string(),))?;
    exc.setattr("code", err.kind().code())?;
    exc.setattr("message", err.message())?;
    exc.setattr("status", err.status())?;
    let fields = PyDict::new(py);
    for (field, messages) in err.fields() {
        fields.set_item(field, messages.clone())?;
    }
    exc.setattr("fields", fields)?;
    exc.setattr("body", err.body())?;
    exc.setattr("retry_after", err.retry_after().map(|d| d.as_secs_f64()))?;
    exc.setattr("reset", err.rate_limit().map(|r| r.reset))?;
    exc.setattr("maybe_committed", err.maybe_committed())?;
    exc.setattr("client_id", err.client_id())?;
    Ok(PyErr::from_value(exc))
}

/// An `InvalidArgumentError` raised by the binding itself (a Python value core cannot take).
pub fn invalid(message: impl Into<String>) -> PyErr {
    to_py_err(Error::invalid_argument(message))
}

/// `Result<T, instasent::Error>` → `PyResult<T>`.
pub trait IntoPyResult<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py_err)
    }
}

/// `instasent._instasent._error_class(code)`: the class an error code maps to, so the suite can
/// check every `ErrorKind` has one (some kinds cannot be provoked through the typed surface).
#[pyfunction]
pub fn _error_class(py: Python<'_>, code: &str) -> PyResult<Py<PyType>> {
    let c = classes(py)?;
    c.by_kind
        .iter()
        .find(|(k, _)| k.code() == code)
        .map(|(_, class)| class.clone_ref(py))
        .ok_or_else(|| invalid(format!("unknown error code {code:?}")))
}

/// Every stable error code of the core, in `ErrorKind::ALL` order.
#[pyfunction]
pub fn _error_codes() -> Vec<&'static str> {
    ErrorKind::ALL.iter().map(|k| k.code()).collect()
}
