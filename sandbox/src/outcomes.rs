//! Test numbers: the delivery outcome a destination gets is chosen by its last four digits.
//! This table is the only definition; `sandbox/README.md` documents it.

/// `(last four digits of "to", DLR statuses after "sent" with their codes)`.
/// Every other number: `sent` (0) then `delivered` (0). Codes: docs transactional-api/http/dlrs.
pub const DLR_OUTCOMES: &[(&str, &[(&str, i64)])] = &[
    ("0001", &[("failed", 3)]),                     // Absent permanently
    ("0002", &[("expired", 2)]),                    // Absent temporarily
    ("0003", &[("rejected", 6)]),                   // Antispam reject
    ("0004", &[("failed", 9)]),                     // Illegal number
    ("0005", &[("buffered", 0), ("delivered", 0)]), // buffered by the carrier first
    ("0006", &[("error", 11)]),                     // Unroutable
    ("0007", &[("unknown", 99)]),                   // Unknown error
    ("0008", &[("failed", 4)]),                     // Blocked subscriber
];

/// What follows `sent` for a number that is not in [`DLR_OUTCOMES`].
pub const DEFAULT_OUTCOME: &[(&str, i64)] = &[("delivered", 0)];

/// The first DLR of every accepted message.
pub const SENT: (&str, i64) = ("sent", 0);

/// Index into [`DLR_OUTCOMES`], or `u8::MAX` for the default outcome; kept per message.
pub fn outcome_of(to: &str) -> u8 {
    let tail = to.get(to.len().saturating_sub(4)..).unwrap_or("");
    DLR_OUTCOMES
        .iter()
        .position(|(suffix, _)| *suffix == tail)
        .map_or(u8::MAX, |i| i as u8)
}

/// The DLR steps of an outcome: step 0 is `sent`, step `i` comes `i × dlr_delay` after it.
pub fn step(outcome: u8, index: usize) -> Option<(&'static str, i64)> {
    if index == 0 {
        return Some(SENT);
    }
    let rest = DLR_OUTCOMES
        .get(outcome as usize)
        .map_or(DEFAULT_OUTCOME, |(_, steps)| *steps);
    rest.get(index - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_four_digits_choose_the_outcome() {
        let o = outcome_of("+34600000001");
        assert_eq!(step(o, 0), Some(("sent", 0)));
        assert_eq!(step(o, 1), Some(("failed", 3)));
        assert_eq!(step(o, 2), None);
        let d = outcome_of("+34600001234");
        assert_eq!(step(d, 1), Some(("delivered", 0)));
        let b = outcome_of("+34600000005");
        assert_eq!(step(b, 1), Some(("buffered", 0)));
        assert_eq!(step(b, 2), Some(("delivered", 0)));
    }
}
