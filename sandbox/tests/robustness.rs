//! Connections that stall, clients that are slow but alive, and running out of file
//! descriptors: the sandbox neither keeps dead connections forever nor spins.

mod common;

use std::time::Duration;

use common::*;
use instasent_sandbox::{Faults, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SHORT: Duration = Duration::from_secs(1);

fn short_read_timeout() -> SandboxConfig {
    config().read_timeout(SHORT)
}

/// Everything the server writes until it closes the connection, or `None` when it is still
/// open after [`PATIENCE`].
async fn until_closed(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    match tokio::time::timeout(PATIENCE, stream.read_to_end(&mut buf)).await {
        Ok(_) => Some(String::from_utf8_lossy(&buf).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn a_connection_that_never_completes_its_headers_is_closed() {
    let sb = start(short_read_timeout()).await;
    let mut silent = TcpStream::connect(sb.addr()).await.unwrap();
    let mut half = TcpStream::connect(sb.addr()).await.unwrap();
    half.write_all(b"GET /transactional/v1/sms HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    assert!(
        until_closed(&mut silent).await.is_some(),
        "silent: left open"
    );
    assert!(
        until_closed(&mut half).await.is_some(),
        "half a head: left open"
    );
}

#[tokio::test]
async fn a_body_that_stops_coming_is_answered_408_and_commits_nothing() {
    let sb = start(short_read_timeout()).await;
    let mut stream = TcpStream::connect(sb.addr()).await.unwrap();
    let head = format!(
        "POST /transactional/v1/sms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"from\":"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = until_closed(&mut stream).await.expect("closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(sb.messages().is_empty());
}

#[tokio::test]
async fn slow_but_live_clients_are_served() {
    // A handler slower than the read timeout: the timeout is for reading, not for answering.
    let sb = start(short_read_timeout().faults(Faults::default().latency_ms(1_500))).await;
    assert_eq!(get(&sb, "/organization/account").await.0, 200);
    sb.set_faults(Faults::default()).unwrap();
    // A client that sends its body in pieces, within the timeout.
    let mut stream = TcpStream::connect(sb.addr()).await.unwrap();
    let body = sms("+34600000000", "Hi").to_string();
    let (first, rest) = body.split_at(10);
    let head = format!(
        "POST /transactional/v1/sms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    stream.write_all(rest.as_bytes()).await.unwrap();
    let answer = until_closed(&mut stream).await.expect("answered");
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    // A pooled connection idle for longer than the timeout is closed by the sandbox; the
    // client's next request goes out on a new one.
    let c = client();
    let account = || {
        c.get(format!("{}/organization/account", sb.base_url()))
            .bearer_auth(TOKEN)
            .send()
    };
    assert_eq!(account().await.unwrap().status(), 200);
    tokio::time::sleep(SHORT + Duration::from_millis(500)).await;
    assert_eq!(account().await.unwrap().status(), 200);
}

/// CPU time (user + system) the process has used, in clock ticks.
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The command name, in parentheses, may hold spaces: count fields after it.
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 (utime) and 15 (stime) of proc(5); `fields[0]` is field 3.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn out_of_file_descriptors_the_sandbox_waits_instead_of_spinning() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    /// Killed when the test ends, however it ends.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    // 32 descriptors: a few for the runtime, the rest for connections.
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -n 32 && exec \"$0\" --addr 127.0.0.1:0"])
        .arg(env!("CARGO_BIN_EXE_instasent-sandbox"))
        .env("INSTASENT_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sandbox runs");
    let stdout = child.stdout.take().unwrap();
    let child = Running(child);
    let pid = child.0.id();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let base = line.trim_end().strip_prefix("INSTASENT_BASE_URL=").unwrap();
    let addr = base
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_string();
    // More connections than it has descriptors: accept() fails with EMFILE for the rest.
    let flood: Vec<std::net::TcpStream> = (0..64)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_ticks(pid) - before;
    // A loop retrying accept() at once burns a core: ~200 ticks in 2 s at 100 ticks/s.
    assert!(
        used < 50,
        "{used} ticks of CPU in 2 s while out of descriptors"
    );
    drop(flood);
    // Once descriptors are free again, it serves.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let served = rt.block_on(eventually_async(|| async {
        let resp = client()
            .get(format!("{base}/organization/account"))
            .bearer_auth(TOKEN)
            .timeout(Duration::from_secs(2))
            .send()
            .await;
        resp.ok().filter(|r| r.status() == 200).map(|_| ())
    }));
    drop(child);
    assert!(served.is_some(), "not served once descriptors were free");
}

/// [`eventually`] for an async probe.
async fn eventually_async<T, F: std::future::Future<Output = Option<T>>>(
    mut probe: impl FnMut() -> F,
) -> Option<T> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(found) = probe().await {
            return Some(found);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
