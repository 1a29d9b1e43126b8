//! What the user of the `instasent` binary sees: usage errors, output that scripts read,
//! streams that went away, and messages that say what happened. The built binary runs against
//! sandboxes on 127.0.0.1.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{ChildStdout, Command, Output, Stdio};

use common::*;
use instasent_sandbox::{Faults, RateLimits, Sandbox, SandboxConfig};
use serde_json::Value;

/// Runs `cmd` with a stderr whose reader is already gone: every write to it fails with a
/// broken pipe, as under `2>&1 | head -1` once `head` has its line.
fn with_stderr_closed(mut cmd: Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    cmd.stderr(writer)
        .output()
        .expect("the instasent binary runs")
}

#[test]
fn a_closed_stderr_does_not_stop_a_campaign() {
    // Slow enough that the plain progress line (every 2 s) is due while rows are still sent.
    let sb = sandbox_with(Faults::default().latency_ms(100));
    let dir = temp_dir();
    let csv = dir.join("closed-stderr.csv");
    let rows: String = (0..30).map(|i| format!("+346000{i:05},Hola\n")).collect();
    std::fs::write(&csv, format!("to,text\n{rows}")).unwrap();
    let args = [
        "campaign",
        csv.to_str().unwrap(),
        "--from",
        "Acme",
        "--batch-size",
        "1",
        "--concurrency",
        "1",
    ];
    let o = with_stderr_closed(command(&args, Some(&sb.base_url()), Some(sb.token())));
    assert_eq!(sb.messages().len(), 30, "the campaign stopped mid-send");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("accepted        30"), "{}", stdout(&o));

    // An error with nowhere to say it still exits with its own code.
    let o = with_stderr_closed(command(&["balance"], None, None));
    assert_eq!(o.status.code(), Some(2));
}

fn spawn_listener(args: &[&str]) -> (Running, BufReader<ChildStdout>, String) {
    let mut child = command(args, None, None)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the instasent binary starts");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr = line
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address on stderr: {line}"))
        .to_string();
    let out = BufReader::new(child.stdout.take().unwrap());
    (Running(child), out, addr)
}

#[test]
fn dlr_listen_json_prints_json_lines_only() {
    let (_listener, mut out, addr) =
        spawn_listener(&["dlr", "listen", "--json", "--addr", "127.0.0.1:0"]);
    let report = r#"{"id":"m-7","clientId":"c-7","status":"delivered","code":0,"eventAt":"2024-05-01T10:00:00Z"}"#;
    assert_eq!(post(&addr, "/dlr", report), 200);
    let line = read_line(&mut out);
    let v: Value = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line}"));
    assert_eq!(v["id"], "m-7");
}

#[test]
fn dlr_listen_refuses_large_bodies_and_closes_stalled_connections() {
    use std::io::{Read, Write};
    let (_listener, mut out, addr) =
        spawn_listener(&["dlr", "listen", "--json", "--addr", "127.0.0.1:0"]);
    // A report padded past 64 KiB: refused before it is read whole, and not kept.
    let padded = format!(
        r#"{{"id":"big","status":"delivered","code":0,"eventAt":"2024-05-01T10:00:00Z","pad":"{}"}}"#,
        "x".repeat(70 * 1024)
    );
    assert_eq!(post(&addr, "/dlr", &padded), 413);
    let report = r#"{"id":"m-1","status":"delivered","code":0,"eventAt":"2024-05-01T10:00:00Z"}"#;
    assert_eq!(post(&addr, "/dlr", report), 200);
    let line = read_line(&mut out);
    assert!(
        line.contains(r#""id":"m-1""#),
        "only the small report printed: {line}"
    );

    // Half a request head, then nothing: the receiver closes the connection (after 10 s)
    // instead of holding it for ever.
    let mut stalled = std::net::TcpStream::connect(&addr).unwrap();
    stalled
        .write_all(b"POST /dlr HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    stalled
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let closed = stalled.read_to_end(&mut rest);
    assert!(closed.is_ok(), "still open after 30 s: {closed:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn dlr_listen_prints_one_line_per_report_whatever_its_strings() {
    let (_listener, mut out, addr) = spawn_listener(&["dlr", "listen", "--addr", "127.0.0.1:0"]);
    assert!(read_line(&mut out).starts_with("listening on http://"));
    let forged = serde_json::json!({
        "id": "m8\n9999 delivered code=0 (OK)",
        "clientId": "c\u{1b}[2J",
        "status": "failed",
        "code": 3,
        "eventAt": "2024-05-01T10:00:00Z",
    });
    assert_eq!(post(&addr, "/dlr", &forged.to_string()), 200);
    let next = r#"{"id":"m-9","status":"delivered","code":0,"eventAt":"2024-05-01T10:00:01Z"}"#;
    assert_eq!(post(&addr, "/dlr", next), 200);
    let first = read_line(&mut out);
    assert!(
        first.starts_with(r#""m8\n9999 delivered code=0 (OK)" failed"#),
        "{first}"
    );
    assert!(
        !first.contains('\u{1b}'),
        "an escape reached the terminal: {first:?}"
    );
    let second = read_line(&mut out);
    assert!(second.starts_with("m-9 delivered"), "{second}");
}

#[test]
fn a_missing_command_lists_the_commands_and_a_typo_gets_its_suggestion() {
    let o = instasent(&[], None, None);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("Usage: instasent"), "{err}");
    for command in ["send", "campaign", "segments", "dlr", "lookup", "sandbox"] {
        assert!(err.contains(&format!("\n  {command} ")), "{command}: {err}");
    }
    assert!(stdout(&o).is_empty());

    let o = instasent(&["dlr"], None, None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\n  listen "), "{}", stderr(&o));

    let err = one_error_line(&instasent(&["campain"], None, None), 2);
    assert!(
        err.contains("'campain'") && err.contains("'campaign'"),
        "{err}"
    );
    let err = one_error_line(&instasent(&["send", "--form", "Acme"], None, None), 2);
    assert!(err.contains("'--from'"), "{err}");

    let o = instasent(&["--help"], None, None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Commands:"), "{}", stdout(&o));
    let o = instasent(&["--version"], None, None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("instasent "), "{}", stdout(&o));
}

#[test]
fn segments_says_when_a_send_would_refuse_the_text() {
    let long = "a".repeat(300 * 153);
    let o = instasent(&["segments", &long], None, None);
    assert!(o.status.success());
    let refused: Vec<String> = stdout(&o)
        .lines()
        .filter(|l| l.starts_with("refused"))
        .map(String::from)
        .collect();
    assert_eq!(refused.len(), 1, "{}", stdout(&o));
    assert!(refused[0].contains("255 parts"), "{refused:?}");

    let o = instasent(&["segments", ""], None, None);
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.starts_with("refused") && l.contains("empty")),
        "{}",
        stdout(&o)
    );

    let o = instasent(&["segments", &long, "--json"], None, None);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["refused"].as_str().unwrap().contains("255 parts"), "{v}");
    assert_eq!(v["segments"], 300);
    for key in ["encoding", "units", "parts"] {
        assert!(v.get(key).is_some(), "{key} is gone");
    }

    let o = instasent(&["segments", "Hola", "--json"], None, None);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["refused"], Value::Null);
    let o = instasent(&["segments", "Hola"], None, None);
    assert!(!stdout(&o).contains("refused"), "{}", stdout(&o));
}

#[test]
fn help_keeps_the_base_url_value_to_itself() {
    let url = "https://ops:s3cret-pass@api.example.com/transactional/v1";
    for args in [&["--help"][..], &["send", "--help"]] {
        let o = instasent(args, Some(url), None);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("INSTASENT_BASE_URL"), "{}", stdout(&o));
        assert!(!stdout(&o).contains("s3cret"), "{}", stdout(&o));
    }
}

#[test]
fn an_empty_base_url_variable_means_the_default_api() {
    // Without root certificates the default https API fails before any connection, and says
    // which host it was for.
    let o = command(&["balance"], Some(""), Some("t"))
        .env("SSL_CERT_FILE", "/nonexistent/instasent-test/certs.pem")
        .env("SSL_CERT_DIR", "/nonexistent/instasent-test/certs")
        .output()
        .unwrap();
    let err = one_error_line(&o, 1);
    assert!(err.contains("root certificates"), "{err}");
    assert!(err.contains("api.instasent.com"), "{err}");
}

#[test]
fn a_send_accepted_by_an_earlier_attempt_says_so() {
    // The API takes the message and the connection drops before the answer; the retry learns
    // that the clientId is taken.
    let sb = sandbox_with(Faults::default().drop_after_commit_rate(1.0));
    let o = against(&sb, &send_args("+34600123456", "Hola", "early-1"));
    assert!(o.status.success(), "{}", stderr(&o));
    let line = stdout(&o);
    assert!(line.contains("earlier attempt"), "{line}");
    assert!(line.contains("clientId=early-1"), "{line}");
    assert!(!line.contains("id= "), "{line}");
    assert_eq!(sb.messages().len(), 1);
    // The line names the command that finds the message, and it does, with the id.
    assert!(
        line.contains("`instasent history --client-id early-1` finds it"),
        "{line}"
    );
    let o = against(&sb, &["history", "--client-id", "early-1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let id = &sb.messages()[0].id;
    assert!(stdout(&o).starts_with(&format!("id={id} clientId=early-1 ")));
}

#[test]
fn a_send_that_may_have_gone_out_names_the_command_that_tells() {
    // A 201 whose body cannot be read: the API may have taken the message, so it is not sent
    // again, and the error says how to find out.
    let api = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/transactional/v1", api.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in api.incoming() {
            let mut conn = conn.unwrap();
            let mut head = [0u8; 4096];
            let _ = std::io::Read::read(&mut conn, &mut head);
            let answer = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\n\
                          content-length: 9\r\nconnection: close\r\n\r\nnot json!";
            let _ = std::io::Write::write_all(&mut conn, answer.as_bytes());
        }
    });
    let args = send_args("+34600123456", "Hola", "it's mine");
    let o = instasent(&args, Some(&base_url), Some("t"));
    let err = one_error_line(&o, 1);
    assert!(err.contains("DECODE"), "{err}");
    assert!(
        err.trim_end()
            .ends_with(r"; `instasent history --client-id 'it'\''s mine'` looks it up"),
        "{err}"
    );
}

#[test]
fn an_unreachable_api_is_named_with_the_cause() {
    // Bound but not listening: connections are refused, and no other process can take the port
    // while the socket is held (as it could once a listener were dropped).
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = socket.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/transactional/v1");
    let err = one_error_line(&instasent(&["balance"], Some(&base), Some("t")), 1);
    assert!(err.contains(&format!("at 127.0.0.1:{port}")), "{err}");
    assert!(err.to_lowercase().contains("refused"), "{err}");
    assert!(!err.contains("TRANSPORT: TRANSPORT"), "{err}");

    // Credentials in the URL never reach the message, whether the URL is refused for them or
    // its API cannot be reached.
    let base = format!("http://user:pw@127.0.0.1:{port}/transactional/v1");
    let o = instasent(&["balance"], Some(&base), Some("t"));
    let err = stderr(&o);
    assert!(!o.status.success());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: ") && !err.contains("pw@"), "{err}");
}

#[test]
fn messages_speak_of_what_the_command_does() {
    let sb = sandbox();
    let o = against(&sb, &["lookup", "abc"]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains("cannot look up \"abc\""), "{err}");
    assert!(!err.contains("message was not sent"), "{err}");

    // UCS-2 is asked for with --unicode (or a column), not with the API's field.
    let o = against(
        &sb,
        &[
            "send",
            "--from",
            "Acme",
            "--to",
            "+34600123456",
            "--text",
            "Hola María",
        ],
    );
    assert!(stderr(&o).contains("--unicode"), "{}", stderr(&o));
    let dir = temp_dir();
    let csv = dir.join("unicode.csv");
    std::fs::write(&csv, "to,text\n+34600000001,Hola María\n").unwrap();
    let o = against(&sb, &["campaign", csv.to_str().unwrap(), "--from", "Acme"]);
    let out = stdout(&o);
    assert!(out.contains("pass --unicode"), "{out}");
    assert!(!out.contains("set allowUnicode"), "{out}");
    assert!(sb.messages().is_empty());
}

/// `instasent sandbox ARGS` on a free port: the process, its base URL and its token.
fn sandbox_process(args: &[&str]) -> (Running, String, String) {
    let mut child = command(
        &[&["sandbox", "--addr", "127.0.0.1:0"][..], args].concat(),
        None,
        None,
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .expect("the instasent binary starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let running = Running(child);
    let base_url = read_line(&mut out);
    let token = read_line(&mut out);
    (
        running,
        base_url
            .strip_prefix("INSTASENT_BASE_URL=")
            .unwrap_or_else(|| panic!("no base URL line: {base_url}"))
            .to_string(),
        token
            .strip_prefix("INSTASENT_TOKEN=")
            .unwrap_or_else(|| panic!("no token line: {token}"))
            .to_string(),
    )
}

#[test]
fn the_sandbox_takes_the_drop_rate_under_both_names() {
    // The README and `instasent-sandbox` say --drop-rate; the CLI used to take only the long
    // name. Every send is committed and its answer dropped: the retry confirms it.
    for flag in ["--drop-rate", "--drop-after-commit-rate"] {
        let (_sandbox, base_url, token) = sandbox_process(&[flag, "1"]);
        let o = instasent(
            &send_args("+34600123456", "Hola", "drop-1"),
            Some(&base_url),
            Some(&token),
        );
        assert!(o.status.success(), "{flag}: {}", stderr(&o));
        assert!(
            stdout(&o).contains("earlier attempt"),
            "{flag}: {}",
            stdout(&o)
        );
    }
    let err = one_error_line(&instasent(&["sandbox", "--drop-rate", "2"], None, None), 2);
    assert!(err.contains("--drop-rate"), "{err}");
}

#[test]
fn a_plain_http_base_url_to_another_host_says_what_works() {
    let o = instasent(
        &["balance"],
        Some("http://api.example.com/transactional/v1"),
        Some("t"),
    );
    let err = one_error_line(&o, 2);
    assert!(err.contains("https://"), "{err}");
    assert!(err.contains("127.0.0.1"), "{err}");
    assert!(
        !err.contains("allow_insecure_http"),
        "an option the CLI does not have: {err}"
    );

    let o = instasent(&["--help"], None, None);
    let help = stdout(&o);
    let token = help
        .lines()
        .skip_while(|l| !l.contains("--token"))
        .take(3)
        .collect::<String>();
    assert!(token.contains("`ps`"), "--token's help must warn: {help}");
}

#[test]
fn dlr_listen_says_who_an_inbound_message_is_from_and_counts_refusals_apart() {
    let mut child = command(&["dlr", "listen", "--addr", "127.0.0.1:0"], None, None)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the instasent binary starts");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut listener = Running(child);
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr = line
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address on stderr: {line}"))
        .to_string();
    assert!(read_line(&mut out).starts_with("listening on http://"));

    let stop = r#"{"id":"i-1","clientId":null,"status":"stop","code":0,"eventAt":"2024-05-01T10:00:00Z","message":"STOP","from":"+34600000001","to":"Acme"}"#;
    assert_eq!(post(&addr, "/dlr", stop), 200);
    let printed = read_line(&mut out);
    assert!(
        printed.starts_with("i-1 stop code=0 (OK) from=+34600000001 to=Acme "),
        "{printed}"
    );
    assert!(printed.contains(r#"message="STOP""#), "{printed}");
    let report = r#"{"id":"m-1","status":"delivered","code":0,"eventAt":"2024-05-01T10:00:01Z"}"#;
    assert_eq!(post(&addr, "/dlr", report), 200);
    assert!(read_line(&mut out).starts_with("m-1 delivered"));
    assert_eq!(post(&addr, "/dlr", "{not json"), 400);
    assert_eq!(post(&addr, "/dlr", ""), 400);

    let pid = listener.0.id();
    let status = Command::new("sh")
        .args(["-c", &format!("kill -INT {pid}")])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(listener.0.wait().unwrap().success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    let summary = rest
        .lines()
        .find(|l| l.contains("reports read"))
        .unwrap_or_else(|| panic!("no summary: {rest}"));
    assert!(
        summary.starts_with("2 reports read, 2 malformed requests refused"),
        "{summary}"
    );
}

#[test]
fn dlr_listen_json_gives_from_and_to_as_the_payload_did() {
    let (_listener, mut out, addr) =
        spawn_listener(&["dlr", "listen", "--json", "--addr", "127.0.0.1:0"]);
    let inbound = r#"{"id":"i-2","status":"inbound","code":0,"eventAt":"2024-05-01T10:00:00Z","message":"Hola","from":"+34600000002","to":"Acme"}"#;
    assert_eq!(post(&addr, "/dlr", inbound), 200);
    let v: Value = serde_json::from_str(&read_line(&mut out)).unwrap();
    assert_eq!(v["from"], "+34600000002");
    assert_eq!(v["to"], "Acme");
    assert_eq!(v["message"], "Hola");
}

#[test]
fn instasent_log_writes_attempts_and_retries_to_stderr_and_nothing_without_it() {
    // One 429 (a one-second window, so the retry waits under a second), then the answer.
    let sb = Sandbox::spawn(
        SandboxConfig::default()
            .faults(Faults::default().rate_limit_burst(1))
            .limits(RateLimits::default().window_secs(1)),
    )
    .expect("sandbox starts");
    let o = command(&["balance"], Some(&sb.base_url()), Some(sb.token()))
        .env("INSTASENT_LOG", "debug")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains(sb.token()), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].contains(" DEBUG ")
            && lines[0].contains("answered")
            && lines[0].contains("status=429"),
        "{err}"
    );
    assert!(
        lines[1].contains(" INFO ") && lines[1].contains("retrying"),
        "{err}"
    );
    assert!(lines[2].contains("status=200"), "{err}");

    // Without the variable (and with a level that is not one), stderr stays empty.
    for level in [None, Some("loud")] {
        let mut cmd = command(&["balance"], Some(&sb.base_url()), Some(sb.token()));
        if let Some(level) = level {
            cmd.env("INSTASENT_LOG", level);
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success());
        assert_eq!(stderr(&o), "", "INSTASENT_LOG={level:?}");
    }
}
