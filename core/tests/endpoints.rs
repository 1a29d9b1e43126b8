//! Every endpoint and every documented error status, over real HTTP to the sandbox.

mod common;

use common::*;
use futures_util::StreamExt;
use instasent::{
    documented, CampaignOptions, Client, ErrorKind, Outcome, PageRequest, RetryPolicy, SmsRequest,
    VerifyRequest,
};
use instasent_sandbox::{Faults, RateLimits, SandboxConfig};
use serde_json::json;

#[tokio::test]
async fn send_sms_returns_entity_status_and_raw_body() {
    let sb = sandbox().await;
    let c = client(&sb);
    let resp = c
        .send_sms(&SmsRequest::new(
            "Instasent",
            "+34600000000",
            "Hello from Instasent",
        ))
        .await
        .unwrap();
    assert_eq!(resp.status, 201);
    assert!(!resp.body.id.is_empty());
    assert_eq!(resp.raw["entity"]["id"], json!(resp.body.id));
    let cid = resp
        .body
        .client_id
        .clone()
        .expect("a generated clientId is always sent");
    assert!(cid.len() <= 40);
    assert!(
        resp.rate_limit.is_some(),
        "X-RateLimit-* read from every response"
    );
    let ledger = sb.messages();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].client_id.as_deref(), Some(cid.as_str()));
    assert_eq!(ledger[0].encoding, "GSM-7");
}

#[tokio::test]
async fn unicode_needs_allow_unicode_and_is_checked_before_sending() {
    let sb = sandbox().await;
    let c = client(&sb);
    let err = c
        .send_sms(&SmsRequest::new("Acme", "+34600000000", "ña éáíóú 😀"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.fields().contains_key("text"));
    assert_eq!(err.status(), None, "rejected locally");
    assert!(sb.messages().is_empty());
    let ok = c
        .send_sms(&SmsRequest::new("Acme", "+34600000000", "ña éáíóú 😀").allow_unicode(true))
        .await
        .unwrap();
    assert_eq!(ok.body.encoding.as_deref(), Some("UCS-2"));
}

#[tokio::test]
async fn server_validation_is_a_422_with_fields() {
    let sb = sandbox().await;
    let c = client(&sb);
    let resp = c
        .request(
            "POST",
            "/sms",
            &[],
            Some(&json!({"from": "Acme", "to": "600", "text": "x"})),
        )
        .await;
    let err = resp.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.status(), Some(422));
    assert!(err.fields().contains_key("to"));
}

#[tokio::test]
async fn malformed_bodies_are_400() {
    let sb = sandbox().await;
    let c = client(&sb);
    let err = c
        .request("POST", "/sms", &[], Some(&json!([1, 2])))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::Validation, Some(400))
    );
    assert_eq!(err.message(), "Body should be a JSON object");
}

#[tokio::test]
async fn history_pages_and_streams() {
    let sb = sandbox().await;
    let c = client(&sb);
    let batch: Vec<_> = (0..25).map(sms).collect();
    let r = c.send_bulk(&batch).await.unwrap();
    assert!(r.body.items.iter().all(Outcome::is_accepted));
    let page = c.get_sms(PageRequest::new(2, 10)).await.unwrap();
    assert_eq!(page.body.items.len(), 10);
    let last = c.get_sms(PageRequest::new(3, 10)).await.unwrap();
    assert_eq!(last.body.items.len(), 5);
    let mut stream = std::pin::pin!(c.sms_stream(25));
    while stream.next().await.is_some() {}
    assert!(
        stream.next().await.is_none(),
        "polling after the end is allowed"
    );
    let all: Vec<_> = c.sms_stream(7).collect().await;
    assert_eq!(all.len(), 25);
    assert!(all.iter().all(Result::is_ok));
    let one = &all[3].as_ref().unwrap().id;
    let got = c.get_sms_by_id(one).await.unwrap();
    assert_eq!(&got.body.id, one);
    let bad = c.get_sms(PageRequest::new(0, 10)).await.unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn a_message_is_found_by_its_client_id_past_the_first_page() {
    let sb = sandbox().await;
    let c = client(&sb);
    let messages: Vec<SmsRequest> = (0..130)
        .map(|i| {
            SmsRequest::new("Acme", format!("+34600{i:06}"), "Hola").client_id(format!("f-{i}"))
        })
        .collect();
    for chunk in messages.chunks(100) {
        c.send_bulk(chunk).await.unwrap();
    }
    let requests = sb.stats().requests;
    let found = c.find_sms_by_client_id("f-117").await.unwrap().unwrap();
    assert_eq!(
        (found.client_id.as_deref(), found.to.as_str()),
        (Some("f-117"), "+34600000117")
    );
    let by_id = c.get_sms_by_id(&found.id).await.unwrap();
    assert_eq!(by_id.body.client_id.as_deref(), Some("f-117"));
    assert_eq!(
        sb.stats().requests - requests,
        3,
        "two pages, then the lookup by id"
    );
    assert_eq!(c.find_sms_by_client_id("f-130").await.unwrap(), None);
    for bad in ["", &"x".repeat(41)] {
        let err = c.find_sms_by_client_id(bad).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    }
}

#[tokio::test]
async fn unknown_ids_are_404() {
    let sb = sandbox().await;
    let c = client(&sb);
    for err in [
        c.get_sms_by_id("nope").await.unwrap_err(),
        c.get_lookup_by_id("nope").await.unwrap_err(),
        c.get_verify_by_id("nope").await.unwrap_err(),
    ] {
        assert_eq!((err.kind(), err.status()), (ErrorKind::NotFound, Some(404)));
    }
    let d = documented(c.get_sms_by_id("nope").await).unwrap();
    assert_eq!(d.response_code, 404);
}

#[tokio::test]
async fn lookups_are_deterministic_and_listed() {
    let sb = sandbox().await;
    let c = client(&sb);
    let a = c.do_lookup("+34600123456").await.unwrap();
    let b = c.do_lookup("+34600123456").await.unwrap();
    assert_eq!(a.status, 201);
    assert_ne!(a.body.id, b.body.id);
    assert_eq!(
        (a.body.status.clone(), a.body.country.clone()),
        (b.body.status.clone(), b.body.country.clone())
    );
    assert_eq!(a.body.country.as_deref(), Some("ES"));
    let got = c.get_lookup_by_id(&a.body.id).await.unwrap();
    assert_eq!(got.body.to, "+34600123456");
    let list = c.get_lookups(PageRequest::default()).await.unwrap();
    assert_eq!(list.body.items.len(), 2);
    let streamed: Vec<_> = c.lookup_stream(1).collect().await;
    assert_eq!(streamed.len(), 2);
    let err = c.do_lookup("600").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn balance_is_charged_per_segment_and_price_profiles_list_countries() {
    let sb = sandbox().await;
    let c = client(&sb);
    let before = c.get_account_balance().await.unwrap().body;
    assert_eq!(before.currency, "EUR");
    let prices = c.get_sms_price_profile().await.unwrap().body;
    let es = prices
        .iter()
        .find(|p| p.country == "ES")
        .expect("Spain priced");
    let long_text = "x".repeat(200); // 2 GSM-7 segments
    c.send_sms(&SmsRequest::new("Acme", "+34600000000", long_text))
        .await
        .unwrap();
    let after = c.get_account_balance().await.unwrap().body;
    let charged = before.available - after.available;
    assert!(
        (charged - 2.0 * es.price).abs() < 1e-6,
        "charged {charged}, price {}",
        es.price
    );
    let lookup_prices = c.get_lookup_price_profile().await.unwrap().body;
    assert!(!lookup_prices.is_empty());
}

#[tokio::test]
async fn running_out_of_balance_is_402() {
    let sb = sandbox_with(SandboxConfig::default().balance(0.01)).await;
    let c = client(&sb);
    let err = c
        .send_sms(&SmsRequest::new("Acme", "+34600000000", "x".repeat(600)))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::PaymentRequired, Some(402))
    );
    assert!(sb.messages().is_empty());
}

#[tokio::test]
async fn wrong_token_is_401_and_query_token_works() {
    let sb = sandbox().await;
    let bad = Client::builder("wrong-token")
        .base_url(sb.base_url())
        .build()
        .unwrap();
    let err = bad.get_account_balance().await.unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::Unauthorized, Some(401))
    );
    let query = builder(&sb).token_in_query(true).build().unwrap();
    assert_eq!(query.get_account_balance().await.unwrap().status, 200);
}

#[tokio::test]
async fn bulk_over_100_is_refused_locally_and_413_on_the_wire() {
    let sb = sandbox().await;
    let c = client(&sb);
    let batch: Vec<_> = (0..101).map(sms).collect();
    assert_eq!(
        c.send_bulk(&batch).await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    let raw: Vec<_> = batch
        .iter()
        .map(|m| serde_json::to_value(m).unwrap())
        .collect();
    let err = c
        .request("POST", "/sms/bulk", &[], Some(&json!(raw)))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::PayloadTooLarge, Some(413))
    );
}

#[tokio::test]
async fn bulk_reports_rejected_items_at_their_input_position() {
    let sb = sandbox().await;
    let c = client(&sb);
    let mut batch: Vec<_> = (0..10).map(sms).collect();
    batch[3].to = "not-a-number".into();
    batch[7].from = "WAYTOOLONGSENDER".into();
    let r = c.send_bulk(&batch).await.unwrap();
    for (i, o) in r.body.items.iter().enumerate() {
        match i {
            3 => {
                assert!(matches!(o, Outcome::Rejected { fields, .. } if fields.contains_key("to")))
            }
            7 => assert!(
                matches!(o, Outcome::Rejected { fields, .. } if fields.contains_key("from"))
            ),
            _ => assert!(o.is_accepted(), "item {i}: {o:?}"),
        }
    }
    assert_eq!(sb.messages().len(), 8);
}

#[tokio::test]
async fn a_reused_client_id_is_rejected_on_a_first_attempt() {
    let sb = sandbox().await;
    let c = client(&sb);
    let m = SmsRequest::new("Acme", "+34600000000", "one").client_id("order-1");
    c.send_sms(&m).await.unwrap();
    let err = c.send_sms(&m).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.fields().contains_key("clientId"));
    assert_eq!(sb.messages().len(), 1);
}

/// A 429 and a refused connection commit nothing, so a "clientId already used" on the retry
/// that follows them is the caller's own reuse: the message was not sent and must not be
/// reported as accepted earlier (only a 5xx or an unanswered attempt can have committed it).
#[tokio::test]
async fn a_reused_client_id_is_rejected_after_a_429_retry() {
    let sb = sandbox_with(SandboxConfig::default().limits(short_windows())).await;
    let c = client(&sb);
    let reused = SmsRequest::new("Acme", "+34600000000", "one").client_id("order-1");
    c.send_sms(&reused).await.unwrap();
    let burst = Faults::default().rate_limit_burst(1);

    sb.set_faults(burst.clone()).unwrap();
    let bulk = c.send_bulk(&[reused.clone(), sms(1)]).await.unwrap().body;
    assert!(
        matches!(bulk.items[0], Outcome::Rejected { .. }),
        "bulk: {:?}",
        bulk.items[0]
    );
    assert!(bulk.items[1].is_accepted(), "{:?}", bulk.items[1]);

    sb.set_faults(burst.clone()).unwrap();
    let report = c
        .run_campaign(
            vec![reused.clone(), sms(2)],
            instasent::CampaignOptions::default(),
        )
        .await
        .unwrap();
    assert!(
        matches!(report.results[0].outcome, Outcome::Rejected { .. }),
        "campaign: {:?}",
        report.results[0].outcome
    );
    assert!(report.results[1].outcome.is_accepted());

    sb.set_faults(burst).unwrap();
    let err = c.send_sms(&reused).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "send_sms: {err}");

    assert_eq!(sb.stats().rate_limited, 3, "each send met its 429 first");
    assert_eq!(sb.messages().len(), 3, "order-1 once, and the two others");
}

/// A send that was accepted and charged but whose entity the SDK cannot read is a DECODE error
/// that keeps the status and the body, and the documented shape still shows the 201 and the
/// body: the caller can tell the message went out.
#[tokio::test]
async fn an_unreadable_success_keeps_its_status_and_body() {
    let answer =
        r#"{"entity":{"id":"m-1","from":"Acme","to":"+34600000000","text":null,"price":"0.05"}}"#;
    let c = Client::builder(TOKEN)
        .base_url(canned_server(201, answer))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let sent = c
        .send_sms(&SmsRequest::new("Acme", "+34600000000", "x"))
        .await;
    let err = sent.as_ref().unwrap_err();
    assert_eq!(
        (err.kind(), err.status(), err.body()),
        (ErrorKind::Decode, Some(201), Some(answer))
    );
    let doc = documented(sent).unwrap();
    assert_eq!(doc.response_code, 201);
    assert_eq!(doc.response_body["entity"]["id"], "m-1");
}

#[tokio::test]
async fn verify_flow_request_check_get_list() {
    let sb = sandbox().await;
    let c = client(&sb);
    let req = VerifyRequest::new("Acme", "+34600000000", "Your code is %token%");
    assert_eq!(
        (req.token_length, req.timeout),
        (6, 300),
        "the documented defaults"
    );
    let v = c.request_verify(&req).await.unwrap().body;
    assert_eq!(v.status, "pending");
    let code = sb.verify_code(&v.id).expect("the sandbox knows the code");
    assert_eq!(code.len(), 6);
    let sent = sb.messages();
    assert!(
        sent.last().unwrap().text.contains(&code),
        "the SMS carries the code"
    );
    let wrong = c.check_verify(&v.id, "000000x").await.unwrap().body;
    assert_ne!(wrong.status, "verified");
    let ok = c.check_verify(&v.id, &code).await.unwrap().body;
    assert_eq!(ok.status, "verified");
    assert_eq!(
        c.get_verify_by_id(&v.id).await.unwrap().body.status,
        "verified"
    );
    assert_eq!(
        c.get_verify(PageRequest::default())
            .await
            .unwrap()
            .body
            .items
            .len(),
        1
    );
    let mut no_placeholder = req.clone();
    no_placeholder.sms.text = "no code".into();
    assert_eq!(
        c.request_verify(&no_placeholder).await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[tokio::test]
async fn a_429_without_retries_carries_the_reset_time() {
    let sb = sandbox_with_faults(Faults::default().rate_limit_burst(1)).await;
    let c = builder(&sb)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = c.get_account_balance().await.unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::RateLimited, Some(429))
    );
    assert!(err.rate_limit().is_some());
    assert!(err.retry_after().is_some());
    assert!(err.is_retryable());
    // Other errors report the window too, but waiting for it would not make them succeed.
    let missing = c.get_sms_by_id("missing").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    assert!(missing.rate_limit().is_some());
    assert_eq!(missing.retry_after(), None);
}

#[tokio::test]
async fn a_429_is_retried_after_the_reset() {
    let sb = sandbox_with(
        SandboxConfig::default()
            .faults(Faults::default().rate_limit_burst(2))
            .limits(short_windows()),
    )
    .await;
    let c = client(&sb);
    assert_eq!(c.get_account_balance().await.unwrap().status, 200);
    assert_eq!(sb.stats().rate_limited, 2);
}

/// Pacing waits for a window's reset only as long as a 429 would be waited for. With retries
/// off that is not at all: the caller gets the 429 at once instead of being held (here, for up
/// to the window's end) in a request handler.
#[tokio::test]
async fn pacing_never_holds_a_caller_longer_than_a_429_would() {
    // Windows are aligned to multiples of their length: this one cannot end mid-test.
    let sb = sandbox_with(
        SandboxConfig::default().limits(
            RateLimits::default()
                .window_secs(1_000_000_000)
                .sms(1)
                .bulk(1)
                .other(1),
        ),
    )
    .await;
    for policy in [RetryPolicy::none(), RetryPolicy::default()] {
        sb.reset();
        let c = builder(&sb).retry_policy(policy).build().unwrap();
        assert_eq!(c.get_account_balance().await.unwrap().status, 200);
        let second =
            tokio::time::timeout(std::time::Duration::from_secs(20), c.get_account_balance())
                .await
                .expect("answered without waiting for the window's reset")
                .unwrap_err();
        assert_eq!(second.kind(), ErrorKind::RateLimited);
        assert!(second.retry_after().unwrap() > std::time::Duration::from_secs(65));
    }
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let sb = sandbox_with_faults(Faults::default().error_rate(1.0)).await;
    let c = builder(&sb).retry_policy(quick_retries(3)).build().unwrap();
    let err = c.get_account_balance().await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Server, Some(500)));
    assert_eq!(sb.stats().injected_errors, 3, "three attempts");
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let sb = sandbox_with_faults(Faults::default().latency_ms(800)).await;
    let c = builder(&sb)
        .timeout(std::time::Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(
        c.get_account_balance().await.unwrap_err().kind(),
        ErrorKind::Timeout
    );
}

#[tokio::test]
async fn nothing_listening_is_a_transport_error() {
    // Bound but not listening: connections are refused, and no other process can take the port
    // while the socket is held (as it could once a listener were dropped).
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = socket.local_addr().unwrap().port();
    let c = Client::builder(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}/transactional/v1"))
        .retry_policy(quick_retries(2))
        .build()
        .unwrap();
    assert_eq!(
        c.get_account_balance().await.unwrap_err().kind(),
        ErrorKind::Transport
    );
    let err = c
        .send_sms(&SmsRequest::new("Acme", "+34600000000", "x"))
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Transport,
        "never connected: not ambiguous"
    );
}

#[tokio::test]
async fn a_dropped_send_is_never_duplicated_and_never_reported_as_failed() {
    let sb = sandbox_with_faults(Faults::default().drop_after_commit_rate(1.0)).await;
    let c = client(&sb);
    // The first attempt is committed and its connection dropped. The retry reuses the clientId:
    // either the API answers "clientId already used" (accepted earlier) or it drops that answer
    // too, and the outcome is reported as ambiguous. It is never a plain failure.
    match c
        .send_sms(&SmsRequest::new("Acme", "+34600000000", "x"))
        .await
    {
        Ok(resp) => assert_eq!(
            (resp.status, resp.body.status.as_deref()),
            (201, Some(instasent::ACCEPTED_EARLIER_STATUS)),
            "reported like the accepted send it was, so no caller resends it"
        ),
        Err(e) => assert_eq!(e.kind(), ErrorKind::AmbiguousOutcome, "{e}"),
    }
    assert_eq!(
        sb.messages().len(),
        1,
        "retries reuse the clientId: one message in the ledger"
    );
    assert!(sb.stats().dropped_connections >= 1);
}

#[tokio::test]
async fn an_ambiguous_send_says_it_may_have_gone_out_and_names_its_client_id() {
    let sb = sandbox_with_faults(Faults::default().drop_after_commit_rate(1.0)).await;
    let c = builder(&sb)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    // The SDK generates the clientId: the error is the only place the caller can learn it.
    let err = c
        .send_sms(&SmsRequest::new("Acme", "+34600000000", "x"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AmbiguousOutcome, "{err}");
    assert!(err.maybe_committed());
    let client_id = err.client_id().expect("the generated clientId").to_owned();
    assert!(err.message().contains(&client_id), "{err}");
    assert!(!err.message().contains("retries"), "none were made: {err}");
    assert_eq!(
        sb.messages()[0].client_id.as_deref(),
        Some(client_id.as_str()),
        "the message went out under the clientId the error names"
    );
    // Not a send: no message to look up. (The sandbox drops only sends; a lookup goes
    // unanswered by timing out.)
    let slow = sandbox_with_faults(Faults::default().latency_ms(2000)).await;
    let c = builder(&slow)
        .retry_policy(RetryPolicy::none())
        .timeout(std::time::Duration::from_millis(200))
        .build()
        .unwrap();
    let err = c.do_lookup("+34600000000").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AmbiguousOutcome, "{err}");
    assert!(err.maybe_committed());
    assert!(!err.message().contains("clientId"), "{err}");
    assert_eq!(err.client_id(), None);
    // A raw call that can change something is as ambiguous as a POST; a read only timed out.
    for method in ["PUT", "DELETE", "PATCH"] {
        let err = c.request(method, "/sms/x", &[], None).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AmbiguousOutcome, "{method}: {err}");
        assert!(err.message().contains("check before repeating it"), "{err}");
    }
    let err = c.request("GET", "/sms/x", &[], None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
}

#[tokio::test]
async fn the_token_never_appears_in_debug_display_or_errors() {
    let secret = "tok-NEVER-PRINT-ME-1234";
    let sb = sandbox().await;
    let c = Client::builder(secret)
        .base_url(sb.base_url())
        .token_in_query(true)
        .build()
        .unwrap();
    assert!(!format!("{c:?}").contains(secret));
    let err = c.get_sms_by_id("missing").await.unwrap_err();
    let mut rendered = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        rendered.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert!(!rendered.contains(secret), "{rendered}");
    // Transport errors carry reqwest's error, which would show the URL with ?access_token=.
    let dead = Client::builder(secret)
        .base_url("http://127.0.0.1:9/transactional/v1")
        .token_in_query(true)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = dead.get_account_balance().await.unwrap_err();
    let mut rendered = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        rendered.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert!(!rendered.contains(secret), "{rendered}");
}

/// A sandbox on its own thread and a blocking client of it, for tests without a runtime.
fn blocking_sandbox() -> (instasent_sandbox::Sandbox, instasent::blocking::Client) {
    let sb = instasent_sandbox::Sandbox::spawn(SandboxConfig::default().token(TOKEN)).unwrap();
    let c =
        instasent::blocking::Client::from_builder(Client::builder(TOKEN).base_url(sb.base_url()))
            .unwrap();
    (sb, c)
}

#[test]
fn the_blocking_client_covers_the_same_calls() {
    let (sb, c) = blocking_sandbox();
    let sent = c
        .send_sms(&SmsRequest::new("Acme", "+34600000000", "hi"))
        .unwrap();
    assert_eq!(
        c.get_sms_by_id(&sent.body.id).unwrap().body.id,
        sent.body.id
    );
    let client_id = sent.body.client_id.as_deref().unwrap();
    let found = c.find_sms_by_client_id(client_id).unwrap().unwrap();
    assert_eq!(found.id, sent.body.id);
    assert_eq!(c.get_account_balance().unwrap().status, 200);
    // Threads share one client.
    std::thread::scope(|s| {
        for t in 0..4 {
            let c = &c;
            s.spawn(move || {
                for i in 0..10 {
                    c.send_sms(&SmsRequest::new("Acme", format!("+3460{t}{i:06}"), "t"))
                        .unwrap();
                }
            });
        }
    });
    assert_eq!(sb.messages().len(), 41);
    // Cloned, it shares the pool; where tokio hands out blocking threads, it works there too.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let clone = c.clone();
    let in_spawn_blocking = rt
        .block_on(rt.spawn_blocking(move || clone.get_account_balance()))
        .unwrap();
    assert_eq!(in_spawn_blocking.unwrap().status, 200);
    // And from the callback of its own campaign.
    let mut looked_up = 0;
    c.campaign_each(
        (0..3).map(|i| SmsRequest::new("Acme", format!("+3461{i:07}"), "cb")),
        CampaignOptions::default(),
        |r| {
            if let instasent::Outcome::Accepted { id: Some(id), .. } = &r.outcome {
                assert_eq!(&c.get_sms_by_id(id).unwrap().body.id, id);
                looked_up += 1;
            }
        },
    )
    .unwrap();
    assert_eq!(looked_up, 3);
    sb.shutdown();
}

#[test]
fn a_blocking_campaign_whose_progress_callback_panics_ends_with_that_panic() {
    let (sb, c) = blocking_sandbox();
    let options = CampaignOptions::default()
        .on_progress(|_: &instasent::Progress| panic!("on_progress broke"));
    let campaign = c.start_campaign(options).unwrap();
    campaign
        .push(
            (0..10)
                .map(|i| SmsRequest::new("Acme", format!("+3462{i:07}"), "p"))
                .collect(),
        )
        .unwrap();
    campaign.end();
    // It used to wait for ever: the engine's task was gone and nothing said the campaign ended.
    let drained = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| loop {
        if campaign
            .next(std::time::Duration::from_secs(1))
            .unwrap()
            .done
        {
            break;
        }
    }));
    let panic = drained.expect_err("the callback's panic reaches the caller");
    assert_eq!(panic.downcast_ref::<&str>(), Some(&"on_progress broke"));
    sb.shutdown();
}

#[test]
fn builder_limits_that_cannot_work_are_refused_not_overflowed() {
    let refused = Client::builder(TOKEN)
        .base_url("http://127.0.0.1:1/v1")
        .retry_policy(RetryPolicy::default().max_attempts(0))
        .build()
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidArgument);
    // Queues are sized by it: refused with a reason, neither overflowed nor a panic later.
    let absurd = Client::builder(TOKEN)
        .base_url("http://127.0.0.1:1/v1")
        .bulk_concurrency(usize::MAX)
        .build()
        .unwrap_err();
    assert_eq!(absurd.kind(), ErrorKind::InvalidArgument);
    assert!(absurd.message().contains("at most"), "{absurd}");
    assert!(format!("{refused:?}").starts_with("Error {"), "{refused:?}");
}

#[tokio::test]
async fn http_to_a_remote_host_is_refused() {
    let err = Client::builder(TOKEN)
        .base_url("http://api.instasent.com/transactional/v1")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn calls_that_could_take_effect_twice_are_not_repeated_after_a_server_error() {
    let sb = sandbox_with_faults(Faults::default().error_rate(1.0)).await;
    let c = builder(&sb).retry_policy(quick_retries(4)).build().unwrap();
    // A raw POST carries no clientId the SDK controls: one attempt only.
    let raw = json!({"from": "Acme", "to": "+34600000000", "text": "x"});
    let err = c
        .request("POST", "/sms", &[], Some(&raw))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(sb.stats().injected_errors, 1);
    // A lookup is charged per request: also one attempt.
    c.do_lookup("+34600000000").await.unwrap_err();
    assert_eq!(sb.stats().injected_errors, 2);
    // A send with a clientId is safe to repeat: all four attempts.
    c.send_sms(&SmsRequest::new("Acme", "+34600000000", "x"))
        .await
        .unwrap_err();
    assert_eq!(sb.stats().injected_errors, 6);
}
