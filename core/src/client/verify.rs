//! Verify, as on Instasent's PHP SDK page: request a code sent by SMS, then check it.

use reqwest::Method;

use super::sms::{list_request, new_client_id};
use super::{entities, entity, json_body, path_id, response, Client};
use crate::error::{Error, Result};
use crate::http::ApiRequest;
use crate::model::{Page, PageRequest, Response, Verify, VerifyRequest};

/// Where the code goes in the text of a verify SMS.
pub const TOKEN_PLACEHOLDER: &str = "%token%";

impl Client {
    /// `POST /verify`: sends `sms.text` with `%token%` replaced by a code of `token_length`
    /// digits, valid `timeout` seconds.
    pub async fn request_verify(&self, req: &VerifyRequest) -> Result<Response<Verify>> {
        if !req.sms.text.contains(TOKEN_PLACEHOLDER) {
            return Err(Error::invalid_argument(format!(
                "the verify text must contain {TOKEN_PLACEHOLDER} where the code goes"
            )));
        }
        let mut req = req.clone();
        req.client_id.get_or_insert_with(new_client_id);
        let raw = self
            .execute(ApiRequest {
                method: Method::POST,
                path: "/verify".into(),
                query: vec![],
                body: Some(json_body(&req)?),
                endpoint: "POST /verify",
            })
            .await?;
        response(raw, entity::<Verify>)
    }

    /// `GET /verify/{id}?token=`: checks a code; `entity.status == "verified"` on success.
    pub async fn check_verify(&self, id: &str, token: &str) -> Result<Response<Verify>> {
        let path = format!("/verify/{}", path_id("verify", id)?);
        let raw = self
            .execute(ApiRequest {
                method: Method::GET,
                path,
                query: vec![("token", token.to_string())],
                body: None,
                endpoint: "GET /verify/{id}",
            })
            .await?;
        response(raw, entity::<Verify>)
    }

    /// `GET /verify/{id}`.
    pub async fn get_verify_by_id(&self, id: &str) -> Result<Response<Verify>> {
        let path = format!("/verify/{}", path_id("verify", id)?);
        let raw = self
            .execute(ApiRequest {
                method: Method::GET,
                path,
                query: vec![],
                body: None,
                endpoint: "GET /verify/{id}",
            })
            .await?;
        response(raw, entity::<Verify>)
    }

    /// `GET /verify?page=&per_page=`.
    pub async fn get_verify(&self, page: PageRequest) -> Result<Response<Page<Verify>>> {
        let raw = self
            .execute(list_request("/verify", "GET /verify", page)?)
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
