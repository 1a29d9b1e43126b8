//! Messages handed over as JSON text, as `instasent_send_bulk_sms` and the campaign calls take
//! them, and how a refusal names the bad one: by the index its result would have had.

use instasent::SmsRequest;
use serde_json::value::RawValue;

use crate::abi::from_json_text;
use crate::error::Failure;

fn refused(what: String) -> Failure {
    Failure::from(instasent::Error::invalid_argument(format!(
        "{what}: expected {{\"from\",\"to\",\"text\",\"clientId\"?,\"allowUnicode\"?}}"
    )))
}

/// A JSON array, or JSON Lines (one message object per line; blank lines skipped). `first` is
/// the campaign-wide index of its first message.
pub(crate) fn messages(input: &str, first: u64) -> Result<Vec<SmsRequest>, Failure> {
    if input.trim_start().starts_with('[') {
        return array(input, first);
    }
    input
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .enumerate()
        .map(|(k, (n, line))| {
            from_json_text(line).map_err(|e| {
                refused(format!(
                    "message {} (line {}): {e}",
                    first + k as u64,
                    n + 1
                ))
            })
        })
        .collect()
}

/// A JSON array of messages, read item by item (borrowed from `input`, not copied) so that a
/// refusal names the item. With `first` > 0 (a later push) it also says which item of `input`.
pub(crate) fn array(input: &str, first: u64) -> Result<Vec<SmsRequest>, Failure> {
    let items: Vec<&RawValue> =
        serde_json::from_str(input).map_err(|e| refused(format!("JSON array: {e}")))?;
    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            from_json_text(item.get()).map_err(|e| {
                let index = first + k as u64;
                let at = match first {
                    0 => String::new(),
                    _ => format!(" (item {k} of the array)"),
                };
                refused(format!("message {index}{at}: {e}"))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"from":"Acme","to":"+34600000000","text":"hi"}"#;
    const BAD: &str = r#"{"from":"Acme","to":34600000000,"text":"hi"}"#;

    fn refusal(read: Result<Vec<SmsRequest>, Failure>) -> String {
        match read {
            Err(Failure::Core(e)) => e.message().to_owned(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_arrays_and_json_lines_alike() {
        assert_eq!(messages(&format!("{ONE}\n\n{ONE}\n"), 0).unwrap().len(), 2);
        assert_eq!(
            messages(&format!("[{ONE},{ONE},{ONE}]"), 0).unwrap().len(),
            3
        );
    }

    #[test]
    fn a_refusal_names_the_message_by_its_campaign_index_and_where_it_sits() {
        // A blank line is not a message: the third line holds message 101.
        let e = refusal(messages(&format!("{ONE}\n\n{BAD}\n"), 100));
        assert!(
            e.contains("message 101 (line 3): to: invalid type: integer"),
            "{e}"
        );
        let e = refusal(messages(&format!("[{ONE},{BAD}]"), 7));
        assert!(
            e.contains("message 8 (item 1 of the array): to: invalid type"),
            "{e}"
        );
        // The first push, or a bulk request: the index is the item.
        let e = refusal(array(&format!("[{ONE},{BAD}]"), 0));
        assert!(e.contains("message 1: to: invalid type"), "{e}");
        let e = refusal(messages("[{}, ", 0));
        assert!(e.contains("JSON array: EOF"), "{e}");
        let e = refusal(array(ONE, 0));
        assert!(
            e.contains("JSON array: invalid type: map, expected a sequence"),
            "{e}"
        );
        let e = refusal(messages(&format!("{ONE} {ONE}\n"), 0));
        assert!(e.contains("message 0 (line 1): trailing characters"), "{e}");
    }
}
