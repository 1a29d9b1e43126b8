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
        // The core's messages never carry the token (core/src/error.rs); a local argument
        // problem is the caller's to fix, like any other usage mistake.
        match e.kind() {
            instasent::ErrorKind::InvalidArgument => Failure::Usage(e.to_string()),
            _ => Failure::Run(e.to_string()),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Run(e.to_string())
    }
}

/// Folds any line breaks so the message stays one line.
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub type CliResult<T = ()> = Result<T, Failure>;

#[cfg(test)]
mod tests {
    use super::*;

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
}
