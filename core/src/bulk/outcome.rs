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

impl ItemResult {
    /// Sorts a campaign's results, which arrive in completion order, into input order. They
    /// normally hold each index of `0..len` once, so each is moved straight to its place; any
    /// other set of indexes is sorted.
    pub fn sort_by_index(results: &mut Vec<ItemResult>) {
        let mut slots: Vec<Option<ItemResult>> = Vec::new();
        slots.resize_with(results.len(), || None);
        let mut arrived = std::mem::take(results).into_iter();
        while let Some(r) = arrived.next() {
            match usize::try_from(r.index).ok().and_then(|i| slots.get_mut(i)) {
                Some(slot @ None) => *slot = Some(r),
                _ => {
                    // Not each index of 0..len once: gather everything back and sort.
                    results.extend(slots.into_iter().flatten());
                    results.push(r);
                    results.extend(arrived);
                    results.sort_by_key(|r| r.index);
                    return;
                }
            }
        }
        results.extend(slots.into_iter().flatten());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn results(indexes: &[u64]) -> Vec<ItemResult> {
        indexes
            .iter()
            .map(|&index| ItemResult {
                index,
                outcome: Outcome::Accepted {
                    id: Some(format!("id-{index}")),
                    client_id: format!("c-{index}"),
                    accepted_earlier: false,
                },
            })
            .collect()
    }

    fn indexes(results: &[ItemResult]) -> Vec<u64> {
        results.iter().map(|r| r.index).collect()
    }

    #[test]
    fn results_in_completion_order_come_back_in_input_order() {
        let mut r = results(&[3, 4, 5, 0, 1, 2, 6]);
        ItemResult::sort_by_index(&mut r);
        assert_eq!(indexes(&r), [0, 1, 2, 3, 4, 5, 6]);
        assert!(
            matches!(&r[4].outcome, Outcome::Accepted { id: Some(id), .. } if id == "id-4"),
            "each outcome stays with its index"
        );
    }

    #[test]
    fn indexes_with_gaps_or_repeats_are_sorted_and_none_is_lost() {
        for input in [&[9, 2, 5][..], &[1, 1, 0], &[0, 2, 1, 2], &[2, 0, u64::MAX]] {
            let mut r = results(input);
            ItemResult::sort_by_index(&mut r);
            let mut expected = input.to_vec();
            expected.sort();
            assert_eq!(indexes(&r), expected, "from {input:?}");
        }
    }
}
