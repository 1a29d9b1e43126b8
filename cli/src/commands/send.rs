//! `instasent send`: one `POST /sms`.

use instasent::SmsRequest;

use crate::args::SendArgs;
use crate::connect::Target;
use crate::fail::CliResult;
use crate::output::print_json;

pub async fn run(target: &Target, args: SendArgs) -> CliResult {
    let mut sms = SmsRequest::new(args.from, args.to, args.text).allow_unicode(args.unicode);
    sms.client_id = args.client_id;
    let response = target.client.send_sms(&sms).await?;
    if args.json.json {
        return print_json(&response.raw);
    }
    let m = &response.body;
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
    println!("{line}");
    Ok(())
}
