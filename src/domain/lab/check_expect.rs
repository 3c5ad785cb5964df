//! The `[[expect]]` items of a scenario: each kind's keys, stray keys,
//! amounts, and the forms, fields and materials they name.

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

use super::check::Checker;
use super::raw::{RawExpect, RawWhat};
use super::scenario::{Expect, Expectation};
use crate::domain::money::{Fen, Method};
use crate::msg;

/// The slip kinds an expectation may name.
const SLIP_KINDS: &[&str] = &[
    "acceptance_receipt",
    "disclosure_notice",
    "progress_slip",
    "payment_receipt",
    "reversal_slip",
    "refund_slip",
    "settlement_report",
];

impl Checker<'_> {
    pub(super) fn expectations(&mut self, raw: &[toml::Spanned<RawExpect>]) -> Vec<Expectation> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        if raw.is_empty() {
            self.push(1, msg!("lab.no_expectations"));
        }
        for e in raw {
            let span = e.span();
            let e = e.get_ref();
            if !seen.insert(e.id.clone()) {
                let line = self.key_line(&span, "id");
                self.push(line, msg!("lab.duplicate_id", id = e.id));
            }
            if e.points < 0 {
                let line = self.key_line(&span, "points");
                self.push(line, msg!("lab.negative_points"));
            }
            self.stray_keys(&span, e);
            let what = self.expect(&span, e);
            if matches!(what, Expect::Refused { .. }) && e.label.is_none() {
                let line = self.line(&span);
                self.push(line, msg!("lab.refused_needs_label"));
            }
            out.push(Expectation {
                id: e.id.clone(),
                points: e.points,
                skill: e.skill,
                label: e.label.clone(),
                what,
            });
        }
        out
    }

    /// Keys given that the kind of expectation does not use.
    fn stray_keys(&mut self, span: &Range<usize>, e: &RawExpect) {
        let allowed: &[&str] = match e.what {
            RawWhat::Customer => &["id_number", "signed_off"],
            RawWhat::NoCustomer => &["id_number"],
            RawWhat::Application => &["form", "fields", "received", "owed", "duplicate"],
            RawWhat::NoApplication => &["form"],
            RawWhat::Payment => &[
                "account", "period", "total", "late_fee", "tendered", "change", "method",
            ],
            RawWhat::FeePaid => &["form", "amount"],
            RawWhat::NoPayment | RawWhat::Reversal => &["account"],
            RawWhat::Slip => &["kind", "at_least"],
            RawWhat::Refused => &["key"],
            RawWhat::ShiftClosed => &["over_short"],
            RawWhat::Asked => &["ask"],
        };
        let given: [(&str, bool); 20] = [
            ("id_number", e.id_number.is_some()),
            ("signed_off", e.signed_off.is_some()),
            ("form", e.form.is_some()),
            ("fields", e.fields.is_some()),
            ("received", e.received.is_some()),
            ("owed", e.owed.is_some()),
            ("duplicate", e.duplicate.is_some()),
            ("account", e.account.is_some()),
            ("period", e.period.is_some()),
            ("total", e.total.is_some()),
            ("late_fee", e.late_fee.is_some()),
            ("tendered", e.tendered.is_some()),
            ("change", e.change.is_some()),
            ("amount", e.amount.is_some()),
            ("method", e.method.is_some()),
            ("kind", e.kind.is_some()),
            ("at_least", e.at_least.is_some()),
            ("key", e.key.is_some()),
            ("over_short", e.over_short.is_some()),
            ("ask", e.ask.is_some()),
        ];
        for (key, present) in given {
            if present && !allowed.contains(&key) {
                let line = self.key_line(span, key);
                self.push(
                    line,
                    msg!("lab.stray_key", key = key, allowed = allowed.join(", ")),
                );
            }
        }
    }

    fn need(&mut self, span: &Range<usize>, key: &str, v: &Option<String>) -> String {
        match v {
            Some(v) if !v.trim().is_empty() => v.clone(),
            _ => {
                let line = self.line(span);
                self.push(line, msg!("lab.missing_key", key = key));
                String::new()
            }
        }
    }

    fn opt_amount(&mut self, span: &Range<usize>, key: &str, v: &Option<String>) -> Option<Fen> {
        v.as_ref().map(|t| {
            let line = self.key_line(span, key);
            self.amount(line, key, t)
        })
    }

    fn expect(&mut self, span: &Range<usize>, e: &RawExpect) -> Expect {
        match e.what {
            RawWhat::Customer => Expect::Customer {
                id_number: self.need(span, "id_number", &e.id_number),
                signed_off: e.signed_off.unwrap_or(false),
            },
            RawWhat::NoCustomer => Expect::NoCustomer {
                id_number: self.need(span, "id_number", &e.id_number),
            },
            RawWhat::Application => {
                let form = self.need(span, "form", &e.form);
                let fields = e.fields.clone().unwrap_or_default();
                let received = e.received.clone().unwrap_or_default();
                let owed = e.owed.clone().unwrap_or_default();
                if !form.is_empty() && self.form_and_fields(span, &form, fields.keys()) {
                    self.materials(span, &form, received.iter().chain(owed.iter()));
                }
                Expect::Application {
                    form,
                    fields,
                    received,
                    owed,
                    duplicate: e.duplicate.unwrap_or(false),
                }
            }
            RawWhat::NoApplication => {
                let form = self.need(span, "form", &e.form);
                if !form.is_empty() {
                    self.form_and_fields(span, &form, std::iter::empty());
                }
                Expect::NoApplication { form }
            }
            RawWhat::Payment => {
                let method = e.method.as_ref().and_then(|m| {
                    let found = Method::from_code(m);
                    if found.is_none() {
                        let line = self.key_line(span, "method");
                        self.push(line, msg!("lab.unknown_method", value = m));
                    }
                    found
                });
                Expect::Payment {
                    account: self.need(span, "account", &e.account),
                    period: e.period.clone(),
                    total: self.opt_amount(span, "total", &e.total),
                    late_fee: self.opt_amount(span, "late_fee", &e.late_fee),
                    tendered: self.opt_amount(span, "tendered", &e.tendered),
                    change: self.opt_amount(span, "change", &e.change),
                    method,
                }
            }
            RawWhat::FeePaid => {
                let form = self.need(span, "form", &e.form);
                if !form.is_empty() {
                    self.form_and_fields(span, &form, std::iter::empty());
                }
                Expect::FeePaid {
                    form,
                    amount: self.opt_amount(span, "amount", &e.amount),
                }
            }
            RawWhat::NoPayment => Expect::NoPayment {
                account: self.need(span, "account", &e.account),
            },
            RawWhat::Reversal => Expect::Reversal {
                account: self.need(span, "account", &e.account),
            },
            RawWhat::Slip => {
                let kind = self.need(span, "kind", &e.kind);
                if !kind.is_empty() && !SLIP_KINDS.contains(&kind.as_str()) {
                    let line = self.key_line(span, "kind");
                    self.push(
                        line,
                        msg!(
                            "lab.unknown_slip",
                            value = kind,
                            allowed = SLIP_KINDS.join(", ")
                        ),
                    );
                }
                Expect::Slip {
                    kind,
                    at_least: e.at_least.unwrap_or(1).max(1),
                }
            }
            RawWhat::Refused => Expect::Refused {
                key: self.need(span, "key", &e.key),
            },
            // The question's words are filled in once the customer is read.
            RawWhat::Asked => Expect::Asked {
                ask: self.need(span, "ask", &e.ask),
                question: crate::domain::form::Text {
                    zh: String::new(),
                    en: String::new(),
                },
            },
            RawWhat::ShiftClosed => {
                let text = e.over_short.clone().unwrap_or_else(|| "0".into());
                let (neg, digits) = match text.trim().strip_prefix('-') {
                    Some(rest) => (true, rest.to_string()),
                    None => (false, text.trim().to_string()),
                };
                let line = self.key_line(span, "over_short");
                let f = self.amount(line, "over_short", &digits);
                Expect::ShiftClosed {
                    over_short: if neg { Fen(-f.0) } else { f },
                }
            }
        }
    }

    fn materials<'k>(
        &mut self,
        span: &Range<usize>,
        code: &str,
        ids: impl Iterator<Item = &'k String>,
    ) {
        let Some(form) = self.form(code) else { return };
        let known: BTreeSet<String> = form.materials.iter().map(|m| m.id.clone()).collect();
        let mut bad = Vec::new();
        for id in ids {
            if !known.contains(id) {
                bad.push(id.clone());
            }
        }
        let allowed = known.into_iter().collect::<Vec<_>>().join(", ");
        for id in bad {
            let line = self
                .key_line(span, "received")
                .max(self.key_line(span, "owed"));
            self.push(
                line,
                msg!(
                    "lab.unknown_material",
                    id = id,
                    form = code,
                    allowed = allowed
                ),
            );
        }
    }
}
