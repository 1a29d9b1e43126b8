//! One module per subcommand; each turns its arguments into core calls and prints the answer.

pub mod account;
pub mod dlr;
pub mod history;
pub mod sandbox;
pub mod segments;
pub mod send;
