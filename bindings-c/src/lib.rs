//! libinstasent: the C ABI of the instasent core. Every exported function is `instasent_*`,
//! returns an [`instasent_code`] and fills out-parameters; errors are [`instasent_error`] heap
//! structs. Each module translates one concern; behaviour stays in the core.
//!
//! Safety contract of every `unsafe extern "C" fn`, stated once in the header's conventions:
//! pointer arguments are NULL or valid for the call, strings NUL-terminated, handles made by
//! this library and not yet freed.
#![allow(clippy::missing_safety_doc)]

mod abi;
mod calls;
mod campaign;
mod client;
mod dlr;
mod error;
mod input;
#[cfg(feature = "sandbox")]
mod sandbox;
mod segments;
mod tracker;
mod version;

pub use calls::*;
pub use campaign::*;
pub use client::*;
pub use dlr::*;
pub use error::*;
#[cfg(feature = "sandbox")]
pub use sandbox::*;
pub use segments::*;
pub use tracker::*;
pub use version::*;
