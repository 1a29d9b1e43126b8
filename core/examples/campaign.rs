//! A streaming campaign: 2,000 generated messages (a few of them invalid) through
//! `POST /sms/bulk`, one result per input, progress along the way, memory bounded.
//!
//!     cargo run -p instasent --example campaign

mod common;

use futures_util::stream::{self, StreamExt};
use instasent::{CampaignOptions, Outcome, Progress, SmsRequest};

#[tokio::main]
async fn main() -> Result<(), instasent::Error> {
    let target = common::target(common::not_both_set(), None);
    let client = target.builder().build()?;

    let messages = stream::iter((0..2_000u32).map(|i| {
        let to = if i % 500 == 7 {
            "600123456".to_string()
        } else {
            format!("+3460{:07}", 1_000_000 + i)
        };
        SmsRequest::new(
            "Acme",
            to,
            format!("Hola, tu pedido P-{i:05} ya está en camino"),
        )
        .allow_unicode(true)
        // Your own ids make the campaign resumable: with `resume: true` a re-run counts
        // them as accepted earlier instead of sending again.
        .client_id(format!("example-campaign-{i}"))
    }));
    let options = CampaignOptions::default()
        .resume(true)
        .on_progress(|p: &Progress| {
            if p.requests.is_multiple_of(5) {
                eprintln!("{} done, {:.0} msg/s", p.done(), p.rate());
            }
        });

    let mut results = std::pin::pin!(client.campaign(messages, options)?);
    let (mut accepted, mut rejected, mut failed) = (0, 0, 0);
    while let Some(item) = results.next().await {
        match &item.outcome {
            Outcome::Accepted { .. } => accepted += 1,
            Outcome::Rejected { fields, .. } => {
                rejected += 1;
                println!("input {} rejected: {fields:?}", item.index);
            }
            Outcome::Failed { kind, message, .. } => {
                failed += 1;
                println!("input {} not sent ({kind}): {message}", item.index);
            }
        }
    }
    println!("accepted {accepted}, rejected {rejected}, not sent {failed}");
    if failed > 0 {
        // Not sent: the same run again (resume) sends them.
        std::process::exit(1);
    }
    Ok(())
}
