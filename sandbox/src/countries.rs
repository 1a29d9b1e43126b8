//! The sandbox's price profile: which destinations have a route, what an SMS segment and a
//! lookup cost there, and the networks a lookup reports.

use serde::Serialize;

/// One destination of the price profile. Prices are in micro-EUR so that charging never drifts.
#[derive(Debug, Clone, Copy)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: &'static str,
    /// Dialling prefix without `+`.
    pub prefix: &'static str,
    /// Price of one SMS segment, micro-EUR.
    pub sms_micros: u64,
    /// Price of one HLR lookup, micro-EUR.
    pub lookup_micros: u64,
    /// Mobile country code (ITU-T E.212).
    pub mcc: &'static str,
    /// `(mnc, network name)` of the operators a lookup may report.
    pub networks: &'static [(&'static str, &'static str)],
}

pub const CURRENCY: &str = "EUR";

/// Message for a `to` whose prefix matches no country of the price profile.
pub const NO_ROUTE: &str = "No route to this destination";

pub const COUNTRIES: &[Country] = &[
    country(
        "ES",
        "34",
        45_000,
        5_000,
        "214",
        &[("07", "Movistar"), ("01", "Vodafone"), ("03", "Orange")],
    ),
    country(
        "PT",
        "351",
        40_000,
        5_000,
        "268",
        &[("06", "MEO"), ("01", "Vodafone"), ("03", "NOS")],
    ),
    country(
        "FR",
        "33",
        65_000,
        6_000,
        "208",
        &[("01", "Orange"), ("10", "SFR"), ("20", "Bouygues")],
    ),
    country(
        "DE",
        "49",
        75_000,
        6_000,
        "262",
        &[("01", "Telekom"), ("02", "Vodafone"), ("03", "O2")],
    ),
    country(
        "IT",
        "39",
        60_000,
        6_000,
        "222",
        &[("01", "TIM"), ("10", "Vodafone"), ("88", "WindTre")],
    ),
    country(
        "GB",
        "44",
        40_000,
        5_000,
        "234",
        &[("15", "Vodafone"), ("10", "O2"), ("30", "EE")],
    ),
    country(
        "US",
        "1",
        10_000,
        4_000,
        "310",
        &[("410", "AT&T"), ("260", "T-Mobile"), ("004", "Verizon")],
    ),
    country(
        "MX",
        "52",
        35_000,
        5_000,
        "334",
        &[("020", "Telcel"), ("050", "AT&T")],
    ),
    country(
        "AR",
        "54",
        50_000,
        7_000,
        "722",
        &[("310", "Claro"), ("070", "Movistar")],
    ),
    country(
        "BR",
        "55",
        30_000,
        5_000,
        "724",
        &[("05", "Claro"), ("06", "Vivo"), ("02", "TIM")],
    ),
    country(
        "CO",
        "57",
        25_000,
        5_000,
        "732",
        &[("101", "Claro"), ("123", "Movistar")],
    ),
    country(
        "CL",
        "56",
        45_000,
        6_000,
        "730",
        &[("01", "Entel"), ("02", "Movistar")],
    ),
    country(
        "NL",
        "31",
        85_000,
        6_000,
        "204",
        &[("08", "KPN"), ("04", "Vodafone")],
    ),
    country(
        "BE",
        "32",
        80_000,
        6_000,
        "206",
        &[("01", "Proximus"), ("10", "Orange")],
    ),
    country(
        "IE",
        "353",
        70_000,
        6_000,
        "272",
        &[("01", "Vodafone"), ("02", "Three")],
    ),
    country(
        "TR",
        "90",
        20_000,
        5_000,
        "286",
        &[("01", "Turkcell"), ("02", "Vodafone")],
    ),
];

const fn country(
    code: &'static str,
    prefix: &'static str,
    sms_micros: u64,
    lookup_micros: u64,
    mcc: &'static str,
    networks: &'static [(&'static str, &'static str)],
) -> Country {
    Country {
        code,
        prefix,
        sms_micros,
        lookup_micros,
        mcc,
        networks,
    }
}

/// The country whose prefix is the longest one starting the E.164 number `to` (`+34…` → ES,
/// `+351…` → PT rather than nothing).
pub fn route(to: &str) -> Option<&'static Country> {
    let digits = to.strip_prefix('+').unwrap_or(to);
    COUNTRIES
        .iter()
        .filter(|c| digits.starts_with(c.prefix))
        .max_by_key(|c| c.prefix.len())
}

pub fn micros_to_eur(micros: u64) -> f64 {
    micros as f64 / 1_000_000.0
}

pub fn eur_to_micros(eur: f64) -> u64 {
    if eur.is_finite() && eur > 0.0 {
        (eur * 1_000_000.0).round() as u64
    } else {
        0
    }
}

/// An entry of `GET /sms/price-profile/me/countries` and `GET /lookup/price-profile/me/countries`.
#[derive(Debug, Clone, Serialize)]
pub struct PriceEntry {
    pub country: &'static str,
    pub prefix: &'static str,
    pub price: f64,
    pub currency: &'static str,
}

pub fn sms_prices() -> Vec<PriceEntry> {
    prices(|c| c.sms_micros)
}

pub fn lookup_prices() -> Vec<PriceEntry> {
    prices(|c| c.lookup_micros)
}

fn prices(price: impl Fn(&Country) -> u64) -> Vec<PriceEntry> {
    COUNTRIES
        .iter()
        .map(|c| PriceEntry {
            country: c.code,
            prefix: c.prefix,
            price: micros_to_eur(price(c)),
            currency: CURRENCY,
        })
        .collect()
}

/// What an HLR lookup reports for a number, derived only from its digits so that the same
/// number always gives the same answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupResult {
    /// `"valid"`, or `"invalid"` for numbers ending in `999` (no such subscriber).
    pub status: &'static str,
    pub network: Option<&'static str>,
    pub mnc: Option<&'static str>,
    pub mcc: Option<&'static str>,
    /// True when the last-but-one digit is odd.
    pub ported: bool,
}

pub fn lookup(country: &Country, to: &str) -> LookupResult {
    if to.ends_with("999") {
        return LookupResult {
            status: "invalid",
            network: None,
            mnc: None,
            mcc: None,
            ported: false,
        };
    }
    let digits: Vec<u32> = to.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits.iter().sum();
    let (mnc, network) = country.networks[sum as usize % country.networks.len()];
    let ported = digits.len() >= 2 && digits[digits.len() - 2] % 2 == 1;
    LookupResult {
        status: "valid",
        network: Some(network),
        mnc: Some(mnc),
        mcc: Some(country.mcc),
        ported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_wins() {
        assert_eq!(route("+34600000000").unwrap().code, "ES");
        assert_eq!(route("+351912345678").unwrap().code, "PT");
        assert_eq!(route("+353871234567").unwrap().code, "IE");
        assert_eq!(route("+12025550100").unwrap().code, "US");
        assert!(route("+99912345678").is_none());
    }

    #[test]
    fn lookup_is_deterministic_and_999_is_invalid() {
        let es = route("+34600000123").unwrap();
        assert_eq!(lookup(es, "+34600000123"), lookup(es, "+34600000123"));
        assert_eq!(lookup(es, "+34600000999").status, "invalid");
        assert_eq!(lookup(es, "+34600000123").mcc, Some("214"));
    }

    #[test]
    fn micros_round_trip() {
        assert_eq!(micros_to_eur(45_000), 0.045);
        assert_eq!(eur_to_micros(1000.0), 1_000_000_000);
        assert_eq!(eur_to_micros(-1.0), 0);
    }
}
