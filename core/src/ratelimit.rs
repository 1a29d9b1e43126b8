//! `X-RateLimit-*` headers (docs: transactional-api/http/rate-limits). Every response carries
//! the window state; we keep the latest per endpoint and pace requests from it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The window state reported by one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed in the current window.
    pub limit: u64,
    /// `X-RateLimit-Remaining`: requests left in the window.
    pub remaining: u64,
    /// `X-RateLimit-Reset`: Unix time (seconds) when the window resets.
    pub reset: u64,
}

/// Name of the `X-RateLimit-Limit` header, lowercase as [`RateLimit::from_headers`] asks for it.
pub const HEADER_LIMIT: &str = "x-ratelimit-limit";
/// Name of the `X-RateLimit-Remaining` header, lowercase.
pub const HEADER_REMAINING: &str = "x-ratelimit-remaining";
/// Name of the `X-RateLimit-Reset` header, lowercase.
pub const HEADER_RESET: &str = "x-ratelimit-reset";

impl RateLimit {
    /// Reads the three headers through `get` (header name → value); `None` unless all three
    /// are present and numeric.
    pub fn from_headers<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<RateLimit> {
        let num = |name: &str| get(name).and_then(|v| v.trim().parse::<u64>().ok());
        Some(RateLimit {
            limit: num(HEADER_LIMIT)?,
            remaining: num(HEADER_REMAINING)?,
            reset: num(HEADER_RESET)?,
        })
    }

    /// Time left until the window resets, `None` if it already has.
    pub fn until_reset(&self) -> Option<Duration> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
        let reset = Duration::from_secs(self.reset);
        reset.checked_sub(now).filter(|d| !d.is_zero())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_headers() {
        let headers = [
            ("x-ratelimit-limit", "1200"),
            ("x-ratelimit-remaining", "1195"),
            ("x-ratelimit-reset", "1893452400"),
        ];
        let get = |name: &str| headers.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        assert_eq!(
            RateLimit::from_headers(get),
            Some(RateLimit {
                limit: 1200,
                remaining: 1195,
                reset: 1893452400
            })
        );
    }

    #[test]
    fn missing_or_garbage_headers_give_none() {
        assert_eq!(RateLimit::from_headers(|_| None), None);
        assert_eq!(RateLimit::from_headers(|_| Some("soon")), None);
    }

    #[test]
    fn reset_in_the_past_has_no_wait() {
        let rl = RateLimit {
            limit: 1,
            remaining: 0,
            reset: 1,
        };
        assert_eq!(rl.until_reset(), None);
    }
}
