//! Ctrl-C during `instasent campaign`: what went out is recorded, and a re-run of the same
//! command finishes the job without sending anything twice.

mod common;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use instasent_sandbox::{Faults, Sandbox, SandboxConfig};

/// How long a step may take on a loaded CI machine before the test gives up.
const PATIENCE: Duration = Duration::from_secs(60);

fn spawn(sb: &Sandbox, args: &[&str]) -> Child {
    command(args, Some(&sb.base_url()), Some(sb.token()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the instasent binary starts")
}

/// Presses Ctrl-C (SIGINT, as a terminal sends it) and waits for the process to end.
fn ctrl_c(child: Child) -> Output {
    // The shell's own `kill`: no signal crate for one call, and no kill binary needed.
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .expect("sh runs");
    assert!(status.success());
    child.wait_with_output().unwrap()
}

fn wait_for_ledger(sb: &Sandbox, at_least: usize) {
    let deadline = Instant::now() + PATIENCE;
    while sb.messages().len() < at_least {
        assert!(
            Instant::now() < deadline,
            "the campaign never sent {at_least}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn ctrl_c_records_what_went_out_and_the_same_command_sends_the_rest_once() {
    // 20 ms per request, two in flight: about 1,000 messages a second, so the 5,000 rows are
    // far from done when Ctrl-C comes.
    let sb =
        Sandbox::spawn(SandboxConfig::default().faults(Faults::default().latency_ms(20))).unwrap();
    let rows = 5_000;
    let dir = temp_dir();
    let csv = dir.join("big.csv");
    let mut text = String::from("to,name\n");
    for i in 0..rows {
        writeln!(text, "+3461{i:07},n{i}").unwrap();
    }
    std::fs::write(&csv, text).unwrap();
    let (first, second) = (dir.join("first.jsonl"), dir.join("second.jsonl"));
    let args = [
        "campaign",
        csv.to_str().unwrap(),
        "--from",
        "Acme",
        "--template",
        "Hola {name}",
        "--batch-size",
        "10",
        "--concurrency",
        "2",
        "--results",
    ];

    let child = spawn(&sb, &[&args[..], &[first.to_str().unwrap()]].concat());
    wait_for_ledger(&sb, 200);
    let o = ctrl_c(child);
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("interrupted: no more rows are read")
            && err.contains("of 5000 rows were not read")
            && err.contains("re-run the same command"),
        "{err}"
    );
    let sent: HashSet<String> = sb
        .messages()
        .into_iter()
        .map(|m| m.client_id.expect("the CLI gives every row a clientId"))
        .collect();
    assert!(sent.len() < rows, "Ctrl-C did not stop the campaign");
    // Every message that went out has its line, none is missing and none is invented: the
    // requests in flight at Ctrl-C were waited for and recorded.
    let recorded: HashSet<String> = results(&first)
        .iter()
        .map(|r| {
            assert_eq!(r["outcome"], "accepted", "{r}");
            r["clientId"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(recorded, sent);
    assert!(
        stdout(&o).contains(&format!("accepted   {:>7}", sent.len())),
        "{}",
        stdout(&o)
    );

    sb.set_faults(Faults::default()).unwrap();
    let again = against(&sb, &[&args[..], &[second.to_str().unwrap()]].concat());
    assert!(again.status.success(), "{}", stderr(&again));
    let ledger = sb.messages();
    assert_eq!(ledger.len(), rows, "each row sent exactly once in all");
    let unique: HashSet<_> = ledger.iter().map(|m| m.client_id.clone()).collect();
    assert_eq!(unique.len(), rows);
    assert!(
        stdout(&again).contains(&format!("({} by an earlier run", sent.len())),
        "{}",
        stdout(&again)
    );
    assert_eq!(results(&second).len(), rows);
}

#[test]
fn ctrl_c_while_waiting_for_delivery_reports_ends_the_wait_with_what_came() {
    // No webhook on this sandbox: no report ever reaches the CLI's listener.
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("wait.csv");
    std::fs::write(&csv, "to,text\n+34600000401,Hola\n+34600000402,Hola\n").unwrap();
    let started = Instant::now();
    let child = spawn(
        &sb,
        &[
            "campaign",
            csv.to_str().unwrap(),
            "--from",
            "Acme",
            "--wait-dlr",
            "--dlr-listen",
            "127.0.0.1:0",
            "--dlr-timeout",
            "600",
        ],
    );
    wait_for_ledger(&sb, 2);
    std::thread::sleep(Duration::from_millis(200));
    let o = ctrl_c(child);
    assert!(started.elapsed() < PATIENCE, "the wait ran on");
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("interrupted while waiting for delivery reports; every row was sent"),
        "{}",
        stderr(&o)
    );
    let out = stdout(&o);
    assert!(out.contains(&format!("accepted   {:>7}", 2)), "{out}");
    assert!(
        out.contains("delivery reports for 2 messages (stopped waiting after"),
        "{out}"
    );
}
