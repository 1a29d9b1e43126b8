//! Send one SMS with the blocking client, read it back, and show the documented
//! `{response_code, response_body}` shape next to the typed one.
//!
//!     cargo run -p instasent --example send

mod common;

use instasent::blocking::Client;
use instasent::{documented, ErrorKind, SmsRequest};

fn main() -> Result<(), instasent::Error> {
    let target = common::target(common::not_both_set(), None);
    let client = Client::from_builder(target.builder())?;

    let sms = SmsRequest::new("Acme", "+34600123456", "Hola José, tu clave es 4821")
        .client_id("example-send-1");
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
