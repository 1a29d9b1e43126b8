//! Response builders: JSON bodies with `{"message": …}` errors (docs: transactional-api/http/errors).

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use instasent::FieldErrors;
use serde::Serialize;
use serde_json::json;

pub type Resp = Response<Full<Bytes>>;

pub const NOT_FOUND: &str = "Not found";
pub const UNAUTHORIZED: &str = "Unauthorized";
pub const PROBLEMS_PARSING_JSON: &str = "Problems parsing JSON";
pub const BODY_NOT_OBJECT: &str = "Body should be a JSON object";
pub const BODY_NOT_ARRAY: &str = "Body should be a JSON array";
pub const VALIDATION_FAILED: &str = "Validation failed";
pub const INSUFFICIENT_BALANCE: &str = "Insufficient balance";
pub const INTERNAL_ERROR: &str = "Internal Server Error";

pub fn bytes(status: StatusCode, body: Vec<u8>) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

pub fn json(status: StatusCode, body: &impl Serialize) -> Resp {
    match serde_json::to_vec(body) {
        Ok(b) => bytes(status, b),
        Err(_) => message(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_ERROR),
    }
}

pub fn message(status: StatusCode, message: &str) -> Resp {
    json(status, &json!({ "message": message }))
}

/// `422 {"message": "Validation failed", "errors": {"fields": {...}}}`.
pub fn validation(fields: &FieldErrors) -> Resp {
    json(
        StatusCode::UNPROCESSABLE_ENTITY,
        &json!({ "message": VALIDATION_FAILED, "errors": { "fields": fields } }),
    )
}

pub fn field_error(field: &str, text: &str) -> Resp {
    let mut fields = FieldErrors::new();
    fields.insert(field.into(), vec![text.into()]);
    validation(&fields)
}

pub fn empty(status: StatusCode) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::new()));
    *resp.status_mut() = status;
    resp
}

pub fn not_found() -> Resp {
    message(StatusCode::NOT_FOUND, NOT_FOUND)
}

#[derive(Serialize)]
pub struct Entity<T: Serialize> {
    pub entity: T,
}

/// `{"entities": [...], "page": P, "perPage": N, "total": T}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Paged<T: Serialize> {
    pub entities: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: usize,
}
