//! What the CLI's test binaries share: the built `instasent` binary run against a real
//! sandbox on 127.0.0.1.
#![allow(dead_code)] // each test binary uses its own part

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use instasent_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_instasent");

pub fn command(args: &[&str], base_url: Option<&str>, token: Option<&str>) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("INSTASENT_TOKEN")
        .env_remove("INSTASENT_BASE_URL");
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

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn sandbox() -> Sandbox {
    Sandbox::spawn(SandboxConfig::default()).expect("sandbox starts")
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
