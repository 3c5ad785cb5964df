//! The ratings screen's keys.

use crate::tui::key_names::Names;
use crate::tui::keymap::{b, ch, f, label_of, Binding, DOWN, ENTER, ESC, UP};

/// The duty manager's list of poor ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKey {
    Up,
    Down,
    /// Record the return visit of the selected one (closes it).
    Visit,
    /// Decide the selected one's appeal.
    Decide,
    /// A new secret for the customer display.
    NewSecret,
    Leave,
}

pub const LIST: &[Binding<ListKey>] = &[
    b(&[UP], ListKey::Up, "key.move_up"),
    b(&[DOWN], ListKey::Down, "key.move_down"),
    b(&[ENTER], ListKey::Visit, "key.rating_visit"),
    b(&[ch('a')], ListKey::Decide, "key.rating_decide"),
    b(&[f(5)], ListKey::NewSecret, "key.display_secret"),
    b(&[ESC], ListKey::Leave, "key.back"),
];

/// The keys of this screen that messages name (`{key_…}`).
pub const KEY_NAMES: Names = &[
    ("key_rating_visit", || label_of(LIST, ListKey::Visit)),
    ("key_rating_decide", || label_of(LIST, ListKey::Decide)),
];
