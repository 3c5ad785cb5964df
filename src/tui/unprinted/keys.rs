//! The unprinted-slips screen's keys.

use crate::tui::key_names::Names;
use crate::tui::keymap::{b, ch, label_of, Binding, DOWN, ENTER, ESC, UP};

/// Going through the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKey {
    /// The record above.
    Up,
    /// The record below.
    Down,
    /// Print the selected record's slip.
    Print,
    /// Dismiss it with a reason.
    Dismiss,
    /// Later: back to work (it is shown again at the cashier).
    Leave,
}

/// The list's keys.
pub const LIST: &[Binding<ListKey>] = &[
    b(&[UP], ListKey::Up, "key.move_up"),
    b(&[DOWN], ListKey::Down, "key.move_down"),
    b(&[ch('p')], ListKey::Print, "key.print_unprinted"),
    b(&[ch('d')], ListKey::Dismiss, "key.dismiss_unprinted"),
    b(&[ESC], ListKey::Leave, "key.later"),
];

/// Typing the reason for not printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonKey {
    /// Record the reason.
    Confirm,
    /// Back to the list, nothing recorded.
    Cancel,
}

/// The reason's keys.
pub const REASON: &[Binding<ReasonKey>] = &[
    b(&[ENTER], ReasonKey::Confirm, "key.confirm"),
    b(&[ESC], ReasonKey::Cancel, "key.cancel"),
];

/// The keys of this screen that messages name (`{key_…}`).
pub const KEY_NAMES: Names = &[
    ("key_print_unprinted", || label_of(LIST, ListKey::Print)),
    ("key_dismiss_unprinted", || label_of(LIST, ListKey::Dismiss)),
];
