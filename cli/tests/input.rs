//! Campaign input files the reader must not misread, run through the built `instasent` binary
//! against a real sandbox on 127.0.0.1: what the sandbox's ledger holds is what was sent.

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use common::*;
use instasent_sandbox::Sandbox;
use serde_json::Value;

/// Runs `instasent campaign` on a file named `name` holding `content`, with a results file.
fn campaign(sb: &Sandbox, name: &str, content: &[u8]) -> (Output, Vec<Value>) {
    campaign_with(sb, name, content, &[])
}

/// [`campaign`] with more arguments.
fn campaign_with(sb: &Sandbox, name: &str, content: &[u8], extra: &[&str]) -> (Output, Vec<Value>) {
    let dir = temp_dir();
    let file = dir.join(name);
    std::fs::write(&file, content).unwrap();
    let res = dir.join("results.jsonl");
    let args = [
        "campaign",
        file.to_str().unwrap(),
        "--results",
        res.to_str().unwrap(),
    ];
    let o = against(sb, &[&args[..], extra].concat());
    let results = if res.exists() {
        results(&res)
    } else {
        Vec::new()
    };
    (o, results)
}

/// Runs `instasent campaign -` with `content` on standard input.
fn campaign_from_stdin(sb: &Sandbox, content: &[u8]) -> Output {
    campaign_from_pipe(sb, "-", content, &[])
}

/// Runs `instasent campaign PATH` with `content` on standard input, a pipe.
fn campaign_from_pipe(sb: &Sandbox, path: &str, content: &[u8], extra: &[&str]) -> Output {
    let args = [&["campaign", path][..], extra].concat();
    let mut child = command(&args, Some(&sb.base_url()), Some(sb.token()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the instasent binary starts");
    // Written from a thread: the child may answer before it has read everything.
    let mut stdin = child.stdin.take().unwrap();
    let content = content.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&content);
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    o
}

/// `(to, text)` of every message the sandbox accepted, by `to`.
fn sent(sb: &Sandbox) -> Vec<(String, String)> {
    let mut v: Vec<_> = sb.messages().into_iter().map(|m| (m.to, m.text)).collect();
    v.sort();
    v
}

fn pair(to: &str, text: &str) -> (String, String) {
    (to.to_string(), text.to_string())
}

/// The one error line of a failed run (stderr also has the progress line), checked for its
/// exit code.
fn error_line(o: &Output, code: i32) -> String {
    assert_eq!(o.status.code(), Some(code), "stderr: {}", stderr(o));
    let err = stderr(o);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    errors[0].to_string()
}

/// The auditor's file: the quote on line 2 is never closed.
const UNBALANCED: &str = "to,from,text\n+34600001100,Acme,Fine\n\
+34600001101,Acme,\"Hello unbalanced\n+34600001102,Acme,Hi two\n+34600001103,Acme,Hi three\n";

#[test]
fn an_unclosed_quote_in_a_file_sends_nothing() {
    let sb = sandbox();
    let (o, results) = campaign(&sb, "unbalanced.csv", UNBALANCED.as_bytes());
    let err = error_line(&o, 2);
    assert!(
        err.contains("line 3: a quoted field starts here and is never closed"),
        "{err}"
    );
    assert!(err.contains("nothing was sent"), "{err}");
    assert!(sent(&sb).is_empty());
    assert!(results.is_empty(), "{results:?}");

    // The auditor's file: the quote opens after 2,499 good rows, which used to go out first.
    let mut file = String::from("to,from,text\n");
    for i in 0..2499 {
        file.push_str(&format!("+346000{i:05},Acme,Hola {i}\n"));
    }
    file.push_str("+34600099999,Acme,\"Adios\n+34600099998,Acme,Otro\n");
    let (o, _) = campaign(&sb, "late.csv", file.as_bytes());
    let err = error_line(&o, 2);
    assert!(err.contains("line 2501: "), "{err}");
    assert!(sent(&sb).is_empty(), "{} were sent", sent(&sb).len());

    // With the quote closed, every row goes out.
    let fixed = UNBALANCED.replace("\"Hello unbalanced", "\"Hello balanced\"");
    let (o, _) = campaign(&sb, "unbalanced.csv", fixed.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sent(&sb),
        [
            pair("+34600001100", "Fine"),
            pair("+34600001101", "Hello balanced"),
            pair("+34600001102", "Hi two"),
            pair("+34600001103", "Hi three"),
        ]
    );
}

#[test]
fn an_unclosed_quote_from_a_pipe_stops_at_its_row_and_a_rerun_sends_the_rest() {
    // A pipe is read once: the end of the input, where the quote is found open, comes last.
    let sb = sandbox();
    let o = campaign_from_stdin(&sb, UNBALANCED.as_bytes());
    let err = error_line(&o, 1);
    assert!(err.contains("line 3: "), "{err}");
    assert!(err.contains("the rows before it were"), "{err}");
    assert_eq!(sent(&sb), [pair("+34600001100", "Fine")]);

    // Nothing is lost: with the quote closed, a re-run sends the rest and not the first again.
    let fixed = UNBALANCED.replace("\"Hello unbalanced", "\"Hello balanced\"");
    let o = campaign_from_stdin(&sb, fixed.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("(1 by an earlier run"),
        "{}",
        stdout(&o)
    );
    assert_eq!(sent(&sb).len(), 4);
}

#[test]
fn an_unclosed_quote_in_a_middle_column_stops_instead_of_merging_rows() {
    let sb = sandbox();
    let (o, results) = campaign(
        &sb,
        "middle.csv",
        b"to,from,text\n+34600001101,\"Acme,Hello\n+34600001102,Acme,Hi two\n\
          +34600001103,Acme,Hi three\n",
    );
    let err = error_line(&o, 2);
    assert!(err.contains("line 2: "), "{err}");
    assert!(sent(&sb).is_empty());
    assert!(results.is_empty(), "{results:?}");
}

#[test]
fn a_stray_quote_closed_lines_later_stops_instead_of_merging_rows() {
    let sb = sandbox();
    let (o, _) = campaign(
        &sb,
        "stray.csv",
        b"to,from,text\n+34600001101,Acme,\"Hello\n+34600001102,Acme,Hi \"two\" x\n\
          +34600001103,Acme,Hi three\n",
    );
    let err = error_line(&o, 2);
    assert!(
        err.contains("line 2: a quoted field starts here and ends on line 3"),
        "{err}"
    );
    assert!(sent(&sb).is_empty());
}

#[test]
fn a_pipe_named_as_a_path_is_read_once_and_every_row_is_sent() {
    // `/dev/stdin` (as `<(…)` gives `/dev/fd/N`) is a pipe: opened a second time to count its
    // rows, it gave them to the count, and the campaign sent what was left.
    let sb = sandbox();
    let mut file = String::from("to,text\n");
    for i in 0..2000 {
        file.push_str(&format!("+346000{i:05},fifo message number {i}\n"));
    }
    let o = campaign_from_pipe(&sb, "/dev/stdin", file.as_bytes(), &["--from", "Acme"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2000 rows"), "{}", stdout(&o));
    assert!(stdout(&o).contains("accepted      2000"), "{}", stdout(&o));
    assert_eq!(sb.messages().len(), 2000);
}

#[test]
fn json_columns_the_command_does_not_read_may_hold_anything() {
    let sb = sandbox();
    let (o, results) = campaign_with(
        &sb,
        "extra.jsonl",
        br#"{"to":"+34600000801","name":"Ana","meta":{"crm":1},"amount":12.5,"tags":["a"]}
{"to":"+34600000802","name":"Eva","template":"Total {amount}","amount":12.5}
{"to":"+34600000803","name":"Inigo","text":{"a":1}}
"#,
        &["--template", "Hi {name}", "--from", "Acme"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(sent(&sb), [pair("+34600000801", "Hi Ana")]);
    // Where text is expected, such a value still refuses the row, naming the column.
    let why = results[1]["fields"]["row"][0].as_str().unwrap();
    assert!(
        why.starts_with("line 2: `amount` is a number with a fraction"),
        "{why}"
    );
    let why = results[2]["fields"]["row"][0].as_str().unwrap();
    assert!(why.starts_with("line 3: `text` is an object"), "{why}");
}

#[test]
fn an_input_without_rows_is_a_usage_error() {
    let sb = sandbox();
    for (name, content) in [
        ("header-only.csv", &b"to,from,text\n"[..]),
        ("blank.jsonl", b"\n\n"),
        ("empty.json", b"[]"),
    ] {
        let (o, results) = campaign(&sb, name, content);
        let err = error_line(&o, 2);
        assert!(err.contains("has no rows"), "{name}: {err}");
        assert!(results.is_empty(), "{name}: {results:?}");
    }
    let o = campaign_from_stdin(&sb, b"to,from,text\n");
    let err = error_line(&o, 2);
    assert!(err.contains("has no rows"), "{err}");
    assert!(sent(&sb).is_empty());
}

#[test]
fn an_empty_template_is_refused_before_the_file_is_read() {
    let o = instasent(
        &["campaign", "/nonexistent/never-read.csv", "--template", ""],
        None,
        Some("t"),
    );
    let err = one_error_line(&o, 2);
    assert!(err.contains("--template is empty"), "{err}");
}

#[test]
fn quotes_that_are_text_are_sent_as_written() {
    let sb = sandbox();
    let (o, results) = campaign(
        &sb,
        "quotes.csv",
        "to,from,text\n+34600001201,Acme,5\" screen\n\
         +34600001202,Acme,\"Line one\nLine \"\"two\"\", end\"\n\
         +34600001203,Acme,\"say \"hi\" now\"\n+34600001204,Acme,Plain\n"
            .as_bytes(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sent(&sb),
        [
            pair("+34600001201", "5\" screen"),
            pair("+34600001202", "Line one\nLine \"two\", end"),
            pair("+34600001204", "Plain"),
        ]
    );
    // An unescaped quote inside a quoted field would change the text: that row is refused.
    assert_eq!(results[2]["outcome"], "rejected");
    let why = results[2]["fields"]["row"][0].as_str().unwrap();
    assert!(
        why.starts_with("line 5: text follows the closing quote"),
        "{why}"
    );
}

#[test]
fn json_values_without_one_text_are_refused_naming_the_field() {
    let sb = sandbox();
    let (o, results) = campaign(
        &sb,
        "values.jsonl",
        br#"{"to":"+34600001301","from":"Acme","text":{"a":1}}
true
["x","y"]
{"to":"+34600001304","from":"Acme","text":true}
{"to":"+34600001305","from":"Acme","text":["x","y"]}
{"to":"+34600001306","from":"Acme","template":"Hola {n}","n":7,"vip":true,"nick":null}
"#,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(sent(&sb), [pair("+34600001306", "Hola 7")]);
    let why: Vec<&str> = results[..5]
        .iter()
        .map(|r| r["fields"]["row"][0].as_str().unwrap())
        .collect();
    assert!(
        why[0].starts_with("line 1: `text` is an object"),
        "{}",
        why[0]
    );
    assert!(
        why[1].starts_with("line 2: true/false, not a JSON object"),
        "{}",
        why[1]
    );
    assert!(
        why[2].starts_with("line 3: an array, not a JSON object"),
        "{}",
        why[2]
    );
    assert_eq!(why[3], "line 4: `text` is true, not a string");
    assert!(
        why[4].starts_with("line 5: `text` is an array"),
        "{}",
        why[4]
    );
}

#[test]
fn a_json_array_file_is_read_whole() {
    let sb = sandbox();
    let (o, results) = campaign(
        &sb,
        "array.json",
        br#"[
  {
    "to": "+34600001401",
    "from": "Acme",
    "text": "Uno"
  },
  {"to": "+34600001402", "from": "Acme", "text": "Dos"},
  "tres",
  {"to": "+34600001404", "from": "Acme", "text": "Cuatro"}
]
"#,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("4 rows"), "{}", stdout(&o));
    assert_eq!(
        sent(&sb),
        [
            pair("+34600001401", "Uno"),
            pair("+34600001402", "Dos"),
            pair("+34600001404", "Cuatro"),
        ]
    );
    assert_eq!(
        results[2]["fields"]["row"][0].as_str().unwrap(),
        format!(
            "element 3 of the array: a string, not a JSON object; each row is one object, like {}",
            r#"{"to":"+34600000000","text":"Hola"}"#
        )
    );

    // A broken array is refused whole, before anything is sent.
    let (o, _) = campaign(
        &sb,
        "broken.json",
        b"[\n  {\"to\": \"+34600001501\", \"from\": \"Acme\", \"text\": \"a\"},\n  {\"to\": \"+3460\n]\n",
    );
    let err = error_line(&o, 2);
    assert!(err.contains("not a valid JSON array"), "{err}");
    assert_eq!(sb.messages().len(), 3);
}

#[test]
fn pretty_printed_json_objects_are_refused_before_sending() {
    let sb = sandbox();
    let (o, _) = campaign(
        &sb,
        "pretty.json",
        b"{\n  \"to\": \"+34600001601\",\n  \"from\": \"Acme\",\n  \"text\": \"Hola\",\n  \"meta\":\n{\"to\":\"+34600001602\",\"from\":\"Acme\",\"text\":\"nested\"}\n}\n",
    );
    let err = error_line(&o, 2);
    assert!(err.contains("its first line is only `{`"), "{err}");
    assert!(sent(&sb).is_empty());
}

#[test]
fn a_json_line_that_is_not_utf8_is_refused_and_the_rest_is_sent() {
    let sb = sandbox();
    let (o, results) = campaign(
        &sb,
        "latin1.jsonl",
        b"{\"to\":\"+34600001701\",\"from\":\"Acme\",\"text\":\"Ol\xe1\"}\n\
          {\"to\":\"+34600001702\",\"from\":\"Acme\",\"text\":\"Hola\"}\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(sent(&sb), [pair("+34600001702", "Hola")]);
    let why = results[0]["fields"]["row"][0].as_str().unwrap();
    assert!(why.starts_with("line 1: not valid UTF-8"), "{why}");
}

#[test]
fn a_csv_column_named_twice_is_a_usage_error() {
    let sb = sandbox();
    for (header, named) in [
        ("to,text,from,to", "`to` (columns 1 and 4)"),
        ("to,text,Text,from", "`text`, `Text` (columns 2 and 3)"),
        (
            "to,text,from,client_id,clientId",
            "`client_id`, `clientId` (columns 4 and 5)",
        ),
    ] {
        let file = format!("{header}\n+34600001801,Hola,Acme,x,y\n");
        let (o, _) = campaign(&sb, "dup.csv", file.as_bytes());
        let err = error_line(&o, 2);
        assert!(err.contains(named), "{err}");
    }
    assert!(sent(&sb).is_empty());
}
