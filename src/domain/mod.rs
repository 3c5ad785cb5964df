//! Pure domain logic: no IO, no clock reads, no SQL.

pub mod audit;
pub mod clerk;
pub mod customer;
pub mod form;
pub mod id;
pub mod msg;
pub mod text;
