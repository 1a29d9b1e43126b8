//! `segments(text, options)` and `smartEncode(text)` over `instasent::encoding`.

use napi_derive::napi;
use serde::Deserialize;

use crate::error::{invalid_argument, IntoNapi};
use crate::types::mirror;
use instasent::encoding::{self, AnalyzeOptions, ShiftTable};

#[napi(object)]
pub struct SegmentsOptions {
    /// Replace look-alike characters by GSM-7 ones when that makes the message cheaper.
    pub smart: Option<bool>,
    /// `"spanish"`, `"portuguese"` or `"turkish"`: allow that language's national shift tables.
    pub shift_table: Option<String>,
}

#[napi(object)]
#[derive(Deserialize)]
pub struct Replacement {
    pub from: String,
    /// Empty when the character was removed.
    pub to: String,
}

/// What a text costs as an SMS.
#[napi(object)]
#[derive(Deserialize)]
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
    /// National locking shift table in use.
    pub locking_shift: Option<String>,
    /// National single shift table in use.
    pub single_shift: Option<String>,
    /// Whether smart encoding changed the text.
    pub smart_applied: bool,
    /// The replacements smart encoding made, one per distinct character.
    pub replaced: Vec<Replacement>,
}

/// Encoding, segments, units and split points of `text` as it would be sent.
#[napi(strict)]
pub fn segments(text: String, options: Option<SegmentsOptions>) -> napi::Result<Analysis> {
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
    mirror(&encoding::analyze(&text, &opts)).napi()
}

/// `text` with typographic look-alikes replaced by GSM-7 characters, when that pays.
#[napi]
pub fn smart_encode(text: String) -> String {
    encoding::smart_encode(&text)
}
