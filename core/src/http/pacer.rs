//! Client-side pacing from `X-RateLimit-*`: a campaign that knows its window waits for the reset
//! instead of running into 429. Limits are per endpoint (docs: transactional-api/http/rate-limits),
//! so the state is kept per endpoint.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::ratelimit::RateLimit;

#[derive(Debug, Default)]
struct Window {
    /// A response has told us this endpoint's window.
    known: bool,
    /// The endpoint answers without `X-RateLimit-*`: nothing to pace by.
    unpaced: bool,
    limit: u64,
    /// Requests we may still start in the current window: the server's count minus what we have
    /// started since.
    remaining: u64,
    /// End of the current window (Unix seconds), `None` once it has passed and the server has not
    /// yet told us when the next one ends.
    reset: Option<u64>,
    /// The newest reset a response reported, to tell late answers of an old window apart.
    last_reported_reset: u64,
    /// The start order of the newest request whose answer set `remaining` for that window.
    last_reported_seq: u64,
    /// Start order of the next request.
    next_seq: u64,
    /// Requests started and not yet answered, by start order. A slow one may be counted in the
    /// window after the one it was started in, so each window's estimate leaves room for them.
    in_flight: BTreeSet<u64>,
}

impl Window {
    /// What the server's `remaining`, sent when it counted request `seq`, leaves for requests
    /// not yet started. The server may not have counted the requests started after `seq`, nor
    /// those started before it and still unanswered: assume it counted none of them.
    fn left_after(&self, seq: u64, server_remaining: u64) -> u64 {
        let started_later = self.next_seq - seq - 1;
        let earlier_unanswered = self.in_flight.range(..seq).count() as u64;
        server_remaining.saturating_sub(started_later + earlier_unanswered)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Pacer {
    windows: Mutex<HashMap<&'static str, Window>>,
    latest: Mutex<Option<RateLimit>>,
}

/// A request started under the pacer. Until it is answered (`Pacer::observe`) it counts as in
/// flight; a request abandoned without an answer, or dropped mid-way, stops counting on drop.
#[derive(Debug)]
pub(crate) struct Slot<'a> {
    pacer: &'a Pacer,
    endpoint: &'static str,
    seq: u64,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut windows = self.pacer.lock_windows();
        if let Some(w) = windows.get_mut(self.endpoint) {
            w.in_flight.remove(&self.seq);
        }
    }
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
pub(crate) const POLL: Duration = Duration::from_millis(5);

impl Pacer {
    fn lock_windows(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, Window>> {
        self.windows.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a request whatever its window says: the caller would rather have the server's 429
    /// than wait.
    pub(crate) fn start_now(&self, endpoint: &'static str) -> Slot<'_> {
        let mut windows = self.lock_windows();
        let w = windows.entry(endpoint).or_default();
        let seq = w.next_seq;
        w.next_seq += 1;
        w.in_flight.insert(seq);
        Slot {
            pacer: self,
            endpoint,
            seq,
        }
    }

    /// `Ok(slot)`: start the request now. `Err(d)`: wait `d`, then ask again.
    pub(crate) fn reserve(&self, endpoint: &'static str) -> Result<Slot<'_>, Duration> {
        let mut windows = self.lock_windows();
        let w = windows.entry(endpoint).or_default();
        let start = |w: &mut Window| {
            let seq = w.next_seq;
            w.next_seq += 1;
            w.in_flight.insert(seq);
            Ok(Slot {
                pacer: self,
                endpoint,
                seq,
            })
        };
        if w.unpaced {
            return start(w);
        }
        if !w.known {
            // The first request probes alone: the others wait for its headers.
            if !w.in_flight.is_empty() {
                return Err(POLL);
            }
            return start(w);
        }
        let now = now_secs_f64();
        if let Some(reset) = w.reset {
            if now >= reset as f64 + RESET_MARGIN {
                // Requests still in flight may be counted in the new window.
                w.remaining = w.limit.saturating_sub(w.in_flight.len() as u64);
                w.reset = None;
            }
        }
        if w.remaining > 0 {
            w.remaining -= 1;
            return start(w);
        }
        match w.reset {
            // Clamped: a reset absurdly far ahead (a broken server's) must not overflow.
            Some(reset) => Err(Duration::from_secs_f64(
                (reset as f64 + RESET_MARGIN - now).clamp(0.001, 86_400.0),
            )),
            // The window has turned with no room we know of, and no request in flight will
            // tell us the new one (a limit of 0, or requests that ended unanswered): probe it,
            // as the first request did, rather than wait for an answer that cannot come.
            None if w.in_flight.is_empty() => start(w),
            None => Err(POLL),
        }
    }

    /// Records what the answer to `slot`'s request said about the window (`None`: it sent no
    /// rate-limit headers).
    pub(crate) fn observe(&self, slot: Slot<'_>, rl: Option<RateLimit>) {
        if let Some(rl) = rl {
            *self.latest.lock().unwrap_or_else(|e| e.into_inner()) = Some(rl);
        }
        // Answered: no longer in flight, and nothing for `Drop` to do (it would take the lock again).
        let slot = std::mem::ManuallyDrop::new(slot);
        let mut windows = self.lock_windows();
        let w = windows.entry(slot.endpoint).or_default();
        w.in_flight.remove(&slot.seq);
        let Some(rl) = rl else {
            if !w.known {
                w.unpaced = true;
            }
            return;
        };
        w.unpaced = false;
        let seq = slot.seq;
        let left = w.left_after(seq, rl.remaining);
        if !w.known {
            w.known = true;
            w.limit = rl.limit;
            w.remaining = left;
            w.reset = Some(rl.reset);
            w.last_reported_reset = rl.reset;
            w.last_reported_seq = seq;
        } else if rl.reset > w.last_reported_reset {
            w.limit = rl.limit;
            w.remaining = if w.reset.is_none() {
                w.remaining.min(left)
            } else {
                left
            };
            w.reset = Some(rl.reset);
            w.last_reported_reset = rl.reset;
            w.last_reported_seq = seq;
        } else if Some(rl.reset) == w.reset && seq > w.last_reported_seq {
            // An answer to an earlier request adds nothing: the later one already left room for
            // it while it was in flight.
            w.remaining = w.remaining.min(left);
            w.last_reported_seq = seq;
        }
    }

    pub(crate) fn latest(&self) -> Option<RateLimit> {
        *self.latest.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BULK: &str = "POST /sms/bulk";

    fn rl(limit: u64, remaining: u64, reset: u64) -> Option<RateLimit> {
        Some(RateLimit {
            limit,
            remaining,
            reset,
        })
    }

    fn now() -> u64 {
        now_secs_f64() as u64
    }

    /// Reserves until the pacer says wait; returns the slots it gave.
    fn drain(p: &Pacer) -> Vec<Slot<'_>> {
        std::iter::from_fn(|| p.reserve(BULK).ok())
            .take(1_000)
            .collect()
    }

    #[test]
    fn first_request_probes_alone() {
        let p = Pacer::default();
        let probe = p.reserve("POST /sms").expect("the probe starts");
        assert_eq!(
            p.reserve("POST /sms").err(),
            Some(POLL),
            "others wait for the probe's headers"
        );
        p.observe(probe, None);
        assert!(
            p.reserve("POST /sms").is_ok(),
            "no headers: nothing to pace by"
        );
        assert!(p.reserve("POST /sms").is_ok());
    }

    #[test]
    fn a_turned_window_with_no_room_and_nothing_in_flight_is_probed_not_waited_on() {
        let p = Pacer::default();
        // A limit of 0, in a window that has already ended by our clock.
        let probe = p.reserve(BULK).unwrap();
        p.observe(probe, rl(0, 0, now() - 2));
        let next = p
            .reserve(BULK)
            .expect("probes the new window instead of waiting for ever");
        assert_eq!(p.reserve(BULK).err(), Some(POLL), "one probe at a time");
        // Its answer names the next window: wait for that one.
        p.observe(next, rl(0, 0, now() + 5));
        assert!(p.reserve(BULK).unwrap_err() > Duration::from_secs(3));

        // Limit 1, whose only request was in flight when the window turned and then ended
        // without an answer (timed out).
        let p = Pacer::default();
        let probe = p.reserve(BULK).unwrap();
        p.observe(probe, rl(1, 1, now() - 2));
        let stalled = p.reserve(BULK).unwrap();
        assert_eq!(p.reserve(BULK).err(), Some(POLL));
        drop(stalled);
        assert!(p.reserve(BULK).is_ok(), "the next request probes");
    }

    #[test]
    fn a_probe_that_gets_no_answer_lets_the_next_request_probe() {
        let p = Pacer::default();
        let probe = p.reserve(BULK).unwrap();
        assert!(p.reserve(BULK).is_err());
        drop(probe);
        assert!(p.reserve(BULK).is_ok());
    }

    #[test]
    fn exhausted_window_waits_until_reset() {
        let p = Pacer::default();
        let reset = now() + 5;
        let probe = p.reserve(BULK).unwrap();
        p.observe(probe, rl(10, 2, reset));
        let started = drain(&p);
        assert_eq!(started.len(), 2);
        let wait = p.reserve(BULK).expect_err("third request must wait");
        assert!(wait > Duration::from_secs(3) && wait <= Duration::from_secs(6));
        // Other endpoints have windows of their own.
        assert!(p.reserve("GET /sms").is_ok());
        // Answers from the same window cannot give slots back.
        for slot in started {
            p.observe(slot, rl(10, 5, reset));
        }
        assert!(p.reserve(BULK).is_err());
    }

    #[test]
    fn an_answer_leaves_room_for_the_requests_the_server_may_not_have_counted() {
        let p = Pacer::default();
        let reset = now() + 5;
        let probe = p.reserve(BULK).unwrap();
        p.observe(probe, rl(10, 9, reset));
        let mut started = drain(&p);
        assert_eq!(started.len(), 9);
        // The first of nine answers says 8 remain: the other eight may not be counted yet.
        let first = started.remove(0);
        p.observe(first, rl(10, 8, reset));
        assert!(p.reserve(BULK).is_err(), "8 - 8 in flight = nothing left");
    }

    #[test]
    fn requests_in_flight_when_the_clock_turns_count_in_the_new_window() {
        let p = Pacer::default();
        let probe = p.reserve(BULK).unwrap();
        // A window that has already ended by our clock, with room left.
        p.observe(probe, rl(4, 3, now() - 2));
        let slow: Vec<_> = (0..3).map(|_| p.reserve(BULK).unwrap()).collect();
        // The reserve that notices the turn finds 4 - 3 in flight = 1 slot.
        let after_turn = drain(&p);
        assert_eq!(after_turn.len(), 1);
        drop(slow);
        drop(after_turn);
    }

    #[test]
    fn an_answer_from_a_new_window_leaves_room_for_requests_started_in_the_old_one() {
        let p = Pacer::default();
        let old_reset = now() + 5;
        let probe = p.reserve(BULK).unwrap();
        p.observe(probe, rl(4, 3, old_reset));
        let mut old = drain(&p);
        assert_eq!(old.len(), 3);
        // One of them was counted in the next window, which reports 3 left; the other two are
        // still in flight and may land there too.
        let first = old.remove(0);
        p.observe(first, rl(4, 3, old_reset + 1));
        assert_eq!(drain(&p).len(), 1);
    }

    #[test]
    fn an_earlier_request_answered_late_changes_nothing() {
        let reset = now() + 5;
        let p = Pacer::default();
        let probe = p.reserve(BULK).unwrap();
        p.observe(probe, rl(10, 9, reset));
        let a = p.reserve(BULK).unwrap();
        let b = p.reserve(BULK).unwrap();
        // b is answered first, leaving room for a (in flight): 8 - 1. Then a: older news, and
        // subtracting b as "started later" would undercount.
        p.observe(b, rl(10, 8, reset));
        p.observe(a, rl(10, 7, reset));
        assert_eq!(
            drain(&p).len(),
            7,
            "a late answer to an earlier request takes nothing away"
        );
    }
}
