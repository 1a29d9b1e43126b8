//! DLR and inbound webhooks, drop-after-commit, and the CLI.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use instasent_sandbox::Faults;
use serde_json::{json, Value};

fn statuses(events: &[Value]) -> Vec<(String, i64)> {
    events
        .iter()
        .map(|e| {
            (
                e["status"].as_str().unwrap().to_string(),
                e["code"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn dlrs_are_posted_sent_then_final() {
    let receiver = Receiver::start(0).await;
    let sb = start(config().webhook(receiver.url.clone())).await;
    let mut ok = sms("+34600001234", "Hi");
    ok["clientId"] = json!("dlr-1");
    let (_, ok) = post(&sb, "/sms", ok).await;
    let (_, failed) = post(&sb, "/sms", sms("+34600000001", "Hi")).await;
    let (_, buffered) = post(&sb, "/sms", sms("+34600000005", "Hi")).await;
    receiver.wait_for(|events| events.len() >= 7).await;
    let ok_id = ok["entity"]["id"].as_str().unwrap();
    let ok_events = receiver.events_for(ok_id);
    assert_eq!(
        statuses(&ok_events),
        [("sent".into(), 0), ("delivered".into(), 0)]
    );
    let first = ok_events[0].as_object().unwrap();
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["clientId", "code", "eventAt", "id", "status"]);
    assert_eq!(first["clientId"], "dlr-1");
    let at = first["eventAt"].as_str().unwrap();
    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).unwrap();
    let failed_events = receiver.events_for(failed["entity"]["id"].as_str().unwrap());
    assert_eq!(
        statuses(&failed_events),
        [("sent".into(), 0), ("failed".into(), 3)]
    );
    assert_eq!(failed_events[0]["clientId"], Value::Null);
    let buffered_events = receiver.events_for(buffered["entity"]["id"].as_str().unwrap());
    assert_eq!(
        statuses(&buffered_events),
        [
            ("sent".into(), 0),
            ("buffered".into(), 0),
            ("delivered".into(), 0)
        ]
    );
    // The receiver stores an event before it answers; the sandbox counts it once it has read
    // that answer. Seeing the 7th event says nothing about the counter yet: wait for it.
    let sent = eventually(|| Some(sb.stats().webhooks_sent).filter(|&n| n >= 7)).await;
    assert_eq!(sent, Some(7), "{:?}", sb.stats());
}

#[tokio::test]
async fn failed_webhook_posts_are_retried() {
    let receiver = Receiver::start(1).await;
    let sb = start(config().webhook(receiver.url.clone())).await;
    let (_, created) = post(&sb, "/sms", sms("+34600001234", "Hi")).await;
    let id = created["entity"]["id"].as_str().unwrap().to_string();
    let events = receiver.wait_for(|events| events.len() >= 2).await;
    // The first POST got a 500 and was retried; per-message order holds across the retry.
    assert_eq!(
        statuses(&events),
        [("sent".into(), 0), ("delivered".into(), 0)]
    );
    assert!(events.iter().all(|e| e["id"] == id.as_str()));
    assert_eq!(receiver.calls.load(std::sync::atomic::Ordering::SeqCst), 3);
    // Counted once the sandbox has read the receiver's answer, a moment after the event landed.
    let stats = eventually(|| Some(sb.stats()).filter(|s| s.webhooks_sent >= 2)).await;
    let stats = stats.unwrap_or_else(|| sb.stats());
    assert_eq!((stats.webhooks_sent, stats.webhooks_failed), (2, 0));
}

/// A webhook that answers every POST with `status` and `Location: /elsewhere`; counts the
/// POSTs it got and the requests that reached `/elsewhere`.
async fn redirecting_webhook(status: u16) -> (String, Arc<AtomicU32>, Arc<AtomicU32>) {
    use axum::http::{header::LOCATION, StatusCode};
    use axum::routing::{any, post};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/dlr", listener.local_addr().unwrap());
    let (posts, followed) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
    let (p, f) = (posts.clone(), followed.clone());
    let app = axum::Router::new()
        .route(
            "/dlr",
            post(move || {
                p.fetch_add(1, Ordering::SeqCst);
                async move {
                    (
                        StatusCode::from_u16(status).unwrap(),
                        [(LOCATION, "/elsewhere")],
                    )
                }
            }),
        )
        .route(
            "/elsewhere",
            any(move || {
                f.fetch_add(1, Ordering::SeqCst);
                async { StatusCode::OK }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, posts, followed)
}

/// docs: transactional-api/http/dlrs, "we consider any non-2xx a failure and retry with
/// exponential backoff": a redirect is not followed, and not a delivery.
#[tokio::test]
async fn a_redirect_from_the_webhook_is_a_failure_and_retried() {
    for status in [302, 307] {
        let (url, posts, followed) = redirecting_webhook(status).await;
        let sb = start(config().webhook(url)).await;
        // `sent`, then `delivered`: two events, each tried ATTEMPTS times.
        assert_eq!(post(&sb, "/sms", sms("+34600001234", "Hi")).await.0, 201);
        let stats = eventually(|| Some(sb.stats()).filter(|s| s.webhooks_failed >= 2)).await;
        let stats = stats.unwrap_or_else(|| sb.stats());
        assert_eq!(
            (stats.webhooks_sent, stats.webhooks_failed),
            (0, 2),
            "{status}"
        );
        assert_eq!(
            posts.load(Ordering::SeqCst),
            10,
            "{status}: 5 tries per event"
        );
        assert_eq!(
            followed.load(Ordering::SeqCst),
            0,
            "{status}: never followed"
        );
    }
}

#[tokio::test]
async fn inbound_and_stop_are_injected() {
    let receiver = Receiver::start(0).await;
    let sb = start(config().webhook(receiver.url.clone())).await;
    sb.inject_inbound("+34600000000", "Acme", "Hello there");
    receiver.wait_for(|e| e.len() == 1).await;
    sb.inject_inbound("+34600000000", "Acme", " baja ");
    let events = receiver.wait_for(|e| e.len() == 2).await;
    assert_eq!(events[0]["status"], "inbound");
    assert_eq!(events[0]["message"], "Hello there");
    assert_eq!(events[0]["from"], "+34600000000");
    assert_eq!(events[1]["status"], "stop");
    let admin = client()
        .post(admin_url(&sb, "/inbound"))
        .json(&json!({"from": "+34600000000", "to": "Acme", "text": "STOP"}))
        .send()
        .await
        .unwrap();
    assert_eq!(admin.status(), 202);
    let events = receiver.wait_for(|e| e.len() == 3).await;
    assert_eq!(events[2]["status"], "stop");
}

#[tokio::test]
async fn dropped_connection_still_commits() {
    let sb = start(config()).await;
    sb.set_faults(Faults::default().drop_after_commit_rate(1.0))
        .unwrap();
    let mut body = sms("+34600000000", "Hi");
    body["clientId"] = json!("dropped-1");
    let result = client()
        .post(format!("{}/sms", sb.base_url()))
        .bearer_auth(TOKEN)
        .json(&body)
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    let err = result.expect_err("no response after a drop");
    assert!(
        !err.is_timeout(),
        "the connection is closed, not left hanging: {err}"
    );
    let ledger = sb.messages();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].client_id.as_deref(), Some("dropped-1"));
    assert_eq!(sb.stats().dropped_connections, 1);
    // Bulk too; and a retry with the same clientId is refused as a duplicate.
    let batch = json!([body.clone(), sms("+34600000000", "two")]);
    let bulk = client()
        .post(format!("{}/sms/bulk", sb.base_url()))
        .bearer_auth(TOKEN)
        .json(&batch)
        .send()
        .await;
    assert!(bulk.is_err());
    assert_eq!(sb.messages().len(), 2);
    sb.set_faults(Faults::default()).unwrap();
    let (status, resp) = post(&sb, "/sms", body).await;
    assert_eq!(status, 422);
    assert!(resp["errors"]["fields"]["clientId"].is_array());
}

/// The `instasent-sandbox` binary with `args`, the token `cli-secret` and `env`, once it printed
/// its base URL line; returns it and the base URL.
fn sandbox_process(args: &[&str], env: &[(&str, &str)]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_instasent-sandbox"))
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .env("INSTASENT_TOKEN", "cli-secret")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let Some(base) = line.trim_end().strip_prefix("INSTASENT_BASE_URL=") else {
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        panic!("first line {line:?}, stderr {stderr:?}");
    };
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/transactional/v1"));
    assert!(!line.contains("cli-secret"));
    let base = base.to_string();
    (child, base)
}

#[test]
fn cli_prints_the_base_url_line() {
    let (mut child, base) = sandbox_process(&["--limit-sms", "5"], &[]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (status, limit) = rt.block_on(async {
        let resp = client()
            .get(format!("{base}/organization/account"))
            .bearer_auth("cli-secret")
            .send()
            .await
            .unwrap();
        (
            resp.status().as_u16(),
            resp.headers()["x-ratelimit-limit"].clone(),
        )
    });
    assert_eq!(status, 200);
    assert_eq!(limit, "6000");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// As in a slim container: no root certificates where rustls-native-certs looks first.
const NO_ROOT_CERTIFICATES: [(&str, &str); 2] = [
    ("SSL_CERT_FILE", "/nonexistent/instasent-test/certs.pem"),
    ("SSL_CERT_DIR", "/nonexistent/instasent-test/certs"),
];

#[test]
fn without_root_certificates_an_https_webhook_fails_is_counted_and_the_sandbox_runs_on() {
    // Nothing listens on port 9 either: what is tested is that the sandbox starts, serves and
    // counts the failed deliveries, rather than refusing to start for want of certificates.
    let (mut child, base) = sandbox_process(
        &[
            "--webhook",
            "https://127.0.0.1:9/dlr",
            "--dlr-delay-ms",
            "0",
        ],
        &NO_ROOT_CERTIFICATES,
    );
    let stats_url = base.replace("/transactional/v1", "/_sandbox/stats");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (status, failed, sent) = rt.block_on(async {
        let status = client()
            .post(format!("{base}/sms"))
            .bearer_auth("cli-secret")
            .json(&sms("+34600001234", "Hi"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        // Each event is tried 5 times over 1.5 s before it counts as failed.
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let stats = get_json(&stats_url).await;
            let failed = stats["webhooksFailed"].as_u64().unwrap();
            if failed > 0 || tokio::time::Instant::now() > deadline {
                break (status, failed, stats["webhooksSent"].as_u64().unwrap());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    assert_eq!(status, 201);
    assert!(failed >= 1, "no failed delivery counted");
    assert_eq!(sent, 0);
    assert!(child.try_wait().unwrap().is_none(), "the sandbox exited");
    child.kill().unwrap();
    child.wait().unwrap();
}
