//! What the user of the `instasent` binary sees: usage errors, output that scripts read,
//! streams that went away, and messages that say what happened. The built binary runs against
//! sandboxes on 127.0.0.1.

mod common;

use std::process::{Command, Output};

use common::*;
use instasent_sandbox::{Faults, Sandbox, SandboxConfig};

fn sandbox_with(faults: Faults) -> Sandbox {
    Sandbox::spawn(SandboxConfig {
        faults,
        ..SandboxConfig::default()
    })
    .expect("sandbox starts")
}

/// Runs `cmd` with a stderr whose reader is already gone: every write to it fails with a
/// broken pipe, as under `2>&1 | head -1` once `head` has its line.
fn with_stderr_closed(mut cmd: Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    cmd.stderr(writer)
        .output()
        .expect("the instasent binary runs")
}

#[test]
fn a_closed_stderr_does_not_stop_a_campaign() {
    // Slow enough that the plain progress line (every 2 s) is due while rows are still sent.
    let sb = sandbox_with(Faults {
        latency_ms: 100,
        ..Faults::default()
    });
    let dir = temp_dir();
    let csv = dir.join("closed-stderr.csv");
    let rows: String = (0..30).map(|i| format!("+346000{i:05},Hola\n")).collect();
    std::fs::write(&csv, format!("to,text\n{rows}")).unwrap();
    let args = [
        "campaign",
        csv.to_str().unwrap(),
        "--from",
        "Acme",
        "--batch-size",
        "1",
        "--concurrency",
        "1",
    ];
    let o = with_stderr_closed(command(&args, Some(&sb.base_url()), Some(sb.token())));
    assert_eq!(sb.messages().len(), 30, "the campaign stopped mid-send");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("accepted        30"), "{}", stdout(&o));

    // An error with nowhere to say it still exits with its own code.
    let o = with_stderr_closed(command(&["balance"], None, None));
    assert_eq!(o.status.code(), Some(2));
}
