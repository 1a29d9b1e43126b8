//! Auto-paging streams over the list endpoints: they fetch page after page until a short page.

use futures_util::stream::{self, Stream, StreamExt};

use super::Client;
use crate::error::{Error, Result};
use crate::model::{Lookup, Page, PageRequest, Response, Sms};

fn pages<T, F, Fut>(
    client: Client,
    per_page: u32,
    fetch: F,
) -> impl Stream<Item = Result<T>> + Send + 'static
where
    T: Send + 'static,
    F: Fn(Client, PageRequest) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Response<Page<T>>>> + Send + 'static,
{
    // A per_page outside 1–100 is not adjusted: the first page's request refuses it, and that
    // error is the stream's one item.
    stream::unfold(Some(1u32), move |next| {
        let client = client.clone();
        let fut = next.map(|page| fetch(client, PageRequest { page, per_page }));
        async move {
            let page_no = next?;
            match fut?.await {
                Ok(resp) => {
                    let items = resp.body.items;
                    let more = items.len() as u32 == per_page;
                    let next = if more { Some(page_no + 1) } else { None };
                    Some((stream::iter(items.into_iter().map(Ok)).left_stream(), next))
                }
                Err(e) => Some((stream::iter(vec![Err(e)]).right_stream(), None)),
            }
        }
    })
    .flatten()
    // Callers (binding iterators) may poll again after the end; a fused stream just says None.
    .fuse()
}

impl Client {
    /// Every message of the history, oldest page first, fetching `per_page` at a time.
    pub fn sms_stream(&self, per_page: u32) -> impl Stream<Item = Result<Sms>> + Send + 'static {
        pages(
            self.clone(),
            per_page,
            |c, p| async move { c.get_sms(p).await },
        )
    }

    /// The message sent with `client_id`, or `None` when the history has none: how to settle an
    /// [`ErrorKind::AmbiguousOutcome`](crate::ErrorKind::AmbiguousOutcome) or a send whose
    /// answer was lost before sending again. The API has no filter by clientId, so this reads
    /// the history 100 messages a request until the message turns up (the whole history when
    /// it is not there). A clientId is unique per message, so the first match is the only one.
    /// One that cannot be a clientId (empty, over 40 characters) is refused before any request.
    pub async fn find_sms_by_client_id(&self, client_id: &str) -> Result<Option<Sms>> {
        if let Some(problem) = crate::validate::check_client_id(client_id) {
            return Err(Error::invalid_argument(format!(
                "clientId {client_id:?}: {problem}"
            )));
        }
        let mut history = std::pin::pin!(self.sms_stream(PageRequest::MAX_PER_PAGE));
        while let Some(sms) = history.next().await {
            let sms = sms?;
            if sms.client_id.as_deref() == Some(client_id) {
                return Ok(Some(sms));
            }
        }
        Ok(None)
    }

    /// Every lookup, fetching `per_page` at a time.
    pub fn lookup_stream(
        &self,
        per_page: u32,
    ) -> impl Stream<Item = Result<Lookup>> + Send + 'static {
        pages(self.clone(), per_page, |c, p| async move {
            c.get_lookups(p).await
        })
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use crate::testing::no_server;
    use crate::ErrorKind;

    #[test]
    fn a_page_size_out_of_range_is_the_streams_one_error_not_adjusted() {
        // A request that went out would fail with Transport.
        let client = no_server().build().unwrap();
        for per_page in [0, 101] {
            let items: Vec<_> =
                crate::runtime::block_on(client.sms_stream(per_page).collect()).unwrap();
            assert_eq!(items.len(), 1, "per_page {per_page}");
            let err = items.into_iter().next().unwrap().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
            assert!(err.to_string().contains("per_page is 1 to 100"), "{err}");
            let lookups: Vec<_> =
                crate::runtime::block_on(client.lookup_stream(per_page).collect()).unwrap();
            assert!(matches!(&lookups[..], [Err(e)] if e.kind() == ErrorKind::InvalidArgument));
        }
    }
}
