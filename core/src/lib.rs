//! Instasent Transactional SMS API: a typed, retrying client, a bulk campaign engine,
//! GSM-7/UCS-2 segment analysis and delivery-report parsing.

pub mod dlr;
pub mod encoding;
pub mod error;
pub mod model;
pub mod ratelimit;
pub mod validate;

pub use error::{Error, ErrorKind, FieldErrors, Result};
pub use model::*;
pub use ratelimit::RateLimit;
