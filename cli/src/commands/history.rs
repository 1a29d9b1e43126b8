//! `instasent history`: the account's messages (`GET /sms`, `GET /sms/{id}`), and the way to
//! settle a send whose answer was lost: find its clientId.

use std::future::Future;
use std::io::IsTerminal;
use std::time::Duration;

use futures_util::StreamExt;
use instasent::{ErrorKind, PageRequest, Sms};

use crate::args::HistoryArgs;
use crate::connect::Target;
use crate::fail::{one_line, CliResult, Failure};
use crate::output::{json_line, note, print_line, stderr_bar};

pub async fn run(target: &Target, args: HistoryArgs) -> CliResult {
    if let Some(id) = &args.id {
        let response = target.client.get_sms_by_id(id).await.map_err(|e| {
            if e.kind() == ErrorKind::NotFound {
                Failure::run(format!("no message with id {id:?} (HTTP 404)"))
            } else {
                e.into()
            }
        })?;
        return print_message(&response.body, args.json);
    }
    if let Some(client_id) = &args.client_id {
        return find_by_client_id(target, client_id, args.json).await;
    }
    // One request when the limit fits in a page, pages of the largest size otherwise.
    let limit = args.limit.get();
    let per_page = limit.min(PageRequest::MAX_PER_PAGE as u64) as u32;
    let mut messages = Box::pin(target.client.sms_stream(per_page).take(limit as usize));
    let mut listed = 0u64;
    while let Some(sms) = messages.next().await {
        print_message(&sms?, args.json)?;
        listed += 1;
    }
    if listed == 0 {
        note("the message history is empty");
    }
    Ok(())
}

/// The API has no filter by clientId: the core reads the history until the message turns up.
async fn find_by_client_id(target: &Target, client_id: &str, json: bool) -> CliResult {
    let search = target.client.find_sms_by_client_id(client_id);
    let doing = format!("reading the history for clientId {client_id:?}");
    match while_slow(one_line(&doing), search).await? {
        Some(sms) => print_message(&sms, json),
        None => Err(Failure::run(format!(
            "no message with clientId {client_id:?} in the history; sending it again with that \
             clientId cannot deliver it twice: the API refuses a clientId it has seen"
        ))),
    }
}

/// How long a search runs before a terminal shows that it is still going.
const SPINNER_AFTER: Duration = Duration::from_secs(1);

/// Awaits `work`; when it takes longer than [`SPINNER_AFTER`] and stderr is a terminal, a
/// spinner there says what is going on and for how long. A long history is thousands of
/// requests (minutes against the API), and a silent terminal looks hung.
async fn while_slow<T>(doing: String, work: impl Future<Output = T>) -> T {
    let mut work = std::pin::pin!(work);
    tokio::select! {
        done = &mut work => return done,
        () = tokio::time::sleep(SPINNER_AFTER) => {}
    }
    let spinner = std::io::stderr().is_terminal().then(|| {
        let spinner = stderr_bar(None, "{spinner:.green} {elapsed} {msg}");
        spinner.set_message(format!("{doing} (Ctrl-C stops)"));
        spinner
    });
    let done = work.await;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    done
}

/// The command that finds the message sent with `client_id`, ready to paste into a shell.
pub fn look_up_command(client_id: &str) -> String {
    format!("instasent history --client-id {}", shell_word(client_id))
}

/// `word` as a POSIX shell reads it back: as is when nothing in it is special to a shell, else
/// single-quoted (a `'` inside closes, escapes and reopens the quote).
fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_.:/+@%=,".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        return word.to_owned();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

fn print_message(sms: &Sms, json: bool) -> CliResult {
    if json {
        // One JSON line per message, as the API wrote its fields, for `jq` and scripts.
        return print_line(json_line(sms)?);
    }
    print_line(message_line(sms))
}

/// `id=… clientId=… to=… status=…` and whatever else the API said of the message, on one line
/// (the text stays out: `--json` has it). Values come from the API, so they are made visible
/// before they reach a terminal.
pub fn message_line(sms: &Sms) -> String {
    let mut line = format!("id={}", sms.id);
    if let Some(client_id) = &sms.client_id {
        line.push_str(&format!(" clientId={client_id}"));
    }
    line.push_str(&format!(" to={}", sms.to));
    if let Some(status) = &sms.status {
        line.push_str(&format!(" status={status}"));
    }
    if let Some(encoding) = &sms.encoding {
        line.push_str(&format!(" encoding={encoding}"));
    }
    if let Some(segments) = sms.segments {
        line.push_str(&format!(" segments={segments}"));
    }
    if let Some(price) = sms.price {
        line.push_str(&format!(" price={price}"));
    }
    if let Some(created_at) = &sms.created_at {
        line.push_str(&format!(" createdAt={created_at}"));
    }
    one_line(&line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_line_names_what_the_api_said_and_escapes_it() {
        let sms: Sms = serde_json::from_value(serde_json::json!({
            "id": "m-1", "clientId": "c-1", "from": "Acme", "to": "+34600000001",
            "text": "secret 1234", "status": "delivered\u{1b}[2J", "segments": 2,
            "price": 0.09, "createdAt": "2026-12-07T10:00:00Z"
        }))
        .unwrap();
        let line = message_line(&sms);
        assert_eq!(
            line,
            "id=m-1 clientId=c-1 to=+34600000001 status=delivered\\u{1b}[2J segments=2 \
             price=0.09 createdAt=2026-12-07T10:00:00Z"
        );
        assert!(!line.contains("secret"));
    }

    #[test]
    fn the_look_up_command_survives_a_shell() {
        assert_eq!(
            look_up_command("c-1.x:9"),
            "instasent history --client-id c-1.x:9"
        );
        assert_eq!(
            look_up_command("my id; rm -rf ~"),
            "instasent history --client-id 'my id; rm -rf ~'"
        );
        assert_eq!(
            look_up_command("it's"),
            r"instasent history --client-id 'it'\''s'"
        );
        assert_eq!(look_up_command(""), "instasent history --client-id ''");
    }
}
