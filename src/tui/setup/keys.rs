//! The set-up form's keys.

use crate::tui::key_names::Names;
use crate::tui::keymap::{b, f, label_of, Binding, DOWN, ESC, TAB, UP};

/// What a key asks of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupKey {
    Next,
    Prev,
    /// Check every answer and write the site file.
    Save,
    /// Print the set-up page on the printer typed.
    TryPrinter,
    /// Try HQ with the address and token typed.
    TryHq,
    /// Try the hall service with the address and token typed.
    TryHall,
    /// Later: back to work, nothing written.
    Leave,
}

pub const FORM: &[Binding<SetupKey>] = &[
    b(&[TAB, DOWN], SetupKey::Next, "key.next_field"),
    b(&[UP], SetupKey::Prev, "key.prev_field"),
    b(&[f(2)], SetupKey::Save, "key.save"),
    b(&[f(5)], SetupKey::TryPrinter, "key.try_printer"),
    b(&[f(6)], SetupKey::TryHq, "key.try_hq"),
    b(&[f(7)], SetupKey::TryHall, "key.try_hall"),
    b(&[ESC], SetupKey::Leave, "key.later"),
];

/// The keys of this screen that messages name (`{key_…}`).
pub const KEY_NAMES: Names = &[
    ("key_setup_save", || label_of(FORM, SetupKey::Save)),
    ("key_try_printer", || label_of(FORM, SetupKey::TryPrinter)),
    ("key_try_hq", || label_of(FORM, SetupKey::TryHq)),
    ("key_try_hall", || label_of(FORM, SetupKey::TryHall)),
];
