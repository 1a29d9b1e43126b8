//! The client against servers that are not the well-behaved sandbox: load balancers that answer
//! HTML or redirect, connections that break, answers that cannot be read, a server that quotes
//! the token back. Each server here is a loopback socket that answers request N with the Nth
//! scripted reply.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use instasent::{documented, Client, ErrorKind, RetryPolicy, SmsRequest};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "tok-SECRET-0123456789";

#[derive(Clone)]
enum Reply {
    /// These bytes, then the connection is closed.
    Raw(String),
    /// The request is read and the connection closed with no answer.
    Close,
    /// The request is read and never answered.
    Silent,
}

fn http(status: &str, headers: &[(&str, String)], body: &str) -> Reply {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    Reply::Raw(out)
}

fn created(body: &str) -> Reply {
    http(
        "201 Created",
        &[("content-type", "application/json".into())],
        body,
    )
}

struct Server {
    base_url: String,
    /// Every request as received: request line and headers.
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Answers requests with `replies` in order; the last one repeats.
    async fn start(replies: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/transactional/v1", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let next = Arc::new(AtomicUsize::new(0));
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let n = next.fetch_add(1, Ordering::SeqCst);
                let reply = replies[n.min(replies.len() - 1)].clone();
                let seen = seen.clone();
                tokio::spawn(answer(socket, reply, seen));
            }
        });
        Server { base_url, requests }
    }

    /// Answers one connection with `reply`, then listens no more: later connections are refused.
    async fn start_once(reply: Reply) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/transactional/v1", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        tokio::spawn(async move {
            if let Ok((socket, _)) = listener.accept().await {
                drop(listener);
                answer(socket, reply, seen).await;
            }
        });
        Server { base_url, requests }
    }

    fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    fn client(&self, retry: RetryPolicy) -> Client {
        Client::builder(TOKEN)
            .base_url(&self.base_url)
            .retry_policy(retry)
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap()
    }
}

async fn answer(mut socket: TcpStream, reply: Reply, seen: Arc<Mutex<Vec<String>>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // The head, then as much body as it declares.
    let head_end = loop {
        let Ok(n) = socket.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    seen.lock().unwrap().push(head);
    match reply {
        Reply::Raw(bytes) => {
            let _ = socket.write_all(bytes.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
        Reply::Close => drop(socket),
        Reply::Silent => {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    }
}

/// The error of one `GET /account` with no retries.
async fn balance_error(server: &Server) -> instasent::Error {
    server
        .client(RetryPolicy::none())
        .get_account_balance()
        .await
        .unwrap_err()
}

fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(20))
}

fn sms() -> SmsRequest {
    SmsRequest::new("Acme", "+34600000000", "hello")
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn a_send_whose_attempt_went_unanswered_stays_ambiguous_whatever_the_retry_hears() {
    let far = unix_now() + 3600;
    let answers = [
        (
            "429 Too Many Requests",
            vec![
                ("x-ratelimit-limit", "10".to_string()),
                ("x-ratelimit-remaining", "0".to_string()),
                ("x-ratelimit-reset", far.to_string()),
            ],
        ),
        ("503 Service Unavailable", vec![]),
        ("402 Payment Required", vec![]),
    ];
    for (status, headers) in answers {
        let replies = vec![Reply::Close, http(status, &headers, "<html>busy</html>")];
        let server = Server::start(replies.clone()).await;
        let client = server.client(quick_retries(3));
        let err = client.send_sms(&sms()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AmbiguousOutcome, "{status}: {err}");
        assert!(err.maybe_committed());
        let client_id = err.client_id().expect("the clientId to look up").to_owned();
        assert!(err.message().contains(&client_id), "{err}");
        assert!(
            err.message().contains(&status[..3]),
            "the last answer is kept: {err}"
        );
        // The documented call must not turn it into a response that reads "not sent".
        let again = Server::start(replies).await.client(quick_retries(3));
        let documented_err = documented(again.send_sms(&sms()).await).unwrap_err();
        assert_eq!(documented_err.kind(), ErrorKind::AmbiguousOutcome);
    }
}

#[tokio::test]
async fn a_send_answered_5xx_may_have_been_sent_and_says_so_with_its_client_id() {
    let server = Server::start(vec![http("504 Gateway Timeout", &[], "<html>504</html>")]).await;
    let err = server
        .client(RetryPolicy::none())
        .send_sms(&sms())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AmbiguousOutcome, "{err}");
    assert!(err.maybe_committed(), "a gateway may have passed it on");
    assert_eq!(err.status(), Some(504), "the answer is kept");
    let client_id = err.client_id().unwrap().to_owned();
    assert!(
        err.message().contains("may have been sent") && err.message().contains(&client_id),
        "{err}"
    );
    // The documented call must not answer it as a 504 that reads "not sent" either.
    let documented_err =
        documented(server.client(quick_retries(2)).send_sms(&sms()).await).unwrap_err();
    assert_eq!(documented_err.kind(), ErrorKind::AmbiguousOutcome);
    // A lookup answered 5xx may have been carried out too, but it is no send: a SERVER error
    // that says so.
    let err = server
        .client(RetryPolicy::none())
        .do_lookup("+34600000000")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");
    assert!(err.maybe_committed());
    // A read answered 5xx changed nothing.
    let err = balance_error(&server).await;
    assert_eq!(err.kind(), ErrorKind::Server);
    assert!(!err.maybe_committed());
}

#[tokio::test]
async fn a_retry_that_cannot_connect_does_not_undo_an_attempt_that_may_have_gone() {
    // The first attempt goes out and gets no answer; then the server is gone, and every retry
    // is refused a connection.
    let server = Server::start_once(Reply::Close).await;
    let err = server
        .client(quick_retries(4))
        .send_sms(&sms())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AmbiguousOutcome, "{err}");
    assert!(err.maybe_committed());
}

#[tokio::test]
async fn a_send_accepted_with_an_unreadable_answer_is_never_reported_as_not_sent() {
    for body in [
        "",
        "{\"entity\":",
        "<html>ok</html>",
        "[1,2]",
        "{\"entity\":{\"to\":1}}",
    ] {
        let server = Server::start(vec![created(body)]).await;
        let err = server
            .client(quick_retries(3))
            .send_sms(&sms())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{body:?}: {err}");
        assert_eq!(err.status(), Some(201));
        assert!(err.maybe_committed(), "{body:?}");
        assert!(err.client_id().is_some());
        assert!(err.message().contains("may have been sent"), "{err}");
        assert_eq!(server.count(), 1, "a 201 is never retried");
    }
}

#[tokio::test]
async fn redirects_are_errors_and_never_followed() {
    let elsewhere = Server::start(vec![created(
        r#"{"entity":{"id":"FROM-ELSEWHERE","to":"+34600000000","from":"Acme","text":"x"}}"#,
    )])
    .await;
    for status in [
        "301 Moved Permanently",
        "302 Found",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        let location = format!("{}/sms?access_token={TOKEN}", elsewhere.base_url);
        let server = Server::start(vec![http(status, &[("location", location)], "")]).await;
        let client = Client::builder(TOKEN)
            .base_url(&server.base_url)
            .token_in_query(true)
            .retry_policy(quick_retries(6))
            .build()
            .unwrap();
        let err = client.send_sms(&sms()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{status}: {err}");
        assert!(err.message().contains("check the base URL"), "{err}");
        assert!(!format!("{err} {err:?}").contains(TOKEN), "{err:?}");
        assert_eq!(server.count(), 1, "{status}: a redirect is not retried");
        let err = client.do_lookup("+34600000000").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{status}: {err}");
    }
    assert_eq!(
        elsewhere.count(),
        0,
        "nothing went where the redirects pointed"
    );
}

#[tokio::test]
async fn a_token_the_server_quotes_back_is_masked_in_every_part_of_the_error() {
    let body = format!(
        r#"{{"message":"Invalid token '{TOKEN}'","errors":{{"fields":{{"token":["{TOKEN} is revoked"]}}}}}}"#
    );
    let server = Server::start(vec![http("401 Unauthorized", &[], &body)]).await;
    let err = balance_error(&server).await;
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    let everything = format!("{err} {err:?} {:?} {:?}", err.body(), err.fields());
    assert!(!everything.contains(TOKEN), "{everything}");
    assert!(err.message().contains("Invalid token '***'"), "{err}");
    let documented = documented(
        server
            .client(RetryPolicy::none())
            .get_account_balance()
            .await,
    )
    .unwrap();
    assert!(!documented.response_body.to_string().contains(TOKEN));
}

#[tokio::test]
async fn a_token_quoted_in_a_success_the_sdk_cannot_read_is_masked_too() {
    // An echo service at the base URL answers 200 with the request's headers.
    let body = format!(r#"{{"headers":{{"Authorization":"Bearer {TOKEN}"}}}}"#);
    let server = Server::start(vec![http("200 OK", &[], &body)]).await;
    let err = balance_error(&server).await;
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    let everything = format!("{err} {err:?} {:?}", err.body());
    assert!(!everything.contains(TOKEN), "{everything}");
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_wait_past_the_limit_is_left_to_the_caller() {
    let server = Server::start(vec![
        http("429 Too Many Requests", &[("retry-after", "1".into())], ""),
        created(r#"{"entity":{"id":"m1","to":"+34600000000","from":"Acme","text":"x"}}"#),
    ])
    .await;
    let started = Instant::now();
    let sent = server
        .client(quick_retries(3))
        .send_sms(&sms())
        .await
        .unwrap();
    assert_eq!(sent.body.id, "m1");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );

    let server = Server::start(vec![http(
        "503 Service Unavailable",
        &[("retry-after", "999999".into())],
        "",
    )])
    .await;
    let started = Instant::now();
    let err = server
        .client(quick_retries(6))
        .get_account_balance()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "not waited for");
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(999_999)));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn no_call_outlives_its_retry_budget() {
    let server = Server::start(vec![Reply::Silent]).await;
    let client = Client::builder(TOKEN)
        .base_url(&server.base_url)
        .timeout(Duration::from_secs(2))
        .connect_timeout(Duration::from_millis(200))
        .retry_policy(quick_retries(6).max_elapsed(Duration::from_millis(2500)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.get_account_balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    // The second attempt gets what is left of the 2.5 s, not its own 2 s (4 s in all before).
    assert!(
        started.elapsed() < Duration::from_millis(3300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn an_answer_larger_than_any_the_api_sends_is_refused() {
    let declared = "HTTP/1.1 200 OK\r\ncontent-length: 104857600\r\n\r\n{".to_string();
    let mut streamed = String::from("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
    let piece = "x".repeat(1 << 20);
    for _ in 0..17 {
        streamed.push_str(&format!("{:x}\r\n{piece}\r\n", piece.len()));
    }
    streamed.push_str("0\r\n\r\n");
    for reply in [declared, streamed] {
        let server = Server::start(vec![Reply::Raw(reply)]).await;
        let err = server
            .client(RetryPolicy::none())
            .get_account_balance()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.message().contains("larger than 16 MiB"), "{err}");
    }
}

#[tokio::test]
async fn a_window_with_no_room_never_holds_a_call_for_ever() {
    let now = unix_now();
    let closed_window = http(
        "200 OK",
        &[
            ("x-ratelimit-limit", "0".into()),
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", (now + 1).to_string()),
            ("content-type", "application/json".into()),
        ],
        r#"{"entity":{"available":10.0,"currency":"EUR"}}"#,
    );
    let server = Server::start(vec![closed_window]).await;
    let client = server.client(quick_retries(3));
    client.get_account_balance().await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    // The window has turned and no answer has said what the new one holds: the call probes it.
    let second = tokio::time::timeout(Duration::from_secs(10), client.get_account_balance())
        .await
        .expect("not held for ever");
    assert!(second.is_ok(), "{second:?}");
}
