//! The native half of `sendBulk` and `campaign`: ONE core campaign (`instasent::bulk::Feed`)
//! for the whole input, so the engine's pipeline never drains between chunks and a 401/402
//! halts every later batch. The feed does the work (bounded queue, input held at most a few
//! batches ahead of the results taken, input order); this file converts.
//!
//! `lib/client.js` pulls inputs from the caller's (async) iterable and `push`es them here a batch
//! at a time, awaiting `ready()` whenever a push says so; `nextResults()` hands back every result
//! settled so far in input order, so N-API is crossed once per batch or so, never per message.
//!
//! Both directions are packed rather than built field by field through N-API, which is what
//! made the old path slow (JS object → serde_json::Value → struct, and back): inputs arrive as
//! one UTF-16 string with their strings back to back plus a `Uint32Array` layout, and are decoded
//! on the core runtime; accepted results leave as one string of ids and clientIds plus a layout
//! from which the JS builds the result objects. Rejected and failed results, rare and varied,
//! leave as full `BulkItemResult` objects.
//!
//! None of this is the package's surface: `startCampaign` is left out of index.d.ts and off the
//! `SmsClient` that `index.js` exports, and the campaign it returns is a plain object of
//! functions, not a class (see `plumbing`).

use std::sync::Arc;
use std::time::Duration;

use napi::bindgen_prelude::{Object, TypeName, Uint32Array, Utf16String};
use napi::{Env, ValueType};
use napi_derive::napi;
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::client::SmsClient;
use crate::error::{invalid_argument, IntoNapi};
use crate::options::Options;
use crate::plumbing::Plumbing;
use crate::types::BulkItemResult;
use instasent::bulk::{Feed, Pushable, Pushed};
use instasent::{CampaignOptions, ItemResult, Outcome, Progress, SmsRequest};

/// u32s per message in a push layout: UTF-16 lengths of from, to, text and clientId
/// ([`NO_CLIENT_ID`] when absent), then allowUnicode (0 or 1).
const INPUT_FIELDS: usize = 5;
const NO_CLIENT_ID: u32 = u32::MAX;

/// u32s per result in a `ResultBatch` layout: kind, then the ends (UTF-16 units into `text`) of
/// its id and of its clientId.
const RESULT_FIELDS: usize = 3;
/// Kind bits of an accepted result; any other result is [`OTHER`] (a full object in `others`).
const HAS_ID: u32 = 1;
const ACCEPTED_EARLIER: u32 = 2;
const OTHER: u32 = 4;

/// How long `nextResults` may hold settled results back waiting for more (see there).
const GATHER_WINDOW: Duration = Duration::from_millis(2);

/// The options of `sendBulk` / `campaign` (declared for TypeScript in lib/header.d.ts):
/// `lib/client.js` passes the caller's own object along with the numbers it checked, so that a
/// key nobody reads is refused here, as in every other options object ([`Options`]).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendBulkOptions {
    /// Bulk requests in flight at once (default: the client's `concurrency`). i64, not u32, so
    /// that a number above 2³² reaches the core's check instead of wrapping into range.
    pub concurrency: Option<i64>,
    /// Messages per bulk request, 1–100 (default 100).
    pub batch_size: Option<i64>,
    /// Count "clientId already used" as accepted by an earlier run.
    pub resume: Option<bool>,
    /// Check the documented rules before sending (default true).
    pub validate: Option<bool>,
    /// Called by `lib/client.js`; accepted here only as a known key.
    #[allow(dead_code)]
    pub on_progress: Option<IgnoredAny>,
}

impl TypeName for SendBulkOptions {
    fn type_name() -> &'static str {
        "SendBulkOptions"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

/// Running totals of a campaign, in a `ResultBatch` (`onProgress` gets them as a `BulkProgress`).
#[napi(object)]
pub struct CampaignProgress {
    /// Inputs read so far.
    pub read: f64,
    /// Inputs the API accepted, `acceptedEarlier` ones included.
    pub accepted: f64,
    /// Inputs rejected, by the local checks or by the API.
    pub rejected: f64,
    /// Inputs whose request failed as a whole, or that were not sent once a 401 or 402 halted the
    /// campaign.
    pub failed: f64,
    /// Bulk requests answered.
    pub requests: f64,
    /// Seconds since the campaign started.
    pub elapsed_secs: f64,
}

impl From<Progress> for CampaignProgress {
    fn from(p: Progress) -> Self {
        CampaignProgress {
            read: p.read as f64,
            accepted: p.accepted as f64,
            rejected: p.rejected as f64,
            failed: p.failed as f64,
            requests: p.requests as f64,
            elapsed_secs: p.elapsed_secs,
        }
    }
}

/// The results settled since the previous `nextResults()`, in input order.
#[napi(object)]
pub struct ResultBatch {
    /// Index of the first of them.
    pub start: f64,
    /// Per result: its kind (accepted: 1 if it has an id, + 2 if accepted earlier; 4: the next
    /// of `others`), then the ends of its id and of its clientId in `text`, in UTF-16 units.
    pub layout: Uint32Array,
    /// The ids and clientIds of the accepted results, back to back.
    pub text: String,
    /// The results of kind 4, in order.
    pub others: Vec<BulkItemResult>,
    /// The campaign's totals so far.
    pub progress: CampaignProgress,
    /// The campaign is over and every result has been handed out.
    pub done: bool,
}

/// One `push`: messages packed by `lib/client.js`, decoded on the core runtime.
struct Packed {
    text: Vec<u16>,
    layout: Vec<u32>,
}

impl Packed {
    /// Checks that the layout describes `text` exactly (the decoding below relies on it).
    fn check(&self) -> napi::Result<()> {
        if !self.layout.len().is_multiple_of(INPUT_FIELDS) {
            return Err(invalid_argument("campaign push: truncated layout"));
        }
        let mut total = 0u64;
        for m in self.layout.chunks_exact(INPUT_FIELDS) {
            let client_id = if m[3] == NO_CLIENT_ID { 0 } else { m[3] };
            total += u64::from(m[0]) + u64::from(m[1]) + u64::from(m[2]) + u64::from(client_id);
            if m[4] > 1 {
                return Err(invalid_argument("campaign push: bad allowUnicode flag"));
            }
        }
        if total != self.text.len() as u64 {
            return Err(invalid_argument(
                "campaign push: the layout does not match the text",
            ));
        }
        Ok(())
    }
}

impl Packed {
    /// A lone surrogate (half an emoji, as slicing a JS string by UTF-16 units leaves it) would
    /// be decoded as U+FFFD and sent so: refused here, naming the message by its input index.
    /// Most batches hold no surrogate at all, which one pass that vectorises shows.
    fn check_unicode(&self, first_index: f64) -> napi::Result<()> {
        if !self
            .text
            .iter()
            .fold(false, |seen, &u| seen | (u & 0xF800 == 0xD800))
        {
            return Ok(());
        }
        let mut at = 0usize;
        for (k, m) in self.layout.chunks_exact(INPUT_FIELDS).enumerate() {
            let client_id = if m[3] == NO_CLIENT_ID { 0 } else { m[3] };
            for (field, len) in [
                ("from", m[0]),
                ("to", m[1]),
                ("text", m[2]),
                ("clientId", client_id),
            ] {
                let units = &self.text[at..at + len as usize];
                at += len as usize;
                if char::decode_utf16(units.iter().copied()).any(|c| c.is_err()) {
                    return Err(invalid_argument(format!(
                        "message {} `{field}` is not valid Unicode: it holds a lone surrogate \
                         (half of a character such as an emoji)",
                        first_index as u64 + k as u64
                    )));
                }
            }
        }
        Ok(())
    }
}

impl Pushable for Packed {
    fn len(&self) -> usize {
        self.layout.len() / INPUT_FIELDS
    }

    fn into_requests(self) -> Vec<SmsRequest> {
        let text = &self.text;
        let mut at = 0usize;
        let mut take = |len: u32| {
            let s = utf16_to_string(&text[at..at + len as usize]);
            at += len as usize;
            s
        };
        self.layout
            .chunks_exact(INPUT_FIELDS)
            .map(|m| {
                let mut sms = SmsRequest::new(take(m[0]), take(m[1]), take(m[2]));
                sms.client_id = (m[3] != NO_CLIENT_ID).then(|| take(m[3]));
                sms.allow_unicode = m[4] == 1;
                sms
            })
            .collect()
    }
}

/// `String::from_utf16_lossy`, with a fast path for ASCII (phone numbers, sender ids, clientIds,
/// most texts): decoding char by char took ~3,400 of the Node client's ~23,500 instructions per
/// message, while narrowing ASCII units is a plain copy the compiler vectorises.
fn utf16_to_string(units: &[u16]) -> String {
    if units.iter().fold(0u16, |seen, &u| seen | u) < 0x80 {
        let ascii: Vec<u8> = units.iter().map(|&u| u as u8).collect();
        if let Ok(s) = String::from_utf8(ascii) {
            return s;
        }
    }
    String::from_utf16_lossy(units)
}

/// UTF-16 length, what JS `slice` counts in.
fn utf16_len(s: &str) -> u32 {
    if s.is_ascii() {
        s.len() as u32
    } else {
        s.encode_utf16().count() as u32
    }
}

fn pack(results: Vec<ItemResult>) -> (Vec<u32>, String, Vec<BulkItemResult>) {
    let mut layout = Vec::with_capacity(results.len() * RESULT_FIELDS);
    let mut text = String::with_capacity(results.len() * 48);
    let mut others = Vec::new();
    let mut end = 0u32;
    for r in results {
        match r.outcome {
            Outcome::Accepted {
                id,
                client_id,
                accepted_earlier,
            } => {
                let mut kind = if accepted_earlier {
                    ACCEPTED_EARLIER
                } else {
                    0
                };
                if let Some(id) = &id {
                    kind |= HAS_ID;
                    text.push_str(id);
                    end += utf16_len(id);
                }
                layout.extend([kind, end]);
                text.push_str(&client_id);
                end += utf16_len(&client_id);
                layout.push(end);
            }
            outcome => {
                layout.extend([OTHER, end, end]);
                others.push(BulkItemResult::new(r.index, outcome));
            }
        }
    }
    (layout, text, others)
}

/// A campaign in progress (created by [`start_campaign`], driven by `sendBulk` and `campaign`
/// through the functions of [`Campaign::into_js`]).
struct Campaign {
    feed: Feed<Packed>,
}

impl Campaign {
    /// Queues messages packed by `lib/client.js` (`text`: their strings back to back; `layout`:
    /// per message the UTF-16 lengths of from, to, text, clientId (0xFFFFFFFF: none) and
    /// allowUnicode). False when the feed is full: `ready()` must be awaited before the next
    /// push. False too once the campaign no longer takes input (`ready()` then says so).
    /// `first_index`: the input index of the batch's first message, to name a refused one.
    fn push(&self, text: Utf16String, layout: &[u32], first_index: f64) -> napi::Result<bool> {
        let packed = Packed {
            text: text.to_vec(),
            layout: layout.to_vec(),
        };
        packed.check()?;
        packed.check_unicode(first_index)?;
        Ok(self.feed.push(packed).napi()? == Pushed::Queued)
    }

    /// Resolves once there is room for the next pushes: true, or false when the campaign
    /// stopped taking input.
    async fn ready(&self) -> bool {
        self.feed.ready().await
    }

    /// No more input: the campaign ends once the queued messages are sent.
    fn end(&self) {
        self.feed.end();
    }

    /// Stops the campaign: queued inputs are dropped unsent; batches already in flight finish
    /// and `nextResults()` still reports them, then `done`.
    fn abort(&self) {
        self.feed.stop();
    }

    /// Every result settled since the previous call, in input order; waits until there is at
    /// least one, or the campaign is over (`done`). Once there is one, it lingers up to
    /// [`GATHER_WINDOW`] for a few batches more, so that a fast campaign crosses into JS once
    /// per few batches rather than once per batch.
    async fn next_results(&self) -> napi::Result<ResultBatch> {
        let gather = self.feed.half_in_flight();
        let settled = self.feed.next(gather, GATHER_WINDOW).await.napi()?;
        let (layout, text, others) = pack(settled.results);
        Ok(ResultBatch {
            start: settled.start as f64,
            layout: Uint32Array::new(layout),
            text,
            others,
            progress: settled.progress.into(),
            done: settled.done,
        })
    }

    /// `{ push, ready, end, abort, nextResults }` over this campaign; it lives as long as the
    /// object's functions do, and the futures of its promises.
    fn into_js(self, env: &Env) -> napi::Result<Object<'_>> {
        let handle = Arc::new(JsHandle(Arc::new(self)));
        let mut js = Plumbing::new(env)?;
        let h = handle.clone();
        js.sync("push", move |ctx| {
            h.0.push(
                ctx.get::<Utf16String>(0)?,
                ctx.get::<&[u32]>(1)?,
                ctx.get::<f64>(2)?,
            )
        })?;
        let h = handle.clone();
        js.promise("ready", move |_| {
            let c = h.0.clone();
            Ok(async move { Ok(c.ready().await) })
        })?;
        let h = handle.clone();
        js.sync("end", move |_| {
            h.0.end();
            Ok(())
        })?;
        let h = handle.clone();
        js.sync("abort", move |_| {
            h.0.abort();
            Ok(())
        })?;
        js.promise("nextResults", move |_| {
            let c = handle.0.clone();
            Ok(async move { c.next_results().await })
        })?;
        Ok(js.build())
    }
}

/// The campaign as its JS functions hold it. Once they are gone (collected, or finalized with
/// the environment of a terminated worker) nobody can push or take a result again, so the
/// campaign stops: a pending `ready()` would otherwise wait for room forever, keeping the
/// engine alive and sending what was queued for a caller that no longer exists.
struct JsHandle(Arc<Campaign>);

impl Drop for JsHandle {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts a campaign of `client` fed by `push` (used by `sendBulk` and `campaign`). The input
/// is read at most a few batches ahead of the results taken, so a streamed campaign's memory
/// stays flat however slowly its caller consumes it.
#[napi(skip_typescript)]
pub fn start_campaign<'env>(
    env: &'env Env,
    client: &SmsClient,
    options: Option<Options<SendBulkOptions>>,
) -> napi::Result<Object<'env>> {
    let mut opts = CampaignOptions::default();
    if let Some(Options(o)) = &options {
        let size = |n: i64| usize::try_from(n).unwrap_or(if n < 0 { 0 } else { usize::MAX });
        opts.concurrency = o.concurrency.map(size);
        if let Some(b) = o.batch_size {
            opts.batch_size = size(b);
        }
        // Left out or null: the core's defaults.
        if let Some(resume) = o.resume {
            opts.resume = resume;
        }
        if let Some(validate) = o.validate {
            opts.validate_locally = validate;
        }
    }
    let feed = Feed::start(client.inner.clone(), opts).napi()?;
    Campaign { feed }.into_js(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(index: u64, id: Option<&str>, client_id: &str) -> ItemResult {
        ItemResult::new(
            index,
            Outcome::Accepted {
                id: id.map(str::to_owned),
                client_id: client_id.into(),
                accepted_earlier: id.is_none(),
            },
        )
    }

    #[test]
    fn packed_results_slice_back_into_ids_and_client_ids() {
        let failed = ItemResult::new(
            2,
            Outcome::Failed {
                client_id: Some("x".into()),
                kind: instasent::ErrorKind::PaymentRequired,
                message: "no".into(),
            },
        );
        let (layout, text, others) = pack(vec![
            accepted(0, Some("id-é"), "cé"),
            accepted(1, None, "c1"),
            failed,
        ]);
        let units: Vec<u16> = text.encode_utf16().collect();
        let slice = |a: u32, b: u32| String::from_utf16(&units[a as usize..b as usize]).unwrap();
        assert_eq!(layout[0], HAS_ID);
        assert_eq!(slice(0, layout[1]), "id-é");
        assert_eq!(slice(layout[1], layout[2]), "cé");
        assert_eq!(layout[3], ACCEPTED_EARLIER);
        assert_eq!(slice(layout[4], layout[5]), "c1");
        assert_eq!(layout[6], OTHER);
        assert_eq!(others[0].code.as_deref(), Some("PAYMENT_REQUIRED"));
    }

    #[test]
    fn utf16_decodes_like_from_utf16_lossy_on_both_paths() {
        let lone_surrogate = [0x41, 0xD800, 0x42];
        for units in [
            "Acme +34600000000 ~{}[]\\\u{7f}"
                .encode_utf16()
                .collect::<Vec<_>>(),
            "\u{80}é€😀 ñandú".encode_utf16().collect(),
            lone_surrogate.to_vec(),
            vec![],
        ] {
            assert_eq!(utf16_to_string(&units), String::from_utf16_lossy(&units));
        }
        assert_eq!(utf16_to_string(&lone_surrogate), "A\u{FFFD}B");
    }

    #[test]
    fn a_lone_surrogate_is_refused_naming_its_message_and_field() {
        let mut text: Vec<u16> = "Acme+34600000000😀Acme+34600000001xy"
            .encode_utf16()
            .collect();
        let layout = vec![4, 12, 2, NO_CLIENT_ID, 1, 4, 12, 2, NO_CLIENT_ID, 1];
        let whole_emoji = Packed {
            text: text.clone(),
            layout: layout.clone(),
        };
        whole_emoji.check().unwrap();
        whole_emoji.check_unicode(5.0).unwrap();
        // The second message's text becomes half an emoji and "y".
        let last = text.len() - 2;
        text[last] = 0xD83D;
        let half = Packed { text, layout };
        half.check().unwrap();
        let e = half.check_unicode(5.0).unwrap_err().reason;
        assert!(e.contains("message 6 `text` is not valid Unicode"), "{e}");
    }

    #[test]
    fn pushed_messages_decode_and_a_bad_layout_is_refused() {
        let text: Vec<u16> = "Acme+34600000000hé😀cid".encode_utf16().collect();
        let packed = Packed {
            text: text.clone(),
            layout: vec![4, 12, 4, 3, 1],
        };
        packed.check().unwrap();
        assert_eq!(packed.len(), 1);
        let sms = packed.into_requests();
        assert_eq!(
            (
                sms[0].from.as_str(),
                sms[0].to.as_str(),
                sms[0].text.as_str()
            ),
            ("Acme", "+34600000000", "hé😀")
        );
        assert_eq!(sms[0].client_id.as_deref(), Some("cid"));
        assert!(sms[0].allow_unicode);
        let short = Packed {
            text,
            layout: vec![4, 12, 4, NO_CLIENT_ID, 0],
        };
        assert!(short.check().is_err());
    }
}
