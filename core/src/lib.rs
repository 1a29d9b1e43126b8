//! Instasent Transactional SMS API: a typed, retrying client, a bulk campaign engine,
//! GSM-7/UCS-2 segment analysis and delivery-report parsing.

pub mod blocking;
pub mod bulk;
mod client;
pub mod dlr;
pub mod encoding;
pub mod error;
mod http;
pub mod model;
pub mod ratelimit;
pub mod runtime;
#[cfg(test)]
mod testing;
pub mod validate;

pub use bulk::{CampaignOptions, CampaignReport, ItemResult, Outcome, Progress, RejectStage};
pub use client::{
    is_client_id_already_used, Client, ClientBuilder, ACCEPTED_EARLIER_STATUS, BASE_URL_ENV,
    DEFAULT_BASE_URL, DEFAULT_BULK_CONCURRENCY,
};
pub use error::{Error, ErrorKind, FieldErrors, Result};
pub use http::{RetryPolicy, TokenPlacement};
pub use model::*;
pub use ratelimit::RateLimit;
