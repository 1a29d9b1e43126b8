//! The country a number belongs to: the country calling codes of ITU-T E.164 in use by a
//! country or territory, each with its ISO 3166-1 alpha-2 code. The API delivers "to handsets
//! in 200+ countries" (docs: transactional-api/overview), so every one of these is routable.
//!
//! A code several countries share is reported as its main one: `+1` (the whole North American
//! Numbering Plan) is US, `+7` RU except Kazakhstan's `+76`/`+77`, `+44` GB, `+262` RE, `+590`
//! GP, `+599` CW. Codes no country has — spare ones such as `+999`, and the global services
//! (`+800`, `+870`, `+881`…, `+979`) — are not here: a number under one has no route.

/// `(calling code without "+", ISO 3166-1 alpha-2)`, by ITU zone.
#[rustfmt::skip]
pub const CALLING_CODES: &[(&str, &str)] = &[
    // Zone 1: North American Numbering Plan.
    ("1", "US"),
    // Zone 2: Africa, and a few islands of the Atlantic and the Arctic.
    ("20", "EG"), ("211", "SS"), ("212", "MA"), ("213", "DZ"), ("216", "TN"), ("218", "LY"),
    ("220", "GM"), ("221", "SN"), ("222", "MR"), ("223", "ML"), ("224", "GN"), ("225", "CI"),
    ("226", "BF"), ("227", "NE"), ("228", "TG"), ("229", "BJ"), ("230", "MU"), ("231", "LR"),
    ("232", "SL"), ("233", "GH"), ("234", "NG"), ("235", "TD"), ("236", "CF"), ("237", "CM"),
    ("238", "CV"), ("239", "ST"), ("240", "GQ"), ("241", "GA"), ("242", "CG"), ("243", "CD"),
    ("244", "AO"), ("245", "GW"), ("246", "IO"), ("247", "SH"), ("248", "SC"), ("249", "SD"),
    ("250", "RW"), ("251", "ET"), ("252", "SO"), ("253", "DJ"), ("254", "KE"), ("255", "TZ"),
    ("256", "UG"), ("257", "BI"), ("258", "MZ"), ("260", "ZM"), ("261", "MG"), ("262", "RE"),
    ("263", "ZW"), ("264", "NA"), ("265", "MW"), ("266", "LS"), ("267", "BW"), ("268", "SZ"),
    ("269", "KM"), ("27", "ZA"), ("290", "SH"), ("291", "ER"), ("297", "AW"), ("298", "FO"),
    ("299", "GL"),
    // Zones 3 and 4: Europe.
    ("30", "GR"), ("31", "NL"), ("32", "BE"), ("33", "FR"), ("34", "ES"), ("350", "GI"),
    ("351", "PT"), ("352", "LU"), ("353", "IE"), ("354", "IS"), ("355", "AL"), ("356", "MT"),
    ("357", "CY"), ("358", "FI"), ("359", "BG"), ("36", "HU"), ("370", "LT"), ("371", "LV"),
    ("372", "EE"), ("373", "MD"), ("374", "AM"), ("375", "BY"), ("376", "AD"), ("377", "MC"),
    ("378", "SM"), ("380", "UA"), ("381", "RS"), ("382", "ME"), ("383", "XK"), ("385", "HR"),
    ("386", "SI"), ("387", "BA"), ("389", "MK"), ("39", "IT"), ("40", "RO"), ("41", "CH"),
    ("420", "CZ"), ("421", "SK"), ("423", "LI"), ("43", "AT"), ("44", "GB"), ("45", "DK"),
    ("46", "SE"), ("47", "NO"), ("48", "PL"), ("49", "DE"),
    // Zone 5: South and Central America.
    ("500", "FK"), ("501", "BZ"), ("502", "GT"), ("503", "SV"), ("504", "HN"), ("505", "NI"),
    ("506", "CR"), ("507", "PA"), ("508", "PM"), ("509", "HT"), ("51", "PE"), ("52", "MX"),
    ("53", "CU"), ("54", "AR"), ("55", "BR"), ("56", "CL"), ("57", "CO"), ("58", "VE"),
    ("590", "GP"), ("591", "BO"), ("592", "GY"), ("593", "EC"), ("594", "GF"), ("595", "PY"),
    ("596", "MQ"), ("597", "SR"), ("598", "UY"), ("599", "CW"),
    // Zone 6: South-East Asia and Oceania.
    ("60", "MY"), ("61", "AU"), ("62", "ID"), ("63", "PH"), ("64", "NZ"), ("65", "SG"),
    ("66", "TH"), ("670", "TL"), ("672", "NF"), ("673", "BN"), ("674", "NR"), ("675", "PG"),
    ("676", "TO"), ("677", "SB"), ("678", "VU"), ("679", "FJ"), ("680", "PW"), ("681", "WF"),
    ("682", "CK"), ("683", "NU"), ("685", "WS"), ("686", "KI"), ("687", "NC"), ("688", "TV"),
    ("689", "PF"), ("690", "TK"), ("691", "FM"), ("692", "MH"),
    // Zone 7: Russia and Kazakhstan.
    ("7", "RU"), ("76", "KZ"), ("77", "KZ"),
    // Zone 8: East Asia.
    ("81", "JP"), ("82", "KR"), ("84", "VN"), ("850", "KP"), ("852", "HK"), ("853", "MO"),
    ("855", "KH"), ("856", "LA"), ("86", "CN"), ("880", "BD"), ("886", "TW"),
    // Zone 9: West, Central and South Asia, and the Middle East.
    ("90", "TR"), ("91", "IN"), ("92", "PK"), ("93", "AF"), ("94", "LK"), ("95", "MM"),
    ("960", "MV"), ("961", "LB"), ("962", "JO"), ("963", "SY"), ("964", "IQ"), ("965", "KW"),
    ("966", "SA"), ("967", "YE"), ("968", "OM"), ("970", "PS"), ("971", "AE"), ("972", "IL"),
    ("973", "BH"), ("974", "QA"), ("975", "BT"), ("976", "MN"), ("977", "NP"), ("98", "IR"),
    ("992", "TJ"), ("993", "TM"), ("994", "AZ"), ("995", "GE"), ("996", "KG"), ("998", "UZ"),
];

/// Longest calling code in the table (E.164 country codes have 1 to 3 digits).
pub const MAX_CODE_DIGITS: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_digits_unique_and_iso_shaped() {
        let mut seen = std::collections::HashSet::new();
        for &(code, iso) in CALLING_CODES {
            assert!(
                (1..=MAX_CODE_DIGITS).contains(&code.len())
                    && code.bytes().all(|b| b.is_ascii_digit())
                    && !code.starts_with('0'),
                "{code}"
            );
            assert!(
                iso.len() == 2 && iso.bytes().all(|b| b.is_ascii_uppercase()),
                "{iso}"
            );
            assert!(seen.insert(code), "{code} twice");
        }
        assert!(
            CALLING_CODES.len() >= 200,
            "the docs promise 200+ countries"
        );
    }

    #[test]
    fn spare_and_global_service_codes_are_absent() {
        for code in ["999", "990", "800", "870", "881", "882", "979", "28", "42"] {
            assert!(CALLING_CODES.iter().all(|&(c, _)| c != code), "{code}");
        }
    }
}
