//! Any text arriving as an SMPP delivery receipt: the receipt and auto-detecting parsers must
//! return a report or a decode error, never panic, and a report must echo its fields in `raw`.
#![no_main]

use instasent::dlr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(report) = dlr::parse_smpp_receipt(text) {
            assert!(!report.id.is_empty());
            assert_eq!(report.is_final, report.status.is_final());
            assert_eq!(report.raw["id"].as_str(), Some(report.id.as_str()));
            assert_eq!(
                report.raw["stat"].as_str(),
                Some(report.raw_status.as_str())
            );
            assert_eq!(
                report.event_at.is_some(),
                report.raw.get("done date").is_some()
            );
        }
    }
    let _ = dlr::parse(data);
});
