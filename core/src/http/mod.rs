//! HTTP transport: authentication, pacing by `X-RateLimit-*`, retries, error classification.

mod answer;
mod pacer;
mod retry;
mod tls;
mod transport;

pub use retry::RetryPolicy;
pub use transport::TokenPlacement;
pub(crate) use transport::{ApiRequest, RawResponse, Token, Transport, TransportConfig};
