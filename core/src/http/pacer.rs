//! Client-side pacing from `X-RateLimit-*`: a campaign that knows its window waits for the reset
//! instead of running into 429. Limits are per endpoint (docs: transactional-api/http/rate-limits),
//! so the state is kept per endpoint.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::ratelimit::RateLimit;

#[derive(Debug, Default)]
struct Window {
    /// A response has told us this endpoint's window.
    known: bool,
    /// The endpoint answers without `X-RateLimit-*`: nothing to pace by.
    unpaced: bool,
    /// The first request is in flight and nothing is known yet: the others wait for its headers.
    probing: bool,
    limit: u64,
    /// Requests we may still start in the current window: the server's count minus what we have
    /// started since.
    remaining: u64,
    /// End of the current window (Unix seconds), `None` once it has passed and the server has not
    /// yet told us when the next one ends.
    reset: Option<u64>,
    /// The newest reset a response reported, to tell late answers of an old window apart.
    last_reported_reset: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Pacer {
    windows: Mutex<HashMap<&'static str, Window>>,
    latest: Mutex<Option<RateLimit>>,
}

fn now_secs_f64() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Margin after the advertised reset second, so that our clock and the server's agree that the
/// window has turned.
const RESET_MARGIN: f64 = 0.05;
/// How often a request waiting on an unknown window looks again.
const POLL: Duration = Duration::from_millis(5);

impl Pacer {
    /// `None`: start the request now (a slot is reserved). `Some(d)`: wait `d`, then ask again.
    pub(crate) fn reserve(&self, endpoint: &'static str) -> Option<Duration> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let w = windows.entry(endpoint).or_default();
        if w.unpaced {
            return None;
        }
        if !w.known {
            if w.probing {
                return Some(POLL);
            }
            w.probing = true;
            return None;
        }
        let now = now_secs_f64();
        if let Some(reset) = w.reset {
            if now >= reset as f64 + RESET_MARGIN {
                w.remaining = w.limit;
                w.reset = None;
            }
        }
        if w.remaining > 0 {
            w.remaining -= 1;
            return None;
        }
        match w.reset {
            Some(reset) => Some(Duration::from_secs_f64(
                (reset as f64 + RESET_MARGIN - now).max(0.001),
            )),
            None => Some(POLL),
        }
    }

    /// Records what a response said about the window (`None`: it sent no rate-limit headers).
    pub(crate) fn observe(&self, endpoint: &'static str, rl: Option<RateLimit>) {
        if let Some(rl) = rl {
            *self.latest.lock().unwrap_or_else(|e| e.into_inner()) = Some(rl);
        }
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let w = windows.entry(endpoint).or_default();
        w.probing = false;
        let Some(rl) = rl else {
            if !w.known {
                w.unpaced = true;
            }
            return;
        };
        w.unpaced = false;
        if !w.known {
            *w = Window {
                known: true,
                limit: rl.limit,
                remaining: rl.remaining,
                reset: Some(rl.reset),
                last_reported_reset: rl.reset,
                ..Window::default()
            };
        } else if rl.reset > w.last_reported_reset {
            w.limit = rl.limit;
            w.remaining = if w.reset.is_none() {
                w.remaining.min(rl.remaining)
            } else {
                rl.remaining
            };
            w.reset = Some(rl.reset);
            w.last_reported_reset = rl.reset;
        } else if Some(rl.reset) == w.reset {
            w.remaining = w.remaining.min(rl.remaining);
        }
    }

    /// A request ended without a response (transport error): let the next one probe.
    pub(crate) fn abandon(&self, endpoint: &'static str) {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(w) = windows.get_mut(endpoint) {
            w.probing = false;
        }
    }

    pub(crate) fn latest(&self) -> Option<RateLimit> {
        *self.latest.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_request_probes_alone() {
        let p = Pacer::default();
        assert_eq!(p.reserve("POST /sms"), None);
        assert_eq!(
            p.reserve("POST /sms"),
            Some(POLL),
            "others wait for the probe's headers"
        );
        p.observe("POST /sms", None);
        assert_eq!(
            p.reserve("POST /sms"),
            None,
            "no headers: nothing to pace by"
        );
        assert_eq!(p.reserve("POST /sms"), None);
    }

    #[test]
    fn exhausted_window_waits_until_reset() {
        let p = Pacer::default();
        let reset = now_secs_f64() as u64 + 5;
        assert_eq!(p.reserve("POST /sms/bulk"), None);
        p.observe(
            "POST /sms/bulk",
            Some(RateLimit {
                limit: 10,
                remaining: 2,
                reset,
            }),
        );
        assert_eq!(p.reserve("POST /sms/bulk"), None);
        assert_eq!(p.reserve("POST /sms/bulk"), None);
        let wait = p
            .reserve("POST /sms/bulk")
            .expect("third request must wait");
        assert!(wait > Duration::from_secs(3) && wait <= Duration::from_secs(6));
        // Other endpoints have windows of their own.
        assert_eq!(p.reserve("GET /sms"), None);
        // A late answer from the same window cannot give slots back.
        p.observe(
            "POST /sms/bulk",
            Some(RateLimit {
                limit: 10,
                remaining: 5,
                reset,
            }),
        );
        assert!(p.reserve("POST /sms/bulk").is_some());
    }
}
