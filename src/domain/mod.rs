//! Pure domain logic: no IO, no clock reads, no SQL.

pub mod audit;
pub mod bills;
pub mod calendar;
pub mod case;
pub mod clerk;
pub mod customer;
pub mod disclosure;
pub mod facing;
pub mod feed;
pub mod field_value;
pub mod form;
pub mod grid;
pub mod id;
pub mod id_card;
pub mod lab;
pub mod material_file;
pub mod money;
pub mod msg;
pub mod plan;
pub mod problem;
pub mod queue;
pub mod rating;
pub mod slip_number;
pub mod states;
pub mod text;
pub mod upload;
