//! Verify: the request that sends a code and the verification the API keeps.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `POST /verify` body, as Instasent's libraries send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VerifyRequest {
    /// The SMS that carries the code.
    pub sms: VerifySms,
    /// Digits in the generated code.
    pub token_length: u32,
    /// Seconds the code stays valid.
    pub timeout: u32,
    /// Your reference for the request (≤ 40 characters); the client generates one when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

impl VerifyRequest {
    /// Digits when the caller gives none, as Instasent's libraries default it.
    pub const DEFAULT_TOKEN_LENGTH: u32 = 6;
    /// Seconds the code stays valid when the caller gives none, as Instasent's libraries default it.
    pub const DEFAULT_TIMEOUT_SECS: u32 = 300;

    /// A code of [`DEFAULT_TOKEN_LENGTH`](Self::DEFAULT_TOKEN_LENGTH) digits valid for
    /// [`DEFAULT_TIMEOUT_SECS`](Self::DEFAULT_TIMEOUT_SECS), sent from `from` to `to` in `text`
    /// (which holds `%token%` where the code goes), without a `clientId` (the client generates
    /// one).
    pub fn new(from: impl Into<String>, to: impl Into<String>, text: impl Into<String>) -> Self {
        VerifyRequest {
            sms: VerifySms::new(from, to, text),
            token_length: Self::DEFAULT_TOKEN_LENGTH,
            timeout: Self::DEFAULT_TIMEOUT_SECS,
            client_id: None,
        }
    }

    /// Sets the number of digits in the code.
    pub fn token_length(mut self, digits: u32) -> Self {
        self.token_length = digits;
        self
    }

    /// Sets how many seconds the code stays valid.
    pub fn timeout(mut self, secs: u32) -> Self {
        self.timeout = secs;
        self
    }

    /// Sets your own reference for the request (≤ 40 characters).
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }
}

impl VerifySms {
    /// The SMS that carries a code: `text` holds `%token%` where the code goes.
    pub fn new(from: impl Into<String>, to: impl Into<String>, text: impl Into<String>) -> Self {
        VerifySms {
            from: from.into(),
            to: to.into(),
            text: text.into(),
        }
    }
}

/// The SMS that carries a verify code; `text` holds `%token%` where the code goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerifySms {
    /// Sender ID, under the same rules as [`SmsRequest::from`](crate::SmsRequest::from).
    pub from: String,
    /// Destination number, E.164.
    pub to: String,
    /// Message body, with `%token%` where the code goes (refused locally without it).
    pub text: String,
}

/// A verification (`POST /verify`, `GET /verify/{id}`, check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Verify {
    /// Instasent's verification id, for [`check_verify`](crate::Client::check_verify).
    pub id: String,
    /// `"pending"`, `"verified"`, `"failed"` or `"expired"`.
    pub status: String,
    /// The number the code was sent to.
    #[serde(default)]
    pub to: String,
    /// The `clientId` of the request, when the API echoes it.
    #[serde(default)]
    pub client_id: Option<String>,
    /// When the code stops being valid, as the API writes it (ISO 8601).
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Checks of the code made so far, when the API reports them.
    #[serde(default)]
    pub attempts: Option<u32>,
    /// Fields of the entity this type does not name, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verify_request_from_new_is_what_instasent_libraries_send() {
        let req = VerifyRequest::new("Acme", "+34600000000", "Code %token%");
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            serde_json::json!({
                "sms": {"from": "Acme", "to": "+34600000000", "text": "Code %token%"},
                "tokenLength": 6,
                "timeout": 300,
            })
        );
        let set = req.token_length(8).timeout(60).client_id("v-1");
        assert_eq!(
            (set.token_length, set.timeout, set.client_id.as_deref()),
            (8, 60, Some("v-1"))
        );
    }
}
