//! The campaign engine: any number of messages → batches of ≤ 100 sent concurrently → one
//! result per input, streamed, with bounded memory.

mod batches;
mod engine;
mod feed;
mod input_order;
mod options;
mod outcome;
mod reconcile;

pub use feed::{Feed, Pushable, Pushed, Settled};
pub use options::{CampaignOptions, CampaignReport, LatestProgress, Progress, ProgressFn};
pub use outcome::{in_input_order, BulkResult, ItemResult, Outcome, RejectStage};
pub(crate) use reconcile::reconcile;
