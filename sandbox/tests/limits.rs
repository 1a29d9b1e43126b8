//! Auth and rate limits (docs: transactional-api/http/authentication, .../http/rate-limits:
//! "a request-per-minute ceiling, scoped by organization and by endpoint").

mod common;

use common::*;
use instasent_sandbox::{Faults, RateLimits};
use reqwest::Method;
use serde_json::{json, Value};

/// Windows are aligned to multiples of their length: one of ~31 years cannot end mid-test.
const NEVER_ENDING_WINDOW: u64 = 1_000_000_000;

fn limits(sms: u64, other: u64) -> RateLimits {
    RateLimits::default()
        .window_secs(NEVER_ENDING_WINDOW)
        .sms(sms)
        .bulk(10)
        .other(other)
}

#[tokio::test]
async fn missing_or_wrong_token_is_401_in_header_and_query() {
    let sb = start(config()).await;
    let url = format!("{}/organization/account", sb.base_url());
    let c = client();
    let none = c.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert!(none.headers().contains_key("x-ratelimit-limit"));
    assert_eq!(
        none.json::<Value>().await.unwrap(),
        json!({"message": "Unauthorized"})
    );
    let wrong = c.get(&url).bearer_auth("nope").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let wrong_query = c
        .get(format!("{url}?access_token=nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_query.status(), 401);
    let query = c
        .get(format!("{url}?access_token={TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(query.status(), 200);
    let header = c.get(&url).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(header.status(), 200);
}

#[tokio::test]
async fn exceeding_the_window_is_429_with_an_empty_body() {
    // Windows are aligned to multiples of their length: one of ~31 years cannot end mid-test.
    let window_secs = 1_000_000_000;
    let limits = RateLimits::default()
        .window_secs(window_secs)
        .sms(2)
        .bulk(10)
        .other(10);
    let sb = start(config().limits(limits)).await;
    for expected_remaining in ["1", "0"] {
        let (status, headers, _) =
            call(&sb, Method::POST, "/sms", Some(sms("+34600000000", "Hi"))).await;
        assert_eq!(status, 201);
        assert_eq!(headers["x-ratelimit-remaining"], expected_remaining);
    }
    let resp = client()
        .post(format!("{}/sms", sb.base_url()))
        .bearer_auth(TOKEN)
        .json(&sms("+34600000000", "Hi"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["x-ratelimit-limit"], "2");
    assert_eq!(resp.headers()["x-ratelimit-remaining"], "0");
    let reset: u64 = resp.headers()["x-ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(reset > now && reset <= now + window_secs);
    assert!(resp.bytes().await.unwrap().is_empty());
    // Other groups have windows of their own.
    assert_eq!(get(&sb, "/organization/account").await.0, 200);
    assert_eq!(sb.messages().len(), 2);
    assert_eq!(sb.stats().rate_limited, 1);
}

#[tokio::test]
async fn forced_burst_and_injected_errors() {
    let sb = start(config()).await;
    sb.set_faults(Faults::default().rate_limit_burst(2))
        .unwrap();
    assert_eq!(get(&sb, "/organization/account").await.0, 429);
    assert_eq!(post(&sb, "/sms", sms("+34600000000", "Hi")).await.0, 429);
    assert_eq!(get(&sb, "/organization/account").await.0, 200);
    sb.set_faults(Faults::default().error_rate(1.0)).unwrap();
    let (status, body) = post(&sb, "/sms", sms("+34600000000", "Hi")).await;
    assert_eq!(
        (status, body),
        (500, json!({"message": "Internal Server Error"}))
    );
    assert!(sb.messages().is_empty(), "a 500 commits nothing");
    let stats = sb.stats();
    assert_eq!((stats.rate_limited, stats.injected_errors), (2, 1));
}

#[tokio::test]
async fn a_request_without_a_valid_token_is_401_and_counts_against_nothing() {
    let sb = start(config().limits(limits(10, 3))).await;
    let url = format!("{}/organization/account", sb.base_url());
    let c = client();
    let refused = [
        c.get(&url),
        c.get(&url).bearer_auth("nope"),
        c.get(format!("{url}?access_token=nope")),
        c.get(&url).bearer_auth("nope"),
    ];
    for request in refused {
        let resp = request.send().await.unwrap();
        assert_eq!(resp.status(), 401);
        // The window is reported as it stands, untouched by the refused request.
        assert_eq!(resp.headers()["x-ratelimit-remaining"], "3");
    }
    let (status, headers, _) = call(&sb, Method::GET, "/organization/account", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["x-ratelimit-remaining"], "2",
        "the first counted request"
    );
    // A forced 429 is not used up by an unauthenticated request either.
    sb.set_faults(Faults::default().rate_limit_burst(1))
        .unwrap();
    assert_eq!(c.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(get(&sb, "/organization/account").await.0, 429);
    assert_eq!(get(&sb, "/organization/account").await.0, 200);
    assert_eq!(sb.stats().rate_limited, 1);
}

#[tokio::test]
async fn every_endpoint_has_a_window_of_its_own() {
    let sb = start(config().limits(limits(10, 2))).await;
    let (_, sent) = post(&sb, "/sms", sms("+34600000000", "Hi")).await;
    let sms_id = sent["entity"]["id"].as_str().unwrap().to_string();
    let (_, lookup) = post(&sb, "/lookup", json!({"to": "+34600123456"})).await;
    let lookup_id = lookup["entity"]["id"].as_str().unwrap().to_string();
    let verify_body =
        json!({"sms": {"from": "Acme", "to": "+34600000000", "text": "Code %token%"}});
    let (_, verify) = post(&sb, "/verify", verify_body.clone()).await;
    let verify_id = verify["entity"]["id"].as_str().unwrap().to_string();
    // POST /lookup and POST /verify used one request of their window above.
    let endpoints: Vec<(Method, String, Option<Value>, u64)> = vec![
        (Method::GET, "/organization/account".into(), None, 2),
        (Method::GET, "/sms".into(), None, 2),
        (Method::GET, format!("/sms/{sms_id}"), None, 2),
        (
            Method::GET,
            "/sms/price-profile/me/countries".into(),
            None,
            2,
        ),
        (Method::GET, "/lookup".into(), None, 2),
        (Method::GET, format!("/lookup/{lookup_id}"), None, 2),
        (
            Method::GET,
            "/lookup/price-profile/me/countries".into(),
            None,
            2,
        ),
        (
            Method::POST,
            "/lookup".into(),
            Some(json!({"to": "+34600123456"})),
            1,
        ),
        (Method::GET, "/verify".into(), None, 2),
        (Method::GET, format!("/verify/{verify_id}"), None, 2),
        (Method::POST, "/verify".into(), Some(verify_body), 1),
        (Method::GET, "/nothing/here".into(), None, 2),
    ];
    for (method, path, body, left) in endpoints {
        for remaining in (0..left).rev() {
            let (status, headers, _) = call(&sb, method.clone(), &path, body.clone()).await;
            assert_ne!(status, 429, "{method} {path}");
            assert_eq!(headers["x-ratelimit-limit"], "2", "{method} {path}");
            assert_eq!(
                headers["x-ratelimit-remaining"],
                remaining.to_string().as_str(),
                "{method} {path}"
            );
        }
        let (status, _, _) = call(&sb, method.clone(), &path, body).await;
        assert_eq!(status, 429, "{method} {path} over its own limit");
    }
    // One window per route, not per URL: another id meets the same exhausted window.
    assert_eq!(get(&sb, "/sms/000000000000000000000000").await.0, 429);
    // POST /sms keeps its own limit.
    assert_eq!(post(&sb, "/sms", sms("+34600000000", "Hi")).await.0, 201);
}
