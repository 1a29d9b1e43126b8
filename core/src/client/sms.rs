//! `POST /sms`, `POST /sms/bulk`, `GET /sms`, `GET /sms/{id}`.

use reqwest::Method;
use serde_json::{json, Value};

use super::bulk_answer::Accepted;
use super::{entities, entity, json_body, path_id, response, Client};
use crate::bulk::{reconcile, BulkResult, Outcome};
use crate::error::{Error, ErrorKind, FieldErrors, Result};
use crate::http::ApiRequest;
use crate::model::{BulkItemError, BulkResponse, Page, PageRequest, Response, Sms, SmsRequest};
use crate::validate::{self, CLIENT_ID_ALREADY_USED, MAX_BULK_ITEMS};
use serde::Deserialize;

/// `status` of the [`Sms`] returned when a retried send found its `clientId` already used: an
/// earlier attempt was accepted, and its message id could not be read back.
pub const ACCEPTED_EARLIER_STATUS: &str = "accepted_earlier";

/// A fresh `clientId` for a message that has none: 32 hex characters, within the 40 allowed.
/// Uniqueness is all it needs (not secrecy), so a fast generator does: the SDK's own, per
/// thread, never the caller's `fastrand` (an application that seeds it for reproducible runs
/// had its messages refused as "clientId already used", and the SDK moved its sequence), and
/// reseeded in a forked child, which would otherwise repeat its parent's sequence id for id.
/// Public for a binding that must know the id before the call (to tell the caller which id
/// makes a resend safe when the call is abandoned half-way).
pub fn new_client_id() -> String {
    ClientIds::checked().next_id()
}

thread_local! {
    /// This thread's generator and the process it was seeded in.
    static GENERATOR: std::cell::RefCell<(u32, fastrand::Rng)> =
        const { std::cell::RefCell::new((0, fastrand::Rng::with_seed(0))) };
}

/// Draws `clientId`s for a run of messages with one fork check (a `getpid` system call) for
/// the whole run instead of one per id. Only valid on the thread and within the synchronous
/// stretch that created it: a fork cannot happen in between on this thread, and a forked child
/// starts with the forking thread only.
pub(crate) struct ClientIds(std::marker::PhantomData<*const ()>);

impl ClientIds {
    pub(crate) fn checked() -> ClientIds {
        let pid = std::process::id();
        GENERATOR.with(|g| {
            let mut g = g.borrow_mut();
            if g.0 != pid {
                *g = (pid, fastrand::Rng::with_seed(fresh_seed(pid)));
            }
        });
        ClientIds(std::marker::PhantomData)
    }

    pub(crate) fn next_id(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut n = GENERATOR.with(|g| g.borrow_mut().1.u128(..));
        let mut buf = [0u8; 32];
        for b in buf.iter_mut().rev() {
            *b = HEX[(n & 0xf) as usize];
            n >>= 4;
        }
        std::str::from_utf8(&buf).unwrap_or_default().to_owned()
    }
}

/// A seed no other thread or process draws: std's per-thread hashing keys come from the
/// operating system's randomness, mixed with the clock, the process and the thread.
fn fresh_seed(pid: u32) -> u64 {
    use std::hash::BuildHasher;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    std::collections::hash_map::RandomState::new().hash_one((
        nanos,
        pid,
        std::thread::current().id(),
    ))
}

/// Whether a rejection says only that the `clientId` was already used: by an earlier attempt
/// of the same request, an earlier run (what `resume` counts as accepted), or another send.
pub fn is_client_id_already_used(fields: &FieldErrors) -> bool {
    fields.len() == 1
        && fields
            .get("clientId")
            .is_some_and(|m| m.iter().any(|m| says_already_used(m)))
}

/// The API's wording is not documented, so the match forgives what a rewording most likely
/// changes (case, the closing period, spaces) and nothing else.
fn says_already_used(message: &str) -> bool {
    fn trimmed(m: &str) -> &str {
        m.trim().trim_end_matches('.').trim_end()
    }
    trimmed(message).eq_ignore_ascii_case(trimmed(CLIENT_ID_ALREADY_USED))
}

pub(crate) fn validation_error(fields: FieldErrors) -> Error {
    Error::new(
        ErrorKind::Validation,
        "the message was not sent: it breaks the documented field rules",
    )
    .with_fields(fields)
}

impl Client {
    /// `POST /sms`. The message is checked against the documented rules first, and gets a
    /// generated `clientId` when it has none, so that retries cannot deliver it twice.
    ///
    /// Dropping the future (a `tokio::time::timeout`, a cancelled task) while the request is in
    /// flight leaves the message possibly sent, and the generated `clientId` goes with the
    /// future. Give a send you may drop its own `clientId`:
    /// [`find_sms_by_client_id`](Self::find_sms_by_client_id) then tells whether it went out,
    /// and a second send with that `clientId` is refused, never delivered twice.
    pub async fn send_sms(&self, sms: &SmsRequest) -> Result<Response<Sms>> {
        let mut sms = sms.clone();
        let client_id = sms.client_id.get_or_insert_with(new_client_id).clone();
        validate::validate_sms(&sms)
            .map_err(|fields| validation_error(fields).about_message(&client_id))?;
        let req = ApiRequest {
            method: Method::POST,
            path: "/sms".into(),
            query: vec![],
            body: Some(json_body(&sms)?),
            endpoint: "POST /sms",
        };
        match self.execute(req).await {
            Ok(raw) => response(raw, entity::<Sms>).map_err(|e| e.about_message(&client_id)),
            Err(e) if e.maybe_committed() && is_client_id_already_used(e.fields()) => {
                Ok(accepted_earlier(&sms, client_id))
            }
            Err(e) => Err(e.about_message(&client_id)),
        }
    }

    /// One `POST /sms/bulk` of 1–100 messages, reconciled: one outcome per input, in input
    /// order. Items are not checked locally (the API reports each one); a `clientId` is added
    /// where missing.
    pub async fn send_bulk(&self, messages: &[SmsRequest]) -> Result<Response<BulkResult>> {
        if messages.is_empty() || messages.len() > MAX_BULK_ITEMS {
            return Err(Error::invalid_argument(format!(
                "a bulk request takes 1 to {MAX_BULK_ITEMS} messages, got {}",
                messages.len()
            )));
        }
        let mut items = messages.to_vec();
        {
            // Not held across the await below: the generator is tied to this thread.
            let ids = ClientIds::checked();
            for item in &mut items {
                item.client_id.get_or_insert_with(|| ids.next_id());
            }
        }
        let raw = self.post_bulk(&items).await?;
        let retried = raw.maybe_committed;
        response(raw, |json| {
            let parsed = BulkResponse::deserialize(json)
                .map_err(|e| Error::decode(format!("unexpected bulk response: {e}")))?;
            let accepted = parsed
                .entities
                .iter()
                .map(|e| (e.client_id.as_deref(), e.id.as_str()));
            let items = reconcile(&items, accepted, &parsed.errors, retried);
            Ok(BulkResult {
                items,
                response: parsed,
            })
        })
    }

    /// The campaign's bulk call: items all carry a `clientId`, and only what reconciliation
    /// needs is read from the answer (no generic JSON tree, no entity copies).
    pub(crate) async fn send_bulk_outcomes(
        &self,
        items: &[SmsRequest],
        duplicates_are_accepted: bool,
    ) -> Result<Vec<Outcome>> {
        let raw = self.post_bulk(items).await?;
        let duplicates_are_accepted = raw.maybe_committed || duplicates_are_accepted;
        let undecodable =
            |e: String| raw.undecodable(Error::decode(format!("unexpected bulk response: {e}")));
        // One up-front UTF-8 check (vectorised) instead of one per key and string.
        let text = std::str::from_utf8(&raw.body).map_err(|e| undecodable(e.to_string()))?;
        // The common answer is read in one pass; serde reads whatever else comes.
        let fallback: LeanBulkResponse;
        let (accepted, errors) = match super::bulk_answer::scan(text) {
            Some(accepted) => (accepted, &[][..]),
            None => {
                fallback = serde_json::from_str(text).map_err(|e| undecodable(e.to_string()))?;
                let accepted = fallback.entities.iter().map(|e| Accepted {
                    id: &e.id,
                    client_id: e.client_id.as_deref(),
                });
                (accepted.collect(), &fallback.errors[..])
            }
        };
        Ok(reconcile(
            items,
            accepted.iter().map(|e| (e.client_id, e.id)),
            errors,
            duplicates_are_accepted,
        ))
    }

    async fn post_bulk(&self, items: &[SmsRequest]) -> Result<crate::http::RawResponse> {
        // Sized for typical items up front: growing a 10 kB body by doubling costs more copies
        // than the encoding itself.
        let mut body = Vec::with_capacity(items.len() * 160 + 2);
        super::bulk_body::write(items, &mut body);
        self.execute(ApiRequest {
            method: Method::POST,
            path: "/sms/bulk".into(),
            query: vec![],
            body: Some(body.into()),
            endpoint: "POST /sms/bulk",
        })
        .await
    }

    /// `GET /sms?page=&per_page=`.
    pub async fn get_sms(&self, page: PageRequest) -> Result<Response<Page<Sms>>> {
        let raw = self
            .execute(list_request("/sms", "GET /sms", page)?)
            .await?;
        response(raw, |json| {
            Ok(Page {
                page: page.page,
                per_page: page.per_page,
                items: entities(json)?,
            })
        })
    }

    /// `GET /sms/{id}`.
    pub async fn get_sms_by_id(&self, id: &str) -> Result<Response<Sms>> {
        let path = format!("/sms/{}", path_id("message", id)?);
        let raw = self
            .execute(ApiRequest {
                method: Method::GET,
                path,
                query: vec![],
                body: None,
                endpoint: "GET /sms/{id}",
            })
            .await?;
        response(raw, entity::<Sms>)
    }
}

/// A bulk answer as the campaign reads it when `bulk_answer::scan` leaves it to serde.
#[derive(serde::Deserialize)]
pub(super) struct LeanBulkResponse<'a> {
    #[serde(default, borrow)]
    pub entities: Vec<LeanEntity<'a>>,
    #[serde(default)]
    pub errors: Vec<BulkItemError>,
}

#[derive(serde::Deserialize)]
pub(super) struct LeanEntity<'a> {
    #[serde(borrow)]
    pub id: std::borrow::Cow<'a, str>,
    #[serde(rename = "clientId", default, borrow)]
    pub client_id: Option<std::borrow::Cow<'a, str>>,
}

pub(crate) fn list_request(
    path: &str,
    endpoint: &'static str,
    page: PageRequest,
) -> Result<ApiRequest> {
    if page.page == 0 || page.per_page == 0 || page.per_page > PageRequest::MAX_PER_PAGE {
        return Err(Error::invalid_argument(format!(
            "page starts at 1 and per_page is 1 to {} (got page {}, per_page {})",
            PageRequest::MAX_PER_PAGE,
            page.page,
            page.per_page
        )));
    }
    Ok(ApiRequest {
        method: Method::GET,
        path: path.into(),
        query: vec![
            ("page", page.page.to_string()),
            ("per_page", page.per_page.to_string()),
        ],
        body: None,
        endpoint,
    })
}

/// Answered `201` like the send that was accepted, not with the retry's `422`: a caller who
/// checks the status (as Instasent's own SDK pages do) must not resend a message that went out.
fn accepted_earlier(sms: &SmsRequest, client_id: String) -> Response<Sms> {
    let raw = json!({"entity": {
        "id": Value::Null, "clientId": client_id, "from": sms.from, "to": sms.to, "text": sms.text,
        "status": ACCEPTED_EARLIER_STATUS,
    }});
    let body = Sms {
        id: String::new(),
        client_id: Some(client_id),
        from: sms.from.clone(),
        to: sms.to.clone(),
        text: sms.text.clone(),
        status: Some(ACCEPTED_EARLIER_STATUS.into()),
        encoding: None,
        segments: None,
        price: None,
        country: None,
        created_at: None,
        extra: Default::default(),
    };
    Response {
        status: 201,
        raw,
        rate_limit: None,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_are_send_futures() {
        // The bindings run these on a multi-thread runtime; a `!Send` future would not compile
        // there, so check it here, next to the code.
        fn assert_send<T: Send>(_: T) {}
        let client = Client::builder("t").build().unwrap();
        let one = [SmsRequest::new("Acme", "+34600000000", "x")];
        assert_send(client.send_bulk(&one));
        assert_send(client.send_sms(&one[0]));
        assert_send(client.send_bulk_outcomes(&one, false));
    }

    #[test]
    fn generated_client_ids_are_valid_and_unique() {
        let a = new_client_id();
        assert_eq!(a.len(), 32);
        assert!(validate::check_client_id(&a).is_none());
        assert_ne!(a, new_client_id());
    }

    #[test]
    fn client_ids_do_not_come_from_nor_move_the_callers_fastrand() {
        // An application seeding fastrand for reproducible runs got the same clientIds again
        // (refused as "already used"), and each id drawn moved its sequence.
        let _ = new_client_id();
        fastrand::seed(42);
        let first = new_client_id();
        let theirs = fastrand::u64(..);
        fastrand::seed(42);
        assert_ne!(new_client_id(), first);
        assert_eq!(fastrand::u64(..), theirs);
    }

    #[test]
    fn a_forked_child_does_not_repeat_its_parents_client_ids() {
        let _ = new_client_id();
        let mut fds = [0i32; 2];
        // SAFETY: plain pipe + fork; the child only writes to the pipe and exits.
        unsafe {
            assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
            let pid = libc::fork();
            if pid == 0 {
                let id = new_client_id();
                libc::write(fds[1], id.as_ptr().cast(), id.len());
                libc::_exit(0);
            }
            let mut buf = [0u8; 32];
            let mut read = 0;
            while read < 32 {
                let n = libc::read(fds[0], buf[read..].as_mut_ptr().cast(), 32 - read);
                assert!(n > 0);
                read += n as usize;
            }
            libc::waitpid(pid, std::ptr::null_mut(), 0);
            let child_id = String::from_utf8(buf.to_vec()).unwrap();
            assert_ne!(
                child_id,
                new_client_id(),
                "parent and child drew the same clientId"
            );
        }
    }

    #[test]
    fn only_a_pure_client_id_rejection_counts_as_duplicate() {
        let mut f = FieldErrors::new();
        f.insert("clientId".into(), vec![CLIENT_ID_ALREADY_USED.into()]);
        assert!(is_client_id_already_used(&f));
        for same in [
            "This value is already used",
            " this value is ALREADY used. ",
        ] {
            f.insert("clientId".into(), vec![same.into()]);
            assert!(is_client_id_already_used(&f), "{same:?}");
        }
        f.insert("clientId".into(), vec!["This value is too long.".into()]);
        assert!(!is_client_id_already_used(&f));
        f.insert("clientId".into(), vec![CLIENT_ID_ALREADY_USED.into()]);
        f.insert("to".into(), vec!["This value is not valid.".into()]);
        assert!(!is_client_id_already_used(&f));
    }
}
