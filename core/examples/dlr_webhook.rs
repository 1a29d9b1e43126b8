//! Receiving delivery reports: a small webhook endpoint that hands every POST body to
//! `instasent::dlr::parse` and keeps the latest state per message in a `DeliveryTracker`.
//! With no INSTASENT_BASE_URL the embedded sandbox's webhook points here; with one, start the
//! sandbox with `instasent sandbox --webhook http://127.0.0.1:8089/dlr` (or point your
//! account's webhook at this machine) and set DLR_ADDR if 8089 does not suit.
//!
//!     cargo run -p instasent --example dlr_webhook

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use instasent::dlr::DeliveryTracker;
use instasent::SmsRequest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let embedded = common::no_base_url();
    let addr = if embedded {
        "127.0.0.1:0".to_string()
    } else {
        std::env::var("DLR_ADDR").unwrap_or("127.0.0.1:8089".into())
    };
    let listener = TcpListener::bind(&addr).await?;
    let url = format!("http://{}/dlr", listener.local_addr()?);
    println!("receiving delivery reports on {url}");
    let tracker = Arc::new(Mutex::new(DeliveryTracker::new()));
    tokio::spawn(serve(listener, tracker.clone()));

    let target = tokio::task::spawn_blocking(move || common::target(embedded, Some(url))).await?;
    let client = target.builder().build()?;
    // The sandbox's test numbers: …0001 fails with code 3, …0005 is buffered then delivered.
    let mut ids = Vec::new();
    for to in ["+34600123456", "+34600000001", "+34600000005"] {
        let sent = client
            .send_sms(&SmsRequest::new("Acme", to, "Hola"))
            .await?;
        ids.push(sent.body.id);
    }
    let mut settled = false;
    for _ in 0..100 {
        settled = {
            let t = tracker.lock().unwrap();
            ids.iter().all(|id| t.get(id).is_some_and(|r| r.is_final))
        };
        if settled {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    {
        let t = tracker.lock().unwrap();
        for id in &ids {
            match t.get(id) {
                Some(r) => println!(
                    "{id}: {} code {:?} ({})",
                    r.status.as_str(),
                    r.code,
                    r.code_meaning.as_deref().unwrap_or("-")
                ),
                None => println!("{id}: no report yet"),
            }
        }
        println!("latest status per message: {:?}", t.counts());
    }
    let _ = tokio::task::spawn_blocking(move || drop(target)).await;
    if !settled {
        return Err("not every message has a final delivery report after 10 s: is the webhook pointed here?".into());
    }
    Ok(())
}

/// A deliberately small HTTP/1.1 endpoint: one request per connection, answered 200 for a
/// report we could read and 400 otherwise ("any non-2xx is retried", docs: http/dlrs).
async fn serve(listener: TcpListener, tracker: Arc<Mutex<DeliveryTracker>>) {
    while let Ok((stream, _)) = listener.accept().await {
        let tracker = tracker.clone();
        tokio::spawn(async move {
            let _ = handle(stream, tracker).await;
        });
    }
}

async fn handle(
    mut stream: TcpStream,
    tracker: Arc<Mutex<DeliveryTracker>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_end, length) = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (end + 4, length);
        }
    };
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = &buf[head_end..buf.len().min(head_end + length)];
    let status = match instasent::dlr::parse(body) {
        Ok(report) => {
            println!(
                "report: {} {} code {:?}",
                report.id,
                report.status.as_str(),
                report.code
            );
            tracker.lock().unwrap().record(report);
            "200 OK"
        }
        Err(e) => {
            eprintln!("malformed report: {}", e.message());
            "400 Bad Request"
        }
    };
    stream
        .write_all(
            format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await
}
