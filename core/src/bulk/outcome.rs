//! What happened to each message of a bulk request or campaign.

use serde::Serialize;

use crate::error::{ErrorKind, FieldErrors};
use crate::model::BulkResponse;

/// Where a message was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RejectStage {
    /// By the SDK's check of the documented rules; nothing was sent.
    Local,
    /// By the API, in the `errors` of the bulk response.
    Server,
}

/// The fate of one input message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum Outcome {
    /// The API accepted it. `id` is `None` only when `accepted_earlier`: a retried request found
    /// its `clientId` already used, i.e. an earlier attempt had been accepted.
    #[serde(rename_all = "camelCase")]
    Accepted {
        id: Option<String>,
        client_id: String,
        accepted_earlier: bool,
    },
    /// Rejected with per-field messages; fix and resend.
    #[serde(rename_all = "camelCase")]
    Rejected {
        client_id: Option<String>,
        stage: RejectStage,
        fields: FieldErrors,
    },
    /// The request carrying it failed as a whole (e.g. 402, 401, or an ambiguous outcome after
    /// retries); `kind` says which.
    #[serde(rename_all = "camelCase")]
    Failed {
        client_id: Option<String>,
        kind: ErrorKind,
        message: String,
    },
}

impl Outcome {
    pub fn is_accepted(&self) -> bool {
        matches!(self, Outcome::Accepted { .. })
    }

    pub fn client_id(&self) -> Option<&str> {
        match self {
            Outcome::Accepted { client_id, .. } => Some(client_id),
            Outcome::Rejected { client_id, .. } | Outcome::Failed { client_id, .. } => {
                client_id.as_deref()
            }
        }
    }
}

/// One result of a campaign: the input's position (from 0) and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult {
    pub index: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// A reconciled `POST /sms/bulk`: one outcome per input, in input order, and the API's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkResult {
    pub items: Vec<Outcome>,
    pub response: BulkResponse,
}

impl Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}
