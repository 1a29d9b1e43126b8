//! Campaigns of any size through the core's bulk engine (batches of ≤ 100, bounded
//! concurrency, local validation, per-input results).

use std::ffi::c_char;

use instasent::{CampaignOptions, SmsRequest};

use crate::abi::{arg_ref, arg_str_unbounded, guard_string};
use crate::client::instasent_client;
use crate::error::{instasent_code, instasent_error, Failure};

/// Reads the campaign input: a JSON array, or JSON Lines (one message object per line; blank
/// lines skipped).
fn messages(input: &str) -> Result<Vec<SmsRequest>, Failure> {
    let bad = |what: String| {
        Failure::from(instasent::Error::invalid_argument(format!(
            "{what}: expected {{\"from\",\"to\",\"text\",\"clientId\"?,\"allowUnicode\"?}}"
        )))
    };
    if input.trim_start().starts_with('[') {
        return serde_json::from_str(input).map_err(|e| bad(format!("JSON array: {e}")));
    }
    input
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line).map_err(|e| bad(format!("line {}: {e}", n + 1)))
        })
        .collect()
}

/// Sends a campaign of any number of messages: `input` is a JSON array or JSON Lines of
/// `{"from","to","text","clientId"?,"allowUnicode"?}` (not size-limited). Messages are checked
/// against the documented rules first (bad ones never leave the machine), then sent in bulk
/// requests of ≤ 100 with the client's concurrency.
///
/// `*results_json` (free with `instasent_string_free`):
/// `{"results":[{"index":0,"outcome":"accepted","id":"...","clientId":"...","acceptedEarlier":false},
///  {"index":1,"outcome":"rejected","clientId":null,"stage":"local","fields":{"to":["..."]}},
///  {"index":2,"outcome":"failed","clientId":"...","kind":"PAYMENT_REQUIRED","message":"..."}],
///  "progress":{"read":3,"accepted":1,"rejected":1,"failed":1,"requests":1,"elapsedSecs":0.01}}`
/// with one result per input, in input order. Malformed input is INSTASENT_INVALID_ARGUMENT and
/// sends nothing.
#[no_mangle]
pub unsafe extern "C" fn instasent_campaign_json(
    client: *const instasent_client,
    input: *const c_char,
    results_json: *mut *mut c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_string(results_json, err, || {
        let client = unsafe { arg_ref(client, "client") }?;
        let messages = messages(unsafe { arg_str_unbounded(input, "input") }?)?;
        let report = client
            .inner
            .run_campaign(messages, CampaignOptions::default())?;
        let json = serde_json::json!({ "results": report.results, "progress": report.progress });
        Ok(json.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_arrays_and_json_lines_alike() {
        let one = r#"{"from":"Acme","to":"+34600000000","text":"hi"}"#;
        let lines = format!("{one}\n\n{one}\n");
        assert_eq!(messages(&lines).unwrap().len(), 2);
        assert_eq!(messages(&format!("[{one},{one},{one}]")).unwrap().len(), 3);
        match messages("{\"from\":1}\n") {
            Err(Failure::Core(e)) => assert!(e.message().contains("line 1")),
            other => panic!("{other:?}"),
        }
    }
}
