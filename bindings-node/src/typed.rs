//! The typed surface of `SmsClient`: the same endpoints resolving to typed objects, rejecting
//! with an `InstasentError` for every failure (HTTP error statuses included).

use napi_derive::napi;
use serde_json::Value;

use crate::client::{page_request, verify_request, SmsClient};
use crate::error::IntoNapi;
use crate::types::{
    mirror, mirror_all, Account, ApiResponse, BulkItemResult, CountryPrice, Lookup, RateLimit, Sms,
    SmsInput, SmsInputs, Verify, VerifyInput,
};
use instasent::SmsRequest;

#[napi]
impl SmsClient {
    /// `POST /sms` → the accepted message.
    #[napi]
    pub async fn send(&self, message: SmsInput) -> napi::Result<Sms> {
        let c = self.inner.clone();
        let sms: SmsRequest = message.into();
        async move { mirror(&c.send_sms(&sms).await?.body) }
            .await
            .napi()
    }

    /// One `POST /sms/bulk` of 1–100 messages → one result per input, in input order.
    #[napi]
    pub async fn send_batch(
        &self,
        #[napi(ts_arg_type = "Array<SmsInput>")] messages: SmsInputs,
    ) -> napi::Result<Vec<BulkItemResult>> {
        let c = self.inner.clone();
        let messages = messages.0;
        let items = async move { Ok(c.send_bulk(&messages).await?.body.items) }
            .await
            .napi()?;
        Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, o)| BulkItemResult::new(i as u64, o))
            .collect())
    }

    /// `GET /sms/{id}`.
    #[napi]
    pub async fn get_message(&self, id: String) -> napi::Result<Sms> {
        let c = self.inner.clone();
        async move { mirror(&c.get_sms_by_id(&id).await?.body) }
            .await
            .napi()
    }

    /// The message sent with `clientId`, or `null` when the history has none: how to settle an
    /// `AMBIGUOUS_OUTCOME` before sending again. Reads the history page by page (the API has no
    /// filter by clientId).
    #[napi]
    pub async fn find_message(&self, client_id: String) -> napi::Result<Option<Sms>> {
        let c = self.inner.clone();
        async move {
            match c.find_sms_by_client_id(&client_id).await? {
                Some(sms) => mirror(&sms).map(Some),
                None => Ok(None),
            }
        }
        .await
        .napi()
    }

    /// One page of `GET /sms` (defaults 1 and 10).
    #[napi]
    pub async fn list_messages(
        &self,
        page: Option<f64>,
        per_page: Option<f64>,
    ) -> napi::Result<Vec<Sms>> {
        let p = page_request(page, per_page)?;
        let c = self.inner.clone();
        async move { mirror_all(&c.get_sms(p).await?.body.items) }
            .await
            .napi()
    }

    /// `POST /lookup`.
    #[napi]
    pub async fn lookup(&self, to: String) -> napi::Result<Lookup> {
        let c = self.inner.clone();
        async move { mirror(&c.do_lookup(&to).await?.body) }
            .await
            .napi()
    }

    /// `GET /lookup/{id}`.
    #[napi]
    pub async fn get_lookup(&self, id: String) -> napi::Result<Lookup> {
        let c = self.inner.clone();
        async move { mirror(&c.get_lookup_by_id(&id).await?.body) }
            .await
            .napi()
    }

    /// One page of `GET /lookup` (defaults 1 and 10).
    #[napi]
    pub async fn list_lookups(
        &self,
        page: Option<f64>,
        per_page: Option<f64>,
    ) -> napi::Result<Vec<Lookup>> {
        let p = page_request(page, per_page)?;
        let c = self.inner.clone();
        async move { mirror_all(&c.get_lookups(p).await?.body.items) }
            .await
            .napi()
    }

    /// `GET /organization/account`.
    #[napi]
    pub async fn account(&self) -> napi::Result<Account> {
        let c = self.inner.clone();
        async move { mirror(&c.get_account_balance().await?.body) }
            .await
            .napi()
    }

    /// `GET /sms/price-profile/me/countries`.
    #[napi]
    pub async fn sms_prices(&self) -> napi::Result<Vec<CountryPrice>> {
        let c = self.inner.clone();
        async move { mirror_all(&c.get_sms_price_profile().await?.body) }
            .await
            .napi()
    }

    /// `GET /lookup/price-profile/me/countries`.
    #[napi]
    pub async fn lookup_prices(&self) -> napi::Result<Vec<CountryPrice>> {
        let c = self.inner.clone();
        async move { mirror_all(&c.get_lookup_price_profile().await?.body) }
            .await
            .napi()
    }

    /// `POST /verify`.
    #[napi]
    pub async fn verify(&self, request: VerifyInput) -> napi::Result<Verify> {
        let req = verify_request(
            request.from,
            request.to,
            request.text,
            request.token_length,
            request.timeout,
            request.client_id,
        )?;
        let c = self.inner.clone();
        async move { mirror(&c.request_verify(&req).await?.body) }
            .await
            .napi()
    }

    /// `GET /verify/{id}?token=`.
    #[napi]
    pub async fn check_verification(&self, id: String, token: String) -> napi::Result<Verify> {
        let c = self.inner.clone();
        async move { mirror(&c.check_verify(&id, &token).await?.body) }
            .await
            .napi()
    }

    /// `GET /verify/{id}`.
    #[napi]
    pub async fn get_verification(&self, id: String) -> napi::Result<Verify> {
        let c = self.inner.clone();
        async move { mirror(&c.get_verify_by_id(&id).await?.body) }
            .await
            .napi()
    }

    /// Any endpoint below the base URL (`"GET"`, `"/sms"`), for calls this SDK does not wrap.
    /// A `GET` is retried like the others; any other method only when it certainly was not
    /// carried out. HTTP error statuses reject.
    #[napi]
    pub async fn request(
        &self,
        method: String,
        path: String,
        body: Option<Value>,
    ) -> napi::Result<ApiResponse> {
        let c = self.inner.clone();
        let resp = async move { c.request(&method, &path, &[], body.as_ref()).await }
            .await
            .napi()?;
        Ok(ApiResponse {
            status: resp.status.into(),
            body: resp.raw,
            rate_limit: resp.rate_limit.map(RateLimit::from),
        })
    }

    /// The `X-RateLimit-*` state of the latest response, if any.
    #[napi]
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.rate_limit().map(RateLimit::from)
    }
}
