//! Delivery reports: Instasent webhook JSON, SMPP receipts and Insider callback events,
//! normalised into one [`DeliveryReport`], plus a [`DeliveryTracker`] of the latest state per
//! message.

mod detect;
mod event_time;
mod fields;
mod insider;
#[cfg(test)]
mod proptests;
mod report;
mod smpp;
mod status;
mod tracker;
mod webhook;

pub use detect::parse;
pub use insider::{insider_event_status, parse_insider_event, parse_insider_event_value};
pub use report::DeliveryReport;
pub use smpp::{parse_smpp_receipt, smpp_stat_status, SMPP_STATS};
pub use status::{code_meaning, DeliveryStatus, DlrSource, CODES, STATUSES};
pub use tracker::{DeliveryTracker, TrackOutcome};
pub use webhook::{parse_webhook, parse_webhook_value};
