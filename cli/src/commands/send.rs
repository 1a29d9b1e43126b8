//! `instasent send`: one `POST /sms`.

use instasent::{SmsRequest, ACCEPTED_EARLIER_STATUS};

use crate::args::SendArgs;
use crate::commands::history::{look_up_command, message_line};
use crate::connect::Target;
use crate::fail::{unicode_hint_for, CliResult, Failure};
use crate::output::{print_json, print_line};

pub async fn run(target: &Target, args: SendArgs) -> CliResult {
    let mut sms = SmsRequest::new(args.from, args.to, args.text).allow_unicode(args.unicode);
    sms.client_id = args.client_id;
    let response = target.client.send_sms(&sms).await.map_err(|e| {
        let look_up = look_up_hint(target, &e);
        let failure = Failure::from(e);
        failure.map_message(|m| unicode_hint_for(m, "pass --unicode (allowUnicode)") + &look_up)
    })?;
    if args.json.json {
        return print_json(&response.raw);
    }
    print_line(accepted_line(target, &response.body))
}

/// For a send that may have gone out: the command that tells. Not for an embedded sandbox,
/// which is gone with this process.
fn look_up_hint(target: &Target, e: &instasent::Error) -> String {
    match e.client_id() {
        Some(client_id) if e.maybe_committed() && target.sandbox.is_none() => {
            format!("; `{}` looks it up", look_up_command(client_id))
        }
        _ => String::new(),
    }
}

fn accepted_line(target: &Target, m: &instasent::Sms) -> String {
    // The connection broke after the API took the message; the retry learnt that its clientId
    // was taken, so the message went out once, but its id never came back.
    if m.status.as_deref() == Some(ACCEPTED_EARLIER_STATUS) {
        let client_id = m.client_id.as_deref().unwrap_or("-");
        let look_up = match target.sandbox {
            None => format!("`{}` finds it", look_up_command(client_id)),
            Some(_) => "look it up by clientId".into(),
        };
        return format!(
            "accepted by an earlier attempt clientId={client_id} to={} (the connection broke before the answer, so its id is unknown; {look_up})",
            m.to
        );
    }
    format!("accepted {}", message_line(m))
}
