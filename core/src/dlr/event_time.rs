//! Event timestamps of every DLR source, normalised to RFC 3339 UTC plus unix seconds.

use std::borrow::Cow;

use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::Error;

/// A normalised event time: `2026-04-21T10:15:00Z` (fractional seconds only when non-zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EventTime {
    pub rfc3339: String,
    pub unix: i64,
}

impl EventTime {
    fn from_datetime(at: OffsetDateTime, what: &str) -> Result<EventTime, Error> {
        let utc = at.to_offset(UtcOffset::UTC);
        let rfc3339 = utc
            .format(&Rfc3339)
            .map_err(|_| Error::decode(format!("{what} is outside the years 0000–9999")))?;
        Ok(EventTime {
            rfc3339,
            unix: utc.unix_timestamp(),
        })
    }

    /// An ISO-8601 timestamp with an offset (the webhook `eventAt`). RFC 3339 is tried first;
    /// a space instead of `T` and the other ISO-8601 forms (`+0200`, basic format) are accepted
    /// too. A timestamp without an offset is rejected: its instant would be a guess.
    pub fn parse_iso8601(text: &str, what: &str) -> Result<EventTime, Error> {
        let bad = || {
            Error::decode(format!(
                "{what} `{}` is not an ISO-8601 timestamp with an offset (e.g. 2026-04-21T10:15:00Z)",
                truncate(text)
            ))
        };
        let trimmed = text.trim();
        let with_t: Cow<str> = match trimmed.as_bytes().get(10) {
            Some(b' ') if trimmed.is_char_boundary(10) && trimmed.is_char_boundary(11) => {
                format!("{}T{}", &trimmed[..10], &trimmed[11..]).into()
            }
            _ => trimmed.into(),
        };
        let at = OffsetDateTime::parse(&with_t, &Rfc3339)
            .or_else(|_| OffsetDateTime::parse(&with_t, &Iso8601::PARSING))
            .map_err(|_| bad())?;
        EventTime::from_datetime(at, what)
    }

    /// Unix seconds (the Insider `timestamp`).
    pub fn from_unix(seconds: i64, what: &str) -> Result<EventTime, Error> {
        let at = OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| {
            Error::decode(format!("{what} {seconds} is not a representable unix time"))
        })?;
        EventTime::from_datetime(at, what)
    }

    /// An SMPP receipt date: `YYMMDDHHMM` as documented, or `YYMMDDHHMMSS` as many SMSCs send
    /// (SMPP 3.4 appendix B allows both). Years are 2000–2099. The docs give no zone; the
    /// receipt is read as UTC.
    pub fn parse_smpp(text: &str, what: &str) -> Result<EventTime, Error> {
        let bad = |why: &str| {
            Error::decode(format!(
                "SMPP receipt: `{what}` {} is not YYMMDDHHMM or YYMMDDHHMMSS ({why})",
                truncate(text)
            ))
        };
        let bytes = text.as_bytes();
        if !(bytes.len() == 10 || bytes.len() == 12) {
            return Err(bad("wrong length"));
        }
        if !bytes.iter().all(u8::is_ascii_digit) {
            return Err(bad("not all digits"));
        }
        let pair = |i: usize| (bytes[i] - b'0') * 10 + (bytes[i + 1] - b'0');
        let year = 2000 + i32::from(pair(0));
        let month = Month::try_from(pair(2)).map_err(|_| bad("month out of range"))?;
        let date =
            Date::from_calendar_date(year, month, pair(4)).map_err(|_| bad("day out of range"))?;
        let second = if bytes.len() == 12 { pair(10) } else { 0 };
        let time =
            Time::from_hms(pair(6), pair(8), second).map_err(|_| bad("time out of range"))?;
        EventTime::from_datetime(PrimitiveDateTime::new(date, time).assume_utc(), what)
    }
}

/// Input echoed in error messages is cut short so a hostile payload cannot bloat them.
pub(crate) fn truncate(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> String {
        EventTime::parse_iso8601(text, "eventAt").unwrap().rfc3339
    }

    #[test]
    fn the_documented_event_at_is_kept_as_is() {
        let t = EventTime::parse_iso8601("2026-04-21T10:15:00Z", "eventAt").unwrap();
        assert_eq!(t.rfc3339, "2026-04-21T10:15:00Z");
        assert_eq!(t.unix, 1_776_766_500);
    }

    #[test]
    fn offsets_are_normalised_to_utc() {
        assert_eq!(iso("2026-04-21T12:15:00+02:00"), "2026-04-21T10:15:00Z");
        assert_eq!(iso("2026-04-21 12:15:00+02:00"), "2026-04-21T10:15:00Z");
        assert_eq!(iso("2026-04-21T12:15:00+0200"), "2026-04-21T10:15:00Z");
        assert_eq!(iso("2026-04-21T10:15:00.250Z"), "2026-04-21T10:15:00.25Z");
    }

    #[test]
    fn timestamps_without_offset_or_date_are_rejected() {
        for bad in [
            "2026-04-21T10:15:00",
            "yesterday",
            "",
            "2026-13-01T00:00:00Z",
        ] {
            let err = EventTime::parse_iso8601(bad, "eventAt").unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Decode, "{bad}");
        }
    }

    #[test]
    fn smpp_dates_have_ten_or_twelve_digits() {
        let t = EventTime::parse_smpp("1602260345", "done date").unwrap();
        assert_eq!(t.rfc3339, "2016-02-26T03:45:00Z");
        let t = EventTime::parse_smpp("260421101530", "done date").unwrap();
        assert_eq!(t.rfc3339, "2026-04-21T10:15:30Z");
    }

    #[test]
    fn smpp_dates_out_of_range_are_rejected_with_the_field_name() {
        for bad in [
            "2613011200",
            "2602301200",
            "2601012400",
            "2601011260",
            "26010112",
            "26O1011200",
        ] {
            let err = EventTime::parse_smpp(bad, "done date").unwrap_err();
            assert!(err.message().contains("`done date`"), "{}", err.message());
        }
    }

    #[test]
    fn unix_seconds_are_formatted_as_utc() {
        let t = EventTime::from_unix(1_234_567_890, "timestamp").unwrap();
        assert_eq!(t.rfc3339, "2009-02-13T23:31:30Z");
        assert!(EventTime::from_unix(i64::MAX, "timestamp").is_err());
    }

    #[test]
    fn long_input_is_truncated_in_messages() {
        assert_eq!(truncate("short"), "short");
        assert_eq!(truncate(&"é".repeat(100)).chars().count(), 41);
    }
}
