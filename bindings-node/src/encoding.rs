//! `segments(text, options)` and `smartEncode(text)` over `instasent::encoding`.

use napi_derive::napi;
use serde::Serialize;

use crate::error::invalid_argument;
use instasent::encoding::{self, AnalyzeOptions, ShiftTable};

#[napi(object)]
pub struct SegmentsOptions {
    /// Replace look-alike characters by GSM-7 ones when that makes the message cheaper.
    pub smart: Option<bool>,
    /// `"spanish"`, `"portuguese"` or `"turkish"`: allow that language's national shift tables.
    pub shift_table: Option<String>,
}

#[napi(object)]
#[derive(Serialize)]
pub struct Replacement {
    pub from: String,
    /// Empty when the character was removed.
    pub to: String,
}

/// What a text costs as an SMS.
#[napi(object)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// `"GSM-7"` or `"UCS-2"`.
    pub encoding: String,
    /// Short messages the text travels in; an empty text still makes one.
    pub segments: u32,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: u32,
    /// The text of each segment; their concatenation is `text`.
    pub parts: Vec<String>,
    /// Distinct characters, in order of first appearance, that kept the text out of GSM-7.
    pub unicode_chars: Vec<String>,
    /// The text as it travels (after smart encoding, when that applied).
    pub text: String,
    /// Units of one message sent alone (160, 155, 152 or 70).
    pub single_capacity: u32,
    /// Units of each part of a concatenated message (153, 149, 146 or 67).
    pub per_part_capacity: u32,
    /// Units of each part, in order.
    pub part_units: Vec<u32>,
    /// Units the last segment can still take.
    pub remaining: u32,
    /// Whether smart encoding changed the text.
    pub smart_applied: bool,
    /// The replacements smart encoding made, one per distinct character.
    pub replaced: Vec<Replacement>,
    // The optional fields last, absent when `None`: the JSON has the key order napi gave the
    // objects it built (required fields, then the optional ones that are set).
    /// National locking shift table in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locking_shift: Option<String>,
    /// National single shift table in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub single_shift: Option<String>,
}

// Built field by field rather than through serde (the core value → JSON → this struct round
// trip cost as much as the analysis); the strings are the core's serde names.
impl From<encoding::Analysis> for Analysis {
    fn from(a: encoding::Analysis) -> Self {
        let units = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Analysis {
            encoding: a.encoding.as_str().into(),
            segments: units(a.segments),
            units: units(a.units),
            parts: a.parts,
            unicode_chars: a.unicode_chars.iter().map(char::to_string).collect(),
            text: a.text,
            single_capacity: units(a.single_capacity),
            per_part_capacity: units(a.per_part_capacity),
            part_units: a.part_units.into_iter().map(units).collect(),
            remaining: units(a.remaining),
            locking_shift: a.locking_shift.map(|t| t.as_str().into()),
            single_shift: a.single_shift.map(|t| t.as_str().into()),
            smart_applied: a.smart_applied,
            replaced: a
                .replaced
                .into_iter()
                .map(|r| Replacement {
                    from: r.from.to_string(),
                    to: r.to,
                })
                .collect(),
        }
    }
}

/// Encoding, segments, units and split points of `text` as it would be sent.
// Crosses into JS as JSON, which `index.js` parses (`JSON.parse` builds the object several
// times faster than napi setting it property by property; strings, small integers and booleans
// come out the same).
#[napi(strict, ts_return_type = "Analysis")]
pub fn segments(text: String, options: Option<SegmentsOptions>) -> napi::Result<String> {
    let mut opts = AnalyzeOptions::default();
    if let Some(o) = options {
        opts.smart = o.smart.unwrap_or(false);
        if let Some(name) = o.shift_table {
            opts.shift_table = Some(ShiftTable::parse(&name).ok_or_else(|| {
                invalid_argument(format!(
                    "shiftTable {name:?} is not one of \"spanish\", \"portuguese\", \"turkish\""
                ))
            })?);
        }
    }
    serde_json::to_string(&Analysis::from(encoding::analyze(&text, &opts)))
        .map_err(|e| invalid_argument(format!("the analysis did not serialise: {e}")))
}

/// `text` with typographic look-alikes replaced by GSM-7 characters, when that pays.
#[napi]
pub fn smart_encode(text: String) -> String {
    encoding::smart_encode(&text)
}
