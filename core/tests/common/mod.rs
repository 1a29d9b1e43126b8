//! A sandbox on a loopback port and a client pointed at it, for every integration test.

#![allow(dead_code)]

use std::time::Duration;

use instasent::{Client, ClientBuilder, RetryPolicy, SmsRequest};
use instasent_sandbox::{Faults, RateLimits, Sandbox, SandboxConfig};

pub const TOKEN: &str = "test-token-5f2c9a";

pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config.token(TOKEN))
        .await
        .expect("sandbox starts")
}

pub async fn sandbox_with_faults(faults: Faults) -> Sandbox {
    sandbox_with(SandboxConfig::default().faults(faults)).await
}

/// One-second rate-limit windows: a forced 429 says to come back when the current window ends.
pub fn short_windows() -> RateLimits {
    RateLimits::default().window_secs(1)
}

pub async fn sandbox() -> Sandbox {
    sandbox_with(SandboxConfig::default()).await
}

/// Fast retries so fault tests finish in seconds.
pub fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(50))
        .max_elapsed(Duration::from_secs(60))
        .max_rate_limit_wait(Duration::from_secs(5))
}

pub fn builder(sb: &Sandbox) -> ClientBuilder {
    Client::builder(TOKEN)
        .base_url(sb.base_url())
        .retry_policy(quick_retries(6))
}

pub fn client(sb: &Sandbox) -> Client {
    builder(sb).build().expect("client builds")
}

pub fn sms(i: usize) -> SmsRequest {
    SmsRequest::new(
        "Acme",
        format!("+346{:08}", 10_000_000 + i),
        format!("Hola {i}, tu pedido ha salido."),
    )
}

/// A server that answers every request with one canned response, for answers the sandbox is
/// built never to give (an entity the SDK cannot read). Returns its base URL.
pub fn canned_server(status: u16, body: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            // Read the request head and its body (small here) before answering.
            let mut buf = [0u8; 64 * 1024];
            let mut seen = Vec::new();
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
                if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if seen.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://127.0.0.1:{port}/transactional/v1")
}
