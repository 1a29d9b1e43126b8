//! Auto-paging over the list endpoints, on the core's streams (`Client::sms_stream`,
//! `lookup_stream`: page after page until a short page). `lib/client.js` turns a pager into an
//! async iterator (`client.iterSms()`, `client.iterLookups()`); a pager is a plain object of
//! functions, not the package's surface (see `plumbing`).

use std::pin::Pin;
use std::sync::Arc;

use futures_util::stream::{Stream, StreamExt};
use napi::bindgen_prelude::{Object, ToNapiValue, TypeName};
use napi::{Env, ValueType};
use napi_derive::napi;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::client::SmsClient;
use crate::error::IntoNapi;
use crate::options::{whole_in, Options};
use crate::plumbing::Plumbing;
use crate::types::{mirror_all, Lookup, Sms};

// Fused: the core's paging streams must not be polled after their end, and a JS caller may
// well ask again.
type Items<T> = Arc<Mutex<Pin<Box<dyn Stream<Item = instasent::Result<T>> + Send>>>>;

/// Takes up to `max` items from the stream; fewer only at its end. An error ends the batch
/// (items read before it are dropped with it: the iterator rejects, as the page did).
async fn take<T: Send + 'static>(items: Items<T>, max: u32) -> instasent::Result<Vec<T>> {
    let mut stream = items.lock().await;
    let mut out = Vec::new();
    while out.len() < max.max(1) as usize {
        match stream.next().await {
            Some(item) => out.push(item?),
            None => break,
        }
    }
    Ok(out)
}

/// `{ next(max) }`: up to `max` more items, as `U`; an empty array once the stream is exhausted.
fn pager<T, U>(env: &Env, items: Items<T>) -> napi::Result<Object<'_>>
where
    T: Serialize + Send + 'static,
    U: serde::de::DeserializeOwned + ToNapiValue + Send + 'static,
{
    let mut js = Plumbing::new(env)?;
    js.promise("next", move |ctx| {
        let (items, max) = (items.clone(), ctx.get::<u32>(0)?);
        Ok(async move {
            take(items, max)
                .await
                .and_then(|items| mirror_all::<T, U>(&items))
                .napi()
        })
    })?;
    Ok(js.build())
}

/// The options of `iterSms` / `iterLookups` (declared for TypeScript in lib/header.d.ts), passed
/// along by `lib/client.js` so that an unknown key is refused as in every options object.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PagingOptions {
    /// Items per page, 1–100 (default 100).
    pub per_page: Option<f64>,
}

impl PagingOptions {
    fn per_page(options: Option<Options<Self>>) -> napi::Result<u32> {
        match options.and_then(|Options(o)| o.per_page) {
            Some(n) => whole_in("perPage", n, 1..=instasent::PageRequest::MAX_PER_PAGE),
            None => Ok(100),
        }
    }
}

impl TypeName for PagingOptions {
    fn type_name() -> &'static str {
        "PagingOptions"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

/// A pager over `client`'s `GET /sms` (used by `iterSms`).
#[napi(skip_typescript)]
pub fn sms_pager<'env>(
    env: &'env Env,
    client: &SmsClient,
    options: Option<Options<PagingOptions>>,
) -> napi::Result<Object<'env>> {
    let stream = client.inner.sms_stream(PagingOptions::per_page(options)?);
    pager::<_, Sms>(env, Arc::new(Mutex::new(Box::pin(stream.fuse()))))
}

/// A pager over `client`'s `GET /lookup` (used by `iterLookups`).
#[napi(skip_typescript)]
pub fn lookup_pager<'env>(
    env: &'env Env,
    client: &SmsClient,
    options: Option<Options<PagingOptions>>,
) -> napi::Result<Object<'env>> {
    let stream = client
        .inner
        .lookup_stream(PagingOptions::per_page(options)?);
    pager::<_, Lookup>(env, Arc::new(Mutex::new(Box::pin(stream.fuse()))))
}
