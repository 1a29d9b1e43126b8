//! What the CLI's test binaries share: the built `instasent` binary run against a real
//! sandbox on 127.0.0.1.
#![allow(dead_code)] // each test binary uses its own part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use instasent_sandbox::{Faults, Sandbox, SandboxConfig};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_instasent");

pub fn command(args: &[&str], base_url: Option<&str>, token: Option<&str>) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("INSTASENT_TOKEN")
        .env_remove("INSTASENT_BASE_URL")
        .env_remove("INSTASENT_LOG");
    if let Some(url) = base_url {
        cmd.env("INSTASENT_BASE_URL", url);
    }
    if let Some(token) = token {
        cmd.env("INSTASENT_TOKEN", token);
    }
    cmd
}

pub fn instasent(args: &[&str], base_url: Option<&str>, token: Option<&str>) -> Output {
    command(args, base_url, token)
        .output()
        .expect("the instasent binary runs")
}

pub fn against(sandbox: &Sandbox, args: &[&str]) -> Output {
    instasent(args, Some(&sandbox.base_url()), Some(sandbox.token()))
}

/// `instasent send` of `text` from Acme to `to`, with its own `client_id`.
pub fn send_args<'a>(to: &'a str, text: &'a str, client_id: &'a str) -> [&'a str; 9] {
    [
        "send",
        "--from",
        "Acme",
        "--to",
        to,
        "--text",
        text,
        "--client-id",
        client_id,
    ]
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn sandbox() -> Sandbox {
    sandbox_with(Faults::default())
}

pub fn sandbox_with(faults: Faults) -> Sandbox {
    Sandbox::spawn(SandboxConfig::default().faults(faults)).expect("sandbox starts")
}

/// A child process killed when the test ends, however it ends.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One line of a child's stdout, without its line end.
pub fn read_line(out: &mut BufReader<ChildStdout>) -> String {
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    line.trim_end().to_string()
}

/// POSTs `body` to `path` over a plain HTTP/1.1 connection; returns the status code.
pub fn post(addr: &str, path: &str, body: &str) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    response.split(' ').nth(1).unwrap().parse().unwrap()
}

/// The one stderr line of a failed command, checked for its exit code: `error: …`, never a
/// panic.
pub fn one_error_line(o: &Output, code: i32) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

pub fn temp_dir() -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "instasent-cli-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The lines of a `--results` file, by input index.
pub fn results(path: &PathBuf) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut v: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    v.sort_by_key(|r| r["index"].as_u64().unwrap());
    v
}
