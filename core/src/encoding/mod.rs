//! GSM-7 / UCS-2 encoding and segmentation (3GPP TS 23.038, TS 23.040), smart encoding,
//! national language shift tables and cost estimates.

mod analyze;
mod cost;
mod gsm7;
mod segment;
mod shift;
mod smart;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;

pub use analyze::{analyze, Analysis, AnalyzeOptions, Encoding};
pub use cost::{estimate_cost, CostEstimate};
pub(crate) use gsm7::text_septets;
pub use gsm7::{is_gsm7, septets};
pub use shift::ShiftTable;
pub use smart::{replacement, smart_encode, smart_replace, Replacement};
