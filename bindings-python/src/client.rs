//! `instasent.Client`: the documented methods (returning `{"response_code", "response_body"}`)
//! and the typed ones beside them, over `instasent::blocking::Client`. Every call releases the
//! GIL while it waits on the network.

use std::sync::Arc;

use instasent::{blocking, documented, DocumentedResponse, PageRequest, SmsRequest, VerifyRequest};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::{arg, builder, message, Str};
use crate::error::IntoPyResult;
use crate::interrupt::Sending;
use crate::paging::{LookupIterator, SmsIterator};
use crate::types::{documented_dict, Account, CountryPrice, Lookup, Sms, Verify};

/// Blocking client of the Instasent Transactional API. Safe to share between threads; usable
/// in a child process after `os.fork()` (it reconnects on the child's own runtime). Every call
/// releases the GIL while it waits.
///
/// Two forms of every endpoint. The documented methods of Instasent's SDKs (`send_sms`,
/// `get_sms`, `do_lookup`, …) return `{"response_code": int, "response_body": ...}` for any
/// HTTP answer, errors included, and raise only when no answer came (`TimeoutError`,
/// `TransportError`), when an attempt went out and no answer settled it
/// (`AmbiguousOutcomeError`, with the `client_id` to look up) or when a local check refuses the
/// call before anything is sent (`ValidationError`, `InvalidArgumentError`). The typed methods
/// (`send`, `message`, `lookup`, …) return objects and raise an `InstasentError` subclass on
/// any failure. `send_bulk` and `campaign` send any number of messages.
///
/// Ctrl-C reaches a call while it waits. A send, verify or `send_bulk_sms` it interrupts once
/// the request may have gone out says so on its `KeyboardInterrupt`: a note, and the clientIds
/// that make sending again safe (`client_id`; `client_ids` for `send_bulk_sms`, in input
/// order), drawn by the SDK where none was given.
///
/// `Client(token, **options)`, every option by keyword:
/// - base_url: default `$INSTASENT_BASE_URL`, then `https://api.instasent.com/transactional/v1`
/// - timeout: seconds one HTTP attempt may take (default 30)
/// - connect_timeout: seconds to open a connection (default 10)
/// - max_retries: retries after the first attempt (default 5; 0 disables retrying)
/// - concurrency: bulk requests in flight at once in `send_bulk` and `campaign` (default 8)
/// - user_agent: put before the SDK's own user agent
/// - token_in_query: send the token as `?access_token=` instead of `Authorization: Bearer`
/// - allow_insecure_http: allow plain `http://` to hosts other than this machine
/// - pacing: wait for the `X-RateLimit-*` window instead of running into a 429 (default True)
#[pyclass(frozen, module = "instasent")]
pub struct Client {
    pub inner: Arc<blocking::Client>,
    /// The sandbox a `Sandbox.client()` talks to, kept running while the client lives:
    /// `Sandbox().client()` would otherwise reach a sandbox already collected.
    pub serves: Option<Py<PyAny>>,
}

pub(crate) fn page(page: u32, per_page: u32) -> PageRequest {
    PageRequest::new(page, per_page)
}

pub(crate) fn sms(
    sender: Str,
    to: Str,
    text: Str,
    client_id: Option<Str>,
    unicode: bool,
) -> SmsRequest {
    let mut req = SmsRequest::new(sender, to, text).allow_unicode(unicode);
    req.client_id = client_id.map(String::from);
    req
}

/// The request's `clientId`, filled with the one the core would generate when it has none:
/// drawn here, for a send about to go out, so that one interrupted by a signal or cancelled can
/// name it (see `interrupt::call_sending`, `aio::bridge::future_sending`). Never for a
/// `Message`, which would then be refused as a duplicate the second time it is sent.
pub(crate) fn sending_message(client_id: &mut Option<String>) -> Sending {
    Sending::Message(drawn(client_id))
}

/// [`sending_message`] for each message of a bulk request, in input order.
pub(crate) fn sending_bulk(items: &mut [SmsRequest]) -> Sending {
    Sending::Bulk(items.iter_mut().map(|m| drawn(&mut m.client_id)).collect())
}

fn drawn(client_id: &mut Option<String>) -> String {
    client_id
        .get_or_insert_with(instasent::new_client_id)
        .clone()
}

pub(crate) fn verify_request(
    sender: Str,
    to: Str,
    text: Str,
    token_length: u32,
    timeout: u32,
    client_id: Option<Str>,
) -> VerifyRequest {
    let mut req = VerifyRequest::new(sender, to, text)
        .token_length(token_length)
        .timeout(timeout);
    req.client_id = client_id.map(String::from);
    req
}

/// Runs a documented call without the GIL, interruptibly, and returns the documented dict.
fn doc<'py, F, Fut>(
    py: Python<'py>,
    client: &blocking::Client,
    call: F,
) -> PyResult<Bound<'py, PyDict>>
where
    F: FnOnce(instasent::Client) -> Fut,
    Fut: std::future::Future<Output = instasent::Result<DocumentedResponse>> + Send + 'static,
{
    let d = crate::interrupt::call(py, client, call)?;
    documented_dict(py, &d)
}

/// [`doc`] for a call that may deliver messages (see `interrupt::call_sending`).
fn doc_sending<'py, F, Fut>(
    py: Python<'py>,
    client: &blocking::Client,
    sending: Sending,
    call: F,
) -> PyResult<Bound<'py, PyDict>>
where
    F: FnOnce(instasent::Client) -> Fut,
    Fut: std::future::Future<Output = instasent::Result<DocumentedResponse>> + Send + 'static,
{
    let d = crate::interrupt::call_sending(py, client, sending, call)?;
    documented_dict(py, &d)
}

pub fn messages_of(messages: &Bound<'_, PyAny>) -> PyResult<Vec<SmsRequest>> {
    let mut out = Vec::new();
    for (index, item) in crate::convert::message_iter(messages)?.enumerate() {
        out.push(message(&item?, index as u64)?);
    }
    Ok(out)
}

/// `send_bulk_sms`: one `POST /sms/bulk` through the core's bulk call (clientIds filled in, so
/// a retry cannot duplicate). A count outside 1–100 is refused before anything is sent
/// (`InvalidArgumentError`), as in every binding, rather than left to the API's 413.
pub fn bulk_documented(
    client: &blocking::Client,
    items: &[SmsRequest],
) -> instasent::Result<DocumentedResponse> {
    documented(client.send_bulk(items))
}

#[pymethods]
impl Client {
    // Documented on the class: Python shows the class's docstring for its constructor.
    #[new]
    #[pyo3(signature = (token, **options))]
    fn new(token: Str, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let b = builder(&token, options)?;
        let inner = blocking::Client::from_builder(b).py_err()?;
        Ok(Client {
            inner: Arc::new(inner),
            serves: None,
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
        format!("instasent.Client(base_url={:?})", self.inner.base_url())
    }

    // ---- documented surface -------------------------------------------------------------

    /// `POST /sms`: `text` from `sender` (up to 11 letters and digits, or 14 digits) to `to`
    /// (E.164), GSM-7 only. Documented form (see `Client`). Every retry reuses `client_id` (one is
    /// generated when None), so the API never takes the message twice; `send` is the typed form.
    #[pyo3(signature = (sender, to, text, client_id=None))]
    fn send_sms<'py>(
        &self,
        py: Python<'py>,
        sender: Str,
        to: Str,
        text: Str,
        client_id: Option<Str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut req = sms(sender, to, text, client_id, false);
        let sending = sending_message(&mut req.client_id);
        doc_sending(py, &self.inner, sending, move |c| async move {
            documented(c.send_sms(&req).await)
        })
    }

    /// Like `send_sms`, with `allowUnicode`: a text with characters outside GSM-7 travels as UCS-2
    /// (70 characters in one segment instead of 160; `instasent.segments` shows how).
    #[pyo3(signature = (sender, to, text, client_id=None))]
    fn send_sms_unicode<'py>(
        &self,
        py: Python<'py>,
        sender: Str,
        to: Str,
        text: Str,
        client_id: Option<Str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut req = sms(sender, to, text, client_id, true);
        let sending = sending_message(&mut req.client_id);
        doc_sending(py, &self.inner, sending, move |c| async move {
            documented(c.send_sms(&req).await)
        })
    }

    /// One raw `POST /sms/bulk` of the given messages (dicts or `Message`s).
    fn send_bulk_sms<'py>(
        &self,
        py: Python<'py>,
        messages: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut items = messages_of(messages)?;
        let sending = sending_bulk(&mut items);
        doc_sending(py, &self.inner, sending, move |c| async move {
            documented(c.send_bulk(&items).await)
        })
    }

    /// `GET /sms`: one page of the message history (`per_page` 1 to 100). Documented form (see
    /// `Client`); `messages` and `iter_sms` are the typed forms.
    #[pyo3(signature = (page=1, per_page=10))]
    fn get_sms<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arg::page)] page: u32,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<Bound<'py, PyDict>> {
        doc(py, &self.inner, move |c| async move {
            documented(c.get_sms(self::page(page, per_page)).await)
        })
    }

    /// `GET /sms/{id}`: one message by its Instasent id (`message_id`, or `id=` by keyword).
    /// Documented form (see `Client`): an unknown id is `response_code` 404; `message` is the typed
    /// form.
    #[pyo3(signature = (message_id=None, *, id=None))]
    fn get_sms_by_id<'py>(
        &self,
        py: Python<'py>,
        message_id: Option<Str>,
        id: Option<Str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let id = crate::convert::one_of("get_sms_by_id", ["message_id", "id"], message_id, id)?;
        doc(py, &self.inner, move |c| async move {
            documented(c.get_sms_by_id(&id).await)
        })
    }

    /// `POST /lookup`: HLR lookup of `to` (E.164). Charged per lookup, so it is retried only when
    /// it certainly was not carried out. Documented form (see `Client`); `lookup` is the typed
    /// form.
    fn do_lookup<'py>(&self, py: Python<'py>, to: Str) -> PyResult<Bound<'py, PyDict>> {
        doc(py, &self.inner, move |c| async move {
            documented(c.do_lookup(&to).await)
        })
    }

    /// `GET /lookup/{id}`: one earlier lookup. Documented form (see `Client`); `lookup_by_id` is
    /// the typed form.
    fn get_lookup_by_id<'py>(&self, py: Python<'py>, id: Str) -> PyResult<Bound<'py, PyDict>> {
        doc(py, &self.inner, move |c| async move {
            documented(c.get_lookup_by_id(&id).await)
        })
    }

    /// `GET /lookup`: one page of the lookups made (`per_page` 1 to 100). Documented form (see
    /// `Client`); `iter_lookups` is the typed form.
    #[pyo3(signature = (page=1, per_page=10))]
    fn get_lookups<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arg::page)] page: u32,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<Bound<'py, PyDict>> {
        doc(py, &self.inner, move |c| async move {
            documented(c.get_lookups(self::page(page, per_page)).await)
        })
    }

    /// `GET /organization/account`: the available balance and its currency. Documented form (see
    /// `Client`); `account` is the typed form.
    fn get_account_balance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        doc(py, &self.inner, move |c| async move {
            documented(c.get_account_balance().await)
        })
    }

    /// `GET /sms/price-profile/me/countries`: the price of one SMS segment per destination country.
    /// Documented form (see `Client`); `sms_prices` is the typed form.
    fn get_sms_price_profile<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        doc(py, &self.inner, move |c| async move {
            documented(c.get_sms_price_profile().await)
        })
    }

    /// `GET /lookup/price-profile/me/countries`: the price of one lookup per country. Documented
    /// form (see `Client`); `lookup_prices` is the typed form.
    fn get_lookup_price_profile<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        doc(py, &self.inner, move |c| async move {
            documented(c.get_lookup_price_profile().await)
        })
    }

    /// `POST /verify`: texts a code of `token_length` digits from `sender` to `to`, valid for
    /// `timeout` seconds; `text` must contain `%token%`, where the code goes. Documented form (see
    /// `Client`). Retried only when the request certainly was not carried out (a repeat would
    /// text a second code); `start_verify` is the typed form.
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
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut req = verify_request(sender, to, text, token_length, timeout, client_id);
        let sending = sending_message(&mut req.client_id);
        doc_sending(py, &self.inner, sending, move |c| async move {
            documented(c.request_verify(&req).await)
        })
    }

    /// `GET /verify/{id}?token=`: checks the code the user typed; the body's `entity.status` is
    /// `"verified"` when it matched. Documented form (see `Client`); `verify` is the typed form.
    fn check_verify<'py>(
        &self,
        py: Python<'py>,
        id: Str,
        token: Str,
    ) -> PyResult<Bound<'py, PyDict>> {
        doc(py, &self.inner, move |c| async move {
            documented(c.check_verify(&id, &token).await)
        })
    }

    /// `GET /verify/{id}`: one verification. Documented form (see `Client`); `verification` is the
    /// typed form.
    fn get_verify_by_id<'py>(&self, py: Python<'py>, id: Str) -> PyResult<Bound<'py, PyDict>> {
        doc(py, &self.inner, move |c| async move {
            documented(c.get_verify_by_id(&id).await)
        })
    }

    /// `GET /verify`: one page of the verifications (`per_page` 1 to 100). Documented form (see
    /// `Client`).
    #[pyo3(signature = (page=1, per_page=10))]
    fn get_verify<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arg::page)] page: u32,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<Bound<'py, PyDict>> {
        doc(py, &self.inner, move |c| async move {
            documented(c.get_verify(self::page(page, per_page)).await)
        })
    }

    // ---- typed surface -------------------------------------------------------------------

    /// `POST /sms` → `Sms`; raises an `InstasentError` subclass on any failure.
    #[pyo3(signature = (sender, to, text, *, client_id=None, allow_unicode=false))]
    fn send(
        &self,
        py: Python<'_>,
        sender: Str,
        to: Str,
        text: Str,
        client_id: Option<Str>,
        allow_unicode: bool,
    ) -> PyResult<Sms> {
        let mut req = sms(sender, to, text, client_id, allow_unicode);
        let sending = sending_message(&mut req.client_id);
        let r = crate::interrupt::call_sending(py, &self.inner, sending, move |c| async move {
            c.send_sms(&req).await
        })?;
        Sms::new(py, r.body)
    }

    /// `GET /sms/{id}` → `Sms`; an unknown id raises `NotFoundError`.
    fn message(&self, py: Python<'_>, id: Str) -> PyResult<Sms> {
        let r = crate::interrupt::call(py, &self.inner, move |c| async move {
            c.get_sms_by_id(&id).await
        })?;
        Sms::new(py, r.body)
    }

    /// The message sent with `client_id`, or None when the history has none: how to settle an
    /// `AmbiguousOutcomeError` before sending again. Reads the history page by page (the API
    /// has no filter by clientId).
    fn find_message(&self, py: Python<'_>, client_id: Str) -> PyResult<Option<Sms>> {
        let found = crate::interrupt::call(py, &self.inner, move |c| async move {
            c.find_sms_by_client_id(&client_id).await
        })?;
        found.map(|s| Sms::new(py, s)).transpose()
    }

    /// `GET /sms` → one page of the history as a list of `Sms` (`per_page` 1 to 100); `iter_sms`
    /// reads every page.
    #[pyo3(signature = (page=1, per_page=10))]
    fn messages(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = arg::page)] page: u32,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<Vec<Sms>> {
        let r = crate::interrupt::call(py, &self.inner, move |c| async move {
            c.get_sms(self::page(page, per_page)).await
        })?;
        r.body.items.into_iter().map(|s| Sms::new(py, s)).collect()
    }

    /// Every message of the history, fetched `per_page` at a time as you iterate.
    #[pyo3(signature = (per_page=100))]
    fn iter_sms(
        &self,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<SmsIterator> {
        SmsIterator::new(&self.inner, per_page)
    }

    /// `POST /lookup` → `Lookup`: HLR lookup of `to` (E.164). Charged per lookup, so it is retried
    /// only when it certainly was not carried out.
    fn lookup(&self, py: Python<'_>, to: Str) -> PyResult<Lookup> {
        let r = crate::interrupt::call(
            py,
            &self.inner,
            move |c| async move { c.do_lookup(&to).await },
        )?;
        Lookup::new(py, r.body)
    }

    /// `GET /lookup/{id}` → `Lookup`; an unknown id raises `NotFoundError`.
    fn lookup_by_id(&self, py: Python<'_>, id: Str) -> PyResult<Lookup> {
        let r = crate::interrupt::call(py, &self.inner, move |c| async move {
            c.get_lookup_by_id(&id).await
        })?;
        Lookup::new(py, r.body)
    }

    /// Every lookup, fetched `per_page` at a time as you iterate.
    #[pyo3(signature = (per_page=100))]
    fn iter_lookups(
        &self,
        #[pyo3(from_py_with = arg::per_page)] per_page: u32,
    ) -> PyResult<LookupIterator> {
        LookupIterator::new(&self.inner, per_page)
    }

    /// `GET /organization/account` → `Account` (`available`, `currency`).
    fn account(&self, py: Python<'_>) -> PyResult<Account> {
        let r = crate::interrupt::call(py, &self.inner, move |c| async move {
            c.get_account_balance().await
        })?;
        Account::new(py, r.body)
    }

    /// The SMS price profile → a list of `CountryPrice`, the price of one segment per destination
    /// country.
    fn sms_prices(&self, py: Python<'_>) -> PyResult<Vec<CountryPrice>> {
        let r = crate::interrupt::call(py, &self.inner, move |c| async move {
            c.get_sms_price_profile().await
        })?;
        r.body
            .into_iter()
            .map(|c| CountryPrice::new(py, c))
            .collect()
    }

    /// The lookup price profile → a list of `CountryPrice`, the price of one lookup per country.
    fn lookup_prices(&self, py: Python<'_>) -> PyResult<Vec<CountryPrice>> {
        let r = crate::interrupt::call(py, &self.inner, move |c| async move {
            c.get_lookup_price_profile().await
        })?;
        r.body
            .into_iter()
            .map(|c| CountryPrice::new(py, c))
            .collect()
    }

    /// `POST /verify` → `Verify`: texts a code of `token_length` digits, valid for `timeout`
    /// seconds; `text` must contain `%token%`, where the code goes. Retried only when the request
    /// certainly was not carried out (a repeat would text a second code).
    #[pyo3(signature = (sender, to, text, *, token_length=6, timeout=300, client_id=None))]
    #[allow(clippy::too_many_arguments)]
    fn start_verify(
        &self,
        py: Python<'_>,
        sender: Str,
        to: Str,
        text: Str,
        #[pyo3(from_py_with = arg::token_length)] token_length: u32,
        #[pyo3(from_py_with = arg::timeout)] timeout: u32,
        client_id: Option<Str>,
    ) -> PyResult<Verify> {
        let mut req = verify_request(sender, to, text, token_length, timeout, client_id);
        let sending = sending_message(&mut req.client_id);
        let r = crate::interrupt::call_sending(py, &self.inner, sending, move |c| async move {
            c.request_verify(&req).await
        })?;
        Verify::new(py, r.body)
    }

    /// Checks a code; the returned `Verify.status` is `"verified"` when it matched.
    fn verify(&self, py: Python<'_>, id: Str, token: Str) -> PyResult<Verify> {
        let r = crate::interrupt::call(py, &self.inner, move |c| async move {
            c.check_verify(&id, &token).await
        })?;
        Verify::new(py, r.body)
    }

    /// `GET /verify/{id}` → `Verify`; an unknown id raises `NotFoundError`.
    fn verification(&self, py: Python<'_>, id: Str) -> PyResult<Verify> {
        let r = crate::interrupt::call(py, &self.inner, move |c| async move {
            c.get_verify_by_id(&id).await
        })?;
        Verify::new(py, r.body)
    }

    /// Sends any number of messages in bulk requests of `batch_size` (≤ 100), `concurrency`
    /// at a time; returns one `ItemResult` per input, in input order. The iterable is read
    /// lazily, so memory stays bounded by the batches in flight. If the iterable raises, an
    /// item is not a message, `on_progress` raises or Ctrl-C arrives, nothing more is sent, the
    /// batches in flight settle, and the exception's `results` holds the `ItemResult` of every
    /// message sent so far (record them; re-run with the same clientIds and `resume=True`).
    #[pyo3(signature = (messages, *, concurrency=None, batch_size=100, on_progress=None, resume=false, validate=true))]
    #[allow(clippy::too_many_arguments)]
    fn send_bulk<'py>(
        &self,
        py: Python<'py>,
        messages: &Bound<'py, PyAny>,
        #[pyo3(from_py_with = arg::concurrency)] concurrency: Option<usize>,
        #[pyo3(from_py_with = arg::batch_size)] batch_size: usize,
        on_progress: Option<Bound<'py, PyAny>>,
        resume: bool,
        validate: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let options = crate::bulk::options(concurrency, batch_size, resume, validate)?;
        crate::bulk::run(py, &self.inner, messages, options, on_progress)
    }

    /// Like `send_bulk`, streamed: an iterator of `ItemResult`s in input order (each with its
    /// `index`; a result waits until every earlier input's has settled), for campaigns too
    /// large to hold every result at once. Inputs are read only as fast as the API answers,
    /// and at most a few batches ahead of the results taken. When the iterable raises, an item is not a
    /// message, `on_progress` raises or Ctrl-C arrives, nothing more is sent; the results of
    /// the batches in flight are still yielded, and then the exception is raised. `stop()`
    /// ends it early the same way, without an exception. Leaving the loop early sends nothing
    /// more; batches in flight then finish unreported.
    #[pyo3(signature = (messages, *, concurrency=None, batch_size=100, on_progress=None, resume=false, validate=true))]
    #[allow(clippy::too_many_arguments)]
    fn campaign(
        &self,
        messages: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = arg::concurrency)] concurrency: Option<usize>,
        #[pyo3(from_py_with = arg::batch_size)] batch_size: usize,
        on_progress: Option<Bound<'_, PyAny>>,
        resume: bool,
        validate: bool,
    ) -> PyResult<crate::bulk::Campaign> {
        let options = crate::bulk::options(concurrency, batch_size, resume, validate)?;
        crate::bulk::Campaign::start(&self.inner, messages, options, on_progress)
    }
}
