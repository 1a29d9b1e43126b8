//! What the SDK logs, and a stderr sink for programs that have no logger of their own.
// The sink and the `log` crate exist only with the `log` feature; the docs name them either way.
#![cfg_attr(not(feature = "log"), allow(rustdoc::broken_intra_doc_links))]
//!
//! The client emits [`tracing`] events with targets under `instasent`: one `debug` line per HTTP
//! attempt (`answered`, `not sent`, `sent, no answer`, with the endpoint's template, the
//! status, the attempt number and the time it took) and one `info` line per retry (`retrying`,
//! with what it follows and how long it waits). A line never holds the token, a message's text
//! or a phone number: endpoints are named by their template (`GET /sms/{id}`), not their path.
//!
//! A Rust application sees them through its own `tracing` subscriber. With the `log` feature
//! they also become [`log`] records when no subscriber is installed, which is how the Python
//! binding hands them to Python's `logging`; and [`log_to_stderr_from_env`] (same feature) is
//! the sink of the Node, C and PHP bindings and of the CLI.

/// The environment variable that turns on [`log_to_stderr_from_env`]: a level name, `error`,
/// `warn`, `info`, `debug` or `trace` (`off` or unset: nothing).
pub const LOG_ENV: &str = "INSTASENT_LOG";

/// Writes the SDK's log lines to stderr at the level `$INSTASENT_LOG` names, once per process.
/// Only the SDK's own lines are written (not those of its HTTP stack, whose URLs could carry a
/// token placed in the query). Returns whether the sink is on: false when the variable is unset,
/// `off` or not a level, or when the process already has a `log` logger (which is left alone).
#[cfg(feature = "log")]
pub fn log_to_stderr_from_env() -> bool {
    use std::sync::OnceLock;
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        let Some(level) = std::env::var(LOG_ENV).ok().and_then(|v| parse_level(&v)) else {
            return false;
        };
        if log::set_boxed_logger(Box::new(Stderr { level })).is_err() {
            return false;
        }
        log::set_max_level(level);
        true
    })
}

/// A level name as `$INSTASENT_LOG` takes it, any case; `None` for `off` and for anything else.
#[cfg(feature = "log")]
fn parse_level(name: &str) -> Option<log::LevelFilter> {
    match name.trim().parse::<log::LevelFilter>() {
        Ok(log::LevelFilter::Off) | Err(_) => None,
        Ok(level) => Some(level),
    }
}

/// Whether a record comes from this crate (`instasent` or `instasent::…`).
#[cfg(feature = "log")]
pub fn is_ours(target: &str) -> bool {
    target
        .strip_prefix("instasent")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

#[cfg(feature = "log")]
struct Stderr {
    level: log::LevelFilter,
}

#[cfg(feature = "log")]
impl log::Log for Stderr {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= self.level && is_ours(metadata.target())
    }

    fn log(&self, record: &log::Record<'_>) {
        use std::io::Write;
        if !self.enabled(record.metadata()) {
            return;
        }
        let now = time::OffsetDateTime::now_utc();
        let at = now
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        // One write per line, so lines from several threads do not interleave; a closed
        // stderr is no reason to fail a send.
        let line = format!(
            "{at} {:<5} {}: {}\n",
            record.level(),
            record.target(),
            record.args()
        );
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }

    fn flush(&self) {}
}

#[cfg(all(test, feature = "log"))]
mod tests {
    use super::*;

    #[test]
    fn levels_are_read_in_any_case_and_off_or_junk_is_none() {
        assert_eq!(parse_level("debug"), Some(log::LevelFilter::Debug));
        assert_eq!(parse_level(" INFO "), Some(log::LevelFilter::Info));
        assert_eq!(parse_level("off"), None);
        assert_eq!(parse_level("verbose"), None);
        assert_eq!(parse_level(""), None);
    }

    #[test]
    fn only_this_crates_targets_are_ours() {
        assert!(is_ours("instasent"));
        assert!(is_ours("instasent::http::transport"));
        assert!(!is_ours("instasent_sandbox"));
        assert!(!is_ours("reqwest::connect"));
        assert!(!is_ours("hyper_util::client"));
    }
}
