//! What the client logs: a debug line per attempt and an info line per retry, and never the
//! token (in the header or the query), a text or a phone number.

mod common;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::*;
use instasent::SmsRequest;
use instasent_sandbox::{Faults, SandboxConfig};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Every span and event the thread emits while this is its default subscriber, a line each:
/// `LEVEL target field=value…` for events, the span's name and fields for spans.
#[derive(Clone, Default)]
struct CaptureLogs {
    lines: Arc<Mutex<Vec<String>>>,
    next_span: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for CaptureLogs {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = span.metadata().name().to_string();
        span.record(&mut Fields(&mut line));
        self.lines.lock().unwrap().push(line);
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = String::from("span");
        values.record(&mut Fields(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let meta = event.metadata();
        let mut line = format!("{} {}", meta.level(), meta.target());
        event.record(&mut Fields(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

impl CaptureLogs {
    /// Runs `work` on a current-thread runtime of this thread, capturing what it logs.
    fn run<F: std::future::Future<Output = ()>>(work: F) -> Vec<String> {
        let capture = CaptureLogs::default();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        tracing::subscriber::with_default(capture.clone(), || runtime.block_on(work));
        let lines = capture.lines.lock().unwrap().clone();
        lines
    }
}

fn with(lines: &[String], level: &str, message: &str) -> Vec<String> {
    let message = format!("message={message}");
    lines
        .iter()
        .filter(|l| l.starts_with(level) && l.contains(&message))
        .cloned()
        .collect()
}

#[test]
fn the_token_never_reaches_the_logs() {
    let lines = CaptureLogs::run(async {
        // Retries after 500s, 429s and dropped answers are what the SDK logs; the token travels
        // in the header and in the query string.
        let sb = sandbox_with(
            SandboxConfig::default()
                .faults(
                    Faults::default()
                        .error_rate(0.5)
                        .rate_limit_burst(1)
                        .drop_after_commit_rate(0.3),
                )
                .limits(short_windows()),
        )
        .await;
        for in_query in [false, true] {
            let c = builder(&sb)
                .token_in_query(in_query)
                .retry_policy(quick_retries(6))
                .build()
                .unwrap();
            for i in 0..5 {
                let _ = c.send_sms(&sms(i)).await;
                let _ = c.get_account_balance().await;
            }
            let _ = c.send_bulk(&(0..5).map(sms).collect::<Vec<_>>()).await;
        }
    });
    let logs = lines.join("\n");
    assert!(
        logs.contains("retrying"),
        "the retries were logged (else this test checks nothing):\n{logs}"
    );
    assert!(!logs.contains(TOKEN), "the token was logged:\n{logs}");
}

#[test]
fn each_attempt_and_each_retry_is_logged_without_the_text_or_the_number() {
    let lines = CaptureLogs::run(async {
        let sb = sandbox_with(
            SandboxConfig::default()
                .faults(Faults::default().rate_limit_burst(1))
                .limits(short_windows()),
        )
        .await;
        let client = builder(&sb).token_in_query(true).build().unwrap();
        let sms = SmsRequest::new("Acme", "+34600999111", "Tu codigo es 271828");
        client.send_sms(&sms).await.expect("sent on the retry");
    });
    let all = lines.join("\n");
    for secret in [TOKEN, "600999111", "271828"] {
        assert!(!all.contains(secret), "{secret} logged:\n{all}");
    }
    let answered = with(&lines, "DEBUG", "answered");
    assert_eq!(answered.len(), 2, "{all}");
    for (line, status, attempt) in [(&answered[0], "429", 1), (&answered[1], "201", 2)] {
        assert!(
            line.contains("instasent::")
                && line.contains("endpoint=\"POST /sms\"")
                && line.contains(&format!("status={status}"))
                && line.contains(&format!("attempt={attempt}")),
            "{all}"
        );
    }
    let retries = with(&lines, "INFO", "retrying");
    assert_eq!(retries.len(), 1, "{all}");
    assert!(
        retries[0].contains("after=RATE_LIMITED") && retries[0].contains("next_attempt=2"),
        "{all}"
    );
}

#[test]
fn a_request_that_cannot_connect_is_logged_as_not_sent() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let lines = CaptureLogs::run(async move {
        let client = instasent::Client::builder(TOKEN)
            .base_url(format!("http://127.0.0.1:{port}/transactional/v1"))
            .retry_policy(quick_retries(2))
            .build()
            .unwrap();
        client
            .get_account_balance()
            .await
            .expect_err("nothing listens");
    });
    let all = lines.join("\n");
    assert_eq!(with(&lines, "DEBUG", "not sent").len(), 2, "{all}");
    assert_eq!(with(&lines, "INFO", "retrying").len(), 1, "{all}");
    assert!(!all.contains(TOKEN), "{all}");
}
