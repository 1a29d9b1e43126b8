//! Timestamps as the API writes them: RFC 3339, UTC, millisecond precision.

use std::time::Duration;

use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

const RFC3339_MILLIS: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

pub fn now_rfc3339() -> String {
    format(OffsetDateTime::now_utc())
}

pub fn rfc3339_in(after: Duration) -> String {
    format(OffsetDateTime::now_utc() + after)
}

fn format(at: OffsetDateTime) -> String {
    at.format(RFC3339_MILLIS)
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_back_as_rfc3339() {
        let s = super::now_rfc3339();
        assert!(s.ends_with('Z'));
        time::OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339).unwrap();
    }
}
