//! Send one SMS with the blocking client, read it back, and show the documented
//! `{response_code, response_body}` shape next to the typed one. The token comes from
//! `INSTASENT_TOKEN` and the API from `INSTASENT_BASE_URL`, else production: to try it locally,
//! start the sandbox and export both, as the README's Quickstart shows.
//!
//!     cargo run -p instasent --example send

use std::process::ExitCode;

use instasent::blocking::Client;
use instasent::{documented, ErrorKind, SmsRequest};

fn main() -> ExitCode {
    match send() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // "UNAUTHORIZED (HTTP 401): …": what failed and why, on one line.
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn send() -> Result<(), instasent::Error> {
    // An empty token is refused here, with a message that says so.
    let client = Client::new(std::env::var("INSTASENT_TOKEN").unwrap_or_default())?;

    // No clientId given: the SDK makes one, so a retry can never deliver it twice.
    let sms = SmsRequest::new("Acme", "+34600123456", "Hola José, tu clave es 4821");
    let sent = client.send_sms(&sms)?;
    let m = &sent.body;
    println!(
        "HTTP {}: id={} encoding={:?} segments={:?} price={:?}",
        sent.status, m.id, m.encoding, m.segments, m.price
    );
    let again = client.get_sms_by_id(&m.id)?;
    println!("GET /sms/{}: status={:?}", m.id, again.body.status);

    // A text outside GSM-7 needs allowUnicode: the SDK checks the documented rules first.
    let unicode = SmsRequest::new("Acme", "+34600123456", "Hola María");
    match client.send_sms(&unicode) {
        Err(e) if e.kind() == ErrorKind::Validation => println!("refused locally: {e}"),
        other => println!("unexpected: {other:?}"),
    }

    // The shape Instasent's own SDKs return: HTTP errors are responses too.
    let shape = documented(client.get_sms_by_id("does-not-exist"))?;
    println!(
        "documented: response_code={} response_body={}",
        shape.response_code, shape.response_body
    );
    Ok(())
}
