//! The form file as written: serde types that mirror the TOML, with spans so
//! that every later problem can name its line, and the translation of TOML
//! and serde errors into problems the clerk (or the administrator) can act on.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

use super::{ApplicantKind, Category, FieldKind, MaterialForm, Party, SlipKind, StepStart, Text};

/// The whole file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawForm {
    pub code: Spanned<String>,
    pub name: Text,
    pub pinyin: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub applicant: Vec<ApplicantKind>,
    pub category: Category,
    pub version: String,
    pub effective: Datetime,
    pub total_limit_working_days: Option<u32>,
    pub single_id: bool,
    #[serde(default)]
    pub fields: Vec<Spanned<RawField>>,
    #[serde(default)]
    pub materials: Vec<Spanned<RawMaterial>>,
    #[serde(default)]
    pub steps: Vec<Spanned<RawStep>>,
    #[serde(default)]
    pub fees: Vec<Spanned<RawFee>>,
    #[serde(default)]
    pub rights: Vec<Spanned<RawRight>>,
    #[serde(default)]
    pub contacts: Vec<Spanned<RawContact>>,
    #[serde(default)]
    pub duties: Vec<Spanned<RawDuty>>,
    #[serde(default)]
    pub slips: Vec<SlipKind>,
}

fn yes() -> bool {
    true
}

/// `[[fields]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawField {
    pub id: Spanned<String>,
    pub label: Text,
    pub kind: FieldKind,
    #[serde(default = "yes")]
    pub required: bool,
    pub min: Option<RawNumber>,
    pub max: Option<RawNumber>,
    pub max_len: Option<u32>,
    // Option, not a default empty list, so that `choices = []` on a
    // non-choice field is still seen as written.
    pub choices: Option<Vec<Spanned<RawChoice>>>,
    pub help: Option<Text>,
    pub default: Option<String>,
}

/// One of `choices`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChoice {
    pub id: Spanned<String>,
    pub label: Text,
}

/// `when` as written; the working days live in a sibling key.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(super) enum RawWhen {
    AtAcceptance,
    MayFollow,
}

/// `[[materials]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMaterial {
    pub id: Spanned<String>,
    pub name: Text,
    pub form: MaterialForm,
    pub when: RawWhen,
    pub follow_within_working_days: Option<u32>,
    pub any_of: Option<Vec<Spanned<RawAlternative>>>,
    pub note: Option<Text>,
    pub applies_to: Option<Vec<Party>>,
    /// How long it serves later applications once on the customer's file.
    pub keep: Option<super::Keep>,
}

/// One of `any_of`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAlternative {
    pub id: Spanned<String>,
    pub name: Text,
    pub form: Option<MaterialForm>,
}

/// `[[steps]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    pub id: Spanned<String>,
    pub name: Text,
    pub limit_working_days: u32,
    pub starts_from: StepStart,
    pub description: Text,
    pub who: Option<Text>,
}

/// `[[fees]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFee {
    pub id: Spanned<String>,
    pub name: Text,
    pub amount_fen: Option<i64>,
    pub amount_text: Option<Text>,
    pub basis: Text,
    pub payer: Option<Text>,
}

/// `[[rights]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRight {
    pub id: Spanned<String>,
    pub text: Text,
}

/// `[[contacts]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContact {
    pub id: Spanned<String>,
    pub name: Text,
    pub phone: String,
}

/// `[[duties]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDuty {
    pub id: Spanned<String>,
    pub text: Text,
}

/// A bound as written: TOML integer or float. Kept apart from `Decimal2` so
/// that "too many decimals" becomes a problem with a line, not a parse abort.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum RawNumber {
    Int(i64),
    Float(f64),
}

impl RawNumber {
    /// The bound as an exact decimal; `None` when it has more than two
    /// decimals or is out of range.
    pub(super) fn to_decimal(self) -> Option<super::Decimal2> {
        match self {
            RawNumber::Int(i) => i.checked_mul(100).map(super::Decimal2::from_hundredths),
            RawNumber::Float(x) => {
                // A TOML float such as 1.15 is not exact in binary; accept it when
                // it is within rounding noise of a whole number of hundredths.
                let scaled = x * 100.0;
                let rounded = scaled.round();
                let exact = (scaled - rounded).abs() <= 1e-6;
                (rounded.is_finite() && rounded.abs() < 9.0e15 && exact)
                    .then(|| super::Decimal2::from_hundredths(rounded as i64))
            }
        }
    }
}

/// A TOML date without time or offset, as a calendar date.
pub(super) fn effective_date(dt: &Datetime) -> Option<chrono::NaiveDate> {
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => {
            chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        _ => None,
    }
}

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number such as 1 or 2.5")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNumber, E> {
                Ok(RawNumber::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNumber, E> {
                i64::try_from(v)
                    .map(RawNumber::Int)
                    .map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNumber, E> {
                Ok(RawNumber::Float(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl fmt::Display for RawNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawNumber::Int(i) => write!(f, "{i}"),
            RawNumber::Float(x) => write!(f, "{x}"),
        }
    }
}
