//! Verify, in the legacy shape Instasent's libraries use (docs: PHP SDK page, "Verify"):
//! `POST /verify`, `GET /verify/{id}?token=CODE`, `GET /verify/{id}`, `GET /verify`.

use std::sync::Arc;
use std::time::Duration;

use hyper::StatusCode;
use instasent::validate::{self, NOT_BLANK};
use instasent::{FieldErrors, SmsRequest};
use serde_json::{Map, Value};
use tokio::time::Instant;

use crate::api::sms::Committed;
use crate::clock;
use crate::ledger;
use crate::registry::{new_code, new_id, VerifyEntity, VerifyRecord};
use crate::request::{page_of, Request};
use crate::respond::{self, Entity, Paged, Resp};
use crate::state::State;
use crate::stats::bump;

pub const TOKEN_PLACEHOLDER: &str = "%token%";
pub const TOKEN_LENGTHS: std::ops::RangeInclusive<u64> = 4..=10;
pub const DEFAULT_TOKEN_LENGTH: u64 = 6;
pub const DEFAULT_TIMEOUT_SECS: u64 = 300;

struct VerifyInput {
    /// The SMS as sent: its text has the code in place of `%token%`.
    sms: SmsRequest,
    code: String,
    token_length: u32,
    timeout: u64,
    client_id: Option<String>,
}

pub const NO_PLACEHOLDER: &str = "The text must contain %token% where the code goes.";

fn parse(mut body: Map<String, Value>) -> Result<VerifyInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut add =
        |field: &str, message: String| errors.entry(field.to_string()).or_default().push(message);
    let mut integer =
        |name: &str, default: u64, ok: &dyn Fn(u64) -> bool, rule: &str| match body.get(name) {
            None | Some(Value::Null) => default,
            Some(v) => match v.as_u64().filter(|n| ok(*n)) {
                Some(n) => n,
                None => {
                    add(name, rule.into());
                    default
                }
            },
        };
    let token_length = integer(
        "tokenLength",
        DEFAULT_TOKEN_LENGTH,
        &|n| TOKEN_LENGTHS.contains(&n),
        "This value should be an integer between 4 and 10.",
    ) as u32;
    let timeout = integer(
        "timeout",
        DEFAULT_TIMEOUT_SECS,
        &|n| n >= 1,
        "This value should be a positive number of seconds.",
    );
    let client_id = match body.get("clientId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            if let Some(m) = validate::check_client_id(s) {
                add("clientId", m);
            }
            Some(s.clone())
        }
        Some(_) => {
            add("clientId", validate::WRONG_TYPE.into());
            None
        }
    };
    let code = new_code(token_length);
    let sms = match body.remove("sms") {
        Some(Value::Object(sms)) => match sms_with_code(sms, &code) {
            Ok(request) => Some(request),
            Err(fields) => {
                for (field, messages) in fields {
                    for m in messages {
                        add(&format!("sms.{field}"), m);
                    }
                }
                None
            }
        },
        None | Some(Value::Null) => {
            add("sms", NOT_BLANK.into());
            None
        }
        Some(_) => {
            add("sms", "This value should be of type object.".into());
            None
        }
    };
    match sms {
        Some(sms) if errors.is_empty() => Ok(VerifyInput {
            sms,
            code,
            token_length,
            timeout,
            client_id,
        }),
        _ => Err(errors),
    }
}

/// The SMS a verification sends: `sms` with `code` in place of `%token%`, checked by the rules
/// of `POST /sms` once the code is in, since that is the text sent and charged (a template that
/// fits 255 parts may not with a code longer than the placeholder).
fn sms_with_code(mut sms: Map<String, Value>, code: &str) -> Result<SmsRequest, FieldErrors> {
    let mut no_placeholder = false;
    if let Some(Value::String(text)) = sms.get_mut("text") {
        // An empty text is reported as blank, which says it all.
        no_placeholder = !text.is_empty() && !text.contains(TOKEN_PLACEHOLDER);
        *text = text.replace(TOKEN_PLACEHOLDER, code);
    }
    let checked = validate::validate_sms_value(&Value::Object(sms));
    if !no_placeholder {
        return checked;
    }
    let mut errors = checked.err().unwrap_or_default();
    errors
        .entry("text".into())
        .or_default()
        .insert(0, NO_PLACEHOLDER.into());
    Err(errors)
}

pub fn create(state: &State, req: &Request) -> Committed {
    let body = match req.json_object() {
        Ok(map) => map,
        Err(resp) => return resp.into(),
    };
    let input = match parse(body) {
        Ok(input) => input,
        Err(fields) => return respond::validation(&fields).into(),
    };
    // The SMS's own `clientId` was checked with the rest of it; the verification keeps the
    // top-level one, and the SMS goes without.
    let mut sms = input.sms;
    sms.client_id = None;
    let mut items = vec![ledger::prepare_request(sms)];
    let created_at: Arc<str> = clock::now_rfc3339().into();
    let Ok(seqs) = state.ledger.lock().unwrap().commit(&mut items, &created_at) else {
        return respond::message(StatusCode::PAYMENT_REQUIRED, respond::INSUFFICIENT_BALANCE)
            .into();
    };
    let prepared = match items.pop() {
        Some(Ok(p)) => p,
        Some(Err(fields)) => {
            let prefixed: FieldErrors = fields
                .into_iter()
                .map(|(k, v)| (format!("sms.{k}"), v))
                .collect();
            return respond::validation(&prefixed).into();
        }
        None => return respond::not_found().into(),
    };
    bump(&state.counters.accepted_messages, 1);
    let timeout = Duration::from_secs(input.timeout);
    let entity = VerifyEntity {
        id: new_id(),
        status: "pending",
        to: prepared.sms.to.clone(),
        client_id: input.client_id,
        token_length: input.token_length,
        timeout: input.timeout,
        expires_at: clock::rfc3339_in(timeout),
        attempts: 0,
        sms_id: state.ids.format(seqs[0]),
        created_at: created_at.to_string(),
    };
    let resp = respond::json(StatusCode::CREATED, &Entity { entity: &entity });
    state.registry.lock().unwrap().add_verify(VerifyRecord {
        entity,
        code: input.code,
        expires: (Instant::now() + timeout).into_std(),
    });
    state.schedule_dlrs(seqs);
    Committed {
        resp,
        committed: true,
    }
}

pub fn check(state: &State, id: &str, req: &Request) -> Resp {
    let now = Instant::now().into_std();
    let checked = state
        .registry
        .lock()
        .unwrap()
        .check_verify(id, req.param("token"), now);
    match checked {
        Some(entity) => respond::json(StatusCode::OK, &Entity { entity }),
        None => respond::not_found(),
    }
}

pub fn list(state: &State, req: &Request) -> Resp {
    let (page, per_page) = match req.paging() {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let all = state
        .registry
        .lock()
        .unwrap()
        .verifies(Instant::now().into_std());
    respond::json(
        StatusCode::OK,
        &Paged {
            entities: page_of(&all, page, per_page).to_vec(),
            page,
            per_page,
            total: all.len(),
        },
    )
}
