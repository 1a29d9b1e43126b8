//! Fixed-window request counting per endpoint group, reported in `X-RateLimit-*`
//! (docs: transactional-api/http/rate-limits).

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::config::RateLimits;

/// The endpoint groups limits are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// `POST /sms`.
    Sms,
    /// `POST /sms/bulk` (one bulk call counts as one request).
    Bulk,
    /// Every other API route.
    Other,
}

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
    counters: [Mutex<Counter>; 3],
}

impl Windows {
    pub fn new(limits: RateLimits) -> Self {
        Windows {
            limits,
            counters: Default::default(),
        }
    }

    fn limit(&self, group: Group) -> u64 {
        match group {
            Group::Sms => self.limits.sms,
            Group::Bulk => self.limits.bulk,
            Group::Other => self.limits.other,
        }
    }

    /// Counts one request of `group` at unix time `now` (seconds). Windows are aligned to
    /// multiples of `window_secs` so every group resets at the same moment.
    pub fn hit_at(&self, group: Group, now: u64) -> WindowState {
        let len = self.limits.window_secs.max(1);
        let window = now / len;
        let limit = self.limit(group);
        let mut counter = self.counters[group as usize].lock().unwrap();
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

    pub fn hit(&self, group: Group) -> WindowState {
        self.hit_at(group, unix_now())
    }

    /// The state without counting (for responses that were refused before counting, e.g. forced 429).
    pub fn peek(&self, group: Group) -> WindowState {
        let len = self.limits.window_secs.max(1);
        let window = unix_now() / len;
        let limit = self.limit(group);
        let counter = self.counters[group as usize].lock().unwrap();
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

    #[test]
    fn limit_then_429_then_new_window() {
        let w = Windows::new(RateLimits {
            window_secs: 60,
            sms: 2,
            bulk: 5,
            other: 5,
        });
        let a = w.hit_at(Group::Sms, 120);
        assert!(a.allowed);
        assert_eq!((a.limit, a.remaining, a.reset), (2, 1, 180));
        assert!(w.hit_at(Group::Sms, 121).allowed);
        let refused = w.hit_at(Group::Sms, 122);
        assert!(!refused.allowed);
        assert_eq!(refused.remaining, 0);
        assert!(w.hit_at(Group::Bulk, 122).allowed, "groups count apart");
        assert!(w.hit_at(Group::Sms, 180).allowed, "next window");
    }
}
