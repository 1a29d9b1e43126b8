//! Any bytes posted to a DLR webhook endpoint: the webhook, Insider and auto-detecting parsers
//! must return a report or a decode error, never panic, and every report must be consistent.
#![no_main]

use instasent::dlr::{self, DeliveryReport};
use libfuzzer_sys::fuzz_target;

fn check(report: &DeliveryReport) {
    assert!(!report.id.is_empty());
    assert_eq!(report.is_final, report.status.is_final());
    assert_eq!(report.event_at.is_some(), report.event_unix.is_some());
    assert!(report.raw.is_object());
}

fuzz_target!(|data: &[u8]| {
    let webhook = dlr::parse_webhook(data);
    if let Ok(report) = &webhook {
        check(report);
        assert_eq!(
            report.code_meaning.as_deref(),
            report.code.and_then(dlr::code_meaning)
        );
    }
    if let Ok(report) = dlr::parse_insider_event(data) {
        check(&report);
    }
    if let Ok(report) = dlr::parse(data) {
        check(&report);
    }
});
