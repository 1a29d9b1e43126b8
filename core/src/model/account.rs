//! Lookups, the account and price profiles as the API returns them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An HLR lookup (`POST /lookup`, `GET /lookup/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Lookup {
    /// Instasent's lookup id, for [`get_lookup_by_id`](crate::Client::get_lookup_by_id).
    pub id: String,
    /// The number looked up, E.164.
    #[serde(default)]
    pub to: String,
    /// `"valid"`, `"invalid"` or `"unknown"`.
    #[serde(default)]
    pub status: Option<String>,
    /// Country of the number, ISO 3166-1 alpha-2, when known.
    #[serde(default)]
    pub country: Option<String>,
    /// Name of the mobile network the number is on, when known.
    #[serde(default)]
    pub network: Option<String>,
    /// Mobile country code of that network, when known.
    #[serde(default)]
    pub mcc: Option<String>,
    /// Mobile network code of that network, when known.
    #[serde(default)]
    pub mnc: Option<String>,
    /// Whether the number was ported away from its original network, when known.
    #[serde(default)]
    pub ported: Option<bool>,
    /// When the lookup was made, as the API writes it (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Fields of the entity this type does not name, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /organization/account` → `entity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Account {
    /// Balance available for sending, in `currency`.
    pub available: f64,
    /// ISO 4217 code of the balance (`"EUR"`).
    #[serde(default)]
    pub currency: String,
    /// Fields of the entity this type does not name, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One country of a price profile (`GET /sms/price-profile/me/countries`,
/// `GET /lookup/price-profile/me/countries`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CountryPrice {
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Dialling prefix without `+` (`"34"`).
    #[serde(default)]
    pub prefix: String,
    /// Price of one SMS segment (or one lookup).
    pub price: f64,
    /// ISO 4217 code of `price`.
    #[serde(default)]
    pub currency: String,
    /// Fields of the entity this type does not name, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
