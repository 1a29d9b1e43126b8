//! An HTTP receiver of delivery reports: every POST body goes through `instasent::dlr::parse`
//! (webhook JSON, SMPP receipt text or Insider event) into one `DeliveryTracker`.
//! Docs (transactional-api/http/dlrs): "any non-2xx is a failure and retried", so a report we
//! could read is answered 200 and a malformed one 400 (retrying it cannot help).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{any, post};
use axum::Router;
use instasent::dlr::{DeliveryReport, DeliveryTracker, TrackOutcome};
use tokio::net::TcpListener;

use crate::fail::one_line;

/// What the receiver prints for each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echo {
    Quiet,
    Lines,
    Json,
}

/// The state shared by the HTTP handler and whoever reads the reports.
pub struct Inbox {
    tracker: Mutex<DeliveryTracker>,
    received: AtomicU64,
    malformed: AtomicU64,
    echo: Echo,
}

impl Inbox {
    pub fn tracker(&self) -> MutexGuard<'_, DeliveryTracker> {
        self.tracker.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reports parsed so far (duplicates included).
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    pub fn malformed(&self) -> u64 {
        self.malformed.load(Ordering::Relaxed)
    }
}

/// A running receiver; it stops when the process ends.
pub struct Receiver {
    pub addr: SocketAddr,
    pub inbox: Arc<Inbox>,
}

impl Receiver {
    /// Binds `addr` and serves on the current runtime.
    pub async fn start(addr: SocketAddr, echo: Echo) -> std::io::Result<Receiver> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let inbox = Arc::new(Inbox {
            tracker: Mutex::new(DeliveryTracker::new()),
            received: AtomicU64::new(0),
            malformed: AtomicU64::new(0),
            echo,
        });
        let app = Router::new()
            .route("/", post(receive))
            .route("/{*path}", post(receive))
            .fallback(any(|| async {
                (
                    StatusCode::METHOD_NOT_ALLOWED,
                    "POST delivery reports here\n",
                )
            }))
            .with_state(inbox.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!(
                    "error: the DLR receiver stopped: {}",
                    one_line(&e.to_string())
                );
            }
        });
        Ok(Receiver { addr, inbox })
    }

    /// The URL to give as webhook.
    pub fn url(&self) -> String {
        format!("http://{}/dlr", self.addr)
    }
}

async fn receive(State(inbox): State<Arc<Inbox>>, body: Bytes) -> (StatusCode, String) {
    match instasent::dlr::parse(&body) {
        Ok(report) => {
            inbox.received.fetch_add(1, Ordering::Relaxed);
            let line = match inbox.echo {
                Echo::Quiet => None,
                Echo::Lines => Some(report_line(&report)),
                Echo::Json => serde_json::to_string(&report).ok(),
            };
            let outcome = inbox.tracker().record(report);
            if let Some(line) = line {
                match inbox.echo {
                    Echo::Lines => println!("{line} [{}]", outcome.as_str()),
                    _ => println!("{line}"),
                }
            }
            (StatusCode::OK, format!("{}\n", outcome_word(outcome)))
        }
        Err(e) => {
            inbox.malformed.fetch_add(1, Ordering::Relaxed);
            let why = one_line(e.message());
            if inbox.echo != Echo::Quiet {
                eprintln!("rejected a malformed report ({} bytes): {why}", body.len());
            }
            (StatusCode::BAD_REQUEST, format!("{why}\n"))
        }
    }
}

fn outcome_word(outcome: TrackOutcome) -> &'static str {
    outcome.as_str()
}

/// `<id> <status> code=<n> (<meaning>) clientId=<…> at=<eventAt>`: one report per line.
pub fn report_line(r: &DeliveryReport) -> String {
    let mut line = format!("{} {}", r.id, r.status.as_str());
    if r.raw_status != r.status.as_str() {
        line.push_str(&format!(" (raw {:?})", r.raw_status));
    }
    if let Some(code) = r.code {
        line.push_str(&format!(" code={code}"));
        if let Some(meaning) = &r.code_meaning {
            line.push_str(&format!(" ({meaning})"));
        }
    }
    if let Some(client_id) = &r.client_id {
        line.push_str(&format!(" clientId={client_id}"));
    }
    if let Some(at) = &r.event_at {
        line.push_str(&format!(" at={at}"));
    }
    if let Some(message) = &r.message {
        line.push_str(&format!(" message={:?}", message));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_one_line_with_its_code_meaning() {
        let r = instasent::dlr::parse_webhook(
            br#"{"id":"m1","clientId":"c1","status":"failed","code":3,"eventAt":"2024-01-02T03:04:05Z"}"#,
        )
        .unwrap();
        let line = report_line(&r);
        assert!(!line.contains('\n'));
        assert!(
            line.starts_with("m1 failed code=3 (Absent permanently) clientId=c1"),
            "{line}"
        );
    }
}
