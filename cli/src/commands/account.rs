//! `instasent lookup`, `balance` and `prices`: read-only calls printed as lines or as the API's
//! JSON.

use instasent::CountryPrice;

use crate::args::{JsonFlag, LookupArgs, PricesArgs};
use crate::connect::Target;
use crate::fail::{CliResult, Failure};
use crate::output::{print, print_json, print_line};

pub async fn lookup(target: &Target, args: LookupArgs) -> CliResult {
    // Checked here rather than by the core, whose refusal speaks of a message not sent. It
    // exits 1, as a send the field rules refuse does.
    if let Some(problem) = instasent::validate::check_msisdn(&args.number) {
        return Err(Failure::run(format!(
            "cannot look up {:?}: {}; a number in E.164 is + and 7 to 15 digits, e.g. +34600000000",
            args.number,
            problem.trim_end_matches('.')
        )));
    }
    let response = target.client.do_lookup(&args.number).await?;
    if args.json.json {
        return print_json(&response.raw);
    }
    let l = &response.body;
    let field = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    print_line(format_args!(
        "{} status={} country={} network={} mcc={} mnc={} ported={} id={}",
        l.to,
        field(&l.status),
        field(&l.country),
        field(&l.network),
        field(&l.mcc),
        field(&l.mnc),
        l.ported.map_or("-".into(), |p| p.to_string()),
        l.id
    ))
}

pub async fn balance(target: &Target, args: JsonFlag) -> CliResult {
    let response = target.client.get_account_balance().await?;
    if args.json {
        return print_json(&response.raw);
    }
    print_line(format_args!(
        "{:.2} {}",
        response.body.available, response.body.currency
    ))
}

pub async fn prices(target: &Target, args: PricesArgs) -> CliResult {
    let response = if args.lookup {
        target.client.get_lookup_price_profile().await?
    } else {
        target.client.get_sms_price_profile().await?
    };
    if args.json.json {
        return print_json(&response.raw);
    }
    print(&price_table(&response.body, args.lookup))
}

fn price_table(prices: &[CountryPrice], lookup: bool) -> String {
    let unit = if lookup { "per lookup" } else { "per segment" };
    let mut out = format!("{:<8} {:>7} {:>10}  {unit}\n", "country", "prefix", "price");
    for p in prices {
        out.push_str(&format!(
            "{:<8} {:>7} {:>10.4}  {}\n",
            p.country,
            format!("+{}", p.prefix.trim_start_matches('+')),
            p.price,
            p.currency
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_table_has_one_row_per_country() {
        let p: CountryPrice = serde_json::from_value(serde_json::json!({
            "country": "ES", "prefix": "34", "price": 0.045, "currency": "EUR"
        }))
        .unwrap();
        let table = price_table(&[p], false);
        assert_eq!(table.lines().count(), 2);
        assert!(table.lines().nth(1).unwrap().contains("ES"));
        assert!(table.contains("+34"));
        assert!(table.contains("0.0450"));
    }
}
