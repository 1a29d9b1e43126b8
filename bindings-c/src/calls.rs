//! The documented calls: each returns `{status, body}` as Instasent's own SDKs do
//! (`instasent::documented`): an HTTP error status is a response, only failures without a
//! response are errors.

use std::ffi::{c_char, c_int};

use instasent::{PageRequest, Response, SmsRequest, VerifyRequest};

use crate::abi::{self, arg_ref, arg_str, guard, opt_str};
use crate::client::instasent_client;
use crate::error::{instasent_code, instasent_error, Failure};

/// What a call answered: the HTTP status and the JSON body as text (`response_code`,
/// `response_body` of the documented SDKs; `"null"` when the body was empty, e.g. a 429).
/// Owned by the caller: free it with `instasent_response_free`.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct instasent_response {
    pub status: c_int,
    /// JSON text, NUL-terminated, never NULL.
    pub body: *mut c_char,
}

/// Frees a response and its body. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_response_free(response: *mut instasent_response) {
    abi::free_quietly(|| {
        if !response.is_null() {
            // SAFETY: made by Box::into_raw in `respond`, freed once.
            let r = unsafe { Box::from_raw(response) };
            unsafe { abi::drop_c_string(r.body) };
        }
    })
}

fn respond<T>(result: instasent::Result<Response<T>>) -> Result<Box<instasent_response>, Failure> {
    let doc = instasent::documented(result)?;
    let body = crate::error::to_json(&doc.response_body, "the response body")?;
    Ok(Box::new(instasent_response {
        status: c_int::from(doc.response_code),
        body: crate::error::c_string(body),
    }))
}

/// A call on a client that answers with an [`instasent_response`].
fn call<T>(
    client: *const instasent_client,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
    f: impl FnOnce(&instasent::blocking::Client) -> Result<instasent::Result<Response<T>>, Failure>,
) -> instasent_code {
    guard(out, err, || {
        let client = unsafe { arg_ref(client, "client") }?;
        respond(f(&client.inner)?)
    })
}

unsafe fn sms(
    from: *const c_char,
    to: *const c_char,
    text: *const c_char,
    client_id: *const c_char,
    unicode: bool,
) -> Result<SmsRequest, Failure> {
    let mut sms = unsafe {
        SmsRequest::new(
            arg_str(from, "from")?,
            arg_str(to, "to")?,
            arg_str(text, "text")?,
        )
    }
    .allow_unicode(unicode);
    if let Some(id) = unsafe { opt_str(client_id, "client_id") }? {
        sms = sms.client_id(id);
    }
    Ok(sms)
}

/// `POST /sms`: sends `text` from `from` to `to` (E.164) in GSM-7. `client_id` is optional
/// (NULL: the library generates one, so that a retry can never deliver twice).
/// `*out`: a response to free with `instasent_response_free` (201 on success).
#[no_mangle]
pub unsafe extern "C" fn instasent_send_sms(
    client: *const instasent_client,
    from: *const c_char,
    to: *const c_char,
    text: *const c_char,
    client_id: *const c_char,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        Ok(c.send_sms(&unsafe { sms(from, to, text, client_id, false) }?))
    })
}

/// `POST /sms` with `allowUnicode`: characters outside GSM-7 travel as UCS-2. As
/// `instasent_send_sms` otherwise.
#[no_mangle]
pub unsafe extern "C" fn instasent_send_unicode_sms(
    client: *const instasent_client,
    from: *const c_char,
    to: *const c_char,
    text: *const c_char,
    client_id: *const c_char,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        Ok(c.send_sms(&unsafe { sms(from, to, text, client_id, true) }?))
    })
}

/// `POST /sms/bulk`: `messages_json` is a JSON array of 1–100
/// `{"from","to","text","clientId"?,"allowUnicode"?}`. The response body is the API's
/// `{"entities":[...],"errors":[...]}`. Malformed JSON is INSTASENT_INVALID_ARGUMENT, naming
/// the first bad message by its index (`message 1: to: invalid type …`).
/// For any number of messages use `instasent_campaign_json`.
#[no_mangle]
pub unsafe extern "C" fn instasent_send_bulk_sms(
    client: *const instasent_client,
    messages_json: *const c_char,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        let json = unsafe { arg_str(messages_json, "messages_json") }?;
        Ok(c.send_bulk(&crate::input::array(json, 0)?))
    })
}

/// `GET /sms?page=&per_page=` (the API's defaults are page 1, 10 per page).
#[no_mangle]
pub unsafe extern "C" fn instasent_get_sms(
    client: *const instasent_client,
    page: u32,
    per_page: u32,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        Ok(c.get_sms(PageRequest::new(page, per_page)))
    })
}

/// `GET /sms/{id}`.
#[no_mangle]
pub unsafe extern "C" fn instasent_get_sms_by_id(
    client: *const instasent_client,
    id: *const c_char,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        Ok(c.get_sms_by_id(unsafe { arg_str(id, "id") }?))
    })
}

/// The message sent with `client_id`, as its JSON (the API's fields: `id`, `clientId`, `to`,
/// `status`, …) in `*out`, freed with `instasent_string_free`: how to settle an
/// INSTASENT_AMBIGUOUS_OUTCOME before sending again. No such message in the history:
/// INSTASENT_NOT_FOUND, and sending it again with that clientId cannot deliver it twice. The
/// API has no filter by clientId, so this reads the history page by page until it turns up.
#[no_mangle]
pub unsafe extern "C" fn instasent_find_sms_by_client_id(
    client: *const instasent_client,
    client_id: *const c_char,
    out: *mut *mut c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    abi::guard_string(out, err, || {
        let client = unsafe { arg_ref(client, "client") }?;
        let client_id = unsafe { arg_str(client_id, "client_id") }?;
        let sms = client
            .inner
            .find_sms_by_client_id(client_id)?
            .ok_or_else(|| {
                crate::error::not_found(format!(
                    "no message with clientId {client_id:?} in the history"
                ))
            })?;
        crate::error::to_json(&sms, "the message")
    })
}

/// `POST /lookup` for the number `to` (E.164).
#[no_mangle]
pub unsafe extern "C" fn instasent_do_lookup(
    client: *const instasent_client,
    to: *const c_char,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        Ok(c.do_lookup(unsafe { arg_str(to, "to") }?))
    })
}

/// `GET /lookup/{id}`.
#[no_mangle]
pub unsafe extern "C" fn instasent_get_lookup_by_id(
    client: *const instasent_client,
    id: *const c_char,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        Ok(c.get_lookup_by_id(unsafe { arg_str(id, "id") }?))
    })
}

/// `GET /lookup?page=&per_page=`.
#[no_mangle]
pub unsafe extern "C" fn instasent_get_lookups(
    client: *const instasent_client,
    page: u32,
    per_page: u32,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        Ok(c.get_lookups(PageRequest::new(page, per_page)))
    })
}

/// `GET /organization/account`: `entity.available`, `entity.currency`.
#[no_mangle]
pub unsafe extern "C" fn instasent_get_account_balance(
    client: *const instasent_client,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| Ok(c.get_account_balance()))
}

/// `GET /sms/price-profile/me/countries`.
#[no_mangle]
pub unsafe extern "C" fn instasent_get_sms_price_profile(
    client: *const instasent_client,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| Ok(c.get_sms_price_profile()))
}

/// `GET /lookup/price-profile/me/countries`.
#[no_mangle]
pub unsafe extern "C" fn instasent_get_lookup_price_profile(
    client: *const instasent_client,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| Ok(c.get_lookup_price_profile()))
}

/// `POST /verify`: sends `text`, in which `%token%` is replaced by a code of `token_length`
/// digits valid for `timeout` seconds. `client_id` is optional.
#[no_mangle]
pub unsafe extern "C" fn instasent_request_verify(
    client: *const instasent_client,
    from: *const c_char,
    to: *const c_char,
    text: *const c_char,
    token_length: u32,
    timeout: u32,
    client_id: *const c_char,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        let mut req = unsafe {
            VerifyRequest::new(
                arg_str(from, "from")?,
                arg_str(to, "to")?,
                arg_str(text, "text")?,
            )
        }
        .token_length(token_length)
        .timeout(timeout);
        req.client_id = unsafe { opt_str(client_id, "client_id") }?.map(str::to_owned);
        Ok(c.request_verify(&req))
    })
}

/// `GET /verify/{id}?token=`: checks the code the user typed; `entity.status` is `"verified"`
/// when it matched.
#[no_mangle]
pub unsafe extern "C" fn instasent_check_verify(
    client: *const instasent_client,
    id: *const c_char,
    token: *const c_char,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        let (id, token) = unsafe { (arg_str(id, "id")?, arg_str(token, "token")?) };
        Ok(c.check_verify(id, token))
    })
}

/// `GET /verify/{id}`.
#[no_mangle]
pub unsafe extern "C" fn instasent_get_verify_by_id(
    client: *const instasent_client,
    id: *const c_char,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        Ok(c.get_verify_by_id(unsafe { arg_str(id, "id") }?))
    })
}

/// `GET /verify?page=&per_page=`.
#[no_mangle]
pub unsafe extern "C" fn instasent_get_verify(
    client: *const instasent_client,
    page: u32,
    per_page: u32,
    out: *mut *mut instasent_response,
    err: *mut *mut instasent_error,
) -> instasent_code {
    call(client, out, err, |c| {
        Ok(c.get_verify(PageRequest::new(page, per_page)))
    })
}
