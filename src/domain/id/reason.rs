//! Why an ID number is suspicious or invalid, and the message the clerk
//! reads for it.

use serde::Serialize;

use super::MAX_INPUT_CHARS;
use crate::domain::msg::Msg;

/// Why a number is suspicious or invalid. Positions are 1-based and count
/// characters of the normalized text (spaces and hyphens removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Reason {
    /// Nothing was entered.
    Empty,
    /// More than [`MAX_INPUT_CHARS`] characters: an accidental paste.
    TooLong {
        /// Characters in the raw input.
        len: usize,
    },
    /// Wrong number of characters for the document.
    WrongLength {
        /// Characters in the normalized input.
        len: usize,
        /// What the document needs, e.g. "18" or "5–12".
        expected: &'static str,
    },
    /// A character that cannot appear at that position.
    BadChar {
        /// The offending character.
        ch: char,
        /// 1-based position in the normalized text.
        pos: usize,
    },
    /// Resident-ID check character mismatch.
    BadCheck {
        /// Check character computed from the first 17 digits.
        expected: char,
        /// Check character entered.
        found: char,
    },
    /// The embedded birth date is not a calendar date.
    BadDate {
        /// The date digits as YYYY-MM-DD.
        date: String,
    },
    /// The embedded birth date is after today.
    FutureDate {
        /// The date as YYYY-MM-DD.
        date: String,
    },
    /// The embedded birth year is before 1900.
    TooOld {
        /// The birth year.
        year: i32,
    },
    /// The area (administrative division) code does not exist.
    BadArea {
        /// The area digits as entered.
        code: String,
    },
    /// The holder would be older than 120 (suspicious, not invalid).
    AgeOver {
        /// Completed years at today.
        age: u32,
    },
    /// A credit code whose only fault is its check character; early pilot
    /// areas issued such codes legally, so a supervisor may accept it.
    PilotChecksum {
        /// Check character computed from the first 17 characters.
        expected: char,
        /// Check character entered.
        found: char,
    },
    /// The credit code's registration-authority character is impossible.
    BadAuthority {
        /// The first character of the code.
        ch: char,
    },
    /// Matches no known document format.
    UnknownFormat,
}

impl Reason {
    /// The message for the clerk, keyed into `assets/messages/id.toml`.
    pub fn msg(&self) -> Msg {
        match self {
            Reason::Empty => crate::msg!("id.empty"),
            Reason::TooLong { len } => crate::msg!("id.too_long", len = len, max = MAX_INPUT_CHARS),
            Reason::WrongLength { len, expected } => {
                crate::msg!("id.wrong_length", len = len, expected = expected)
            }
            Reason::BadChar { ch, pos } => {
                crate::msg!("id.bad_char", ch = shown_char(*ch), pos = pos)
            }
            Reason::BadCheck { expected, found } => {
                crate::msg!(
                    "id.bad_check",
                    expected = expected,
                    found = shown_char(*found)
                )
            }
            Reason::BadDate { date } => crate::msg!("id.bad_date", date = date),
            Reason::FutureDate { date } => crate::msg!("id.future_date", date = date),
            Reason::TooOld { year } => crate::msg!("id.too_old", year = year),
            Reason::BadArea { code } => crate::msg!("id.bad_area", code = code),
            Reason::AgeOver { age } => crate::msg!("id.age_over", age = age),
            Reason::PilotChecksum { expected, found } => {
                crate::msg!(
                    "id.pilot_checksum",
                    expected = expected,
                    found = shown_char(*found)
                )
            }
            Reason::BadAuthority { ch } => crate::msg!("id.bad_authority", ch = shown_char(*ch)),
            Reason::UnknownFormat => crate::msg!("id.unknown_format"),
        }
    }
}

/// Shows invisible or combining characters as U+XXXX so the clerk sees
/// something they can act on.
fn shown_char(ch: char) -> String {
    let invisible = ch.is_control()
        || ch.is_whitespace()
        || ('\u{0300}'..='\u{036F}').contains(&ch)
        || ('\u{FE00}'..='\u{FE0F}').contains(&ch)
        || ('\u{E0000}'..='\u{E007F}').contains(&ch);
    if invisible {
        format!("U+{:04X}", u32::from(ch))
    } else {
        ch.to_string()
    }
}
