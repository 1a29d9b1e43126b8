//! The documented DLR vocabulary: the 12 webhook statuses, the code table, and the normalised
//! [`DeliveryStatus`] every source maps into.
//!
//! Source: docs.instasent.com/transactional-api/http/dlrs ("Status list", "Code list").

use serde::{Deserialize, Serialize};

/// The 12 webhook statuses and their documented meanings, in the order the docs list them.
pub const STATUSES: [(&str, &str); 12] = [
    ("sent", "Message was sent to the device."),
    ("accepted", "Message was accepted by the carrier."),
    (
        "buffered",
        "Message is buffered by the carrier, waiting to be delivered.",
    ),
    ("delivered", "Message was delivered to the handset."),
    ("error", "Message could not be sent to the device."),
    ("failed", "Message could not be delivered."),
    ("expired", "Message expired before delivery was possible."),
    ("canceled", "Message was canceled."),
    ("rejected", "Message was rejected by the carrier."),
    ("unknown", "An unknown error occurred."),
    (
        "stop",
        "An opt-out inbound message was received from the handset.",
    ),
    ("inbound", "An inbound message was received (two-way only)."),
];

/// The documented DLR codes and their meanings. `0` is the happy path.
pub const CODES: [(i64, &str); 19] = [
    (0, "OK"),
    (1, "Unknown"),
    (2, "Absent temporarily"),
    (3, "Absent permanently"),
    (4, "Blocked subscriber"),
    (5, "Portability error"),
    (6, "Antispam reject"),
    (7, "Line busy"),
    (8, "Network error"),
    (9, "Illegal number"),
    (10, "Invalid message"),
    (11, "Unroutable"),
    (12, "Unreachable"),
    (13, "Age restriction"),
    (14, "Blocked carrier"),
    (15, "Insufficient funds"),
    (16, "Flooded"),
    (99, "Unknown error"),
    (100, "Reject"),
];

/// The documented meaning of a DLR code, or `None` for a code the docs do not list.
pub fn code_meaning(code: i64) -> Option<&'static str> {
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, meaning)| *meaning)
}

/// Where a report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum DlrSource {
    /// Instasent HTTP webhook JSON.
    Webhook,
    /// SMPP `deliver_sm` receipt text.
    Smpp,
    /// Insider transactional SMS callback event.
    Insider,
}

impl DlrSource {
    /// The lowercase name (`"webhook"`, `"smpp"`, `"insider"`), as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            DlrSource::Webhook => "webhook",
            DlrSource::Smpp => "smpp",
            DlrSource::Insider => "insider",
        }
    }
}

/// A status normalised across sources: the 12 webhook statuses, plus `scheduled` (Insider) and
/// `deleted` (SMPP `DELETED`), which have no webhook equivalent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum DeliveryStatus {
    /// Message was sent to the device.
    Sent,
    /// Message was accepted by the carrier.
    Accepted,
    /// Message is buffered by the carrier, waiting to be delivered.
    Buffered,
    /// Message was delivered to the handset.
    Delivered,
    /// Message could not be sent to the device.
    Error,
    /// Message could not be delivered.
    Failed,
    /// Message expired before delivery was possible.
    Expired,
    /// Message was canceled.
    Canceled,
    /// Message was rejected by the carrier.
    Rejected,
    /// An unknown error occurred; also any status this SDK does not recognise. Not final.
    /// Reading a status this version does not know gives this (a report serialised by a newer
    /// SDK, say, during a rolling deploy): the report's `raw_status` keeps what it said.
    Unknown,
    /// An opt-out inbound message was received from the handset.
    Stop,
    /// An inbound message was received (two-way only).
    Inbound,
    /// Insider only: the message is scheduled to be sent later.
    Scheduled,
    /// SMPP `DELETED` only: the message was deleted.
    Deleted,
}

impl DeliveryStatus {
    /// Every status, webhook statuses first in documented order.
    pub const ALL: &'static [DeliveryStatus] = &[
        DeliveryStatus::Sent,
        DeliveryStatus::Accepted,
        DeliveryStatus::Buffered,
        DeliveryStatus::Delivered,
        DeliveryStatus::Error,
        DeliveryStatus::Failed,
        DeliveryStatus::Expired,
        DeliveryStatus::Canceled,
        DeliveryStatus::Rejected,
        DeliveryStatus::Unknown,
        DeliveryStatus::Stop,
        DeliveryStatus::Inbound,
        DeliveryStatus::Scheduled,
        DeliveryStatus::Deleted,
    ];

    /// The lowercase name, as the webhook's `status` writes it and as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Accepted => "accepted",
            DeliveryStatus::Buffered => "buffered",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Error => "error",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Expired => "expired",
            DeliveryStatus::Canceled => "canceled",
            DeliveryStatus::Rejected => "rejected",
            DeliveryStatus::Unknown => "unknown",
            DeliveryStatus::Stop => "stop",
            DeliveryStatus::Inbound => "inbound",
            DeliveryStatus::Scheduled => "scheduled",
            DeliveryStatus::Deleted => "deleted",
        }
    }

    /// The status named `name` (ASCII case-insensitive; `cancelled` is accepted for `canceled`),
    /// or `None` when it is not one of ours.
    pub fn from_name(name: &str) -> Option<DeliveryStatus> {
        if name.eq_ignore_ascii_case("cancelled") {
            return Some(DeliveryStatus::Canceled);
        }
        DeliveryStatus::ALL
            .iter()
            .copied()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }

    /// Whether no further transition is expected for the message once this status is seen.
    ///
    /// Final: `delivered`, `error`, `failed`, `expired`, `canceled`, `rejected`, `deleted` (the
    /// message left the network one way or another), and `stop`/`inbound` (an inbound message
    /// has no lifecycle of its own after it arrived). Not final: `sent`, `accepted`, `buffered`,
    /// `scheduled` (in flight), and `unknown`: the docs describe it as "an unknown error" and SMPP
    /// `UNKNOWN` as "an invalid state", and unrecognised statuses normalise to it, so a later,
    /// definite status is still expected and must be allowed to replace it.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            DeliveryStatus::Delivered
                | DeliveryStatus::Error
                | DeliveryStatus::Failed
                | DeliveryStatus::Expired
                | DeliveryStatus::Canceled
                | DeliveryStatus::Rejected
                | DeliveryStatus::Deleted
                | DeliveryStatus::Stop
                | DeliveryStatus::Inbound
        )
    }

    /// The documented meaning for a webhook status; `None` for `scheduled` and `deleted`.
    pub fn meaning(self) -> Option<&'static str> {
        STATUSES
            .iter()
            .find(|(name, _)| *name == self.as_str())
            .map(|(_, meaning)| *meaning)
    }
}

/// Read by name as [`DeliveryStatus::from_name`] does; a name it does not know is `Unknown`,
/// not an error, so a report written by a newer SDK still reads.
impl<'de> Deserialize<'de> for DeliveryStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(DeliveryStatus::from_name(&name).unwrap_or(DeliveryStatus::Unknown))
    }
}

impl std::fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_status_this_version_does_not_know_deserialises_as_unknown() {
        let read: super::DeliveryStatus = serde_json::from_str("\"queued-v2\"").unwrap();
        assert_eq!(read, super::DeliveryStatus::Unknown);
        let known: super::DeliveryStatus = serde_json::from_str("\"delivered\"").unwrap();
        assert_eq!(known, super::DeliveryStatus::Delivered);
    }

    use super::*;

    #[test]
    fn every_documented_status_has_a_variant_with_the_same_name() {
        for (name, _) in STATUSES {
            let status = DeliveryStatus::from_name(name).expect(name);
            assert_eq!(status.as_str(), name);
            assert!(status.meaning().is_some());
        }
    }

    #[test]
    fn status_names_match_their_serde_form() {
        for &status in DeliveryStatus::ALL {
            let json = serde_json::to_value(status).unwrap();
            assert_eq!(json, serde_json::json!(status.as_str()));
            assert_eq!(status.to_string(), status.as_str());
        }
    }

    #[test]
    fn status_names_are_case_insensitive_and_unknown_names_are_none() {
        assert_eq!(
            DeliveryStatus::from_name("DELIVERED"),
            Some(DeliveryStatus::Delivered)
        );
        assert_eq!(
            DeliveryStatus::from_name("cancelled"),
            Some(DeliveryStatus::Canceled)
        );
        assert_eq!(DeliveryStatus::from_name("weird-new-status"), None);
        assert_eq!(DeliveryStatus::from_name(""), None);
    }

    #[test]
    fn final_statuses_are_the_terminal_ones() {
        let finals: Vec<_> = DeliveryStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.is_final())
            .map(DeliveryStatus::as_str)
            .collect();
        assert_eq!(
            finals,
            [
                "delivered",
                "error",
                "failed",
                "expired",
                "canceled",
                "rejected",
                "stop",
                "inbound",
                "deleted"
            ]
        );
    }

    #[test]
    fn documented_codes_have_their_meanings() {
        assert_eq!(code_meaning(0), Some("OK"));
        assert_eq!(code_meaning(6), Some("Antispam reject"));
        assert_eq!(code_meaning(16), Some("Flooded"));
        assert_eq!(code_meaning(99), Some("Unknown error"));
        assert_eq!(code_meaning(100), Some("Reject"));
        assert_eq!(code_meaning(17), None);
        assert_eq!(code_meaning(-1), None);
        let mut codes: Vec<_> = CODES.iter().map(|(c, _)| *c).collect();
        codes.dedup();
        assert_eq!(codes.len(), CODES.len());
    }
}
