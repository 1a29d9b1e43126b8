//! Writing to stdout and stderr without `print!`/`eprint!`, which panic when the stream is
//! gone.
//!
//! stdout carries the command's answer: when its reader went away (`instasent … | head`) the
//! process ends quietly, as a SIGPIPE ends other tools. stderr only carries progress and notes:
//! a campaign must not stop sending because nobody reads them any more (`2>&1 | head -1`).

use std::fmt::Display;
use std::io::{ErrorKind, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::fail::{plain, CliResult, Failure};

/// Exit code when stdout's reader went away: the answer was not all delivered.
const EXIT_STDOUT_CLOSED: i32 = 1;

/// `text` on stdout, as is (give it its own newline).
pub fn print(text: &str) -> CliResult {
    let mut out = std::io::stdout().lock();
    // Flushed here: `std::process::exit` later does not flush what is still buffered.
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => stdout_closed(),
        Err(e) => Err(Failure::run(format!(
            "could not write to standard output: {e}"
        ))),
    }
}

/// One line on stdout.
pub fn print_line(line: impl Display) -> CliResult {
    print(&format!("{line}\n"))
}

/// Pretty JSON on stdout, with nothing in it a terminal acts on ([`json_visible`]).
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> CliResult {
    let text = serde_json::to_string_pretty(value).map_err(cannot_encode)?;
    print_line(json_visible(&text))
}

/// `value` as one line of JSON (a JSON-lines record), with nothing in it a terminal acts on.
pub fn json_line<T: Serialize + ?Sized>(value: &T) -> Result<String, Failure> {
    let text = serde_json::to_string(value).map_err(cannot_encode)?;
    Ok(json_visible(&text))
}

fn cannot_encode(e: serde_json::Error) -> Failure {
    Failure::run(format!("could not encode the output: {e}"))
}

/// JSON with every character a terminal could act on written as `\uXXXX`. serde_json escapes
/// only those below U+0020, and a sender's DEL, C1 controls (U+009B is a CSI) or bidi
/// overrides would reach the terminal of whoever watches the output. Outside strings JSON has
/// only plain ASCII and, pretty, line breaks (serde escapes one inside a string), so each such
/// character is inside a string, where the escape means the same character.
fn json_visible(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if plain(c) || matches!(c, '"' | '\\' | '\n') {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// A bar on stderr (a spinner when `len` is unknown) in indicatif's `template`, ticking on its
/// own so that it moves while nothing else does.
pub fn stderr_bar(len: Option<u64>, template: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Ends the process quietly: nobody reads the answer any more.
pub fn stdout_closed() -> ! {
    std::process::exit(EXIT_STDOUT_CLOSED)
}

/// One line on stderr; a failed write is ignored (see the module comment).
pub fn note(line: impl Display) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_no_character_a_terminal_acts_on_and_reads_back_the_same() {
        let value = serde_json::json!({
            "id": "m\u{9b}2J\u{7f}\u{202e}\u{1f600}é",
            "text": "line\none \u{1b}[31m",
        });
        for (shown, compact) in [
            (json_line(&value).unwrap(), true),
            (
                json_visible(&serde_json::to_string_pretty(&value).unwrap()),
                false,
            ),
        ] {
            assert!(
                shown
                    .chars()
                    .all(|c| plain(c) || matches!(c, '"' | '\\' | '\n')),
                "{shown}"
            );
            assert_eq!(shown.contains('\n'), !compact, "{shown}");
            assert!(shown.contains(r#""m\u009b2J\u007f\u202e😀é""#), "{shown}");
            let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
            assert_eq!(back, value);
        }
    }
}
