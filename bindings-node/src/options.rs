//! `new SmsClient(token, options)` options → `instasent::ClientBuilder`, and the rules every
//! options object from JS goes through ([`Options`], [`whole`]).

use std::time::Duration;

use napi::bindgen_prelude::{
    FromNapiValue, JsObjectValue, Object, TypeName, Unknown, ValidateNapiValue,
};
use napi::{sys, De, Env, JsValue, ValueType};
use napi_derive::napi;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::invalid_argument;

/// An options object as the caller wrote it, read by serde rather than by napi so that a key
/// the type does not know is refused (`INVALID_ARGUMENT`, naming the key and the accepted
/// ones) instead of being skipped: `{ base_url }` for `{ baseUrl }` would otherwise quietly
/// mean "the default". Every options object a caller passes is read through this; its type
/// declares `#[serde(rename_all = "camelCase", deny_unknown_fields)]` (nested ones too, e.g.
/// the sandbox's `faults`) and, when index.d.ts declares it, `#[napi(object, object_from_js =
/// false)]`, so that napi's own reading, which skips unknown keys, cannot be used by mistake.
pub struct Options<T>(pub T);

impl<T: DeserializeOwned + TypeName> FromNapiValue for Options<T> {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        unsafe { read_object(env, value, T::type_name()) }.map(Options)
    }
}

/// A plain JS object read by serde (`INVALID_ARGUMENT` naming `type_name` when it is not one or
/// serde refuses it).
///
/// # Safety
/// `env` and `value` come from napi for the current call.
pub unsafe fn read_object<T: DeserializeOwned>(
    env: sys::napi_env,
    value: sys::napi_value,
    type_name: &str,
) -> napi::Result<T> {
    let refused = |why: &str| invalid_argument(format!("{type_name}: {why}"));
    let value = unsafe { Unknown::from_napi_value(env, value) }?;
    // serde would read an array's items as the fields in declaration order.
    if value.get_type()? != ValueType::Object || value.is_array()? {
        return Err(refused("must be an object"));
    }
    let env = Env::from_raw(env);
    let value = without_undefined(&env, value)?;
    let object = unsafe { Object::from_napi_value(env.raw(), value.raw()) }?;
    // The path names the key of a value of the wrong type: "errorRate: invalid type …".
    serde_path_to_error::deserialize(&mut De::new(&object)).map_err(|e| {
        refused(&instasent::error::at_input_path(
            &e.path().to_string(),
            &e.inner().reason,
        ))
    })
}

/// The object without its keys whose value is `undefined`, which JS code means as absent (as
/// `JSON.stringify` does): napi's serde reads them as present, so `{ clientId: undefined,
/// client_id: "x" }` was refused as giving both spellings. The object itself when it has none:
/// the caller's object is never changed.
fn without_undefined<'env>(env: &'env Env, value: Unknown<'env>) -> napi::Result<Unknown<'env>> {
    let object = unsafe { Object::from_napi_value(env.raw(), value.raw()) }?;
    let keys = object.get_property_names()?;
    let count = keys.get_array_length()?;
    let mut defined = Vec::with_capacity(count as usize);
    for i in 0..count {
        let key: String = keys.get_element(i)?;
        let item: Unknown = object.get_named_property(&key)?;
        // `__proto__` set on the copy would become its prototype, whose keys serde reads as the
        // object's own; never one of our fields, it is left out.
        if item.get_type()? != ValueType::Undefined && key != "__proto__" {
            defined.push((key, item));
        }
    }
    if defined.len() == count as usize {
        return Ok(value);
    }
    let mut copy = Object::new(env)?;
    for (key, item) in defined {
        copy.set_named_property(&key, item)?;
    }
    Ok(copy.to_unknown())
}

impl<T: TypeName> TypeName for Options<T> {
    fn type_name() -> &'static str {
        T::type_name()
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl<T: TypeName> ValidateNapiValue for Options<T> {}

/// Options of `new SmsClient(token, options)`. Times and counts are whole numbers: a negative or
/// fractional one is refused (`INVALID_ARGUMENT`), as is a `concurrency` or a timeout of 0.
#[napi(object, object_from_js = false)]
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientOptions {
    /// Defaults to `$INSTASENT_BASE_URL`, then `https://api.instasent.com/transactional/v1`.
    pub base_url: Option<String>,
    /// Time limit of one HTTP attempt, in milliseconds (default 30 000).
    pub timeout_ms: Option<f64>,
    /// Time limit to open a connection, in milliseconds (default 10 000).
    pub connect_timeout_ms: Option<f64>,
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: Option<f64>,
    /// Bulk requests in flight at once during a campaign (default 8).
    pub concurrency: Option<f64>,
    /// Prepended to the SDK's user agent.
    pub user_agent: Option<String>,
    /// Send the token as `?access_token=` instead of `Authorization: Bearer`.
    pub token_in_query: Option<bool>,
    /// Allow plain `http://` to hosts other than loopback.
    pub allow_insecure_http: Option<bool>,
    /// Pace requests by `X-RateLimit-*` (default true).
    pub pacing: Option<bool>,
}

pub fn builder(
    token: String,
    options: Option<Options<ClientOptions>>,
) -> napi::Result<instasent::ClientBuilder> {
    let o = options.map(|o| o.0).unwrap_or_default();
    let mut b = instasent::Client::builder(token);
    if let Some(url) = o.base_url {
        b = b.base_url(url);
    }
    if let Some(ms) = o.timeout_ms {
        b = b.timeout(Duration::from_millis(whole("timeoutMs", ms)?.into()));
    }
    if let Some(ms) = o.connect_timeout_ms {
        b = b.connect_timeout(Duration::from_millis(whole("connectTimeoutMs", ms)?.into()));
    }
    if let Some(n) = o.max_retries {
        b = b.max_retries(whole("maxRetries", n)?);
    }
    if let Some(n) = o.concurrency {
        b = b.bulk_concurrency(whole("concurrency", n)? as usize);
    }
    if let Some(ua) = o.user_agent {
        b = b.user_agent(ua);
    }
    if let Some(yes) = o.token_in_query {
        b = b.token_in_query(yes);
    }
    if let Some(yes) = o.allow_insecure_http {
        b = b.allow_insecure_http(yes);
    }
    if let Some(yes) = o.pacing {
        b = b.pacing(yes);
    }
    Ok(b)
}

/// [`whole`] of an optional argument: absent, the caller leaves the core's default in place.
pub(crate) fn opt_whole(name: &str, value: Option<f64>) -> napi::Result<Option<u32>> {
    value.map(|v| whole(name, v)).transpose()
}

/// A count or a time from JS as a whole number from 0 to 2³²−1, whatever the call: N-API's own
/// integer types would wrap -1 into 4294967295 and cut 1.5 to 1 without a word. Whether 0 makes
/// sense is the core's call (a concurrency, a timeout or a page of 0 is refused there).
pub(crate) fn whole(name: &str, value: f64) -> napi::Result<u32> {
    whole_in(name, value, 0..=u32::MAX)
}

/// [`whole`] for a number with a documented range (a page from 1, a page size 1–100): the
/// refusal states the range that can succeed, rather than "from 0" for a 0 the core then
/// refuses.
pub(crate) fn whole_in(
    name: &str,
    value: f64,
    range: std::ops::RangeInclusive<u32>,
) -> napi::Result<u32> {
    if value.fract() == 0.0
        && (f64::from(*range.start())..=f64::from(*range.end())).contains(&value)
    {
        Ok(value as u32)
    } else {
        Err(invalid_argument(format!(
            "{name} must be a whole number from {} to {}, got {value}",
            range.start(),
            range.end()
        )))
    }
}
