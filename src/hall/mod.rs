//! The hall's queue service (`counterdesk hall serve`): one per hall, its
//! own SQLite file, a kiosk page that issues tickets, the windows' API to
//! call them, the hall display that shows and speaks each call, and the
//! day's figures for the duty manager. `link` is the window's side.

pub mod core;
pub mod figures_page;
pub mod link;
pub mod pages;
pub mod server;
pub mod store;
pub mod ticket;
pub mod upload;
pub mod wire;

pub use self::core::Core;
