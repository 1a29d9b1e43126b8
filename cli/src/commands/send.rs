//! `instasent send`: one `POST /sms`.

use instasent::{SmsRequest, ACCEPTED_EARLIER_STATUS};

use crate::args::SendArgs;
use crate::connect::Target;
use crate::fail::{unicode_hint_for, CliResult, Failure};
use crate::output::{print_json, print_line};

pub async fn run(target: &Target, args: SendArgs) -> CliResult {
    let mut sms = SmsRequest::new(args.from, args.to, args.text).allow_unicode(args.unicode);
    sms.client_id = args.client_id;
    let response = target.client.send_sms(&sms).await.map_err(|e| {
        let failure = Failure::from(e);
        failure.map_message(|m| unicode_hint_for(m, "pass --unicode (allowUnicode)"))
    })?;
    if args.json.json {
        return print_json(&response.raw);
    }
    print_line(accepted_line(&response.body))
}

fn accepted_line(m: &instasent::Sms) -> String {
    let client_id = m.client_id.as_deref().unwrap_or("-");
    // The connection broke after the API took the message; the retry learnt that its clientId
    // was taken, so the message went out once, but its id never came back.
    if m.status.as_deref() == Some(ACCEPTED_EARLIER_STATUS) {
        return format!(
            "accepted by an earlier attempt clientId={client_id} to={} (the connection broke before the answer, so its id is unknown; look it up by clientId)",
            m.to
        );
    }
    let mut line = format!("accepted id={}", m.id);
    if let Some(client_id) = &m.client_id {
        line.push_str(&format!(" clientId={client_id}"));
    }
    line.push_str(&format!(" to={}", m.to));
    if let Some(status) = &m.status {
        line.push_str(&format!(" status={status}"));
    }
    if let Some(encoding) = &m.encoding {
        line.push_str(&format!(" encoding={encoding}"));
    }
    if let Some(segments) = m.segments {
        line.push_str(&format!(" segments={segments}"));
    }
    if let Some(price) = m.price {
        line.push_str(&format!(" price={price}"));
    }
    line
}
