//! Checks a scenario file against the forms and turns it into a
//! [`Scenario`]: every problem of the file at once, each with its line and
//! what to write instead.

use std::collections::HashSet;
use std::ops::Range;

use chrono::{NaiveDate, NaiveDateTime};
use toml::value::Datetime;

use super::raw::RawScenario;
use super::scenario::*;
use crate::domain::form::Form;
use crate::domain::money::{parse_amount, Fen};
use crate::domain::msg::Msg;
use crate::domain::problem::{line_at, top_key_line, FileKind, Problem};
use crate::msg;

/// Supply states HQ sends for an account.
const ACCOUNT_STATES: &[&str] = &["normal", "cut_off", "suspended", "closed"];

/// Reads and checks one scenario file; `id` is its stem.
pub fn parse(file: &str, id: &str, text: &str, forms: &[Form]) -> Result<Scenario, Vec<Problem>> {
    let raw =
        crate::domain::problem::deserialize_all::<RawScenario>(FileKind::Scenario, file, text)?;
    let mut c = Checker {
        file,
        text,
        forms,
        problems: Vec::new(),
    };
    let scenario = c.convert(id, raw);
    if c.problems.is_empty() {
        Ok(scenario)
    } else {
        let mut p = c.problems;
        p.sort_by_key(|p| p.line);
        Err(p)
    }
}

/// Checks across scenarios: a relay station must name one that exists.
pub fn check_set(scenarios: &[(String, Scenario)]) -> Vec<Problem> {
    let ids: HashSet<&str> = scenarios.iter().map(|(_, s)| s.id.as_str()).collect();
    let mut out = Vec::new();
    for (file, s) in scenarios {
        if let Some(from) = &s.relay_from {
            if !ids.contains(from.as_str()) || from == &s.id {
                out.push(Problem::new(
                    file,
                    None,
                    msg!("lab.relay_unknown", id = from),
                ));
            }
        }
    }
    out
}

pub(super) struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    forms: &'a [Form],
    problems: Vec<Problem>,
}

impl Checker<'_> {
    pub(super) fn push(&mut self, line: usize, m: Msg) {
        self.problems.push(Problem::new(self.file, Some(line), m));
    }

    pub(super) fn line(&self, span: &Range<usize>) -> usize {
        line_at(self.text.as_bytes(), span.start)
    }

    /// The line of `key = ` inside an item that starts at `span`.
    pub(super) fn key_line(&self, span: &Range<usize>, key: &str) -> usize {
        let start = self.line(span);
        let body = self.text.get(span.clone()).unwrap_or("");
        body.lines()
            .position(|l| crate::domain::problem::starts_with_key(l.trim_start(), key))
            .map(|i| start + i)
            .unwrap_or(start)
    }

    pub(super) fn form(&self, code: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.code == code)
    }

    pub(super) fn amount(&mut self, line: usize, key: &str, text: &str) -> Fen {
        match parse_amount(text, Fen(10_000_000_000)) {
            Ok(f) => f,
            Err(_) => {
                self.push(line, msg!("lab.bad_amount", key = key, value = text));
                Fen(0)
            }
        }
    }

    fn convert(&mut self, id: &str, raw: RawScenario) -> Scenario {
        let start = match local_datetime(raw.start.get_ref()) {
            Some(t) => t,
            None => {
                let line = self.line(&raw.start.span());
                self.push(line, msg!("lab.bad_start"));
                NaiveDateTime::default()
            }
        };
        let weights = self.weights(&raw);
        let expect = self.expectations(&raw.expect);
        let ids: HashSet<String> = expect.iter().map(|e| e.id.clone()).collect();
        let mut expect = expect;
        let customer = self.customer(raw.customer, &ids);
        // An expectation that a question was asked names one the customer has.
        for (e, r) in expect.iter_mut().zip(&raw.expect) {
            if let Expect::Asked { ask, question } = &mut e.what {
                match customer
                    .answers
                    .iter()
                    .find(|a| a.id.as_deref() == Some(ask.as_str()))
                {
                    Some(a) => *question = a.ask.clone(),
                    None => {
                        let line = self.key_line(&r.span(), "ask");
                        self.push(line, msg!("lab.unknown_ask", id = ask));
                    }
                }
            }
        }
        let seed = self.seed(raw.seed);
        if raw.model.trim().is_empty() {
            let line = top_key_line(self.text, "model").unwrap_or(1);
            self.push(line, msg!("lab.no_model"));
        }
        if raw.faults.contains(&Fault::CounterfeitNote) && raw.fault_notes.is_empty() {
            let line = top_key_line(self.text, "faults").unwrap_or(1);
            self.push(line, msg!("lab.fault_needs_note"));
        }
        Scenario {
            id: id.to_string(),
            title: raw.title,
            brief: raw.brief,
            level: raw.level,
            start,
            time_target_seconds: raw.time_target_seconds,
            relay_from: raw.relay_from.map(|r| r.into_inner()),
            customer,
            seed,
            faults: raw.faults,
            fault_notes: raw.fault_notes,
            hints: raw.hints,
            expect,
            weights,
            model: raw.model,
        }
    }

    fn weights(&mut self, raw: &RawScenario) -> Weights {
        let d = Weights::default();
        let w = &raw.weights;
        let out = Weights {
            hint: w.hint.unwrap_or(d.hint),
            per_minute_over: w.per_minute_over.unwrap_or(d.per_minute_over),
            max_time_penalty: w.max_time_penalty.unwrap_or(d.max_time_penalty),
            refused_input: w.refused_input.unwrap_or(d.refused_input),
        };
        if [
            out.hint,
            out.per_minute_over,
            out.max_time_penalty,
            out.refused_input,
        ]
        .iter()
        .any(|v| *v < 0)
        {
            let line = top_key_line(self.text, "weights").unwrap_or(1);
            self.push(line, msg!("lab.negative_weight"));
        }
        out
    }

    fn customer(&mut self, raw: super::raw::RawCustomer, ids: &HashSet<String>) -> Customer {
        let known = known_documents(self.forms);
        let mut documents = Vec::new();
        if let Some(docs) = raw.documents {
            let doc_line = self.line(&docs.span());
            for d in docs.into_inner() {
                if !known.contains(d.as_str()) {
                    self.push(doc_line, msg!("lab.unknown_document", id = d));
                }
                documents.push(d);
            }
        }
        let mut says = Vec::new();
        for l in raw.says {
            let span = l.span();
            let l = l.into_inner();
            if let Some(after) = &l.after {
                if !ids.contains(after) {
                    let line = self.key_line(&span, "after");
                    self.push(line, msg!("lab.unknown_after", id = after));
                }
            }
            says.push(Line {
                after: l.after,
                text: l.text,
            });
        }
        Customer {
            persona: raw.persona,
            name: raw.name,
            id_number: raw.id_number.into_inner(),
            phone: raw.phone,
            address: raw.address,
            documents,
            says,
            answers: raw
                .answers
                .into_iter()
                .map(|a| Answer {
                    id: a.id,
                    ask: a.ask,
                    answer: a.answer,
                })
                .collect(),
            card_on_request: raw.card == super::raw::RawCard::OnRequest,
        }
    }

    fn seed(&mut self, raw: super::raw::RawSeed) -> Seed {
        let mut seed = Seed::default();
        if let Some(f) = &raw.shift_float {
            let line = self.line(&f.span());
            seed.shift_float = Some(self.amount(line, "shift_float", f.get_ref()));
        }
        for c in raw.customers {
            let c = c.into_inner();
            seed.customers.push(SeedCustomer {
                name: c.name,
                id_number: c.id_number,
                phone: c.phone,
                address: c.address,
            });
        }
        for a in raw.accounts {
            let span = a.span();
            let a = a.into_inner();
            if !ACCOUNT_STATES.contains(&a.state.as_str()) {
                let line = self.key_line(&span, "state");
                let allowed = ACCOUNT_STATES.join(", ");
                self.push(
                    line,
                    msg!("lab.unknown_state", value = a.state, allowed = allowed),
                );
            }
            seed.accounts.push(SeedAccount {
                number: a.number,
                holder: a.holder,
                holder_name: a.holder_name,
                address: a.address,
                state: a.state,
            });
        }
        let accounts: HashSet<String> = seed.accounts.iter().map(|a| a.number.clone()).collect();
        for b in raw.bills {
            let span = b.span();
            let b = b.into_inner();
            let line = self.line(&span);
            if !accounts.contains(&b.account) {
                self.push(line, msg!("lab.unknown_account", account = b.account));
            }
            let amount = self.amount(self.key_line(&span, "amount"), "amount", &b.amount);
            let due_date = local_date(&b.due_date).unwrap_or_else(|| {
                self.push(self.key_line(&span, "due_date"), msg!("lab.bad_date"));
                NaiveDate::default()
            });
            seed.bills.push(SeedBill {
                account: b.account,
                period: b.period,
                amount,
                due_date,
            });
        }
        let customers: HashSet<String> =
            seed.customers.iter().map(|c| c.id_number.clone()).collect();
        for a in raw.applications {
            let span = a.span();
            let a = a.into_inner();
            if !customers.contains(&a.customer) {
                let line = self.key_line(&span, "customer");
                self.push(line, msg!("lab.unknown_seed_customer", id = a.customer));
            }
            self.form_and_fields(&span, &a.form, a.fields.keys());
            seed.applications.push(SeedApplication {
                customer: a.customer,
                form: a.form,
                fields: a.fields,
            });
        }
        for p in raw.payments {
            let span = p.span();
            let p = p.into_inner();
            if !seed
                .bills
                .iter()
                .any(|b| b.account == p.account && b.period == p.period)
            {
                let line = self.line(&span);
                self.push(
                    line,
                    msg!("lab.unknown_bill", account = p.account, period = p.period),
                );
            }
            if seed.shift_float.is_none() {
                let line = self.line(&span);
                self.push(line, msg!("lab.payment_needs_shift"));
            }
            let tendered = self.amount(self.key_line(&span, "tendered"), "tendered", &p.tendered);
            seed.payments.push(SeedPayment {
                account: p.account,
                period: p.period,
                tendered,
            });
        }
        seed
    }

    /// Reports a form the forms lack, or fields it does not have.
    pub(super) fn form_and_fields<'k>(
        &mut self,
        span: &Range<usize>,
        code: &str,
        fields: impl Iterator<Item = &'k String>,
    ) -> bool {
        let Some(form) = self.form(code) else {
            let line = self.key_line(span, "form");
            self.push(line, msg!("lab.unknown_form", form = code));
            return false;
        };
        let known: Vec<String> = form.fields.iter().map(|f| f.id.clone()).collect();
        for f in fields {
            if !known.contains(f) {
                let line = self.key_line(span, "fields");
                let allowed = known.join(", ");
                self.push(
                    line,
                    msg!(
                        "lab.unknown_field",
                        field = f,
                        form = code,
                        allowed = allowed
                    ),
                );
            }
        }
        true
    }
}

/// Every material and alternative document id of the forms.
fn known_documents(forms: &[Form]) -> HashSet<&str> {
    let mut out = HashSet::new();
    for f in forms {
        for m in &f.materials {
            out.insert(m.id.as_str());
            for a in &m.any_of {
                out.insert(a.id.as_str());
            }
        }
    }
    out
}

/// A TOML local date-time (no offset) as a chrono value.
fn local_datetime(d: &Datetime) -> Option<NaiveDateTime> {
    if d.offset.is_some() || d.date.is_none() || d.time.is_none() {
        return None;
    }
    NaiveDateTime::parse_from_str(&d.to_string(), "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&d.to_string(), "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
}

/// A TOML local date as a chrono value.
fn local_date(d: &Datetime) -> Option<NaiveDate> {
    if d.time.is_some() || d.offset.is_some() {
        return None;
    }
    NaiveDate::parse_from_str(&d.to_string(), "%Y-%m-%d").ok()
}
