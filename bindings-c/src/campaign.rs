//! Campaigns of any size through the core's bulk engine (batches of ≤ 100, bounded
//! concurrency, local validation, per-input results): all at once (`instasent_campaign_json`)
//! or streamed through a handle the caller feeds and drains (`instasent_campaign_start`).

use std::ffi::c_char;
use std::time::Duration;

use instasent::{blocking, CampaignOptions};

use crate::abi::{self, arg_ref, arg_str_unbounded, guard, guard_string, guard_unit};
use crate::client::instasent_client;
use crate::error::{instasent_code, instasent_error, Failure};

/// Sends a campaign of any number of messages: `input` is a JSON array or JSON Lines of
/// `{"from","to","text","clientId"?,"allowUnicode"?}` (not size-limited). Messages are checked
/// against the documented rules first (bad ones never leave the machine), then sent in bulk
/// requests of ≤ 100 with the client's concurrency.
///
/// `*results_json` (free with `instasent_string_free`):
/// `{"results":[{"index":0,"outcome":"accepted","id":"...","clientId":"...","acceptedEarlier":false},
///  {"index":1,"outcome":"rejected","clientId":"...","stage":"local","fields":{"to":["..."]}},
///  {"index":2,"outcome":"failed","clientId":"...","kind":"PAYMENT_REQUIRED","message":"..."}],
///  "progress":{"read":3,"accepted":1,"rejected":1,"failed":1,"requests":1,"elapsedSecs":0.01}}`
/// with one result per input, in input order. Malformed input is INSTASENT_INVALID_ARGUMENT and
/// sends nothing.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_json(
    client: *const instasent_client,
    input: *const c_char,
    results_json: *mut *mut c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_string(results_json, err, || {
        let client = unsafe { arg_ref(client, "client") }?;
        let messages = crate::input::messages(unsafe { arg_str_unbounded(input, "input") }?, 0)?;
        let report = client
            .inner
            .run_campaign(messages, CampaignOptions::default())?;
        let json = serde_json::json!({ "results": report.results, "progress": report.progress });
        Ok(json.to_string())
    })
}

/// How a streamed campaign runs. Opaque, as ::instasent_options: make them with
/// `instasent_campaign_options_new`, set what you need (the rest keeps its default), pass them
/// to `instasent_campaign_start` (which copies them) and free them with
/// `instasent_campaign_options_free`. Each setter refuses a value out of range at once
/// (INSTASENT_INVALID_ARGUMENT) and leaves the options as they were. Not for two threads at once.
#[allow(non_camel_case_types)]
#[derive(Default)]
pub struct instasent_campaign_options {
    inner: CampaignOptions,
}

/// New campaign options, every one at its default. Never NULL; free with
/// `instasent_campaign_options_free`.
#[no_mangle]
pub extern "C" fn instasent_campaign_options_new() -> *mut instasent_campaign_options {
    abi::new_boxed()
}

/// Frees campaign options. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_options_free(options: *mut instasent_campaign_options) {
    unsafe { abi::free_boxed(options) }
}

/// `options.inner` changed by `change`, kept only if the core accepts the result.
unsafe fn set_checked(
    options: *mut instasent_campaign_options,
    err: *mut *mut instasent_error,
    change: impl FnOnce(&mut CampaignOptions),
) -> instasent_code {
    unsafe {
        abi::set_option(options, err, |o| {
            let mut changed = o.inner.clone();
            change(&mut changed);
            changed.check()?;
            o.inner = changed;
            Ok(())
        })
    }
}

/// Bulk requests in flight at once (default: the client's concurrency; 0 and more than the
/// core's maximum are refused).
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_options_set_concurrency(
    options: *mut instasent_campaign_options,
    concurrency: u32,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe { set_checked(options, err, |o| o.concurrency = Some(concurrency as usize)) }
}

/// Messages per bulk request, 1–100 (default 100).
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_options_set_batch_size(
    options: *mut instasent_campaign_options,
    batch_size: u32,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe { set_checked(options, err, |o| o.batch_size = batch_size as usize) }
}

/// Re-running a campaign with the same clientIds after an interruption (default false): "clientId
/// already used" then counts as accepted by the earlier run, and nothing is sent twice.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_options_set_resume(
    options: *mut instasent_campaign_options,
    resume: bool,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe { set_checked(options, err, |o| o.resume = resume) }
}

/// Check each message against the documented rules before sending it (default true): a bad one
/// comes back `"outcome":"rejected"` with `"stage":"local"` and never leaves the machine. False
/// leaves the judging to the API (`"stage":"server"`), for rules that changed after this release.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_options_set_validate(
    options: *mut instasent_campaign_options,
    validate: bool,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe { set_checked(options, err, |o| o.validate_locally = validate) }
}

/// A streamed campaign. Opaque: start it with `instasent_campaign_start`, free it with
/// `instasent_campaign_free`. Thread-safe: one thread may push while another takes results.
#[allow(non_camel_case_types)]
pub struct instasent_campaign {
    inner: blocking::Campaign,
}

/// Starts a streamed campaign: memory stays flat however many messages go through it. Feed it
/// with `instasent_campaign_push_json`, take the results with `instasent_campaign_next_json`
/// (between pushes, and until `instasent_campaign_has_room` says yes before reading more input,
/// so they do not pile up), call `instasent_campaign_end` after the last push, and keep taking
/// results until `"done":true`. `options` may be NULL (every default). `*out`: free with
/// `instasent_campaign_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_start(
    client: *const instasent_client,
    options: *const instasent_campaign_options,
    out: *mut *mut instasent_campaign,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard(out, err, || {
        let client = unsafe { arg_ref(client, "client") }?;
        let options = match unsafe { options.as_ref() } {
            Some(o) => o.inner.clone(),
            None => CampaignOptions::default(),
        };
        let inner = client.inner.start_campaign(options)?;
        Ok(Box::new(instasent_campaign { inner }))
    })
}

/// Queues messages: `messages` is a JSON array or JSON Lines of
/// `{"from","to","text","clientId"?,"allowUnicode"?}`, typically one batch (`batch_size`)
/// at a time. Waits while `concurrency` pushes are already queued, which is what keeps memory
/// flat. A batch goes out once `batch_size` messages are queued, 20 ms after the last push when
/// no more come, or at `instasent_campaign_end`.
/// Malformed JSON is INSTASENT_INVALID_ARGUMENT and queues none of them; the error names the
/// first bad message by the `index` its result would have had, counted across pushes (as
/// pushed from one thread), and by its line (or array item) in this push. A push after `instasent_campaign_end` or
/// `instasent_campaign_stop` is INSTASENT_INVALID_ARGUMENT too. Messages that break a documented
/// rule are queued and come back as `"outcome":"rejected"` results.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_push_json(
    campaign: *const instasent_campaign,
    messages: *const c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_unit(err, || {
        let campaign = unsafe { arg_ref(campaign, "campaign") }?;
        // Numbered across pushes, as the results are (with one thread pushing).
        let first = campaign.inner.pushed();
        let messages =
            crate::input::messages(unsafe { arg_str_unbounded(messages, "messages") }?, first)?;
        if campaign.inner.push(messages)? {
            Ok(())
        } else {
            Err(instasent::Error::invalid_argument(
                "the campaign takes no more input: instasent_campaign_end or _stop was called",
            )
            .into())
        }
    })
}

/// `*room`: whether `batch_size` more messages may be read and pushed while keeping memory flat,
/// i.e. within `batch_size × (2 × concurrency + 2)` messages between their push and the call to
/// `instasent_campaign_next_json` after the one that returned their results. Ask it once you
/// are done with the results `next_json` returned last: they count as consumed. When false,
/// take results before reading more input: results come in input order, so one slow request
/// lets later results pile up behind it otherwise. Pushing never waits for this (a caller may push everything before it
/// drains). False once the campaign was stopped, and in a process forked after it started.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_has_room(
    campaign: *const instasent_campaign,
    room: *mut bool,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_unit(err, || {
        let campaign = unsafe { arg_ref(campaign, "campaign") }?;
        let room = unsafe { room.as_mut() }.ok_or(Failure::Null("room"))?;
        *room = campaign.inner.has_room();
        Ok(())
    })
}

/// No more input: the campaign finishes once what is queued has been sent.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_end(
    campaign: *const instasent_campaign,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_unit(err, || {
        unsafe { arg_ref(campaign, "campaign") }?.inner.end();
        Ok(())
    })
}

/// Sends nothing more: queued messages are dropped unsent (they get no result); the bulk
/// requests in flight finish and `instasent_campaign_next_json` still reports them, then
/// `"done":true`.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_stop(
    campaign: *const instasent_campaign,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_unit(err, || {
        unsafe { arg_ref(campaign, "campaign") }?.inner.stop();
        Ok(())
    })
}

/// The results settled since the previous call, waiting up to `timeout_ms` for the first one
/// (0: do not wait). `*out` (free with `instasent_string_free`):
/// `{"results":[...],"progress":{...},"done":false}`, results as in `instasent_campaign_json`,
/// in input order and continuing where the previous call's ended (a result waits until every
/// earlier input's has settled); `"done":true` once every result has been handed out after
/// `instasent_campaign_end` or `_stop`.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_next_json(
    campaign: *const instasent_campaign,
    timeout_ms: u32,
    out: *mut *mut c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_string(out, err, || {
        let campaign = unsafe { arg_ref(campaign, "campaign") }?;
        let settled = campaign
            .inner
            .next(Duration::from_millis(u64::from(timeout_ms)))?;
        let json = serde_json::json!({
            "results": settled.results,
            "progress": settled.progress,
            "done": settled.done,
        });
        Ok(json.to_string())
    })
}

/// Frees a campaign. One not yet over is stopped first (as `instasent_campaign_stop`): its
/// requests in flight finish in the background. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_free(campaign: *mut instasent_campaign) {
    abi::free_quietly(|| {
        if !campaign.is_null() {
            // SAFETY: made by Box::into_raw in `instasent_campaign_start`, freed once.
            drop(unsafe { Box::from_raw(campaign) });
        }
    })
}
