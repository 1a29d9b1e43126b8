//! Typed results: frozen classes built from the core's structs. `raw` holds the entity as the
//! API sent it (every field, including ones this SDK does not name yet).

use instasent::SmsRequest;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{ser_to_py, to_py, Str};

mod campaign;

pub use campaign::*;

fn repr_fields(name: &str, fields: &[(&str, String)]) -> String {
    let inner: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{name}({})", inner.join(", "))
}

fn q(s: &Option<String>) -> String {
    s.as_ref().map_or("None".into(), |s| format!("{s:?}"))
}

/// One message to send: `instasent.Message(sender, to, text, client_id=None, allow_unicode=False)`.
/// A value: equal messages compare equal and hash alike, and it pickles (queues such as RQ and
/// `multiprocessing` pickle what they carry).
#[pyclass(frozen, eq, hash, module = "instasent")]
#[derive(PartialEq, Eq, Hash)]
pub struct Message {
    pub inner: SmsRequest,
}

#[pymethods]
impl Message {
    #[new]
    #[pyo3(signature = (sender, to, text, client_id=None, allow_unicode=false))]
    fn new(sender: Str, to: Str, text: Str, client_id: Option<Str>, allow_unicode: bool) -> Self {
        Message {
            inner: crate::client::sms(sender, to, text, client_id, allow_unicode),
        }
    }
    /// Sender ID: up to 11 letters and digits, or up to 14 digits (the API's `from`).
    #[getter]
    fn sender(&self) -> &str {
        &self.inner.from
    }
    /// Destination in E.164 (`+34600000000`).
    #[getter]
    fn to(&self) -> &str {
        &self.inner.to
    }
    /// The message body.
    #[getter]
    fn text(&self) -> &str {
        &self.inner.text
    }
    /// Your reference (up to 40 characters, unique per SMS), or None: one is generated when the
    /// message is sent.
    #[getter]
    fn client_id(&self) -> Option<&str> {
        self.inner.client_id.as_deref()
    }
    /// Whether a text with characters outside GSM-7 may travel as UCS-2.
    #[getter]
    fn allow_unicode(&self) -> bool {
        self.inner.allow_unicode
    }
    fn __getnewargs__(&self) -> (String, String, String, Option<String>, bool) {
        let m = &self.inner;
        (
            m.from.clone(),
            m.to.clone(),
            m.text.clone(),
            m.client_id.clone(),
            m.allow_unicode,
        )
    }
    fn __repr__(&self) -> String {
        repr_fields(
            "Message",
            &[
                ("sender", format!("{:?}", self.inner.from)),
                ("to", format!("{:?}", self.inner.to)),
                ("client_id", q(&self.inner.client_id)),
            ],
        )
    }
}

/// How an entity pickles: its JSON form (what `raw` holds), rebuilt by [`_entity_from_raw`]
/// through the core's own reading, so it unpickles as the same class with the same fields.
/// Queues (Celery, RQ, `multiprocessing`) pickle what a task returns.
type Reduced<'py> = (Bound<'py, PyAny>, (&'static str, Py<PyAny>));

fn reduce_entity<'py>(
    py: Python<'py>,
    class: &'static str,
    raw: &Py<PyAny>,
) -> PyResult<Reduced<'py>> {
    let restore = py
        .import("instasent._instasent")?
        .getattr("_entity_from_raw")?;
    Ok((restore, (class, raw.clone_ref(py))))
}

/// Rebuilds a pickled entity (`Sms`, `Lookup`, `Account`, `CountryPrice`, `Verify`).
#[pyfunction]
pub fn _entity_from_raw(
    py: Python<'_>,
    class_name: Str,
    raw: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let class = class_name;
    fn read<T: serde::de::DeserializeOwned>(class: &str, json: serde_json::Value) -> PyResult<T> {
        serde_json::from_value(json)
            .map_err(|e| crate::error::invalid(format!("not a pickled {class}: {e}")))
    }
    let json = crate::convert::from_py(raw)?;
    Ok(match &*class {
        "Sms" => Py::new(py, Sms::new(py, read(&class, json)?)?)?.into_any(),
        "Lookup" => Py::new(py, Lookup::new(py, read(&class, json)?)?)?.into_any(),
        "Account" => Py::new(py, Account::new(py, read(&class, json)?)?)?.into_any(),
        "CountryPrice" => Py::new(py, CountryPrice::new(py, read(&class, json)?)?)?.into_any(),
        "Verify" => Py::new(py, Verify::new(py, read(&class, json)?)?)?.into_any(),
        other => {
            return Err(crate::error::invalid(format!(
                "not a pickled instasent entity: {other:?}"
            )))
        }
    })
}

/// A message as the API returns it.
#[pyclass(frozen, get_all, module = "instasent")]
pub struct Sms {
    /// Instasent's message id, the key its delivery reports carry. Empty when `status` is
    /// `"accepted_earlier"`: an earlier attempt was accepted and its id could not be read back
    /// (`find_message(client_id)` finds it).
    id: String,
    /// The `clientId` the message was sent with.
    client_id: Option<String>,
    /// Sender ID (the API's `from`).
    sender: String,
    /// Destination number, E.164.
    to: String,
    /// The message body.
    text: String,
    /// Latest status as the API reports it; `"accepted_earlier"` when a retried send found the
    /// message accepted by an earlier attempt.
    status: Option<String>,
    /// `"GSM-7"` or `"UCS-2"`.
    encoding: Option<String>,
    /// Segments the message travels in and is charged for; None when the answer left it out.
    segments: Option<u32>,
    /// What the message cost, in the account's currency; None when the answer left it out.
    price: Option<f64>,
    /// Destination country, ISO 3166-1 alpha-2.
    country: Option<String>,
    /// When the API accepted the message (ISO 8601, as the API writes it).
    created_at: Option<String>,
    /// The entity as the API sent it, as a dict: every field, including ones this SDK does not name
    /// yet.
    raw: Py<PyAny>,
}

impl Sms {
    pub fn new(py: Python<'_>, s: instasent::Sms) -> PyResult<Sms> {
        let raw = ser_to_py(py, &s)?.unbind();
        Ok(Sms {
            id: s.id,
            client_id: s.client_id,
            sender: s.from,
            to: s.to,
            text: s.text,
            status: s.status,
            encoding: s.encoding,
            segments: s.segments,
            price: s.price,
            country: s.country,
            created_at: s.created_at,
            raw,
        })
    }
}

#[pymethods]
impl Sms {
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        reduce_entity(slf.py(), "Sms", &slf.get().raw)
    }
    fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        self.raw.bind(py).eq(other.raw.bind(py))
    }
    fn __repr__(&self) -> String {
        repr_fields(
            "Sms",
            &[
                ("id", format!("{:?}", self.id)),
                ("to", format!("{:?}", self.to)),
                ("status", q(&self.status)),
            ],
        )
    }
}

/// An HLR lookup.
#[pyclass(frozen, get_all, module = "instasent")]
pub struct Lookup {
    /// Instasent's lookup id (for `lookup_by_id`).
    id: String,
    /// The number looked up, E.164.
    to: String,
    /// `"valid"`, `"invalid"` or `"unknown"`.
    status: Option<String>,
    /// Country of the number, ISO 3166-1 alpha-2, when known.
    country: Option<String>,
    /// Name of the mobile network the number is on, when known.
    network: Option<String>,
    /// Mobile country code of that network, when known.
    mcc: Option<String>,
    /// Mobile network code of that network, when known.
    mnc: Option<String>,
    /// Whether the number was ported away from its original network, when known.
    ported: Option<bool>,
    /// When the lookup was made (ISO 8601, as the API writes it).
    created_at: Option<String>,
    /// The entity as the API sent it, as a dict: every field, including ones this SDK does not name
    /// yet.
    raw: Py<PyAny>,
}

impl Lookup {
    pub fn new(py: Python<'_>, l: instasent::Lookup) -> PyResult<Lookup> {
        let raw = ser_to_py(py, &l)?.unbind();
        Ok(Lookup {
            id: l.id,
            to: l.to,
            status: l.status,
            country: l.country,
            network: l.network,
            mcc: l.mcc,
            mnc: l.mnc,
            ported: l.ported,
            created_at: l.created_at,
            raw,
        })
    }
}

#[pymethods]
impl Lookup {
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        reduce_entity(slf.py(), "Lookup", &slf.get().raw)
    }
    fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        self.raw.bind(py).eq(other.raw.bind(py))
    }
    fn __repr__(&self) -> String {
        repr_fields(
            "Lookup",
            &[
                ("id", format!("{:?}", self.id)),
                ("to", format!("{:?}", self.to)),
                ("status", q(&self.status)),
            ],
        )
    }
}

/// The account balance.
#[pyclass(frozen, get_all, module = "instasent")]
pub struct Account {
    /// Balance available for sending, in `currency`.
    available: f64,
    /// ISO 4217 code of the balance (`"EUR"`).
    currency: String,
    /// The entity as the API sent it, as a dict: every field, including ones this SDK does not name
    /// yet.
    raw: Py<PyAny>,
}

impl Account {
    pub fn new(py: Python<'_>, a: instasent::Account) -> PyResult<Account> {
        let raw = ser_to_py(py, &a)?.unbind();
        Ok(Account {
            available: a.available,
            currency: a.currency,
            raw,
        })
    }
}

#[pymethods]
impl Account {
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        reduce_entity(slf.py(), "Account", &slf.get().raw)
    }
    fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        self.raw.bind(py).eq(other.raw.bind(py))
    }
    fn __repr__(&self) -> String {
        format!(
            "Account(available={}, currency={:?})",
            self.available, self.currency
        )
    }
}

/// One country of a price profile.
#[pyclass(frozen, get_all, module = "instasent")]
pub struct CountryPrice {
    /// ISO 3166-1 alpha-2 code of the country.
    country: String,
    /// Dialling prefix without `+` (`"34"`).
    prefix: String,
    /// Price of one SMS segment (or one lookup), in `currency`.
    price: f64,
    /// ISO 4217 code of `price`.
    currency: String,
    /// The entity as the API sent it, as a dict: every field, including ones this SDK does not name
    /// yet.
    raw: Py<PyAny>,
}

impl CountryPrice {
    pub fn new(py: Python<'_>, c: instasent::CountryPrice) -> PyResult<CountryPrice> {
        let raw = ser_to_py(py, &c)?.unbind();
        Ok(CountryPrice {
            country: c.country,
            prefix: c.prefix,
            price: c.price,
            currency: c.currency,
            raw,
        })
    }
}

#[pymethods]
impl CountryPrice {
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        reduce_entity(slf.py(), "CountryPrice", &slf.get().raw)
    }
    fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        self.raw.bind(py).eq(other.raw.bind(py))
    }
    fn __repr__(&self) -> String {
        format!(
            "CountryPrice(country={:?}, prefix={:?}, price={})",
            self.country, self.prefix, self.price
        )
    }
}

/// A verification.
#[pyclass(frozen, get_all, module = "instasent")]
pub struct Verify {
    /// Instasent's verification id (for `verify` and `verification`).
    id: String,
    /// `"pending"`, `"verified"` (the right code was checked), `"failed"` or `"expired"`.
    status: String,
    /// The number the code was sent to, E.164.
    to: String,
    /// The `clientId` the request was sent with.
    client_id: Option<String>,
    /// When the code stops being accepted (ISO 8601, as the API writes it).
    expires_at: Option<String>,
    /// Codes checked so far, when the API reports it.
    attempts: Option<u32>,
    /// The entity as the API sent it, as a dict: every field, including ones this SDK does not name
    /// yet.
    raw: Py<PyAny>,
}

impl Verify {
    pub fn new(py: Python<'_>, v: instasent::Verify) -> PyResult<Verify> {
        let raw = ser_to_py(py, &v)?.unbind();
        Ok(Verify {
            id: v.id,
            status: v.status,
            to: v.to,
            client_id: v.client_id,
            expires_at: v.expires_at,
            attempts: v.attempts,
            raw,
        })
    }
}

#[pymethods]
impl Verify {
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        reduce_entity(slf.py(), "Verify", &slf.get().raw)
    }
    fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        self.raw.bind(py).eq(other.raw.bind(py))
    }
    fn __repr__(&self) -> String {
        format!("Verify(id={:?}, status={:?})", self.id, self.status)
    }
}

/// `{"response_code": int, "response_body": ...}`, the documented return shape.
pub fn documented_dict<'py>(
    py: Python<'py>,
    d: &instasent::DocumentedResponse,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("response_code", d.response_code)?;
    dict.set_item("response_body", to_py(py, &d.response_body)?)?;
    Ok(dict)
}
