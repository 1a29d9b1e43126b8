//! `instasent.AsyncClient`: the same surface as `Client` as coroutines (run by [`bridge`]).

mod bridge;

use std::future::Future;
use std::sync::Arc;

use instasent::{blocking, documented, PageRequest, Response};
use pyo3::prelude::*;
use pyo3::types::PyDict;

pub use bridge::future;
use bridge::future_sending;

use crate::client::{sending_bulk, sending_message, sms, verify_request};
use crate::convert::{arg, builder, Str};
use crate::error::{to_py_err, IntoPyResult};
use crate::paging::{AsyncLookupIterator, AsyncSmsIterator};
use crate::types::{documented_dict, Account, CountryPrice, Lookup, Sms, Verify};

fn doc_future<'py, T: 'static, F>(py: Python<'py>, call: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = instasent::Result<Response<T>>> + Send + 'static,
{
    future(py, documented_answer(call))
}

async fn documented_answer<T, F>(call: F) -> PyResult<Py<PyAny>>
where
    F: Future<Output = instasent::Result<Response<T>>>,
{
    let d = documented(call.await).map_err(to_py_err)?;
    Python::attach(|py| Ok(documented_dict(py, &d)?.into_any().unbind()))
}

fn typed_future<'py, T: 'static, F, W>(
    py: Python<'py>,
    call: F,
    wrap: W,
) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = instasent::Result<Response<T>>> + Send + 'static,
    W: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    future(py, typed_answer(call, wrap))
}

async fn typed_answer<T, F, W>(call: F, wrap: W) -> PyResult<Py<PyAny>>
where
    F: Future<Output = instasent::Result<Response<T>>>,
    W: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>>,
{
    let r = call.await.map_err(to_py_err)?;
    Python::attach(|py| wrap(py, r.body))
}

fn obj<T: pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(
    py: Python<'_>,
    v: PyResult<T>,
) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, v?)?.into_any())
}

fn list<T, I, W>(py: Python<'_>, items: I, wrap: W) -> PyResult<Py<PyAny>>
where
    I: IntoIterator,
    W: Fn(Python<'_>, I::Item) -> PyResult<T>,
    T: pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>,
{
    let list = pyo3::types::PyList::empty(py);
    for item in items {
        list.append(Py::new(py, wrap(py, item)?)?)?;
    }
    Ok(list.into_any().unbind())
}

/// Async client: every method of `Client`, each returning a coroutine (nothing is sent until it
/// is awaited); calls run concurrently on the core runtime, never blocking the event loop.
/// `AsyncClient(token, **options)` takes `Client`'s options.
///
/// A send or verify cancelled while in flight (a task cancelled, `asyncio.wait_for` or
/// `asyncio.timeout` running out) may still have reached the API. Its `CancelledError` says so
/// in a note and carries the `clientId` it went with as `client_id` (drawn by the SDK when none
/// was given; a `send_bulk_sms` carries `client_ids`, in input order); `asyncio.wait_for` and
/// `asyncio.timeout` raise `TimeoutError` from it, so there it is `error.__cause__.client_id`.
/// (Python 3.10's asyncio raises a fresh `CancelledError` for a cancelled task, with this one
/// as its `__context__`.) `find_message(client_id)` then tells whether the message went out.
/// Sending it again with the same `client_id` can never deliver it twice: the API refuses the
/// second one (`ValidationError`, "clientId: This value is already used").
#[pyclass(frozen, module = "instasent")]
pub struct AsyncClient {
    inner: Arc<blocking::Client>,
}

impl AsyncClient {
    fn c(&self) -> PyResult<instasent::Client> {
        crate::logging::client_for_call(&self.inner)
    }
}

#[pymethods]
impl AsyncClient {
    #[new]
    #[pyo3(signature = (token, **options))]
    fn new(token: Str, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let inner = blocking::Client::from_builder(builder(&token, options)?).py_err()?;
        Ok(AsyncClient {
            inner: Arc::new(inner),
        })
    }

    /// The API base URL this client sends to.
    #[getter]
    fn base_url(&self) -> String {
        self.inner.base_url()
    }

    /// The latest `X-RateLimit-*` window: `{"limit", "remaining", "reset"}` or None.
    #[getter]
    fn rate_limit<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::ser_to_py(py, &self.inner.rate_limit())
    }

    fn __repr__(&self) -> String {
        format!(
            "instasent.AsyncClient(base_url={:?})",
            self.inner.base_url()
        )
    }

    // ---- documented surface -------------------------------------------------------------

    /// `Client.send_sms` as a coroutine: the same arguments, result and errors.
    #[pyo3(signature = (sender, to, text, client_id=None))]
    fn send_sms<'py>(
        &self,
        py: Python<'py>,
        sender: Str,
        to: Str,
        text: Str,
        client_id: Option<Str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (c, mut req) = (self.c()?, sms(sender, to, text, client_id, false));
        let sending = sending_message(&mut req.client_id);
        future_sending(
            py,
            sending,
            documented_answer(async move { c.send_sms(&req).await }),
        )
    }

    /// `Client.send_sms_unicode` as a coroutine: the same arguments, result and errors.
    #[pyo3(signature = (sender, to, text, client_id=None))]
    fn send_sms_unicode<'py>(
        &self,
        py: Python<'py>,
        sender: Str,
        to: Str,
        text: Str,
        client_id: Option<Str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (c, mut req) = (self.c()?, sms(sender, to, text, client_id, true));
        let sending = sending_message(&mut req.client_id);
        future_sending(
            py,
            sending,
            documented_answer(async move { c.send_sms(&req).await }),
        )
    }

    /// `Client.send_bulk_sms` as a coroutine: the same arguments, result and errors.
    fn send_bulk_sms<'py>(
        &self,
        py: Python<'py>,
        messages: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut items = crate::client::messages_of(messages)?;
        let sending = sending_bulk(&mut items);
        let inner = self.inner.clone();
        // The documented bulk call is one request; it runs on the runtime's blocking pool so
        // the same code path as `Client.send_bulk_sms` decides how it is sent.
        future_sending(py, sending, async move {
            let d =
                tokio::task::spawn_blocking(move || crate::client::bulk_documented(&inner, &items))
                    .await
                    .map_err(|e| crate::error::invalid(e.to_string()))?
                    .map_err(to_py_err)?;
            Python::attach(|py| Ok(documented_dict(py, &d)?.into_any().unbind()))
        })
    }

    /// `Client.get_sms` as a coroutine: the same arguments, result and errors.
    #[pyo3(signature = (page=1, per_page=10))]
    fn get_sms<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arg::page)] page: u32,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        doc_future(py, async move {
            c.get_sms(PageRequest::new(page, per_page)).await
        })
    }

    /// `Client.get_sms_by_id` as a coroutine: the same arguments, result and errors.
    #[pyo3(signature = (message_id=None, *, id=None))]
    fn get_sms_by_id<'py>(
        &self,
        py: Python<'py>,
        message_id: Option<Str>,
        id: Option<Str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = crate::convert::one_of("get_sms_by_id", ["message_id", "id"], message_id, id)?;
        let c = self.c()?;
        doc_future(py, async move { c.get_sms_by_id(&id).await })
    }

    /// `Client.do_lookup` as a coroutine: the same arguments, result and errors.
    fn do_lookup<'py>(&self, py: Python<'py>, to: Str) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        doc_future(py, async move { c.do_lookup(&to).await })
    }

    /// `Client.get_lookup_by_id` as a coroutine: the same arguments, result and errors.
    fn get_lookup_by_id<'py>(&self, py: Python<'py>, id: Str) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        doc_future(py, async move { c.get_lookup_by_id(&id).await })
    }

    /// `Client.get_lookups` as a coroutine: the same arguments, result and errors.
    #[pyo3(signature = (page=1, per_page=10))]
    fn get_lookups<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arg::page)] page: u32,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        doc_future(py, async move {
            c.get_lookups(PageRequest::new(page, per_page)).await
        })
    }

    /// `Client.get_account_balance` as a coroutine: the same arguments, result and errors.
    fn get_account_balance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        doc_future(py, async move { c.get_account_balance().await })
    }

    /// `Client.get_sms_price_profile` as a coroutine: the same arguments, result and errors.
    fn get_sms_price_profile<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        doc_future(py, async move { c.get_sms_price_profile().await })
    }

    /// `Client.get_lookup_price_profile` as a coroutine: the same arguments, result and errors.
    fn get_lookup_price_profile<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        doc_future(py, async move { c.get_lookup_price_profile().await })
    }

    /// `Client.request_verify` as a coroutine: the same arguments, result and errors.
    #[pyo3(signature = (sender, to, text, token_length=6, timeout=300, client_id=None))]
    #[allow(clippy::too_many_arguments)]
    fn request_verify<'py>(
        &self,
        py: Python<'py>,
        sender: Str,
        to: Str,
        text: Str,
        #[pyo3(from_py_with = arg::token_length)] token_length: u32,
        #[pyo3(from_py_with = arg::timeout)] timeout: u32,
        client_id: Option<Str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (c, mut req) = (
            self.c()?,
            verify_request(sender, to, text, token_length, timeout, client_id),
        );
        let sending = sending_message(&mut req.client_id);
        future_sending(
            py,
            sending,
            documented_answer(async move { c.request_verify(&req).await }),
        )
    }

    /// `Client.check_verify` as a coroutine: the same arguments, result and errors.
    fn check_verify<'py>(
        &self,
        py: Python<'py>,
        id: Str,
        token: Str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        doc_future(py, async move { c.check_verify(&id, &token).await })
    }

    /// `Client.get_verify_by_id` as a coroutine: the same arguments, result and errors.
    fn get_verify_by_id<'py>(&self, py: Python<'py>, id: Str) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        doc_future(py, async move { c.get_verify_by_id(&id).await })
    }

    /// `Client.get_verify` as a coroutine: the same arguments, result and errors.
    #[pyo3(signature = (page=1, per_page=10))]
    fn get_verify<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arg::page)] page: u32,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        doc_future(py, async move {
            c.get_verify(PageRequest::new(page, per_page)).await
        })
    }

    // ---- typed surface -------------------------------------------------------------------

    /// `Client.send` as a coroutine: the same arguments, result and errors.
    #[pyo3(signature = (sender, to, text, *, client_id=None, allow_unicode=false))]
    fn send<'py>(
        &self,
        py: Python<'py>,
        sender: Str,
        to: Str,
        text: Str,
        client_id: Option<Str>,
        allow_unicode: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (c, mut req) = (self.c()?, sms(sender, to, text, client_id, allow_unicode));
        let sending = sending_message(&mut req.client_id);
        let call = async move { c.send_sms(&req).await };
        future_sending(
            py,
            sending,
            typed_answer(call, |py, s| obj(py, Sms::new(py, s))),
        )
    }

    /// `Client.message` as a coroutine: the same arguments, result and errors.
    fn message<'py>(&self, py: Python<'py>, id: Str) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        typed_future(py, async move { c.get_sms_by_id(&id).await }, |py, s| {
            obj(py, Sms::new(py, s))
        })
    }

    /// `Client.find_message` as a coroutine: the same arguments, result and errors.
    fn find_message<'py>(&self, py: Python<'py>, client_id: Str) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        future(py, async move {
            let found = c
                .find_sms_by_client_id(&client_id)
                .await
                .map_err(to_py_err)?;
            Python::attach(|py| match found {
                Some(s) => obj(py, Sms::new(py, s)),
                None => Ok(py.None()),
            })
        })
    }

    /// `Client.messages` as a coroutine: the same arguments, result and errors.
    #[pyo3(signature = (page=1, per_page=10))]
    fn messages<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arg::page)] page: u32,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        typed_future(
            py,
            async move { c.get_sms(PageRequest::new(page, per_page)).await },
            |py, p| list(py, p.items, Sms::new),
        )
    }

    /// Every message of the history for `async for`, fetched `per_page` at a time as you iterate.
    #[pyo3(signature = (per_page=100))]
    fn iter_sms(
        &self,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<AsyncSmsIterator> {
        AsyncSmsIterator::new(&self.inner, per_page)
    }

    /// `Client.lookup` as a coroutine: the same arguments, result and errors.
    fn lookup<'py>(&self, py: Python<'py>, to: Str) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        typed_future(py, async move { c.do_lookup(&to).await }, |py, l| {
            obj(py, Lookup::new(py, l))
        })
    }

    /// `Client.lookup_by_id` as a coroutine: the same arguments, result and errors.
    fn lookup_by_id<'py>(&self, py: Python<'py>, id: Str) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        typed_future(py, async move { c.get_lookup_by_id(&id).await }, |py, l| {
            obj(py, Lookup::new(py, l))
        })
    }

    /// Every lookup for `async for`, fetched `per_page` at a time as you iterate.
    #[pyo3(signature = (per_page=100))]
    fn iter_lookups(
        &self,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<AsyncLookupIterator> {
        AsyncLookupIterator::new(&self.inner, per_page)
    }

    /// `Client.account` as a coroutine: the same arguments, result and errors.
    fn account<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        typed_future(py, async move { c.get_account_balance().await }, |py, a| {
            obj(py, Account::new(py, a))
        })
    }

    /// `Client.sms_prices` as a coroutine: the same arguments, result and errors.
    fn sms_prices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        typed_future(
            py,
            async move { c.get_sms_price_profile().await },
            |py, v| list(py, v, CountryPrice::new),
        )
    }

    /// `Client.lookup_prices` as a coroutine: the same arguments, result and errors.
    fn lookup_prices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        typed_future(
            py,
            async move { c.get_lookup_price_profile().await },
            |py, v| list(py, v, CountryPrice::new),
        )
    }

    /// `Client.start_verify` as a coroutine: the same arguments, result and errors.
    #[pyo3(signature = (sender, to, text, *, token_length=6, timeout=300, client_id=None))]
    #[allow(clippy::too_many_arguments)]
    fn start_verify<'py>(
        &self,
        py: Python<'py>,
        sender: Str,
        to: Str,
        text: Str,
        #[pyo3(from_py_with = arg::token_length)] token_length: u32,
        #[pyo3(from_py_with = arg::timeout)] timeout: u32,
        client_id: Option<Str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (c, mut req) = (
            self.c()?,
            verify_request(sender, to, text, token_length, timeout, client_id),
        );
        let sending = sending_message(&mut req.client_id);
        let call = async move { c.request_verify(&req).await };
        future_sending(
            py,
            sending,
            typed_answer(call, |py, v| obj(py, Verify::new(py, v))),
        )
    }

    /// `Client.verify` as a coroutine: the same arguments, result and errors.
    fn verify<'py>(&self, py: Python<'py>, id: Str, token: Str) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        typed_future(
            py,
            async move { c.check_verify(&id, &token).await },
            |py, v| obj(py, Verify::new(py, v)),
        )
    }

    /// `Client.verification` as a coroutine: the same arguments, result and errors.
    fn verification<'py>(&self, py: Python<'py>, id: Str) -> PyResult<Bound<'py, PyAny>> {
        let c = self.c()?;
        typed_future(py, async move { c.get_verify_by_id(&id).await }, |py, v| {
            obj(py, Verify::new(py, v))
        })
    }

    /// Like `Client.campaign`, for `async for`: results in input order, memory flat. A sync
    /// iterable is read on a worker thread (the event loop never waits on it); an async one
    /// is iterated on the event loop, a batch at a time. `on_progress` runs on the event loop;
    /// what it raises stops the campaign and is raised after the results in flight, as with
    /// `Client.campaign`.
    #[pyo3(signature = (messages, *, concurrency=None, batch_size=100, on_progress=None, resume=false, validate=true))]
    #[allow(clippy::too_many_arguments)]
    fn campaign(
        &self,
        py: Python<'_>,
        messages: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = arg::concurrency)] concurrency: Option<usize>,
        #[pyo3(from_py_with = arg::batch_size)] batch_size: usize,
        on_progress: Option<Bound<'_, PyAny>>,
        resume: bool,
        validate: bool,
    ) -> PyResult<crate::bulk::AsyncCampaign> {
        let options = crate::bulk::options(concurrency, batch_size, resume, validate)?;
        crate::bulk::AsyncCampaign::start(py, &self.inner, messages, options, on_progress)
    }

    /// Like `Client.send_bulk`, as an awaitable. The iterable is read and checked up front (in
    /// the calling thread; an async iterable on the event loop, before anything is sent);
    /// `on_progress` runs on the event loop, and what it raises stops the campaign as with
    /// `Client.send_bulk` (the exception's `results` lists what was sent).
    #[pyo3(signature = (messages, *, concurrency=None, batch_size=100, on_progress=None, resume=false, validate=true))]
    #[allow(clippy::too_many_arguments)]
    fn send_bulk<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
        messages: &Bound<'py, PyAny>,
        #[pyo3(from_py_with = arg::concurrency)] concurrency: Option<usize>,
        #[pyo3(from_py_with = arg::batch_size)] batch_size: usize,
        on_progress: Option<Bound<'py, PyAny>>,
        resume: bool,
        validate: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = crate::bulk::options(concurrency, batch_size, resume, validate)?;
        if !messages.hasattr("__iter__")? && messages.hasattr("__aiter__")? {
            // Every result comes back at once, so every message is held anyway: the async
            // iterable is read to a list on the loop, then sent as one.
            let kwargs = PyDict::new(py);
            kwargs.set_item("concurrency", concurrency)?;
            kwargs.set_item("batch_size", batch_size)?;
            kwargs.set_item("on_progress", on_progress)?;
            kwargs.set_item("resume", resume)?;
            kwargs.set_item("validate", validate)?;
            return py
                .import("instasent._async_input")?
                .getattr("send_bulk_from")?
                .call((slf, messages), Some(&kwargs));
        }
        crate::bulk::run_async(py, &slf.get().inner, messages, options, on_progress)
    }
}
