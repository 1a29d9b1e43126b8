//! `POST /lookup`, `GET /lookup/{id}`, `GET /lookup`.

use reqwest::Method;
use serde_json::json;

use super::sms::list_request;
use super::{entities, entity, json_body, path_id, response, Client};
use crate::error::Result;
use crate::http::ApiRequest;
use crate::model::{Lookup, Page, PageRequest, Response};
use crate::validate;

impl Client {
    /// `POST /lookup` `{"to": …}`: an HLR lookup of one E.164 number.
    pub async fn do_lookup(&self, to: &str) -> Result<Response<Lookup>> {
        if let Some(problem) = validate::check_msisdn(to) {
            let mut fields = crate::FieldErrors::new();
            fields.insert("to".into(), vec![problem]);
            return Err(super::sms::validation_error(fields));
        }
        let raw = self
            .execute(ApiRequest {
                method: Method::POST,
                path: "/lookup".into(),
                query: vec![],
                body: Some(json_body(&json!({ "to": to }))?),
                endpoint: "POST /lookup",
            })
            .await?;
        response(raw, entity::<Lookup>)
    }

    /// `GET /lookup/{id}`.
    pub async fn get_lookup_by_id(&self, id: &str) -> Result<Response<Lookup>> {
        let path = format!("/lookup/{}", path_id("lookup", id)?);
        let raw = self
            .execute(ApiRequest {
                method: Method::GET,
                path,
                query: vec![],
                body: None,
                endpoint: "GET /lookup/{id}",
            })
            .await?;
        response(raw, entity::<Lookup>)
    }

    /// `GET /lookup?page=&per_page=`.
    pub async fn get_lookups(&self, page: PageRequest) -> Result<Response<Page<Lookup>>> {
        let raw = self
            .execute(list_request("/lookup", "GET /lookup", page)?)
            .await?;
        response(raw, |json| {
            Ok(Page {
                page: page.page,
                per_page: page.per_page,
                items: entities(json)?,
            })
        })
    }
}
