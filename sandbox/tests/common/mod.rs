//! Shared by the integration tests: a sandbox on a free loopback port, a client, and a webhook
//! receiver.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing;
use axum::{Json, Router};
use instasent_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

pub const TOKEN: &str = "test-token";

pub fn config() -> SandboxConfig {
    SandboxConfig::default()
        .token(TOKEN)
        .dlr_delay(Duration::from_millis(20))
}

pub async fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.expect("sandbox starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

pub fn admin_url(sandbox: &Sandbox, path: &str) -> String {
    format!("http://{}/_sandbox{}", sandbox.addr(), path)
}

/// Sends `method path` with the token in the header and an optional JSON body; returns
/// status, headers and the JSON body (`Null` when empty).
pub async fn call(
    sandbox: &Sandbox,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut req = client()
        .request(method, format!("{}{}", sandbox.base_url(), path))
        .bearer_auth(TOKEN);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.expect("response");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.expect("body");
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("JSON body")
    };
    (status, headers, json)
}

pub async fn post(sandbox: &Sandbox, path: &str, body: Value) -> (u16, Value) {
    let (status, _, json) = call(sandbox, reqwest::Method::POST, path, Some(body)).await;
    (status, json)
}

pub async fn get(sandbox: &Sandbox, path: &str) -> (u16, Value) {
    let (status, _, json) = call(sandbox, reqwest::Method::GET, path, None).await;
    (status, json)
}

/// GET `url` (no token: the admin API) and its JSON body.
pub async fn get_json(url: &str) -> Value {
    client()
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub fn sms(to: &str, text: &str) -> Value {
    serde_json::json!({ "from": "Acme", "to": to, "text": text })
}

/// The `text` of each of a body's `entities`, in order.
pub fn entity_texts(body: &Value) -> Vec<&str> {
    body["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .map(|e| e["text"].as_str().expect("a text"))
        .collect()
}

/// How long a test waits for something asynchronous (a DLR step, a webhook, a counter) before
/// it calls it lost. Generous on purpose: a loaded 2-core CI machine can stall a test for
/// seconds, and a passing run never waits this long.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Polls `probe` every 10 ms until it returns `Some`, for at most [`PATIENCE`]; `None` when it
/// never did.
pub async fn eventually<T>(mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(found) = probe() {
            return Some(found);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Collects webhook bodies; answers 500 to the first `fail_first` calls.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub events: Arc<Mutex<Vec<Value>>>,
    fail_first: Arc<AtomicU32>,
    pub calls: Arc<AtomicU32>,
}

#[derive(Clone)]
struct ReceiverState {
    events: Arc<Mutex<Vec<Value>>>,
    fail_first: Arc<AtomicU32>,
    calls: Arc<AtomicU32>,
}

async fn receive(State(s): State<ReceiverState>, Json(body): Json<Value>) -> StatusCode {
    s.calls.fetch_add(1, Ordering::SeqCst);
    let failing = s
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    s.events.lock().unwrap().push(body);
    StatusCode::OK
}

impl Receiver {
    pub async fn start(fail_first: u32) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/dlr", listener.local_addr().unwrap());
        let state = ReceiverState {
            events: Arc::default(),
            fail_first: Arc::new(AtomicU32::new(fail_first)),
            calls: Arc::default(),
        };
        let app = Router::new()
            .route("/dlr", routing::post(receive))
            .with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver {
            url,
            events: state.events,
            fail_first: state.fail_first,
            calls: state.calls,
        }
    }

    /// Waits until `pred` holds for the received events, then returns them. The deadline
    /// ([`PATIENCE`]) only bounds a broken run; a passing one returns as soon as it holds.
    pub async fn wait_for(&self, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let events = self.events.clone();
        eventually(|| {
            let events = events.lock().unwrap();
            pred(&events).then(|| events.clone())
        })
        .await
        .unwrap_or_else(|| {
            panic!(
                "webhook events never matched: {:?}",
                self.events.lock().unwrap()
            )
        })
    }

    pub fn events_for(&self, id: &str) -> Vec<Value> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e["id"] == id)
            .cloned()
            .collect()
    }
}
