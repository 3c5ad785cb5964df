//! The queue's keys.

use crate::tui::keymap::{b, f, k, Binding, DOWN, ENTER, ESC, UP};
use crossterm::event::KeyCode;

/// Browsing the open cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueKey {
    /// The case above.
    Up,
    /// The case below.
    Down,
    /// Ten cases up.
    PageUp,
    /// Ten cases down.
    PageDown,
    /// Open the case (its customer's applications).
    Open,
    /// Mine only, or everyone's.
    Owner,
    /// The next business type (or all).
    Business,
    /// Running, paused, or any.
    State,
    /// Back.
    Leave,
}

/// The queue's keys.
pub const QUEUE: &[Binding<QueueKey>] = &[
    b(&[UP], QueueKey::Up, "key.move_up"),
    b(&[DOWN], QueueKey::Down, "key.move_down"),
    b(&[k(KeyCode::PageUp)], QueueKey::PageUp, "key.page_up"),
    b(&[k(KeyCode::PageDown)], QueueKey::PageDown, "key.page_down"),
    b(&[ENTER], QueueKey::Open, "key.open_case"),
    b(&[f(2)], QueueKey::Owner, "key.queue_owner"),
    b(&[f(3)], QueueKey::Business, "key.queue_business"),
    b(&[f(4)], QueueKey::State, "key.queue_state"),
    b(&[ESC], QueueKey::Leave, "key.back"),
];
