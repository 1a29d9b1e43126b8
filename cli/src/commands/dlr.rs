//! `instasent dlr listen`: a webhook receiver that prints one line per delivery report.

use crate::args::{DlrCommand, DlrListenArgs};
use crate::fail::{CliResult, Failure};
use crate::output::{note, print_line};
use crate::receiver::{Echo, Receiver};

pub async fn run(command: DlrCommand) -> CliResult {
    match command {
        DlrCommand::Listen(args) => listen(args).await,
    }
}

async fn listen(args: DlrListenArgs) -> CliResult {
    let echo = if args.json { Echo::Json } else { Echo::Lines };
    let receiver = Receiver::start(args.addr, echo)
        .await
        .map_err(|e| Failure::run(format!("could not listen on {}: {e}", args.addr)))?;
    note(format_args!(
        "listening on http://{}/ (POST delivery reports to any path; Ctrl-C to stop)",
        receiver.addr
    ));
    // With --json, stdout is JSON lines only (`| jq`): the address is on stderr above. The
    // readable mode also gives it on stdout, first, for whoever reads the reports from there.
    if !args.json {
        print_line(format_args!("listening on http://{}/", receiver.addr))?;
    }
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::run(format!("could not wait for Ctrl-C: {e}")))?;
    let inbox = &receiver.inbox;
    let counts = inbox.tracker().counts();
    let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{s} {n}")).collect();
    note(format_args!(
        "{} reports read, {} malformed requests refused (answered 400); latest status per \
         message: {}",
        inbox.received(),
        inbox.malformed(),
        if counts.is_empty() {
            "none".into()
        } else {
            counts.join(", ")
        }
    ));
    Ok(())
}
