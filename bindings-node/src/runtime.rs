//! Runtime bridge. napi's `async fn` support polls the returned future on napi's own tokio
//! runtime; the core's connections belong to `instasent::runtime` (one per process, re-created
//! after fork). So each call is spawned onto the core runtime and napi's runtime only awaits
//! the join handle: all I/O stays on the runtime that owns the connection pool.

use std::future::Future;

use crate::error::{to_napi, IntoNapi};

/// Runs a core future on the core runtime and awaits it from napi's.
pub async fn run<T, F>(fut: F) -> napi::Result<T>
where
    T: Send + 'static,
    F: Future<Output = instasent::Result<T>> + Send + 'static,
{
    let rt = instasent::runtime::runtime().napi()?;
    match rt.spawn(fut).await {
        Ok(result) => result.map_err(to_napi),
        Err(join) => Err(to_napi(instasent::Error::new(
            instasent::ErrorKind::Transport,
            format!("the request task stopped unexpectedly: {join}"),
        ))),
    }
}
