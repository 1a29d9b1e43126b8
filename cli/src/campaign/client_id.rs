//! clientIds for campaign rows, so that re-running an interrupted campaign sends nothing twice:
//! the API refuses a second message with an id it has seen ("This value is already used."),
//! which the core's `CampaignOptions { resume: true }` turns into "accepted by an earlier run".
//!
//! A row without a `clientId` gets one derived from what it sends (sender, destination, text)
//! within the file name and `--run-id`, and from how many identical messages came before it in
//! the file. Not from its row number: deleting a rejected row, or adding rows, must not shift
//! every later row's id and send them again. Not from `allowUnicode` either: re-running with
//! `--unicode` after the summary's hint must send the rows that needed it, not the others again.
//!
//! A row's own `clientId` is used as given; the same one twice in a file is refused, as the
//! second row would otherwise count as "accepted earlier" without ever being sent.

use std::collections::HashMap;

use instasent::SmsRequest;

/// FNV-1a, 128-bit (offset basis and prime from the FNV reference, IETF draft-eastlake-fnv):
/// stable across Rust versions and platforms, unlike `std`'s hashers.
const FNV_OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
const FNV_PRIME: u128 = 0x0000000001000000000000000000013B;

/// Changing what the id is derived from changes every id, and a campaign interrupted before
/// the change would be sent again after it: the version is part of the hash.
const SCHEME: &[u8] = b"instasent-cli/campaign/v2";

struct Fnv(u128);

impl Fnv {
    fn new() -> Self {
        Fnv(FNV_OFFSET)
    }

    /// Each field is length-prefixed so that ("ab", "c") and ("a", "bc") differ.
    fn field(&mut self, bytes: &[u8]) -> &mut Self {
        for b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 ^= *b as u128;
            self.0 = self.0.wrapping_mul(FNV_PRIME);
        }
        self
    }
}

/// What a message sends, as one number: identical messages in a file are told apart by their
/// order among themselves.
fn content(sms: &SmsRequest) -> u128 {
    Fnv::new()
        .field(sms.from.as_bytes())
        .field(sms.to.as_bytes())
        .field(sms.text.as_bytes())
        .0
}

/// `cli-` + 32 hex digits: 36 characters, within the API's 40.
pub fn derive(file_name: &str, run_id: &str, sms: &SmsRequest, occurrence: u64) -> String {
    let id = Fnv::new()
        .field(SCHEME)
        .field(file_name.as_bytes())
        .field(run_id.as_bytes())
        .field(&content(sms).to_le_bytes())
        .field(&occurrence.to_le_bytes())
        .0;
    format!("cli-{id:032x}")
}

/// Gives each row of one file its clientId. Holds a few bytes per distinct message (and per
/// own clientId), not the messages.
pub struct Assigner {
    file_name: String,
    run_id: String,
    seen_content: HashMap<u128, u64>,
    /// Own clientIds by a 128-bit hash → the row that used it first.
    seen_own: HashMap<u128, u64>,
}

impl Assigner {
    pub fn new(file_name: impl Into<String>, run_id: impl Into<String>) -> Self {
        Assigner {
            file_name: file_name.into(),
            run_id: run_id.into(),
            seen_content: HashMap::new(),
            seen_own: HashMap::new(),
        }
    }

    /// The clientId of `row`: `own` when the row gives one, else derived. `Err` when `own`
    /// repeats an earlier row's (the message).
    pub fn assign(
        &mut self,
        row: u64,
        own: Option<&str>,
        sms: &SmsRequest,
    ) -> Result<String, String> {
        if let Some(own) = own {
            let key = Fnv::new().field(own.as_bytes()).0;
            return match self.seen_own.get(&key) {
                Some(first) => Err(format!(
                    "{own:?} is row {}'s clientId too; each message needs its own (the API would \
                     take this one as already sent)",
                    first + 1
                )),
                None => {
                    self.seen_own.insert(key, row);
                    Ok(own.to_string())
                }
            };
        }
        let count = self.seen_content.entry(content(sms)).or_insert(0);
        let occurrence = *count;
        *count += 1;
        Ok(derive(&self.file_name, &self.run_id, sms, occurrence))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms(text: &str) -> SmsRequest {
        SmsRequest::new("Acme", "+34600000000", text)
    }

    #[test]
    fn same_message_same_id_within_40_chars() {
        let a = derive("c.csv", "", &sms("Hola"), 0);
        assert_eq!(a, derive("c.csv", "", &sms("Hola"), 0));
        assert_eq!(a.len(), 36);
        assert!(a.len() <= instasent::validate::MAX_CLIENT_ID_CHARS);
    }

    #[test]
    fn any_difference_in_what_is_sent_or_where_changes_the_id() {
        let base = derive("c.csv", "", &sms("Hola"), 0);
        assert_ne!(base, derive("d.csv", "", &sms("Hola"), 0));
        assert_ne!(base, derive("c.csv", "2", &sms("Hola"), 0));
        assert_ne!(base, derive("c.csv", "", &sms("Hola"), 1));
        assert_ne!(base, derive("c.csv", "", &sms("Hola!"), 0));
        assert_ne!(
            base,
            derive(
                "c.csv",
                "",
                &SmsRequest::new("Acme", "+34600000001", "Hola"),
                0
            )
        );
        assert_ne!(
            base,
            derive(
                "c.csv",
                "",
                &SmsRequest::new("Other", "+34600000000", "Hola"),
                0
            )
        );
    }

    #[test]
    fn allow_unicode_does_not_change_the_id() {
        // A re-run with --unicode must not send the rows that went out without it again.
        assert_eq!(
            derive("c.csv", "", &sms("Hola"), 0),
            derive("c.csv", "", &sms("Hola").allow_unicode(true), 0)
        );
    }

    #[test]
    fn rows_keep_their_ids_when_other_rows_come_and_go() {
        let (a, b, c) = (sms("A"), sms("B"), sms("C"));
        let mut first = Assigner::new("c.csv", "");
        let ids: Vec<_> = [&a, &b, &c]
            .iter()
            .enumerate()
            .map(|(row, m)| first.assign(row as u64, None, m).unwrap())
            .collect();
        // Row A deleted (say it was rejected), a new row added at the top.
        let mut second = Assigner::new("c.csv", "");
        let again: Vec<_> = [&sms("new"), &b, &c]
            .iter()
            .enumerate()
            .map(|(row, m)| second.assign(row as u64, None, m).unwrap())
            .collect();
        assert_eq!(ids[1..], again[1..]);
        assert_ne!(again[0], ids[0]);
    }

    #[test]
    fn identical_messages_get_one_id_each_in_file_order() {
        let mut assigner = Assigner::new("c.csv", "");
        let first = assigner.assign(0, None, &sms("Hola")).unwrap();
        let second = assigner.assign(1, None, &sms("Hola")).unwrap();
        assert_ne!(first, second);
        assert_eq!(first, derive("c.csv", "", &sms("Hola"), 0));
        assert_eq!(second, derive("c.csv", "", &sms("Hola"), 1));
    }

    #[test]
    fn an_own_client_id_twice_in_a_file_is_refused() {
        let mut assigner = Assigner::new("c.csv", "");
        assert_eq!(
            assigner.assign(0, Some("dup-1"), &sms("a")).unwrap(),
            "dup-1"
        );
        assert_eq!(
            assigner.assign(1, Some("other"), &sms("b")).unwrap(),
            "other"
        );
        let e = assigner.assign(2, Some("dup-1"), &sms("c")).unwrap_err();
        assert!(e.contains("row 1's clientId"), "{e}");
    }

    #[test]
    fn the_id_is_pinned_across_versions() {
        // A changed hash would make a re-run after an upgrade send everything again.
        let sms = SmsRequest::new("Acme", "+34600000301", "Hola");
        assert_eq!(
            derive("campaign.csv", "", &sms, 0),
            "cli-a74366244a882d3e86a05213e2a1d72b"
        );
    }
}
