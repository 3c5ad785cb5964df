//! The keys that messages name (`{key_reverse}`), each read from the
//! binding that does it, so a message can never name a key that does
//! something else. A test checks that every key a message names is here.

use crate::tui::acceptance::keys::{ChecklistKey, FieldsKey, MenuKey, CHECKLIST, FIELDS, MENU};
use crate::tui::cashier::keys::{DoneKey, EntryKey, DONE, ENTRY};
use crate::tui::customers::keys::{LookupKey, RegisterKey, LOOKUP, REGISTER};
use crate::tui::keymap::{label_of, HelpKey, HELP};
use crate::tui::popup::{PreviewKey, PREVIEW};
use crate::tui::signin::{SignInKey, KEYS as SIGN_IN};
use crate::tui::unprinted::keys::{ListKey as UnprintedKey, LIST as UNPRINTED};

/// Every key name a message may use, and where its key comes from.
/// Reads a key's label off its binding.
type Label = fn() -> Option<String>;

const NAMES: &[(&str, Label)] = &[
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
    ("key_prev_field", || label_of(ENTRY, EntryKey::Prev)),
    ("key_next_field", || label_of(ENTRY, EntryKey::Next)),
    ("key_split", || label_of(ENTRY, EntryKey::Split)),
    ("key_cheques", || label_of(ENTRY, EntryKey::Cheques)),
    ("key_reverse", || label_of(ENTRY, EntryKey::Reverse)),
    ("key_pay", || label_of(ENTRY, EntryKey::Enter)),
    ("key_leave", || label_of(ENTRY, EntryKey::Leave)),
    ("key_print", || label_of(DONE, DoneKey::Print)),
    ("key_signoff", || label_of(LOOKUP, LookupKey::SignOff)),
    ("key_lookup", || label_of(LOOKUP, LookupKey::Lookup)),
    ("key_resume", || label_of(LOOKUP, LookupKey::Accept)),
    ("key_register", || label_of(REGISTER, RegisterKey::Enter)),
    ("key_back_to_id", || label_of(REGISTER, RegisterKey::Back)),
    ("key_sign_in", || label_of(SIGN_IN, SignInKey::Enter)),
    ("key_close", || label_of(HELP, HelpKey::Close)),
    ("key_scroll_up", || label_of(PREVIEW, PreviewKey::Up)),
    ("key_scroll_down", || label_of(PREVIEW, PreviewKey::Down)),
    ("key_print_unprinted", || {
        label_of(UNPRINTED, UnprintedKey::Print)
    }),
    ("key_dismiss_unprinted", || {
        label_of(UNPRINTED, UnprintedKey::Dismiss)
    }),
];

/// The placeholder's name (as the message takes it) and the key it names.
pub fn named(name: &str) -> Option<(&'static str, String)> {
    NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(n, label)| label().map(|l| (*n, l)))
}

/// Every placeholder name known here.
pub fn all() -> impl Iterator<Item = &'static str> {
    NAMES.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use crate::domain::msg::Lang;
    use crate::i18n::catalog;

    #[test]
    fn every_key_a_message_names_comes_from_a_binding() {
        let cat = catalog();
        let mut unknown = Vec::new();
        for key in cat.keys() {
            for lang in [Lang::Zh, Lang::En] {
                let template = cat.template(key, lang).unwrap_or_default();
                let mut rest = template;
                while let Some(i) = rest.find("{key_") {
                    rest = &rest[i + 1..];
                    let end = rest.find('}').unwrap_or(rest.len());
                    let name = &rest[..end];
                    if super::named(name).is_none() {
                        unknown.push(format!("{key}: {name}"));
                    }
                }
            }
        }
        assert!(unknown.is_empty(), "keys named but not bound: {unknown:?}");
        assert!(super::all().count() > 20);
    }
}
