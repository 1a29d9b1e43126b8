//! `instasent-sandbox`: a fast, stateful local emulator of Instasent's Transactional HTTP API
//! for tests, examples, demos and benchmarks. See `README.md` for test numbers, faults and the
//! admin API.

mod admin;
mod api;
mod calling_codes;
mod clock;
pub mod config;
pub mod countries;
mod dlr;
mod endpoint;
#[cfg(feature = "cli")]
mod flags;
pub mod ledger;
pub mod outcomes;
mod registry;
mod request;
mod respond;
mod router;
mod sandbox;
mod server;
mod state;
mod stats;
mod webhook;
mod window;

pub use config::{Faults, RateLimits, SandboxConfig, DEFAULT_READ_TIMEOUT, DEFAULT_TOKEN};
#[cfg(feature = "cli")]
pub use flags::FaultFlags;
pub use ledger::LedgerMessage;
pub use outcomes::DLR_OUTCOMES;
pub use router::{ADMIN_PREFIX, API_PREFIX, MAX_BODY_BYTES};
pub use sandbox::{Sandbox, STOP_WORDS};
pub use stats::Stats;
pub use webhook::Event as WebhookEvent;
