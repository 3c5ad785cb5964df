//! Business-form schema: one TOML file per business type, parsed and checked here.
//!
//! A form says everything the counter needs to take one kind of business: the
//! fields the clerk fills in, the materials the customer brings (and which of
//! them may follow later under single-ID acceptance), the steps with their
//! working-day limits, the fees with their legal basis, the customer's rights,
//! duties and the supervision numbers, and which slips print at the end. The
//! one-time disclosure notice is built from exactly this data, so a form that
//! leaves something out would cause a repeat trip; the checks here refuse it.
//!
//! This module is pure: it turns text into a [`Form`] or a list of
//! [`Problem`]s. Reading files is `crate::load::forms`'s job.

mod check;
mod convert;
mod schema;

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::msg::Lang;
use crate::domain::problem::{deserialize_all, FileKind, Problem};

/// Text in both of the clerk's languages, written in a form file as `{ zh = "...", en = "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Who may apply for a business type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    /// A natural person.
    Person,
    /// A company or other organisation.
    Organisation,
}

/// Whom a material is asked of: the applicant's kind, or an agent acting for the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The applicant is a natural person.
    Person,
    /// The applicant is an organisation.
    Organisation,
    /// Someone applies on the applicant's behalf.
    Agent,
}

impl Party {
    /// The party's name as written in a form file.
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Person => "person",
            Party::Organisation => "organisation",
            Party::Agent => "agent",
        }
    }
}

/// The group a business type belongs to, used to arrange the business menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// New connection or capacity increase.
    NewConnection,
    /// Change of use (减容, 暂停, 更名, 销户 ...).
    ChangeOfUse,
    /// Metering (meter verification, meter relocation ...).
    Metering,
    /// Other services (complaint, consultation, invoice ...).
    Service,
    /// Payments and refunds.
    Payment,
}

/// What a field holds; decides how the clerk's input is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A mainland mobile number.
    Mobile,
    /// A landline or mobile number.
    Phone,
    /// A postal address.
    Address,
    /// Capacity in kW with at most two decimals.
    CapacityKw,
    /// A whole number.
    Integer,
    /// A calendar date.
    Date,
    /// One of the listed choices.
    Choice,
    /// A customer account number (户号); its length differs by province, so none is fixed.
    AccountNo,
    /// An amount of money, typed in yuan and held in fen.
    Money,
}

impl FieldKind {
    /// Whether `min`/`max` make sense for this kind.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FieldKind::CapacityKw | FieldKind::Integer | FieldKind::Money
        )
    }

    /// Whether `max_len` makes sense for this kind (free-form text input).
    pub fn takes_max_len(self) -> bool {
        matches!(
            self,
            FieldKind::Text | FieldKind::Address | FieldKind::Phone | FieldKind::AccountNo
        )
    }

    /// The kind's name as written in a form file.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Mobile => "mobile",
            FieldKind::Phone => "phone",
            FieldKind::Address => "address",
            FieldKind::CapacityKw => "capacity_kw",
            FieldKind::Integer => "integer",
            FieldKind::Date => "date",
            FieldKind::Choice => "choice",
            FieldKind::AccountNo => "account_no",
            FieldKind::Money => "money",
        }
    }
}

/// A decimal number with at most two fractional digits, held exactly as hundredths.
///
/// Used for field bounds: kW for `capacity_kw`, yuan for `money` (so the
/// hundredths are fen), plain numbers for `integer`. Holding hundredths keeps
/// floating point away from amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Decimal2(i64);

impl Decimal2 {
    /// The number `hundredths / 100`.
    pub const fn from_hundredths(hundredths: i64) -> Decimal2 {
        Decimal2(hundredths)
    }

    /// The number times 100.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// Whether the number has no fractional part.
    pub const fn is_whole(self) -> bool {
        self.0 % 100 == 0
    }

    /// Parses `12`, `-3`, `12.5` or `12.05`; more than two decimals, or anything else, gives `None`.
    pub fn parse(s: &str) -> Option<Decimal2> {
        let s = s.trim();
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(frac) || frac.len() > 2 {
            return None;
        }
        if digits.contains('.') && frac.is_empty() {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let frac: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        let value = whole.checked_mul(100)?.checked_add(frac)?;
        Some(Decimal2(if negative { -value } else { value }))
    }
}

impl fmt::Display for Decimal2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / 100, abs % 100);
        match frac {
            0 => write!(f, "{sign}{whole}"),
            f10 if f10 % 10 == 0 => write!(f, "{sign}{whole}.{}", f10 / 10),
            _ => write!(f, "{sign}{whole}.{frac:02}"),
        }
    }
}

/// One of the answers of a `choice` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// Stable id stored in the record.
    pub id: String,
    /// What the clerk sees.
    pub label: Text,
}

/// A field the clerk fills in when accepting the business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Stable id, unique in the form.
    pub id: String,
    /// The label on screen and on slips.
    pub label: Text,
    /// What the field holds.
    pub kind: FieldKind,
    /// Whether the application can be accepted without it.
    pub required: bool,
    /// Smallest allowed value, for numeric kinds.
    pub min: Option<Decimal2>,
    /// Largest allowed value, for numeric kinds.
    pub max: Option<Decimal2>,
    /// Longest allowed input in characters, for text-like kinds.
    pub max_len: Option<u32>,
    /// The answers of a `choice` field; empty for every other kind.
    pub choices: Vec<Choice>,
    /// A hint shown under the field.
    pub help: Option<Text>,
    /// The value the field starts with (for a choice: a choice id).
    pub default: Option<String>,
}

/// How long a material on file serves later applications (the form's rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// Until the expiry printed on it (an ID card, a business licence);
    /// with no expiry recorded it is asked for again.
    UntilExpiry,
    /// Without expiry (a certificate that does not lapse).
    NoExpiry,
    /// For the same supply address only (a property certificate).
    SameAddress,
    /// For the application it came with only (a power of attorney, an
    /// agent's ID): never reused.
    #[default]
    ThisApplication,
}

/// How a material is handed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialForm {
    /// The original is shown (and usually handed back).
    Original,
    /// A copy is handed in.
    Copy,
    /// The original is shown and a copy is handed in.
    OriginalAndCopy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum MaterialDue {
    /// Needed before the application can be accepted.
    AtAcceptance,
    /// May be owed after acceptance (single-ID acceptance with a commitment letter).
    MayFollow {
        /// Working days after acceptance by which it must arrive.
        within_working_days: u32,
    },
}

/// One acceptable document in an "any one of" group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternative {
    /// Stable id, unique among the form's materials and alternatives.
    pub id: String,
    /// The document's name.
    pub name: Text,
    /// How it is handed in (the material's own form unless the file says otherwise).
    pub form: MaterialForm,
}

/// A document the customer brings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Material {
    /// Stable id, recorded when the material is owed or received.
    pub id: String,
    /// The material's name (for a group, the name of the group).
    pub name: Text,
    /// How it is handed in.
    pub form: MaterialForm,
    pub due: MaterialDue,
    /// When not empty, any one of these documents satisfies the material.
    pub any_of: Vec<Alternative>,
    /// A note printed under the material.
    pub note: Option<Text>,
    /// Whom it is asked of; `None` means every application.
    pub applies_to: Option<Vec<Party>>,
    /// How long it serves later applications once on the customer's file
    /// (by default it serves its own application only).
    pub keep: Keep,
}

impl Material {
    /// Whether this material is asked of an applicant of `kind`, applying in
    /// person (`via_agent` false) or through an agent.
    pub fn applies(&self, kind: ApplicantKind, via_agent: bool) -> bool {
        match &self.applies_to {
            None => true,
            Some(parties) => parties.iter().any(|p| match p {
                Party::Person => kind == ApplicantKind::Person,
                Party::Organisation => kind == ApplicantKind::Organisation,
                Party::Agent => via_agent,
            }),
        }
    }
}

/// From what a step's working-day limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStart {
    /// The day the application is accepted.
    Acceptance,
    /// The day the previous step ends.
    PreviousStep,
    /// The day the customer asks for it (e.g. asks for the completion inspection).
    CustomerRequest,
    /// The day the completion inspection is passed.
    InspectionPassed,
}

/// One step of the process, as printed in the disclosure's flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Stable id.
    pub id: String,
    /// The step's name.
    pub name: Text,
    /// Time limit in working days (always > 0).
    pub limit_working_days: u32,
    /// From what the limit counts.
    pub starts_from: StepStart,
    /// What happens in this step.
    pub description: Text,
    /// Who does it.
    pub who: Option<Text>,
}

/// What a fee costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum FeeAmount {
    /// A fixed amount in fen (0 states explicitly that nothing is charged).
    Fen(i64),
    /// Set by the approved price list; the text says so on the notice.
    PerPriceList(Text),
}

/// A fee disclosed to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fee {
    /// Stable id.
    pub id: String,
    /// The fee's name.
    pub name: Text,
    /// What it costs.
    pub amount: FeeAmount,
    /// The legal basis (never empty: an unauthorised fee is forbidden).
    pub basis: Text,
    /// Who pays.
    pub payer: Option<Text>,
}

/// A right of the customer that the notice states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Right {
    /// Stable id.
    pub id: String,
    /// The right as printed.
    pub text: Text,
}

/// A service or supervision telephone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// Stable id.
    pub id: String,
    /// What the number is.
    pub name: Text,
    /// The number as dialled.
    pub phone: String,
}

/// Something the customer must do themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duty {
    /// Stable id.
    pub id: String,
    /// The duty as printed.
    pub text: Text,
}

/// A slip printed at the end of the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlipKind {
    /// Acceptance receipt (受理回执).
    AcceptanceReceipt,
    /// One-time disclosure notice (业务办理告知书), signed in two copies.
    DisclosureNotice,
    ProgressSlip,
    PaymentReceipt,
}

impl SlipKind {
    /// The kind's name as written in a form file.
    pub fn as_str(self) -> &'static str {
        match self {
            SlipKind::AcceptanceReceipt => "acceptance_receipt",
            SlipKind::DisclosureNotice => "disclosure_notice",
            SlipKind::ProgressSlip => "progress_slip",
            SlipKind::PaymentReceipt => "payment_receipt",
        }
    }
}

/// One business type, checked and ready to use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form {
    /// Unique snake_case code, equal to the file stem.
    pub code: String,
    /// The business type's name.
    pub name: Text,
    /// Lower-case pinyin initials of the Chinese name, for quick search.
    pub pinyin: String,
    /// Extra search words.
    pub aliases: Vec<String>,
    /// Who may apply (never empty).
    pub applicant: Vec<ApplicantKind>,
    /// Menu group.
    pub category: Category,
    /// Version of the form's content, printed on slips.
    pub version: String,
    /// Date from which this content applies.
    pub effective: NaiveDate,
    /// Promised limit for the whole process, in working days.
    pub total_limit_working_days: Option<u32>,
    /// May be accepted on the ID alone with a commitment letter (一证受理):
    /// only the `AtAcceptance` materials are needed at once, and the missing
    /// `MayFollow` ones are recorded as owed, each due by its own deadline.
    /// Without it, a `MayFollow` material may still be owed, but no
    /// commitment letter is part of the business.
    pub single_id: bool,
    /// Fields the clerk fills in.
    pub fields: Vec<Field>,
    /// Materials the customer brings.
    pub materials: Vec<Material>,
    /// Steps of the process (never empty).
    pub steps: Vec<Step>,
    /// Fees disclosed.
    pub fees: Vec<Fee>,
    /// Customer rights disclosed (never empty).
    pub rights: Vec<Right>,
    /// Service and supervision numbers (never empty).
    pub contacts: Vec<Contact>,
    /// The customer's own duties.
    pub duties: Vec<Duty>,
    /// Slips printed at the end.
    pub slips: Vec<SlipKind>,
}

impl Form {
    /// Whether a search-box `query` finds this form: a substring of the
    /// Chinese name, of the pinyin initials, of the code, of the English name
    /// (any case) or of an alias. An empty query finds every form, so the list
    /// starts full.
    pub fn search_matches(&self, query: &str) -> bool {
        let q = query.trim();
        if q.is_empty() {
            return true;
        }
        let lower = q.to_lowercase();
        self.name.zh.contains(q)
            || self.pinyin.contains(&lower)
            || self.code.contains(&lower)
            || self.name.en.to_lowercase().contains(&lower)
            || self
                .aliases
                .iter()
                .any(|a| a.to_lowercase().contains(&lower))
    }

    /// The form's code, the key applications are stored under.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The field with this id.
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The material with this id.
    pub fn material(&self, id: &str) -> Option<&Material> {
        self.materials.iter().find(|m| m.id == id)
    }
}

/// Parses and checks one form file. `file_name` is used in problems and its
/// stem must equal the form's `code`. Every problem found is returned, not
/// just the first: every schema problem of the file (unknown keys, values of
/// the wrong kind), or, when the schema holds, every semantic one.
pub fn parse_form(file_name: &str, text: &str) -> Result<Form, Vec<Problem>> {
    // Windows editors may save UTF-8 with a byte-order mark; it is not content.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw = deserialize_all::<schema::RawForm>(FileKind::Form, file_name, text)?;
    check::build(file_name, text, raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal2_parses_and_prints() {
        assert_eq!(Decimal2::parse("12"), Some(Decimal2::from_hundredths(1200)));
        assert_eq!(
            Decimal2::parse("12.5"),
            Some(Decimal2::from_hundredths(1250))
        );
        assert_eq!(
            Decimal2::parse("-0.05"),
            Some(Decimal2::from_hundredths(-5))
        );
        assert_eq!(Decimal2::parse("1.234"), None);
        assert_eq!(Decimal2::parse("1."), None);
        assert_eq!(Decimal2::parse(".5"), None);
        assert_eq!(Decimal2::parse("abc"), None);
        assert_eq!(Decimal2::from_hundredths(1250).to_string(), "12.5");
        assert_eq!(Decimal2::from_hundredths(1205).to_string(), "12.05");
        assert_eq!(Decimal2::from_hundredths(-5).to_string(), "-0.05");
        assert_eq!(Decimal2::from_hundredths(100).to_string(), "1");
    }
}
