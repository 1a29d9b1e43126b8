//! The one normalised delivery report every source parses into.

use serde::{Deserialize, Serialize};

use super::event_time::EventTime;
use super::status::{code_meaning, DeliveryStatus, DlrSource};

/// A delivery report, whatever it arrived as. Unknown statuses and codes are kept: `raw_status`
/// and `code` always hold what was received, `status` and `code_meaning` what we understood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeliveryReport {
    /// The format the report arrived in.
    pub source: DlrSource,
    /// The Instasent message id (Insider: `id`, or `messageId` on the accept acknowledgement).
    pub id: String,
    /// The `clientId` the message was sent with, when the source carries it (webhook `clientId`).
    pub client_id: Option<String>,
    /// Normalised; an unrecognised raw status is [`DeliveryStatus::Unknown`].
    pub status: DeliveryStatus,
    /// Exactly as received (`"DELIVRD"`, `"undelivered"`, `"weird-new-status"`).
    pub raw_status: String,
    /// The error code as received (webhook `code`, SMPP `err`, Insider `reason.code`); `0` is
    /// "OK" in Instasent's table.
    pub code: Option<i64>,
    /// The documented meaning of `code` (Insider: `reason.message`); `None` for unknown codes.
    pub code_meaning: Option<String>,
    /// RFC 3339 UTC.
    pub event_at: Option<String>,
    /// `event_at` as Unix seconds, the time [`DeliveryTracker`](super::DeliveryTracker) orders by.
    pub event_unix: Option<i64>,
    /// `status.is_final()`: no further transition is expected for this message.
    pub is_final: bool,
    /// Inbound or opt-out text (webhook `message`).
    pub message: Option<String>,
    /// The handset number, where the source carries it (Insider `phoneNumber`).
    pub to: Option<String>,
    /// SMPP `dlvrd`: whether the receipt counts the message as delivered.
    pub delivered: Option<bool>,
    /// The payload as JSON; for SMPP an object of the receipt's fields as text.
    pub raw: serde_json::Value,
}

impl DeliveryReport {
    /// A report with the fields every source sets; the rest start empty.
    pub(crate) fn new(
        source: DlrSource,
        id: String,
        status: DeliveryStatus,
        raw_status: String,
        raw: serde_json::Value,
    ) -> DeliveryReport {
        DeliveryReport {
            source,
            id,
            client_id: None,
            status,
            raw_status,
            code: None,
            code_meaning: None,
            event_at: None,
            event_unix: None,
            is_final: status.is_final(),
            message: None,
            to: None,
            delivered: None,
            raw,
        }
    }

    /// Sets `code` and its documented meaning (Instasent webhook and SMPP `err`).
    pub(crate) fn with_documented_code(mut self, code: Option<i64>) -> DeliveryReport {
        self.code = code;
        self.code_meaning = code.and_then(code_meaning).map(str::to_owned);
        self
    }

    pub(crate) fn with_event_time(mut self, at: Option<EventTime>) -> DeliveryReport {
        if let Some(at) = at {
            self.event_at = Some(at.rfc3339);
            self.event_unix = Some(at.unix);
        }
        self
    }
}
