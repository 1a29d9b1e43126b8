//! The built `instasent` binary against a real sandbox on 127.0.0.1.

mod common;

use std::io::BufReader;
use std::process::{Command, Output, Stdio};

use common::*;
use serde_json::Value;

fn start(args: &[&str]) -> (Running, BufReader<std::process::ChildStdout>) {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("INSTASENT_TOKEN")
        .env_remove("INSTASENT_BASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the instasent binary starts");
    let out = BufReader::new(child.stdout.take().unwrap());
    (Running(child), out)
}

#[test]
fn send_against_the_sandbox_command() {
    let (_sandbox, mut out) = start(&["sandbox", "--addr", "127.0.0.1:0"]);
    let base_url = read_line(&mut out);
    let base_url = base_url
        .strip_prefix("INSTASENT_BASE_URL=")
        .expect("base URL line");
    let token = read_line(&mut out);
    let token = token.strip_prefix("INSTASENT_TOKEN=").expect("token line");
    let o = instasent(
        &send_args("+34600123456", "Hola José", "t-1"),
        Some(base_url),
        Some(token),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let line = stdout(&o);
    assert!(line.starts_with("accepted id="), "{line}");
    assert!(line.contains("clientId=t-1"), "{line}");
    assert!(line.contains("segments=1"), "{line}");
}

#[test]
fn send_with_unicode_text_needs_the_flag() {
    let sb = sandbox();
    let args = [
        "send",
        "--from",
        "Acme",
        "--to",
        "+34600123456",
        "--text",
        "Hola María",
    ];
    let o = against(&sb, &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("allowUnicode"), "{}", stderr(&o));
    let o = against(&sb, &[&args[..], &["--unicode", "--json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let body: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(body["entity"]["encoding"], "UCS-2");
    assert_eq!(sb.messages().len(), 1);
}

#[test]
fn segments_json_is_the_core_analysis() {
    let text = "a".repeat(161);
    let o = instasent(&["segments", &text, "--json"], None, None);
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["encoding"], "GSM-7");
    assert_eq!(v["segments"], 2);
    assert_eq!(v["units"], 161);
    let parts: Vec<&str> = v["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(parts.concat(), text);
    assert_eq!(parts[0].len(), 153);

    let o = instasent(&["segments", "Camión €", "--json"], None, None);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["encoding"], "UCS-2");
    assert_eq!(v["unicodeChars"], serde_json::json!(["ó"]));
}

#[test]
fn segments_table_shows_each_part() {
    let o = instasent(&["segments", &"é".repeat(200)], None, None);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("encoding   GSM-7"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("part")).count(),
        2,
        "{out}"
    );
}

const CAMPAIGN: &str = "to,name,from\n\
+34600000101,José,Acme\n\
600000102,Ana,Acme\n\
+34600000103,Íñigo,Acme\n";

#[test]
fn campaign_reports_an_invalid_row_and_writes_results() {
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("campaign.csv");
    std::fs::write(&csv, CAMPAIGN).unwrap();
    let res = dir.join("results.jsonl");
    let o = against(
        &sb,
        &[
            "campaign",
            csv.to_str().unwrap(),
            "--template",
            "Hola {name}",
            "--unicode",
            "--results",
            res.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = stdout(&o);
    assert!(summary.contains("accepted         2"), "{summary}");
    assert!(summary.contains("rejected         1"), "{summary}");
    let r = results(&res);
    assert_eq!(r.len(), 3);
    assert_eq!(
        r.iter()
            .map(|x| x["index"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert_eq!(r[0]["outcome"], "accepted");
    assert_eq!(r[1]["outcome"], "rejected");
    assert_eq!(r[1]["stage"], "local");
    assert!(r[1]["fields"]["to"].is_array());
    assert_eq!(r[2]["outcome"], "accepted");
    let ledger = sb.messages();
    assert_eq!(ledger.len(), 2);
    assert!(ledger.iter().any(|m| m.text == "Hola Íñigo"));
}

#[test]
fn rerunning_a_campaign_sends_nothing_twice() {
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("rerun.csv");
    std::fs::write(&csv, CAMPAIGN).unwrap();
    let res = dir.join("again.jsonl");
    let args = [
        "campaign",
        csv.to_str().unwrap(),
        "--template",
        "Hola {name}",
        "--unicode",
        "--batch-size",
        "1",
    ];
    let first = against(&sb, &args);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(sb.messages().len(), 2);

    let again = against(
        &sb,
        &[&args[..], &["--results", res.to_str().unwrap()]].concat(),
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(sb.messages().len(), 2, "the re-run sent something again");
    assert!(
        stdout(&again).contains("(2 by an earlier run"),
        "{}",
        stdout(&again)
    );
    let r = results(&res);
    assert_eq!(r[0]["acceptedEarlier"], true);
    assert_eq!(r[2]["acceptedEarlier"], true);

    // A new run id sends the file again on purpose.
    let fresh = against(&sb, &[&args[..], &["--run-id", "second"]].concat());
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    assert_eq!(sb.messages().len(), 4);
}

#[test]
fn campaign_from_json_lines_with_own_client_ids() {
    let sb = sandbox();
    let dir = temp_dir();
    let file = dir.join("c.jsonl");
    std::fs::write(
        &file,
        "{\"to\":\"+34600000201\",\"text\":\"Uno\",\"from\":\"Acme\",\"clientId\":\"j-1\"}\n\nnot json\n{\"to\":\"+34600000202\",\"template\":\"Hola {n}\",\"n\":\"Eva\",\"from\":\"Acme\"}\n",
    )
    .unwrap();
    let res = dir.join("r.jsonl");
    let o = against(
        &sb,
        &[
            "campaign",
            file.to_str().unwrap(),
            "--results",
            res.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r = results(&res);
    assert_eq!(r.len(), 3);
    assert_eq!(r[0]["clientId"], "j-1");
    assert_eq!(r[1]["outcome"], "rejected");
    assert!(r[1]["fields"]["row"][0]
        .as_str()
        .unwrap()
        .contains("line 3"));
    assert_eq!(r[2]["outcome"], "accepted");
    let texts: Vec<String> = sb.messages().into_iter().map(|m| m.text).collect();
    assert!(texts.contains(&"Hola Eva".to_string()), "{texts:?}");
}

#[test]
fn errors_are_one_line_and_exit_non_zero() {
    one_error_line(&instasent(&["balance"], None, None), 2);
    one_error_line(&instasent(&["send", "--from", "A"], None, None), 2);
    one_error_line(&instasent(&["segments", "x", "--bogus"], None, None), 2);
    let err = one_error_line(&instasent(&["sandbox", "--error-rate", "2"], None, None), 2);
    assert!(
        err.contains("`errorRate` must be between 0 and 1, got 2"),
        "{err}"
    );
    one_error_line(
        &instasent(&["campaign", "/nonexistent/x.csv"], None, Some("t")),
        2,
    );

    let sb = sandbox();
    let secret = "wrong-token-SECRET-1234";
    let err = one_error_line(
        &instasent(&["balance"], Some(&sb.base_url()), Some(secret)),
        1,
    );
    assert!(err.contains("UNAUTHORIZED"), "{err}");
    assert!(!err.contains(secret), "the token leaked: {err}");
    let err = one_error_line(
        &instasent(&["balance", "--token", secret], Some(&sb.base_url()), None),
        1,
    );
    assert!(!err.contains(secret), "the token leaked: {err}");

    let err = one_error_line(&against(&sb, &["lookup", "12345"]), 1);
    assert!(err.contains("to"), "{err}");

    let dir = temp_dir();
    let csv = dir.join("nocol.csv");
    std::fs::write(&csv, "to,name\n+34600000001,Ana\n").unwrap();
    let err = one_error_line(
        &against(
            &sb,
            &[
                "campaign",
                csv.to_str().unwrap(),
                "--from",
                "Acme",
                "--template",
                "Hola {surname}",
            ],
        ),
        2,
    );
    assert!(err.contains("surname"), "{err}");
    assert!(sb.messages().is_empty());
}

#[test]
fn account_commands_read_the_sandbox() {
    let sb = sandbox();
    let o = against(&sb, &["balance"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "1000.00 EUR");
    let o = against(&sb, &["prices"]);
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.starts_with("ES") && l.contains("+34")),
        "{}",
        stdout(&o)
    );
    let o = against(&sb, &["prices", "--lookup", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        v["entities"].as_array().is_some_and(|a| !a.is_empty()),
        "{v}"
    );
    let o = against(&sb, &["lookup", "+34600123456"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("+34600123456 "), "{}", stdout(&o));
}

#[test]
fn dlr_listen_prints_each_posted_report() {
    let (_listener, mut out) = start(&["dlr", "listen", "--addr", "127.0.0.1:0"]);
    let line = read_line(&mut out);
    let addr = line
        .strip_prefix("listening on http://")
        .and_then(|a| a.strip_suffix('/'))
        .expect("listening line")
        .to_string();
    let report = r#"{"id":"m-42","clientId":"c-42","status":"failed","code":3,"eventAt":"2024-05-01T10:00:00Z"}"#;
    assert_eq!(post(&addr, "/dlr", report), 200);
    let printed = read_line(&mut out);
    assert!(
        printed.starts_with("m-42 failed code=3 (Absent permanently) clientId=c-42"),
        "{printed}"
    );
    assert!(printed.ends_with("[applied]"), "{printed}");
    assert_eq!(post(&addr, "/dlr", report), 200);
    assert!(read_line(&mut out).ends_with("[duplicate]"));
    assert_eq!(post(&addr, "/", "{not json"), 400);
    let smpp = "id:m-43 sub:001 dlvrd:001 submit date:2405011000 done date:2405011001 stat:DELIVRD err:000 text:Hola";
    assert_eq!(post(&addr, "/smpp", smpp), 200);
    assert!(read_line(&mut out).starts_with("m-43 delivered"));
}

#[test]
fn embedded_sandbox_campaign_waits_for_delivery_reports() {
    let dir = temp_dir();
    let csv = dir.join("dlr.csv");
    std::fs::write(
        &csv,
        "to,text\n+34600000301,Hola\n+34600000001,Hola\n+34600000005,Hola\n+34600000007,Hola\n",
    )
    .unwrap();
    let o = instasent(&embedded_campaign_waiting_for_dlrs(&csv), None, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("delivery reports for 4 messages (settled in"),
        "{out}"
    );
    assert!(out.contains("delivered        2"), "{out}");
    assert!(
        out.contains("1  failed, code 3 (Absent permanently)"),
        "{out}"
    );
    assert!(out.contains("1  unknown, code 99 (Unknown error)"), "{out}");
    assert!(
        out.contains("balance    1000.0000 -> 999.8200 EUR"),
        "{out}"
    );
}

fn embedded_campaign_waiting_for_dlrs(csv: &std::path::Path) -> Vec<&str> {
    let csv = csv.to_str().unwrap();
    vec![
        "--sandbox",
        "campaign",
        csv,
        "--from",
        "Acme",
        "--wait-dlr",
        "--dlr-timeout",
        "20",
    ]
}

/// The CLI with the system's root certificates out of reach (rustls-native-certs reads these
/// variables before the system's own places), as in a container that has none.
fn without_root_certificates(args: &[&str], token: Option<&str>) -> Output {
    command(args, None, token)
        .env("SSL_CERT_FILE", "/nonexistent/instasent-test/certs.pem")
        .env("SSL_CERT_DIR", "/nonexistent/instasent-test/certs")
        .output()
        .expect("the instasent binary runs")
}

#[test]
fn the_sandbox_needs_no_root_certificates_and_https_says_what_is_missing() {
    let dir = temp_dir();
    let csv = dir.join("nocerts.csv");
    std::fs::write(&csv, "to,text\n+34600000301,Hola\n+34600000302,Hola\n").unwrap();
    let o = without_root_certificates(&embedded_campaign_waiting_for_dlrs(&csv), None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("delivery reports for 2 messages (settled in"),
        "{}",
        stdout(&o)
    );

    // The production API is https: without certificates that is one clear line, no panic.
    let err = one_error_line(&without_root_certificates(&["balance"], Some("t")), 1);
    assert!(err.contains("root certificates"), "{err}");
}

#[test]
fn a_proxy_from_the_environment_is_not_used_for_the_sandbox_nor_its_webhooks() {
    // A "proxy" that takes connections and counts them: through it, requests to a local
    // sandbox (token, numbers, texts) and the sandbox's delivery reports would leave the machine.
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for conn in proxy.incoming() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(conn);
        }
    });
    let dir = temp_dir();
    let csv = dir.join("proxied.csv");
    std::fs::write(&csv, "to,text\n+34600000401,Hola\n+34600000402,Hola\n").unwrap();
    let mut cmd = command(&embedded_campaign_waiting_for_dlrs(&csv), None, None);
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env(var, &proxy_url);
    }
    let o = cmd
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("delivery reports for 2 messages (settled in"),
        "{}",
        stdout(&o)
    );
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[test]
fn history_lists_messages_and_finds_one_by_id_or_client_id() {
    let sb = sandbox();
    for (i, client_id) in ["h-1", "h 2; x", "h-3"].iter().enumerate() {
        let to = format!("+3460000050{i}");
        let o = against(&sb, &send_args(&to, &format!("Hola {i}"), client_id));
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let ids: Vec<String> = sb.messages().iter().map(|m| m.id.clone()).collect();

    let o = against(&sb, &["history"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[1].starts_with(&format!("id={} clientId=h 2; x to=+34600000501 ", ids[1])));
    assert!(
        !lines[1].contains("Hola"),
        "the text stays out: {}",
        lines[1]
    );

    // --limit takes the first messages; --json gives every field, the text included.
    let o = against(&sb, &["history", "--limit", "2", "--json"]);
    let rows: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["clientId"], "h 2; x");
    assert_eq!(rows[1]["text"], "Hola 1");

    let o = against(&sb, &["history", "--client-id", "h-3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(&format!("id={} clientId=h-3 ", ids[2])));
    let o = against(&sb, &["history", "--id", &ids[0], "--json"]);
    let row: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(row["clientId"], "h-1");

    // Not there: exit 1 and one line saying so, and what is safe to do.
    let err = one_error_line(&against(&sb, &["history", "--client-id", "h-4"]), 1);
    assert!(err.contains(r#"clientId "h-4""#), "{err}");
    assert!(err.contains("cannot deliver it twice"), "{err}");
    // What cannot be a clientId is refused before reading the history (exit 2).
    let err = one_error_line(&against(&sb, &["history", "--client-id", ""]), 2);
    assert!(err.contains("should not be blank."), "{err}");
    let err = one_error_line(&against(&sb, &["history", "--id", "m-none"]), 1);
    assert_eq!(
        err.trim(),
        r#"error: no message with id "m-none" (HTTP 404)"#
    );
    let err = one_error_line(&against(&sb, &["history", "--id", "x", "--limit", "2"]), 2);
    assert!(err.contains("cannot be used with"), "{err}");

    // A text reaches the terminal escaped in JSON too: U+009B is a CSI, `\u{9b}2J` clears it.
    let mut args = send_args("+34600000509", "clear\u{9b}2J", "h-csi").to_vec();
    args.push("--unicode");
    let o = against(&sb, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = against(&sb, &["history", "--client-id", "h-csi", "--json"]);
    let line = stdout(&o);
    assert!(line.contains(r#""text":"clear\u009b2J""#), "{line}");
    assert_eq!(
        serde_json::from_str::<Value>(line.trim()).unwrap()["text"],
        "clear\u{9b}2J"
    );
}

#[test]
fn a_slow_search_shows_a_spinner_on_a_terminal_and_nothing_on_a_pipe() {
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("history.csv");
    let rows: String = (0..100).map(|i| format!("+346000{i:05},Hola\n")).collect();
    std::fs::write(&csv, format!("to,text\n{rows}")).unwrap();
    let o = against(&sb, &["campaign", csv.to_str().unwrap(), "--from", "Acme"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // 700 ms a request: the search reads a full page and the empty one after it, past the
    // second after which a terminal shows that it is still going.
    sb.set_faults(instasent_sandbox::Faults::default().latency_ms(700))
        .unwrap();

    // Through pipes, stderr is the one error line and nothing else.
    let err = one_error_line(&against(&sb, &["history", "--client-id", "nope"]), 1);
    assert!(!err.contains("reading the history"), "{err}");

    // On a terminal (a pseudo-terminal from util-linux's `script`), the spinner says what is
    // going on.
    let o = Command::new("script")
        .args([
            "-qec",
            &format!("{BIN} history --client-id nope"),
            "/dev/null",
        ])
        .env("INSTASENT_BASE_URL", sb.base_url())
        .env("INSTASENT_TOKEN", sb.token())
        .env_remove("INSTASENT_LOG")
        .output()
        .expect("script runs");
    let shown = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains(r#"reading the history for clientId "nope" (Ctrl-C stops)"#),
        "{shown}"
    );
    assert!(
        shown.contains(r#"error: no message with clientId "nope""#),
        "{shown}"
    );
}
