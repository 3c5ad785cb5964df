//! The GB 11643-1999 resident-ID scheme shared by resident ID cards,
//! residence permits and foreign permanent-residence cards, including the
//! conversion of legacy 15-digit numbers to 18.

use chrono::{Datelike, NaiveDate};

use super::provinces::{province_by_code, Province};
use super::{other, text, unknown, DocKind, Gender, Outcome, PersonFacts, Reason, Verdict};

/// Weights of GB 11643-1999 (ISO 7064 MOD 11-2) for the first 17 digits.
const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for `S mod 11` = 0..10.
const RESIDENT_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Completed years above which a living holder is doubtful (not impossible).
const MAX_PLAUSIBLE_AGE: u32 = 120;

/// Earliest birth year accepted at all; older numbers are typing errors.
const MIN_BIRTH_YEAR: i32 = 1900;

/// The kind implied by a resident-scheme number's first digits.
pub(super) fn resident_kind(chars: &[char]) -> DocKind {
    match chars {
        ['9', ..] => DocKind::ForeignPermanentResidence,
        ['8', '1' | '2' | '3', ..] => DocKind::ResidencePermit,
        _ => DocKind::ResidentId,
    }
}

pub(super) fn resident_outcome(chars: &[char], kind: DocKind, today: NaiveDate) -> Outcome {
    let (verdict, person) = resident_scheme(chars, kind, today);
    Outcome {
        normalized: text(chars),
        kind: Some(kind),
        converted_from_15: false,
        verdict,
        person,
    }
}

/// A 15-digit legacy number: insert "19" before the year, add the check
/// character, then judge the 18-character form as an ordinary resident ID.
pub(super) fn legacy_outcome(chars: &[char], today: NaiveDate) -> Outcome {
    let mut first17: String = chars[..6].iter().collect();
    first17.push_str("19");
    first17.extend(&chars[6..15]);
    match resident_check_char(&first17) {
        Some(check) => {
            first17.push(check);
            let full: Vec<char> = first17.chars().collect();
            let mut outcome = resident_outcome(&full, DocKind::ResidentId, today);
            outcome.converted_from_15 = true;
            outcome
        }
        // Unreachable for 15 ASCII digits; answer plainly rather than panic.
        None => unknown(chars, Reason::UnknownFormat),
    }
}

pub(super) fn resident_as(chars: &[char], chosen: DocKind, today: NaiveDate) -> Outcome {
    let len = chars.len();
    if len == 15 && chosen == DocKind::ResidentId && chars.iter().all(char::is_ascii_digit) {
        return legacy_outcome(chars, today);
    }
    if len != 18 {
        let reason = Reason::WrongLength {
            len,
            expected: "18",
        };
        return other(chars, chosen, Verdict::Invalid(reason));
    }
    resident_outcome(chars, resident_kind(chars), today)
}

/// The embedded birth date, if its digits are there.
enum DateField {
    NotDigits,
    Bad(String),
    Good(NaiveDate),
}

fn date_field(d: &[char]) -> DateField {
    if d.len() != 8 {
        return DateField::NotDigits;
    }
    let mut digits = [0u32; 8];
    for (slot, c) in digits.iter_mut().zip(d) {
        match c.to_digit(10) {
            Some(v) => *slot = v,
            None => return DateField::NotDigits,
        }
    }
    let year = digits[..4].iter().fold(0i32, |acc, v| acc * 10 + *v as i32);
    let month = digits[4] * 10 + digits[5];
    let day = digits[6] * 10 + digits[7];
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => DateField::Good(date),
        None => DateField::Bad(format!("{year:04}-{month:02}-{day:02}")),
    }
}

/// Completed years from `birth` to `today`; 0 if `birth` is later.
pub(super) fn age_at(birth: NaiveDate, today: NaiveDate) -> u32 {
    if birth > today {
        return 0;
    }
    let mut years = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

fn province_of(chars: &[char], kind: DocKind) -> Option<Province> {
    let code = |a: usize, b: usize| -> String { chars[a..b].iter().collect() };
    match kind {
        DocKind::ForeignPermanentResidence => province_by_code(&code(1, 3)),
        DocKind::ResidencePermit if code(0, 2) == "83" => province_by_code("71"),
        _ => province_by_code(&code(0, 2)),
    }
}

fn area_ok(chars: &[char], kind: DocKind) -> bool {
    let area: String = chars[..6].iter().collect();
    if !area.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    match kind {
        DocKind::ResidencePermit => matches!(area.as_str(), "810000" | "820000" | "830000"),
        // Digits 2-3 are the issuing province; 4-6 a nationality code that
        // is not checked here.
        DocKind::ForeignPermanentResidence => {
            area.starts_with('9') && province_by_code(&area[1..3]).is_some()
        }
        _ => province_by_code(&area[..2]).is_some(),
    }
}

/// GB 11643-1999 on exactly 18 characters. Faults are reported in the order
/// that best tells the clerk where to look: a stray character, the area, the
/// date, then the check character; an implausible age is only suspicious.
fn resident_scheme(
    chars: &[char],
    kind: DocKind,
    today: NaiveDate,
) -> (Verdict, Option<PersonFacts>) {
    if chars.len() != 18 {
        let reason = Reason::WrongLength {
            len: chars.len(),
            expected: "18",
        };
        return (Verdict::Invalid(reason), None);
    }
    let date = date_field(&chars[6..14]);
    let person = match (&date, chars[16].to_digit(10)) {
        (DateField::Good(birth), Some(seq_digit)) => Some(PersonFacts {
            birth_date: *birth,
            age: age_at(*birth, today),
            gender: if seq_digit % 2 == 1 {
                Gender::Male
            } else {
                Gender::Female
            },
            province: province_of(chars, kind),
        }),
        _ => None,
    };
    let bad_char = chars
        .iter()
        .enumerate()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 17 && **c == 'X')));
    if let Some((i, c)) = bad_char {
        let reason = Reason::BadChar { ch: *c, pos: i + 1 };
        return (Verdict::Invalid(reason), person);
    }
    if !area_ok(chars, kind) {
        let code = chars[..6].iter().collect();
        return (Verdict::Invalid(Reason::BadArea { code }), person);
    }
    let birth = match date {
        DateField::Good(birth) => birth,
        DateField::Bad(date) => return (Verdict::Invalid(Reason::BadDate { date }), person),
        // Unreachable after the character check; answer plainly.
        DateField::NotDigits => return (Verdict::Invalid(Reason::UnknownFormat), person),
    };
    if birth > today {
        let date = birth.format("%Y-%m-%d").to_string();
        return (Verdict::Invalid(Reason::FutureDate { date }), person);
    }
    if birth.year() < MIN_BIRTH_YEAR {
        let reason = Reason::TooOld { year: birth.year() };
        return (Verdict::Invalid(reason), person);
    }
    let first17: String = chars[..17].iter().collect();
    if let Some(expected) = resident_check_char(&first17) {
        if expected != chars[17] {
            let reason = Reason::BadCheck {
                expected,
                found: chars[17],
            };
            return (Verdict::Invalid(reason), person);
        }
    }
    let age = age_at(birth, today);
    if age > MAX_PLAUSIBLE_AGE {
        return (Verdict::Suspicious(Reason::AgeOver { age }), person);
    }
    (Verdict::Valid, person)
}

/// The GB 11643 check character for 17 ASCII digits; `None` otherwise.
pub fn resident_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in first17.bytes().zip(RESIDENT_WEIGHTS) {
        if !b.is_ascii_digit() {
            return None;
        }
        sum += u32::from(b - b'0') * w;
    }
    RESIDENT_CHECK.get((sum % 11) as usize).copied()
}

/// Builds an 18-character resident-scheme number (for demo data and tests):
/// 6 area digits, the birth date, a 3-digit sequence (odd = male) and the
/// check character. `None` if the area is not 6 digits, `seq` > 999 or the
/// year does not fit 4 digits. The area is not checked against the provinces.
pub fn make_resident_id(area6: &str, birth: NaiveDate, seq: u16) -> Option<String> {
    if area6.len() != 6 || !area6.bytes().all(|b| b.is_ascii_digit()) || seq > 999 {
        return None;
    }
    let year = birth.year();
    if !(0..=9999).contains(&year) {
        return None;
    }
    let first17 = format!(
        "{area6}{year:04}{:02}{:02}{seq:03}",
        birth.month(),
        birth.day()
    );
    let check = resident_check_char(&first17)?;
    Some(format!("{first17}{check}"))
}
