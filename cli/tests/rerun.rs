//! `instasent campaign` run again over the same file, changed or not: nothing is sent twice,
//! nothing is reported as sent that was not, and the results file loses nothing.

mod common;

use std::io::{Read, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;
use instasent_sandbox::Faults;

fn campaign(
    sb: &instasent_sandbox::Sandbox,
    csv: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    against(
        sb,
        &[&["campaign", csv.to_str().unwrap()][..], extra].concat(),
    )
}

fn sent_to(sb: &instasent_sandbox::Sandbox) -> Vec<String> {
    let mut to: Vec<String> = sb.messages().into_iter().map(|m| m.to).collect();
    to.sort();
    to
}

#[test]
fn a_client_id_repeated_in_the_file_is_refused_not_reported_as_sent() {
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("dup.csv");
    std::fs::write(
        &csv,
        "to,from,text,clientId\n+34600000801,Acme,one,dup-1\n+34600000802,Acme,two,dup-1\n",
    )
    .unwrap();
    let res = dir.join("r.jsonl");
    let o = campaign(&sb, &csv, &["--results", res.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(sent_to(&sb), ["+34600000801"]);
    let r = results(&res);
    assert_eq!(r[0]["outcome"], "accepted");
    assert_eq!(r[0]["acceptedEarlier"], false);
    assert_eq!(r[1]["outcome"], "rejected");
    assert!(
        r[1]["fields"]["clientId"][0]
            .as_str()
            .unwrap()
            .contains("row 1's clientId"),
        "{}",
        r[1]
    );
}

#[test]
fn deleting_a_row_or_adding_unicode_then_re_running_sends_nothing_twice() {
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("shift.csv");
    // Row 0 is refused (bad number), row 3 needs --unicode, two rows are identical on purpose.
    std::fs::write(
        &csv,
        "to,from,text\nnope,Acme,bad\n+34600000901,Acme,Hello one\n+34600000902,Acme,Hello two\n+34600000903,Acme,Olá ☺\n+34600000902,Acme,Hello two\n",
    )
    .unwrap();
    let first = campaign(&sb, &csv, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        sent_to(&sb),
        ["+34600000901", "+34600000902", "+34600000902"]
    );

    // The user deletes the bad row and follows the hint about Unicode.
    std::fs::write(
        &csv,
        "to,from,text\n+34600000901,Acme,Hello one\n+34600000902,Acme,Hello two\n+34600000903,Acme,Olá ☺\n+34600000902,Acme,Hello two\n",
    )
    .unwrap();
    let again = campaign(&sb, &csv, &["--unicode"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        sent_to(&sb),
        [
            "+34600000901",
            "+34600000902",
            "+34600000902",
            "+34600000903"
        ],
        "only the row that needed --unicode went out: {}",
        stdout(&again)
    );
    assert!(
        stdout(&again).contains("(3 by an earlier run"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn a_re_run_keeps_the_results_of_the_first_and_a_failed_start_keeps_the_file() {
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("keep.csv");
    let rows: String = (0..20)
        .map(|i| format!("+346000010{i:02},Acme,hi {i}\n"))
        .collect();
    std::fs::write(&csv, format!("to,from,text\n{rows}")).unwrap();
    let res = dir.join("keep.jsonl");
    let res_arg = res.to_str().unwrap();
    let first = campaign(&sb, &csv, &["--results", res_arg]);
    assert!(first.status.success(), "{}", stderr(&first));
    let ids: Vec<String> = results(&res)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 20);

    let again = campaign(&sb, &csv, &["--results", res_arg]);
    assert!(again.status.success(), "{}", stderr(&again));
    let r = results(&res);
    assert_eq!(r.len(), 20);
    assert!(r.iter().all(|x| x["acceptedEarlier"] == true), "{r:?}");
    let kept: Vec<String> = r
        .iter()
        .map(|x| x["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(kept, ids, "the re-run lost the Instasent ids");

    let refused = instasent(
        &["campaign", csv.to_str().unwrap(), "--results", res_arg],
        Some(&sb.base_url()),
        Some("wrong-token"),
    );
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert_eq!(
        results(&res).len(),
        20,
        "a run that could not start emptied the results"
    );

    let onto_input = campaign(&sb, &csv, &["--results", csv.to_str().unwrap()]);
    assert_eq!(onto_input.status.code(), Some(2));
    assert!(
        stderr(&onto_input).contains("input file"),
        "{}",
        stderr(&onto_input)
    );
    assert!(std::fs::read_to_string(&csv)
        .unwrap()
        .starts_with("to,from,text\n+34600001000"));
    assert_eq!(sb.messages().len(), 20);
}

#[test]
fn an_unreachable_api_stops_the_campaign_before_any_row() {
    let dir = temp_dir();
    let csv = dir.join("down.csv");
    std::fs::write(&csv, "to,from,text\n+34600000001,Acme,x\n").unwrap();
    let res = dir.join("down.jsonl");
    // Port 9 (discard) on loopback: nothing listens there.
    let o = instasent(
        &[
            "campaign",
            csv.to_str().unwrap(),
            "--results",
            res.to_str().unwrap(),
        ],
        Some("http://127.0.0.1:9/transactional/v1"),
        Some("token"),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("TRANSPORT"), "{}", stderr(&o));
    assert!(!res.exists(), "no results file for a run that sent nothing");
    assert!(!stdout(&o).contains("accepted"), "{}", stdout(&o));
}

#[test]
fn a_wrong_base_url_path_stops_the_campaign_before_any_row() {
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("wrong-path.csv");
    std::fs::write(
        &csv,
        "to,from,text\n+34600000001,Acme,x\n+34600000002,Acme,y\n",
    )
    .unwrap();
    let res = dir.join("wrong-path.jsonl");
    // The sandbox serves the API under /transactional/v1: /v1 answers 404 to everything.
    let base = format!("http://{}/v1", sb.addr());
    let o = instasent(
        &[
            "campaign",
            csv.to_str().unwrap(),
            "--results",
            res.to_str().unwrap(),
        ],
        Some(&base),
        Some(sb.token()),
    );
    let err = one_error_line(&o, 1);
    assert!(err.contains("404"), "{err}");
    assert!(err.contains("base URL"), "{err}");
    assert!(err.contains(&format!("http://{}/v1", sb.addr())), "{err}");
    assert!(!err.contains("re-run"), "{err}");
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    assert!(!res.exists(), "no results file for a run that sent nothing");
}

#[test]
fn messages_confirmed_on_a_retry_are_this_runs_in_the_summary() {
    // Half the bulk requests are taken and then answered by a dropped connection: their retry
    // finds every clientId used. This run sent them, and the balance was charged for them.
    let sb = sandbox_with(Faults::default().drop_after_commit_rate(0.5).seed(11));
    let dir = temp_dir();
    let csv = dir.join("dropped.csv");
    let rows: String = (0..200)
        .map(|i| format!("+34600004{i:03},Acme,Hola {i}\n"))
        .collect();
    std::fs::write(&csv, format!("to,from,text\n{rows}")).unwrap();
    let o = campaign(&sb, &csv, &["--batch-size", "10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(sb.messages().len(), 200, "a message went out twice");
    let out = stdout(&o);
    assert!(out.contains("accepted       200"), "{out}");
    assert!(
        out.contains("confirmed on a retry"),
        "no drop happened: {out}"
    );
    assert!(!out.contains("earlier run"), "{out}");
    assert!(out.contains("segments       200"), "{out}");
    // 200 one-segment messages to Spain at the sandbox's 0.045 EUR.
    assert!(out.contains("cost       9.0000 EUR"), "{out}");
    assert!(out.contains("(charged 9.0000)"), "{out}");

    // Run again, every message is an earlier run's, and nothing is charged.
    let again = campaign(&sb, &csv, &["--batch-size", "10"]);
    assert!(again.status.success(), "{}", stderr(&again));
    let out = stdout(&again);
    assert!(
        out.contains("(200 by an earlier run, not sent again)"),
        "{out}"
    );
    assert!(out.contains("segments         0"), "{out}");
    assert_eq!(sb.messages().len(), 200);
}

#[test]
fn a_second_run_writing_the_same_results_file_is_refused_before_sending() {
    // Slow enough that the first run is still sending when the second starts.
    let sb = sandbox_with(Faults::default().latency_ms(100));
    let dir = temp_dir();
    let first_csv = dir.join("first.csv");
    let rows: String = (0..30)
        .map(|i| format!("+34600005{i:03},Acme,uno {i}\n"))
        .collect();
    std::fs::write(&first_csv, format!("to,from,text\n{rows}")).unwrap();
    let second_csv = dir.join("second.csv");
    std::fs::write(&second_csv, "to,from,text\n+34600006000,Acme,dos\n").unwrap();
    let res = dir.join("shared.jsonl");
    let res_arg = res.to_str().unwrap();
    let slow = [
        "--batch-size",
        "1",
        "--concurrency",
        "1",
        "--results",
        res_arg,
    ];
    let first = command(
        &[&["campaign", first_csv.to_str().unwrap()][..], &slow].concat(),
        Some(&sb.base_url()),
        Some(sb.token()),
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut first = Running(first);
    let deadline = Instant::now() + Duration::from_secs(30);
    while sb.messages().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!sb.messages().is_empty(), "the first run never sent");

    let second = campaign(&sb, &second_csv, &["--results", res_arg]);
    let err = one_error_line(&second, 2);
    assert!(err.contains("another instasent campaign"), "{err}");
    assert!(err.contains("shared.jsonl.partial"), "{err}");

    let status = first.0.wait().unwrap();
    let mut err = String::new();
    first
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{err}");
    assert!(
        !sent_to(&sb).contains(&"+34600006000".to_string()),
        "the refused run sent"
    );
    let r = results(&res);
    assert_eq!(r.len(), 30, "{r:?}");
    assert!(r.iter().all(|x| x["outcome"] == "accepted"), "{r:?}");
}

#[test]
fn a_campaign_with_every_row_rejected_exits_non_zero() {
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("bad.csv");
    std::fs::write(&csv, "to,from,text\nnope,Acme,x\n12,Acme,y\n").unwrap();
    let o = campaign(&sb, &csv, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("no message was accepted"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn dlr_listen_with_the_embedded_sandbox_is_a_usage_error() {
    let dir = temp_dir();
    let csv = dir.join("s.csv");
    std::fs::write(&csv, "to,from,text\n+34600000001,Acme,x\n").unwrap();
    let o = instasent(
        &[
            "--sandbox",
            "campaign",
            csv.to_str().unwrap(),
            "--wait-dlr",
            "--dlr-listen",
            "127.0.0.1:0",
        ],
        None,
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--dlr-listen"), "{}", stderr(&o));
}

#[test]
fn dlr_listen_without_wait_dlr_is_a_usage_error() {
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("listen.csv");
    std::fs::write(&csv, "to,from,text\n+34600000001,Acme,x\n").unwrap();
    let o = campaign(&sb, &csv, &["--dlr-listen", "127.0.0.1:0"]);
    let err = one_error_line(&o, 2);
    assert!(err.contains("--wait-dlr"), "{err}");
    assert!(sb.messages().is_empty());
}

#[test]
fn rows_from_a_slow_pipe_go_out_as_they_come() {
    // A producer that writes a row, then waits: the row must not wait for the end of input.
    let sb = sandbox();
    let mut child = command(
        &["campaign", "-", "--batch-size", "1"],
        Some(&sb.base_url()),
        Some(sb.token()),
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "to,from,text\n+34600001101,Acme,first").unwrap();
    stdin.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while sb.messages().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let sent_before_eof = sb.messages().len();
    writeln!(stdin, "+34600001102,Acme,second").unwrap();
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sent_before_eof, 1,
        "the first row waited for the end of input"
    );
    assert_eq!(sb.messages().len(), 2);
}

#[test]
fn deleting_a_refused_twin_of_a_sent_row_sends_nothing_again() {
    // Same sender, number and text: one row refused locally (no allowUnicode), one sent.
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("twins.csv");
    std::fs::write(
        &csv,
        "to,from,text,allowUnicode\n+34600002001,Acme,Hola María ú,false\n+34600002001,Acme,Hola María ú,true\n",
    )
    .unwrap();
    let first = campaign(&sb, &csv, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(sb.messages().len(), 1);
    std::fs::write(
        &csv,
        "to,from,text,allowUnicode\n+34600002001,Acme,Hola María ú,true\n",
    )
    .unwrap();
    let again = campaign(&sb, &csv, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        sb.messages().len(),
        1,
        "the sent twin went out again: {}",
        stdout(&again)
    );
}

#[test]
fn a_results_file_from_another_api_never_stands_for_sending() {
    // A rehearsal against one sandbox, then the same command against another (as --sandbox,
    // then the real API): every row must go out there, whatever the results file says.
    let dir = temp_dir();
    let csv = dir.join("rehearsal.csv");
    std::fs::write(
        &csv,
        "to,from,text,clientId\n+34600003001,Acme,uno,own-1\n+34600003002,Acme,dos,\n",
    )
    .unwrap();
    let res = dir.join("rehearsal.jsonl");
    let res_arg = res.to_str().unwrap();
    let rehearsal = sandbox();
    assert!(campaign(&rehearsal, &csv, &["--results", res_arg])
        .status
        .success());
    let real = sandbox();
    let o = campaign(&real, &csv, &["--results", res_arg]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(real.messages().len(), 2, "{}", stdout(&o));
    assert!(results(&res).iter().all(|r| r["acceptedEarlier"] == false));
}

#[test]
fn a_link_planted_as_the_partial_results_file_is_refused_and_its_target_untouched() {
    // Before: the run opened `FILE.partial` through a symbolic link, emptied the file it
    // pointed to and wrote its results there.
    let sb = sandbox();
    let dir = temp_dir();
    let csv = dir.join("in.csv");
    std::fs::write(&csv, "to,from,text\n+34600007001,Acme,hola\n").unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "important\n").unwrap();
    let res = dir.join("res.jsonl");
    let partial = dir.join("res.jsonl.partial");
    let res_arg = res.to_str().unwrap();

    std::os::unix::fs::symlink(&victim, &partial).unwrap();
    let err = one_error_line(&campaign(&sb, &csv, &["--results", res_arg]), 2);
    assert!(
        err.contains("res.jsonl.partial") && err.contains("symbolic link"),
        "{err}"
    );

    std::fs::remove_file(&partial).unwrap();
    std::fs::hard_link(&victim, &partial).unwrap();
    let err = one_error_line(&campaign(&sb, &csv, &["--results", res_arg]), 2);
    assert!(err.contains("hard links"), "{err}");

    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "important\n");
    assert!(sb.messages().is_empty(), "refused before sending");
    // With the name free again, the run goes ahead.
    std::fs::remove_file(&partial).unwrap();
    let ok = campaign(&sb, &csv, &["--results", res_arg]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert_eq!(sb.messages().len(), 1);
}
