//! Auto-paging over the list endpoints, on the core's streams (`Client::sms_stream`,
//! `lookup_stream`: page after page until a short page). `lib/client.js` turns a pager into an
//! async iterator (`client.iterSms()`, `client.iterLookups()`); a pager is a plain object of
//! functions, not the package's surface (see `plumbing`).

use std::pin::Pin;
use std::sync::Arc;

use futures_util::stream::{Stream, StreamExt};
use napi::bindgen_prelude::{Object, ToNapiValue};
use napi::Env;
use napi_derive::napi;
use serde::Serialize;
use tokio::sync::Mutex;

use crate::client::SmsClient;
use crate::plumbing::Plumbing;
use crate::runtime::run;
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
        Ok(run(
            async move { mirror_all::<T, U>(&take(items, max).await?) },
        ))
    })?;
    Ok(js.build())
}

/// A pager over `client`'s `GET /sms` (used by `iterSms`).
#[napi(skip_typescript)]
pub fn sms_pager<'env>(
    env: &'env Env,
    client: &SmsClient,
    per_page: Option<u32>,
) -> napi::Result<Object<'env>> {
    let stream = client.inner.sms_stream(per_page.unwrap_or(100));
    pager::<_, Sms>(env, Arc::new(Mutex::new(Box::pin(stream.fuse()))))
}

/// A pager over `client`'s `GET /lookup` (used by `iterLookups`).
#[napi(skip_typescript)]
pub fn lookup_pager<'env>(
    env: &'env Env,
    client: &SmsClient,
    per_page: Option<u32>,
) -> napi::Result<Object<'env>> {
    let stream = client.inner.lookup_stream(per_page.unwrap_or(100));
    pager::<_, Lookup>(env, Arc::new(Mutex::new(Box::pin(stream.fuse()))))
}
