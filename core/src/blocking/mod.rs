//! A synchronous client over the async one, on the process-wide runtime. What the Python, C and
//! PHP bindings use. After `fork()` it rebuilds its connections on the child's runtime.

mod campaign;
pub use crate::bulk::Settled;
pub use campaign::Campaign;

use futures_util::StreamExt;

use crate::bulk::{BulkResult, CampaignOptions, CampaignReport, ItemResult};
use crate::client::{Client as AsyncClient, ClientBuilder};
use crate::error::Result;
use crate::model::*;
use crate::per_process::PerProcess;
use crate::runtime::block_on;

/// Results of [`Client::campaign_each`] on their way to the caller's thread at most.
const RESULTS_IN_TRANSIT: usize = 1024;

/// Blocking client. Share it between threads freely. Every call blocks the calling thread until
/// it is settled, retries and rate-limit waits included; async code should use
/// [`crate::Client`].
pub struct Client {
    /// With the base URL the first build resolved: a rebuild in a forked child goes to the
    /// same place whatever `$INSTASENT_BASE_URL` says by then.
    builder: ClientBuilder,
    base_url: String,
    /// Rebuilt in a forked child: the parent's connections belong to a runtime the child does
    /// not have, and its pooled sockets are the parent's too. Read without a lock, which a
    /// busy thread of the parent could hold at the fork.
    inner: PerProcess<AsyncClient>,
}

/// A clone shares the connection pool and the settings, as the async `Client`'s clones do (in
/// a forked child, once this process has its own).
impl Clone for Client {
    fn clone(&self) -> Self {
        Client {
            builder: self.builder.clone(),
            base_url: self.base_url.clone(),
            inner: self
                .inner
                .get()
                .map_or_else(PerProcess::empty, PerProcess::new),
        }
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("blocking::Client")
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl Client {
    /// A client with default options (base URL from `$INSTASENT_BASE_URL` when set). Fails as
    /// [`ClientBuilder::build`] does: an empty token is an `InvalidArgument`.
    pub fn new(token: impl Into<String>) -> Result<Client> {
        Client::from_builder(ClientBuilder::new(token))
    }

    /// A client with the options of `builder`; fails as [`ClientBuilder::build`] does.
    pub fn from_builder(builder: ClientBuilder) -> Result<Client> {
        let client = builder.clone().build()?;
        let base_url = client.base_url().to_string();
        Ok(Client {
            builder: builder.base_url(base_url.clone()),
            base_url,
            inner: PerProcess::new(client),
        })
    }

    /// The async client behind this one, this process's: rebuilt in a forked child (the
    /// parent's connections belong to a runtime the child does not have). Fails only when that
    /// rebuild does (the system refusing threads or sockets).
    pub fn current(&self) -> Result<AsyncClient> {
        self.inner.get_or_make(|| self.builder.clone().build())
    }

    /// The base URL every request goes to.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The `X-RateLimit-*` state of the latest response of this process, whatever its
    /// endpoint.
    pub fn rate_limit(&self) -> Option<crate::RateLimit> {
        self.inner.get()?.rate_limit()
    }

    /// `POST /sms`, blocking until it is settled, retries included (see
    /// [`Client::send_sms`](crate::Client::send_sms)). Checked against the documented rules
    /// first; given a `clientId` when it has none, so a retry is never delivered twice.
    pub fn send_sms(&self, sms: &SmsRequest) -> Result<Response<Sms>> {
        let c = self.current()?;
        block_on(async move { c.send_sms(sms).await })?
    }

    /// One `POST /sms/bulk` of 1–100 messages, one outcome per input in input order (see
    /// [`Client::send_bulk`](crate::Client::send_bulk)). For more, use
    /// [`run_campaign`](Self::run_campaign).
    pub fn send_bulk(&self, messages: &[SmsRequest]) -> Result<Response<BulkResult>> {
        let c = self.current()?;
        block_on(async move { c.send_bulk(messages).await })?
    }

    /// `GET /sms`: one page of the message history.
    pub fn get_sms(&self, page: PageRequest) -> Result<Response<Page<Sms>>> {
        let c = self.current()?;
        block_on(async move { c.get_sms(page).await })?
    }

    /// `GET /sms/{id}`: one message; `NotFound` when the id is unknown to this token.
    pub fn get_sms_by_id(&self, id: &str) -> Result<Response<Sms>> {
        let c = self.current()?;
        block_on(async move { c.get_sms_by_id(id).await })?
    }

    /// The message sent with `client_id`, or `None` when the history has none (see
    /// [`Client::find_sms_by_client_id`](crate::Client::find_sms_by_client_id)).
    pub fn find_sms_by_client_id(&self, client_id: &str) -> Result<Option<Sms>> {
        let c = self.current()?;
        block_on(async move { c.find_sms_by_client_id(client_id).await })?
    }

    /// `POST /lookup`: an HLR lookup of one E.164 number, charged per lookup. A number that is not
    /// E.164 is refused locally (`Validation`); once the request may have reached the API it is
    /// not repeated.
    pub fn do_lookup(&self, to: &str) -> Result<Response<Lookup>> {
        let c = self.current()?;
        block_on(async move { c.do_lookup(to).await })?
    }

    /// `GET /lookup/{id}`: one earlier lookup.
    pub fn get_lookup_by_id(&self, id: &str) -> Result<Response<Lookup>> {
        let c = self.current()?;
        block_on(async move { c.get_lookup_by_id(id).await })?
    }

    /// `GET /lookup`: one page of earlier lookups.
    pub fn get_lookups(&self, page: PageRequest) -> Result<Response<Page<Lookup>>> {
        let c = self.current()?;
        block_on(async move { c.get_lookups(page).await })?
    }

    /// `GET /organization/account`: the available balance and its currency.
    pub fn get_account_balance(&self) -> Result<Response<Account>> {
        let c = self.current()?;
        block_on(async move { c.get_account_balance().await })?
    }

    /// `GET /sms/price-profile/me/countries`: the price of one SMS segment per country, what
    /// [`estimate_cost`](crate::encoding::estimate_cost) prices a text with.
    pub fn get_sms_price_profile(&self) -> Result<Response<Vec<CountryPrice>>> {
        let c = self.current()?;
        block_on(async move { c.get_sms_price_profile().await })?
    }

    /// `GET /lookup/price-profile/me/countries`: the price of one lookup per country.
    pub fn get_lookup_price_profile(&self) -> Result<Response<Vec<CountryPrice>>> {
        let c = self.current()?;
        block_on(async move { c.get_lookup_price_profile().await })?
    }

    /// `POST /verify`: sends `req.sms.text` with `%token%` replaced by a fresh code. A text without
    /// `%token%` is an `InvalidArgument`; once the request may have reached the API it is not
    /// repeated, as a repeat would send a second code.
    pub fn request_verify(&self, req: &VerifyRequest) -> Result<Response<Verify>> {
        let c = self.current()?;
        block_on(async move { c.request_verify(req).await })?
    }

    /// `GET /verify/{id}?token=`: checks the code the user typed; `body.status` is `"verified"`
    /// when it matches.
    pub fn check_verify(&self, id: &str, token: &str) -> Result<Response<Verify>> {
        let c = self.current()?;
        block_on(async move { c.check_verify(id, token).await })?
    }

    /// `GET /verify/{id}`: one verification.
    pub fn get_verify_by_id(&self, id: &str) -> Result<Response<Verify>> {
        let c = self.current()?;
        block_on(async move { c.get_verify_by_id(id).await })?
    }

    /// `GET /verify`: one page of verifications.
    pub fn get_verify(&self, page: PageRequest) -> Result<Response<Page<Verify>>> {
        let c = self.current()?;
        block_on(async move { c.get_verify(page).await })?
    }

    /// Any endpoint this SDK does not wrap, retried as [`Client::request`](crate::Client::request)
    /// says: a method other than `GET` only when it certainly was not processed.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        query: &[(&'static str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<Response<serde_json::Value>> {
        let c = self.current()?;
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
        let c = self.current()?;
        let (options, latest) = options.recording_progress();
        let messages = messages.into_iter();
        // The campaign runs on the shared runtime and `on_result` here, on the caller's thread:
        // it need not be `Send`, and it may make blocking calls of its own.
        let (settled, mut results) = tokio::sync::mpsc::channel(RESULTS_IN_TRANSIT);
        let engine = crate::runtime::runtime()?.spawn(async move {
            let mut results =
                std::pin::pin!(c.campaign(futures_util::stream::iter(messages), options)?);
            while let Some(r) = results.next().await {
                // The caller stopped taking them (its callback panicked): send no more.
                if settled.send(r).await.is_err() {
                    break;
                }
            }
            Ok::<_, crate::Error>(())
        });
        let mut taken = Vec::with_capacity(RESULTS_IN_TRANSIT);
        while block_on(results.recv_many(&mut taken, RESULTS_IN_TRANSIT))? > 0 {
            taken.drain(..).for_each(&mut on_result);
        }
        match block_on(engine)? {
            Ok(outcome) => outcome?,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => {
                return Err(crate::Error::new(
                    crate::ErrorKind::Transport,
                    e.to_string(),
                ))
            }
        }
        Ok(latest.get())
    }

    /// Starts a campaign fed with [`Campaign::push`] and drained with [`Campaign::next`], for
    /// callers that hold neither an iterator nor an async runtime (the C and PHP bindings).
    pub fn start_campaign(&self, options: CampaignOptions) -> Result<Campaign> {
        Campaign::start(self.current()?, options)
    }

    /// Runs a whole campaign and returns every result in input order.
    pub fn run_campaign<I>(&self, messages: I, options: CampaignOptions) -> Result<CampaignReport>
    where
        I: IntoIterator<Item = SmsRequest>,
        I::IntoIter: Send + 'static,
    {
        let c = self.current()?;
        let messages = messages.into_iter();
        block_on(async move { c.run_campaign(messages, options).await })?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{in_child, Child};
    use std::time::Duration;

    #[test]
    fn a_forked_child_rebuilds_its_client_for_the_base_url_the_parent_resolved() {
        // No base URL given: the first build resolved one ($INSTASENT_BASE_URL or production).
        let client = Client::new("t").unwrap();
        let resolved = client.base_url();
        assert_eq!(client.current().unwrap().base_url(), resolved);
        let child = in_child(Duration::from_secs(10), || {
            // The child changed its environment after the fork; its rebuilt client still goes
            // where the parent's went, and has heard no answer yet.
            std::env::set_var(crate::BASE_URL_ENV, "http://127.0.0.1:9/elsewhere");
            let rebuilt = client.current().unwrap();
            rebuilt.base_url() == resolved
                && client.base_url() == resolved
                && client.rate_limit().is_none()
                && client.clone().current().unwrap().base_url() == resolved
        });
        assert_eq!(child, Child::Passed);
    }
}
