//! Delivery reports: `instasent.parse_dlr`, `instasent.parse_smpp_receipt`,
//! `instasent.DeliveryReport`, `instasent.DeliveryTracker` over `instasent::dlr`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use instasent::dlr;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString};

use crate::convert::{from_pickled_json, from_py, reduce_to_json, string, to_py, Str};
use crate::error::{invalid, IntoPyResult};

/// One delivery report, whatever it arrived as (webhook JSON, SMPP receipt, Insider event).
/// A value: equal reports compare equal, and it pickles (a webhook handler often hands its
/// reports to a job queue that pickles them, such as RQ or `multiprocessing`).
#[pyclass(frozen, eq, module = "instasent")]
#[derive(PartialEq)]
pub struct DeliveryReport {
    inner: dlr::DeliveryReport,
}

#[pymethods]
impl DeliveryReport {
    /// `"webhook"`, `"smpp"` or `"insider"`.
    #[getter]
    fn source(&self) -> &'static str {
        self.inner.source.as_str()
    }
    /// The Instasent message id the report is about.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }
    /// The `clientId` the message was sent with, when the format carries it (webhook JSON).
    #[getter]
    fn client_id(&self) -> Option<&str> {
        self.inner.client_id.as_deref()
    }
    /// Normalised status (`"delivered"`, `"failed"`, …, `"unknown"`).
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status.as_str()
    }
    /// The status exactly as received (`"DELIVRD"`, `"undelivered"`, …).
    #[getter]
    fn raw_status(&self) -> &str {
        &self.inner.raw_status
    }
    /// The error code as received (webhook `code`, SMPP `err`, Insider `reason.code`); 0 is "OK".
    #[getter]
    fn code(&self) -> Option<i64> {
        self.inner.code
    }
    /// The documented meaning of `code`; None for an unknown code.
    #[getter]
    fn code_meaning(&self) -> Option<&str> {
        self.inner.code_meaning.as_deref()
    }
    /// When it happened, RFC 3339 UTC.
    #[getter]
    fn event_at(&self) -> Option<&str> {
        self.inner.event_at.as_deref()
    }
    /// `event_at` as Unix seconds.
    #[getter]
    fn event_unix(&self) -> Option<i64> {
        self.inner.event_unix
    }
    /// True when no further status is expected for this message.
    #[getter]
    fn is_final(&self) -> bool {
        self.inner.is_final
    }
    /// Inbound or opt-out text (webhook `message`).
    #[getter]
    fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }
    /// The handset number, where the format carries it (Insider `phoneNumber`).
    #[getter]
    fn to(&self) -> Option<&str> {
        self.inner.to.as_deref()
    }
    /// SMPP `dlvrd`: whether the receipt counts the message as delivered.
    #[getter]
    fn delivered(&self) -> Option<bool> {
        self.inner.delivered
    }
    /// The payload as a dict; for an SMPP receipt, its fields as text.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.raw)
    }
    /// The report in the core's camelCase JSON form (as in tests/vectors/dlr.json).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::ser_to_py(py, &self.inner)
    }
    /// Pickled as the core's JSON form, so it unpickles exactly, whatever its source was (an
    /// SMPP receipt's text is not kept, so it could not be parsed again).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce_to_json(slf.py(), &slf.get().inner, "_delivery_report_from_json")
    }
    fn __repr__(&self) -> String {
        format!(
            "DeliveryReport(id={:?}, status={:?}, source={:?})",
            self.inner.id,
            self.inner.status.as_str(),
            self.inner.source.as_str()
        )
    }
}

/// Rebuilds a pickled [`DeliveryReport`] from the core's JSON form.
#[pyfunction]
pub fn _delivery_report_from_json(json: Str) -> PyResult<DeliveryReport> {
    Ok(DeliveryReport {
        inner: from_pickled_json(&json, "DeliveryReport")?,
    })
}

/// Parses a delivery report. `payload` is the request body (`bytes`/`str`) or an already
/// decoded JSON `dict`. `format` is `"webhook"`, `"smpp"`, `"insider"` or None to auto-detect.
#[pyfunction]
#[pyo3(signature = (payload, format=None))]
pub fn parse_dlr(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    format: Option<Str>,
) -> PyResult<DeliveryReport> {
    parse_as(py, payload, format.as_deref())
}

fn parse_as(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    format: Option<&str>,
) -> PyResult<DeliveryReport> {
    let bytes: Vec<u8> = if let Ok(b) = payload.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if let Ok(b) = payload.cast::<PyByteArray>() {
        b.to_vec()
    } else if let Ok(s) = payload.cast::<PyString>() {
        string("the delivery report", s)?.into_bytes()
    } else if payload.is_instance_of::<PyDict>() {
        let value = from_py(payload)?;
        let inner = match format {
            Some("webhook") => dlr::parse_webhook_value(&value),
            Some("insider") => dlr::parse_insider_event_value(&value),
            Some("smpp") => return Err(invalid("an SMPP receipt is text, not a dict")),
            Some(other) => return Err(unknown_format(other)),
            None => serde_json::to_vec(&value)
                .map_err(|e| instasent::Error::decode(e.to_string()))
                .and_then(|b| dlr::parse(&b)),
        }
        .py_err()?;
        return Ok(DeliveryReport { inner });
    } else {
        return Err(invalid(format!(
            "a delivery report is bytes, str or dict, not {}",
            payload.get_type().name()?
        )));
    };
    let inner = py
        .detach(|| match format {
            None => Ok(dlr::parse(&bytes)),
            Some("webhook") => Ok(dlr::parse_webhook(&bytes)),
            Some("insider") => Ok(dlr::parse_insider_event(&bytes)),
            Some("smpp") => Ok(std::str::from_utf8(&bytes)
                .map_err(|_| instasent::Error::decode("the SMPP receipt is not UTF-8"))
                .and_then(dlr::parse_smpp_receipt)),
            Some(other) => Err(unknown_format(other)),
        })?
        .py_err()?;
    Ok(DeliveryReport { inner })
}

fn unknown_format(name: &str) -> PyErr {
    invalid(format!(
        "unknown delivery report format {name:?} (expected \"webhook\", \"smpp\" or \"insider\")"
    ))
}

/// Parses an SMPP `deliver_sm` receipt (`id:… sub:… dlvrd:… … stat:… err:… text:…`).
#[pyfunction]
pub fn parse_smpp_receipt(py: Python<'_>, receipt: &Bound<'_, PyAny>) -> PyResult<DeliveryReport> {
    // Bytes too, as `parse_dlr` takes them: a receipt read off a socket is bytes.
    parse_as(py, receipt, Some("smpp"))
}

/// The latest delivery state per message id; out-of-order and repeated reports are judged by
/// the core's rules. Safe to share between threads.
#[pyclass(frozen, module = "instasent")]
pub struct DeliveryTracker {
    inner: Mutex<dlr::DeliveryTracker>,
}

impl DeliveryTracker {
    fn lock(&self) -> std::sync::MutexGuard<'_, dlr::DeliveryTracker> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[pymethods]
impl DeliveryTracker {
    #[new]
    fn new() -> Self {
        DeliveryTracker {
            inner: Mutex::new(dlr::DeliveryTracker::new()),
        }
    }

    /// Records a report: returns `"applied"`, `"duplicate"` or `"stale"`.
    fn record(&self, report: &DeliveryReport) -> &'static str {
        self.lock().record(report.inner.clone()).as_str()
    }

    /// The latest report held for `id`, or None.
    fn get(&self, id: Str) -> Option<DeliveryReport> {
        self.lock()
            .get(&id)
            .map(|r| DeliveryReport { inner: r.clone() })
    }

    fn __len__(&self) -> usize {
        self.lock().len()
    }

    /// False for anything that is not a message id, as `in` on a dict would be.
    fn __contains__(&self, id: &Bound<'_, PyAny>) -> bool {
        match id.extract::<Str>() {
            Ok(id) => self.lock().get(&id).is_some(),
            Err(_) => false,
        }
    }

    /// Messages per current status: `{"delivered": 3, "sent": 1}`.
    fn counts(&self) -> BTreeMap<String, usize> {
        self.lock().counts()
    }

    /// Forgets message `id` and returns its latest report, or None when none is held. Once a
    /// final state is stored elsewhere, a long-running receiver removes it, so the tracker holds
    /// only what is still in flight.
    fn remove(&self, id: Str) -> Option<DeliveryReport> {
        self.lock()
            .remove(&id)
            .map(|inner| DeliveryReport { inner })
    }

    /// The latest report of every message still in flight (no final status yet), in id order.
    fn pending(&self) -> Vec<DeliveryReport> {
        self.lock()
            .pending()
            .map(|r| DeliveryReport { inner: r.clone() })
            .collect()
    }

    /// Pickled as its latest reports in the core's JSON form (a receiver that hands its state
    /// to another process, or keeps it across a restart); unpickled into a tracker that judges
    /// later reports as the original would (the core's `FromIterator`).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let reports: Vec<dlr::DeliveryReport> = slf.get().lock().iter().cloned().collect();
        reduce_to_json(slf.py(), &reports, "_delivery_tracker_from_json")
    }
}

/// Rebuilds a pickled [`DeliveryTracker`] from its latest reports in the core's JSON form.
#[pyfunction]
pub fn _delivery_tracker_from_json(json: Str) -> PyResult<DeliveryTracker> {
    let reports: Vec<dlr::DeliveryReport> = from_pickled_json(&json, "DeliveryTracker")?;
    Ok(DeliveryTracker {
        inner: Mutex::new(reports.into_iter().collect()),
    })
}
