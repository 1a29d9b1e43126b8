//! The API token (whose `Debug` never shows it) and where a request carries it.

/// Where the token goes (docs: transactional-api/http/authentication).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TokenPlacement {
    /// `Authorization: Bearer …` — recommended, never ends up in URLs or logs.
    #[default]
    Header,
    /// `?access_token=…` — for gateways that strip headers.
    Query,
}

/// The API token. Its `Debug` never shows the value.
#[derive(Clone)]
pub(crate) struct Token(std::sync::Arc<str>);

impl Token {
    pub(crate) fn new(value: String) -> Self {
        Token(value.into())
    }

    /// The value, for the one place it goes out (the header or query of a request) and for
    /// masking it wherever an answer quotes it.
    pub(crate) fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_debug_is_redacted() {
        let t = Token::new("sk_live_secret".into());
        assert_eq!(format!("{t:?}"), "Token(***)");
    }
}
