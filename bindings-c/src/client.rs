//! The client handle and its options.

use std::ffi::{c_char, CString};
use std::time::Duration;

use instasent::blocking::Client;
use instasent::ClientBuilder;

use crate::abi::{self, guard};
use crate::error::{instasent_code, instasent_error, Failure};

/// An API client. Opaque: create it with `instasent_client_new`, free it with
/// `instasent_client_free`. Thread-safe: any number of threads may make calls on the same
/// client at once (they share its connection pool and rate-limit pacing). Do not free it while
/// another thread is still using it.
#[allow(non_camel_case_types)]
pub struct instasent_client {
    pub(crate) inner: Client,
}

/// Client options. Zero / NULL fields keep the default: pass NULL instead of a struct to keep
/// them all.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct instasent_options {
    /// Base URL of the API; NULL: `$INSTASENT_BASE_URL`, then
    /// `https://api.instasent.com/transactional/v1`. Plain http:// only to loopback.
    pub base_url: *const c_char,
    /// Time limit of one HTTP attempt in milliseconds; 0: 30 000.
    pub timeout_ms: u64,
    /// Retries after the first attempt (429, 5xx, connection errors); negative: the default
    /// policy, 0: never retry.
    pub max_retries: i32,
    /// Bulk requests in flight at once during a campaign; 0: 8.
    pub concurrency: u32,
}

/// Options that keep every default (`base_url` NULL, `max_retries` -1).
#[no_mangle]
pub extern "C" fn instasent_options_default() -> instasent_options {
    instasent_options {
        base_url: std::ptr::null(),
        timeout_ms: 0,
        max_retries: -1,
        concurrency: 0,
    }
}

/// Creates a client for `token` (not NULL). `options` may be NULL. On success `*out` holds a
/// client the caller frees with `instasent_client_free`.
///
/// No request is made here; an empty token or a bad base URL is INSTASENT_INVALID_ARGUMENT.
#[no_mangle]
pub unsafe extern "C" fn instasent_client_new(
    token: *const c_char,
    options: *const instasent_options,
    out: *mut *mut instasent_client,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard(out, err, || {
        // `INSTASENT_LOG=debug` (or info…) logs attempts and retries to stderr.
        instasent::logging::log_to_stderr_from_env();
        let token = unsafe { abi::arg_str(token, "token") }?;
        let mut builder = ClientBuilder::new(token);
        if let Some(o) = unsafe { options.as_ref() } {
            if let Some(url) = unsafe { abi::opt_str(o.base_url, "options.base_url") }? {
                builder = builder.base_url(url);
            }
            if o.timeout_ms > 0 {
                builder = builder.timeout(Duration::from_millis(o.timeout_ms));
            }
            if o.max_retries >= 0 {
                builder = builder.max_retries(o.max_retries as u32);
            }
            if o.concurrency > 0 {
                builder = builder.bulk_concurrency(o.concurrency as usize);
            }
        }
        let inner = Client::from_builder(builder).map_err(Failure::from)?;
        Ok(Box::new(instasent_client { inner }))
    })
}

/// Frees a client. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_client_free(client: *mut instasent_client) {
    abi::free_quietly(|| {
        if !client.is_null() {
            // SAFETY: made by Box::into_raw in `instasent_client_new`, freed once.
            drop(unsafe { Box::from_raw(client) });
        }
    })
}

/// Frees a string the library returned (`instasent_smart_encode`, `instasent_campaign_json`,
/// ...). Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_string_free(s: *mut c_char) {
    abi::free_quietly(|| {
        if !s.is_null() {
            // SAFETY: made by CString::into_raw in this library, freed once.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}
