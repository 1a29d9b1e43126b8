//! A web page the developer has open must not reach the sandbox on loopback: not by a name of
//! its own resolving to 127.0.0.1 (DNS rebinding, which would let it read the ledger), nor by
//! a cross-site form POST (which would reset it).

mod common;

use common::*;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One request over a fresh connection, with the given extra header lines; returns the status
/// line's code and the body.
async fn raw(sb: &instasent_sandbox::Sandbox, request_line: &str, headers: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(sb.addr()).await.unwrap();
    let request = format!(
        "{request_line} HTTP/1.1\r\n{headers}Content-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 3\r\nConnection: close\r\n\r\nx=1"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let status = answer.split(' ').nth(1).unwrap().parse().unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

async fn ledger_len(sb: &instasent_sandbox::Sandbox) -> usize {
    sb.messages().len()
}

#[tokio::test]
async fn another_host_name_or_a_cross_site_origin_is_refused_on_loopback() {
    let sb = start(config()).await;
    let (status, _, _) = call(
        &sb,
        reqwest::Method::POST,
        "/sms",
        Some(json!({"from": "Acme", "to": "+34600000001", "text": "code 4821"})),
    )
    .await;
    assert_eq!(status, 201);

    // DNS rebinding: the page's own name in Host. Neither the admin API nor the API answers.
    let (status, body) = raw(
        &sb,
        "GET /_sandbox/messages",
        "Host: attacker.example:80\r\n",
    )
    .await;
    assert_eq!(status, 421, "{body}");
    assert!(!body.contains("4821"), "{body}");
    let (status, _) = raw(
        &sb,
        "GET /transactional/v1/sms",
        &format!("Host: rebind.example\r\nAuthorization: Bearer {TOKEN}\r\n"),
    )
    .await;
    assert_eq!(status, 421);

    // A cross-site form POST to reset the ledger.
    let (status, body) = raw(
        &sb,
        "POST /_sandbox/reset",
        "Host: 127.0.0.1\r\nOrigin: https://evil.example\r\n",
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(ledger_len(&sb).await, 1, "the ledger was not reset");

    // This machine's names, with or without an Origin of its own, are served.
    for host in [
        "127.0.0.1",
        "localhost:8080",
        "[::1]:9",
        "app.localhost",
        "127.0.0.2",
    ] {
        let (status, body) = raw(&sb, "GET /_sandbox/messages", &format!("Host: {host}\r\n")).await;
        assert_eq!(status, 200, "{host}: {body}");
    }
    let (status, _) = raw(
        &sb,
        "POST /_sandbox/reset",
        "Host: 127.0.0.1\r\nOrigin: http://localhost:3000\r\n",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ledger_len(&sb).await, 0);
}
