//! Request and response types of the Transactional API, in the API's own field names.
//! Response entities keep every field they do not name in `extra`, so a field the API adds
//! later is not lost on its way to a binding.

mod account;
mod response;
mod sms;
mod verify;

pub use account::*;
pub use response::*;
pub use sms::*;
pub use verify::*;
