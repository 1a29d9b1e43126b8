//! Auto-paging iterators over the core's paging streams (`Client::sms_stream`,
//! `Client::lookup_stream`): the next page is fetched, without the GIL and interruptibly, when
//! the current one runs out.

use std::pin::Pin;
use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use instasent::blocking;
use instasent::runtime::StartedIn;
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;

use crate::error::to_py_err;
use crate::types::{Lookup, Sms};

type Pages<T> = Pin<Box<dyn Stream<Item = instasent::Result<T>> + Send>>;

/// Where an iterator is in its pages. The stream belongs to the process that made it: its
/// client's connections live on that process's runtime, and a lock a parent's thread held at a
/// `fork()` stays locked in the child, so a forked child is told to start a new iterator rather
/// than left waiting for ever.
struct Cursor<T> {
    pages: Arc<tokio::sync::Mutex<Pages<T>>>,
    started_in: StartedIn,
}

impl<T: Send + 'static> Cursor<T> {
    fn new(pages: impl Stream<Item = instasent::Result<T>> + Send + 'static) -> Self {
        Cursor {
            pages: Arc::new(tokio::sync::Mutex::new(Box::pin(pages))),
            started_in: StartedIn::this_process(),
        }
    }

    /// The next item, fetching a page when the current one has run out; interruptible by Ctrl-C
    /// while it waits (an interrupted fetch goes on at the next call: the stream keeps its
    /// state).
    fn next_blocking(&self, py: Python<'_>) -> PyResult<Option<T>> {
        self.started_in
            .check_for("this iterator")
            .map_err(to_py_err)?;
        let pages = self.pages.clone();
        crate::interrupt::wait(
            py,
            async move { pages.lock().await.next().await.transpose() },
        )
    }

    fn next_async<'py, F>(&self, py: Python<'py>, wrap: F) -> PyResult<Bound<'py, PyAny>>
    where
        F: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
    {
        self.started_in
            .check_for("this iterator")
            .map_err(to_py_err)?;
        let pages = self.pages.clone();
        crate::aio::future(py, async move {
            let item = pages.lock().await.next().await;
            match item {
                None => Err(PyStopAsyncIteration::new_err(())),
                Some(Err(e)) => Err(to_py_err(e)),
                Some(Ok(v)) => Python::attach(|py| wrap(py, v)),
            }
        })
    }
}

/// Iterator of `Sms` over every page of `GET /sms`.
#[pyclass(module = "instasent")]
pub struct SmsIterator {
    cursor: Cursor<instasent::Sms>,
}

impl SmsIterator {
    pub fn new(client: &blocking::Client, per_page: u32) -> PyResult<Self> {
        Ok(SmsIterator {
            cursor: Cursor::new(crate::logging::client_for_call(client)?.sms_stream(per_page)),
        })
    }
}

#[pymethods]
impl SmsIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Sms>> {
        self.cursor
            .next_blocking(py)?
            .map(|s| Sms::new(py, s))
            .transpose()
    }
}

/// Iterator of `Lookup` over every page of `GET /lookup`.
#[pyclass(module = "instasent")]
pub struct LookupIterator {
    cursor: Cursor<instasent::Lookup>,
}

impl LookupIterator {
    pub fn new(client: &blocking::Client, per_page: u32) -> PyResult<Self> {
        Ok(LookupIterator {
            cursor: Cursor::new(crate::logging::client_for_call(client)?.lookup_stream(per_page)),
        })
    }
}

#[pymethods]
impl LookupIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Lookup>> {
        self.cursor
            .next_blocking(py)?
            .map(|l| Lookup::new(py, l))
            .transpose()
    }
}

/// Async iterator of `Sms` (`async for sms in client.iter_sms()`).
#[pyclass(module = "instasent")]
pub struct AsyncSmsIterator {
    cursor: Cursor<instasent::Sms>,
}

impl AsyncSmsIterator {
    pub fn new(client: &blocking::Client, per_page: u32) -> PyResult<Self> {
        Ok(AsyncSmsIterator {
            cursor: Cursor::new(crate::logging::client_for_call(client)?.sms_stream(per_page)),
        })
    }
}

#[pymethods]
impl AsyncSmsIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.cursor
            .next_async(py, |py, s| Ok(Py::new(py, Sms::new(py, s)?)?.into_any()))
    }
}

/// Async iterator of `Lookup`.
#[pyclass(module = "instasent")]
pub struct AsyncLookupIterator {
    cursor: Cursor<instasent::Lookup>,
}

impl AsyncLookupIterator {
    pub fn new(client: &blocking::Client, per_page: u32) -> PyResult<Self> {
        Ok(AsyncLookupIterator {
            cursor: Cursor::new(crate::logging::client_for_call(client)?.lookup_stream(per_page)),
        })
    }
}

#[pymethods]
impl AsyncLookupIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.cursor
            .next_async(py, |py, l| Ok(Py::new(py, Lookup::new(py, l)?)?.into_any()))
    }
}
