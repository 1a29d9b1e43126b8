//! Node.js binding of the Instasent SDK (napi-rs). It only translates: JS arguments become core
//! types, core errors become one JS error shape (see `error`), and every core future runs on the
//! core's own runtime (see `runtime`). `index.js` adds the thin JS layer the documented surface
//! needs (the `InstasentError` class, iterable adapters).

// napi registers the exports only outside `cfg(test)`; unit tests see them as unused.
#![cfg_attr(test, allow(dead_code))]

mod bulk;
mod client;
mod dlr;
mod encoding;
mod error;
mod options;
mod paging;
mod plumbing;
mod runtime;
mod sandbox;
mod typed;
mod types;

pub use client::SmsClient;
pub use dlr::DeliveryTracker;
pub use sandbox::Sandbox;
