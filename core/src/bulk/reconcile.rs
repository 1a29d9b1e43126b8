//! Matching a bulk response back to its inputs. The API lists accepted `entities` and rejected
//! `errors`, each in input order (docs: transactional-api/http/bulk, "The order mirrors the input
//! array position of the rejected items"). Every input carries a `clientId`, so accepted ones are
//! found by it, and the rest take the errors in order.

use std::collections::HashMap;

use super::outcome::{Outcome, RejectStage};
use crate::client::is_client_id_already_used;
use crate::error::ErrorKind;
use crate::model::{BulkItemError, SmsRequest};

/// `accepted`: (clientId, id) of each accepted entity. `duplicates_are_accepted`: a
/// "clientId already used" rejection means an earlier attempt (a retry, or a re-run campaign)
/// was accepted.
pub(crate) fn reconcile<'a>(
    inputs: &[SmsRequest],
    accepted: impl Iterator<Item = (Option<&'a str>, &'a str)>,
    errors: &[BulkItemError],
    duplicates_are_accepted: bool,
) -> Vec<Outcome> {
    let accepted: Vec<(Option<&str>, &str)> = accepted.collect();
    // The documented order makes this a merge; a server that reorders falls back to lookups.
    in_order(inputs, &accepted, errors, duplicates_are_accepted)
        .unwrap_or_else(|| by_client_id(inputs, &accepted, errors, duplicates_are_accepted))
}

/// Both lists in input order: each input is the next accepted entity or the next error. `None`
/// when the answer does not line up that way.
fn in_order(
    inputs: &[SmsRequest],
    accepted: &[(Option<&str>, &str)],
    errors: &[BulkItemError],
    duplicates_are_accepted: bool,
) -> Option<Vec<Outcome>> {
    if accepted.len() + errors.len() != inputs.len() {
        return None;
    }
    let mut accepted = accepted.iter().peekable();
    let mut errors = errors.iter();
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let client_id = input.client_id.as_deref().unwrap_or_default();
        match accepted.peek() {
            Some((Some(cid), id)) if *cid == client_id => {
                out.push(accepted_now(client_id, id));
                accepted.next();
            }
            _ => out.push(not_accepted(
                client_id,
                errors.next()?,
                duplicates_are_accepted,
            )),
        }
    }
    Some(out)
}

fn by_client_id(
    inputs: &[SmsRequest],
    accepted: &[(Option<&str>, &str)],
    errors: &[BulkItemError],
    duplicates_are_accepted: bool,
) -> Vec<Outcome> {
    let by_client_id: HashMap<&str, &str> = accepted
        .iter()
        .filter_map(|&(cid, id)| Some((cid?, id)))
        .collect();
    let unmatched = inputs
        .iter()
        .filter(|i| !by_client_id.contains_key(i.client_id.as_deref().unwrap_or_default()))
        .count();
    // The errors name no input: they can only be handed out in order when there is exactly one
    // per input not accepted. Otherwise (an entity without its clientId, one missing, one too
    // many) handing them out would call a message that went out "rejected", and fixing and
    // resending it would send it twice.
    let lined_up = unmatched == errors.len();
    let mut errors = errors.iter();
    inputs
        .iter()
        .map(|input| {
            let client_id = input.client_id.as_deref().unwrap_or_default();
            if let Some(id) = by_client_id.get(client_id) {
                return accepted_now(client_id, id);
            }
            match errors.next().filter(|_| lined_up) {
                Some(err) => not_accepted(client_id, err, duplicates_are_accepted),
                None => Outcome::Failed {
                    client_id: Some(client_id.to_owned()),
                    kind: ErrorKind::AmbiguousOutcome,
                    message: "the bulk answer does not say what became of this message (its \
                              entities and errors do not line up with the request): it may have \
                              been sent; look it up by its clientId before sending it again"
                        .into(),
                },
            }
        })
        .collect()
}

fn accepted_now(client_id: &str, id: &str) -> Outcome {
    Outcome::Accepted {
        id: Some(id.to_owned()),
        client_id: client_id.to_owned(),
        accepted_earlier: false,
    }
}

fn not_accepted(client_id: &str, err: &BulkItemError, duplicates_are_accepted: bool) -> Outcome {
    if duplicates_are_accepted && is_client_id_already_used(&err.fields) {
        Outcome::Accepted {
            id: None,
            client_id: client_id.to_owned(),
            accepted_earlier: true,
        }
    } else {
        Outcome::Rejected {
            client_id: Some(client_id.to_owned()),
            stage: RejectStage::Server,
            fields: err.fields.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::CLIENT_ID_ALREADY_USED;

    fn input(cid: &str) -> SmsRequest {
        SmsRequest::new("Acme", "+34600000000", "x").client_id(cid)
    }

    fn err(field: &str, msg: &str) -> BulkItemError {
        let mut e = BulkItemError::default();
        e.fields.insert(field.into(), vec![msg.into()]);
        e
    }

    #[test]
    fn rejected_items_take_errors_in_input_order() {
        let inputs = [input("a"), input("b"), input("c"), input("d")];
        let accepted = [(Some("a"), "1"), (Some("c"), "3")];
        let errors = [err("to", "bad b"), err("from", "bad d")];
        let r = reconcile(&inputs, accepted.into_iter(), &errors, false);
        assert!(matches!(&r[0], Outcome::Accepted { id: Some(id), .. } if id == "1"));
        assert!(matches!(&r[1], Outcome::Rejected { fields, .. } if fields.contains_key("to")));
        assert!(matches!(&r[2], Outcome::Accepted { id: Some(id), .. } if id == "3"));
        assert!(matches!(&r[3], Outcome::Rejected { fields, .. } if fields.contains_key("from")));
    }

    #[test]
    fn duplicate_client_id_after_retry_is_accepted_earlier() {
        let inputs = [input("a")];
        let errors = [err("clientId", CLIENT_ID_ALREADY_USED)];
        let first = reconcile(&inputs, std::iter::empty(), &errors, false);
        assert!(matches!(first[0], Outcome::Rejected { .. }));
        let retried = reconcile(&inputs, std::iter::empty(), &errors, true);
        assert_eq!(
            retried[0],
            Outcome::Accepted {
                id: None,
                client_id: "a".into(),
                accepted_earlier: true
            }
        );
    }

    #[test]
    fn entities_out_of_input_order_are_still_matched_by_client_id() {
        let inputs = [input("a"), input("b"), input("c")];
        let accepted = [(Some("c"), "3"), (Some("a"), "1")];
        let errors = [err("to", "bad b")];
        let r = reconcile(&inputs, accepted.into_iter(), &errors, false);
        assert!(matches!(&r[0], Outcome::Accepted { id: Some(id), .. } if id == "1"));
        assert!(matches!(&r[1], Outcome::Rejected { fields, .. } if fields.contains_key("to")));
        assert!(matches!(&r[2], Outcome::Accepted { id: Some(id), .. } if id == "3"));
    }

    #[test]
    fn missing_items_fail_instead_of_vanishing() {
        let r = reconcile(&[input("a")], std::iter::empty(), &[], false);
        assert!(matches!(
            r[0],
            Outcome::Failed {
                kind: ErrorKind::AmbiguousOutcome,
                ..
            }
        ));
    }

    #[test]
    fn errors_that_do_not_line_up_are_not_pinned_on_messages_that_may_have_gone() {
        // An entity without its clientId, and one error, for two inputs: which one was
        // rejected cannot be told, and calling an accepted one "rejected" invites a resend.
        let inputs = [input("a"), input("b")];
        let r = reconcile(
            &inputs,
            [(None, "1")].into_iter(),
            &[err("to", "bad")],
            false,
        );
        for outcome in &r {
            assert!(
                matches!(
                    outcome,
                    Outcome::Failed {
                        kind: ErrorKind::AmbiguousOutcome,
                        ..
                    }
                ),
                "{outcome:?}"
            );
        }
    }
}
