//! Deterministic clientIds, so that re-running an interrupted campaign sends nothing twice: the
//! same file name, run id, row and message always give the same id, and the API refuses a
//! second message with an id it has seen ("This value is already used."), which the core's
//! `CampaignOptions { resume: true }` turns into "accepted by an earlier run".

use instasent::SmsRequest;

/// FNV-1a, 128-bit (offset basis and prime from the FNV reference, IETF draft-eastlake-fnv):
/// stable across Rust versions and platforms, unlike `std`'s hashers.
const FNV_OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
const FNV_PRIME: u128 = 0x0000000001000000000000000000013B;

struct Fnv(u128);

impl Fnv {
    /// Each field is length-prefixed so that ("ab", "c") and ("a", "bc") differ.
    fn field(&mut self, bytes: &[u8]) {
        for b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 ^= *b as u128;
            self.0 = self.0.wrapping_mul(FNV_PRIME);
        }
    }
}

/// `cli-` + 32 hex digits: 36 characters, within the API's 40.
pub fn derive(file_name: &str, run_id: &str, row: u64, sms: &SmsRequest) -> String {
    let mut h = Fnv(FNV_OFFSET);
    h.field(b"instasent-cli/campaign/v1");
    h.field(file_name.as_bytes());
    h.field(run_id.as_bytes());
    h.field(&row.to_le_bytes());
    h.field(sms.from.as_bytes());
    h.field(sms.to.as_bytes());
    h.field(sms.text.as_bytes());
    h.field(&[sms.allow_unicode as u8]);
    format!("cli-{:032x}", h.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms(text: &str) -> SmsRequest {
        SmsRequest::new("Acme", "+34600000000", text)
    }

    #[test]
    fn same_row_same_id_within_40_chars() {
        let a = derive("c.csv", "", 7, &sms("Hola"));
        assert_eq!(a, derive("c.csv", "", 7, &sms("Hola")));
        assert_eq!(a.len(), 36);
        assert!(a.len() <= instasent::validate::MAX_CLIENT_ID_CHARS);
    }

    #[test]
    fn any_difference_changes_the_id() {
        let base = derive("c.csv", "", 7, &sms("Hola"));
        assert_ne!(base, derive("d.csv", "", 7, &sms("Hola")));
        assert_ne!(base, derive("c.csv", "2", 7, &sms("Hola")));
        assert_ne!(base, derive("c.csv", "", 8, &sms("Hola")));
        assert_ne!(base, derive("c.csv", "", 7, &sms("Hola!")));
        assert_ne!(
            base,
            derive("c.csv", "", 7, &sms("Hola").allow_unicode(true))
        );
    }

    #[test]
    fn the_id_is_pinned_across_versions() {
        // A changed hash would make a re-run after an upgrade send everything again.
        let sms = SmsRequest::new("Acme", "+34600000301", "Hola");
        assert_eq!(
            derive("campaign.csv", "", 0, &sms),
            "cli-7c632d967ab6202f7956a91702c633cc"
        );
    }
}
