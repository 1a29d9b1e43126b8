//! HLR lookups and verifications: low-volume records kept in creation order with an id index.

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;

/// `POST /lookup` entity.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupEntity {
    pub id: String,
    pub to: String,
    pub status: &'static str,
    pub country: &'static str,
    pub network: Option<&'static str>,
    pub mcc: Option<&'static str>,
    pub mnc: Option<&'static str>,
    pub ported: bool,
    pub price: f64,
    pub created_at: String,
}

/// `POST /verify` entity (legacy shape, as the PHP SDK reads it: `entity.status`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyEntity {
    pub id: String,
    /// `pending`, `verified`, `failed` (after [`MAX_VERIFY_ATTEMPTS`] wrong codes) or `expired`.
    pub status: &'static str,
    pub to: String,
    pub client_id: Option<String>,
    pub token_length: u32,
    pub timeout: u64,
    pub expires_at: String,
    pub attempts: u32,
    /// Id of the SMS that carried the code.
    pub sms_id: String,
    pub created_at: String,
}

/// Wrong codes after which a verification fails.
pub const MAX_VERIFY_ATTEMPTS: u32 = 5;

pub struct VerifyRecord {
    pub entity: VerifyEntity,
    pub code: String,
    pub expires: Instant,
}

#[derive(Default)]
pub struct Registry {
    lookups: Vec<LookupEntity>,
    lookup_index: HashMap<String, usize>,
    verifies: Vec<VerifyRecord>,
    verify_index: HashMap<String, usize>,
}

impl Registry {
    pub fn add_lookup(&mut self, lookup: LookupEntity) {
        self.lookup_index
            .insert(lookup.id.clone(), self.lookups.len());
        self.lookups.push(lookup);
    }

    pub fn lookup(&self, id: &str) -> Option<&LookupEntity> {
        self.lookup_index.get(id).map(|&i| &self.lookups[i])
    }

    pub fn lookups(&self) -> &[LookupEntity] {
        &self.lookups
    }

    pub fn add_verify(&mut self, record: VerifyRecord) {
        self.verify_index
            .insert(record.entity.id.clone(), self.verifies.len());
        self.verifies.push(record);
    }

    pub fn verify_code(&self, id: &str) -> Option<String> {
        self.verify_index
            .get(id)
            .map(|&i| self.verifies[i].code.clone())
    }

    /// Brings every verification's expiry up to date and returns them in creation order.
    pub fn verifies(&mut self, now: Instant) -> Vec<VerifyEntity> {
        self.verifies
            .iter_mut()
            .map(|r| {
                expire(r, now);
                r.entity.clone()
            })
            .collect()
    }

    /// `GET /verify/{id}[?token=CODE]`: a pending verification past its timeout expires; a
    /// correct code verifies it; a wrong one counts an attempt, and the fifth fails it.
    pub fn check_verify(
        &mut self,
        id: &str,
        token: Option<&str>,
        now: Instant,
    ) -> Option<VerifyEntity> {
        let &i = self.verify_index.get(id)?;
        let record = &mut self.verifies[i];
        expire(record, now);
        if let (Some(token), "pending") = (token, record.entity.status) {
            if token == record.code {
                record.entity.status = "verified";
            } else {
                record.entity.attempts += 1;
                if record.entity.attempts >= MAX_VERIFY_ATTEMPTS {
                    record.entity.status = "failed";
                }
            }
        }
        Some(record.entity.clone())
    }

    pub fn clear(&mut self) {
        *self = Registry::default();
    }
}

fn expire(record: &mut VerifyRecord, now: Instant) {
    if record.entity.status == "pending" && now >= record.expires {
        record.entity.status = "expired";
    }
}

/// A fresh 24-hex id for lookups and verifications.
pub fn new_id() -> String {
    format!("{:08x}{:016x}", fastrand::u32(..), fastrand::u64(..))
}

/// A numeric code of `len` digits (leading zeros allowed).
pub fn new_code(len: u32) -> String {
    (0..len)
        .map(|_| char::from(b'0' + fastrand::u8(0..10)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn record(code: &str, expires: Instant) -> VerifyRecord {
        VerifyRecord {
            entity: VerifyEntity {
                id: "v1".into(),
                status: "pending",
                to: "+34600000000".into(),
                client_id: None,
                token_length: 4,
                timeout: 60,
                expires_at: String::new(),
                attempts: 0,
                sms_id: String::new(),
                created_at: String::new(),
            },
            code: code.into(),
            expires,
        }
    }

    #[test]
    fn five_wrong_codes_fail_the_verification() {
        let now = Instant::now();
        let mut r = Registry::default();
        r.add_verify(record("1234", now + Duration::from_secs(60)));
        for attempt in 1..=4 {
            let v = r.check_verify("v1", Some("0000"), now).unwrap();
            assert_eq!((v.status, v.attempts), ("pending", attempt));
        }
        assert_eq!(
            r.check_verify("v1", Some("0000"), now).unwrap().status,
            "failed"
        );
        assert_eq!(
            r.check_verify("v1", Some("1234"), now).unwrap().status,
            "failed"
        );
    }

    #[test]
    fn right_code_verifies_unless_expired() {
        let now = Instant::now();
        let mut r = Registry::default();
        r.add_verify(record("1234", now + Duration::from_secs(1)));
        let late = now + Duration::from_secs(2);
        assert_eq!(
            r.check_verify("v1", Some("1234"), late).unwrap().status,
            "expired"
        );
    }

    #[test]
    fn codes_have_the_requested_length() {
        let code = new_code(7);
        assert_eq!(code.len(), 7);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
    }
}
