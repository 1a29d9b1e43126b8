//! The record of every accepted message: ids, `clientId` uniqueness, the balance they are
//! charged to, and the latest DLR status of each.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::sync::Arc;

use instasent::encoding::{self, AnalyzeOptions};
use instasent::validate::{self, CLIENT_ID_ALREADY_USED};
use instasent::{FieldErrors, SmsRequest};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::countries::{self, micros_to_eur, NO_ROUTE};
use crate::outcomes;

/// A message as the ledger holds it (`Sandbox::messages`, `GET /_sandbox/messages`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerMessage {
    pub id: String,
    pub client_id: Option<String>,
    pub from: String,
    pub to: String,
    pub text: String,
    /// `"GSM-7"` or `"UCS-2"`.
    pub encoding: String,
    pub segments: u32,
    /// EUR charged: segments × the destination's price.
    pub price: f64,
    /// Latest status: `enqueued` until the first DLR, then the latest DLR status.
    pub status: String,
    /// Code of the latest DLR (0 before any).
    pub code: i64,
    pub created_at: String,
}

/// A validated, priced message that is not committed yet. Cheap to clone: the ledger keeps a
/// copy while the response is written from the request's own.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub sms: Arc<SmsRequest>,
    pub encoding: &'static str,
    pub segments: u32,
    pub price_micros: u64,
    pub country: &'static str,
    pub outcome: u8,
}

/// Validates one item of `POST /sms` / `POST /sms/bulk` with the documented rules, then routes
/// and prices it.
pub fn prepare(item: &Value) -> Result<Prepared, FieldErrors> {
    let sms = validate::validate_sms_value(item)?;
    prepare_request(sms)
}

pub fn prepare_request(sms: SmsRequest) -> Result<Prepared, FieldErrors> {
    let Some(country) = countries::route(&sms.to) else {
        let mut errors = FieldErrors::new();
        errors.insert("to".into(), vec![NO_ROUTE.into()]);
        return Err(errors);
    };
    let analysis = encoding::analyze(&sms.text, &AnalyzeOptions::default());
    let segments = analysis.segments as u32;
    Ok(Prepared {
        encoding: analysis.encoding.as_str(),
        segments,
        price_micros: segments as u64 * country.sms_micros,
        country: country.code,
        outcome: outcomes::outcome_of(&sms.to),
        sms: Arc::new(sms),
    })
}

fn client_id_of(item: &Result<Prepared, FieldErrors>) -> Option<&str> {
    item.as_ref().ok()?.sms.client_id.as_deref()
}

/// Items whose clientId an earlier item of the same batch carries: hashes sorted with their
/// positions, so equal ids sit side by side (a bulk of 100 distinct ids costs one small sort,
/// not 4,950 comparisons).
fn repeated_in_batch(
    items: &[Result<Prepared, FieldErrors>],
    hashes: &[Option<u64>],
) -> Vec<usize> {
    let mut by_hash: Vec<(u64, usize)> = hashes
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some(((*h)?, i)))
        .collect();
    by_hash.sort_unstable();
    let mut repeated = Vec::new();
    for run in by_hash
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
    {
        // Within a run positions ascend: an item repeats one before it with the same id.
        for (k, &(_, i)) in run.iter().enumerate() {
            let id = client_id_of(&items[i]);
            if run[..k].iter().any(|&(_, j)| client_id_of(&items[j]) == id) {
                repeated.push(i);
            }
        }
    }
    repeated
}

fn client_id_hash(id: &str) -> u64 {
    let mut h = FxHasher::default();
    id.hash(&mut h);
    h.finish()
}

/// One message in the ledger.
#[derive(Debug, Clone)]
pub struct Stored {
    pub seq: u64,
    pub msg: Prepared,
    pub created_at: Arc<str>,
    pub status: &'static str,
    pub code: i64,
}

/// Returned when the balance cannot pay for what a request would commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsufficientBalance;

pub struct Ledger {
    /// Sequence number of `messages[0]`; ids below it were cleared by a reset.
    base: u64,
    next: u64,
    messages: Vec<Stored>,
    /// Every clientId ever accepted, by a 64-bit hash pointing at a message that carries it: one
    /// lookup per item sent and no second copy of the id (the sandbox listens on loopback only,
    /// so a fast hash without DoS resistance is fine).
    client_ids: FxHashMap<u64, u64>,
    /// The rare ids whose hash an earlier, different id already took.
    colliding_client_ids: FxHashSet<String>,
    pub balance_micros: u64,
    initial_micros: u64,
}

impl std::fmt::Debug for Ledger {
    // A ledger can hold millions of messages: a summary, not the contents.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("messages", &self.messages.len())
            .field("balance_micros", &self.balance_micros)
            .finish_non_exhaustive()
    }
}

impl Ledger {
    pub fn new(balance_micros: u64) -> Self {
        Ledger {
            base: 1,
            next: 1,
            messages: Vec::new(),
            client_ids: FxHashMap::default(),
            colliding_client_ids: FxHashSet::default(),
            balance_micros,
            initial_micros: balance_micros,
        }
    }

    /// Empties the ledger and restores the starting balance; ids are never reused.
    pub fn reset(&mut self) {
        self.base = self.next;
        self.messages = Vec::new();
        self.client_ids = FxHashMap::default();
        self.colliding_client_ids = FxHashSet::default();
        self.balance_micros = self.initial_micros;
    }

    /// Charges `micros` if the balance covers it.
    pub fn charge(&mut self, micros: u64) -> Result<(), InsufficientBalance> {
        if micros > self.balance_micros {
            return Err(InsufficientBalance);
        }
        self.balance_micros -= micros;
        Ok(())
    }

    /// Commits every `Ok` item, or nothing when the balance cannot pay for all of them.
    /// Items whose `clientId` an accepted message (earlier, or earlier in this batch) already
    /// carries become rejections. Returns the sequence number of each committed item, in order.
    pub fn commit(
        &mut self,
        items: &mut [Result<Prepared, FieldErrors>],
        created_at: &Arc<str>,
    ) -> Result<Vec<u64>, InsufficientBalance> {
        let hashes: Vec<Option<u64>> = items
            .iter()
            .map(|item| Some(client_id_hash(client_id_of(item)?)))
            .collect();
        let mut duplicates = repeated_in_batch(items, &hashes);
        let mut total = 0u64;
        for (i, item) in items.iter().enumerate() {
            let Ok(p) = item else { continue };
            if duplicates.contains(&i) {
                continue;
            }
            if let (Some(id), Some(hash)) = (p.sms.client_id.as_deref(), hashes[i]) {
                if self.has_client_id(id, hash) {
                    duplicates.push(i);
                    continue;
                }
            }
            total += p.price_micros;
        }
        for &i in &duplicates {
            let mut errors = FieldErrors::new();
            errors.insert("clientId".into(), vec![CLIENT_ID_ALREADY_USED.into()]);
            items[i] = Err(errors);
        }
        self.charge(total)?;
        let mut seqs = Vec::with_capacity(items.len());
        for (item, hash) in items.iter().zip(hashes) {
            let Ok(p) = item else { continue };
            let seq = self.push(p.clone(), created_at.clone());
            if let (Some(id), Some(hash)) = (p.sms.client_id.as_deref(), hash) {
                if let Some(&holder) = self.client_ids.get(&hash) {
                    if holder != seq {
                        self.colliding_client_ids.insert(id.to_owned());
                    }
                } else {
                    self.client_ids.insert(hash, seq);
                }
            }
            seqs.push(seq);
        }
        Ok(seqs)
    }

    fn has_client_id(&self, id: &str, hash: u64) -> bool {
        match self.client_ids.get(&hash) {
            None => false,
            Some(&seq) => {
                self.get(seq).and_then(|s| s.msg.sms.client_id.as_deref()) == Some(id)
                    || self.colliding_client_ids.contains(id)
            }
        }
    }

    fn push(&mut self, msg: Prepared, created_at: Arc<str>) -> u64 {
        let seq = self.next;
        self.next += 1;
        self.messages.push(Stored {
            seq,
            msg,
            created_at,
            status: "enqueued",
            code: 0,
        });
        seq
    }

    pub fn get(&self, seq: u64) -> Option<&Stored> {
        let index = seq.checked_sub(self.base)?;
        self.messages.get(usize::try_from(index).ok()?)
    }

    pub fn get_mut(&mut self, seq: u64) -> Option<&mut Stored> {
        let index = seq.checked_sub(self.base)?;
        self.messages.get_mut(usize::try_from(index).ok()?)
    }

    pub fn all(&self) -> &[Stored] {
        &self.messages
    }
}

/// Message ids: 24 hex digits, a per-sandbox tag then the sequence number, so that an id maps
/// back to its ledger slot without an index.
#[derive(Debug, Clone, Copy)]
pub struct IdScheme {
    pub tag: u32,
}

impl IdScheme {
    pub fn format(&self, seq: u64) -> String {
        self.id(seq).to_string()
    }

    /// The id of `seq`, serialised straight into a response (no `String` per entity).
    pub fn id(&self, seq: u64) -> MessageId {
        MessageId { tag: self.tag, seq }
    }

    pub fn parse(&self, id: &str) -> Option<u64> {
        if id.len() != 24 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let tag = u32::from_str_radix(&id[..8], 16).ok()?;
        (tag == self.tag).then(|| u64::from_str_radix(&id[8..], 16).ok())?
    }
}

#[derive(Debug, Clone, Copy)]
pub struct MessageId {
    tag: u32,
    seq: u64,
}

impl std::fmt::Display for MessageId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:08x}{:016x}", self.tag, self.seq)
    }
}

impl Serialize for MessageId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Stored {
    pub fn to_ledger_message(&self, ids: IdScheme) -> LedgerMessage {
        LedgerMessage {
            id: ids.format(self.seq),
            client_id: self.msg.sms.client_id.clone(),
            from: self.msg.sms.from.clone(),
            to: self.msg.sms.to.clone(),
            text: self.msg.sms.text.clone(),
            encoding: self.msg.encoding.to_string(),
            segments: self.msg.segments,
            price: micros_to_eur(self.msg.price_micros),
            status: self.status.to_string(),
            code: self.code,
            created_at: self.created_at.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(to: &str, client_id: Option<&str>) -> Result<Prepared, FieldErrors> {
        let mut v = json!({"from": "Acme", "to": to, "text": "Hi"});
        if let Some(c) = client_id {
            v["clientId"] = json!(c);
        }
        prepare(&v)
    }

    #[test]
    fn duplicates_in_ledger_and_batch_are_rejected() {
        let mut ledger = Ledger::new(1_000_000);
        let at: Arc<str> = "t".into();
        let mut first = vec![item("+34600000000", Some("a"))];
        assert_eq!(ledger.commit(&mut first, &at).unwrap().len(), 1);
        let mut batch = vec![
            item("+34600000000", Some("a")),
            item("+34600000000", Some("b")),
            item("+34600000000", Some("b")),
        ];
        let seqs = ledger.commit(&mut batch, &at).unwrap();
        assert_eq!(seqs, vec![2]);
        assert!(batch[0].as_ref().unwrap_err().contains_key("clientId"));
        assert!(batch[1].is_ok());
        assert!(batch[2].as_ref().unwrap_err().contains_key("clientId"));
    }

    #[test]
    fn a_hash_collision_neither_rejects_a_new_id_nor_accepts_a_used_one_twice() {
        let mut ledger = Ledger::new(1_000_000);
        let at: Arc<str> = "t".into();
        let seq_a = ledger
            .commit(&mut [item("+34600000000", Some("a"))], &at)
            .unwrap()[0];
        // Pretend "b" hashes like "a": its slot points at a message carrying "a".
        ledger.client_ids.insert(client_id_hash("b"), seq_a);
        let mut b = vec![item("+34600000000", Some("b"))];
        assert_eq!(ledger.commit(&mut b, &at).unwrap().len(), 1, "b is new");
        let mut again = vec![
            item("+34600000000", Some("b")),
            item("+34600000000", Some("a")),
        ];
        assert!(ledger.commit(&mut again, &at).unwrap().is_empty());
        assert!(again
            .iter()
            .all(|r| r.as_ref().unwrap_err().contains_key("clientId")));
        ledger.reset();
        let mut after_reset = vec![item("+34600000000", Some("b"))];
        assert_eq!(ledger.commit(&mut after_reset, &at).unwrap().len(), 1);
    }

    #[test]
    fn nothing_is_committed_when_the_balance_falls_short() {
        let mut ledger = Ledger::new(100_000);
        let at: Arc<str> = "t".into();
        let mut batch = vec![item("+34600000000", None), item("+34600000000", None)];
        assert!(ledger.commit(&mut batch, &at).is_ok());
        assert_eq!(ledger.balance_micros, 10_000);
        let mut more = vec![item("+34600000000", None)];
        assert_eq!(ledger.commit(&mut more, &at), Err(InsufficientBalance));
        assert_eq!(ledger.all().len(), 2);
    }

    #[test]
    fn ids_map_back_to_sequence_numbers() {
        let ids = IdScheme { tag: 0xdead_beef };
        let id = ids.format(42);
        assert_eq!(id.len(), 24);
        assert_eq!(ids.parse(&id), Some(42));
        assert_eq!(IdScheme { tag: 1 }.parse(&id), None);
        assert_eq!(ids.parse("nope"), None);
    }

    #[test]
    fn unroutable_numbers_are_refused_on_to() {
        let errors = item("+99912345678", None).unwrap_err();
        assert_eq!(errors["to"], vec![NO_ROUTE.to_string()]);
    }
}
