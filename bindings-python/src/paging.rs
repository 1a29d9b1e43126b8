//! Auto-paging iterators over the core's paging streams (`Client::sms_stream`,
//! `Client::lookup_stream`): the next page is fetched, without the GIL and interruptibly, when
//! the current one runs out.

use std::pin::Pin;
use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use instasent::blocking;
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;

use crate::types::{Lookup, Sms};

type Pages<T> = Pin<Box<dyn Stream<Item = instasent::Result<T>> + Send>>;

/// The next item, fetching a page when the current one has run out; interruptible by Ctrl-C
/// while it waits (an interrupted fetch goes on at the next call: the stream keeps its state).
fn next_blocking<T: Send + 'static>(
    py: Python<'_>,
    pages: &Arc<tokio::sync::Mutex<Pages<T>>>,
) -> PyResult<Option<T>> {
    let pages = pages.clone();
    crate::interrupt::wait(
        py,
        async move { pages.lock().await.next().await.transpose() },
    )
}

fn next_async<'py, T, F>(
    py: Python<'py>,
    pages: &Arc<tokio::sync::Mutex<Pages<T>>>,
    wrap: F,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    F: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let pages = pages.clone();
    crate::aio::future(py, async move {
        let item = pages.lock().await.next().await;
        match item {
            None => Err(PyStopAsyncIteration::new_err(())),
            Some(Err(e)) => Err(crate::error::to_py_err(e)),
            Some(Ok(v)) => Python::attach(|py| wrap(py, v)),
        }
    })
}

/// Iterator of `Sms` over every page of `GET /sms`.
#[pyclass(module = "instasent")]
pub struct SmsIterator {
    pages: Arc<tokio::sync::Mutex<Pages<instasent::Sms>>>,
}

impl SmsIterator {
    pub fn new(client: &blocking::Client, per_page: u32) -> PyResult<Self> {
        Ok(SmsIterator {
            pages: Arc::new(tokio::sync::Mutex::new(Box::pin(
                client.current().sms_stream(per_page),
            ))),
        })
    }
}

#[pymethods]
impl SmsIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Sms>> {
        next_blocking(py, &self.pages)?
            .map(|s| Sms::new(py, s))
            .transpose()
    }
}

/// Iterator of `Lookup` over every page of `GET /lookup`.
#[pyclass(module = "instasent")]
pub struct LookupIterator {
    pages: Arc<tokio::sync::Mutex<Pages<instasent::Lookup>>>,
}

impl LookupIterator {
    pub fn new(client: &blocking::Client, per_page: u32) -> PyResult<Self> {
        Ok(LookupIterator {
            pages: Arc::new(tokio::sync::Mutex::new(Box::pin(
                client.current().lookup_stream(per_page),
            ))),
        })
    }
}

#[pymethods]
impl LookupIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Lookup>> {
        next_blocking(py, &self.pages)?
            .map(|l| Lookup::new(py, l))
            .transpose()
    }
}

/// Async iterator of `Sms` (`async for sms in client.iter_sms()`).
#[pyclass(module = "instasent")]
pub struct AsyncSmsIterator {
    pages: Arc<tokio::sync::Mutex<Pages<instasent::Sms>>>,
}

impl AsyncSmsIterator {
    pub fn new(client: &blocking::Client, per_page: u32) -> Self {
        AsyncSmsIterator {
            pages: Arc::new(tokio::sync::Mutex::new(Box::pin(
                client.current().sms_stream(per_page),
            ))),
        }
    }
}

#[pymethods]
impl AsyncSmsIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        next_async(py, &self.pages, |py, s| {
            Ok(Py::new(py, Sms::new(py, s)?)?.into_any())
        })
    }
}

/// Async iterator of `Lookup`.
#[pyclass(module = "instasent")]
pub struct AsyncLookupIterator {
    pages: Arc<tokio::sync::Mutex<Pages<instasent::Lookup>>>,
}

impl AsyncLookupIterator {
    pub fn new(client: &blocking::Client, per_page: u32) -> Self {
        AsyncLookupIterator {
            pages: Arc::new(tokio::sync::Mutex::new(Box::pin(
                client.current().lookup_stream(per_page),
            ))),
        }
    }
}

#[pymethods]
impl AsyncLookupIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        next_async(py, &self.pages, |py, l| {
            Ok(Py::new(py, Lookup::new(py, l)?)?.into_any())
        })
    }
}
