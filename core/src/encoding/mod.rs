//! GSM-7 / UCS-2 encoding and segmentation (3GPP TS 23.038, TS 23.040).
//! PLACEHOLDER: owned by the encoding work in progress; the public signatures below are fixed.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Encoding {
    #[serde(rename = "GSM-7")]
    Gsm7,
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ShiftTable {
    Spanish,
    Portuguese,
    Turkish,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnalyzeOptions {
    pub smart: bool,
    pub shift_table: Option<ShiftTable>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    pub encoding: Encoding,
    pub segments: usize,
    pub units: usize,
    pub parts: Vec<String>,
    pub unicode_chars: Vec<char>,
    pub text: String,
}

pub fn analyze(text: &str, _options: &AnalyzeOptions) -> Analysis {
    let gsm = text.chars().all(|c| c.is_ascii() && c != '`');
    let (encoding, units) = if gsm {
        (Encoding::Gsm7, text.chars().count())
    } else {
        (Encoding::Ucs2, text.encode_utf16().count())
    };
    let (single, multi) = if gsm { (160, 153) } else { (70, 67) };
    let segments = if units <= single {
        1
    } else {
        units.div_ceil(multi)
    };
    Analysis {
        encoding,
        segments,
        units,
        parts: vec![text.to_string()],
        unicode_chars: text.chars().filter(|c| !c.is_ascii()).collect(),
        text: text.to_string(),
    }
}
