//! Identity-document numbers typed or scanned at the counter.
//!
//! The clerk types or scans an ID number; this module says which document it
//! is, whether it is well formed (valid, suspicious with a reason, or invalid
//! with a reason), and for resident-ID-scheme numbers what the number itself
//! says about the holder (birth date, age, gender, province).
//!
//! Everything here is pure: no IO and no clock. `today` is passed in so that
//! tests and replays give the same answer every time.
//!
//! Graded answers matter: validators that hard-block real IDs (legacy
//! 15-digit numbers, an `X` check character, pilot-area credit codes) are a
//! known failure elsewhere, so anything that can be legal yet looks odd is
//! `Suspicious`, never `Invalid`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::msg::Msg;

mod credit;
mod other;
mod provinces;
mod reason;
mod resident;
#[cfg(test)]
mod tests;

pub use credit::credit_check_char;
pub use provinces::{province_by_code, Province, PROVINCES};
pub use reason::Reason;
pub use resident::{make_resident_id, resident_check_char};

use credit::credit_outcome;
use other::{
    is_hk_macau_permit, is_military, is_passport, is_taiwan_permit, military_as, passport_as,
    plain_reason, travel_as,
};
use resident::{legacy_outcome, resident_as, resident_kind, resident_outcome};

/// Longest input, in characters, that is examined at all; anything longer is
/// an accidental paste and is refused without further work.
pub const MAX_INPUT_CHARS: usize = 64;

/// The kind of identity document a number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// Resident ID card (居民身份证), GB 11643-1999.
    ResidentId,
    /// Hong Kong, Macau or Taiwan residents' residence permit (area 810000/820000/830000).
    ResidencePermit,
    /// Foreign permanent-residence ID card, 18 digits starting with 9 (since 2023-12).
    ForeignPermanentResidence,
    /// Unified social credit code of an organisation, GB 32100-2015.
    CreditCode,
    /// Passport, Chinese or foreign.
    Passport,
    /// Hong Kong/Macau or Taiwan compatriot travel permit.
    TravelPermit,
    /// Military officer's or soldier's ID.
    MilitaryId,
}

impl DocKind {
    /// Every kind, in the order a picker shows them.
    pub const ALL: [DocKind; 7] = [
        DocKind::ResidentId,
        DocKind::ResidencePermit,
        DocKind::ForeignPermanentResidence,
        DocKind::CreditCode,
        DocKind::Passport,
        DocKind::TravelPermit,
        DocKind::MilitaryId,
    ];

    /// True only for organisation documents (the unified social credit code).
    pub fn is_organisation(&self) -> bool {
        matches!(self, DocKind::CreditCode)
    }

    /// Stable snake_case code for storage; never change an existing one.
    pub fn code(&self) -> &'static str {
        match self {
            DocKind::ResidentId => "resident_id",
            DocKind::ResidencePermit => "residence_permit",
            DocKind::ForeignPermanentResidence => "foreign_permanent_residence",
            DocKind::CreditCode => "credit_code",
            DocKind::Passport => "passport",
            DocKind::TravelPermit => "travel_permit",
            DocKind::MilitaryId => "military_id",
        }
    }

    /// Parses a code written by [`DocKind::code`].
    pub fn from_code(code: &str) -> Option<DocKind> {
        DocKind::ALL.iter().copied().find(|k| k.code() == code)
    }

    /// The document's name for the clerk.
    pub fn name_msg(&self) -> Msg {
        match self {
            DocKind::ResidentId => crate::msg!("id.kind_resident_id"),
            DocKind::ResidencePermit => crate::msg!("id.kind_residence_permit"),
            DocKind::ForeignPermanentResidence => {
                crate::msg!("id.kind_foreign_permanent_residence")
            }
            DocKind::CreditCode => crate::msg!("id.kind_credit_code"),
            DocKind::Passport => crate::msg!("id.kind_passport"),
            DocKind::TravelPermit => crate::msg!("id.kind_travel_permit"),
            DocKind::MilitaryId => crate::msg!("id.kind_military_id"),
        }
    }

    /// True for the kinds that share the 18-character GB 11643 scheme.
    pub fn uses_resident_scheme(&self) -> bool {
        matches!(
            self,
            DocKind::ResidentId | DocKind::ResidencePermit | DocKind::ForeignPermanentResidence
        )
    }
}

/// The graded answer about a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// Well formed.
    Valid,
    /// Possibly legal but odd: the clerk looks again, a supervisor may accept.
    Suspicious(Reason),
    /// Cannot be a real number of this kind.
    Invalid(Reason),
}

impl Verdict {
    /// True for [`Verdict::Valid`].
    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid)
    }

    /// True for [`Verdict::Invalid`].
    pub fn is_invalid(&self) -> bool {
        matches!(self, Verdict::Invalid(_))
    }

    /// The reason, unless valid.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Verdict::Valid => None,
            Verdict::Suspicious(r) | Verdict::Invalid(r) => Some(r),
        }
    }

    /// Short label ("valid", "suspicious", "invalid") for the clerk.
    pub fn label_msg(&self) -> Msg {
        match self {
            Verdict::Valid => crate::msg!("id.valid"),
            Verdict::Suspicious(_) => crate::msg!("id.suspicious"),
            Verdict::Invalid(_) => crate::msg!("id.invalid"),
        }
    }
}

/// Holder's gender as encoded by the sequence number (17th digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Odd 17th digit.
    Male,
    /// Even 17th digit.
    Female,
}

impl Gender {
    /// The gender's label for the clerk.
    pub fn msg(&self) -> Msg {
        match self {
            Gender::Male => crate::msg!("id.male"),
            Gender::Female => crate::msg!("id.female"),
        }
    }
}

/// What a resident-ID-scheme number says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonFacts {
    /// Birth date from digits 7–14.
    pub birth_date: NaiveDate,
    /// Completed years at `today` (0 for a date in the future).
    pub age: u32,
    /// From the parity of the 17th digit.
    pub gender: Gender,
    /// Province of the area code; Taiwan for an 83 residence permit; the
    /// issuing province for a foreign permanent-residence card.
    pub province: Option<Province>,
}

/// The full answer about one number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdCheck {
    /// The raw input as given.
    pub input: String,
    /// Normalized text; the 18-character form for converted legacy IDs;
    /// empty when the input was refused as too long.
    pub normalized: String,
    /// Detected (or, for [`check_as`], chosen) document kind; `None` when
    /// nothing matched.
    pub kind: Option<DocKind>,
    /// True when a 15-digit legacy resident ID was converted to 18.
    pub converted_from_15: bool,
    /// The graded answer.
    pub verdict: Verdict,
    /// Facts from resident-ID-scheme numbers whose birth date parses.
    pub person: Option<PersonFacts>,
}

impl IdCheck {
    /// True when the verdict is valid.
    pub fn is_valid(&self) -> bool {
        self.verdict.is_valid()
    }

    /// The normalized number masked for display and printing.
    pub fn masked(&self) -> String {
        mask(&self.normalized)
    }
}

/// Normalizes what a clerk typed or a scanner sent: full-width ASCII becomes
/// half-width, all whitespace (including the ideographic space), hyphens and
/// invisible joiners are removed, ASCII letters are upper-cased.
///
/// Only ASCII is upper-cased because ID numbers are ASCII and full Unicode
/// case mapping can change lengths, which would break idempotence.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .map(half_width)
        .filter(|c| !is_separator(*c))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Maps full-width ASCII (U+FF01..U+FF5E) and the ideographic space to ASCII.
fn half_width(c: char) -> char {
    let u = u32::from(c);
    if (0xFF01..=0xFF5E).contains(&u) {
        char::from_u32(u - 0xFEE0).unwrap_or(c)
    } else if c == '\u{3000}' {
        ' '
    } else {
        c
    }
}

/// Characters that people and scanners insert between digit groups.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{00AD}'
                | '\u{2010}'..='\u{2015}'
                | '\u{2212}'
                | '\u{FE63}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
        )
}

/// Checks a number, detecting the document kind from its shape.
pub fn check(input: &str, today: NaiveDate) -> IdCheck {
    let chars = match prepare(input) {
        Ok(chars) => chars,
        Err(reason) => return refused(input, reason),
    };
    finish(input, detect(&chars, today))
}

/// Checks a number as the document kind the clerk chose. For the resident-ID
/// scheme the number itself says which of the three documents it is, so the
/// reported `kind` follows the number there.
pub fn check_as(input: &str, kind: DocKind, today: NaiveDate) -> IdCheck {
    let chars = match prepare(input) {
        Ok(chars) => chars,
        Err(reason) => return refused(input, reason),
    };
    let outcome = match kind {
        DocKind::ResidentId | DocKind::ResidencePermit | DocKind::ForeignPermanentResidence => {
            resident_as(&chars, kind, today)
        }
        DocKind::CreditCode => credit_outcome(&chars),
        DocKind::Passport => other(&chars, kind, passport_as(&chars)),
        DocKind::TravelPermit => other(&chars, kind, travel_as(&chars)),
        DocKind::MilitaryId => other(&chars, kind, military_as(&chars)),
    };
    finish(input, outcome)
}

/// Result of the work before an [`IdCheck`] is assembled.
struct Outcome {
    normalized: String,
    kind: Option<DocKind>,
    converted_from_15: bool,
    verdict: Verdict,
    person: Option<PersonFacts>,
}

fn finish(input: &str, o: Outcome) -> IdCheck {
    IdCheck {
        input: input.to_string(),
        normalized: o.normalized,
        kind: o.kind,
        converted_from_15: o.converted_from_15,
        verdict: o.verdict,
        person: o.person,
    }
}

/// Refuses long and empty input; otherwise returns the normalized characters.
fn prepare(input: &str) -> Result<Vec<char>, Reason> {
    // Look at no more than the limit before deciding, so a 10 MB paste costs
    // one count and nothing else.
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(Reason::TooLong {
            len: input.chars().count(),
        });
    }
    let chars: Vec<char> = normalize(input).chars().collect();
    if chars.is_empty() {
        return Err(Reason::Empty);
    }
    Ok(chars)
}

/// The answer for input refused before any document rule ran.
fn refused(input: &str, reason: Reason) -> IdCheck {
    IdCheck {
        input: input.to_string(),
        normalized: String::new(),
        kind: None,
        converted_from_15: false,
        verdict: Verdict::Invalid(reason),
        person: None,
    }
}

fn text(chars: &[char]) -> String {
    chars.iter().collect()
}

fn other(chars: &[char], kind: DocKind, verdict: Verdict) -> Outcome {
    Outcome {
        normalized: text(chars),
        kind: Some(kind),
        converted_from_15: false,
        verdict,
        person: None,
    }
}

fn unknown(chars: &[char], reason: Reason) -> Outcome {
    Outcome {
        normalized: text(chars),
        kind: None,
        converted_from_15: false,
        verdict: Verdict::Invalid(reason),
        person: None,
    }
}

/// Auto-detection; the order matters where shapes overlap.
fn detect(chars: &[char], today: NaiveDate) -> Outcome {
    let len = chars.len();
    if is_military(chars) {
        return other(chars, DocKind::MilitaryId, Verdict::Valid);
    }
    if len == 18 {
        if chars[..17].iter().all(char::is_ascii_digit) {
            return digit_body(chars, today);
        }
        if chars[..17].iter().any(char::is_ascii_uppercase) {
            return credit_outcome(chars);
        }
        // Digits mixed with junk: most likely a resident ID with a stray
        // character, so report that character.
        return resident_outcome(chars, resident_kind(chars), today);
    }
    if len == 15 && chars.iter().all(char::is_ascii_digit) {
        return legacy_outcome(chars, today);
    }
    if is_hk_macau_permit(chars) {
        return other(chars, DocKind::TravelPermit, Verdict::Valid);
    }
    if is_passport(chars) {
        return other(chars, DocKind::Passport, Verdict::Valid);
    }
    if is_taiwan_permit(chars) {
        return other(chars, DocKind::TravelPermit, Verdict::Valid);
    }
    unknown(chars, plain_reason(chars))
}

/// 18 characters whose first 17 are digits: a resident-scheme number, unless
/// it can only be a credit code. Credit codes can be all digits too (their
/// 9-character organisation code often is): schools, hospitals and other
/// public institutions (authority 1), social organisations (5) and
/// enterprises (9) are common electricity customers. A number that is not a
/// valid resident ID but is a valid GB 32100 code is a credit code. Nearly
/// every organisation at a power counter is an enterprise whose code starts
/// with 9 — the same first digit as a foreign permanent-residence card — so
/// a 9-leading number that fails the resident scheme on its structure (not
/// merely its check character) and is a well-formed credit code, even one
/// whose check character is off, is reported as a credit code too.
fn digit_body(chars: &[char], today: NaiveDate) -> Outcome {
    let kind = resident_kind(chars);
    let resident = resident_outcome(chars, kind, today);
    let last = chars[17];
    let lead9 = chars[0] == '9';
    if resident.verdict.is_invalid() && !one_slip_from_resident(chars, today) {
        let credit = credit_outcome(chars);
        if credit.verdict == Verdict::Valid {
            return credit;
        }
    }
    if last.is_ascii_digit() || last == 'X' {
        let structural = matches!(
            resident.verdict,
            Verdict::Invalid(ref r) if !matches!(r, Reason::BadCheck { .. })
        );
        if lead9 && structural {
            let credit = credit_outcome(chars);
            if !credit.verdict.is_invalid() {
                return credit;
            }
        }
        return resident;
    }
    // The last character cannot end a resident ID; a credit code's can be
    // any letter of its alphabet.
    let credit = credit_outcome(chars);
    if !credit.verdict.is_invalid() || lead9 {
        credit
    } else {
        resident
    }
}

/// Whether changing one character makes the number a valid resident ID:
/// then it is far likelier a resident ID with a slip of the finger than a
/// credit code, and it is reported as the resident ID it nearly is.
fn one_slip_from_resident(chars: &[char], today: NaiveDate) -> bool {
    let mut candidate = chars.to_vec();
    for i in 0..chars.len() {
        let options: &[char] = if i == 17 {
            &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']
        } else {
            &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']
        };
        for &c in options.iter().filter(|c| **c != chars[i]) {
            candidate[i] = c;
            let kind = resident_kind(&candidate);
            if resident_outcome(&candidate, kind, today).verdict == Verdict::Valid {
                return true;
            }
        }
        candidate[i] = chars[i];
    }
    false
}

/// Masks a number for display: an 18-character ID keeps its first 6 and
/// last 4 characters (110105********002X); other lengths keep at most 2 at
/// each end and never more than half of the characters.
pub fn mask(normalized: &str) -> String {
    let chars: Vec<char> = normalized.chars().collect();
    let n = chars.len();
    let (front, back) = if n == 18 {
        (6, 4)
    } else {
        let k = (n / 4).min(2);
        (k, k)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < front || i + back >= n { *c } else { '*' })
        .collect()
}
