//! The local sandbox (`instasent-sandbox`) for tests: ours and our users'.

use std::ffi::{c_char, CString};
use std::time::Duration;

use ::instasent_sandbox::{Faults, Sandbox, SandboxConfig};

use crate::abi::{self, arg_ref, arg_str, guard, guard_string, guard_unit, opt_str};
use crate::error::{instasent_code, instasent_error, not_found, Failure};

/// A running sandbox: a local emulator of the Transactional API on 127.0.0.1, on its own
/// thread. Opaque: start it with `instasent_sandbox_start` or `instasent_sandbox_start_with`,
/// stop it with `instasent_sandbox_free`.
#[allow(non_camel_case_types)]
pub struct instasent_sandbox {
    inner: Option<Sandbox>,
    base_url: CString,
}

/// How to start a sandbox. Opaque, as ::instasent_options: make them with
/// `instasent_sandbox_options_new`, set what you need (the rest keeps its default), pass them to
/// `instasent_sandbox_start_with` (which copies them) and free them with
/// `instasent_sandbox_options_free`. Not for two threads at once.
#[allow(non_camel_case_types)]
#[derive(Default)]
pub struct instasent_sandbox_options {
    config: SandboxConfig,
}

/// New sandbox options: token "sandbox-token", no webhook, 50 ms between reports. Never NULL;
/// free with `instasent_sandbox_options_free`.
#[no_mangle]
pub extern "C" fn instasent_sandbox_options_new() -> *mut instasent_sandbox_options {
    abi::new_boxed()
}

/// Frees sandbox options. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_options_free(options: *mut instasent_sandbox_options) {
    unsafe { abi::free_boxed(options) }
}

/// The token requests must carry (not NULL).
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_options_set_token(
    options: *mut instasent_sandbox_options,
    token: *const c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.config.token = arg_str(token, "token")?.to_owned();
            Ok(())
        })
    }
}

/// Where the sandbox POSTs every delivery report (and inbound message) as webhook JSON, e.g.
/// "http://127.0.0.1:8089/dlr"; NULL: no webhook (statuses still progress in its ledger). As the
/// API does, it retries any non-2xx answer, or none within 5 s, with backoff: answer 2xx once
/// the report is stored.
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_options_set_webhook_url(
    options: *mut instasent_sandbox_options,
    webhook_url: *const c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.config.webhook = opt_str(webhook_url, "webhook_url")?.map(str::to_owned);
            Ok(())
        })
    }
}

/// Time between one delivery report of a message and its next, in milliseconds (default 50).
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_options_set_dlr_delay_ms(
    options: *mut instasent_sandbox_options,
    dlr_delay_ms: u64,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            o.config.dlr_delay = Duration::from_millis(dlr_delay_ms);
            Ok(())
        })
    }
}

/// Starts a sandbox on a free loopback port that accepts `token` (NULL: "sandbox-token") and
/// returns once it is listening. `*out`: stop and free it with `instasent_sandbox_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_start(
    token: *const c_char,
    out: *mut *mut instasent_sandbox,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard(out, err, || {
        let mut config = SandboxConfig::default();
        if let Some(token) = unsafe { opt_str(token, "token") }? {
            config.token = token.to_owned();
        }
        spawn(config)
    })
}

/// Starts a sandbox on a free loopback port with `options` (NULL: every default) and returns
/// once it is listening. Options it could only act on wrongly (a `webhook_url` that is not an
/// http:// or https:// URL, a token with spaces) are INSTASENT_INVALID_ARGUMENT. `*out`: stop
/// and free it with `instasent_sandbox_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_start_with(
    options: *const instasent_sandbox_options,
    out: *mut *mut instasent_sandbox,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard(out, err, || {
        spawn(match unsafe { options.as_ref() } {
            Some(o) => o.config.clone(),
            None => SandboxConfig::default(),
        })
    })
}

fn spawn(config: SandboxConfig) -> Result<Box<instasent_sandbox>, Failure> {
    let sandbox = Sandbox::spawn(config).map_err(|e| Failure::from(Sandbox::start_error(e)))?;
    let base_url = CString::new(sandbox.base_url().to_string()).unwrap_or_default();
    Ok(Box::new(instasent_sandbox {
        inner: Some(sandbox),
        base_url,
    }))
}

/// The sandbox's base URL (`http://127.0.0.1:PORT/transactional/v1`), for
/// `instasent_options_set_base_url` or `INSTASENT_BASE_URL`. `*out` is owned by the sandbox: valid
/// until `instasent_sandbox_free`, never free it yourself.
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_base_url(
    sandbox: *const instasent_sandbox,
    out: *mut *const c_char,
) -> instasent_code {
    if out.is_null() {
        return instasent_code::INSTASENT_NULL_ARGUMENT;
    }
    match unsafe { sandbox.as_ref() } {
        Some(s) => {
            unsafe { *out = s.base_url.as_ptr() };
            instasent_code::INSTASENT_OK
        }
        None => {
            unsafe { *out = std::ptr::null() };
            instasent_code::INSTASENT_NULL_ARGUMENT
        }
    }
}

fn running(s: &instasent_sandbox) -> Result<&Sandbox, Failure> {
    s.inner.as_ref().ok_or(Failure::Null("sandbox"))
}

/// The code the sandbox generated for the verification `verify_id` (what the user would read
/// in the SMS). Unknown id: INSTASENT_NOT_FOUND. `*out`: free with `instasent_string_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_verify_code(
    sandbox: *const instasent_sandbox,
    verify_id: *const c_char,
    out: *mut *mut c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_string(out, err, || {
        let s = running(unsafe { arg_ref(sandbox, "sandbox") }?)?;
        let id = unsafe { arg_str(verify_id, "verify_id") }?;
        s.verify_code(id)
            .ok_or_else(|| not_found(format!("the sandbox has no verification {id:?}")))
    })
}

/// Every message the sandbox accepted, as a JSON array (its ledger). `*out`: free with
/// `instasent_string_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_messages_json(
    sandbox: *const instasent_sandbox,
    out: *mut *mut c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_string(out, err, || {
        let s = running(unsafe { arg_ref(sandbox, "sandbox") }?)?;
        crate::error::to_json(&s.messages(), "the sandbox's ledger")
    })
}

/// The faults the sandbox injects now, as `GET /_sandbox/faults` gives them: `{"errorRate",
/// "latencyMs","dropAfterCommitRate","rateLimitBurst","seed"}` (`rateLimitBurst` counts the forced
/// 429s still to send; `seed` is null when unset). `*faults_json`: free with
/// `instasent_string_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_faults_json(
    sandbox: *const instasent_sandbox,
    faults_json: *mut *mut c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_string(faults_json, err, || {
        let s = running(unsafe { arg_ref(sandbox, "sandbox") }?)?;
        crate::error::to_json(&s.faults(), "the sandbox's faults")
    })
}

/// Replaces the faults the sandbox injects, from then on: `faults_json` is the object of
/// `PUT /_sandbox/faults`, e.g. `{"errorRate":1}` (every send answered 500 before anything is
/// committed) or `{"dropAfterCommitRate":1}` (committed, then the connection closed without an
/// answer); also `latencyMs`, `rateLimitBurst` and `seed`. A key left out is off; NULL clears
/// every fault. An unknown key, a value of the wrong type or a rate outside 0–1 is
/// INSTASENT_INVALID_ARGUMENT, and the faults stay as they were.
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_set_faults_json(
    sandbox: *const instasent_sandbox,
    faults_json: *const c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_unit(err, || {
        let s = running(unsafe { arg_ref(sandbox, "sandbox") }?)?;
        let invalid = |e: String| instasent::Error::invalid_argument(format!("faults_json: {e}"));
        let faults = match unsafe { opt_str(faults_json, "faults_json") }? {
            None => Faults::default(),
            Some(json) => Faults::from_json(json.as_bytes()).map_err(invalid)?,
        };
        s.set_faults(faults)
            .map_err(|e| invalid(e.to_string()).into())
    })
}

/// Stops the sandbox (waits for its thread) and frees it. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_sandbox_free(sandbox: *mut instasent_sandbox) {
    abi::free_quietly(|| {
        if sandbox.is_null() {
            return;
        }
        // SAFETY: made by Box::into_raw in `spawn` (through `guard`), freed once.
        let mut s = unsafe { Box::from_raw(sandbox) };
        if let Some(inner) = s.inner.take() {
            inner.shutdown();
        }
    })
}
