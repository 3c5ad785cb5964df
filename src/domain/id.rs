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

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::msg::Msg;

/// Longest input, in characters, that is examined at all; anything longer is
/// an accidental paste and is refused without further work.
pub const MAX_INPUT_CHARS: usize = 64;

/// Weights of GB 11643-1999 (ISO 7064 MOD 11-2) for the first 17 digits.
const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for `S mod 11` = 0..10.
const RESIDENT_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// GB 32100-2015 alphabet; a character's value is its index (no I O S V Z).
const CREDIT_ALPHABET: [char; 31] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J',
    'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'T', 'U', 'W', 'X', 'Y',
];

/// Weights of GB 32100-2015 (3^i mod 31) for the first 17 characters.
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Completed years above which a living holder is doubtful (not impossible).
const MAX_PLAUSIBLE_AGE: u32 = 120;

/// Earliest birth year accepted at all; older numbers are typing errors.
const MIN_BIRTH_YEAR: i32 = 1900;

/// A province-level division with its 2-digit administrative code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Province {
    /// Two-digit code as used at the start of resident ID numbers, e.g. "11".
    pub code: &'static str,
    /// Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
}

/// Shortens the table below to one line per division.
const fn prov(code: &'static str, zh: &'static str, en: &'static str) -> Province {
    Province { code, zh, en }
}

/// All 34 province-level divisions (GB/T 2260 two-digit codes).
pub const PROVINCES: &[Province] = &[
    prov("11", "北京市", "Beijing"),
    prov("12", "天津市", "Tianjin"),
    prov("13", "河北省", "Hebei"),
    prov("14", "山西省", "Shanxi"),
    prov("15", "内蒙古自治区", "Inner Mongolia"),
    prov("21", "辽宁省", "Liaoning"),
    prov("22", "吉林省", "Jilin"),
    prov("23", "黑龙江省", "Heilongjiang"),
    prov("31", "上海市", "Shanghai"),
    prov("32", "江苏省", "Jiangsu"),
    prov("33", "浙江省", "Zhejiang"),
    prov("34", "安徽省", "Anhui"),
    prov("35", "福建省", "Fujian"),
    prov("36", "江西省", "Jiangxi"),
    prov("37", "山东省", "Shandong"),
    prov("41", "河南省", "Henan"),
    prov("42", "湖北省", "Hubei"),
    prov("43", "湖南省", "Hunan"),
    prov("44", "广东省", "Guangdong"),
    prov("45", "广西壮族自治区", "Guangxi"),
    prov("46", "海南省", "Hainan"),
    prov("50", "重庆市", "Chongqing"),
    prov("51", "四川省", "Sichuan"),
    prov("52", "贵州省", "Guizhou"),
    prov("53", "云南省", "Yunnan"),
    prov("54", "西藏自治区", "Xizang (Tibet)"),
    prov("61", "陕西省", "Shaanxi"),
    prov("62", "甘肃省", "Gansu"),
    prov("63", "青海省", "Qinghai"),
    prov("64", "宁夏回族自治区", "Ningxia"),
    prov("65", "新疆维吾尔自治区", "Xinjiang"),
    prov("71", "台湾省", "Taiwan"),
    prov("81", "香港特别行政区", "Hong Kong"),
    prov("82", "澳门特别行政区", "Macau"),
];

/// Looks up a province-level division by its 2-digit code ("11" → Beijing).
pub fn province_by_code(code2: &str) -> Option<Province> {
    PROVINCES.iter().find(|p| p.code == code2).copied()
}

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
/// 9-character organisation code often is), and nearly every organisation at
/// a power counter is an enterprise whose code starts with 9 — the same first
/// digit as a foreign permanent-residence card. So a 9-leading number that
/// fails the resident scheme on its structure (not merely its check
/// character) but is a well-formed credit code is reported as a credit code.
fn digit_body(chars: &[char], today: NaiveDate) -> Outcome {
    let kind = resident_kind(chars);
    let resident = resident_outcome(chars, kind, today);
    let last = chars[17];
    let lead9 = chars[0] == '9';
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

/// The kind implied by a resident-scheme number's first digits.
fn resident_kind(chars: &[char]) -> DocKind {
    match chars {
        ['9', ..] => DocKind::ForeignPermanentResidence,
        ['8', '1' | '2' | '3', ..] => DocKind::ResidencePermit,
        _ => DocKind::ResidentId,
    }
}

fn resident_outcome(chars: &[char], kind: DocKind, today: NaiveDate) -> Outcome {
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
fn legacy_outcome(chars: &[char], today: NaiveDate) -> Outcome {
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

fn resident_as(chars: &[char], chosen: DocKind, today: NaiveDate) -> Outcome {
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
fn age_at(birth: NaiveDate, today: NaiveDate) -> u32 {
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

fn credit_value(c: char) -> Option<u32> {
    CREDIT_ALPHABET
        .iter()
        .position(|a| *a == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// The GB 32100 check character for 17 characters of the credit-code
/// alphabet (upper case); `None` otherwise.
pub fn credit_check_char(first17: &str) -> Option<char> {
    let mut count = 0usize;
    let mut sum = 0u32;
    for c in first17.chars() {
        let w = CREDIT_WEIGHTS.get(count)?;
        sum += credit_value(c)? * w;
        count += 1;
    }
    if count != 17 {
        return None;
    }
    CREDIT_ALPHABET
        .get(((31 - sum % 31) % 31) as usize)
        .copied()
}

/// Registration-authority characters in use or reserved by GB 32100 and its
/// later assignments; lenient on purpose (law firms start with 3, rural
/// collectives with N).
fn authority_known(c: char) -> bool {
    matches!(c, '1'..='9' | 'A' | 'N' | 'Y')
}

/// Organisation-type characters allowed for the authorities whose types are
/// well known; any type for the others.
fn type_fits(authority: char, kind: char) -> bool {
    match authority {
        '9' => matches!(kind, '1' | '2' | '3'),
        '1' | '5' => matches!(kind, '1' | '2' | '3' | '9'),
        'Y' => kind == '1',
        _ => true,
    }
}

/// GB 32100-2015 on exactly 18 characters.
fn credit_verdict(chars: &[char]) -> Verdict {
    if chars.len() != 18 {
        return Verdict::Invalid(Reason::WrongLength {
            len: chars.len(),
            expected: "18",
        });
    }
    if let Some((i, c)) = chars
        .iter()
        .enumerate()
        .find(|(_, c)| credit_value(**c).is_none())
    {
        return Verdict::Invalid(Reason::BadChar { ch: *c, pos: i + 1 });
    }
    if !authority_known(chars[0]) {
        return Verdict::Invalid(Reason::BadAuthority { ch: chars[0] });
    }
    if !type_fits(chars[0], chars[1]) {
        return Verdict::Invalid(Reason::BadChar {
            ch: chars[1],
            pos: 2,
        });
    }
    let area: String = chars[2..8].iter().collect();
    // "10" is the national level (central registrations, e.g. 100000).
    let area_good = area.bytes().all(|b| b.is_ascii_digit())
        && (area.starts_with("10") || province_by_code(&area[..2]).is_some());
    if !area_good {
        return Verdict::Invalid(Reason::BadArea { code: area });
    }
    let first17: String = chars[..17].iter().collect();
    match credit_check_char(&first17) {
        Some(expected) if expected != chars[17] => Verdict::Suspicious(Reason::PilotChecksum {
            expected,
            found: chars[17],
        }),
        _ => Verdict::Valid,
    }
}

fn credit_outcome(chars: &[char]) -> Outcome {
    other(chars, DocKind::CreditCode, credit_verdict(chars))
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Splits a military-style number: Chinese prefix, digit count, and whether
/// only an optional trailing 号 follows the digits.
fn military_parts(chars: &[char]) -> (usize, usize, bool) {
    let prefix = chars.iter().take_while(|c| is_han(**c)).count();
    let digits = chars[prefix..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let rest = &chars[prefix + digits..];
    (prefix, digits, rest.is_empty() || rest == ['号'])
}

/// A Chinese prefix ("军", "南字第" ...) and 6–12 digits, optionally 号.
fn is_military(chars: &[char]) -> bool {
    let (prefix, digits, tail_ok) = military_parts(chars);
    (1..=6).contains(&prefix) && (6..=12).contains(&digits) && tail_ok
}

/// H (Hong Kong) or M (Macau) and 8 or 10 digits.
fn is_hk_macau_permit(chars: &[char]) -> bool {
    matches!(chars.first(), Some('H' | 'M'))
        && matches!(chars.len(), 9 | 11)
        && chars[1..].iter().all(char::is_ascii_digit)
}

/// One or two letters and 7 or 8 digits (E12345678, EA1234567, G12345678).
fn is_passport(chars: &[char]) -> bool {
    let letters = chars.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = chars.len() - letters;
    (1..=2).contains(&letters)
        && (7..=8).contains(&digits)
        && chars[letters..].iter().all(char::is_ascii_digit)
}

/// Eight digits, optionally followed by up to two check letters or digits,
/// which older permits print in parentheses ("12345678(B)").
fn is_taiwan_permit(chars: &[char]) -> bool {
    if chars.len() < 8 || !chars[..8].iter().all(char::is_ascii_digit) {
        return false;
    }
    let rest = &chars[8..];
    let inner = match rest {
        ['(', inner @ .., ')'] if !inner.is_empty() => inner,
        _ => rest,
    };
    inner.len() <= 2 && inner.iter().all(char::is_ascii_alphanumeric)
}

fn first_bad(chars: &[char], allowed: impl Fn(char) -> bool) -> Option<Reason> {
    chars
        .iter()
        .enumerate()
        .find(|(_, c)| !allowed(**c))
        .map(|(i, c)| Reason::BadChar { ch: *c, pos: i + 1 })
}

/// Foreign passports vary too much to check, so an explicitly chosen
/// passport needs only 5–12 letters and digits with at least one digit.
fn passport_as(chars: &[char]) -> Verdict {
    if let Some(reason) = first_bad(chars, |c| c.is_ascii_alphanumeric()) {
        return Verdict::Invalid(reason);
    }
    if !(5..=12).contains(&chars.len()) {
        return Verdict::Invalid(Reason::WrongLength {
            len: chars.len(),
            expected: "5–12",
        });
    }
    if !chars.iter().any(char::is_ascii_digit) {
        return Verdict::Invalid(Reason::UnknownFormat);
    }
    Verdict::Valid
}

fn travel_as(chars: &[char]) -> Verdict {
    if is_hk_macau_permit(chars) || is_taiwan_permit(chars) {
        return Verdict::Valid;
    }
    if let Some(reason) = first_bad(chars, |c| c.is_ascii_alphanumeric() || c == '(' || c == ')') {
        return Verdict::Invalid(reason);
    }
    if !(8..=12).contains(&chars.len()) {
        return Verdict::Invalid(Reason::WrongLength {
            len: chars.len(),
            expected: "8–12",
        });
    }
    Verdict::Invalid(Reason::UnknownFormat)
}

/// An explicitly chosen military ID may also be typed as digits alone.
fn military_as(chars: &[char]) -> Verdict {
    if is_military(chars) {
        return Verdict::Valid;
    }
    if chars.iter().all(char::is_ascii_digit) {
        return if (6..=12).contains(&chars.len()) {
            Verdict::Valid
        } else {
            Verdict::Invalid(Reason::WrongLength {
                len: chars.len(),
                expected: "6–12",
            })
        };
    }
    if let Some(reason) = first_bad(chars, |c| is_han(c) || c.is_ascii_digit()) {
        return Verdict::Invalid(reason);
    }
    Verdict::Invalid(Reason::UnknownFormat)
}

/// The plainest reason for input that matched no format.
fn plain_reason(chars: &[char]) -> Reason {
    let len = chars.len();
    let (prefix, digits, tail_ok) = military_parts(chars);
    if prefix > 0 && digits > 0 && tail_ok {
        // A Chinese prefix and digits: a military ID with the wrong number
        // of digits, not a stray character.
        return Reason::UnknownFormat;
    }
    if let Some(reason) = first_bad(chars, |c| c.is_ascii_alphanumeric()) {
        return reason;
    }
    let digitish = chars
        .iter()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || (i + 1 == len && *c == 'X'));
    if digitish || (16..=20).contains(&len) {
        return Reason::WrongLength {
            len,
            expected: "18",
        };
    }
    Reason::UnknownFormat
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    fn today() -> NaiveDate {
        d(2026, 1, 15)
    }

    fn verdict(input: &str) -> Verdict {
        check(input, today()).verdict
    }

    /// A resident-scheme number with a correct check character for any 17
    /// digits, so a test isolates the fault it is about.
    fn with_check(first17: &str) -> String {
        let c = resident_check_char(first17).expect("17 digits");
        format!("{first17}{c}")
    }

    fn with_credit_check(first17: &str) -> String {
        let c = credit_check_char(first17).expect("17 credit chars");
        format!("{first17}{c}")
    }

    // ---- the public examples -------------------------------------------

    #[test]
    fn example_resident_id_is_valid_female_beijing_1949() {
        let c = check("11010519491231002X", today());
        assert_eq!(c.verdict, Verdict::Valid);
        assert_eq!(c.kind, Some(DocKind::ResidentId));
        assert!(!c.converted_from_15);
        let p = c.person.expect("person facts");
        assert_eq!(p.birth_date, d(1949, 12, 31));
        assert_eq!(p.age, 76);
        assert_eq!(p.gender, Gender::Female);
        assert_eq!(p.province.map(|p| p.en), Some("Beijing"));
    }

    #[test]
    fn lower_case_x_is_valid() {
        let c = check("11010519491231002x", today());
        assert_eq!(c.verdict, Verdict::Valid);
        assert_eq!(c.normalized, "11010519491231002X");
    }

    #[test]
    fn full_width_is_valid() {
        assert_eq!(
            verdict("１１０１０５１９４９１２３１００２Ｘ"),
            Verdict::Valid
        );
        assert_eq!(
            verdict("１１０１０５１９４９１２３１００２ｘ"),
            Verdict::Valid
        );
    }

    #[test]
    fn surrounding_and_inner_spaces_are_ignored() {
        assert_eq!(
            verdict("  \u{3000}11010519491231002X\t\r\n"),
            Verdict::Valid
        );
        assert_eq!(verdict("110105 1949 1231 002X"), Verdict::Valid);
        assert_eq!(verdict("110105-19491231-002X"), Verdict::Valid);
        assert_eq!(
            verdict("110105\u{3000}19491231\u{200B}002X"),
            Verdict::Valid
        );
    }

    #[test]
    fn wrong_check_character_names_the_right_one() {
        let c = check("110105194912310021", today());
        assert_eq!(
            c.verdict,
            Verdict::Invalid(Reason::BadCheck {
                expected: 'X',
                found: '1'
            })
        );
        // The date parses, so the facts are still there for the clerk.
        assert!(c.person.is_some());
    }

    #[test]
    fn example_credit_code_is_valid() {
        let c = check("91350100M000100Y43", today());
        assert_eq!(c.verdict, Verdict::Valid);
        assert_eq!(c.kind, Some(DocKind::CreditCode));
        assert!(c.person.is_none());
        assert_eq!(verdict("91350100m000100y43"), Verdict::Valid);
        assert_eq!(verdict("9135 0100 M000 100Y 43"), Verdict::Valid);
    }

    #[test]
    fn example_bad_credit_code_fails_on_the_z() {
        // Z is outside the GB 32100 alphabet, so this is a bad character,
        // not a checksum fault a supervisor could accept.
        let c = check("91350100M000100Y4Z", today());
        assert_eq!(c.kind, Some(DocKind::CreditCode));
        assert_eq!(
            c.verdict,
            Verdict::Invalid(Reason::BadChar { ch: 'Z', pos: 18 })
        );
        assert_eq!(
            check_as("91350100M000100Y4Z", DocKind::CreditCode, today()).verdict,
            Verdict::Invalid(Reason::BadChar { ch: 'Z', pos: 18 })
        );
    }

    #[test]
    fn credit_code_with_only_a_checksum_fault_is_pilot_suspicious() {
        let c = check("91350100M000100Y44", today());
        assert_eq!(c.kind, Some(DocKind::CreditCode));
        assert_eq!(
            c.verdict,
            Verdict::Suspicious(Reason::PilotChecksum {
                expected: '3',
                found: '4'
            })
        );
    }

    #[test]
    fn credit_code_forbidden_letters_name_char_and_position() {
        for (bad, ch) in [
            ("91350100M0O0100Y43", 'O'),
            ("91350100M0I0100Y43", 'I'),
            ("91350100M0S0100Y43", 'S'),
            ("91350100M0V0100Y43", 'V'),
            ("91350100M0Z0100Y43", 'Z'),
        ] {
            assert_eq!(
                verdict(bad),
                Verdict::Invalid(Reason::BadChar { ch, pos: 11 }),
                "{bad}"
            );
        }
        assert_eq!(
            verdict("91350100M000100Y4."),
            Verdict::Invalid(Reason::BadChar { ch: '.', pos: 18 })
        );
    }

    #[test]
    fn credit_code_authority_and_type_are_checked_leniently() {
        let bad_authority = with_credit_check("B1350100M000100Y4");
        assert_eq!(
            verdict(&bad_authority),
            Verdict::Invalid(Reason::BadAuthority { ch: 'B' })
        );
        let zero_authority = with_credit_check("01350100M000100Y4");
        assert_eq!(
            verdict(&zero_authority),
            Verdict::Invalid(Reason::BadAuthority { ch: '0' })
        );
        // Authority 9 (market regulation) has types 1, 2, 3 only.
        let bad_type = with_credit_check("94350100M000100Y4");
        assert_eq!(
            verdict(&bad_type),
            Verdict::Invalid(Reason::BadChar { ch: '4', pos: 2 })
        );
        // Y has type 1 only.
        let bad_y = with_credit_check("Y2350100M000100Y4");
        assert_eq!(
            verdict(&bad_y),
            Verdict::Invalid(Reason::BadChar { ch: '2', pos: 2 })
        );
        // Other authorities (law firms 3x, rural collectives Nx) pass.
        for ok in [
            "31110000E00017891",
            "N2350100M000100Y4",
            "52350100M000100Y4",
            "Y1350100M000100Y4",
        ] {
            assert_eq!(verdict(&with_credit_check(ok)), Verdict::Valid, "{ok}");
        }
    }

    #[test]
    fn credit_code_area_needs_a_real_province_or_national_level() {
        let bad = with_credit_check("91990100M000100Y4");
        assert_eq!(
            verdict(&bad),
            Verdict::Invalid(Reason::BadArea {
                code: "990100".into()
            })
        );
        let letters = with_credit_check("9135A100M000100Y4");
        assert_eq!(
            verdict(&letters),
            Verdict::Invalid(Reason::BadArea {
                code: "35A100".into()
            })
        );
        assert_eq!(
            verdict(&with_credit_check("91100000M000100Y4")),
            Verdict::Valid
        );
    }

    #[test]
    fn all_digit_enterprise_code_is_a_credit_code_not_a_foreign_id() {
        // A real all-digit enterprise code: as a foreign permanent-residence
        // number its "date" 00192203 is impossible, so it is the credit code.
        let c = check("914403001922038216", today());
        assert_eq!(c.kind, Some(DocKind::CreditCode));
        assert_eq!(c.verdict, Verdict::Valid);
        assert!(check_as("914403001922038216", DocKind::CreditCode, today()).is_valid());
        // Chosen explicitly as a foreign card, it is judged as one.
        let f = check_as(
            "914403001922038216",
            DocKind::ForeignPermanentResidence,
            today(),
        );
        assert_eq!(f.kind, Some(DocKind::ForeignPermanentResidence));
        assert!(matches!(
            f.verdict,
            Verdict::Invalid(Reason::BadDate { .. })
        ));
    }

    #[test]
    fn resident_id_with_a_letter_at_the_end_reports_the_letter() {
        assert_eq!(
            verdict("11010519491231002Y"),
            Verdict::Invalid(Reason::BadChar { ch: 'Y', pos: 18 })
        );
        let c = check("1101051949.231002X", today());
        assert_eq!(c.kind, Some(DocKind::ResidentId));
        assert_eq!(
            c.verdict,
            Verdict::Invalid(Reason::BadChar { ch: '.', pos: 11 })
        );
    }

    // ---- legacy 15-digit numbers -----------------------------------------

    #[test]
    fn legacy_15_digit_converts_to_18() {
        let c = check("110105491231002", today());
        assert!(c.converted_from_15);
        assert_eq!(c.normalized, "11010519491231002X");
        assert_eq!(c.input, "110105491231002");
        assert_eq!(c.kind, Some(DocKind::ResidentId));
        assert_eq!(c.verdict, Verdict::Valid);
        assert_eq!(c.person.map(|p| p.gender), Some(Gender::Female));
        let chosen = check_as("110105491231002", DocKind::ResidentId, today());
        assert!(chosen.converted_from_15 && chosen.is_valid());
    }

    #[test]
    fn legacy_15_digit_faults_are_reported_on_the_converted_form() {
        let c = check("110105491331002", today());
        assert!(c.converted_from_15);
        assert_eq!(
            c.verdict,
            Verdict::Invalid(Reason::BadDate {
                date: "1949-13-31".into()
            })
        );
        assert!(matches!(
            verdict("990105491231002"),
            Verdict::Invalid(Reason::BadArea { .. })
        ));
        // Residence permits never had a 15-digit form.
        assert_eq!(
            check_as("110105491231002", DocKind::ResidencePermit, today()).verdict,
            Verdict::Invalid(Reason::WrongLength {
                len: 15,
                expected: "18"
            })
        );
    }

    // ---- dates -------------------------------------------------------------

    #[test]
    fn feb_29_only_in_leap_years() {
        assert_eq!(verdict(&with_check("11010120000229011")), Verdict::Valid);
        assert_eq!(verdict(&with_check("11010119960229011")), Verdict::Valid);
        assert_eq!(
            verdict(&with_check("11010119000229011")),
            Verdict::Invalid(Reason::BadDate {
                date: "1900-02-29".into()
            })
        );
        assert_eq!(
            verdict(&with_check("11010120010229011")),
            Verdict::Invalid(Reason::BadDate {
                date: "2001-02-29".into()
            })
        );
        let feb30 = check(&with_check("11010119900230011"), today());
        assert!(matches!(
            feb30.verdict,
            Verdict::Invalid(Reason::BadDate { .. })
        ));
        assert!(feb30.person.is_none());
        assert!(matches!(
            verdict(&with_check("11010119901301011")),
            Verdict::Invalid(Reason::BadDate { .. })
        ));
        assert!(matches!(
            verdict(&with_check("11010119900100011")),
            Verdict::Invalid(Reason::BadDate { .. })
        ));
    }

    #[test]
    fn future_birth_date_is_invalid() {
        assert_eq!(
            verdict("44030520270101011X"),
            Verdict::Invalid(Reason::FutureDate {
                date: "2027-01-01".into()
            })
        );
        let tomorrow = make_resident_id("440305", d(2026, 1, 16), 11).expect("id");
        assert!(matches!(
            verdict(&tomorrow),
            Verdict::Invalid(Reason::FutureDate { .. })
        ));
        let born_today = make_resident_id("440305", today(), 11).expect("id");
        let c = check(&born_today, today());
        assert_eq!(c.verdict, Verdict::Valid);
        assert_eq!(c.person.map(|p| p.age), Some(0));
    }

    #[test]
    fn birth_before_1900_is_invalid() {
        assert_eq!(
            verdict("440305189912310119"),
            Verdict::Invalid(Reason::TooOld { year: 1899 })
        );
    }

    #[test]
    fn age_over_120_is_suspicious_not_invalid() {
        let c = check("110101190002280112", today());
        assert_eq!(c.verdict, Verdict::Suspicious(Reason::AgeOver { age: 125 }));
        assert_eq!(c.person.map(|p| p.age), Some(125));
        // Exactly 120 completed years is still plausible.
        let at_120 = make_resident_id("110101", d(1906, 1, 15), 11).expect("id");
        assert_eq!(verdict(&at_120), Verdict::Valid);
        let at_121 = make_resident_id("110101", d(1905, 1, 15), 11).expect("id");
        assert_eq!(
            verdict(&at_121),
            Verdict::Suspicious(Reason::AgeOver { age: 121 })
        );
    }

    #[test]
    fn age_counts_completed_years() {
        assert_eq!(age_at(d(2000, 1, 15), d(2026, 1, 15)), 26);
        assert_eq!(age_at(d(2000, 1, 16), d(2026, 1, 15)), 25);
        // A Feb 29 birthday is reached on Mar 1 in common years.
        assert_eq!(age_at(d(2000, 2, 29), d(2025, 2, 28)), 24);
        assert_eq!(age_at(d(2000, 2, 29), d(2025, 3, 1)), 25);
        assert_eq!(age_at(d(2030, 1, 1), d(2026, 1, 15)), 0);
    }

    // ---- areas and kinds ---------------------------------------------------

    #[test]
    fn hk_macau_taiwan_residence_permits() {
        let hk = check("810000199005171231", today());
        assert_eq!(hk.kind, Some(DocKind::ResidencePermit));
        assert_eq!(hk.verdict, Verdict::Valid);
        let hk_person = hk.person.expect("person");
        assert_eq!(hk_person.province.map(|p| p.code), Some("81"));
        assert_eq!(hk_person.gender, Gender::Male);

        let mo = check("820000198511020441", today());
        assert_eq!(mo.kind, Some(DocKind::ResidencePermit));
        assert_eq!(mo.verdict, Verdict::Valid);
        let mo_person = mo.person.expect("person");
        assert_eq!(mo_person.province.map(|p| p.en), Some("Macau"));
        assert_eq!(mo_person.gender, Gender::Female);

        let tw = check("830000200002290074", today());
        assert_eq!(tw.kind, Some(DocKind::ResidencePermit));
        assert_eq!(tw.verdict, Verdict::Valid);
        assert_eq!(
            tw.person.and_then(|p| p.province).map(|p| p.code),
            Some("71")
        );

        assert_eq!(
            make_resident_id("810000", d(1990, 5, 17), 123).as_deref(),
            Some("810000199005171231")
        );
        // Permits use exactly 810000/820000/830000.
        assert_eq!(
            verdict(&with_check("81100019900517123")),
            Verdict::Invalid(Reason::BadArea {
                code: "811000".into()
            })
        );
        assert!(matches!(
            verdict(&with_check("84000019900517123")),
            Verdict::Invalid(Reason::BadArea { .. })
        ));
    }

    #[test]
    fn foreign_permanent_residence_ids() {
        let c = check("931156197808080313", today());
        assert_eq!(c.kind, Some(DocKind::ForeignPermanentResidence));
        assert_eq!(c.verdict, Verdict::Valid);
        let p = c.person.expect("person");
        assert_eq!(p.province.map(|p| p.en), Some("Shanghai"));
        assert_eq!(p.gender, Gender::Male);
        // Digits 2-3 must be a province.
        assert_eq!(
            verdict(&with_check("97715619780808031")),
            Verdict::Invalid(Reason::BadArea {
                code: "977156".into()
            })
        );
    }

    #[test]
    fn bad_area_codes() {
        // 99: the leading 9 makes it a foreign card, whose province 99 is bad.
        assert_eq!(
            verdict("990101198001010110"),
            Verdict::Invalid(Reason::BadArea {
                code: "990101".into()
            })
        );
        for first17 in [
            "20010119800101011",
            "00000019800101011",
            "72010119800101011",
        ] {
            let c = check(&with_check(first17), today());
            assert_eq!(c.kind, Some(DocKind::ResidentId));
            assert!(
                matches!(c.verdict, Verdict::Invalid(Reason::BadArea { .. })),
                "{first17}"
            );
        }
        // 110000-style codes exist on old cards.
        assert_eq!(verdict(&with_check("11000019800101011")), Verdict::Valid);
    }

    #[test]
    fn gender_follows_the_17th_digit() {
        let male = make_resident_id("320102", d(1980, 6, 1), 13).expect("id");
        let female = make_resident_id("320102", d(1980, 6, 1), 14).expect("id");
        assert_eq!(
            check(&male, today()).person.map(|p| p.gender),
            Some(Gender::Male)
        );
        assert_eq!(
            check(&female, today()).person.map(|p| p.gender),
            Some(Gender::Female)
        );
    }

    #[test]
    fn check_as_resident_kinds_follow_the_number() {
        let c = check_as("810000199005171231", DocKind::ResidentId, today());
        assert_eq!(c.kind, Some(DocKind::ResidencePermit));
        assert!(c.is_valid());
        let short = check_as("E12345678", DocKind::ResidentId, today());
        assert_eq!(short.kind, Some(DocKind::ResidentId));
        assert_eq!(
            short.verdict,
            Verdict::Invalid(Reason::WrongLength {
                len: 9,
                expected: "18"
            })
        );
        assert_eq!(
            check_as("91350100M000100Y43", DocKind::ResidentId, today()).verdict,
            Verdict::Invalid(Reason::BadChar { ch: 'M', pos: 9 })
        );
        assert_eq!(
            check_as("11010519491231002X", DocKind::CreditCode, today()).verdict,
            Verdict::Invalid(Reason::BadArea {
                code: "010519".into()
            })
        );
        assert_eq!(
            check_as("1234", DocKind::CreditCode, today()).verdict,
            Verdict::Invalid(Reason::WrongLength {
                len: 4,
                expected: "18"
            })
        );
    }

    // ---- other documents ---------------------------------------------------

    #[test]
    fn passports_are_detected() {
        for p in [
            "E12345678",
            "EA1234567",
            "G12345678",
            "D1234567",
            "pe1234567",
        ] {
            let c = check(p, today());
            assert_eq!(c.kind, Some(DocKind::Passport), "{p}");
            assert_eq!(c.verdict, Verdict::Valid, "{p}");
        }
        // Chosen explicitly, foreign formats are accepted too.
        for p in ["123456789", "C01X00T47", "TK1234567"] {
            assert!(check_as(p, DocKind::Passport, today()).is_valid(), "{p}");
        }
        assert_eq!(
            check_as("ABCDEFG", DocKind::Passport, today()).verdict,
            Verdict::Invalid(Reason::UnknownFormat)
        );
        assert_eq!(
            check_as("E123", DocKind::Passport, today()).verdict,
            Verdict::Invalid(Reason::WrongLength {
                len: 4,
                expected: "5–12"
            })
        );
        assert_eq!(
            check_as("E1234.678", DocKind::Passport, today()).verdict,
            Verdict::Invalid(Reason::BadChar { ch: '.', pos: 6 })
        );
    }

    #[test]
    fn travel_permits_are_detected() {
        for p in [
            "H12345678",
            "M12345678",
            "H1234567890",
            "12345678",
            "1234567801",
            "12345678B",
            "12345678(B)",
            "12345678（B）",
        ] {
            let c = check(p, today());
            assert_eq!(c.kind, Some(DocKind::TravelPermit), "{p}");
            assert_eq!(c.verdict, Verdict::Valid, "{p}");
            assert!(
                check_as(p, DocKind::TravelPermit, today()).is_valid(),
                "{p}"
            );
        }
        assert_eq!(
            check_as("E12345678", DocKind::TravelPermit, today()).verdict,
            Verdict::Invalid(Reason::UnknownFormat)
        );
        assert_eq!(
            check_as("H123", DocKind::TravelPermit, today()).verdict,
            Verdict::Invalid(Reason::WrongLength {
                len: 4,
                expected: "8–12"
            })
        );
    }

    #[test]
    fn military_ids_are_detected() {
        for m in [
            "军字第2001988号",
            "南字第12345678号",
            "军 12345678",
            "海字第1234567",
        ] {
            let c = check(m, today());
            assert_eq!(c.kind, Some(DocKind::MilitaryId), "{m}");
            assert_eq!(c.verdict, Verdict::Valid, "{m}");
        }
        assert!(check_as("12345678", DocKind::MilitaryId, today()).is_valid());
        assert_eq!(
            check_as("12345", DocKind::MilitaryId, today()).verdict,
            Verdict::Invalid(Reason::WrongLength {
                len: 5,
                expected: "6–12"
            })
        );
        assert_eq!(
            check_as("军字第12X45678", DocKind::MilitaryId, today()).verdict,
            Verdict::Invalid(Reason::BadChar { ch: 'X', pos: 6 })
        );
        // A Chinese prefix with too few digits is not a stray character.
        assert_eq!(verdict("军123"), Verdict::Invalid(Reason::UnknownFormat));
    }

    #[test]
    fn unmatched_input_gets_the_plainest_reason() {
        assert_eq!(
            verdict("1101051949123100"),
            Verdict::Invalid(Reason::WrongLength {
                len: 16,
                expected: "18"
            })
        );
        assert_eq!(
            verdict("1101051949123100212"),
            Verdict::Invalid(Reason::WrongLength {
                len: 19,
                expected: "18"
            })
        );
        assert_eq!(
            verdict("91350100M000100Y4"),
            Verdict::Invalid(Reason::WrongLength {
                len: 17,
                expected: "18"
            })
        );
        assert_eq!(verdict("ABC"), Verdict::Invalid(Reason::UnknownFormat));
        let labelled = check("身份证11010519491231002X", today());
        assert_eq!(labelled.kind, None);
        assert_eq!(
            labelled.verdict,
            Verdict::Invalid(Reason::BadChar { ch: '身', pos: 1 })
        );
    }

    #[test]
    fn empty_input() {
        for e in ["", "   ", "\u{3000}\t\n", "- -"] {
            let c = check(e, today());
            assert_eq!(c.verdict, Verdict::Invalid(Reason::Empty), "{e:?}");
            assert_eq!(c.kind, None);
            for k in DocKind::ALL {
                assert_eq!(
                    check_as(e, k, today()).verdict,
                    Verdict::Invalid(Reason::Empty)
                );
            }
        }
    }

    #[test]
    fn ten_kilobyte_paste_is_refused_at_once() {
        let big = "1".repeat(10 * 1024);
        let c = check(&big, today());
        assert_eq!(
            c.verdict,
            Verdict::Invalid(Reason::TooLong { len: 10 * 1024 })
        );
        assert_eq!(c.normalized, "");
        assert_eq!(c.kind, None);
        let huge = "字".repeat(1 << 20);
        let start = std::time::Instant::now();
        let c = check_as(&huge, DocKind::MilitaryId, today());
        assert!(matches!(
            c.verdict,
            Verdict::Invalid(Reason::TooLong { .. })
        ));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn length_limit_is_on_raw_characters() {
        let padded = format!("{:<64}", "11010519491231002X");
        assert_eq!(padded.chars().count(), 64);
        assert_eq!(verdict(&padded), Verdict::Valid);
        let over = format!("{:<65}", "11010519491231002X");
        assert_eq!(
            verdict(&over),
            Verdict::Invalid(Reason::TooLong { len: 65 })
        );
        // Multi-byte characters count as one each.
        let cjk = "号".repeat(64);
        assert!(!matches!(
            verdict(&cjk),
            Verdict::Invalid(Reason::TooLong { .. })
        ));
    }

    #[test]
    fn emoji_and_odd_unicode_never_panic() {
        assert_eq!(
            verdict("😀"),
            Verdict::Invalid(Reason::BadChar { ch: '😀', pos: 1 })
        );
        assert_eq!(
            verdict("11010519491231002😀"),
            Verdict::Invalid(Reason::BadChar {
                ch: '😀', pos: 18
            })
        );
        for s in [
            "👨\u{200D}👩\u{200D}👧",
            "1\u{0301}1010519491231002X",
            "\u{FEFF}11010519491231002X",
            "\u{0000}",
            "𝟏𝟏𝟎𝟏𝟎𝟓𝟏𝟗𝟒𝟗𝟏𝟐𝟑𝟏𝟎𝟎𝟐𝐗",
            "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",
            "ß",
            "\u{10FFFF}",
        ] {
            let c = check(s, today());
            let _ = c.verdict.reason().map(Reason::msg);
            let _ = c.masked();
            for k in DocKind::ALL {
                let _ = check_as(s, k, today());
            }
        }
        // A byte-order mark from a scanner is dropped.
        assert_eq!(verdict("\u{FEFF}11010519491231002X"), Verdict::Valid);
        // Combining marks are reported visibly.
        let m = Reason::BadChar {
            ch: '\u{0301}',
            pos: 2,
        }
        .msg();
        assert!(m.args.contains(&("ch", "U+0301".to_string())));
    }

    // ---- helpers -------------------------------------------------------

    #[test]
    fn normalize_rules() {
        assert_eq!(
            normalize(" １１０１０５－１９４９ｘ\u{3000}"),
            "1101051949X"
        );
        assert_eq!(normalize("ab-cd ef\u{2014}gh"), "ABCDEFGH");
        assert_eq!(normalize("（B）"), "(B)");
        assert_eq!(normalize("南字第 123"), "南字第123");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn check_char_helpers() {
        assert_eq!(resident_check_char("11010519491231002"), Some('X'));
        assert_eq!(resident_check_char("1101051949123100"), None);
        assert_eq!(resident_check_char("1101051949123100A"), None);
        assert_eq!(resident_check_char("１1010519491231002"), None);
        assert_eq!(credit_check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(credit_check_char("91350100M000100Y"), None);
        assert_eq!(credit_check_char("91350100M000100Y43"), None);
        assert_eq!(credit_check_char("91350100M000100YO"), None);
        assert_eq!(credit_check_char("91350100m000100Y4"), None);
    }

    #[test]
    fn make_resident_id_rejects_bad_parts() {
        assert_eq!(
            make_resident_id("110105", d(1949, 12, 31), 2).as_deref(),
            Some("11010519491231002X")
        );
        assert_eq!(make_resident_id("11010", d(1949, 12, 31), 2), None);
        assert_eq!(make_resident_id("11010A", d(1949, 12, 31), 2), None);
        assert_eq!(make_resident_id("110105", d(1949, 12, 31), 1000), None);
        assert_eq!(make_resident_id("110105", d(10000, 1, 1), 1), None);
        assert!(make_resident_id("110105", d(1949, 12, 31), 999).is_some());
    }

    #[test]
    fn provinces_are_complete_and_unique() {
        assert_eq!(PROVINCES.len(), 34);
        let mut codes: Vec<&str> = PROVINCES.iter().map(|p| p.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 34);
        assert!(PROVINCES
            .iter()
            .all(|p| p.code.len() == 2 && !p.zh.is_empty() && !p.en.is_empty()));
        assert_eq!(province_by_code("44").map(|p| p.zh), Some("广东省"));
        assert_eq!(province_by_code("83"), None);
        assert_eq!(province_by_code("1"), None);
    }

    #[test]
    fn doc_kind_codes_round_trip() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::from_code(k.code()), Some(k));
            assert_eq!(k.is_organisation(), k == DocKind::CreditCode);
            assert_eq!(k.name_msg().key.strip_prefix("id.kind_"), Some(k.code()));
        }
        assert_eq!(DocKind::from_code("Resident_ID"), None);
        assert_eq!(DocKind::from_code(""), None);
        assert!(DocKind::ResidencePermit.uses_resident_scheme());
        assert!(!DocKind::Passport.uses_resident_scheme());
    }

    #[test]
    fn mask_examples() {
        assert_eq!(mask("11010519491231002X"), "110105********002X");
        assert_eq!(mask("E12345678"), "E1*****78");
        assert_eq!(mask("12345678"), "12****78");
        assert_eq!(mask("ABCD"), "A**D");
        assert_eq!(mask("ABC"), "***");
        assert_eq!(mask("A"), "*");
        assert_eq!(mask(""), "");
        assert_eq!(mask("南字第12345678号"), "南字********8号");
        let c = check("110105491231002", today());
        assert_eq!(c.masked(), "110105********002X");
    }

    // ---- messages ------------------------------------------------------

    /// One sample of every reason; the match below fails to compile when a
    /// variant is added without a sample here.
    fn sample_reasons() -> Vec<Reason> {
        let all = vec![
            Reason::Empty,
            Reason::TooLong { len: 100 },
            Reason::WrongLength {
                len: 17,
                expected: "18",
            },
            Reason::BadChar { ch: 'O', pos: 3 },
            Reason::BadCheck {
                expected: 'X',
                found: '1',
            },
            Reason::BadDate {
                date: "1990-02-30".into(),
            },
            Reason::FutureDate {
                date: "2030-01-01".into(),
            },
            Reason::TooOld { year: 1899 },
            Reason::BadArea {
                code: "990101".into(),
            },
            Reason::AgeOver { age: 125 },
            Reason::PilotChecksum {
                expected: '3',
                found: '4',
            },
            Reason::BadAuthority { ch: 'B' },
            Reason::UnknownFormat,
        ];
        for r in &all {
            match r {
                Reason::Empty
                | Reason::TooLong { .. }
                | Reason::WrongLength { .. }
                | Reason::BadChar { .. }
                | Reason::BadCheck { .. }
                | Reason::BadDate { .. }
                | Reason::FutureDate { .. }
                | Reason::TooOld { .. }
                | Reason::BadArea { .. }
                | Reason::AgeOver { .. }
                | Reason::PilotChecksum { .. }
                | Reason::BadAuthority { .. }
                | Reason::UnknownFormat => {}
            }
        }
        all
    }

    /// The catalogue as (key, zh, en), read with a parser just big enough
    /// for its fixed format.
    fn catalogue() -> Vec<(String, String, String)> {
        let src = include_str!("../../assets/messages/id.toml");
        let mut out: Vec<(String, String, String)> = Vec::new();
        for line in src.lines().map(str::trim) {
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                out.push((format!("id.{name}"), String::new(), String::new()));
            } else if let Some((k, v)) = line.split_once(" = ") {
                let v = v.trim_matches('"').to_string();
                let entry = out.last_mut().expect("value before any table");
                match k {
                    "zh" => entry.1 = v,
                    "en" => entry.2 = v,
                    other => panic!("unexpected field {other}"),
                }
            } else {
                assert!(line.is_empty() || line.starts_with('#'), "odd line {line}");
            }
        }
        out
    }

    fn placeholders(text: &str) -> Vec<String> {
        let mut names: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(n, _)| n.to_string()))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    #[test]
    fn every_message_is_in_the_catalogue_with_matching_placeholders() {
        let cat = catalogue();
        let mut msgs: Vec<Msg> = sample_reasons().iter().map(Reason::msg).collect();
        msgs.extend(DocKind::ALL.iter().map(DocKind::name_msg));
        msgs.push(Verdict::Valid.label_msg());
        msgs.push(Verdict::Suspicious(Reason::Empty).label_msg());
        msgs.push(Verdict::Invalid(Reason::Empty).label_msg());
        msgs.push(Gender::Male.msg());
        msgs.push(Gender::Female.msg());
        for m in &msgs {
            let (_, zh, en) = cat
                .iter()
                .find(|(k, _, _)| k == m.key)
                .unwrap_or_else(|| panic!("missing catalogue key {}", m.key));
            assert!(!zh.is_empty() && !en.is_empty(), "{}", m.key);
            let mut args: Vec<String> = m.args.iter().map(|(n, _)| n.to_string()).collect();
            args.sort();
            assert_eq!(placeholders(zh), args, "zh {}", m.key);
            assert_eq!(placeholders(en), args, "en {}", m.key);
        }
        // No orphan entries either; "id.years" is the age unit the edges
        // print after `PersonFacts::age`.
        for (k, _, _) in &cat {
            assert!(
                msgs.iter().any(|m| m.key == k) || k == "id.years",
                "unused key {k}"
            );
        }
        let mut keys: Vec<&String> = cat.iter().map(|(k, _, _)| k).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), cat.len(), "duplicate keys");
    }

    #[test]
    fn reason_messages_carry_their_values() {
        let m = Reason::BadCheck {
            expected: 'X',
            found: '1',
        }
        .msg();
        assert_eq!(m.key, "id.bad_check");
        assert_eq!(
            m.args,
            vec![("expected", "X".to_string()), ("found", "1".to_string())]
        );
        let t = Reason::TooLong { len: 10240 }.msg();
        assert!(t.args.contains(&("max", "64".to_string())));
        assert_eq!(Verdict::Valid.reason(), None);
        assert!(Verdict::Invalid(Reason::Empty).is_invalid());
    }

    // ---- properties ----------------------------------------------------

    /// A well-formed area for each resident-scheme kind.
    fn area_strategy() -> impl Strategy<Value = (String, DocKind)> {
        let ordinary: Vec<&'static str> = PROVINCES
            .iter()
            .map(|p| p.code)
            .filter(|c| !matches!(*c, "81" | "82"))
            .collect();
        let provinces: Vec<&'static str> = PROVINCES.iter().map(|p| p.code).collect();
        prop_oneof![
            6 => (prop::sample::select(ordinary), 0u32..10_000)
                .prop_map(|(p, n)| (format!("{p}{n:04}"), DocKind::ResidentId)),
            1 => prop::sample::select(vec!["810000", "820000", "830000"])
                .prop_map(|a| (a.to_string(), DocKind::ResidencePermit)),
            1 => (prop::sample::select(provinces), 0u32..1000)
                .prop_map(|(p, n)| (format!("9{p}{n:03}"), DocKind::ForeignPermanentResidence)),
        ]
    }

    /// (number, kind, birth, seq, today) with an age of 0..=120 years.
    fn valid_id_strategy() -> impl Strategy<Value = (String, DocKind, NaiveDate, u16, NaiveDate)> {
        (area_strategy(), 0u64..=43_800, 0u16..=999, 0u64..7_300).prop_map(
            |((area, kind), back, seq, t)| {
                let today = d(2021, 1, 1) + chrono::Days::new(t);
                let birth = today - chrono::Days::new(back);
                let id = make_resident_id(&area, birth, seq).expect("valid parts");
                (id, kind, birth, seq, today)
            },
        )
    }

    proptest! {
        #[test]
        fn made_ids_are_valid((id, kind, birth, seq, today) in valid_id_strategy()) {
            let c = check(&id, today);
            prop_assert_eq!(&c.verdict, &Verdict::Valid);
            prop_assert_eq!(c.kind, Some(kind));
            let p = c.person.expect("person");
            prop_assert_eq!(p.birth_date, birth);
            prop_assert!(p.age <= 120);
            let male = seq % 2 == 1;
            prop_assert_eq!(p.gender == Gender::Male, male);
            prop_assert!(check_as(&id, kind, today).is_valid());
        }

        #[test]
        fn one_changed_character_is_never_valid((id, kind, _b, _s, today) in valid_id_strategy()) {
            let original: Vec<char> = id.chars().collect();
            for pos in 0..18 {
                let replacements: &[char] = if pos == 17 {
                    &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']
                } else {
                    &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']
                };
                for &r in replacements {
                    if r == original[pos] {
                        continue;
                    }
                    let mut m = original.clone();
                    m[pos] = r;
                    let m: String = m.into_iter().collect();
                    // MOD 11-2 catches every single-character error.
                    let chosen = check_as(&m, kind, today);
                    prop_assert!(!chosen.is_valid(), "{} -> {}", id, m);
                    // Auto-detection may only call it valid as a different
                    // document: a 9-leading all-digit enterprise credit code.
                    let auto = check(&m, today);
                    if auto.is_valid() {
                        prop_assert_eq!(auto.kind, Some(DocKind::CreditCode), "{} -> {}", id, m);
                        prop_assert!(m.starts_with('9'), "{} -> {}", id, m);
                    }
                }
            }
        }

        #[test]
        fn check_never_panics(s in any::<String>()) {
            let c = check(&s, today());
            let _ = c.verdict.reason().map(Reason::msg);
            let _ = c.masked();
            for k in DocKind::ALL {
                let _ = check_as(&s, k, today());
            }
        }

        #[test]
        fn check_never_panics_on_id_like_text(s in "[0-9A-Z xX()（）号军字第-]{0,70}") {
            let c = check(&s, today());
            prop_assert!(!c.normalized.contains(' '));
            for k in DocKind::ALL {
                let _ = check_as(&s, k, today());
            }
        }

        #[test]
        fn normalize_is_idempotent(s in any::<String>()) {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn mask_never_reveals_more_than_half(s in "\\PC{0,40}") {
            let n = s.chars().count();
            let masked = mask(&s);
            prop_assert_eq!(masked.chars().count(), n);
            if n != 18 {
                let shown = s.chars().zip(masked.chars()).filter(|(a, b)| a == b && *b != '*').count();
                prop_assert!(shown * 2 <= n);
            }
        }

        #[test]
        fn built_credit_codes_are_valid(
            head in prop::sample::select(vec![
                "91", "92", "93", "11", "12", "13", "19", "51", "52", "53", "59", "Y1",
                "31", "N2", "A1",
            ]),
            province in prop::sample::select(PROVINCES.iter().map(|p| p.code).collect::<Vec<_>>()),
            county in 0u32..10_000,
            org in prop::collection::vec(prop::sample::select(CREDIT_ALPHABET.to_vec()), 9),
        ) {
            let org: String = org.into_iter().collect();
            let first17 = format!("{head}{province}{county:04}{org}");
            let code = with_credit_check(&first17);
            prop_assert!(check_as(&code, DocKind::CreditCode, today()).is_valid(), "{}", code);
            let chars: Vec<char> = code.chars().collect();
            let digit_body = chars[..17].iter().all(char::is_ascii_digit);
            let resident_shaped = digit_body && (chars[17].is_ascii_digit() || chars[17] == 'X');
            if !resident_shaped {
                let c = check(&code, today());
                prop_assert_eq!(c.kind, Some(DocKind::CreditCode));
                prop_assert!(c.is_valid(), "{}", code);
            }
        }
    }
}
