//! The latest delivery state per message, as the docs advise: "Persist the latest `status` and
//! `eventAt` per `id` rather than appending every event" (transactional-api/http/dlrs,
//! "Idempotency"). Webhooks are retried and arrive out of order, so each report is judged
//! against the one already held before it replaces it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::report::DeliveryReport;

/// What [`DeliveryTracker::record`] did with a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrackOutcome {
    /// It is now the message's latest state.
    Applied,
    /// Same status at the same time as the one held (a redelivered webhook); nothing changed.
    Duplicate,
    /// Older than the state held, or a regression after a final status; nothing changed.
    Stale,
}

impl TrackOutcome {
    /// The lowercase name (`"applied"`, `"duplicate"`, `"stale"`), as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            TrackOutcome::Applied => "applied",
            TrackOutcome::Duplicate => "duplicate",
            TrackOutcome::Stale => "stale",
        }
    }
}

/// The latest report per message id. Plain data with a `&mut self` API: it is `Send + Sync`,
/// and a binding that shares it between threads wraps it in a `Mutex`.
#[derive(Debug, Clone, Default)]
pub struct DeliveryTracker {
    latest: BTreeMap<String, DeliveryReport>,
}

impl DeliveryTracker {
    /// An empty tracker.
    pub fn new() -> Self {
        DeliveryTracker::default()
    }

    /// Records a report for `report.id` and says whether it became the latest state.
    ///
    /// Rules, in order (times are `event_unix`; an absent time is never older or newer):
    /// 1. the first report for an id is applied;
    /// 2. the same status at the same time (or both without time) is a duplicate;
    /// 3. after a final status, a non-final one is stale, and another final one is applied
    ///    only when strictly newer (a carrier correcting itself), else stale: the first final
    ///    wins ties, so a replayed old final never overwrites a later one;
    /// 4. before a final status, a final one is always applied, even with an equal or older
    ///    time: hops stamp events with different clocks and precisions (SMPP dates have
    ///    minutes), and a final status cannot be superseded by an in-flight one;
    /// 5. otherwise a strictly older report is stale and anything else is applied (arrival
    ///    order decides between different in-flight statuses at the same time).
    pub fn record(&mut self, report: DeliveryReport) -> TrackOutcome {
        let outcome = match self.latest.get(&report.id) {
            None => TrackOutcome::Applied,
            Some(held) => judge(held, &report),
        };
        if outcome == TrackOutcome::Applied {
            self.latest.insert(report.id.clone(), report);
        }
        outcome
    }

    /// The latest report for a message id.
    pub fn get(&self, id: &str) -> Option<&DeliveryReport> {
        self.latest.get(id)
    }

    /// How many messages are tracked.
    pub fn len(&self) -> usize {
        self.latest.len()
    }

    /// Whether no message is tracked.
    pub fn is_empty(&self) -> bool {
        self.latest.is_empty()
    }

    /// How many messages are in each normalised status (`"delivered" → 3`, …).
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for report in self.latest.values() {
            *counts.entry(report.status.as_str().to_owned()).or_insert(0) += 1;
        }
        counts
    }

    /// Messages whose latest status is final, in id order.
    pub fn finals(&self) -> impl Iterator<Item = &DeliveryReport> + '_ {
        self.latest.values().filter(|r| r.is_final)
    }

    /// Messages still in flight, in id order.
    pub fn pending(&self) -> impl Iterator<Item = &DeliveryReport> + '_ {
        self.latest.values().filter(|r| !r.is_final)
    }

    /// Every latest report, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &DeliveryReport> + '_ {
        self.latest.values()
    }

    /// Forgets a message (e.g. once its final state was persisted elsewhere).
    pub fn remove(&mut self, id: &str) -> Option<DeliveryReport> {
        self.latest.remove(id)
    }
}

/// A tracker holding `reports`, each recorded in turn: the latest reports of another tracker
/// (`iter()`, kept across a restart or handed to another process) make a tracker that judges
/// later reports as that one would.
impl FromIterator<DeliveryReport> for DeliveryTracker {
    fn from_iter<I: IntoIterator<Item = DeliveryReport>>(reports: I) -> Self {
        let mut tracker = DeliveryTracker::new();
        for report in reports {
            tracker.record(report);
        }
        tracker
    }
}

fn judge(held: &DeliveryReport, new: &DeliveryReport) -> TrackOutcome {
    let newer = matches!((new.event_unix, held.event_unix), (Some(n), Some(h)) if n > h);
    let older = matches!((new.event_unix, held.event_unix), (Some(n), Some(h)) if n < h);
    if new.status == held.status && new.event_unix == held.event_unix {
        return TrackOutcome::Duplicate;
    }
    match (held.is_final, new.is_final) {
        (true, false) => TrackOutcome::Stale,
        (true, true) if newer => TrackOutcome::Applied,
        (true, true) => TrackOutcome::Stale,
        (false, true) => TrackOutcome::Applied,
        (false, false) if older => TrackOutcome::Stale,
        (false, false) => TrackOutcome::Applied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlr::{parse_webhook_value, DeliveryStatus};
    use serde_json::json;

    fn dlr(id: &str, status: &str, at: Option<&str>) -> DeliveryReport {
        let mut body = json!({"id": id, "status": status});
        if let Some(at) = at {
            body["eventAt"] = json!(at);
        }
        parse_webhook_value(&body).unwrap()
    }

    fn status(t: &DeliveryTracker, id: &str) -> &'static str {
        t.get(id).unwrap().status.as_str()
    }

    #[test]
    fn a_tracker_rebuilt_from_another_s_latest_reports_judges_alike() {
        let mut original = DeliveryTracker::new();
        original.record(dlr("a", "sent", Some("2026-04-21T10:00:00Z")));
        original.record(dlr("a", "delivered", Some("2026-04-21T10:00:05Z")));
        original.record(dlr("b", "buffered", Some("2026-04-21T10:00:01Z")));
        let mut copy: DeliveryTracker = original.iter().cloned().collect();
        assert_eq!(copy.counts(), original.counts());
        for later in [
            dlr("a", "sent", Some("2026-04-21T10:00:09Z")),
            dlr("b", "buffered", Some("2026-04-21T10:00:01Z")),
            dlr("b", "failed", Some("2026-04-21T10:00:00Z")),
        ] {
            assert_eq!(copy.record(later.clone()), original.record(later));
        }
        assert_eq!(
            (status(&copy, "a"), status(&copy, "b")),
            ("delivered", "failed")
        );
    }

    #[test]
    fn the_documented_lifecycle_is_applied_in_order() {
        let mut t = DeliveryTracker::new();
        assert_eq!(
            t.record(dlr("m", "sent", Some("2026-04-21T10:00:00Z"))),
            TrackOutcome::Applied
        );
        assert_eq!(
            t.record(dlr("m", "buffered", Some("2026-04-21T10:00:05Z"))),
            TrackOutcome::Applied
        );
        assert_eq!(
            t.record(dlr("m", "delivered", Some("2026-04-21T10:00:09Z"))),
            TrackOutcome::Applied
        );
        assert_eq!(status(&t, "m"), "delivered");
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn a_redelivered_webhook_is_a_duplicate() {
        let mut t = DeliveryTracker::new();
        t.record(dlr("m", "sent", Some("2026-04-21T10:00:00Z")));
        assert_eq!(
            t.record(dlr("m", "sent", Some("2026-04-21T10:00:00Z"))),
            TrackOutcome::Duplicate
        );
        t.record(dlr("u", "sent", None));
        assert_eq!(t.record(dlr("u", "sent", None)), TrackOutcome::Duplicate);
    }

    #[test]
    fn an_older_in_flight_status_arriving_late_is_stale() {
        let mut t = DeliveryTracker::new();
        t.record(dlr("m", "buffered", Some("2026-04-21T10:00:05Z")));
        assert_eq!(
            t.record(dlr("m", "sent", Some("2026-04-21T10:00:00Z"))),
            TrackOutcome::Stale
        );
        assert_eq!(status(&t, "m"), "buffered");
    }

    #[test]
    fn nothing_in_flight_replaces_a_final_status() {
        let mut t = DeliveryTracker::new();
        t.record(dlr("m", "delivered", Some("2026-04-21T10:00:09Z")));
        assert_eq!(
            t.record(dlr("m", "buffered", Some("2026-04-21T10:00:30Z"))),
            TrackOutcome::Stale
        );
        assert_eq!(t.record(dlr("m", "sent", None)), TrackOutcome::Stale);
        assert_eq!(status(&t, "m"), "delivered");
    }

    #[test]
    fn a_final_status_beats_an_in_flight_one_even_with_an_older_time() {
        let mut t = DeliveryTracker::new();
        t.record(dlr("m", "buffered", Some("2026-04-21T10:00:30Z")));
        assert_eq!(
            t.record(dlr("m", "delivered", Some("2026-04-21T10:00:00Z"))),
            TrackOutcome::Applied
        );
        assert_eq!(status(&t, "m"), "delivered");
    }

    #[test]
    fn a_final_status_is_replaced_only_by_a_strictly_newer_final_one() {
        let mut t = DeliveryTracker::new();
        t.record(dlr("m", "failed", Some("2026-04-21T10:00:10Z")));
        assert_eq!(
            t.record(dlr("m", "expired", Some("2026-04-21T10:00:10Z"))),
            TrackOutcome::Stale
        );
        assert_eq!(
            t.record(dlr("m", "delivered", Some("2026-04-21T10:00:05Z"))),
            TrackOutcome::Stale
        );
        assert_eq!(t.record(dlr("m", "delivered", None)), TrackOutcome::Stale);
        assert_eq!(
            t.record(dlr("m", "delivered", Some("2026-04-21T10:01:00Z"))),
            TrackOutcome::Applied
        );
        assert_eq!(status(&t, "m"), "delivered");
    }

    #[test]
    fn unknown_is_not_final_and_gives_way_to_a_definite_status() {
        let mut t = DeliveryTracker::new();
        t.record(dlr("m", "weird-new-status", Some("2026-04-21T10:00:10Z")));
        assert_eq!(t.get("m").unwrap().status, DeliveryStatus::Unknown);
        assert_eq!(
            t.record(dlr("m", "rejected", Some("2026-04-21T10:00:10Z"))),
            TrackOutcome::Applied
        );
    }

    #[test]
    fn counts_finals_and_pending_reflect_the_latest_state_per_message() {
        let mut t = DeliveryTracker::new();
        for (id, s) in [
            ("a", "sent"),
            ("b", "delivered"),
            ("c", "delivered"),
            ("d", "failed"),
        ] {
            t.record(dlr(id, s, Some("2026-04-21T10:00:00Z")));
        }
        t.record(dlr("a", "delivered", Some("2026-04-21T10:00:01Z")));
        let counts = t.counts();
        assert_eq!(counts.get("delivered"), Some(&3));
        assert_eq!(counts.get("failed"), Some(&1));
        assert_eq!(counts.get("sent"), None);
        let finals: Vec<_> = t.finals().map(|r| r.id.as_str()).collect();
        assert_eq!(finals, ["a", "b", "c", "d"]);
        assert_eq!(t.pending().count(), 0);
        assert!(t.remove("a").is_some());
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn the_tracker_can_move_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<DeliveryTracker>();
    }
}
