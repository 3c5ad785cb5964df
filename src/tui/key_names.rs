//! The keys that messages name (`{key_reverse}`), each read from the
//! binding that does it, so a message can never name a key that does
//! something else. A test in the App checks that every key a message
//! names is registered.

use std::sync::OnceLock;

/// Reads a key's label off its binding.
pub type Label = fn() -> Option<String>;

/// One screen's named keys: the placeholder's name and where its key
/// comes from. Each screen declares its own beside its keymap.
pub type Names = &'static [(&'static str, Label)];

/// Every screen's names, handed in once by the App that knows the
/// screens; this module stays below them so text can use it.
static REGISTERED: OnceLock<&'static [Names]> = OnceLock::new();

/// Makes `all` the names messages may use. The first call wins: the
/// screens are fixed, so later calls hand in the same list.
pub fn register(all: &'static [Names]) {
    let _ = REGISTERED.set(all);
}

fn registered() -> impl Iterator<Item = &'static (&'static str, Label)> {
    REGISTERED
        .get()
        .copied()
        .unwrap_or_default()
        .iter()
        .flat_map(|names| names.iter())
}

/// The placeholder's name (as the message takes it) and the key it names.
pub fn named(name: &str) -> Option<(&'static str, String)> {
    registered()
        .find(|(n, _)| *n == name)
        .and_then(|(n, label)| label().map(|l| (*n, l)))
}

/// Every placeholder name known here.
pub fn all() -> impl Iterator<Item = &'static str> {
    registered().map(|(n, _)| *n)
}
