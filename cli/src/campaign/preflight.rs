//! What `instasent campaign` settles before it reads a row to send: the command line, the
//! file's columns, whether the API answers at all, and where delivery reports arrive. What is
//! found wrong here costs nothing: nothing was sent.

use std::sync::Arc;

use instasent::{CountryPrice, ErrorKind};

use super::input::{self, Source};
use super::template::Template;
use crate::args::CampaignArgs;
use crate::connect::Target;
use crate::fail::{CliResult, Failure};
use crate::output;
use crate::receiver::{Echo, Inbox, Receiver};

/// `--template`, parsed. An empty one is a mistake of the command line, refused before the
/// file is read: every row would be refused for its blank text.
pub fn template(args: &CampaignArgs) -> CliResult<Option<Template>> {
    let Some(source) = args.template.as_deref() else {
        return Ok(None);
    };
    if source.trim().is_empty() {
        return Err(Failure::usage(
            "--template is empty: give the message, e.g. --template \"Hola {name}\"",
        ));
    }
    Template::parse(source)
        .map(Some)
        .map_err(|e| Failure::usage(format!("--template: {e}")))
}

/// `--wait-dlr` and `--dlr-listen` make sense together, and only the first with `--sandbox`.
pub fn check_delivery_flags(target: &Target, args: &CampaignArgs) -> CliResult {
    let embedded = target.receiver.is_some();
    match (embedded, args.wait_dlr, args.dlr_listen.is_some()) {
        (true, _, true) => Err(Failure::usage(
            "--dlr-listen is for a real account's webhook: with --sandbox, delivery reports \
             come back to the CLI on their own",
        )),
        // Listening is only done while waiting: a receiver that stopped as soon as the rows
        // were sent would lose the reports it was given for.
        (false, false, true) => Err(Failure::usage(
            "--dlr-listen only works with --wait-dlr: add --wait-dlr to wait for the delivery \
             reports there once the rows are sent",
        )),
        (false, true, false) => Err(Failure::usage(
            "--wait-dlr needs --dlr-listen ADDR (your account's webhook must reach it) or --sandbox",
        )),
        _ => Ok(()),
    }
}

/// Where the delivery reports of this run arrive, when it waits for them (the flags passed
/// [`check_delivery_flags`]).
pub async fn delivery_inbox(target: &Target, args: &CampaignArgs) -> CliResult<Option<Arc<Inbox>>> {
    if !args.wait_dlr {
        return Ok(None);
    }
    if let Some(receiver) = &target.receiver {
        return Ok(Some(receiver.inbox.clone()));
    }
    let Some(addr) = args.dlr_listen else {
        return Ok(None);
    };
    // It serves until the process ends, whatever becomes of this handle.
    let receiver = Receiver::start(addr, Echo::Quiet)
        .await
        .map_err(|e| Failure::run(format!("could not listen on {addr}: {e}")))?;
    output::note(format!("receiving delivery reports on {}", receiver.url()));
    Ok(Some(receiver.inbox.clone()))
}

/// The account's SMS prices, for the cost estimate: a token without access to them still
/// sends. The campaign's first request, so it stops the campaign, before a row is read, when
/// no batch could get through: a wrong token, an API that cannot be reached, or a base URL
/// whose path is wrong (404). Each batch would otherwise spend its own retries on it, and the
/// summary would suggest re-running.
pub async fn prices(target: &Target) -> CliResult<Vec<CountryPrice>> {
    match target.client.get_sms_price_profile().await {
        Ok(r) => Ok(r.body),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(Failure::run(format!(
            "the API at {} answered 404 Not Found to its first request (the price profile): \
             the base URL looks wrong; check INSTASENT_BASE_URL (or --base-url), the \
             Instasent API's is {}; nothing was sent",
            target.shown_base_url(),
            instasent::DEFAULT_BASE_URL
        ))),
        Err(e) if is_fatal(e.kind()) => Err(e.into()),
        Err(_) => Ok(Vec::new()),
    }
}

fn is_fatal(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Unauthorized | ErrorKind::Transport | ErrorKind::Timeout
    )
}

/// A CSV header must name everything the command needs; mistakes here are usage errors,
/// found before anything is sent.
pub fn check_columns(source: &Source, template: Option<&Template>, has_from: bool) -> CliResult {
    let Some(headers) = source.headers() else {
        return Ok(());
    };
    let has = |name: &str| {
        let wanted = input::normalize(name);
        headers
            .iter()
            .any(|h| h == name || input::normalize(h) == wanted)
    };
    if !has("to") {
        return Err(Failure::usage(format!(
            "{}: no `to` column (columns: {})",
            source.name,
            headers.join(", ")
        )));
    }
    if !has("text") && !has("template") && template.is_none() {
        return Err(Failure::usage(format!(
            "{}: no `text` or `template` column; give the message with --template \"Hola {{name}}\"",
            source.name
        )));
    }
    if !has("from") && !has_from {
        return Err(Failure::usage(format!(
            "{}: no `from` column; give the sender with --from",
            source.name
        )));
    }
    if let Some(t) = template {
        if let Some(missing) = t.columns().find(|c| !has(c)) {
            return Err(Failure::usage(format!(
                "--template uses {{{missing}}} but {} has no such column (columns: {})",
                source.name,
                headers.join(", ")
            )));
        }
    }
    Ok(())
}
