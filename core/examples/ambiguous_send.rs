//! A send that may have gone out unanswered (`ErrorKind::AmbiguousOutcome`): look the message
//! up by its clientId, and send it again only when it is not there. The API refuses a clientId
//! it has seen, so that resend cannot deliver it twice.
//!
//! The SDK retries an unanswered send itself, and a retry that finds its clientId used reports
//! the send as accepted. So the error reaches you only when the retries could not settle it (an
//! outage): keep the clientId with what you were sending, and settle it once the API answers.
//!
//! The demo provokes both cases in a sandbox of its own (injected faults), retries off so that
//! the first fault is the answer.
//!
//!     cargo run -p instasent --example ambiguous_send

use std::process::ExitCode;

use instasent::blocking::Client;
use instasent::{ErrorKind, SmsRequest};
use instasent_sandbox::{Faults, Sandbox, SandboxConfig};

/// Makes sure the message went out once; says how.
fn settle(client: &Client, sms: &SmsRequest, client_id: &str) -> instasent::Result<String> {
    if let Some(found) = client.find_sms_by_client_id(client_id)? {
        return Ok(format!("already sent as {}, not sent again", found.id));
    }
    let resent = client.send_sms(sms)?;
    Ok(format!(
        "not in the history, sent again as {}",
        resent.body.id
    ))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::spawn(SandboxConfig::default())?;
    let builder = instasent::Client::builder(sandbox.token())
        .base_url(sandbox.base_url())
        .max_retries(0);
    let client = Client::from_builder(builder)?;
    let cases = [
        // Committed, then the connection closed.
        ("order-1001", Faults::default().drop_after_commit_rate(1.0)),
        // Answered 500 before anything was committed.
        ("order-1002", Faults::default().error_rate(1.0)),
    ];
    for (client_id, fault) in cases {
        let sms =
            SmsRequest::new("Acme", "+34600123456", "Your order has shipped").client_id(client_id);
        sandbox.set_faults(fault)?;
        match client.send_sms(&sms) {
            Err(e) if e.kind() == ErrorKind::AmbiguousOutcome => println!(
                "{}: {}, may have been sent: {}",
                e.client_id().unwrap_or_default(),
                e.kind().code(),
                e.maybe_committed()
            ),
            Err(e) => return Err(e.into()),
            Ok(_) => {
                return Err(format!("{client_id}: sent, but the sandbox was to fail it").into())
            }
        }
        sandbox.set_faults(Faults::default())?; // the outage is over
        println!("{client_id}: {}", settle(&client, &sms, client_id)?);
    }

    let ledger = sandbox.messages();
    let times = |c: &str| {
        ledger
            .iter()
            .filter(|m| m.client_id.as_deref() == Some(c))
            .count()
    };
    println!(
        "ledger: order-1001 x{}, order-1002 x{}",
        times("order-1001"),
        times("order-1002")
    );
    Ok(())
}
