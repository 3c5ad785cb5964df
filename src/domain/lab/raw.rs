//! The scenario file as written: serde types mirroring the TOML, with spans
//! where a later check needs to name a line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

use super::scenario::{Fault, Level, Skill};
use crate::domain::form::Text;

/// The whole file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScenario {
    pub title: Text,
    pub brief: Text,
    pub level: Level,
    pub start: Spanned<Datetime>,
    pub time_target_seconds: u32,
    pub relay_from: Option<Spanned<String>>,
    #[serde(default)]
    pub faults: Vec<Fault>,
    #[serde(default)]
    pub fault_notes: Vec<Text>,
    #[serde(default)]
    pub hints: Vec<Text>,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub weights: RawWeights,
    pub customer: RawCustomer,
    #[serde(default)]
    pub seed: RawSeed,
    pub expect: Vec<Spanned<RawExpect>>,
}

/// `[weights]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWeights {
    pub hint: Option<i64>,
    pub per_minute_over: Option<i64>,
    pub max_time_penalty: Option<i64>,
    pub refused_input: Option<i64>,
}

/// `[customer]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCustomer {
    pub persona: Text,
    pub name: String,
    pub id_number: Spanned<String>,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    pub documents: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub says: Vec<Spanned<RawLine>>,
    #[serde(default)]
    pub answers: Vec<RawAnswer>,
    #[serde(default)]
    pub card: RawCard,
}

/// `card`: whether the customer's ID card is on the panel from the start
/// or only once the trainee asks for it (a scenario whose trap is the
/// number).
#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(super) enum RawCard {
    #[default]
    Shown,
    OnRequest,
}

/// `[[customer.says]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLine {
    pub after: Option<String>,
    pub text: Text,
}

/// `[[customer.answers]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAnswer {
    pub id: Option<String>,
    pub ask: Text,
    pub answer: Text,
}

/// `[seed]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSeed {
    pub shift_float: Option<Spanned<String>>,
    #[serde(default)]
    pub customers: Vec<Spanned<RawSeedCustomer>>,
    #[serde(default)]
    pub accounts: Vec<Spanned<RawSeedAccount>>,
    #[serde(default)]
    pub bills: Vec<Spanned<RawSeedBill>>,
    #[serde(default)]
    pub applications: Vec<Spanned<RawSeedApplication>>,
    #[serde(default)]
    pub payments: Vec<Spanned<RawSeedPayment>>,
}

/// `[[seed.customers]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSeedCustomer {
    pub name: String,
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
}

/// `[[seed.accounts]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSeedAccount {
    pub number: String,
    pub holder: String,
    pub holder_name: String,
    pub address: String,
    #[serde(default = "normal")]
    pub state: String,
}

fn normal() -> String {
    "normal".into()
}

/// `[[seed.bills]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSeedBill {
    pub account: String,
    pub period: String,
    pub amount: String,
    pub due_date: Datetime,
}

/// `[[seed.applications]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSeedApplication {
    pub customer: String,
    pub form: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// `[[seed.payments]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSeedPayment {
    pub account: String,
    pub period: String,
    pub tendered: String,
}

/// What an `[[expect]]` item is about.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(super) enum RawWhat {
    Customer,
    NoCustomer,
    Application,
    NoApplication,
    Payment,
    FeePaid,
    NoPayment,
    Reversal,
    Slip,
    Refused,
    ShiftClosed,
    Asked,
}

/// `[[expect]]`: one flat table; which keys belong depends on `what`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExpect {
    pub id: String,
    pub what: RawWhat,
    pub skill: Skill,
    pub points: i64,
    pub label: Option<Text>,
    pub id_number: Option<String>,
    pub signed_off: Option<bool>,
    pub form: Option<String>,
    pub fields: Option<BTreeMap<String, String>>,
    pub received: Option<Vec<String>>,
    pub owed: Option<Vec<String>>,
    pub duplicate: Option<bool>,
    pub account: Option<String>,
    pub period: Option<String>,
    pub total: Option<String>,
    pub late_fee: Option<String>,
    pub tendered: Option<String>,
    pub change: Option<String>,
    pub amount: Option<String>,
    pub method: Option<String>,
    pub kind: Option<String>,
    pub at_least: Option<u32>,
    pub key: Option<String>,
    pub ask: Option<String>,
    pub over_short: Option<String>,
}
