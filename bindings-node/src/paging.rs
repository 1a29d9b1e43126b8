//! Auto-paging over the list endpoints, on the core's streams (`Client::sms_stream`,
//! `lookup_stream`: page after page until a short page). `index.js` turns a pager into an
//! async iterator (`client.iterSms()`, `client.iterLookups()`).

use std::pin::Pin;
use std::sync::Arc;

use futures_util::stream::{Stream, StreamExt};
use napi_derive::napi;
use serde::Serialize;
use tokio::sync::Mutex;

use crate::client::SmsClient;
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

async fn next_batch<T, U>(items: Items<T>, max: u32) -> napi::Result<Vec<U>>
where
    T: Serialize + Send + 'static,
    U: serde::de::DeserializeOwned + Send + 'static,
{
    run(async move { mirror_all(&take(items, max).await?) }).await
}

/// Every message of the history, fetched `perPage` at a time.
#[napi]
pub struct SmsPager {
    items: Items<instasent::Sms>,
}

#[napi]
impl SmsPager {
    /// Up to `max` more messages; an empty array once the history is exhausted.
    #[napi]
    pub async fn next(&self, max: u32) -> napi::Result<Vec<Sms>> {
        next_batch(self.items.clone(), max).await
    }
}

/// Every lookup, fetched `perPage` at a time.
#[napi]
pub struct LookupPager {
    items: Items<instasent::Lookup>,
}

#[napi]
impl LookupPager {
    /// Up to `max` more lookups; an empty array once exhausted.
    #[napi]
    pub async fn next(&self, max: u32) -> napi::Result<Vec<Lookup>> {
        next_batch(self.items.clone(), max).await
    }
}

#[napi]
impl SmsClient {
    /// A pager over `GET /sms` (used by `iterSms`).
    #[napi]
    pub fn sms_pager(&self, per_page: Option<u32>) -> SmsPager {
        SmsPager {
            items: Arc::new(Mutex::new(Box::pin(
                self.inner.sms_stream(per_page.unwrap_or(100)).fuse(),
            ))),
        }
    }

    /// A pager over `GET /lookup` (used by `iterLookups`).
    #[napi]
    pub fn lookup_pager(&self, per_page: Option<u32>) -> LookupPager {
        LookupPager {
            items: Arc::new(Mutex::new(Box::pin(
                self.inner.lookup_stream(per_page.unwrap_or(100)).fuse(),
            ))),
        }
    }
}
