//! When and how long to wait before trying a request again (docs: transactional-api/http/errors,
//! "Retry 429 and 5xx with exponential backoff, starting at 1 s and capping at a minute or so").

use std::time::Duration;

/// Bounds on retrying one request. A send is only ever retried with the same `clientId`, so the
/// API rejects a second copy instead of delivering it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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

/// Policies are built from the default with these setters (or by assigning fields):
/// `RetryPolicy::default().max_attempts(3)`. The struct is `non_exhaustive`, so a bound added
/// later breaks no caller.
impl RetryPolicy {
    /// Sets [`max_attempts`](Self::max_attempts) (the first attempt included).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets [`initial_backoff`](Self::initial_backoff).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets [`max_backoff`](Self::max_backoff).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets [`max_elapsed`](Self::max_elapsed).
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Sets [`max_rate_limit_wait`](Self::max_rate_limit_wait).
    pub fn max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
        self
    }

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
    fn each_setter_sets_its_own_bound_and_no_other() {
        let ms = Duration::from_millis;
        let p = RetryPolicy::default()
            .max_attempts(3)
            .initial_backoff(ms(1))
            .max_backoff(ms(2))
            .max_elapsed(ms(3))
            .max_rate_limit_wait(ms(4));
        assert_eq!(
            (
                p.max_attempts,
                p.initial_backoff,
                p.max_backoff,
                p.max_elapsed,
                p.max_rate_limit_wait
            ),
            (3, ms(1), ms(2), ms(3), ms(4))
        );
        let only = RetryPolicy::default().max_elapsed(ms(9));
        assert_eq!(
            only,
            RetryPolicy {
                max_elapsed: ms(9),
                ..RetryPolicy::default()
            }
        );
    }

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
