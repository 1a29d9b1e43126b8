//! libinstasent: the C ABI of the instasent core. Every exported function is `instasent_*`,
//! returns an [`instasent_code`] and fills out-parameters; errors are [`instasent_error`] heap
//! structs. Each module translates one concern; behaviour stays in the core.

mod abi;
mod calls;
mod campaign;
mod client;
mod dlr;
mod error;
mod sandbox;
mod segments;

pub use calls::*;
pub use campaign::*;
pub use client::*;
pub use dlr::*;
pub use error::*;
pub use sandbox::*;
pub use segments::*;
