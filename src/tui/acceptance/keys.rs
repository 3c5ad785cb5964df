//! The acceptance screen's keys, per stage.

use crate::tui::key_names::Names;
use crate::tui::keymap::{b, ch, f, label_of, Binding, BACKTAB, DOWN, ENTER, ESC, TAB, UP};

/// Choosing the business type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuKey {
    /// Take the highlighted business.
    Choose,
    /// Highlight the one above.
    Up,
    /// Highlight the one below.
    Down,
    /// Throw away the highlighted business's draft (pressed twice).
    DiscardDraft,
    /// The customer only asks: print the highlighted business's one-time
    /// notice and record the consultation.
    Consult,
    /// Back to the customer.
    Leave,
}

/// The menu's keys.
pub const MENU: &[Binding<MenuKey>] = &[
    b(&[ENTER], MenuKey::Choose, "key.choose"),
    b(&[UP], MenuKey::Up, "key.move_up"),
    b(&[DOWN], MenuKey::Down, "key.move_down"),
    b(&[f(8)], MenuKey::DiscardDraft, "key.discard_draft"),
    b(&[f(4)], MenuKey::Consult, "key.consult"),
    b(&[ESC], MenuKey::Leave, "key.back_to_customer"),
];

/// A same-type application is open: a reason is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicateKey {
    /// Go on with the reason typed.
    Continue,
    /// Back to the menu.
    Back,
}

/// The duplicate guard's keys.
pub const DUPLICATE: &[Binding<DuplicateKey>] = &[
    b(&[ENTER], DuplicateKey::Continue, "key.continue_with_reason"),
    b(&[ESC], DuplicateKey::Back, "key.back"),
];

/// Typing the application's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldsKey {
    /// Check the field and go on; from the last, to the disclosure.
    Enter,
    /// To the disclosure now.
    Disclose,
    Next,
    /// Previous field.
    Prev,
    /// Back a stage, keeping the typing.
    Back,
}

/// The fields' keys.
pub const FIELDS: &[Binding<FieldsKey>] = &[
    b(&[ENTER], FieldsKey::Enter, "key.next_or_disclose"),
    b(&[f(10)], FieldsKey::Disclose, "key.to_disclosure"),
    b(&[DOWN, TAB], FieldsKey::Next, "key.next_field"),
    b(&[UP, BACKTAB], FieldsKey::Prev, "key.prev_field"),
    b(&[ESC], FieldsKey::Back, "key.back_keep"),
];

/// The one-time disclosure checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecklistKey {
    /// Tick the row (a heading ticks its section).
    Tick,
    /// Cursor up.
    Up,
    /// Cursor down.
    Down,
    /// The material under the cursor: received or owed.
    Received,
    /// Type the document details of the material under the cursor (for
    /// the customer's file).
    Details,
    /// Attach the scanner's newest file to the material under the cursor.
    Scan,
    /// Choose another customer manager, with a reason.
    Manager,
    /// The single-ID commitment letter is signed.
    Commitment,
    /// An agent applies for the customer.
    Agent,
    /// Accept now.
    Accept,
    /// Back to the fields.
    Back,
}

/// The checklist's keys.
pub const CHECKLIST: &[Binding<ChecklistKey>] = &[
    b(&[ch(' ')], ChecklistKey::Tick, "key.tick"),
    b(&[UP], ChecklistKey::Up, "key.move_up"),
    b(&[DOWN], ChecklistKey::Down, "key.move_down"),
    b(&[ch('r')], ChecklistKey::Received, "key.received"),
    b(&[ch('d')], ChecklistKey::Details, "key.material_details"),
    b(&[ch('i')], ChecklistKey::Scan, "key.scan"),
    b(&[ch('m')], ChecklistKey::Manager, "key.choose_manager"),
    b(&[ch('c')], ChecklistKey::Commitment, "key.commitment"),
    b(&[ch('a')], ChecklistKey::Agent, "key.agent"),
    b(&[f(10)], ChecklistKey::Accept, "key.accept_now"),
    b(&[ESC], ChecklistKey::Back, "key.back_keep"),
];

/// Accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoneKey {
    /// Print the slips.
    Print,
    /// Preview them.
    Preview,
    /// Back to the customer.
    Leave,
}

/// The accepted stage's keys.
pub const DONE: &[Binding<DoneKey>] = &[
    b(&[ch('p')], DoneKey::Print, "key.print"),
    b(&[ch('v')], DoneKey::Preview, "key.preview"),
    b(&[ENTER, ESC], DoneKey::Leave, "key.back_to_customer"),
];

/// The keys of this screen that messages name (`{key_…}`).
pub const KEY_NAMES: Names = &[
    ("key_received", || {
        label_of(CHECKLIST, ChecklistKey::Received)
    }),
    ("key_tick", || label_of(CHECKLIST, ChecklistKey::Tick)),
    ("key_commitment", || {
        label_of(CHECKLIST, ChecklistKey::Commitment)
    }),
    ("key_accept_now", || {
        label_of(CHECKLIST, ChecklistKey::Accept)
    }),
    ("key_discard_draft", || {
        label_of(MENU, MenuKey::DiscardDraft)
    }),
    ("key_next", || label_of(FIELDS, FieldsKey::Enter)),
    ("key_to_disclosure", || {
        label_of(FIELDS, FieldsKey::Disclose)
    }),
    ("key_back", || label_of(FIELDS, FieldsKey::Back)),
];
