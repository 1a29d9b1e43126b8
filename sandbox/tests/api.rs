//! The documented HTTP behaviour of the emulated Transactional API.

mod common;

use std::time::Duration;

use common::*;
use instasent::validate::CLIENT_ID_ALREADY_USED;
use instasent_sandbox::{Faults, Sandbox};
use reqwest::Method;
use serde_json::{json, Value};

/// The field each bulk error names, in order; every error must be `{"fields": {one field}}`.
fn rejected_fields(errors: &[Value]) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            let e = e.as_object().unwrap();
            assert_eq!(e.keys().collect::<Vec<_>>(), ["fields"], "{e:?}");
            let fields = e["fields"].as_object().unwrap();
            assert_eq!(fields.len(), 1, "{fields:?}");
            fields.keys().next().unwrap().clone()
        })
        .collect()
}

#[tokio::test]
async fn malformed_bodies_are_400() {
    let sb = start(config()).await;
    let raw = |path: &str, body: &'static str| {
        client()
            .post(format!("{}{path}", sb.base_url()))
            .bearer_auth(TOKEN)
            .body(body)
            .send()
    };
    let r = raw("/sms", "{nope").await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["message"],
        "Problems parsing JSON"
    );
    let r = raw("/sms", "[1]").await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["message"],
        "Body should be a JSON object"
    );
    let r = raw("/sms/bulk", "{\"from\":\"Acme\"}").await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["message"],
        "Body should be a JSON array"
    );
}

#[tokio::test]
async fn invalid_fields_are_422_with_field_errors() {
    let sb = start(config()).await;
    let (status, body) = post(
        &sb,
        "/sms",
        json!({"from": "Acme!", "to": "600", "text": ""}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["message"], "Validation failed");
    let fields = body["errors"]["fields"].as_object().unwrap();
    assert!(
        fields.contains_key("from") && fields.contains_key("to") && fields.contains_key("text")
    );
    let (status, body) = post(&sb, "/sms", sms("+99912345678", "Hi")).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"]["fields"]["to"][0],
        "No route to this destination"
    );
    assert!(sb.messages().is_empty());
    assert_eq!(sb.stats().rejected_items, 2);
}

#[tokio::test]
async fn accepted_sms_is_201_with_the_entity() {
    let sb = start(config()).await;
    let mut body = sms("+34600000000", "Hola 😀");
    body["allowUnicode"] = json!(true);
    body["clientId"] = json!("c-1");
    let (status, body) = post(&sb, "/sms", body).await;
    assert_eq!(status, 201);
    let e = &body["entity"];
    assert_eq!(e["status"], "enqueued");
    assert_eq!(e["encoding"], "UCS-2");
    assert_eq!(
        (e["segments"].clone(), e["price"].clone()),
        (json!(1), json!(0.045))
    );
    assert_eq!(
        (e["country"].clone(), e["clientId"].clone()),
        (json!("ES"), json!("c-1"))
    );
    assert_eq!(e["allowUnicode"], true);
    assert_eq!(e["id"].as_str().unwrap().len(), 24);
    let (status, got) = get(&sb, &format!("/sms/{}", e["id"].as_str().unwrap())).await;
    assert_eq!(status, 200);
    assert_eq!(got["entity"]["id"], e["id"]);
    let (_, account) = get(&sb, "/organization/account").await;
    assert_eq!(
        account,
        json!({"entity": {"available": 999.955, "currency": "EUR"}})
    );
}

#[tokio::test]
async fn duplicate_client_id_is_422() {
    let sb = start(config()).await;
    let mut body = sms("+34600000000", "Hi");
    body["clientId"] = json!("once");
    assert_eq!(post(&sb, "/sms", body.clone()).await.0, 201);
    let (status, resp) = post(&sb, "/sms", body).await;
    assert_eq!(status, 422);
    assert_eq!(
        resp["errors"]["fields"]["clientId"],
        json!([CLIENT_ID_ALREADY_USED])
    );
    assert_eq!(sb.messages().len(), 1);
}

#[tokio::test]
async fn running_out_of_balance_is_402() {
    let sb = start(config().balance(0.1)).await;
    assert_eq!(post(&sb, "/sms", sms("+34600000000", "a")).await.0, 201);
    assert_eq!(post(&sb, "/sms", sms("+34600000000", "b")).await.0, 201);
    let (status, body) = post(&sb, "/sms", sms("+34600000000", "c")).await;
    assert_eq!(
        (status, body),
        (402, json!({"message": "Insufficient balance"}))
    );
    // A bulk the balance cannot pay for in full is refused whole.
    sb.reset();
    let batch = json!([
        sms("+34600000000", "a"),
        sms("+34600000000", "b"),
        sms("+34600000000", "c")
    ]);
    assert_eq!(post(&sb, "/sms/bulk", batch).await.0, 402);
    assert!(sb.messages().is_empty());
    let (_, account) = get(&sb, "/organization/account").await;
    assert_eq!(account["entity"]["available"], 0.1);
}

#[tokio::test]
async fn unknown_routes_and_ids_are_404() {
    let sb = start(config()).await;
    assert_eq!(
        get(&sb, "/nothing/here").await,
        (404, json!({"message": "Not found"}))
    );
    assert_eq!(get(&sb, "/sms/000000000000000000000000").await.0, 404);
    assert_eq!(get(&sb, "/lookup/abc").await.0, 404);
    assert_eq!(get(&sb, "/verify/abc").await.0, 404);
    let (status, headers, _) = call(&sb, Method::DELETE, "/sms", None).await;
    assert_eq!(status, 404);
    assert!(headers.contains_key("x-ratelimit-remaining"));
}

#[tokio::test]
async fn bulk_limits_are_413_and_422() {
    let sb = start(config()).await;
    let items: Vec<Value> = (0..101).map(|_| sms("+34600000000", "Hi")).collect();
    let (status, body) = post(&sb, "/sms/bulk", Value::Array(items)).await;
    assert_eq!(status, 413);
    assert_eq!(
        body["message"],
        "Too many messages: at most 100 per request"
    );
    let (status, body) = post(&sb, "/sms/bulk", json!([])).await;
    assert_eq!(
        (status, body),
        (422, json!({"message": "At least one message is required"}))
    );
    assert!(sb.messages().is_empty());
}

#[tokio::test]
async fn bulk_partial_success_keeps_input_order() {
    let sb = start(config()).await;
    let mut dup = sms("+34600000000", "Hi");
    dup["clientId"] = json!("same");
    let batch = json!([
        sms("+34600000010", "one"),
        sms("bad", "two"),
        dup.clone(),
        sms("+34600000011", "four"),
        dup,
        "not an object",
    ]);
    let (status, body) = post(&sb, "/sms/bulk", batch).await;
    assert_eq!(status, 201);
    let texts = entity_texts(&body);
    assert_eq!(texts, ["one", "Hi", "four"]);
    // The documented shape `{"fields": {...}}`, one per rejected item, in input order.
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(rejected_fields(errors), ["to", "clientId", "item"]);
    assert!(errors[0]["fields"]["to"].is_array());
    assert_eq!(
        errors[1]["fields"]["clientId"],
        json!([CLIENT_ID_ALREADY_USED])
    );
    assert_eq!(sb.messages().len(), 3);
    let stats = sb.stats();
    assert_eq!((stats.accepted_messages, stats.rejected_items), (3, 3));
}

#[tokio::test]
async fn well_typed_and_mistyped_bulk_bodies_get_the_same_answers_per_item() {
    // A well-typed body takes the typed reader; one mistyped item sends the whole body through
    // the `Value` tree. Every other item must be answered the same either way.
    let sb = start(config()).await;
    let batch = |tag: &str| {
        let with_id = |to: &str, text: &str, id: &str| {
            let mut m = sms(to, text);
            m["clientId"] = json!(format!("{tag}-{id}"));
            m
        };
        vec![
            with_id("+34600000001", "one", "x"),
            json!({"from": "Acme", "text": "no to"}),
            with_id("+34600000002", "again", "x"),
            json!({"from": null, "to": "+34600000003", "text": "null from"}),
            with_id("+34600000004", "three", "y"),
            with_id("+34600000005", "dup y", "y"),
            with_id("+34600000006", "", "z"),
            json!({"from": "Acme", "to": "+34600000007", "text": "unicode 😀", "allowUnicode": true, "extra": 1}),
            with_id("+34600000008", "third x", "x"),
        ]
    };
    let (status, typed) = post(&sb, "/sms/bulk", Value::Array(batch("a"))).await;
    assert_eq!(status, 201);
    let mut mistyped = batch("b");
    mistyped.push(json!({"from": "Acme", "to": 34600000009u64, "text": "to is a number"}));
    let (status, fallback) = post(&sb, "/sms/bulk", Value::Array(mistyped)).await;
    assert_eq!(status, 201);
    let texts = |body: &Value| -> Vec<String> {
        body["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{} {}", e["text"], e["encoding"]))
            .collect()
    };
    assert_eq!(texts(&typed), texts(&fallback));
    assert_eq!(
        texts(&typed),
        [
            "\"one\" \"GSM-7\"",
            "\"three\" \"GSM-7\"",
            "\"unicode 😀\" \"UCS-2\""
        ]
    );
    let typed_errors = typed["errors"].as_array().unwrap();
    let fallback_errors = fallback["errors"].as_array().unwrap();
    assert_eq!(typed_errors[..], fallback_errors[..typed_errors.len()]);
    assert_eq!(
        rejected_fields(typed_errors),
        ["to", "clientId", "from", "clientId", "text", "clientId"]
    );
    assert_eq!(fallback_errors.len(), typed_errors.len() + 1);
    assert_eq!(
        fallback_errors.last().unwrap()["fields"]["to"],
        json!(["This value should be of type string."])
    );
}

#[tokio::test]
async fn lists_page_in_creation_order() {
    let sb = start(config()).await;
    let items: Vec<Value> = (0..25)
        .map(|i| sms("+34600000000", &format!("m{i}")))
        .collect();
    assert_eq!(post(&sb, "/sms/bulk", Value::Array(items)).await.0, 201);
    let (status, page) = get(&sb, "/sms?page=3&per_page=10").await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            page["page"].clone(),
            page["perPage"].clone(),
            page["total"].clone()
        ),
        (json!(3), json!(10), json!(25))
    );
    let texts = entity_texts(&page);
    assert_eq!(texts, ["m20", "m21", "m22", "m23", "m24"]);
    let (_, first) = get(&sb, "/sms").await;
    assert_eq!(first["entities"].as_array().unwrap().len(), 10);
    assert_eq!(first["entities"][0]["text"], "m0");
    assert_eq!(get(&sb, "/sms?per_page=101").await.0, 422);
    assert_eq!(get(&sb, "/sms?page=0").await.0, 422);
}

#[tokio::test]
async fn sms_entities_follow_their_dlrs() {
    let sb = start(config()).await;
    let (_, ok) = post(&sb, "/sms", sms("+34600001234", "Hi")).await;
    let (_, failed) = post(&sb, "/sms", sms("+34600000001", "Hi")).await;
    // Final after two DLR steps 20 ms apart. Wait for the ledger to get there rather than for
    // a fixed time a loaded machine may not keep; then the API must report the same.
    let settled = eventually(|| {
        let statuses: Vec<String> = sb.messages().into_iter().map(|m| m.status).collect();
        (statuses == ["delivered", "failed"]).then_some(())
    })
    .await;
    assert!(settled.is_some(), "DLRs never settled: {:?}", sb.messages());
    let (_, ok) = get(
        &sb,
        &format!("/sms/{}", ok["entity"]["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(ok["entity"]["status"], "delivered");
    let (_, failed) = get(
        &sb,
        &format!("/sms/{}", failed["entity"]["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(failed["entity"]["status"], "failed");
    let ledger = sb.messages();
    assert_eq!((ledger[1].status.as_str(), ledger[1].code), ("failed", 3));
}

#[tokio::test]
async fn lookups_are_deterministic() {
    let sb = start(config()).await;
    let (status, a) = post(&sb, "/lookup", json!({"to": "+34600123456"})).await;
    assert_eq!(status, 201);
    let (_, b) = post(&sb, "/lookup", json!({"to": "+34600123456"})).await;
    for field in ["status", "country", "network", "mcc", "mnc", "ported"] {
        assert_eq!(a["entity"][field], b["entity"][field], "{field}");
    }
    assert_eq!(a["entity"]["status"], "valid");
    assert_eq!(a["entity"]["country"], "ES");
    assert_eq!(a["entity"]["mcc"], "214");
    assert_ne!(a["entity"]["id"], b["entity"]["id"]);
    let (_, invalid) = post(&sb, "/lookup", json!({"to": "+34600000999"})).await;
    assert_eq!(invalid["entity"]["status"], "invalid");
    assert_eq!(post(&sb, "/lookup", json!({"to": "600"})).await.0, 422);
    assert_eq!(
        post(&sb, "/lookup", json!({"to": "+99912345678"})).await.0,
        422
    );
    let id = a["entity"]["id"].as_str().unwrap();
    let (status, got) = get(&sb, &format!("/lookup/{id}")).await;
    assert_eq!((status, got["entity"].clone()), (200, a["entity"].clone()));
    let (_, list) = get(&sb, "/lookup?per_page=2&page=2").await;
    assert_eq!(list["total"], 3);
    assert_eq!(list["entities"][0]["id"], invalid["entity"]["id"]);
    let (_, account) = get(&sb, "/organization/account").await;
    assert_eq!(account["entity"]["available"], 999.985);
}

#[tokio::test]
async fn verify_flow() {
    let sb = start(config()).await;
    let request = json!({
        "sms": {"from": "Acme", "to": "+34600000000", "text": "Your code is %token%"},
        "tokenLength": 6, "timeout": 60, "clientId": "v-1"
    });
    let (status, created) = post(&sb, "/verify", request).await;
    assert_eq!(status, 201);
    let v = &created["entity"];
    assert_eq!(
        (
            v["status"].clone(),
            v["attempts"].clone(),
            v["tokenLength"].clone()
        ),
        (json!("pending"), json!(0), json!(6))
    );
    assert_eq!(v["clientId"], "v-1");
    let id = v["id"].as_str().unwrap();
    let code = sb.verify_code(id).unwrap();
    assert_eq!(code.len(), 6);
    let sent = sb.messages();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].text, format!("Your code is {code}"));
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (_, checked) = get(&sb, &format!("/verify/{id}?token={wrong}")).await;
    assert_eq!(
        (
            checked["entity"]["status"].clone(),
            checked["entity"]["attempts"].clone()
        ),
        (json!("pending"), json!(1))
    );
    let (status, checked) = get(&sb, &format!("/verify/{id}?token={code}")).await;
    assert_eq!(
        (status, checked["entity"]["status"].clone()),
        (200, json!("verified"))
    );
    let (_, list) = get(&sb, "/verify").await;
    assert_eq!(list["entities"][0]["status"], "verified");

    let (_, short) = post(&sb, "/verify", json!({"sms": {"from": "Acme", "to": "+34600000000", "text": "%token%"}, "tokenLength": 4, "timeout": 1})).await;
    let short_id = short["entity"]["id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let late_code = sb.verify_code(&short_id).unwrap();
    let (_, expired) = get(&sb, &format!("/verify/{short_id}?token={late_code}")).await;
    assert_eq!(expired["entity"]["status"], "expired");

    let (status, body) = post(
        &sb,
        "/verify",
        json!({"sms": {"from": "Acme", "to": "+34600000000", "text": "no placeholder"}}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["errors"]["fields"]["sms.text"].is_array());
    assert_eq!(post(&sb, "/verify", json!({"sms": {"from": "Acme", "to": "+34600000000", "text": "%token%"}, "tokenLength": 3})).await.0, 422);
}

#[tokio::test]
async fn five_wrong_codes_fail_a_verification() {
    let sb = start(config()).await;
    let (_, created) = post(&sb, "/verify", json!({"sms": {"from": "Acme", "to": "+34600000000", "text": "%token%"}, "tokenLength": 4, "timeout": 60})).await;
    let id = created["entity"]["id"].as_str().unwrap();
    let code = sb.verify_code(id).unwrap();
    let wrong = if code == "0000" { "1111" } else { "0000" };
    for _ in 0..5 {
        get(&sb, &format!("/verify/{id}?token={wrong}")).await;
    }
    let (_, after) = get(&sb, &format!("/verify/{id}?token={code}")).await;
    assert_eq!(after["entity"]["status"], "failed");
}

#[tokio::test]
async fn price_profiles_list_the_routes() {
    let sb = start(config()).await;
    let (status, sms_prices) = get(&sb, "/sms/price-profile/me/countries").await;
    assert_eq!(status, 200);
    let entries = sms_prices["entities"].as_array().unwrap();
    assert!(entries.len() >= 15);
    assert!(entries
        .contains(&json!({"country": "ES", "prefix": "34", "price": 0.045, "currency": "EUR"})));
    assert!(entries
        .iter()
        .any(|e| e["country"] == "US" && e["prefix"] == "1"));
    let (_, lookup_prices) = get(&sb, "/lookup/price-profile/me/countries").await;
    assert_eq!(
        lookup_prices["entities"].as_array().unwrap().len(),
        entries.len()
    );
}

#[tokio::test]
async fn a_fault_seed_replays_the_same_faults_request_by_request() {
    let sb = start(config()).await;
    let seeded = Faults::default().error_rate(0.5).seed(7);
    let mut runs = Vec::new();
    for _ in 0..2 {
        sb.set_faults(seeded.clone()).unwrap();
        let mut statuses = Vec::new();
        for _ in 0..32 {
            statuses.push(get(&sb, "/organization/account").await.0);
        }
        runs.push(statuses);
    }
    assert_eq!(
        runs[0], runs[1],
        "setting the same seed again replays the faults"
    );
    let errors = runs[0].iter().filter(|&&s| s == 500).count();
    assert!(
        (1..32).contains(&errors),
        "a mix of 500s and 200s: {:?}",
        runs[0]
    );
    sb.set_faults(seeded.seed(8)).unwrap();
    let mut other = Vec::new();
    for _ in 0..32 {
        other.push(get(&sb, "/organization/account").await.0);
    }
    assert_ne!(runs[0], other, "another seed, other faults");
}

#[tokio::test]
async fn admin_api_inspects_resets_and_sets_faults() {
    let sb = start(config()).await;
    let mut tagged = sms("+34600000000", "Hi");
    tagged["clientId"] = json!("tag-1");
    post(&sb, "/sms", tagged).await;
    post(&sb, "/sms", sms("+34600000000", "other")).await;
    let c = client();
    let all = get_json(&admin_url(&sb, "/messages")).await;
    assert_eq!(all["entities"].as_array().unwrap().len(), 2);
    let one = get_json(&admin_url(&sb, "/messages?clientId=tag-1")).await;
    assert_eq!(one["entities"].as_array().unwrap().len(), 1);
    assert_eq!(one["entities"][0]["clientId"], "tag-1");
    let stats = get_json(&admin_url(&sb, "/stats")).await;
    assert_eq!(stats["acceptedMessages"], 2);
    let put_faults = |faults: Value| c.put(admin_url(&sb, "/faults")).json(&faults).send();
    assert_eq!(
        put_faults(json!({"latencyMs": 5})).await.unwrap().status(),
        200
    );
    let faults = get_json(&admin_url(&sb, "/faults")).await;
    assert_eq!(faults["latencyMs"], 5);
    assert_eq!(sb.faults().latency_ms, 5);
    // A rate outside 0-1 is refused, and the faults stay as they were.
    let refused = put_faults(json!({"errorRate": 1.5})).await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("`errorRate` must be between 0 and 1, got 1.5"));
    // Only an object: serde alone would read `[]` as "no faults".
    let refused = put_faults(json!([])).await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("expected an object"));
    let e = sb
        .set_faults(Faults::default().drop_after_commit_rate(-0.5))
        .unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    assert_eq!(sb.faults().latency_ms, 5);
    let mut bad_start = config();
    bad_start.faults.error_rate = f64::NAN;
    assert!(Sandbox::start(bad_start).await.is_err());
    assert_eq!(
        c.post(admin_url(&sb, "/reset"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(sb.messages().is_empty());
    assert_eq!(sb.stats().accepted_messages, 0);
    let (_, account) = get(&sb, "/organization/account").await;
    assert_eq!(account["entity"]["available"], 1000.0);
    // A clientId is usable again after a reset.
    let mut again = sms("+34600000000", "Hi");
    again["clientId"] = json!("tag-1");
    assert_eq!(post(&sb, "/sms", again).await.0, 201);
}

#[test]
fn spawned_sandbox_serves_sync_callers() {
    let sb = Sandbox::spawn(config()).unwrap();
    let base = sb.base_url();
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/transactional/v1"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = rt.block_on(async {
        client()
            .post(format!("{base}/sms"))
            .bearer_auth(TOKEN)
            .json(&sms("+34600000000", "Hi"))
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 201);
    assert_eq!(sb.messages().len(), 1);
    sb.shutdown();
}
