//! `segments(text, options)` and `smartEncode(text)` over `instasent::encoding`.

use napi_derive::napi;
use serde::{Deserialize, Serialize};

use crate::error::invalid_argument;
use crate::options::Options;
use instasent::encoding::{self, AnalyzeOptions, ShiftTable};

/// Options of `segments`.
#[napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SegmentsOptions {
    /// Replace look-alike characters by GSM-7 ones when that makes the message cheaper.
    pub smart: Option<bool>,
    /// `"spanish"`, `"portuguese"` or `"turkish"`: allow that language's national shift tables.
    pub shift_table: Option<String>,
}

/// One replacement smart encoding made.
#[napi(object)]
#[derive(Serialize)]
pub struct Replacement {
    /// The character smart encoding replaced.
    pub from: String,
    /// Empty when the character was removed.
    pub to: String,
}

/// What a text costs as an SMS.
// Declares the type `index.js` builds (from `Packed`); never built here.
#[napi(object)]
#[allow(dead_code)]
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
    // The optional fields last, absent when `None` (the order napi gave the objects it built
    // before `index.js` did).
    /// National locking shift table in use.
    pub locking_shift: Option<String>,
    /// National single shift table in use.
    pub single_shift: Option<String>,
}

/// The fields of an analysis that are rare or not numbers: sent, as the last element of the
/// packed answer, only when one of them is set.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Extra<'a> {
    /// Only when it differs from the input (smart encoding).
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    replaced: Vec<Replacement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locking_shift: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    single_shift: Option<&'static str>,
}

/// What `segments` hands `index.js`, which builds the [`Analysis`] from it and the caller's
/// text: one flat JSON array, `[encoding, segments, units, singleCapacity, perPartCapacity,
/// remaining, smartApplied (0 or 1), part count P, unicode char count C, P part ends (UTF-16
/// units into the text), P part units, C code points, Extra?]`. Only numbers and ASCII cross
/// in the common case: V8 decoding a non-ASCII answer from UTF-8 was a quarter of the call, the
/// text came back three times (input, `text`, `parts`), and `JSON.parse` reads a flat array of
/// numbers three times faster than the object.
fn pack(a: &encoding::Analysis, input: &str) -> Result<String, serde_json::Error> {
    let mut out = String::with_capacity(48 + 12 * a.parts.len() + 8 * a.unicode_chars.len());
    let mut digits = itoa::Buffer::new();
    let mut number = |out: &mut String, n: usize| {
        out.push(',');
        out.push_str(digits.format(n));
    };
    out.push_str("[\"");
    out.push_str(a.encoding.as_str());
    out.push('"');
    for n in [
        a.segments,
        a.units,
        a.single_capacity,
        a.per_part_capacity,
        a.remaining,
        usize::from(a.smart_applied),
        a.parts.len(),
        a.unicode_chars.len(),
    ] {
        number(&mut out, n);
    }
    let mut end = 0;
    for part in &a.parts {
        end += if part.is_ascii() {
            part.len()
        } else {
            part.chars().map(char::len_utf16).sum()
        };
        number(&mut out, end);
    }
    for &units in &a.part_units {
        number(&mut out, units);
    }
    for &c in &a.unicode_chars {
        number(&mut out, c as usize);
    }
    let extra = Extra {
        text: (a.text != input).then_some(a.text.as_str()),
        replaced: a
            .replaced
            .iter()
            .map(|r| Replacement {
                from: r.from.to_string(),
                to: r.to.clone(),
            })
            .collect(),
        locking_shift: a.locking_shift.map(|t| t.as_str()),
        single_shift: a.single_shift.map(|t| t.as_str()),
    };
    if extra.text.is_some()
        || !extra.replaced.is_empty()
        || extra.locking_shift.is_some()
        || extra.single_shift.is_some()
    {
        out.push(',');
        out.push_str(&serde_json::to_string(&extra)?);
    }
    out.push(']');
    Ok(out)
}

/// Encoding, segments, units and split points of `text` as it would be sent.
// Answers in the packed form above, which `index.js` turns into the `Analysis`.
#[napi(strict, ts_return_type = "Analysis")]
pub fn segments(
    text: String,
    #[napi(ts_arg_type = "SegmentsOptions | undefined | null")] options: Option<
        Options<SegmentsOptions>,
    >,
) -> napi::Result<String> {
    let mut opts = AnalyzeOptions::default();
    if let Some(Options(o)) = options {
        opts.smart = o.smart.unwrap_or(false);
        if let Some(name) = o.shift_table {
            opts.shift_table = Some(ShiftTable::parse(&name).ok_or_else(|| {
                invalid_argument(format!(
                    "shiftTable {name:?} is not one of \"spanish\", \"portuguese\", \"turkish\""
                ))
            })?);
        }
    }
    let analysis = encoding::analyze(&text, &opts);
    pack(&analysis, &text)
        .map_err(|e| invalid_argument(format!("the analysis did not serialise: {e}")))
}

/// `text` with typographic look-alikes replaced by GSM-7 characters, when that pays.
#[napi]
pub fn smart_encode(text: String) -> String {
    encoding::smart_encode(&text)
}
