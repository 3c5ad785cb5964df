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
    /// Arguments that are messages themselves, rendered in the reader's
    /// language too ("the form schema" inside a form problem).
    pub parts: Vec<(&'static str, Msg)>,
}

/// The key of a message that carries its own words in both languages (a
/// scenario's or a form's text), rendered without the catalogue.
pub const WORDS: &str = "_words";

impl Msg {
    /// Words given in both languages, as scenario and form files give them.
    pub fn words(zh: &str, en: &str) -> Msg {
        Msg::new(WORDS).arg("zh", zh).arg("en", en)
    }

    /// A message without arguments.
    pub const fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
            parts: Vec::new(),
        }
    }

    /// Adds one argument.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }

    /// Adds an argument that is a message of its own.
    pub fn part(mut self, name: &'static str, value: Msg) -> Msg {
        self.parts.push((name, value));
        self
    }

    /// The text argument `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How a message sounds: what the person reading it should make of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Something was done.
    Done,
    /// Done, but something needs attention (a held receipt, a draft resumed).
    Warning,
    /// Refused or failed: nothing was done.
    Refusal,
    /// A hint, neither good nor bad news.
    Info,
}

/// A message shown on a screen: the message, its tone, and the input it
/// is about (the cursor goes there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What to say.
    pub msg: Msg,
    /// How it sounds.
    pub tone: Tone,
    /// The input it concerns, if any.
    pub field: Option<Input>,
}

impl Notice {
    /// Something was done.
    pub fn done(msg: Msg) -> Notice {
        Notice {
            msg,
            tone: Tone::Done,
            field: None,
        }
    }

    /// Done, with something to look at.
    pub fn warning(msg: Msg) -> Notice {
        Notice {
            msg,
            tone: Tone::Warning,
            field: None,
        }
    }

    /// Refused or failed.
    pub fn refusal(msg: Msg) -> Notice {
        Notice {
            msg,
            tone: Tone::Refusal,
            field: None,
        }
    }

    /// A hint.
    pub fn info(msg: Msg) -> Notice {
        Notice {
            msg,
            tone: Tone::Info,
            field: None,
        }
    }

    /// The same notice, about `field`.
    pub fn at(mut self, field: Input) -> Notice {
        self.field = Some(field);
        self
    }
}

/// The inputs a refusal can be about, named as the desk knows them; each
/// screen finds its own field for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A customer's name.
    Name,
    /// The name as printed in a passport's Latin line.
    NameLatin,
    Phone,
    Address,
    Receipt,
    /// An amount of money typed.
    Amount,
    /// The amount due of a bill or fee.
    AmountDue,
    BankAccount,
    /// The bank account's holder.
    Holder,
    /// A reason or note.
    Reason,
    /// A duty manager's staff number.
    StaffNo,
    Password,
    /// An electricity account number or an application's ticket.
    Account,
    /// A payment method.
    Method,
    /// A card, QR or cheque reference.
    Reference,
    /// A billing period.
    Period,
    DueDate,
    /// A colleague's staff number.
    Colleague,
    /// A material of an application.
    Material,
    /// A document's own number.
    DocNo,
    /// A document's issuing authority.
    Authority,
    /// A document's issue date.
    IssuedOn,
    /// A document's expiry.
    ValidUntil,
    /// One answer of the hall's set-up form.
    Site(SiteField),
}

/// The answers of the hall's set-up form, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteField {
    HallName,
    HallNameEn,
    Address,
    Phone,
    Window,
    DutyManager,
    DutyManagerPhone,
    Printer,
    HqUrl,
    HqToken,
    QueueUrl,
    QueueToken,
    PracticeRoom,
}

impl SiteField {
    /// Every answer, in the form's order.
    pub const ALL: [SiteField; 13] = [
        SiteField::HallName,
        SiteField::HallNameEn,
        SiteField::Address,
        SiteField::Phone,
        SiteField::Window,
        SiteField::DutyManager,
        SiteField::DutyManagerPhone,
        SiteField::Printer,
        SiteField::HqUrl,
        SiteField::HqToken,
        SiteField::QueueUrl,
        SiteField::QueueToken,
        SiteField::PracticeRoom,
    ];
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
            parts: Vec::new(),
        }
    };
}
