//! A synchronous client over the async one, on the process-wide runtime. What the Python, C and
//! PHP bindings use. After `fork()` it rebuilds its connections on the child's runtime.

use std::sync::Mutex;

mod campaign;
pub use crate::bulk::Settled;
pub use campaign::Campaign;

use futures_util::StreamExt;

use crate::bulk::{BulkResult, CampaignOptions, CampaignReport, ItemResult};
use crate::client::{Client as AsyncClient, ClientBuilder};
use crate::error::Result;
use crate::model::*;
use crate::runtime::block_on;

/// Blocking client. Share it between threads freely.
pub struct Client {
    builder: ClientBuilder,
    inner: Mutex<(u32, AsyncClient)>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("blocking::Client")
            .field("base_url", &self.current().base_url().to_string())
            .finish()
    }
}

impl Client {
    pub fn new(token: impl Into<String>) -> Result<Client> {
        Client::from_builder(ClientBuilder::new(token))
    }

    pub fn from_builder(builder: ClientBuilder) -> Result<Client> {
        let client = builder.clone().build()?;
        Ok(Client {
            builder,
            inner: Mutex::new((std::process::id(), client)),
        })
    }

    /// The async client behind this one (rebuilt after a fork: the parent's connections belong
    /// to a runtime the child does not have).
    pub fn current(&self) -> AsyncClient {
        let mut slot = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let pid = std::process::id();
        if slot.0 != pid {
            if let Ok(fresh) = self.builder.clone().build() {
                let stale = std::mem::replace(&mut slot.1, fresh);
                // Its pool holds sockets of the parent's runtime; dropping it here is safe, but
                // it must never be used again.
                std::mem::forget(stale);
                slot.0 = pid;
            }
        }
        slot.1.clone()
    }

    pub fn base_url(&self) -> String {
        self.current().base_url().to_string()
    }

    pub fn rate_limit(&self) -> Option<crate::RateLimit> {
        self.current().rate_limit()
    }

    pub fn send_sms(&self, sms: &SmsRequest) -> Result<Response<Sms>> {
        let c = self.current();
        block_on(async move { c.send_sms(sms).await })?
    }

    pub fn send_bulk(&self, messages: &[SmsRequest]) -> Result<Response<BulkResult>> {
        let c = self.current();
        block_on(async move { c.send_bulk(messages).await })?
    }

    pub fn get_sms(&self, page: PageRequest) -> Result<Response<Page<Sms>>> {
        let c = self.current();
        block_on(async move { c.get_sms(page).await })?
    }

    pub fn get_sms_by_id(&self, id: &str) -> Result<Response<Sms>> {
        let c = self.current();
        block_on(async move { c.get_sms_by_id(id).await })?
    }

    pub fn do_lookup(&self, to: &str) -> Result<Response<Lookup>> {
        let c = self.current();
        block_on(async move { c.do_lookup(to).await })?
    }

    pub fn get_lookup_by_id(&self, id: &str) -> Result<Response<Lookup>> {
        let c = self.current();
        block_on(async move { c.get_lookup_by_id(id).await })?
    }

    pub fn get_lookups(&self, page: PageRequest) -> Result<Response<Page<Lookup>>> {
        let c = self.current();
        block_on(async move { c.get_lookups(page).await })?
    }

    pub fn get_account_balance(&self) -> Result<Response<Account>> {
        let c = self.current();
        block_on(async move { c.get_account_balance().await })?
    }

    pub fn get_sms_price_profile(&self) -> Result<Response<Vec<CountryPrice>>> {
        let c = self.current();
        block_on(async move { c.get_sms_price_profile().await })?
    }

    pub fn get_lookup_price_profile(&self) -> Result<Response<Vec<CountryPrice>>> {
        let c = self.current();
        block_on(async move { c.get_lookup_price_profile().await })?
    }

    pub fn request_verify(&self, req: &VerifyRequest) -> Result<Response<Verify>> {
        let c = self.current();
        block_on(async move { c.request_verify(req).await })?
    }

    pub fn check_verify(&self, id: &str, token: &str) -> Result<Response<Verify>> {
        let c = self.current();
        block_on(async move { c.check_verify(id, token).await })?
    }

    pub fn get_verify_by_id(&self, id: &str) -> Result<Response<Verify>> {
        let c = self.current();
        block_on(async move { c.get_verify_by_id(id).await })?
    }

    pub fn get_verify(&self, page: PageRequest) -> Result<Response<Page<Verify>>> {
        let c = self.current();
        block_on(async move { c.get_verify(page).await })?
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        query: &[(&'static str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<Response<serde_json::Value>> {
        let c = self.current();
        block_on(async move { c.request(method, path, query, body).await })?
    }

    /// Runs a campaign over any iterator, calling `on_result` with each result as it settles
    /// (completion order). Memory stays bounded by the campaign's concurrency.
    pub fn campaign_each<I>(
        &self,
        messages: I,
        options: CampaignOptions,
        mut on_result: impl FnMut(ItemResult),
    ) -> Result<crate::bulk::Progress>
    where
        I: IntoIterator<Item = SmsRequest>,
        I::IntoIter: Send + 'static,
    {
        let c = self.current();
        let (options, latest) = options.recording_progress();
        block_on(async move {
            let mut results =
                std::pin::pin!(c.campaign(futures_util::stream::iter(messages), options)?);
            while let Some(r) = results.next().await {
                on_result(r);
            }
            Ok::<_, crate::Error>(())
        })??;
        Ok(latest.get())
    }

    /// Starts a campaign fed with [`Campaign::push`] and drained with [`Campaign::next`], for
    /// callers that hold neither an iterator nor an async runtime (the C and PHP bindings).
    pub fn start_campaign(&self, options: CampaignOptions) -> Result<Campaign> {
        Campaign::start(self.current(), options)
    }

    /// Runs a whole campaign and returns every result in input order.
    pub fn run_campaign<I>(&self, messages: I, options: CampaignOptions) -> Result<CampaignReport>
    where
        I: IntoIterator<Item = SmsRequest>,
        I::IntoIter: Send + 'static,
    {
        let c = self.current();
        block_on(async move { c.run_campaign(messages, options).await })?
    }
}
