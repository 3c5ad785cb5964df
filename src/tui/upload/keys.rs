//! The upload screen's keys.

use crate::tui::keymap::{b, f, Binding, DOWN, ENTER, ESC, UP};

/// Browsing the waiting and held records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKey {
    /// The record above.
    Up,
    /// The record below.
    Down,
    /// Look at the record's whole content (duty managers).
    Look,
    /// Send a quarantined record again (duty managers).
    SendAgain,
    /// Read the list again.
    Refresh,
    /// Back.
    Leave,
}

/// The list's keys.
pub const LIST: &[Binding<ListKey>] = &[
    b(&[UP], ListKey::Up, "key.move_up"),
    b(&[DOWN], ListKey::Down, "key.move_down"),
    b(&[ENTER], ListKey::Look, "key.look_record"),
    b(&[f(7)], ListKey::SendAgain, "key.send_again"),
    b(&[f(5)], ListKey::Refresh, "key.refresh"),
    b(&[ESC], ListKey::Leave, "key.back"),
];
