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

/// Client options. Opaque, so that an option added later changes no program built against this
/// header: make them with `instasent_options_new`, call the setters of the options you need
/// (any other keeps its default), pass them to `instasent_client_new` (which copies them: free
/// or reuse them right after) and free them with `instasent_options_free`. The setters copy
/// their strings. Not for two threads at once. Values out of range are refused by
/// `instasent_client_new`, with a message that names the option.
#[allow(non_camel_case_types)]
#[derive(Default)]
pub struct instasent_options {
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_retries: Option<u32>,
    concurrency: Option<usize>,
    user_agent: Option<String>,
    token_in_query: Option<bool>,
    allow_insecure_http: Option<bool>,
    pacing: Option<bool>,
}

impl instasent_options {
    fn apply(&self, mut builder: ClientBuilder) -> ClientBuilder {
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(retries) = self.max_retries {
            builder = builder.max_retries(retries);
        }
        if let Some(concurrency) = self.concurrency {
            builder = builder.bulk_concurrency(concurrency);
        }
        if let Some(user_agent) = &self.user_agent {
            builder = builder.user_agent(user_agent);
        }
        if let Some(yes) = self.token_in_query {
            builder = builder.token_in_query(yes);
        }
        if let Some(yes) = self.allow_insecure_http {
            builder = builder.allow_insecure_http(yes);
        }
        if let Some(yes) = self.pacing {
            builder = builder.pacing(yes);
        }
        builder
    }
}

/// New client options, every one at its default. Never NULL; free with `instasent_options_free`.
#[no_mangle]
pub extern "C" fn instasent_options_new() -> *mut instasent_options {
    abi::new_boxed()
}

/// Frees client options. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_options_free(options: *mut instasent_options) {
    unsafe { abi::free_boxed(options) }
}

/// Base URL of the API; NULL: back to the default (`$INSTASENT_BASE_URL`, then
/// `https://api.instasent.com/transactional/v1`). Plain http:// only to loopback, unless
/// `instasent_options_set_allow_insecure_http`.
#[no_mangle]
pub unsafe extern "C" fn instasent_options_set_base_url(
    options: *mut instasent_options,
    base_url: *const c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.base_url = abi::opt_str(base_url, "base_url")?.map(str::to_owned);
            Ok(())
        })
    }
}

/// Time limit of one HTTP attempt in milliseconds (default 30 000; 0 is refused).
#[no_mangle]
pub unsafe extern "C" fn instasent_options_set_timeout_ms(
    options: *mut instasent_options,
    timeout_ms: u64,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.timeout = Some(Duration::from_millis(timeout_ms));
            Ok(())
        })
    }
}

/// Time limit to open a connection in milliseconds (default 10 000; 0 is refused).
#[no_mangle]
pub unsafe extern "C" fn instasent_options_set_connect_timeout_ms(
    options: *mut instasent_options,
    connect_timeout_ms: u64,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.connect_timeout = Some(Duration::from_millis(connect_timeout_ms));
            Ok(())
        })
    }
}

/// Retries after the first attempt (429, 5xx, connection errors); 0: never retry. A send is
/// repeated only when the repeat cannot deliver it twice (it always carries a clientId).
#[no_mangle]
pub unsafe extern "C" fn instasent_options_set_max_retries(
    options: *mut instasent_options,
    max_retries: u32,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.max_retries = Some(max_retries);
            Ok(())
        })
    }
}

/// Bulk requests in flight at once during a campaign (default 8; 0 and more than the core's
/// maximum are refused).
#[no_mangle]
pub unsafe extern "C" fn instasent_options_set_concurrency(
    options: *mut instasent_options,
    concurrency: u32,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.concurrency = Some(concurrency as usize);
            Ok(())
        })
    }
}

/// Prepended to the library's own user agent (`myapp/1.2 instasent-rust/0.1.0`); printable ASCII
/// only. NULL: back to the library's alone.
#[no_mangle]
pub unsafe extern "C" fn instasent_options_set_user_agent(
    options: *mut instasent_options,
    user_agent: *const c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.user_agent = abi::opt_str(user_agent, "user_agent")?.map(str::to_owned);
            Ok(())
        })
    }
}

/// Send the token as `?access_token=` instead of the `Authorization` header (default false).
#[no_mangle]
pub unsafe extern "C" fn instasent_options_set_token_in_query(
    options: *mut instasent_options,
    token_in_query: bool,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.token_in_query = Some(token_in_query);
            Ok(())
        })
    }
}

/// Allow a plain http:// base URL to a host other than loopback (default false: the token would
/// travel in clear).
#[no_mangle]
pub unsafe extern "C" fn instasent_options_set_allow_insecure_http(
    options: *mut instasent_options,
    allow_insecure_http: bool,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.allow_insecure_http = Some(allow_insecure_http);
            Ok(())
        })
    }
}

/// Pace requests by the API's `X-RateLimit-*` headers so that a known window is never exceeded
/// (default true).
#[no_mangle]
pub unsafe extern "C" fn instasent_options_set_pacing(
    options: *mut instasent_options,
    pacing: bool,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.pacing = Some(pacing);
            Ok(())
        })
    }
}

/// Creates a client for `token` (not NULL). `options` may be NULL (every default); the client
/// copies them. On success `*out` holds a
/// client the caller frees with `instasent_client_free`.
///
/// No request is made here; an empty token, a bad base URL or an option out of range is
/// INSTASENT_INVALID_ARGUMENT.
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
        if let Some(options) = unsafe { options.as_ref() } {
            builder = options.apply(builder);
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
