//! `POST /lookup`, `GET /lookup/{id}`, `GET /lookup`.

use hyper::StatusCode;
use instasent::validate;

use crate::clock;
use crate::countries::{self, micros_to_eur, NO_ROUTE};
use crate::registry::{new_id, LookupEntity};
use crate::request::{page_of, Request};
use crate::respond::{self, Entity, Paged, Resp};
use crate::state::State;

pub fn create(state: &State, req: &Request) -> Resp {
    let body = match req.json_object() {
        Ok(map) => map,
        Err(resp) => return resp,
    };
    let to = match body.get("to") {
        Some(serde_json::Value::String(to)) => to.clone(),
        None | Some(serde_json::Value::Null) => {
            return respond::field_error("to", validate::NOT_BLANK)
        }
        Some(_) => return respond::field_error("to", validate::WRONG_TYPE),
    };
    if let Some(problem) = validate::check_msisdn(&to) {
        return respond::field_error("to", &problem);
    }
    let Some(country) = countries::route(&to) else {
        return respond::field_error("to", NO_ROUTE);
    };
    if state
        .ledger
        .lock()
        .unwrap()
        .charge(country.lookup_micros)
        .is_err()
    {
        return respond::message(StatusCode::PAYMENT_REQUIRED, respond::INSUFFICIENT_BALANCE);
    }
    let result = countries::lookup(country, &to);
    let entity = LookupEntity {
        id: new_id(),
        to,
        status: result.status,
        country: country.code,
        network: result.network,
        mcc: result.mcc,
        mnc: result.mnc,
        ported: result.ported,
        price: micros_to_eur(country.lookup_micros),
        created_at: clock::now_rfc3339(),
    };
    let resp = respond::json(StatusCode::CREATED, &Entity { entity: &entity });
    state.registry.lock().unwrap().add_lookup(entity);
    resp
}

pub fn get(state: &State, id: &str) -> Resp {
    match state.registry.lock().unwrap().lookup(id) {
        Some(entity) => respond::json(StatusCode::OK, &Entity { entity }),
        None => respond::not_found(),
    }
}

pub fn list(state: &State, req: &Request) -> Resp {
    let (page, per_page) = match req.paging() {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let registry = state.registry.lock().unwrap();
    let all = registry.lookups();
    respond::json(
        StatusCode::OK,
        &Paged {
            entities: page_of(all, page, per_page).iter().collect(),
            page,
            per_page,
            total: all.len(),
        },
    )
}
