//! Handlers of the Transactional API routes.

pub mod account;
pub mod lookup;
pub mod sms;
pub mod verify;
