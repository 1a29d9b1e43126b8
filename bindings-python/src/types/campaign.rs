//! What a bulk send reports: the fate of each input (`ItemResult`) and the running totals
//! (`Progress`).

use instasent::{FieldErrors, Outcome, RejectStage};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use super::{q, repr_fields};
use crate::convert::Str;

/// The fate of one input of a bulk send: `status` is `"accepted"`, `"rejected"` or `"failed"`.
#[pyclass(frozen, eq, module = "instasent")]
#[derive(PartialEq)]
pub struct ItemResult {
    /// Position of the input in the iterable it came from, from 0.
    #[pyo3(get)]
    index: u64,
    /// `"accepted"`, `"rejected"` (by a local check or by the API; see `stage` and `fields`) or
    /// `"failed"` (its request failed as a whole; see `error_code`).
    #[pyo3(get)]
    status: &'static str,
    /// Instasent's message id of an accepted input; None otherwise, and for an `accepted_earlier`
    /// one.
    #[pyo3(get)]
    id: Option<String>,
    /// The `clientId` the input carried, yours or generated. After a failed
    /// `AMBIGUOUS_OUTCOME`, look the message up by it (`find_message`) before sending it again.
    #[pyo3(get)]
    client_id: Option<String>,
    /// True when a retry (or a re-run with `resume=True`) was refused as "clientId already used":
    /// an earlier request had been accepted.
    #[pyo3(get)]
    accepted_earlier: bool,
    /// Per-field messages of a rejected input; built only for those (a campaign's accepted
    /// majority would otherwise pay for an empty dict each).
    rejected_fields: Option<FieldErrors>,
    /// `"local"` or `"server"` for a rejected input.
    #[pyo3(get)]
    stage: Option<&'static str>,
    /// The error code of a failed input: the `code` of the `InstasentError` its request met
    /// (`"PAYMENT_REQUIRED"`, `"AMBIGUOUS_OUTCOME"`, …).
    #[pyo3(get)]
    error_code: Option<&'static str>,
    /// The error message of a failed input.
    #[pyo3(get)]
    message: Option<String>,
}

/// The results of a bulk send as a Python list.
///
/// pyo3 makes every `#[pyclass]` a GC type, so a campaign's 100,000 results would each be
/// tracked by the cycle collector, which then rescans them in every full collection while the
/// list grows (about a tenth of a Python campaign's CPU). An `ItemResult` holds no Python
/// object and so can never be part of a cycle; untracking it is what CPython does for tuples of
/// atomic values. Should `ItemResult` ever hold a Python object, this must go.
pub fn item_results<'py>(
    py: Python<'py>,
    results: impl IntoIterator<Item = instasent::ItemResult>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for r in results {
        let obj = Bound::new(py, ItemResult::new(r))?;
        // SAFETY: `obj` is a live, GC-tracked object owned here; untracking an object is always
        // allowed, and pyo3's dealloc untracks only when still tracked.
        unsafe { pyo3::ffi::PyObject_GC_UnTrack(obj.as_ptr().cast()) };
        list.append(obj)?;
    }
    Ok(list)
}

impl ItemResult {
    pub fn new(r: instasent::ItemResult) -> ItemResult {
        let mut out = ItemResult {
            index: r.index,
            status: "accepted",
            id: None,
            client_id: None,
            accepted_earlier: false,
            rejected_fields: None,
            stage: None,
            error_code: None,
            message: None,
        };
        match r.outcome {
            Outcome::Accepted {
                id,
                client_id,
                accepted_earlier,
            } => {
                out.id = id;
                out.client_id = Some(client_id);
                out.accepted_earlier = accepted_earlier;
            }
            Outcome::Rejected {
                client_id,
                stage,
                fields,
            } => {
                out.status = "rejected";
                out.client_id = client_id;
                out.stage = Some(match stage {
                    RejectStage::Local => "local",
                    RejectStage::Server => "server",
                });
                out.rejected_fields = Some(fields);
            }
            Outcome::Failed {
                client_id,
                kind,
                message,
            } => {
                out.status = "failed";
                out.client_id = client_id;
                out.error_code = Some(kind.code());
                out.message = Some(message);
            }
        }
        out
    }
}

#[pymethods]
impl ItemResult {
    /// Per-field messages of a rejected input (`{}` otherwise).
    #[getter]
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (k, v) in self.rejected_fields.iter().flatten() {
            dict.set_item(k, v)?;
        }
        Ok(dict)
    }
    /// True when the input was accepted.
    #[getter]
    fn ok(&self) -> bool {
        self.status == "accepted"
    }
    /// Pickled field by field (an exception carrying a stopped `send_bulk`'s `results` pickles
    /// only if they do), rebuilt by [`_item_result`].
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let r = slf.get();
        let args = (
            r.index,
            r.status,
            r.id.clone(),
            r.client_id.clone(),
            r.accepted_earlier,
            r.rejected_fields.clone(),
            r.stage,
            r.error_code,
            r.message.clone(),
        )
            .into_pyobject(py)?;
        let restore = py.import("instasent._instasent")?.getattr("_item_result")?;
        Ok((restore, args))
    }
    fn __repr__(&self) -> String {
        repr_fields(
            "ItemResult",
            &[
                ("index", self.index.to_string()),
                ("status", format!("{:?}", self.status)),
                ("id", q(&self.id)),
                ("client_id", q(&self.client_id)),
            ],
        )
    }
}

/// Rebuilds a pickled [`ItemResult`]; its words are checked against the ones it can hold.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn _item_result(
    index: u64,
    status: Str,
    id: Option<String>,
    client_id: Option<String>,
    accepted_earlier: bool,
    fields: Option<FieldErrors>,
    stage: Option<Str>,
    error_code: Option<Str>,
    message: Option<String>,
) -> PyResult<ItemResult> {
    fn one_of(what: &str, word: &str, words: &[&'static str]) -> PyResult<&'static str> {
        words.iter().copied().find(|w| *w == word).ok_or_else(|| {
            crate::error::invalid(format!("not a pickled ItemResult: {what} {word:?}"))
        })
    }
    let codes: Vec<&'static str> = instasent::ErrorKind::ALL.iter().map(|k| k.code()).collect();
    Ok(ItemResult {
        index,
        status: one_of("status", &status, &["accepted", "rejected", "failed"])?,
        id,
        client_id,
        accepted_earlier,
        rejected_fields: fields,
        stage: stage
            .map(|s| one_of("stage", &s, &["local", "server"]))
            .transpose()?,
        error_code: error_code
            .map(|c| one_of("error code", &c, &codes))
            .transpose()?,
        message,
    })
}

/// Running totals of a bulk send, passed to `on_progress`.
#[pyclass(frozen, eq, get_all, module = "instasent")]
#[derive(Clone, PartialEq)]
pub struct Progress {
    /// Inputs read so far.
    read: u64,
    /// Inputs the API accepted, `accepted_earlier` ones included.
    accepted: u64,
    /// Inputs rejected, by the local checks or by the API.
    rejected: u64,
    /// Inputs whose request failed as a whole, or that were not sent once a 401 or 402 halted the
    /// campaign.
    failed: u64,
    /// Bulk requests answered (and batches failed unsent after a 401 or 402).
    requests: u64,
    /// Seconds since the send started.
    elapsed_secs: f64,
}

impl From<instasent::Progress> for Progress {
    fn from(p: instasent::Progress) -> Self {
        Progress {
            read: p.read,
            accepted: p.accepted,
            rejected: p.rejected,
            failed: p.failed,
            requests: p.requests,
            elapsed_secs: p.elapsed_secs,
        }
    }
}

#[pymethods]
impl Progress {
    /// Inputs settled so far: `accepted + rejected + failed`.
    #[getter]
    fn done(&self) -> u64 {
        self.accepted + self.rejected + self.failed
    }
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let p = slf.get();
        let args = (
            p.read,
            p.accepted,
            p.rejected,
            p.failed,
            p.requests,
            p.elapsed_secs,
        )
            .into_pyobject(py)?;
        Ok((
            py.import("instasent._instasent")?.getattr("_progress")?,
            args,
        ))
    }
    fn __repr__(&self) -> String {
        format!(
            "Progress(read={}, accepted={}, rejected={}, failed={}, requests={})",
            self.read, self.accepted, self.rejected, self.failed, self.requests
        )
    }
}

/// Rebuilds a pickled [`Progress`].
#[pyfunction]
pub fn _progress(
    read: u64,
    accepted: u64,
    rejected: u64,
    failed: u64,
    requests: u64,
    elapsed_secs: f64,
) -> Progress {
    Progress {
        read,
        accepted,
        rejected,
        failed,
        requests,
        elapsed_secs,
    }
}
