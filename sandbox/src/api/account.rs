//! `GET /organization/account` and the price profiles.

use hyper::StatusCode;
use serde_json::json;

use crate::countries::{self, micros_to_eur, CURRENCY};
use crate::respond::{self, Resp};
use crate::state::State;

pub fn account(state: &State) -> Resp {
    let available = micros_to_eur(state.ledger.lock().unwrap().balance_micros);
    respond::json(
        StatusCode::OK,
        &json!({ "entity": { "available": available, "currency": CURRENCY } }),
    )
}

pub fn sms_prices() -> Resp {
    respond::json(
        StatusCode::OK,
        &json!({ "entities": countries::sms_prices() }),
    )
}

pub fn lookup_prices() -> Resp {
    respond::json(
        StatusCode::OK,
        &json!({ "entities": countries::lookup_prices() }),
    )
}
