//! The one runtime. Left to itself napi-rs starts a Tokio runtime of its own when the addon
//! loads and polls every `async fn`'s future there, beside the core's. Registered here as napi's
//! async backend, the core's runtime (one per process, started by the first call, re-created
//! after fork) runs those futures instead: `require("instasent")` starts no thread, and a call's
//! I/O stays on the runtime that owns the connection pool.

use std::future::Future;
use std::pin::Pin;

use napi::bindgen_prelude::{AsyncRuntime, AsyncRuntimeRejection, AsyncRuntimeTask};

use crate::error::to_napi;

struct CoreRuntime;

// SAFETY: napi asks that nothing of the backend runs code from the addon's image once `shutdown`
// returns, because Node may unload the image then. The core's runtime lives as long as the
// process (other environments, such as worker threads, may still be using it); napi pins the
// image when the backend is registered (`register_async_runtime`), so it is never unloaded
// where the platform can pin it.
unsafe impl AsyncRuntime for CoreRuntime {
    fn spawn(&self, task: AsyncRuntimeTask) -> Result<(), AsyncRuntimeRejection<AsyncRuntimeTask>> {
        match instasent::runtime::runtime() {
            // napi catches a panic inside the task and rejects its promise; the handle is not
            // needed to settle it.
            Ok(rt) => {
                drop(rt.spawn(task));
                Ok(())
            }
            Err(e) => Err(AsyncRuntimeRejection::new(task, to_napi(e))),
        }
    }

    fn block_on(&self, future: Pin<&mut dyn Future<Output = ()>>) -> napi::Result<()> {
        // Called by napi on the JS thread, where no runtime context is set.
        instasent::runtime::block_on_here(future).map_err(to_napi)
    }

    fn shutdown(&self) -> napi::Result<()> {
        // Nothing to release: see the SAFETY note.
        Ok(())
    }
}

#[cfg(not(test))]
#[napi_derive::module_init]
fn run_async_methods_on_the_core_runtime() {
    napi::bindgen_prelude::register_async_runtime(CoreRuntime);
}
