//! HTTP transport: authentication, pacing by `X-RateLimit-*`, retries, error classification.

mod answer;
mod pacer;
mod retry;
mod tls;
mod token;
mod transport;

pub use retry::RetryPolicy;
pub(crate) use token::Token;
pub use token::TokenPlacement;
pub(crate) use transport::{ApiRequest, RawResponse, Transport, TransportConfig};
