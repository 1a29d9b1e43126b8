//! `instasent.segments`, `instasent.smart_encode`: the core's GSM-7/UCS-2 analysis.

use instasent::encoding::{self, AnalyzeOptions, ShiftTable};
use pyo3::prelude::*;

use crate::convert::{from_pickled_json, reduce_to_json, Str};
use crate::error::invalid;

/// What a text costs as an SMS (`instasent.segments(text)`).
#[pyclass(frozen, eq, module = "instasent")]
#[derive(PartialEq)]
pub struct Analysis {
    inner: encoding::Analysis,
}

#[pymethods]
impl Analysis {
    /// `"GSM-7"` or `"UCS-2"`.
    #[getter]
    fn encoding(&self) -> &'static str {
        self.inner.encoding.as_str()
    }
    /// Short messages the text travels in (and is charged for); an empty text still makes one.
    #[getter]
    fn segments(&self) -> usize {
        self.inner.segments
    }
    /// Units the whole text takes: GSM-7 septets (an extension character takes two) or UCS-2 code
    /// units.
    #[getter]
    fn units(&self) -> usize {
        self.inner.units
    }
    /// The text of each segment; their concatenation is `text`.
    #[getter]
    fn parts(&self) -> Vec<String> {
        self.inner.parts.clone()
    }
    /// Distinct characters, in order of first appearance, that kept the text out of GSM-7.
    #[getter]
    fn unicode_chars(&self) -> Vec<String> {
        self.inner
            .unicode_chars
            .iter()
            .map(|c| c.to_string())
            .collect()
    }
    /// The text as it travels (after smart encoding, when that applied).
    #[getter]
    fn text(&self) -> &str {
        &self.inner.text
    }
    /// Units of one message sent alone (160, 155, 152 or 70).
    #[getter]
    fn single_capacity(&self) -> usize {
        self.inner.single_capacity
    }
    /// Units of each part of a concatenated message (153, 149, 146 or 67).
    #[getter]
    fn per_part_capacity(&self) -> usize {
        self.inner.per_part_capacity
    }
    /// Units of each part, in order.
    #[getter]
    fn part_units(&self) -> Vec<usize> {
        self.inner.part_units.clone()
    }
    /// Units the last segment can still take.
    #[getter]
    fn remaining(&self) -> usize {
        self.inner.remaining
    }
    /// National locking shift table in use (`"spanish"`, `"portuguese"`, `"turkish"`), or None.
    #[getter]
    fn locking_shift(&self) -> Option<&'static str> {
        self.inner.locking_shift.map(ShiftTable::as_str)
    }
    /// National single shift table in use, or None.
    #[getter]
    fn single_shift(&self) -> Option<&'static str> {
        self.inner.single_shift.map(ShiftTable::as_str)
    }
    /// Whether smart encoding changed the text.
    #[getter]
    fn smart_applied(&self) -> bool {
        self.inner.smart_applied
    }
    /// `[(from_char, replacement), ...]` made by smart encoding.
    #[getter]
    fn replaced(&self) -> Vec<(String, String)> {
        self.inner
            .replaced
            .iter()
            .map(|r| (r.from.to_string(), r.to.clone()))
            .collect()
    }
    /// The analysis in the core's camelCase JSON form (as in tests/vectors/encoding.json).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::ser_to_py(py, &self.inner)
    }
    /// Pickled as the core's JSON form, so that an analysis made in a worker process (a
    /// `multiprocessing` pool over a million texts) comes back exactly as it was.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce_to_json(slf.py(), &slf.get().inner, "_analysis_from_json")
    }
    fn __repr__(&self) -> String {
        format!(
            "Analysis(encoding={:?}, segments={}, units={})",
            self.inner.encoding.as_str(),
            self.inner.segments,
            self.inner.units
        )
    }
}

/// Rebuilds a pickled [`Analysis`] from the core's JSON form.
#[pyfunction]
pub fn _analysis_from_json(json: Str) -> PyResult<Analysis> {
    Ok(Analysis {
        inner: from_pickled_json(&json, "Analysis")?,
    })
}

/// Analyses `text` as it would be sent: encoding, segments, units, parts and more. Local: nothing
/// is sent. `smart=True` replaces look-alike characters by GSM-7 ones when that makes the message
/// cheaper; `shift_table` (`"spanish"`, `"portuguese"` or `"turkish"`) allows that national
/// table when it saves segments.
#[pyfunction]
#[pyo3(signature = (text, smart=false, shift_table=None))]
pub fn segments(
    py: Python<'_>,
    text: Str,
    smart: bool,
    shift_table: Option<Str>,
) -> PyResult<Analysis> {
    let shift_table = shift_table
        .as_deref()
        .map(|name| {
            ShiftTable::parse(name).ok_or_else(|| {
                invalid(format!(
                    "unknown shift table {name:?} (expected \"spanish\", \"portuguese\" or \"turkish\")"
                ))
            })
        })
        .transpose()?;
    let options = AnalyzeOptions::default()
        .smart(smart)
        .shift_table(shift_table);
    let inner = py.detach(|| encoding::analyze(&text, &options));
    Ok(Analysis { inner })
}

/// `text` with look-alike characters replaced by GSM-7 ones where that makes it cheaper.
#[pyfunction]
pub fn smart_encode(py: Python<'_>, text: Str) -> String {
    py.detach(|| encoding::smart_encode(&text))
}
