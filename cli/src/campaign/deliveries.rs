//! Waiting for the delivery reports of the messages a campaign sent.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::interrupt::Interrupt;
use super::progress::Progress;
use crate::receiver::Inbox;

/// Every awaited message has a final status (or `unknown`, which the docs do not call final
/// but after which nothing more is expected) and no report came for this long.
const SETTLE_QUIET: Duration = Duration::from_millis(1000);
/// `unknown` is not final (docs: status list), yet it is where a message with code 99 ends.
const SETTLED_STATUS: &str = "unknown";
/// How often the wait for delivery reports counts them. A count walks every awaited id under
/// the tracker's lock, which the receiver takes for every report: counting on every report made
/// the wait quadratic (scripts/demo.sh's 4,960 messages took 4.7–6.0 s to settle; 1.2–1.3 s
/// counting at this pace, 1 s of it `SETTLE_QUIET`).
const RECOUNT_EVERY: Duration = Duration::from_millis(50);

/// Waits until every awaited message has settled (see [`SETTLE_QUIET`]), `limit` passes or
/// Ctrl-C. Returns the seconds waited and whether it was cut short.
pub async fn await_deliveries(
    inbox: &Inbox,
    ids: &HashSet<String>,
    limit: Duration,
    progress: &mut Progress,
    interrupt: &Interrupt,
) -> (f64, bool) {
    let started = Instant::now();
    let mut recount = tokio::time::interval(RECOUNT_EVERY);
    recount.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_seen = inbox.received();
    let mut last_change = Instant::now();
    loop {
        let (finals, settled, reported) = {
            let tracker = inbox.tracker();
            let mut counts = (0, 0, 0);
            for r in ids.iter().filter_map(|id| tracker.get(id)) {
                counts.2 += 1;
                if r.is_final {
                    counts.0 += 1;
                }
                if r.is_final || r.status.as_str() == SETTLED_STATUS {
                    counts.1 += 1;
                }
            }
            counts
        };
        progress.deliveries(finals, reported, ids.len());
        let received = inbox.received();
        if received != last_seen {
            last_seen = received;
            last_change = Instant::now();
        }
        if finals == ids.len() || (settled == ids.len() && last_change.elapsed() >= SETTLE_QUIET) {
            return (started.elapsed().as_secs_f64(), false);
        }
        if started.elapsed() >= limit {
            return (started.elapsed().as_secs_f64(), true);
        }
        tokio::select! {
            _ = recount.tick() => {}
            _ = interrupt.wait() => return (started.elapsed().as_secs_f64(), true),
        }
    }
}
