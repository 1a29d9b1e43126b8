//! Instasent Transactional SMS API: a typed, retrying client, a bulk campaign engine,
//! GSM-7/UCS-2 segment analysis and delivery-report parsing.
//!
//! - [`Client`] (async, on tokio) and [`blocking::Client`] cover every endpoint: `POST /sms`,
//!   `POST /sms/bulk`, the message history (with auto-paging streams), lookups, balance, both
//!   price profiles and Verify. A call returns a [`Response`]: the typed body, the HTTP status,
//!   the raw JSON and the rate-limit window; [`documented`] turns it into the
//!   `{response_code, response_body}` of Instasent's own SDKs.
//! - A message is checked against the documented field rules ([`validate`]) before it is sent,
//!   and always carries a `clientId` (yours, or a generated one) that every retry reuses, so the
//!   API refuses a second copy: a retry answered "clientId already used" is reported as accepted
//!   (`accepted_earlier`). When no answer can settle a send, the error is
//!   [`ErrorKind::AmbiguousOutcome`], with the `clientId` to look the message up by.
//! - 429s, 5xx and broken connections are retried with backoff ([`RetryPolicy`]: 6 attempts and
//!   180 s at most by default), and requests wait for the `X-RateLimit-*` window instead of
//!   running into a 429. A lookup, a verify request or a raw call is retried only when it
//!   certainly was not processed, since a repeat would be charged or sent twice.
//! - [`Client::campaign`] sends any number of messages as concurrent bulk requests of up to 100
//!   and streams one [`ItemResult`] per input, reading the input only as fast as the API answers
//!   ([`bulk`]).
//! - [`encoding`] tells before sending how a text travels (GSM-7 or UCS-2, segments, split
//!   points) and what it costs; [`dlr`] parses webhook JSON, SMPP receipts and Insider events
//!   into one [`DeliveryReport`](dlr::DeliveryReport).
//!
//! Every failure is an [`Error`] with an [`ErrorKind`] to branch on. The API token never appears
//! in an error, in `Debug` output or in logs.
//!
//! # Examples
//!
//! Send one SMS with the blocking client. The base URL is `$INSTASENT_BASE_URL` when set (a
//! local sandbox, say), else the production API:
//!
//! ```no_run
//! use instasent::blocking::Client;
//! use instasent::SmsRequest;
//!
//! # fn main() -> Result<(), instasent::Error> {
//! let client = Client::new(std::env::var("INSTASENT_TOKEN").unwrap_or_default())?;
//! let sms = SmsRequest::new("Acme", "+34600123456", "Your code is 4821");
//! let sent = client.send_sms(&sms)?;
//! println!("HTTP {}: id {}, {:?} segment(s)", sent.status, sent.body.id, sent.body.segments);
//! # Ok(())
//! # }
//! ```
//!
//! A campaign with the async client. Results come as their batches settle (`index` says which
//! input each one is for), and memory stays flat however long the input:
//!
//! ```no_run
//! use futures_util::{stream, StreamExt};
//! use instasent::{CampaignOptions, Client, Outcome, SmsRequest};
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), instasent::Error> {
//! let client = Client::new(std::env::var("INSTASENT_TOKEN").unwrap_or_default())?;
//! let messages = stream::iter((0..10_000).map(|i| {
//!     SmsRequest::new("Acme", format!("+346{i:08}"), format!("Order {i} has shipped"))
//!         // Your own clientIds let a re-run with `resume` skip what was accepted.
//!         .client_id(format!("order-{i}"))
//! }));
//! let options = CampaignOptions::default().resume(true);
//! let mut results = std::pin::pin!(client.campaign(messages, options)?);
//! while let Some(r) = results.next().await {
//!     match r.outcome {
//!         Outcome::Accepted { .. } => {}
//!         Outcome::Rejected { fields, .. } => println!("{} rejected: {fields:?}", r.index),
//!         Outcome::Failed { kind, .. } => println!("{} not sent: {kind}", r.index),
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! How a text travels, before sending it:
//!
//! ```no_run
//! use instasent::encoding::{analyze, AnalyzeOptions, Encoding};
//!
//! let options = AnalyzeOptions::default();
//! let gsm = analyze("Hola José, tu pedido llega mañana.", &options);
//! assert_eq!((gsm.encoding, gsm.segments), (Encoding::Gsm7, 1));
//! // "í" is not in GSM-7: the whole text goes as UCS-2 (70 characters a segment, not 160),
//! // and sending it needs `allow_unicode`.
//! let ucs2 = analyze("Hola María, tu pedido llega mañana.", &options);
//! assert_eq!((ucs2.encoding, ucs2.unicode_chars), (Encoding::Ucs2, vec!['í']));
//! // 161 characters do not fit in one message: two parts of up to 153.
//! assert_eq!(analyze(&"x".repeat(161), &options).segments, 2);
//! ```

#![warn(missing_docs)]

pub mod blocking;
pub mod bulk;
mod client;
pub mod dlr;
pub mod encoding;
pub mod error;
mod http;
pub mod logging;
pub mod model;
mod per_process;
pub mod ratelimit;
pub mod runtime;
#[cfg(test)]
mod testing;
pub mod validate;

pub use bulk::{CampaignOptions, CampaignReport, ItemResult, Outcome, Progress, RejectStage};
pub use client::{
    is_client_id_already_used, new_client_id, Client, ClientBuilder, ACCEPTED_EARLIER_STATUS,
    BASE_URL_ENV, DEFAULT_BASE_URL, DEFAULT_BULK_CONCURRENCY, MAX_BULK_CONCURRENCY,
};
pub use error::{Error, ErrorKind, FieldErrors, Result};
pub use http::{RetryPolicy, TokenPlacement};
pub use model::*;
pub use ratelimit::RateLimit;
