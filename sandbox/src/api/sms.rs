//! `POST /sms`, `POST /sms/bulk`, `GET /sms`, `GET /sms/{id}`.

use std::sync::Arc;

use hyper::StatusCode;
use instasent::validate::{SmsItemFields, MAX_BULK_ITEMS};
use instasent::FieldErrors;
use serde::Serialize;
use serde_json::{json, Value};

use crate::clock;
use crate::countries::micros_to_eur;
use crate::ledger::{self, IdScheme, MessageId, Prepared, Stored};
use crate::request::{page_of, Request};
use crate::respond::{self, Entity, Paged, Resp};
use crate::state::State;
use crate::stats::bump;

pub const AT_LEAST_ONE: &str = "At least one message is required";
pub const TOO_MANY: &str = "Too many messages: at most 100 per request";

/// What a handler that commits messages answers, and whether anything was committed (only then
/// may the connection be dropped after commit).
pub struct Committed {
    pub resp: Resp,
    pub committed: bool,
}

impl From<Resp> for Committed {
    fn from(resp: Resp) -> Self {
        Committed {
            resp,
            committed: false,
        }
    }
}

/// The SMS entity of every endpoint.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsView<'a> {
    pub id: MessageId,
    pub client_id: Option<&'a str>,
    pub from: &'a str,
    pub to: &'a str,
    pub text: &'a str,
    pub allow_unicode: bool,
    pub status: &'a str,
    pub encoding: &'a str,
    pub segments: u32,
    pub price: f64,
    pub country: &'a str,
    pub created_at: &'a str,
}

pub fn view<'a>(
    id: MessageId,
    p: &'a Prepared,
    status: &'a str,
    created_at: &'a str,
) -> SmsView<'a> {
    SmsView {
        id,
        client_id: p.sms.client_id.as_deref(),
        from: &p.sms.from,
        to: &p.sms.to,
        text: &p.sms.text,
        allow_unicode: p.sms.allow_unicode,
        status,
        encoding: p.encoding,
        segments: p.segments,
        price: micros_to_eur(p.price_micros),
        country: p.country,
        created_at,
    }
}

fn stored_view(ids: IdScheme, s: &Stored) -> SmsView<'_> {
    view(ids.id(s.seq), &s.msg, s.status, &s.created_at)
}

pub fn create(state: &State, req: &Request) -> Committed {
    let body = match req.json_object() {
        Ok(map) => Value::Object(map),
        Err(resp) => return resp.into(),
    };
    let mut items = vec![ledger::prepare(&body)];
    let created_at: Arc<str> = clock::now_rfc3339().into();
    let committed = state.ledger.lock().unwrap().commit(&mut items, &created_at);
    let Ok(seqs) = committed else {
        return respond::message(StatusCode::PAYMENT_REQUIRED, respond::INSUFFICIENT_BALANCE)
            .into();
    };
    match &items[0] {
        Err(fields) => {
            bump(&state.counters.rejected_items, 1);
            respond::validation(fields).into()
        }
        Ok(p) => {
            bump(&state.counters.accepted_messages, 1);
            let resp = respond::json(
                StatusCode::CREATED,
                &Entity {
                    entity: view(state.ids.id(seqs[0]), p, "enqueued", &created_at),
                },
            );
            state.schedule_dlrs(seqs);
            Committed {
                resp,
                committed: true,
            }
        }
    }
}

/// One rejected item, exactly as documented: `{"fields": {"to": ["This value is not valid"]}}`
/// (docs: transactional-api/http/bulk). Nothing says which input it was but its place: errors
/// follow the input order of the rejected items.
#[derive(Serialize)]
struct ItemError<'a> {
    fields: &'a FieldErrors,
}

#[derive(Serialize)]
struct BulkBody<'a> {
    entities: Vec<SmsView<'a>>,
    errors: Vec<ItemError<'a>>,
}

/// Validates and prices every item. A body the typed reader refuses (a wrong type, a repeated
/// key, an item that is not an object, not an array) goes through the `Value` tree, which
/// reports each problem per item or for the body, exactly as before the fast path existed.
/// `Err`: the answer refusing the body.
fn bulk_items(req: &Request) -> Result<Vec<Result<Prepared, FieldErrors>>, Box<Resp>> {
    // Typed: one allocation per string, instead of a map of owned keys and values that are
    // then copied again.
    if let Ok(items) = serde_json::from_slice::<Vec<SmsItemFields>>(&req.body) {
        check_count(items.len())?;
        return Ok(items
            .into_iter()
            .map(|item| item.validate().and_then(ledger::prepare_request))
            .collect());
    }
    let Value::Array(items) = req.json()? else {
        return Err(Box::new(respond::message(
            StatusCode::BAD_REQUEST,
            respond::BODY_NOT_ARRAY,
        )));
    };
    check_count(items.len())?;
    Ok(items.iter().map(ledger::prepare).collect())
}

fn check_count(items: usize) -> Result<(), Box<Resp>> {
    if items == 0 {
        return Err(Box::new(respond::json(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({ "message": AT_LEAST_ONE }),
        )));
    }
    if items > MAX_BULK_ITEMS {
        return Err(Box::new(respond::message(
            StatusCode::PAYLOAD_TOO_LARGE,
            TOO_MANY,
        )));
    }
    Ok(())
}

pub fn bulk(state: &State, req: &Request) -> Committed {
    let mut prepared = match bulk_items(req) {
        Ok(items) => items,
        Err(resp) => return (*resp).into(),
    };
    let created_at: Arc<str> = clock::now_rfc3339().into();
    let committed = state
        .ledger
        .lock()
        .unwrap()
        .commit(&mut prepared, &created_at);
    // The whole batch is refused when the balance cannot pay for every valid item.
    let Ok(seqs) = committed else {
        return respond::message(StatusCode::PAYMENT_REQUIRED, respond::INSUFFICIENT_BALANCE)
            .into();
    };
    let mut body = BulkBody {
        entities: Vec::with_capacity(seqs.len()),
        errors: Vec::new(),
    };
    let mut seq_iter = seqs.iter();
    for item in &prepared {
        match item {
            Ok(p) => {
                let seq = *seq_iter.next().expect("one seq per accepted item");
                body.entities
                    .push(view(state.ids.id(seq), p, "enqueued", &created_at));
            }
            Err(fields) => body.errors.push(ItemError { fields }),
        }
    }
    bump(
        &state.counters.accepted_messages,
        body.entities.len() as u64,
    );
    bump(&state.counters.rejected_items, body.errors.len() as u64);
    let resp = respond::json(StatusCode::CREATED, &body);
    let committed = !seqs.is_empty();
    state.schedule_dlrs(seqs);
    Committed { resp, committed }
}

pub fn list(state: &State, req: &Request) -> Resp {
    let (page, per_page) = match req.paging() {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let ledger = state.ledger.lock().unwrap();
    let all = ledger.all();
    let entities = page_of(all, page, per_page)
        .iter()
        .map(|s| stored_view(state.ids, s))
        .collect();
    respond::json(
        StatusCode::OK,
        &Paged {
            entities,
            page,
            per_page,
            total: all.len(),
        },
    )
}

pub fn get(state: &State, id: &str) -> Resp {
    let Some(seq) = state.ids.parse(id) else {
        return respond::not_found();
    };
    let ledger = state.ledger.lock().unwrap();
    match ledger.get(seq) {
        Some(s) => respond::json(
            StatusCode::OK,
            &Entity {
                entity: stored_view(state.ids, s),
            },
        ),
        None => respond::not_found(),
    }
}
