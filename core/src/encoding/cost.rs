//! What a message costs to a destination, from the account's price profile
//! (`GET /sms/price-profile/me/countries`: one price per SMS segment and country).

use serde::Serialize;

use super::analyze::Analysis;
use crate::model::CountryPrice;

/// What one message is expected to cost to one destination ([`estimate_cost`]). An estimate
/// from the price profile: what the API charged is the `price` of its answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CostEstimate {
    /// ISO 3166-1 alpha-2 code of the matched price entry.
    pub country: String,
    /// Price of one segment to that destination, in `currency`.
    pub price_per_segment: f64,
    /// Segments of the analysed text.
    pub segments: usize,
    /// `price_per_segment × segments`, rounded to 6 decimals to hide binary float noise.
    pub total: f64,
    /// ISO 4217 code of the prices.
    pub currency: String,
}

/// Prices `analysis` for the E.164 number `to` with the entry whose dialling `prefix` is the
/// longest prefix of the number (`+1 876…` is Jamaica, not the USA). `None` when no entry matches.
pub fn estimate_cost(
    analysis: &Analysis,
    to: &str,
    prices: &[CountryPrice],
) -> Option<CostEstimate> {
    let digits = to.trim().trim_start_matches('+');
    let entry = prices
        .iter()
        .filter(|p| {
            let prefix = p.prefix.trim().trim_start_matches('+');
            !prefix.is_empty() && digits.starts_with(prefix)
        })
        .max_by_key(|p| p.prefix.trim().trim_start_matches('+').len())?;
    let total = (entry.price * analysis.segments as f64 * 1e6).round() / 1e6;
    Some(CostEstimate {
        country: entry.country.clone(),
        price_per_segment: entry.price,
        segments: analysis.segments,
        total,
        currency: entry.currency.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::{analyze, AnalyzeOptions};

    fn price(country: &str, prefix: &str, price: f64) -> CountryPrice {
        CountryPrice {
            country: country.into(),
            prefix: prefix.into(),
            price,
            currency: "EUR".into(),
            extra: Default::default(),
        }
    }

    #[test]
    fn longest_prefix_wins() {
        let prices = [
            price("US", "1", 0.01),
            price("JM", "1876", 0.2),
            price("ES", "34", 0.045),
        ];
        let three = analyze(&"a".repeat(307), &AnalyzeOptions::default());
        assert_eq!(three.segments, 3);
        let jm = estimate_cost(&three, "+18765550000", &prices).unwrap();
        assert_eq!(jm.country, "JM");
        assert_eq!(jm.total, 0.6);
        let es = estimate_cost(&three, "+34600000000", &prices).unwrap();
        assert_eq!((es.country.as_str(), es.total), ("ES", 0.135));
        assert_eq!(estimate_cost(&three, "+44700000000", &prices), None);
    }

    #[test]
    fn serializes_in_camel_case() {
        let one = analyze("Hi", &AnalyzeOptions::default());
        let e = estimate_cost(&one, "+34600000000", &[price("ES", "34", 0.05)]).unwrap();
        let v = serde_json::to_value(e).unwrap();
        assert_eq!(v["pricePerSegment"], 0.05);
        assert_eq!(v["currency"], "EUR");
    }
}
