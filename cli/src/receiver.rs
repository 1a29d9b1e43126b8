//! An HTTP receiver of delivery reports: every POST body goes through `instasent::dlr::parse`
//! (webhook JSON, SMPP receipt text or Insider event) into one `DeliveryTracker`.
//! Docs (transactional-api/http/dlrs): "any non-2xx is a failure and retried", so a report we
//! could read is answered 200 and a malformed one 400 (retrying it cannot help).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::routing::{any, post};
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use instasent::dlr::{DeliveryReport, DeliveryTracker, TrackOutcome};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::fail::{one_line, plain};
use crate::output::{json_line, note, print_line, stdout_closed};

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
        tokio::spawn(serve(listener, app));
        Ok(Receiver { addr, inbox })
    }

    /// The URL to give as webhook.
    pub fn url(&self) -> String {
        format!("http://{}/dlr", self.addr)
    }
}

/// The largest body taken: a delivery report is under 1 KiB, and whoever can reach the port
/// could otherwise fill memory with large reports the tracker keeps.
const MAX_REPORT_BYTES: usize = 64 * 1024;
/// A connection that has not sent a whole request head, or a whole body, in this long is closed
/// (or answered 408): stalled senders do not hold connections open.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; further ones wait in the listen backlog, so a flood of them
/// cannot take every file descriptor.
const MAX_CONNECTIONS: usize = 512;
/// How long the accept loop waits after an error that is the machine's (no descriptors left).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` over HTTP/1 with the limits above; axum's own `serve` has no read timeout.
async fn serve(listener: TcpListener, app: Router) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) if is_connection_error(e.kind()) => continue,
            Err(_) => {
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn is_connection_error(kind: std::io::ErrorKind) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        kind,
        ConnectionAborted | ConnectionReset | ConnectionRefused
    )
}

async fn receive(State(inbox): State<Arc<Inbox>>, request: Request) -> (StatusCode, String) {
    let read = axum::body::to_bytes(request.into_body(), MAX_REPORT_BYTES);
    let body = match tokio::time::timeout(READ_TIMEOUT, read).await {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => {
            inbox.malformed.fetch_add(1, Ordering::Relaxed);
            let why = format!(
                "not a delivery report: larger than {} KiB, or cut short",
                MAX_REPORT_BYTES >> 10
            );
            return (StatusCode::PAYLOAD_TOO_LARGE, format!("{why}\n"));
        }
        Err(_) => {
            return (
                StatusCode::REQUEST_TIMEOUT,
                format!("the body took over {} s\n", READ_TIMEOUT.as_secs()),
            )
        }
    };
    match instasent::dlr::parse(&body) {
        Ok(report) => {
            inbox.received.fetch_add(1, Ordering::Relaxed);
            let line = match inbox.echo {
                Echo::Quiet => None,
                Echo::Lines => Some(report_line(&report)),
                Echo::Json => json_line(&report_json(&report)).ok(),
            };
            let outcome = inbox.tracker().record(report);
            if let Some(line) = line {
                let printed = match inbox.echo {
                    Echo::Lines => print_line(format_args!("{line} [{}]", outcome.as_str())),
                    _ => print_line(line),
                };
                // Nowhere to report it but stderr, and the receiver is all `dlr listen` does.
                if let Err(e) = printed {
                    note(format_args!("error: {e}"));
                    stdout_closed();
                }
            }
            (StatusCode::OK, format!("{}\n", outcome_word(outcome)))
        }
        Err(e) => {
            inbox.malformed.fetch_add(1, Ordering::Relaxed);
            let why = one_line(e.message());
            if inbox.echo != Echo::Quiet {
                // The parser may quote what it could not read: the sender's bytes.
                note(format_args!(
                    "rejected a malformed report ({} bytes): {why}",
                    body.len()
                ));
            }
            (StatusCode::BAD_REQUEST, format!("{why}\n"))
        }
    }
}

fn outcome_word(outcome: TrackOutcome) -> &'static str {
    outcome.as_str()
}

/// Who a report is from and to, as its payload says: the core reads the handset's number (`to`)
/// from the sources that name it as such, but an inbound message or opt-out (webhook `from`,
/// `to`, `message`) is only worth printing with who sent it.
fn party<'a>(r: &'a DeliveryReport, field: &str) -> Option<&'a str> {
    let own = match field {
        "to" => r.to.as_deref(),
        _ => None,
    };
    own.or_else(|| r.raw.get(field)?.as_str())
}

/// The report as the core serialises it, with `from` and `to` as the payload gave them.
fn report_json(r: &DeliveryReport) -> serde_json::Value {
    let mut json = serde_json::to_value(r).unwrap_or_default();
    if let Some(fields) = json.as_object_mut() {
        for field in ["from", "to"] {
            if let Some(value) = party(r, field) {
                fields.insert(field.into(), value.into());
            }
        }
    }
    json
}

/// `<id> <status> code=<n> (<meaning>) from=<…> to=<…> clientId=<…> at=<eventAt>`: one report
/// per line.
///
/// Whoever can reach the receiver writes these strings: a line break in an `id` would print
/// a second, forged report, and terminal escapes would reach the terminal. So a value that is
/// not plain printable text is printed quoted, with its control characters escaped.
pub fn report_line(r: &DeliveryReport) -> String {
    let mut line = format!("{} {}", word(&r.id), r.status.as_str());
    if r.raw_status != r.status.as_str() {
        line.push_str(&format!(" (raw {:?})", r.raw_status));
    }
    if let Some(code) = r.code {
        line.push_str(&format!(" code={code}"));
        if let Some(meaning) = &r.code_meaning {
            line.push_str(&format!(" ({})", phrase(meaning)));
        }
    }
    for field in ["from", "to"] {
        if let Some(value) = party(r, field) {
            line.push_str(&format!(" {field}={}", word(value)));
        }
    }
    if let Some(client_id) = &r.client_id {
        line.push_str(&format!(" clientId={}", word(client_id)));
    }
    if let Some(at) = &r.event_at {
        line.push_str(&format!(" at={}", word(at)));
    }
    if let Some(message) = &r.message {
        line.push_str(&format!(" message={:?}", message));
    }
    line
}

/// A value that stands for one field (an id): bare when it is printable and has no spaces
/// (a space would let it pass for the next field).
fn word(value: &str) -> String {
    quoted_unless(value, |c| plain(c) && !c.is_whitespace())
}

/// A value read as words (a code's meaning): spaces are fine, control characters are not.
fn phrase(value: &str) -> String {
    quoted_unless(value, |c| plain(c) && (c == ' ' || !c.is_whitespace()))
}

fn quoted_unless(value: &str, bare: impl Fn(char) -> bool) -> String {
    if !value.is_empty() && value.chars().all(bare) {
        value.to_string()
    } else {
        format!("{value:?}")
    }
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

    #[test]
    fn a_value_cannot_break_the_line_or_reach_the_terminal() {
        let body = serde_json::json!({
            "id": "m8\n9999 delivered code=0 (OK)",
            "clientId": "c\u{1b}[31mred",
            "status": "failed",
            "code": 3,
            "eventAt": "2024-01-02T03:04:05Z",
        });
        let r = instasent::dlr::parse_webhook(body.to_string().as_bytes()).unwrap();
        let line = report_line(&r);
        assert!(!line.chars().any(char::is_control), "{line}");
        assert!(
            line.starts_with(r#""m8\n9999 delivered code=0 (OK)" failed"#),
            "{line}"
        );
        assert!(line.contains(r#"clientId="c\u{1b}[31mred""#), "{line}");
        assert_eq!(word("a b"), r#""a b""#);
        assert_eq!(word(""), r#""""#);
        assert_eq!(word("m-1"), "m-1");
        assert_eq!(phrase("Absent permanently"), "Absent permanently");
        assert_eq!(phrase("right\u{202e}left"), r#""right\u{202e}left""#);
        assert_eq!(one_line("a \"b\" \u{1b}[0m"), r#"a "b" \u{1b}[0m"#);
    }

    #[test]
    fn an_inbound_message_says_who_sent_it_and_to_whom() {
        let r = instasent::dlr::parse_webhook(
            br#"{"id":"i1","clientId":null,"status":"stop","code":0,"eventAt":"2024-01-02T03:04:05Z","message":"STOP","from":"+34600000001","to":"Acme"}"#,
        )
        .unwrap();
        let line = report_line(&r);
        assert!(
            line.starts_with("i1 stop code=0 (OK) from=+34600000001 to=Acme at="),
            "{line}"
        );
        let json = report_json(&r);
        assert_eq!(json["from"], "+34600000001");
        assert_eq!(json["to"], "Acme");
        assert_eq!(json["message"], "STOP");
    }
}
