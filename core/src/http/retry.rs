//! When and how long to wait before trying a request again (docs: transactional-api/http/errors,
//! "Retry 429 and 5xx with exponential backoff, starting at 1 s and capping at a minute or so").

use std::time::Duration;

/// Bounds on retrying one request. A send is only ever retried with the same `clientId`, so the
/// API rejects a second copy instead of delivering it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (1 = never retry).
    pub max_attempts: u32,
    /// Backoff before the first retry; doubles each time, and each wait is drawn between half
    /// and all of it (jitter).
    pub initial_backoff: Duration,
    /// Upper bound of one backoff.
    pub max_backoff: Duration,
    /// No retry starts after this much time since the first attempt.
    pub max_elapsed: Duration,
    /// Longest wait for a rate-limit window to reset before giving up with `RateLimited`.
    pub max_rate_limit_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            max_elapsed: Duration::from_secs(180),
            max_rate_limit_wait: Duration::from_secs(65),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Backoff before attempt `attempt + 1` (attempt counts from 1): exponential, capped, and
    /// drawn between half and all of it, so that many clients failing together do not retry
    /// together.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1).min(20))
                .unwrap_or(u32::MAX),
        );
        let cap = exp.min(self.max_backoff);
        let half = cap / 2;
        half + cap.mul_f64(fastrand::f64() * 0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let first = p.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = p.backoff(3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            assert!(p.backoff(30) <= Duration::from_secs(1));
        }
    }
}
