//! Writing to stdout and stderr without `print!`/`eprint!`, which panic when the stream is
//! gone.
//!
//! stdout carries the command's answer: when its reader went away (`instasent … | head`) the
//! process ends quietly, as a SIGPIPE ends other tools. stderr only carries progress and notes:
//! a campaign must not stop sending because nobody reads them any more (`2>&1 | head -1`).

use std::fmt::Display;
use std::io::{ErrorKind, Write};

use serde::Serialize;

use crate::fail::{CliResult, Failure};

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

/// Pretty JSON on stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> CliResult {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::run(format!("could not encode the output: {e}")))?;
    print_line(text)
}

/// Ends the process quietly: nobody reads the answer any more.
pub fn stdout_closed() -> ! {
    std::process::exit(EXIT_STDOUT_CLOSED)
}

/// One line on stderr; a failed write is ignored (see the module comment).
pub fn note(line: impl Display) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
