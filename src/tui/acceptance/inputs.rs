//! The small forms typed under the disclosure checklist: a document's
//! details for the customer's file, and another customer manager.

use crate::domain::grid::Chosen;
use crate::domain::material_file::Typed;
use crate::domain::msg::Input;
use crate::tui::field::Field;
use crate::tui::form::Form as Inputs;

/// What the small form under the checklist is for.
pub(super) enum Typing {
    /// The document details of the material of this id.
    Material(String),
    /// Another customer manager.
    Manager,
}

/// A field holding what was typed before, up to `max` characters.
fn field(label: &'static str, max: usize, text: &str) -> Field {
    let mut f = Field::new(label, max);
    f.set_text(text);
    f
}

/// Another customer manager: name, phone, and why.
pub(super) fn manager_form(c: &Chosen) -> Inputs {
    Inputs::new(vec![
        (field("grid.name", 20, &c.name), Some(Input::Name)),
        (field("grid.phone", 20, &c.phone), Some(Input::Phone)),
        (
            field("grid.reason", 120, &c.reason).free_text(),
            Some(Input::Reason),
        ),
    ])
}

/// The document's details as typed before (or blank).
pub(super) fn details_form(t: &Typed) -> Inputs {
    Inputs::new(vec![
        (field("file.doc_no", 40, &t.doc_no), Some(Input::DocNo)),
        (
            field("file.authority", 60, &t.authority),
            Some(Input::Authority),
        ),
        (
            field("file.issued_on", 10, &t.issued_on),
            Some(Input::IssuedOn),
        ),
        (
            field("file.valid_until_field", 10, &t.valid_until),
            Some(Input::ValidUntil),
        ),
    ])
}
