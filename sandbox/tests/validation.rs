//! The documented field rules and answers of the sending endpoints: the wording of a rejected
//! `to`, the shape of bulk errors, items that are not objects, destinations in every country,
//! and a verify text checked as the SMS that is sent.

mod common;

use common::*;
use serde_json::{json, Value};

/// docs: transactional-api/http/bulk, the `errors` example.
const TO_NOT_VALID: &str = "This value is not valid";

#[tokio::test]
async fn an_invalid_to_gets_the_documented_message() {
    let sb = start(config()).await;
    for to in [
        "600123456",
        "34600000000",
        "+0034600000",
        "+34 600 000",
        "+34600x",
    ] {
        let (status, body) = post(&sb, "/sms", sms(to, "Hi")).await;
        assert_eq!(status, 422, "{to}");
        assert_eq!(
            body["errors"]["fields"]["to"],
            json!([TO_NOT_VALID]),
            "{to}"
        );
        let (status, body) = post(&sb, "/lookup", json!({ "to": to })).await;
        assert_eq!(status, 422, "{to}");
        assert_eq!(
            body["errors"]["fields"]["to"],
            json!([TO_NOT_VALID]),
            "{to}"
        );
    }
    assert!(sb.messages().is_empty());
}

#[tokio::test]
async fn bulk_errors_have_the_documented_shape() {
    let sb = start(config()).await;
    let batch = json!([
        sms("+34600000001", "one"),
        sms("600123456", "two"),
        sms("+34600000003", "three"),
    ]);
    let (status, body) = post(&sb, "/sms/bulk", batch).await;
    assert_eq!(status, 201);
    assert_eq!(body["entities"].as_array().unwrap().len(), 2);
    assert_eq!(
        body["errors"],
        json!([{ "fields": { "to": [TO_NOT_VALID] } }]),
        "exactly the documented entry: no extra keys"
    );
}

#[tokio::test]
async fn a_bulk_item_that_is_not_an_object_is_rejected() {
    let sb = start(config()).await;
    let not_an_object = json!({ "item": ["This value should be of type object."] });
    // Arrays holding a message's fields in their order, beside a well-typed object: still
    // not messages.
    let arrays = json!([
        ["Acme", "+34600000011", "text", true, "cid-1"],
        sms("+34600000012", "an object"),
        ["Acme", "+34600000013", "text", null, null],
    ]);
    let (status, body) = post(&sb, "/sms/bulk", arrays).await;
    assert_eq!(status, 201);
    let texts = entity_texts(&body);
    assert_eq!(texts, ["an object"]);
    assert_eq!(
        body["errors"],
        json!([{ "fields": not_an_object }, { "fields": not_an_object }])
    );
    let short = json!(["Acme", "+34600000014", "text"]);
    for other in [
        short,
        json!(42),
        json!("text"),
        json!(null),
        json!(true),
        json!([]),
    ] {
        let (status, body) = post(&sb, "/sms/bulk", json!([other])).await;
        assert_eq!(status, 201, "{other}");
        assert_eq!(
            body["errors"],
            json!([{ "fields": not_an_object }]),
            "{other}"
        );
    }
    let ledger = sb.messages();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].client_id, None);
}

/// docs: transactional-api/overview, "delivering to handsets in 200+ countries".
#[tokio::test]
async fn numbers_of_every_country_are_routed_and_priced() {
    let sb = start(config()).await;
    let (_, prices) = get(&sb, "/sms/price-profile/me/countries").await;
    let prices = prices["entities"].as_array().unwrap().clone();
    assert!(prices.len() >= 200, "{} countries", prices.len());
    let price_of = |country: &str| -> Value {
        prices
            .iter()
            .find(|p| p["country"] == country)
            .unwrap_or_else(|| panic!("{country} not in the price profile"))["price"]
            .clone()
    };
    for (to, country) in [
        ("+41791234567", "CH"),
        ("+48500123456", "PL"),
        ("+81901234567", "JP"),
        ("+919812345678", "IN"),
        ("+2348031234567", "NG"),
        ("+77011234567", "KZ"),
        ("+79161234567", "RU"),
        ("+35312345678", "IE"),
    ] {
        let (status, body) = post(&sb, "/sms", sms(to, "Hi")).await;
        assert_eq!(status, 201, "{to}: {body}");
        assert_eq!(body["entity"]["country"], country, "{to}");
        assert_eq!(body["entity"]["price"], price_of(country), "{to}");
        let (status, lookup) = post(&sb, "/lookup", json!({ "to": to })).await;
        assert_eq!(status, 201, "{to}: {lookup}");
        assert_eq!(lookup["entity"]["country"], country, "{to}");
    }
    // Countries without a price of their own cost the documented default.
    assert_eq!(price_of("CH"), json!(0.05));
    assert_eq!(price_of("ES"), json!(0.045));
    // The documented way to meet an unroutable number: a country code no country has.
    let (status, body) = post(&sb, "/sms", sms("+99912345678", "Hi")).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"]["fields"]["to"],
        json!(["No route to this destination"])
    );
}

#[tokio::test]
async fn a_verify_text_is_checked_once_the_code_is_in_it() {
    let sb = start(config()).await;
    // GSM-7 fits 255 × 153 = 39,015 septets. With the placeholder the text is 39,013; with a
    // 10-digit code in its place it is 39,016: 256 parts, which POST /sms refuses.
    let text = format!("{}%token%", "x".repeat(39_006));
    let (status, body) = post(&sb, "/sms", sms("+34600000000", &text)).await;
    assert_eq!(status, 201, "the template alone fits: {body}");
    let too_long = text.replace("%token%", "0123456789");
    let (status, refused) = post(&sb, "/sms", sms("+34600000000", &too_long)).await;
    assert_eq!(status, 422);
    let request = json!({
        "sms": { "from": "Acme", "to": "+34600000000", "text": text.clone() },
        "tokenLength": 10,
    });
    let (status, body) = post(&sb, "/verify", request).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["errors"]["fields"]["sms.text"],
        refused["errors"]["fields"]["text"]
    );
    assert_eq!(
        sb.messages().len(),
        1,
        "the verify SMS was neither sent nor charged"
    );
    let (_, account) = get(&sb, "/organization/account").await;
    // 1000 EUR less the 255 parts of the POST /sms above, at 0.045 each.
    assert_eq!(account["entity"]["available"], json!(988.525));
    // With a 7-digit code it is as long as the template: sent.
    let request = json!({
        "sms": { "from": "Acme", "to": "+34600000000", "text": text },
        "tokenLength": 7,
    });
    assert_eq!(post(&sb, "/verify", request).await.0, 201);
}
