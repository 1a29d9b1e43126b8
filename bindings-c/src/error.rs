//! Status codes and the error struct: the one place where core errors become C values.

use std::ffi::{c_char, c_int, CString};

use instasent::{Error, ErrorKind};

/// Status of every call. `INSTASENT_OK` (0) is success; one code per core error kind, each
/// documented with what the core says it means (see `instasent_code_name` for their stable
/// names, shared with every binding), plus the ones only C callers can cause.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum instasent_code {
    INSTASENT_OK = 0,
    /// The request breaks the API's field rules: refused by the API (HTTP 400 or 422) or by the
    /// SDK's own checks before anything was sent. Not retryable: fix the request. In C, an HTTP 400
    /// or 422 answer to a documented call comes back as a response, not as this code.
    INSTASENT_VALIDATION = 1,
    /// The token is missing, revoked or malformed (HTTP 401 or 403).
    INSTASENT_UNAUTHORIZED = 2,
    /// The account has run out of balance (HTTP 402); nothing more can be sent until it is topped
    /// up.
    INSTASENT_PAYMENT_REQUIRED = 3,
    /// The resource does not exist or is not visible to this token (HTTP 404).
    INSTASENT_NOT_FOUND = 4,
    /// The request is too large (HTTP 413); a bulk request takes at most 100 messages.
    INSTASENT_PAYLOAD_TOO_LARGE = 5,
    /// Rate limited (HTTP 429) beyond the retries; the error says when the window resets.
    INSTASENT_RATE_LIMITED = 6,
    /// The API failed (HTTP 5xx) until the retries were spent. A call that changes something may
    /// have been carried out: the error says whether it may have been committed.
    INSTASENT_SERVER = 7,
    /// The request, or the whole retry budget, took longer than allowed.
    INSTASENT_TIMEOUT = 8,
    /// The connection could not be made, or broke before anything was sent.
    INSTASENT_TRANSPORT = 9,
    /// An answer or a payload could not be understood (a redirect, which the SDK does not follow,
    /// included). In C: an API answer, a DLR webhook body or an SMPP receipt.
    INSTASENT_DECODE = 10,
    /// An argument is unusable; nothing was sent. In C: a bad option, a text over 1 MiB, malformed
    /// JSON input.
    INSTASENT_INVALID_ARGUMENT = 11,
    /// A send went out and no answer settled it: the message may have been accepted. Look it up by
    /// the error's clientId before sending it again.
    INSTASENT_AMBIGUOUS_OUTCOME = 12,
    /// A required pointer argument was NULL.
    INSTASENT_NULL_ARGUMENT = 13,
    /// A string argument was not valid UTF-8.
    INSTASENT_INVALID_UTF8 = 14,
    /// A bug inside the library was caught at the ABI boundary; the call had no effect that
    /// can be relied on.
    INSTASENT_PANIC = 15,
}

/// A failed call, owned by the caller: free it with `instasent_error_free`.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct instasent_error {
    pub code: instasent_code,
    /// What went wrong and what to do next, starting with the code's name
    /// (`"UNAUTHORIZED (HTTP 401): …"`, `"NULL_ARGUMENT: …"`); NUL-terminated, never NULL.
    pub message: *mut c_char,
    /// The HTTP status when the failure came with one, else 0.
    pub http_status: c_int,
    /// The raw response body when there was one, else NULL.
    pub body: *mut c_char,
    /// For a failed send: the message's clientId (yours, or the one the library generated), to
    /// look the message up by after INSTASENT_AMBIGUOUS_OUTCOME before sending it again; else
    /// NULL.
    pub client_id: *mut c_char,
    /// The request may have been carried out although the call failed: always for
    /// INSTASENT_AMBIGUOUS_OUTCOME, and for an error that followed such an attempt.
    pub maybe_committed: bool,
    /// Milliseconds the API asked to wait before trying again (`Retry-After`), else -1.
    pub retry_after_ms: i64,
    /// The per-field messages as a JSON object (`{"to":["This value is not valid."]}`) when a
    /// local check or the API named fields, else NULL.
    pub fields_json: *mut c_char,
}

/// Why a call failed, before it becomes an [`instasent_error`].
#[derive(Debug)]
pub(crate) enum Failure {
    /// Boxed: the core error is large and failures travel through every helper.
    Core(Box<Error>),
    Null(&'static str),
    Utf8(&'static str),
    Panic(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(Box::new(e))
    }
}

pub(crate) fn code_of(kind: ErrorKind) -> instasent_code {
    use instasent_code::*;
    match kind {
        ErrorKind::Validation => INSTASENT_VALIDATION,
        ErrorKind::Unauthorized => INSTASENT_UNAUTHORIZED,
        ErrorKind::PaymentRequired => INSTASENT_PAYMENT_REQUIRED,
        ErrorKind::NotFound => INSTASENT_NOT_FOUND,
        ErrorKind::PayloadTooLarge => INSTASENT_PAYLOAD_TOO_LARGE,
        ErrorKind::RateLimited => INSTASENT_RATE_LIMITED,
        ErrorKind::Server => INSTASENT_SERVER,
        ErrorKind::Timeout => INSTASENT_TIMEOUT,
        ErrorKind::Transport => INSTASENT_TRANSPORT,
        ErrorKind::Decode => INSTASENT_DECODE,
        ErrorKind::InvalidArgument => INSTASENT_INVALID_ARGUMENT,
        ErrorKind::AmbiguousOutcome => INSTASENT_AMBIGUOUS_OUTCOME,
        // ErrorKind is non_exhaustive: a kind added later is still an error, never OK.
        _ => INSTASENT_SERVER,
    }
}

/// INSTASENT_NOT_FOUND: what a call that may find nothing answers when it finds nothing.
pub(crate) fn not_found(message: String) -> Failure {
    Error::new(ErrorKind::NotFound, message).into()
}

/// `value` as JSON text for the caller. Our values always encode; should one not, the call
/// fails rather than hand out a stand-in (`[]` would say "none", `{}` "nothing counted").
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(
    value: &T,
    what: &str,
) -> Result<String, Failure> {
    serde_json::to_string(value)
        .map_err(|e| Error::decode(format!("cannot encode {what} as JSON: {e}")).into())
}

/// A string for C with interior NULs replaced, so that no message is ever lost.
pub(crate) fn c_string(s: impl Into<String>) -> *mut c_char {
    let s: String = s.into();
    let s = if s.contains('\0') {
        s.replace('\0', "\u{FFFD}")
    } else {
        s
    };
    CString::new(s)
        .map(CString::into_raw)
        .unwrap_or(std::ptr::null_mut())
}

impl Failure {
    pub(crate) fn into_error(self) -> instasent_error {
        let mut error = instasent_error {
            code: instasent_code::INSTASENT_OK,
            message: std::ptr::null_mut(),
            http_status: 0,
            body: std::ptr::null_mut(),
            client_id: std::ptr::null_mut(),
            maybe_committed: false,
            retry_after_ms: -1,
            fields_json: std::ptr::null_mut(),
        };
        if let Failure::Core(e) = &self {
            error.client_id = e.client_id().map_or(std::ptr::null_mut(), c_string);
            error.maybe_committed = e.maybe_committed();
            error.retry_after_ms = e
                .retry_after()
                .map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
            if !e.fields().is_empty() {
                error.fields_json =
                    serde_json::to_string(e.fields()).map_or(std::ptr::null_mut(), c_string);
            }
        }
        let (code, message, http_status, body) = match self {
            Failure::Core(e) => (
                code_of(e.kind()),
                e.to_string(),
                e.status().map_or(0, c_int::from),
                e.body().map(str::to_owned),
            ),
            // Worded as the core's errors are: the code's name first.
            Failure::Null(arg) => (
                instasent_code::INSTASENT_NULL_ARGUMENT,
                format!("NULL_ARGUMENT: `{arg}` is NULL"),
                0,
                None,
            ),
            Failure::Utf8(arg) => (
                instasent_code::INSTASENT_INVALID_UTF8,
                format!("INVALID_UTF8: `{arg}` is not valid UTF-8"),
                0,
                None,
            ),
            Failure::Panic(what) => (
                instasent_code::INSTASENT_PANIC,
                format!("PANIC: internal error (please report it): {what}"),
                0,
                None,
            ),
        };
        instasent_error {
            code,
            message: c_string(message),
            http_status,
            body: body.map_or(std::ptr::null_mut(), c_string),
            ..error
        }
    }
}

/// Frees an error returned through an `err` out-parameter. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_error_free(err: *mut instasent_error) {
    crate::abi::free_quietly(|| {
        if err.is_null() {
            return;
        }
        // SAFETY: `err` came from Box::into_raw in `abi::guard` and is freed once.
        let err = unsafe { Box::from_raw(err) };
        unsafe {
            crate::abi::drop_c_string(err.message);
            crate::abi::drop_c_string(err.body);
            crate::abi::drop_c_string(err.client_id);
            crate::abi::drop_c_string(err.fields_json);
        }
    })
}

/// The stable name of a code ("OK", "RATE_LIMITED", "NULL_ARGUMENT", ...), the same strings
/// every instasent binding uses. A static string: never free it. Unknown values give
/// "UNKNOWN".
#[no_mangle]
pub extern "C" fn instasent_code_name(code: c_int) -> *const c_char {
    let name: &'static [u8] = match code {
        0 => b"OK\0",
        1 => b"VALIDATION\0",
        2 => b"UNAUTHORIZED\0",
        3 => b"PAYMENT_REQUIRED\0",
        4 => b"NOT_FOUND\0",
        5 => b"PAYLOAD_TOO_LARGE\0",
        6 => b"RATE_LIMITED\0",
        7 => b"SERVER\0",
        8 => b"TIMEOUT\0",
        9 => b"TRANSPORT\0",
        10 => b"DECODE\0",
        11 => b"INVALID_ARGUMENT\0",
        12 => b"AMBIGUOUS_OUTCOME\0",
        13 => b"NULL_ARGUMENT\0",
        14 => b"INVALID_UTF8\0",
        15 => b"PANIC\0",
        _ => b"UNKNOWN\0",
    };
    name.as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn every_kind_has_its_core_code_name() {
        for &kind in ErrorKind::ALL {
            let code = code_of(kind) as c_int;
            let name = unsafe { CStr::from_ptr(instasent_code_name(code)) };
            assert_eq!(name.to_str().unwrap(), kind.code());
        }
    }

    #[test]
    fn the_header_documents_every_kind_with_its_core_meaning() {
        let header = include_str!("../include/instasent.h");
        for &kind in ErrorKind::ALL {
            let variant = format!("INSTASENT_{} = {},", kind.code(), code_of(kind) as c_int);
            let at = header
                .find(&variant)
                .unwrap_or_else(|| panic!("{variant} not in the header"));
            let doc: Vec<&str> = header[..at]
                .lines()
                .rev()
                .skip(1)
                .map(str::trim)
                .take_while(|l| l.starts_with("///"))
                .map(|l| l.trim_start_matches('/').trim())
                .collect();
            let doc = doc.into_iter().rev().collect::<Vec<_>>().join(" ");
            assert!(doc.starts_with(kind.meaning()), "{variant}: {doc}");
        }
    }

    #[test]
    fn interior_nul_does_not_lose_the_message() {
        let p = c_string("a\0b");
        let s = unsafe { CString::from_raw(p) };
        assert_eq!(s.to_str().unwrap(), "a\u{FFFD}b");
    }
}
