//! The ABI boundary: every exported function runs its body through [`guard`], which catches
//! panics, clears and fills the out-parameters, and turns a [`Failure`] into a status and an
//! `instasent_error`. Inputs are read through the checked helpers below.

use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{instasent_code, instasent_error, Failure};

/// Largest accepted string argument (1 MiB): an SMS text is at most a few KiB, so anything
/// bigger is a caller bug, answered before any allocation or request.
pub(crate) const MAX_INPUT: usize = 1 << 20;

/// Runs `body`, writing its value to `*out` on success, and maps every failure (including a
/// panic) to a status plus, when `err` is not NULL, an error for the caller to free.
pub(crate) fn guard<T>(
    out: *mut *mut T,
    err: *mut *mut instasent_error,
    body: impl FnOnce() -> Result<Box<T>, Failure>,
) -> instasent_code {
    guard_raw(out, err, || body().map(Box::into_raw))
}

/// [`guard`] for a string result, handed over as a NUL-terminated `char *` freed with
/// `instasent_string_free`.
pub(crate) fn guard_string(
    out: *mut *mut c_char,
    err: *mut *mut instasent_error,
    body: impl FnOnce() -> Result<String, Failure>,
) -> instasent_code {
    guard_raw(out, err, || body().map(crate::error::c_string))
}

fn guard_raw<T>(
    out: *mut *mut T,
    err: *mut *mut instasent_error,
    body: impl FnOnce() -> Result<*mut T, Failure>,
) -> instasent_code {
    clear_err(err);
    let result = if out.is_null() {
        Err(Failure::Null("out"))
    } else {
        // SAFETY: a non-NULL `out` points to writable storage for one pointer (header contract).
        unsafe { *out = std::ptr::null_mut() };
        run(body)
    };
    match result {
        Ok(value) => {
            // SAFETY: checked non-NULL above.
            unsafe { *out = value };
            instasent_code::INSTASENT_OK
        }
        Err(failure) => report(err, failure),
    }
}

/// [`guard`] for a call without a pointer result (its body writes any plain-value
/// out-parameter itself, e.g. an optional `instasent_track_outcome *`).
pub(crate) fn guard_unit(
    err: *mut *mut instasent_error,
    body: impl FnOnce() -> Result<(), Failure>,
) -> instasent_code {
    clear_err(err);
    match run(body) {
        Ok(()) => instasent_code::INSTASENT_OK,
        Err(failure) => report(err, failure),
    }
}

/// Body of an options setter: `options` must not be NULL; `set` changes it or refuses the value
/// (leaving it as it was).
///
/// # Safety
/// `options` is NULL or a live options object made by this library and used by no other thread.
pub(crate) unsafe fn set_option<T>(
    options: *mut T,
    err: *mut *mut instasent_error,
    set: impl FnOnce(&mut T) -> Result<(), Failure>,
) -> instasent_code {
    guard_unit(err, || {
        set(unsafe { options.as_mut() }.ok_or(Failure::Null("options"))?)
    })
}

/// A new options object for the caller, freed with [`free_boxed`].
pub(crate) fn new_boxed<T: Default>() -> *mut T {
    Box::into_raw(Box::<T>::default())
}

/// Frees what [`new_boxed`] (or [`guard`]) handed out. NULL is fine.
///
/// # Safety
/// `p` is NULL or came from `Box::into_raw` in this library and was not freed before.
pub(crate) unsafe fn free_boxed<T>(p: *mut T) {
    free_quietly(|| {
        if !p.is_null() {
            drop(unsafe { Box::from_raw(p) });
        }
    })
}

fn clear_err(err: *mut *mut instasent_error) {
    if !err.is_null() {
        // SAFETY: a non-NULL `err` points to writable storage for one pointer (header contract).
        unsafe { *err = std::ptr::null_mut() };
    }
}

fn run<T>(body: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(r) => r,
        Err(payload) => Err(Failure::Panic(panic_text(payload.as_ref()))),
    }
}

fn report(err: *mut *mut instasent_error, failure: Failure) -> instasent_code {
    let error = failure.into_error();
    let code = error.code;
    if err.is_null() {
        // SAFETY: `error`'s strings were made by `c_string` and are released once.
        unsafe {
            drop_c_string(error.message);
            drop_c_string(error.body);
        }
    } else {
        // SAFETY: non-NULL `err`, see `guard`.
        unsafe { *err = Box::into_raw(Box::new(error)) };
    }
    code
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Runs a `_free` body; a panic there is swallowed (nothing can be reported from a free).
pub(crate) fn free_quietly(f: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(f));
}

/// Releases a string made by `c_string` / `CString::into_raw`. NULL is fine.
///
/// # Safety
/// `p` is NULL or came from `CString::into_raw` and was not freed before.
pub(crate) unsafe fn drop_c_string(p: *mut c_char) {
    if !p.is_null() {
        drop(unsafe { CString::from_raw(p) });
    }
}

/// A required string argument: not NULL, at most [`MAX_INPUT`] bytes, UTF-8.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string that outlives the call.
pub(crate) unsafe fn arg_str<'a>(p: *const c_char, name: &'static str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::Null(name));
    }
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    if bytes.len() > MAX_INPUT {
        return Err(too_large(name, bytes.len()));
    }
    std::str::from_utf8(bytes).map_err(|_| Failure::Utf8(name))
}

/// An optional string argument: NULL means absent.
///
/// # Safety
/// As [`arg_str`].
pub(crate) unsafe fn opt_str<'a>(
    p: *const c_char,
    name: &'static str,
) -> Result<Option<&'a str>, Failure> {
    if p.is_null() {
        Ok(None)
    } else {
        unsafe { arg_str(p, name) }.map(Some)
    }
}

/// A string argument without the size limit (campaign input can be any size).
///
/// # Safety
/// As [`arg_str`].
pub(crate) unsafe fn arg_str_unbounded<'a>(
    p: *const c_char,
    name: &'static str,
) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::Null(name));
    }
    std::str::from_utf8(unsafe { CStr::from_ptr(p) }.to_bytes()).map_err(|_| Failure::Utf8(name))
}

/// A byte-buffer argument of `len` bytes (may hold NULs), at most [`MAX_INPUT`].
///
/// # Safety
/// `p` is NULL or points to `len` readable bytes that outlive the call.
pub(crate) unsafe fn arg_bytes<'a>(
    p: *const c_char,
    len: usize,
    name: &'static str,
) -> Result<&'a [u8], Failure> {
    if p.is_null() {
        return Err(Failure::Null(name));
    }
    if len > MAX_INPUT {
        return Err(too_large(name, len));
    }
    Ok(unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) })
}

/// A JSON argument read as `T`. A value of the wrong type is named by where it sits
/// (`[2].to: invalid type: integer `5`, expected a string …`), which serde_json alone gives only
/// as a line and column.
pub(crate) fn from_json_text<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        instasent::error::at_input_path(&e.path().to_string(), &e.inner().to_string())
    })?;
    de.end().map_err(|e| e.to_string())?;
    Ok(value)
}

/// A handle argument (client, sandbox): not NULL.
///
/// # Safety
/// `p` is NULL or a live handle made by this library.
pub(crate) unsafe fn arg_ref<'a, T>(p: *const T, name: &'static str) -> Result<&'a T, Failure> {
    unsafe { p.as_ref() }.ok_or(Failure::Null(name))
}

fn too_large(name: &'static str, len: usize) -> Failure {
    Failure::from(instasent::Error::invalid_argument(format!(
        "`{name}` is {len} bytes; the limit is {MAX_INPUT} bytes (1 MiB)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_panic_code_and_an_error() {
        let mut out: *mut u8 = std::ptr::null_mut();
        let mut err: *mut instasent_error = std::ptr::null_mut();
        let code = guard(&mut out, &mut err, || -> Result<Box<u8>, Failure> {
            panic!("boom")
        });
        assert_eq!(code, instasent_code::INSTASENT_PANIC);
        assert!(out.is_null());
        let msg = unsafe { CStr::from_ptr((*err).message) }.to_str().unwrap();
        assert!(msg.contains("boom"), "{msg}");
        unsafe { crate::error::instasent_error_free(err) };
    }

    #[test]
    fn a_panic_in_a_call_without_pointer_result_is_reported_too() {
        let mut err: *mut instasent_error = std::ptr::null_mut();
        let code = guard_unit(&mut err, || panic!("boom"));
        assert_eq!(code, instasent_code::INSTASENT_PANIC);
        assert!(!err.is_null());
        unsafe { crate::error::instasent_error_free(err) };
        assert_eq!(
            guard_unit(std::ptr::null_mut(), || Ok(())),
            instasent_code::INSTASENT_OK
        );
    }

    #[test]
    fn a_null_out_is_reported_without_running_the_body() {
        let mut ran = false;
        let code = guard::<u8>(std::ptr::null_mut(), std::ptr::null_mut(), || {
            ran = true;
            Ok(Box::new(1))
        });
        assert_eq!(code, instasent_code::INSTASENT_NULL_ARGUMENT);
        assert!(!ran);
    }

    #[test]
    fn oversized_and_invalid_inputs_are_refused() {
        let big = CString::new(vec![b'a'; MAX_INPUT + 1]).unwrap();
        match unsafe { arg_str(big.as_ptr(), "text") } {
            Err(Failure::Core(e)) => assert_eq!(e.kind(), instasent::ErrorKind::InvalidArgument),
            other => panic!("{other:?}"),
        }
        let bad = CString::new(vec![b'h', 0xFF]).unwrap();
        assert!(matches!(
            unsafe { arg_str(bad.as_ptr(), "text") },
            Err(Failure::Utf8("text"))
        ));
        assert!(matches!(
            unsafe { arg_str(std::ptr::null(), "text") },
            Err(Failure::Null("text"))
        ));
    }
}
