//! `instasent sandbox`: the local Transactional API emulator in the foreground.

use instasent_sandbox::SandboxConfig;

use crate::args::{Global, SandboxArgs};
use crate::connect::spawn_sandbox;
use crate::fail::{CliResult, Failure};
use crate::output::{note, print_line};

pub async fn run(global: &Global, args: SandboxArgs) -> CliResult {
    // Checked here so that a rate outside 0–1 is a usage error (exit 2).
    let faults = args.faults.faults().map_err(Failure::usage)?;
    let custom_token = global.token.clone().filter(|t| !t.trim().is_empty());
    let mut config = SandboxConfig::default()
        .addr(args.addr)
        .balance(args.balance)
        .dlr_delay(std::time::Duration::from_millis(args.dlr_delay_ms))
        .faults(faults);
    config.webhook = args.webhook;
    if let Some(token) = &custom_token {
        config.token = token.clone();
    }
    let sandbox = spawn_sandbox(config).await?;
    print_line(format_args!("INSTASENT_BASE_URL={}", sandbox.base_url()))?;
    // The default token is public (it is in the docs); a chosen one is never echoed.
    if custom_token.is_none() {
        print_line(format_args!(
            "INSTASENT_TOKEN={}",
            instasent_sandbox::SandboxConfig::default().token
        ))?;
    }
    note(format_args!(
        "sandbox listening on http://{} (ledger: GET /_sandbox/messages; Ctrl-C to stop)",
        sandbox.addr()
    ));
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::run(format!("could not wait for Ctrl-C: {e}")))?;
    sandbox.shutdown();
    Ok(())
}
