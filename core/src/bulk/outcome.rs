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
        /// Instasent's message id; `None` when `accepted_earlier`.
        id: Option<String>,
        /// The `clientId` it was sent with, yours or generated.
        client_id: String,
        /// A retry (or, with `resume`, a re-run) was refused as "clientId already used": an earlier
        /// request had been accepted, and its id could not be read back.
        accepted_earlier: bool,
    },
    /// Rejected with per-field messages; fix and resend.
    #[serde(rename_all = "camelCase")]
    Rejected {
        /// The `clientId` it carried, yours or generated.
        client_id: Option<String>,
        /// Whether the SDK's checks or the API refused it.
        stage: RejectStage,
        /// Messages per field (`{"to": ["This value is not valid"]}`).
        fields: FieldErrors,
    },
    /// The request carrying it failed as a whole (e.g. 402, 401, or an ambiguous outcome after
    /// retries); `kind` says which.
    #[serde(rename_all = "camelCase")]
    Failed {
        /// The `clientId` it carried: with `AmbiguousOutcome`, look the message up by it before
        /// sending it again.
        client_id: Option<String>,
        /// Why the request failed; `AmbiguousOutcome` means the message may have been sent.
        kind: ErrorKind,
        /// The error's text.
        message: String,
    },
}

impl Outcome {
    /// Whether the API accepted the message, in this request or an earlier one.
    pub fn is_accepted(&self) -> bool {
        matches!(self, Outcome::Accepted { .. })
    }

    /// The message's `clientId`, whatever the outcome.
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
#[non_exhaustive]
pub struct ItemResult {
    /// Position of the input, from 0.
    pub index: u64,
    /// What happened to it.
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl ItemResult {
    /// The result of the input at `index` (from 0). For code that settles inputs itself, such
    /// as a front end that refuses a row before it becomes a message.
    pub fn new(index: u64, outcome: Outcome) -> Self {
        ItemResult { index, outcome }
    }
}

/// A campaign's results in input order. Results settle nearly in order, a batch at a time, and
/// each is a large value to move, so a whole campaign's (indexes 0 to n − 1, each once) are put
/// in place by index instead of sorted; any other set is sorted.
pub fn in_input_order(results: Vec<ItemResult>) -> Vec<ItemResult> {
    let mut slots: Vec<Option<ItemResult>> = std::iter::repeat_with(|| None)
        .take(results.len())
        .collect();
    let mut results = results.into_iter();
    while let Some(r) = results.next() {
        let slot = usize::try_from(r.index).ok().and_then(|i| slots.get_mut(i));
        match slot {
            Some(slot @ None) => *slot = Some(r),
            _ => {
                let mut all: Vec<ItemResult> = slots
                    .into_iter()
                    .flatten()
                    .chain(std::iter::once(r))
                    .chain(results)
                    .collect();
                all.sort_by_key(|r| r.index);
                return all;
            }
        }
    }
    // n distinct indexes below n: every slot is filled.
    slots.into_iter().flatten().collect()
}

/// A reconciled `POST /sms/bulk`: one outcome per input, in input order, and the API's answer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BulkResult {
    /// One outcome per input message, in input order.
    pub items: Vec<Outcome>,
    /// The API's answer as it came.
    pub response: BulkResponse,
}

impl Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An accepted result of input `index`.
    pub(crate) fn result(index: u64) -> ItemResult {
        ItemResult {
            index,
            outcome: Outcome::Accepted {
                id: Some(format!("id{index}")),
                client_id: format!("c{index}"),
                accepted_earlier: false,
            },
        }
    }

    fn indexes(results: &[ItemResult]) -> Vec<u64> {
        results.iter().map(|r| r.index).collect()
    }

    #[test]
    fn a_whole_campaign_comes_back_in_input_order() {
        let shuffled = [3, 4, 5, 0, 1, 2, 8, 6, 7].map(result).to_vec();
        let ordered = in_input_order(shuffled);
        assert_eq!(indexes(&ordered), (0..9).collect::<Vec<_>>());
        // Each result keeps its own outcome.
        assert!(ordered.iter().all(|r| r == &result(r.index)));
        assert!(in_input_order(Vec::new()).is_empty());
    }

    #[test]
    fn gaps_repeats_and_large_indexes_are_sorted_and_kept() {
        for input in [
            vec![5, 1, 3],
            vec![2, 0, 2],
            vec![u64::MAX, 0],
            vec![1, 1, 0],
        ] {
            let mut expected = input.clone();
            expected.sort_unstable();
            let got = in_input_order(input.into_iter().map(result).collect());
            assert_eq!(indexes(&got), expected);
        }
    }
}
