//! The admin API under `/_sandbox/` (no auth, no rate limits): inspect the ledger, read stats,
//! reset, inject inbound messages and change faults at runtime.

use hyper::{Method, StatusCode};
use serde::Deserialize;
use serde_json::json;

use crate::config::Faults;
use crate::ledger::LedgerMessage;
use crate::request::Request;
use crate::respond::{self, Resp};
use crate::state::State;

pub fn handle(state: &std::sync::Arc<State>, method: &Method, path: &str, req: &Request) -> Resp {
    match (method.clone(), path.trim_end_matches('/')) {
        (Method::GET, "/messages") => {
            let messages = messages(state, req.param("clientId"));
            respond::json(StatusCode::OK, &json!({ "entities": messages }))
        }
        (Method::GET, "/stats") => respond::json(StatusCode::OK, &state.counters.snapshot()),
        (Method::POST, "/reset") => {
            state.reset();
            respond::json(StatusCode::OK, &json!({ "reset": true }))
        }
        (Method::GET, "/faults") => respond::json(StatusCode::OK, &state.faults()),
        (Method::PUT, "/faults") => match Faults::from_json(&req.body) {
            Ok(faults) => {
                state.set_faults(faults);
                respond::json(StatusCode::OK, &state.faults())
            }
            Err(e) => respond::message(StatusCode::BAD_REQUEST, &format!("Invalid faults: {e}")),
        },
        (Method::POST, "/inbound") => match serde_json::from_slice::<Inbound>(&req.body) {
            Ok(inbound) => {
                let event =
                    crate::sandbox::inbound_event(&inbound.from, &inbound.to, &inbound.text);
                if let Some(webhooks) = state.webhooks.clone() {
                    let queued = event.clone();
                    tokio::spawn(async move { webhooks.send(queued).await });
                }
                respond::json(StatusCode::ACCEPTED, &json!({ "entity": event }))
            }
            Err(e) => respond::message(
                StatusCode::BAD_REQUEST,
                &format!("Expected {{\"from\", \"to\", \"text\"}}: {e}"),
            ),
        },
        _ => respond::not_found(),
    }
}

#[derive(Deserialize)]
struct Inbound {
    from: String,
    to: String,
    text: String,
}

pub fn messages(state: &State, client_id: Option<&str>) -> Vec<LedgerMessage> {
    let ledger = state.ledger.lock().unwrap();
    ledger
        .all()
        .iter()
        .filter(|s| client_id.is_none() || s.msg.sms.client_id.as_deref() == client_id)
        .map(|s| s.to_ledger_message(state.ids))
        .collect()
}
