//! How the CLI fails: one line on stderr, exit code 2 for a usage mistake, 130 when Ctrl-C
//! stopped it, 1 for anything else.

use std::fmt;

/// Exit code of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

/// A failure of the command as a whole.
#[derive(Debug)]
pub enum Failure {
    /// The command line or its input file cannot work as given (exit 2).
    Usage(String),
    /// The command ran and failed (exit 1).
    Run(String),
    /// Ctrl-C stopped the command at a safe point (exit 130).
    Interrupted(String),
}

impl Failure {
    /// The same failure with its message rewritten.
    pub fn map_message(self, f: impl FnOnce(&str) -> String) -> Self {
        match self {
            Failure::Usage(m) => Failure::Usage(f(&m)),
            Failure::Run(m) => Failure::Run(f(&m)),
            Failure::Interrupted(m) => Failure::Interrupted(f(&m)),
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Failure::Usage(message.into())
    }

    pub fn run(message: impl Into<String>) -> Self {
        Failure::Run(message.into())
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Run(_) => 1,
            Failure::Interrupted(_) => EXIT_INTERRUPTED,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (Failure::Usage(m) | Failure::Run(m) | Failure::Interrupted(m)) = self;
        f.write_str(&one_line(m))
    }
}

impl From<instasent::Error> for Failure {
    fn from(e: instasent::Error) -> Self {
        // The core's messages never carry the token (core/src/error.rs), nor do their causes
        // (the HTTP client's errors reach them stripped of the URL); a local argument problem
        // is the caller's to fix, like any other usage mistake.
        // Network failures already name the API's host and the innermost cause (the core's
        // transport); what other causes add is appended.
        let mut message = e.to_string();
        if let Some(cause) = cause(&e, &message) {
            message.push_str(": ");
            message.push_str(&cause);
        }
        match e.kind() {
            instasent::ErrorKind::InvalidArgument => Failure::Usage(message),
            _ => Failure::Run(message),
        }
    }
}

/// What lies under an error ("tcp connect error: Connection refused") when the message does
/// not say it yet: the two innermost causes say why; the outer ones are wrappers ("error
/// sending request"). The core's network errors already end with the innermost one.
fn cause(e: &instasent::Error, message: &str) -> Option<String> {
    let mut chain: Vec<String> = Vec::new();
    let mut next = std::error::Error::source(e);
    while let Some(source) = next {
        let text = one_line(&source.to_string());
        if !text.is_empty() && !chain.iter().any(|outer| outer.contains(&text)) {
            chain.push(text);
        }
        next = source.source();
    }
    if chain
        .last()
        .is_some_and(|innermost| message.contains(innermost.as_str()))
    {
        return None;
    }
    let innermost = chain.len().saturating_sub(2);
    (!chain.is_empty()).then(|| chain[innermost..].join(": "))
}

/// The core's advice for a text outside GSM-7 names the API field; a CLI user sets it with a
/// flag or a column, which `instead` names.
pub fn unicode_hint_for(message: &str, instead: &str) -> String {
    message.replace(CORE_UNICODE_HINT, instead)
}

/// How the core's validation (core/src/validate.rs `check_text`) words the advice.
const CORE_UNICODE_HINT: &str = "set allowUnicode";

/// The core refuses a plain `http://` base URL to anything but this machine and names its
/// builder option to allow it anyway; the CLI has no such option (the token would cross the
/// network in clear), so its user is told what does work.
pub fn insecure_http_hint_for(message: &str) -> String {
    message.replace(CORE_INSECURE_HTTP_HINT, CLI_INSECURE_HTTP_HINT)
}

/// How the core's base URL check (core/src/client/config.rs `parse_base_url`) words it.
const CORE_INSECURE_HTTP_HINT: &str = "use https, or allow_insecure_http";
const CLI_INSECURE_HTTP_HINT: &str = "give INSTASENT_BASE_URL or --base-url as https://, or as \
     http:// only to this machine: 127.0.0.1, [::1] or localhost, as for a local sandbox";

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Run(e.to_string())
    }
}

/// Folds any line breaks so the message stays one line, and escapes control and invisible
/// formatting characters: messages quote what an API or a webhook sender wrote, and an escape
/// sequence in it would reach the terminal.
pub fn one_line(message: &str) -> String {
    visible(&message.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Text with its control and invisible formatting characters escaped (`\u{1b}`), the rest as is.
fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if plain(c) || matches!(c, '"' | '\\') {
            out.push(c);
        } else {
            out.extend(c.escape_debug());
        }
    }
    out
}

/// Printed as itself by Rust's escaping (no control or invisible formatting character), and
/// not a quote or backslash, which would make a quoted value ambiguous.
pub fn plain(c: char) -> bool {
    c == '\'' || c.escape_debug().len() == 1
}

pub type CliResult<T = ()> = Result<T, Failure>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_cannot_break_the_line_or_reach_the_terminal() {
        let m = "422: \u{1b}]0;title\u{7}\u{1b}[2J bad\nfield \u{9b}2J \u{202e}x \u{7f} é \"q\"";
        let line = one_line(m);
        assert!(!line.chars().any(|c| c.is_control()), "{line}");
        assert_eq!(
            line,
            r#"422: \u{1b}]0;title\u{7}\u{1b}[2J bad field \u{9b}2J \u{202e}x \u{7f} é "q""#
        );
        let shown = Failure::run(m).to_string();
        assert_eq!(shown, line);
    }

    #[test]
    fn usage_exits_2_and_everything_else_1() {
        assert_eq!(Failure::usage("x").exit_code(), 2);
        assert_eq!(Failure::run("x").exit_code(), 1);
        assert_eq!(Failure::Interrupted("x".into()).exit_code(), 130);
        let e = instasent::Error::invalid_argument("bad base URL");
        assert_eq!(Failure::from(e).exit_code(), 2);
        let e = instasent::Error::new(instasent::ErrorKind::Unauthorized, "no").with_status(401);
        assert_eq!(Failure::from(e).exit_code(), 1);
    }

    #[test]
    fn messages_are_folded_into_one_line() {
        let f = Failure::run("first\nsecond\r\n  third");
        assert_eq!(f.to_string(), "first second third");
    }

    #[test]
    fn the_unicode_hint_names_what_a_cli_user_sets() {
        let core = instasent::validate::check_text("Hola María", false).unwrap();
        assert!(
            core.contains(CORE_UNICODE_HINT),
            "the core's wording changed: {core}"
        );
        let hint = unicode_hint_for(&core, "pass --unicode");
        assert!(hint.contains("pass --unicode") && !hint.contains("set allowUnicode"));
    }

    #[test]
    fn a_plain_http_refusal_names_what_a_cli_user_can_do() {
        let core = instasent::ClientBuilder::new("t")
            .base_url("http://api.example.com/transactional/v1")
            .build()
            .expect_err("plain http to another host is refused");
        let message = Failure::from(core)
            .map_message(insecure_http_hint_for)
            .to_string();
        assert!(
            message.contains("127.0.0.1"),
            "the core's wording changed: {message}"
        );
        assert!(!message.contains("allow_insecure_http"), "{message}");
    }
}
