//! `instasent campaign FILE`: rows of a CSV, JSON-lines or JSON-array file → the core's campaign engine,
//! with a live progress display, a results file, resumable clientIds, and (with --wait-dlr)
//! a summary of the delivery reports that came back.

mod client_id;
mod deliveries;
mod input;
mod interrupt;
mod preflight;
mod progress;
mod results;
mod resume;
mod row;
mod runner;
mod summary;
mod template;

pub use runner::run;
