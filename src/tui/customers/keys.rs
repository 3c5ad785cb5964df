//! The customers screen's keys, per mode.

use crate::tui::key_names::Names;
use crate::tui::keymap::{b, f, label_of, Binding, BACKTAB, DOWN, ENTER, ESC, TAB, UP};

/// Keys while an ID is typed or a customer is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupKey {
    /// Look the ID up.
    Lookup,
    /// Start an acceptance for the customer on screen.
    Accept,
    /// The customer's open applications.
    Applications,
    Cashier,
    /// A duty manager signs a suspicious ID off.
    SignOff,
    /// Customer flags (duty managers).
    Flags,
    /// Switch the language the customer is told in.
    Language,
    /// Records on their way to HQ.
    Upload,
    /// The case queue.
    Queue,
    /// Start over with an empty ID.
    Clear,
    /// Step back: the answer first, then the typing.
    Back,
}

/// The look-up keys.
pub const LOOKUP: &[Binding<LookupKey>] = &[
    b(&[ENTER], LookupKey::Lookup, "key.lookup"),
    b(&[f(3)], LookupKey::Accept, "key.accept"),
    b(&[f(4)], LookupKey::Applications, "key.applications"),
    b(&[f(6)], LookupKey::Cashier, "key.cashier"),
    b(&[f(8)], LookupKey::SignOff, "key.signoff"),
    b(&[f(5)], LookupKey::Flags, "key.flags"),
    b(&[f(10)], LookupKey::Language, "key.customer_lang"),
    b(&[f(9)], LookupKey::Upload, "key.upload"),
    b(&[f(7)], LookupKey::Queue, "key.queue"),
    b(&[f(2)], LookupKey::Clear, "key.new_lookup"),
    b(&[ESC], LookupKey::Back, "key.back"),
];

/// Keys while registering a new customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterKey {
    /// Next field, or register on the last.
    Enter,
    Next,
    /// Previous field.
    Prev,
    /// Back to the ID, keeping what was typed.
    Back,
}

/// The registration keys.
pub const REGISTER: &[Binding<RegisterKey>] = &[
    b(&[ENTER], RegisterKey::Enter, "key.next_or_register"),
    b(&[DOWN, TAB], RegisterKey::Next, "key.next_field"),
    b(&[UP, BACKTAB], RegisterKey::Prev, "key.prev_field"),
    b(&[ESC], RegisterKey::Back, "key.back_keep"),
];

/// The keys of this screen that messages name (`{key_…}`).
pub const KEY_NAMES: Names = &[
    ("key_signoff", || label_of(LOOKUP, LookupKey::SignOff)),
    ("key_lookup", || label_of(LOOKUP, LookupKey::Lookup)),
    ("key_resume", || label_of(LOOKUP, LookupKey::Accept)),
    ("key_register", || label_of(REGISTER, RegisterKey::Enter)),
    ("key_back_to_id", || label_of(REGISTER, RegisterKey::Back)),
];
