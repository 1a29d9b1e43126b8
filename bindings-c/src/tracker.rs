//! The latest delivery state per message (`instasent::dlr::DeliveryTracker`) behind an opaque
//! handle. Webhooks are retried and arrive out of order; the core's rules decide whether a
//! report replaces the one held.

use std::ffi::c_char;
use std::sync::{Mutex, MutexGuard};

use instasent::dlr::{DeliveryReport, DeliveryTracker, TrackOutcome};

use crate::abi::{self, arg_ref, arg_str, from_json_text, guard, guard_string, guard_unit};
use crate::dlr::{instasent_delivery_report, report_to_c};
use crate::error::{instasent_code, instasent_error, not_found, to_json, Failure};

/// The latest delivery report per message id. Opaque: create it with
/// `instasent_dlr_tracker_new`, free it with `instasent_dlr_tracker_free`. Thread-safe: a
/// webhook receiver may record from several threads at once while another reads.
#[allow(non_camel_case_types)]
pub struct instasent_dlr_tracker {
    inner: Mutex<DeliveryTracker>,
}

impl instasent_dlr_tracker {
    fn lock(&self) -> MutexGuard<'_, DeliveryTracker> {
        // The tracker is plain data: a panic while it was locked leaves it usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What `instasent_dlr_tracker_record` did with a report.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum instasent_track_outcome {
    /// It is now the message's latest state.
    INSTASENT_TRACK_APPLIED = 0,
    /// Same status at the same time as the one held (a redelivered webhook); nothing changed.
    INSTASENT_TRACK_DUPLICATE = 1,
    /// Older than the state held, or a regression after a final status; nothing changed.
    INSTASENT_TRACK_STALE = 2,
}

impl From<TrackOutcome> for instasent_track_outcome {
    fn from(o: TrackOutcome) -> Self {
        match o {
            TrackOutcome::Applied => instasent_track_outcome::INSTASENT_TRACK_APPLIED,
            TrackOutcome::Duplicate => instasent_track_outcome::INSTASENT_TRACK_DUPLICATE,
            TrackOutcome::Stale => instasent_track_outcome::INSTASENT_TRACK_STALE,
        }
    }
}

/// Creates an empty tracker. `*out`: free with `instasent_dlr_tracker_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_dlr_tracker_new(
    out: *mut *mut instasent_dlr_tracker,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard(out, err, || {
        Ok(Box::new(instasent_dlr_tracker {
            inner: Mutex::new(DeliveryTracker::new()),
        }))
    })
}

/// A report as its camelCase JSON (what `instasent_delivery_report.json` holds).
fn report_from_json(json: &str, what: &str) -> Result<DeliveryReport, Failure> {
    let mut report: DeliveryReport = from_json_text(json).map_err(|e| {
        Failure::from(instasent::Error::invalid_argument(format!(
            "{what} is not a delivery report as instasent_parse_dlr produces it: {e}"
        )))
    })?;
    // Finality follows from the status; a hand-written `isFinal` must not freeze a message.
    report.is_final = report.status.is_final();
    Ok(report)
}

fn record(
    tracker: *mut instasent_dlr_tracker,
    outcome: *mut instasent_track_outcome,
    err: *mut *mut instasent_error,
    report: impl FnOnce() -> Result<DeliveryReport, Failure>,
) -> instasent_code {
    guard_unit(err, || {
        let tracker = unsafe { arg_ref(tracker.cast_const(), "tracker") }?;
        let report = report()?; // parsed before the lock is taken
        let result = instasent_track_outcome::from(tracker.lock().record(report));
        // SAFETY: a non-NULL `outcome` points to writable storage (header contract).
        if let Some(slot) = unsafe { outcome.as_mut() } {
            *slot = result;
        }
        Ok(())
    })
}

/// Records a report from `instasent_parse_dlr` (or another parser, or
/// `instasent_dlr_tracker_get`) and writes what happened to `*outcome` unless `outcome` is
/// NULL. The report is read from its `json` member, which the other members mirror. It stays
/// the caller's: free it as usual.
#[no_mangle]
pub unsafe extern "C" fn instasent_dlr_tracker_record(
    tracker: *mut instasent_dlr_tracker,
    report: *const instasent_delivery_report,
    outcome: *mut instasent_track_outcome,
    err: *mut *mut instasent_error,
) -> instasent_code {
    record(tracker, outcome, err, || {
        let report = unsafe { arg_ref(report, "report") }?;
        let json = unsafe { abi::arg_str_unbounded(report.json, "report.json") }?;
        report_from_json(json, "`report.json`")
    })
}

/// Records a report given as its camelCase JSON (`instasent_delivery_report.json`, or the
/// same object from another binding). JSON that is not such a report is
/// INSTASENT_INVALID_ARGUMENT; a raw webhook body is not one: parse it first.
#[no_mangle]
pub unsafe extern "C" fn instasent_dlr_tracker_record_json(
    tracker: *mut instasent_dlr_tracker,
    report_json: *const c_char,
    outcome: *mut instasent_track_outcome,
    err: *mut *mut instasent_error,
) -> instasent_code {
    record(tracker, outcome, err, || {
        report_from_json(
            unsafe { arg_str(report_json, "report_json") }?,
            "`report_json`",
        )
    })
}

/// The latest report held for message `id`, as a copy the caller frees with
/// `instasent_delivery_report_free`. No report yet for `id`: INSTASENT_NOT_FOUND.
#[no_mangle]
pub unsafe extern "C" fn instasent_dlr_tracker_get(
    tracker: *const instasent_dlr_tracker,
    id: *const c_char,
    out: *mut *mut instasent_delivery_report,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe { report_of(tracker, id, out, err, |t, id| t.get(id).cloned()) }
}

/// The report `take` gives for `id` (a copy, or the one removed), handed to the caller, or
/// NOT_FOUND naming `id`.
unsafe fn report_of(
    tracker: *const instasent_dlr_tracker,
    id: *const c_char,
    out: *mut *mut instasent_delivery_report,
    err: *mut *mut instasent_error,
    take: impl FnOnce(&mut DeliveryTracker, &str) -> Option<DeliveryReport>,
) -> instasent_code {
    guard(out, err, || {
        let tracker = unsafe { arg_ref(tracker, "tracker") }?;
        let id = unsafe { arg_str(id, "id") }?;
        let held = take(&mut tracker.lock(), id);
        report_to_c(
            held.ok_or_else(|| {
                not_found(format!("no delivery report recorded for message {id:?}"))
            })?,
        )
    })
}

/// Forgets message `id` (once its final state is stored elsewhere: a long-running receiver's
/// tracker then holds only what is still in flight) and hands its latest report to the caller,
/// who frees it with `instasent_delivery_report_free`. No report for `id`: INSTASENT_NOT_FOUND.
#[no_mangle]
pub unsafe extern "C" fn instasent_dlr_tracker_remove(
    tracker: *const instasent_dlr_tracker,
    id: *const c_char,
    out: *mut *mut instasent_delivery_report,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe { report_of(tracker, id, out, err, |t, id| t.remove(id)) }
}

/// The latest report of every message still in flight (no final status yet), in id order, as a
/// JSON array of reports in their camelCase form (`instasent_delivery_report.json`; `[]` when
/// none). `*out`: free with `instasent_string_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_dlr_tracker_pending_json(
    tracker: *const instasent_dlr_tracker,
    out: *mut *mut c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        json_of(tracker, out, err, |t| {
            to_json(&t.pending().collect::<Vec<_>>(), "the pending reports")
        })
    }
}

/// How many messages are in each normalised status, as a JSON object
/// (`{"delivered":2,"failed":1}`; `{}` when empty). `*out`: free with `instasent_string_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_dlr_tracker_counts_json(
    tracker: *const instasent_dlr_tracker,
    out: *mut *mut c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe { json_of(tracker, out, err, |t| to_json(&t.counts(), "the counts")) }
}

/// What `view` reads of the tracker as JSON, handed to the caller.
unsafe fn json_of(
    tracker: *const instasent_dlr_tracker,
    out: *mut *mut c_char,
    err: *mut *mut instasent_error,
    view: impl FnOnce(&DeliveryTracker) -> Result<String, Failure>,
) -> instasent_code {
    guard_string(out, err, || {
        let tracker = unsafe { arg_ref(tracker, "tracker") }?;
        view(&tracker.lock())
    })
}

/// Frees a tracker and every report it holds. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_dlr_tracker_free(tracker: *mut instasent_dlr_tracker) {
    abi::free_quietly(|| {
        if !tracker.is_null() {
            // SAFETY: made by Box::into_raw in `instasent_dlr_tracker_new`, freed once.
            drop(unsafe { Box::from_raw(tracker) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn tracker() -> *mut instasent_dlr_tracker {
        let mut t = std::ptr::null_mut();
        assert_eq!(
            unsafe { instasent_dlr_tracker_new(&mut t, std::ptr::null_mut()) },
            instasent_code::INSTASENT_OK
        );
        t
    }

    fn record_json(t: *mut instasent_dlr_tracker, json: &str) -> instasent_track_outcome {
        let json = CString::new(json).unwrap();
        let mut outcome = instasent_track_outcome::INSTASENT_TRACK_STALE;
        let code = unsafe {
            instasent_dlr_tracker_record_json(t, json.as_ptr(), &mut outcome, std::ptr::null_mut())
        };
        assert_eq!(code, instasent_code::INSTASENT_OK);
        outcome
    }

    #[test]
    fn a_hand_written_is_final_does_not_freeze_a_message() {
        let t = tracker();
        let sent = r#"{"source":"webhook","id":"m","status":"sent","rawStatus":"sent","isFinal":true,"raw":{}}"#;
        let delivered = r#"{"source":"webhook","id":"m","status":"delivered","rawStatus":"delivered","isFinal":false,"raw":{}}"#;
        assert_eq!(
            record_json(t, sent),
            instasent_track_outcome::INSTASENT_TRACK_APPLIED
        );
        assert_eq!(
            record_json(t, delivered),
            instasent_track_outcome::INSTASENT_TRACK_APPLIED
        );
        let held = unsafe { &*t }.lock().get("m").cloned().unwrap();
        assert!(held.is_final);
        unsafe { instasent_dlr_tracker_free(t) };
    }
}
