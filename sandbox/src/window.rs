//! Fixed-window request counting, one window per endpoint, reported in `X-RateLimit-*`
//! (docs: transactional-api/http/rate-limits: limits are "scoped by organization and by
//! endpoint").

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::config::RateLimits;
use crate::endpoint::Endpoint;

/// The window state a response reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowState {
    pub limit: u64,
    pub remaining: u64,
    /// Unix seconds at which the window ends.
    pub reset: u64,
    pub allowed: bool,
}

#[derive(Default)]
struct Counter {
    window: u64,
    used: u64,
}

pub struct Windows {
    limits: RateLimits,
    /// By [`Endpoint::index`].
    counters: [Mutex<Counter>; Endpoint::COUNT],
}

impl Windows {
    pub fn new(limits: RateLimits) -> Self {
        Windows {
            limits,
            counters: std::array::from_fn(|_| Mutex::default()),
        }
    }

    /// `sms` and `bulk` are the limits of `POST /sms` and `POST /sms/bulk`; `other` is the
    /// limit of each other endpoint, every one counted apart, not a budget they share.
    fn limit(&self, endpoint: Endpoint) -> u64 {
        match endpoint {
            Endpoint::SmsCreate => self.limits.sms,
            Endpoint::SmsBulk => self.limits.bulk,
            _ => self.limits.other,
        }
    }

    /// Counts one request to `endpoint` at unix time `now` (seconds). Windows are aligned to
    /// multiples of `window_secs` so every endpoint's resets at the same moment.
    pub fn hit_at(&self, endpoint: Endpoint, now: u64) -> WindowState {
        let len = self.limits.window_secs.max(1);
        let window = now / len;
        let limit = self.limit(endpoint);
        let mut counter = self.counters[endpoint.index()].lock().unwrap();
        if counter.window != window {
            counter.window = window;
            counter.used = 0;
        }
        let allowed = counter.used < limit;
        if allowed {
            counter.used += 1;
        }
        WindowState {
            limit,
            remaining: limit - counter.used.min(limit),
            reset: (window + 1) * len,
            allowed,
        }
    }

    pub fn hit(&self, endpoint: Endpoint) -> WindowState {
        self.hit_at(endpoint, unix_now())
    }

    /// The state without counting, for the answers that count against nothing: a missing or
    /// wrong token, a forced 429, a body that never arrived.
    pub fn peek(&self, endpoint: Endpoint) -> WindowState {
        let len = self.limits.window_secs.max(1);
        let window = unix_now() / len;
        let limit = self.limit(endpoint);
        let counter = self.counters[endpoint.index()].lock().unwrap();
        let used = if counter.window == window {
            counter.used
        } else {
            0
        };
        WindowState {
            limit,
            remaining: limit - used.min(limit),
            reset: (window + 1) * len,
            allowed: true,
        }
    }

    pub fn reset(&self) {
        for c in &self.counters {
            *c.lock().unwrap() = Counter::default();
        }
    }
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows() -> Windows {
        Windows::new(RateLimits {
            window_secs: 60,
            sms: 2,
            bulk: 5,
            other: 1,
        })
    }

    #[test]
    fn limit_then_429_then_new_window() {
        let w = windows();
        let a = w.hit_at(Endpoint::SmsCreate, 120);
        assert!(a.allowed);
        assert_eq!((a.limit, a.remaining, a.reset), (2, 1, 180));
        assert!(w.hit_at(Endpoint::SmsCreate, 121).allowed);
        let refused = w.hit_at(Endpoint::SmsCreate, 122);
        assert!(!refused.allowed);
        assert_eq!(refused.remaining, 0);
        assert!(
            w.hit_at(Endpoint::SmsBulk, 122).allowed,
            "endpoints count apart"
        );
        assert!(w.hit_at(Endpoint::SmsCreate, 180).allowed, "next window");
    }

    #[test]
    fn the_other_limit_applies_to_each_endpoint_apart() {
        let w = windows();
        for endpoint in Endpoint::ALL {
            if matches!(endpoint, Endpoint::SmsCreate | Endpoint::SmsBulk) {
                continue;
            }
            let first = w.hit_at(endpoint, 120);
            assert!(first.allowed && first.limit == 1, "{endpoint:?}");
            assert!(!w.hit_at(endpoint, 121).allowed, "{endpoint:?}");
        }
        assert_eq!(w.peek(Endpoint::SmsCreate).remaining, 2, "untouched");
    }
}
