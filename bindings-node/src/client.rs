//! `SmsClient`: the documented methods of Instasent's own libraries, each resolving to
//! `{ response_code, response_body }` (`instasent::documented`: HTTP error statuses resolve,
//! failures without a response reject). The typed methods are in `typed.rs`.

use napi_derive::napi;

use crate::error::IntoNapi;
use crate::options::{builder, opt_whole, whole_in, ClientOptions, Options};
use crate::types::{DocumentedResponse, SmsInputs};
use instasent::{documented, PageRequest, SmsRequest, VerifyRequest};

/// Client of the Instasent Transactional API. Cheap: connections and the rate-limit state are
/// shared by all calls of one client. It holds no handle on the event loop, so a process whose
/// calls have settled exits by itself.
#[napi]
pub struct SmsClient {
    pub(crate) inner: instasent::Client,
}

/// A verification request from JS numbers; the core's defaults (a code of 6 digits valid for
/// 300 seconds) for what the caller leaves out.
pub(crate) fn verify_request(
    from: String,
    to: String,
    text: String,
    token_length: Option<f64>,
    timeout: Option<f64>,
    client_id: Option<String>,
) -> napi::Result<VerifyRequest> {
    // Left out: the core's defaults, as Instasent's libraries have them.
    let mut req = VerifyRequest::new(from, to, text);
    if let Some(digits) = opt_whole("tokenLength", token_length)? {
        req = req.token_length(digits);
    }
    if let Some(secs) = opt_whole("timeout", timeout)? {
        req = req.timeout(secs);
    }
    req.client_id = client_id;
    Ok(req)
}

/// `page`/`perPage` from JS numbers, in their documented ranges.
pub(crate) fn page_request(page: Option<f64>, per_page: Option<f64>) -> napi::Result<PageRequest> {
    Ok(PageRequest::new(
        page.map_or(Ok(PageRequest::default().page), |n| {
            whole_in("page", n, 1..=u32::MAX)
        })?,
        per_page.map_or(Ok(PageRequest::default().per_page), |n| {
            whole_in("perPage", n, 1..=PageRequest::MAX_PER_PAGE)
        })?,
    ))
}

macro_rules! documented_call {
    ($self:ident, |$c:ident| $call:expr) => {{
        let $c = $self.inner.clone();
        async move { documented($call.await) }
            .await
            .napi()
            .map(DocumentedResponse::from)
    }};
}

#[napi]
impl SmsClient {
    /// `new SmsClient(token, options?)`. Throws `INVALID_ARGUMENT` for an empty token or an
    /// unusable base URL (plain `http://` is refused except to loopback).
    #[napi(constructor, strict)]
    pub fn new(
        token: String,
        #[napi(ts_arg_type = "ClientOptions | undefined | null")] options: Option<
            Options<ClientOptions>,
        >,
    ) -> napi::Result<SmsClient> {
        // `INSTASENT_LOG=debug` (or info…) logs attempts and retries to stderr.
        instasent::logging::log_to_stderr_from_env();
        let inner = builder(token, options)?.build().napi()?;
        Ok(SmsClient { inner })
    }

    /// The base URL requests go to.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }

    /// Bulk requests in flight at once during a campaign (option `concurrency`).
    #[napi(getter)]
    pub fn concurrency(&self) -> u32 {
        self.inner.bulk_concurrency() as u32
    }

    /// `POST /sms`.
    #[napi]
    pub async fn send_sms(
        &self,
        sender: String,
        to: String,
        text: String,
        client_id: Option<String>,
    ) -> napi::Result<DocumentedResponse> {
        let mut sms = SmsRequest::new(sender, to, text);
        sms.client_id = client_id;
        documented_call!(self, |c| c.send_sms(&sms))
    }

    /// `POST /sms` with `allowUnicode: true`.
    #[napi]
    pub async fn send_unicode_sms(
        &self,
        sender: String,
        to: String,
        text: String,
        client_id: Option<String>,
    ) -> napi::Result<DocumentedResponse> {
        let mut sms = SmsRequest::new(sender, to, text).allow_unicode(true);
        sms.client_id = client_id;
        documented_call!(self, |c| c.send_sms(&sms))
    }

    /// `POST /sms/bulk` with 1–100 messages.
    #[napi]
    pub async fn send_bulk_sms(
        &self,
        #[napi(ts_arg_type = "Array<SmsInput>")] messages: SmsInputs,
    ) -> napi::Result<DocumentedResponse> {
        let messages = messages.0;
        let c = self.inner.clone();
        async move { documented(c.send_bulk(&messages).await) }
            .await
            .napi()
            .map(DocumentedResponse::from)
    }

    /// `GET /sms?page=&per_page=` (defaults 1 and 10).
    #[napi]
    pub async fn get_sms(
        &self,
        page: Option<f64>,
        per_page: Option<f64>,
    ) -> napi::Result<DocumentedResponse> {
        let p = page_request(page, per_page)?;
        documented_call!(self, |c| c.get_sms(p))
    }

    /// `GET /sms/{id}`.
    #[napi]
    pub async fn get_sms_by_id(&self, id: String) -> napi::Result<DocumentedResponse> {
        documented_call!(self, |c| c.get_sms_by_id(&id))
    }

    /// `POST /lookup`.
    #[napi]
    pub async fn do_lookup(&self, to: String) -> napi::Result<DocumentedResponse> {
        documented_call!(self, |c| c.do_lookup(&to))
    }

    /// `GET /lookup/{id}`.
    #[napi]
    pub async fn get_lookup_by_id(&self, id: String) -> napi::Result<DocumentedResponse> {
        documented_call!(self, |c| c.get_lookup_by_id(&id))
    }

    /// `GET /lookup?page=&per_page=` (defaults 1 and 10).
    #[napi]
    pub async fn get_lookups(
        &self,
        page: Option<f64>,
        per_page: Option<f64>,
    ) -> napi::Result<DocumentedResponse> {
        let p = page_request(page, per_page)?;
        documented_call!(self, |c| c.get_lookups(p))
    }

    /// `GET /organization/account`.
    #[napi]
    pub async fn get_account_balance(&self) -> napi::Result<DocumentedResponse> {
        documented_call!(self, |c| c.get_account_balance())
    }

    /// `GET /sms/price-profile/me/countries`.
    #[napi]
    pub async fn get_sms_price_profile(&self) -> napi::Result<DocumentedResponse> {
        documented_call!(self, |c| c.get_sms_price_profile())
    }

    /// `GET /lookup/price-profile/me/countries`.
    #[napi]
    pub async fn get_lookup_price_profile(&self) -> napi::Result<DocumentedResponse> {
        documented_call!(self, |c| c.get_lookup_price_profile())
    }

    /// `POST /verify`: `text` holds `%token%` where the code of `tokenLength` digits (default
    /// 6) goes; the code stays valid `timeout` seconds (default 300).
    #[napi]
    pub async fn request_verify(
        &self,
        sender: String,
        to: String,
        text: String,
        token_length: Option<f64>,
        timeout: Option<f64>,
        client_id: Option<String>,
    ) -> napi::Result<DocumentedResponse> {
        let req = verify_request(sender, to, text, token_length, timeout, client_id)?;
        documented_call!(self, |c| c.request_verify(&req))
    }

    /// `GET /verify/{id}?token=`: `response_body.entity.status` is `"verified"` on success.
    #[napi]
    pub async fn check_verify(
        &self,
        id: String,
        token: String,
    ) -> napi::Result<DocumentedResponse> {
        documented_call!(self, |c| c.check_verify(&id, &token))
    }

    /// `GET /verify/{id}`.
    #[napi]
    pub async fn get_verify_by_id(&self, id: String) -> napi::Result<DocumentedResponse> {
        documented_call!(self, |c| c.get_verify_by_id(&id))
    }

    /// `GET /verify?page=&per_page=` (defaults 1 and 10).
    #[napi]
    pub async fn get_verify(
        &self,
        page: Option<f64>,
        per_page: Option<f64>,
    ) -> napi::Result<DocumentedResponse> {
        let p = page_request(page, per_page)?;
        documented_call!(self, |c| c.get_verify(p))
    }
}
