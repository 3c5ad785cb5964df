//! Messages that the clerk reads, as data: a catalogue key plus named arguments.
//!
//! Domain code never holds display text; it returns a [`Msg`] and the edge
//! (TUI or CLI) renders it in the clerk's language from the catalogue in
//! `assets/messages/`. That keeps every message available in both languages
//! and lets a test prove that no key is missing.

use serde::{Deserialize, Serialize};

/// The language a clerk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    Zh,
    /// English, on request.
    En,
}

impl Lang {
    /// Parses "zh", "zh-CN", "en", "en-US" and similar.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// A message for a person: a catalogue key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    /// Catalogue key such as `id.bad_check`.
    pub key: &'static str,
    /// Named arguments substituted for `{name}` in the text.
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    /// A message without arguments.
    pub const fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
        }
    }

    /// Adds one argument.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }
}

/// Builds a [`Msg`]: `msg!("id.bad_check", expected = 'X', found = '1')`.
#[macro_export]
macro_rules! msg {
    ($key:literal) => {
        $crate::domain::msg::Msg::new($key)
    };
    ($key:literal, $($name:ident = $val:expr),+ $(,)?) => {
        $crate::domain::msg::Msg {
            key: $key,
            args: vec![$((stringify!($name), ($val).to_string())),+],
        }
    };
}
