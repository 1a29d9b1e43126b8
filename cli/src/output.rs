//! Writing to stdout.

use serde::Serialize;

use crate::fail::{CliResult, Failure};

/// Pretty JSON on stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> CliResult {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::run(format!("could not encode the output: {e}")))?;
    println!("{text}");
    Ok(())
}
