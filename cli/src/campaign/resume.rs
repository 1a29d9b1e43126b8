//! A clientId the API already had ("This value is already used."), and whose message it was.
//!
//! The engine runs with `resume` off so that two cases stay apart. On a request's first attempt
//! a used clientId comes back as a rejection, which is turned here into "accepted by an earlier
//! run": every row of a file has its own clientId (see `client_id`), so only an earlier run, or
//! another send of the account, can have used it, and that run was charged for it. On a retry
//! after a dropped connection (or a 5xx) the engine itself reports it as accepted earlier: the
//! attempt whose answer was lost had been taken, so this run sent it and was charged for it.
//! Only a retried request holding a message an earlier run had sent is counted as this run's.

use instasent::{is_client_id_already_used, Outcome, RejectStage};

/// Who sent a message the API reports as accepted earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentBy {
    ThisRun,
    EarlierRun,
}

/// The outcome as the results and the summary tell it, and who sent the message.
pub fn classify(outcome: Outcome) -> (Outcome, SentBy) {
    match outcome {
        Outcome::Rejected {
            client_id: Some(client_id),
            stage: RejectStage::Server,
            fields,
        } if is_client_id_already_used(&fields) => (
            Outcome::Accepted {
                id: None,
                client_id,
                accepted_earlier: true,
            },
            SentBy::EarlierRun,
        ),
        outcome => (outcome, SentBy::ThisRun),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use instasent::validate::CLIENT_ID_ALREADY_USED;

    fn rejected(fields: &[(&str, &str)]) -> Outcome {
        Outcome::Rejected {
            client_id: Some("c-1".into()),
            stage: RejectStage::Server,
            fields: fields
                .iter()
                .map(|(f, m)| (f.to_string(), vec![m.to_string()]))
                .collect(),
        }
    }

    #[test]
    fn a_client_id_used_on_the_first_attempt_was_sent_by_an_earlier_run() {
        let (outcome, by) = classify(rejected(&[("clientId", "this value is already used")]));
        assert_eq!(by, SentBy::EarlierRun);
        assert_eq!(
            outcome,
            Outcome::Accepted {
                id: None,
                client_id: "c-1".into(),
                accepted_earlier: true
            }
        );
    }

    #[test]
    fn other_refusals_and_acceptances_on_a_retry_stand() {
        let both = rejected(&[("clientId", CLIENT_ID_ALREADY_USED), ("to", "bad")]);
        assert_eq!(classify(both.clone()), (both, SentBy::ThisRun));
        let retried = Outcome::Accepted {
            id: None,
            client_id: "c-1".into(),
            accepted_earlier: true,
        };
        assert_eq!(classify(retried.clone()), (retried, SentBy::ThisRun));
    }
}
