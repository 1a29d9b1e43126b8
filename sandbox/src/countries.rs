//! The sandbox's price profile: every country has a route (docs: transactional-api/overview,
//! "delivering to handsets in 200+ countries"); a few have prices of their own and the networks
//! a lookup reports, the rest cost [`DEFAULT_SMS_MICROS`] per segment and
//! [`DEFAULT_LOOKUP_MICROS`] per lookup.

use std::sync::LazyLock;

use serde::Serialize;

use crate::calling_codes::{CALLING_CODES, MAX_CODE_DIGITS};

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
    /// Mobile country code (ITU-T E.212); `None` where the sandbox knows no networks.
    pub mcc: Option<&'static str>,
    /// `(mnc, network name)` of the operators a lookup may report; empty where it knows none.
    pub networks: &'static [(&'static str, &'static str)],
}

pub const CURRENCY: &str = "EUR";

/// Price of one SMS segment to a country without a price of its own, micro-EUR.
pub const DEFAULT_SMS_MICROS: u64 = 50_000;
/// Price of one lookup in a country without a price of its own, micro-EUR.
pub const DEFAULT_LOOKUP_MICROS: u64 = 5_000;

/// Message for a `to` whose country code no country has (`+999…`).
pub const NO_ROUTE: &str = "No route to this destination";

/// The countries with prices and networks of their own.
pub const PRICED: &[Country] = &[
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
        mcc: Some(mcc),
        networks,
    }
}

/// Every calling code, sorted by prefix: a [`PRICED`] country where there is one, else the
/// country at the default prices.
static PROFILE: LazyLock<Vec<Country>> = LazyLock::new(|| {
    let mut profile: Vec<Country> = CALLING_CODES
        .iter()
        .map(|&(prefix, code)| {
            let priced = PRICED.iter().find(|c| c.prefix == prefix);
            priced.copied().unwrap_or(Country {
                code,
                prefix,
                sms_micros: DEFAULT_SMS_MICROS,
                lookup_micros: DEFAULT_LOOKUP_MICROS,
                mcc: None,
                networks: &[],
            })
        })
        .collect();
    profile.sort_unstable_by_key(|c| c.prefix);
    profile
});

/// The price profile, by prefix.
pub fn profile() -> &'static [Country] {
    &PROFILE
}

/// The country whose calling code starts the E.164 number `to` (`+34…` → ES, `+351…` → PT,
/// `+77…` → KZ rather than RU), or `None` for a code no country has. A few binary searches,
/// not a scan: every item of every bulk is routed.
pub fn route(to: &str) -> Option<&'static Country> {
    let digits = to.strip_prefix('+').unwrap_or(to);
    (1..=MAX_CODE_DIGITS.min(digits.len()))
        .rev()
        .find_map(|len| {
            let prefix = &digits[..len];
            let i = PROFILE.binary_search_by(|c| c.prefix.cmp(prefix)).ok()?;
            Some(&PROFILE[i])
        })
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
    PROFILE
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

/// What a lookup of `to` in `country` reports. Where the sandbox knows no networks (the
/// countries at the default prices) `network`, `mcc` and `mnc` are `None`.
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
    let network = match country.networks.len() {
        0 => None,
        n => Some(country.networks[sum as usize % n]),
    };
    let ported = digits.len() >= 2 && digits[digits.len() - 2] % 2 == 1;
    LookupResult {
        status: "valid",
        network: network.map(|(_, name)| name),
        mnc: network.map(|(mnc, _)| mnc),
        mcc: country.mcc,
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
        assert_eq!(route("+77011234567").unwrap().code, "KZ");
        assert_eq!(route("+79161234567").unwrap().code, "RU");
        assert_eq!(route("+2348031234567").unwrap().code, "NG");
        assert_eq!(route("+201001234567").unwrap().code, "EG");
        assert!(route("+99912345678").is_none());
        assert!(route("+80012345678").is_none());
    }

    #[test]
    fn every_calling_code_is_priced_and_the_priced_ones_keep_their_prices() {
        assert_eq!(profile().len(), CALLING_CODES.len());
        for priced in PRICED {
            let listed = CALLING_CODES.iter().find(|&&(p, _)| p == priced.prefix);
            assert_eq!(
                listed,
                Some(&(priced.prefix, priced.code)),
                "{}",
                priced.code
            );
            assert_eq!(
                route(&format!("+{}600000000", priced.prefix))
                    .unwrap()
                    .sms_micros,
                priced.sms_micros
            );
        }
        let ch = route("+41791234567").unwrap();
        assert_eq!(
            (ch.code, ch.sms_micros, ch.lookup_micros),
            ("CH", DEFAULT_SMS_MICROS, DEFAULT_LOOKUP_MICROS)
        );
        let found = lookup(ch, "+41791234567");
        assert_eq!(
            (found.status, found.network, found.mcc, found.mnc),
            ("valid", None, None, None)
        );
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
