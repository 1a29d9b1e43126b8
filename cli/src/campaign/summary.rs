//! The campaign's running totals and its closing summary.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use instasent::dlr::{DeliveryStatus, DeliveryTracker};
use instasent::encoding::Encoding;
use instasent::{ErrorKind, Outcome};

use super::resume::SentBy;
use crate::fail::{one_line, unicode_hint_for};

/// What a row costs, known when it is read (segments from the core's analysis, price from the
/// account's price profile).
#[derive(Debug, Clone)]
pub struct RowCost {
    pub encoding: Encoding,
    pub segments: usize,
    /// `None` when the price profile has no entry for the destination.
    pub price: Option<(f64, String)>,
}

#[derive(Debug, Default)]
pub struct Tally {
    pub rows: u64,
    pub accepted: u64,
    /// Sent by an earlier run: the API had their clientId on this run's first attempt.
    pub accepted_earlier: u64,
    /// Sent by this run: the API had their clientId on a retry after a dropped connection.
    pub confirmed_on_retry: u64,
    pub rejected_local: u64,
    pub rejected_server: u64,
    pub failed: u64,
    /// `"to: This value is not valid." → rows`.
    pub reject_reasons: BTreeMap<String, u64>,
    /// `"PAYMENT_REQUIRED: …" → rows`.
    pub fail_reasons: BTreeMap<String, u64>,
    /// Of the messages this run sent, those confirmed on a retry included: the same ones the
    /// balance was charged for.
    pub segments: u64,
    pub gsm7: u64,
    pub ucs2: u64,
    pub cost: BTreeMap<String, f64>,
    pub unpriced: u64,
}

impl Tally {
    pub fn rejected(&self) -> u64 {
        self.rejected_local + self.rejected_server
    }

    pub fn done(&self) -> u64 {
        self.accepted + self.rejected() + self.failed
    }

    /// One row's outcome; `sent_by` says whose message an "accepted earlier" one is (see
    /// `resume`), `cost` what it costs.
    pub fn record(&mut self, outcome: &Outcome, sent_by: SentBy, cost: Option<&RowCost>) {
        self.rows += 1;
        match outcome {
            Outcome::Accepted {
                accepted_earlier, ..
            } => {
                self.accepted += 1;
                match (*accepted_earlier, sent_by) {
                    // Charged by the run that sent it.
                    (true, SentBy::EarlierRun) => self.accepted_earlier += 1,
                    (true, SentBy::ThisRun) => {
                        self.confirmed_on_retry += 1;
                        self.charge(cost);
                    }
                    (false, _) => self.charge(cost),
                }
            }
            Outcome::Rejected { stage, fields, .. } => {
                match stage {
                    instasent::RejectStage::Local => self.rejected_local += 1,
                    instasent::RejectStage::Server => self.rejected_server += 1,
                }
                for (field, messages) in fields {
                    for m in messages {
                        let m = unicode_hint_for(m, UNICODE_HINT);
                        *self
                            .reject_reasons
                            .entry(one_line(&format!("{field}: {m}")))
                            .or_default() += 1;
                    }
                }
            }
            Outcome::Failed { kind, message, .. } => {
                self.failed += 1;
                *self
                    .fail_reasons
                    .entry(one_line(&fail_reason(*kind, message)))
                    .or_default() += 1;
            }
        }
    }

    /// A message this run sent.
    fn charge(&mut self, cost: Option<&RowCost>) {
        let Some(c) = cost else { return };
        self.segments += c.segments as u64;
        match c.encoding {
            Encoding::Gsm7 => self.gsm7 += 1,
            Encoding::Ucs2 => self.ucs2 += 1,
        }
        match &c.price {
            Some((total, currency)) => *self.cost.entry(currency.clone()).or_default() += total,
            None => self.unpriced += 1,
        }
    }

    pub fn render(&self, source: &str, secs: f64) -> String {
        let mut out = String::new();
        let rate = if secs > 0.0 {
            self.rows as f64 / secs
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "campaign {source}: {} rows in {secs:.2} s ({rate:.0} msg/s)",
            self.rows
        );
        let _ = write!(out, "  accepted   {:>7}", self.accepted);
        let mut how = Vec::new();
        if self.confirmed_on_retry > 0 {
            how.push(format!(
                "{} confirmed on a retry: the API had taken them, its answer was lost",
                self.confirmed_on_retry
            ));
        }
        if self.accepted_earlier > 0 {
            how.push(format!(
                "{} by an earlier run, not sent again",
                self.accepted_earlier
            ));
        }
        if !how.is_empty() {
            let _ = write!(out, "  ({})", how.join("; "));
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "  rejected   {:>7}  ({} by local checks, {} by the API)",
            self.rejected(),
            self.rejected_local,
            self.rejected_server
        );
        for (reason, n) in by_count(&self.reject_reasons) {
            let _ = writeln!(out, "    {n:>6}  {reason}");
        }
        if self.failed > 0 {
            let _ = writeln!(
                out,
                "  not sent   {:>7}  (safe to re-run: sent rows are skipped)",
                self.failed
            );
            for (reason, n) in by_count(&self.fail_reasons) {
                let _ = writeln!(out, "    {n:>6}  {reason}");
            }
        }
        let sent = self.accepted - self.accepted_earlier;
        let _ = write!(
            out,
            "  segments   {:>7}  ({} GSM-7 and {} UCS-2 messages sent)",
            self.segments, self.gsm7, self.ucs2
        );
        out.push('\n');
        if sent > 0 {
            let costs: Vec<String> = self
                .cost
                .iter()
                .map(|(cur, v)| format!("{v:.4} {cur}"))
                .collect();
            let _ = write!(
                out,
                "  cost       {}",
                if costs.is_empty() {
                    "unknown".into()
                } else {
                    costs.join(" + ")
                }
            );
            if self.unpriced > 0 {
                let _ = write!(
                    out,
                    "  (+{} messages to destinations without a listed price)",
                    self.unpriced
                );
            }
            let _ = writeln!(out, "  (estimated from the price profile)");
        }
        out
    }
}

/// How a campaign's rows get UCS-2: the flag, or a column per row.
const UNICODE_HINT: &str = "pass --unicode (or an allowUnicode column)";

/// `CODE: message`. The engine may hand over a core error's whole Display as the
/// message (core/src/bulk/engine.rs), which already starts with the code: it is not repeated.
fn fail_reason(kind: ErrorKind, message: &str) -> String {
    let code = kind.code();
    let coded = message
        .strip_prefix(code)
        .is_some_and(|rest| rest.starts_with(':') || rest.starts_with(" ("));
    if coded {
        message.to_string()
    } else {
        format!("{code}: {message}")
    }
}

fn by_count(map: &BTreeMap<String, u64>) -> Vec<(&str, u64)> {
    let mut v: Vec<(&str, u64)> = map.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}

/// The delivery reports of the messages this run sent.
pub fn render_deliveries(
    tracker: &DeliveryTracker,
    ids: &HashSet<String>,
    secs: f64,
    timed_out: bool,
) -> String {
    let mut delivered = 0u64;
    let mut not_delivered: BTreeMap<(String, Option<i64>), u64> = BTreeMap::new();
    let mut in_flight: BTreeMap<(String, Option<i64>), u64> = BTreeMap::new();
    let mut missing = 0u64;
    let mut meanings: BTreeMap<i64, String> = BTreeMap::new();
    for id in ids {
        let Some(r) = tracker.get(id) else {
            missing += 1;
            continue;
        };
        if let (Some(code), Some(m)) = (r.code, &r.code_meaning) {
            meanings.insert(code, m.clone());
        }
        let key = (r.status.as_str().to_string(), r.code);
        if r.status == DeliveryStatus::Delivered {
            delivered += 1;
        } else if r.is_final {
            *not_delivered.entry(key).or_default() += 1;
        } else {
            *in_flight.entry(key).or_default() += 1;
        }
    }
    let mut out = String::new();
    let wait = if timed_out {
        "stopped waiting after"
    } else {
        "settled in"
    };
    let _ = writeln!(
        out,
        "delivery reports for {} messages ({wait} {secs:.1} s)",
        ids.len()
    );
    let _ = writeln!(out, "  delivered  {delivered:>7}");
    let groups = |out: &mut String, label: &str, map: &BTreeMap<(String, Option<i64>), u64>| {
        if map.is_empty() {
            return;
        }
        let _ = writeln!(out, "  {label:<11}{:>7}", map.values().sum::<u64>());
        let mut rows: Vec<_> = map.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for ((status, code), n) in rows {
            let code = match code {
                Some(c) => format!(
                    "code {c} ({})",
                    meanings
                        .get(c)
                        .map(String::as_str)
                        .unwrap_or("undocumented code")
                ),
                None => "no code".into(),
            };
            let _ = writeln!(out, "    {n:>6}  {status}, {code}");
        }
    };
    groups(&mut out, "undelivered", &not_delivered);
    groups(&mut out, "no final", &in_flight);
    if missing > 0 {
        let _ = writeln!(out, "  no report  {missing:>7}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use instasent::RejectStage;

    fn accepted(earlier: bool) -> Outcome {
        Outcome::Accepted {
            id: (!earlier).then(|| "m".into()),
            client_id: "c".into(),
            accepted_earlier: earlier,
        }
    }

    fn cost(segments: usize, price: f64) -> RowCost {
        RowCost {
            encoding: Encoding::Gsm7,
            segments,
            price: Some((price, "EUR".into())),
        }
    }

    #[test]
    fn only_messages_sent_by_this_run_are_charged() {
        let mut t = Tally::default();
        t.record(&accepted(false), SentBy::ThisRun, Some(&cost(2, 0.09)));
        t.record(&accepted(true), SentBy::EarlierRun, Some(&cost(1, 0.045)));
        assert_eq!((t.accepted, t.accepted_earlier, t.segments), (2, 1, 2));
        assert!((t.cost["EUR"] - 0.09).abs() < 1e-9);

        // Confirmed on a retry: this run's first attempt went through, and was charged.
        t.record(&accepted(true), SentBy::ThisRun, Some(&cost(3, 0.135)));
        assert_eq!(
            (t.confirmed_on_retry, t.accepted_earlier, t.segments),
            (1, 1, 5)
        );
        assert!((t.cost["EUR"] - 0.225).abs() < 1e-9);
        let text = t.render("c.csv", 1.0);
        assert!(
            text.contains("accepted         3  (1 confirmed on a retry: the API had taken them, its answer was lost; 1 by an earlier run, not sent again)"),
            "{text}"
        );
        assert!(text.contains("cost       0.2250 EUR"), "{text}");
    }

    #[test]
    fn rejections_are_grouped_by_field_message() {
        let mut t = Tally::default();
        let mut fields = instasent::FieldErrors::new();
        fields.insert("to".into(), vec!["This value is not valid.".into()]);
        for stage in [RejectStage::Local, RejectStage::Server, RejectStage::Local] {
            t.record(
                &Outcome::Rejected {
                    client_id: None,
                    stage,
                    fields: fields.clone(),
                },
                SentBy::ThisRun,
                None,
            );
        }
        t.record(
            &Outcome::Failed {
                client_id: None,
                kind: ErrorKind::PaymentRequired,
                message: "no balance".into(),
            },
            SentBy::ThisRun,
            None,
        );
        assert_eq!(t.reject_reasons["to: This value is not valid."], 3);
        assert_eq!((t.rejected_local, t.rejected_server, t.failed), (2, 1, 1));
        let text = t.render("c.csv", 1.0);
        assert!(
            text.contains("     3  to: This value is not valid."),
            "{text}"
        );
        assert!(text.contains("PAYMENT_REQUIRED: no balance"), "{text}");
    }

    #[test]
    fn deliveries_are_grouped_by_status_and_code_with_meanings() {
        let mut tracker = DeliveryTracker::new();
        let mut ids = HashSet::new();
        for (i, (status, code)) in [
            ("delivered", 0),
            ("failed", 3),
            ("failed", 3),
            ("unknown", 99),
        ]
        .iter()
        .enumerate()
        {
            let body = format!(
                r#"{{"id":"m{i}","status":"{status}","code":{code},"eventAt":"2024-01-01T00:00:00Z"}}"#
            );
            tracker.record(instasent::dlr::parse_webhook(body.as_bytes()).unwrap());
            ids.insert(format!("m{i}"));
        }
        ids.insert("m9".into());
        let text = render_deliveries(&tracker, &ids, 1.0, false);
        assert!(text.contains("delivered        1"), "{text}");
        assert!(
            text.contains("2  failed, code 3 (Absent permanently)"),
            "{text}"
        );
        assert!(
            text.contains("1  unknown, code 99 (Unknown error)"),
            "{text}"
        );
        assert!(text.contains("no report        1"), "{text}");
    }

    #[test]
    fn a_failure_reason_names_its_code_once() {
        let mut t = Tally::default();
        for message in [
            "TRANSPORT: POST /sms/bulk: could not reach the API",
            "POST /sms/bulk: could not reach the API",
        ] {
            t.record(
                &Outcome::Failed {
                    client_id: None,
                    kind: ErrorKind::Transport,
                    message: message.into(),
                },
                SentBy::ThisRun,
                None,
            );
        }
        let reasons: Vec<&String> = t.fail_reasons.keys().collect();
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert!(
            reasons[0].starts_with("TRANSPORT: POST /sms/bulk: could not reach the API"),
            "{reasons:?}"
        );
        assert_eq!(
            fail_reason(ErrorKind::Server, "SERVER (HTTP 503): down"),
            "SERVER (HTTP 503): down"
        );
    }
}
