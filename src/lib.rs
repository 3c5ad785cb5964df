//! counterdesk: the keyboard-driven workstation of the integrated counter
//! clerk in a power-supply business hall.
//!
//! Layers: `tui` → `desk` → `store` (SQLite), with `domain` pure and shared.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod clock;
pub mod config;
pub mod desk;
pub mod display;
pub mod domain;
pub mod hall;
pub mod hq;
pub mod i18n;
pub mod lab;
pub mod load;
pub mod reader;
pub mod scanner;
pub mod slips;
pub mod store;
pub mod sync;
pub mod tui;

/// Files built into the binary: migrations, shipped forms, message catalogue.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
