//! Scoring a run from what it left on record: each expectation met or
//! missed with one line saying why, then the points lost for hints, time
//! and refused inputs. Pure: the same facts always give the same sheet.

use std::collections::BTreeMap;

use super::facts::{Facts, PaymentFact, RunStats};
use super::scenario::{Expect, Expectation, Scenario, Skill};
use crate::domain::form::{Form, Text};
use crate::domain::money::Fen;
use crate::domain::msg::Msg;
use crate::domain::states::PaymentKind;
use crate::msg;

/// One expectation on the score sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreLine {
    /// The expectation's id.
    pub id: String,
    /// The skill it tests.
    pub skill: Skill,
    /// What was expected.
    pub what: Msg,
    /// Points it is worth.
    pub points: i64,
    /// Points scored (all or nothing).
    pub got: i64,
    /// Why it was met or missed.
    pub why: Msg,
}

impl ScoreLine {
    /// Whether it was met.
    pub fn met(&self) -> bool {
        self.got == self.points
    }
}

/// Points lost beside the expectations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduction {
    pub what: Msg,
    /// Points lost.
    pub points: i64,
}

/// The whole score sheet of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreSheet {
    /// One line per expectation, in the scenario's order.
    pub lines: Vec<ScoreLine>,
    /// Points lost for hints, time and refused inputs.
    pub deductions: Vec<Deduction>,
    /// Most points possible.
    pub max: i64,
    /// Points scored, never below zero.
    pub total: i64,
    /// Time used.
    pub elapsed_ms: u64,
    /// Time target.
    pub target_seconds: u32,
    /// Keys pressed.
    pub keys: u32,
    /// Inputs the workstation refused.
    pub refusals: usize,
    /// Hints asked for.
    pub hints: u32,
    /// Over/short at the close, when the shift was closed.
    pub over_short: Option<Fen>,
}

impl ScoreSheet {
    /// Time against the target, keys, refused inputs and hints, in one line.
    pub fn facts_msg(&self) -> Msg {
        msg!(
            "lab.sheet_facts",
            used = minutes_seconds(self.elapsed_ms),
            target = minutes_seconds(u64::from(self.target_seconds) * 1000),
            keys = self.keys,
            refusals = self.refusals,
            hints = self.hints
        )
    }

    /// Per skill: points scored and possible.
    pub fn by_skill(&self) -> BTreeMap<Skill, (i64, i64)> {
        let mut out: BTreeMap<Skill, (i64, i64)> = BTreeMap::new();
        for l in &self.lines {
            let e = out.entry(l.skill).or_default();
            e.0 += l.got;
            e.1 += l.points;
        }
        out
    }
}

/// A message that shows a scenario's own words in the reader's language.
pub fn text_msg(t: &Text) -> Msg {
    Msg::words(&t.zh, &t.en)
}

/// Scores a run.
pub fn score(s: &Scenario, facts: &Facts, run: &RunStats, forms: &[Form]) -> ScoreSheet {
    let mut lines = Vec::new();
    let mut expected_refusals = 0usize;
    for e in &s.expect {
        if let Expect::Refused { key } = &e.what {
            expected_refusals += run.refusals.iter().filter(|r| matches_key(r, key)).count();
        }
        let (what, outcome) = judge(e, facts, run, forms);
        let what = e.label.as_ref().map(text_msg).unwrap_or(what);
        let (got, why) = match outcome {
            Ok(()) => (e.points, msg!("lab.why_met")),
            Err(m) => (0, m),
        };
        lines.push(ScoreLine {
            id: e.id.clone(),
            skill: e.skill,
            what,
            points: e.points,
            got,
            why,
        });
    }
    let deductions = deductions(s, run, expected_refusals);
    let max = s.max_points();
    let scored: i64 = lines.iter().map(|l| l.got).sum();
    let lost: i64 = deductions.iter().map(|d| d.points).sum();
    ScoreSheet {
        lines,
        deductions,
        max,
        total: (scored - lost).max(0),
        elapsed_ms: run.elapsed_ms,
        target_seconds: s.time_target_seconds,
        keys: run.keys,
        refusals: run.refusals.len(),
        hints: run.hints,
        over_short: facts.closed_shifts.last().map(|c| c.over_short),
    }
}

/// Whether a refusal's catalogue key is the one expected (or under the
/// expected prefix ending in `.`).
pub fn matches_key(shown: &str, expected: &str) -> bool {
    if expected.ends_with('.') {
        shown.starts_with(expected)
    } else {
        shown == expected
    }
}

fn deductions(s: &Scenario, run: &RunStats, expected_refusals: usize) -> Vec<Deduction> {
    let w = s.weights;
    let mut out = Vec::new();
    if run.hints > 0 && w.hint > 0 {
        out.push(Deduction {
            what: msg!("lab.d_hints", n = run.hints, each = w.hint),
            points: i64::from(run.hints) * w.hint,
        });
    }
    let target_ms = u64::from(s.time_target_seconds) * 1000;
    if run.elapsed_ms > target_ms && w.per_minute_over > 0 {
        let over_minutes = (run.elapsed_ms - target_ms).div_ceil(60_000) as i64;
        out.push(Deduction {
            what: msg!(
                "lab.d_time",
                used = minutes_seconds(run.elapsed_ms),
                target = minutes_seconds(target_ms),
                over = over_minutes
            ),
            points: (over_minutes * w.per_minute_over).min(w.max_time_penalty),
        });
    }
    let extra = run.refusals.len().saturating_sub(expected_refusals) as i64;
    if extra > 0 && w.refused_input > 0 {
        out.push(Deduction {
            what: msg!("lab.d_refused", n = extra, each = w.refused_input),
            points: extra * w.refused_input,
        });
    }
    out
}

/// "4:05" for 245,000 ms.
pub fn minutes_seconds(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

fn masked(id: &str) -> String {
    let n = id.chars().count();
    let tail: String = id.chars().skip(n.saturating_sub(4)).collect();
    format!("****{tail}")
}

type Outcome = Result<(), Msg>;

fn judge(e: &Expectation, f: &Facts, run: &RunStats, forms: &[Form]) -> (Msg, Outcome) {
    let forms_find = |code: &str| forms.iter().find(|x| x.code == code);
    let name = |code: &str| {
        forms_find(code)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| Text {
                zh: code.to_string(),
                en: code.to_string(),
            })
    };
    match &e.what {
        Expect::Customer {
            id_number,
            signed_off,
        } => {
            let what = if *signed_off {
                msg!("lab.x_customer_signed", id = masked(id_number))
            } else {
                msg!("lab.x_customer", id = masked(id_number))
            };
            let found = f
                .customers
                .iter()
                .find(|c| c.id_number.eq_ignore_ascii_case(id_number));
            let outcome = match found {
                None => Err(msg!("lab.why_no_customer")),
                Some(c) if *signed_off && !c.signed_off => Err(msg!("lab.why_not_signed_off")),
                Some(_) => Ok(()),
            };
            (what, outcome)
        }
        Expect::NoCustomer { id_number } => {
            let what = msg!("lab.x_no_customer", id = masked(id_number));
            let found = f
                .customers
                .iter()
                .any(|c| c.id_number.eq_ignore_ascii_case(id_number));
            (
                what,
                if found {
                    Err(msg!("lab.why_customer_registered"))
                } else {
                    Ok(())
                },
            )
        }
        Expect::Application {
            form,
            fields,
            received,
            owed,
            duplicate,
        } => {
            let n = name(form);
            let what = with_part(msg!("lab.x_application"), "form", text_msg(&n));
            let want = Wanted {
                fields,
                received,
                owed,
                duplicate: *duplicate,
            };
            (what, application(f, form, forms_find(form), &want))
        }
        Expect::NoApplication { form } => {
            let what = with_part(msg!("lab.x_no_application"), "form", text_msg(&name(form)));
            let made = f.applications.iter().find(|a| &a.form == form);
            let outcome = match made {
                Some(a) => Err(msg!("lab.why_application_made", ticket = a.ticket)),
                None => Ok(()),
            };
            (what, outcome)
        }
        Expect::Payment { account, .. } => {
            let what = msg!("lab.x_payment", account = account);
            (what, payment(f, &e.what))
        }
        Expect::FeePaid { form, amount } => {
            let what = with_part(msg!("lab.x_fee"), "form", text_msg(&name(form)));
            let p = f.payments.iter().find(|p| {
                p.kind == PaymentKind::Fee && !p.reversed && p.form.as_deref() == Some(form)
            });
            let outcome = match (p, amount) {
                (None, _) => Err(msg!("lab.why_no_fee")),
                (Some(p), Some(want)) if p.total() != *want => {
                    Err(amount_msg("lab.amount_total", *want, p.total()))
                }
                _ => Ok(()),
            };
            (what, outcome)
        }
        Expect::NoPayment { account } => {
            let what = msg!("lab.x_no_payment", account = account);
            let p = f
                .payments
                .iter()
                .find(|p| p.account.as_deref() == Some(account) && !p.reversed);
            let outcome = match p {
                Some(p) => Err(msg!("lab.why_paid_twice", receipt = p.receipt)),
                None => Ok(()),
            };
            (what, outcome)
        }
        Expect::Reversal { account } => {
            let what = msg!("lab.x_reversal", account = account);
            let done = f.reversed_seeded.iter().any(|a| a == account)
                || f.payments
                    .iter()
                    .any(|p| p.reversed && p.account.as_deref() == Some(account));
            (
                what,
                if done {
                    Ok(())
                } else {
                    Err(msg!("lab.why_no_reversal"))
                },
            )
        }
        Expect::Slip { kind, at_least } => {
            let what = with_part(msg!("lab.x_slip"), "kind", slip_name(kind));
            let got = f.slips.iter().filter(|s| &s.kind == kind).count() as u32;
            let outcome = if got >= *at_least {
                Ok(())
            } else {
                Err(msg!("lab.why_slip", got = got, want = at_least))
            };
            (what, outcome)
        }
        Expect::Refused { key } => {
            let what = msg!("lab.x_refused", key = key);
            let seen = run.refusals.iter().any(|r| matches_key(r, key));
            (
                what,
                if seen {
                    Ok(())
                } else {
                    Err(msg!("lab.why_not_refused"))
                },
            )
        }
        Expect::Asked { ask, question } => {
            let what = msg!("lab.x_asked").part("question", Msg::words(&question.zh, &question.en));
            let outcome = if run.asked.contains(ask) {
                Ok(())
            } else {
                Err(msg!("lab.why_not_asked"))
            };
            (what, outcome)
        }
        Expect::ShiftClosed { over_short } => {
            let what = msg!("lab.x_shift_closed", amount = over_short.yuan_string());
            let outcome = match f.closed_shifts.last() {
                None => Err(msg!("lab.why_shift_open")),
                Some(c) if c.over_short != *over_short => Err(amount_msg(
                    "lab.amount_over_short",
                    *over_short,
                    c.over_short,
                )),
                Some(_) => Ok(()),
            };
            (what, outcome)
        }
    }
}

/// `m` with `part` rendered in place of `{name}`.
fn with_part(mut m: Msg, name: &'static str, part: Msg) -> Msg {
    m.parts.push((name, part));
    m
}

/// A slip kind's name in the reader's language.
pub fn slip_name(kind: &str) -> Msg {
    let (zh, en) = match kind {
        "acceptance_receipt" => ("受理回执", "acceptance receipt"),
        "disclosure_notice" => ("业务办理告知书", "disclosure notice"),
        "progress_slip" => ("进度单", "progress slip"),
        "payment_receipt" => ("收费收据", "payment receipt"),
        "reversal_slip" => ("冲正单", "reversal slip"),
        "refund_slip" => ("退费单", "refund slip"),
        "settlement_report" => ("日终结算单", "settlement report"),
        other => (other, other),
    };
    Msg::words(zh, en)
}

fn amount_msg(what: &'static str, want: Fen, got: Fen) -> Msg {
    let m = msg!(
        "lab.why_amount",
        want = want.yuan_string(),
        got = got.yuan_string()
    );
    with_part(m, "what", Msg::new(what))
}

/// What an application expectation asks for.
struct Wanted<'a> {
    fields: &'a BTreeMap<String, String>,
    received: &'a [String],
    owed: &'a [String],
    duplicate: bool,
}

fn application(f: &Facts, form: &str, def: Option<&Form>, w: &Wanted) -> Outcome {
    let Some(a) = f.applications.iter().find(|a| a.form == form) else {
        return Err(msg!("lab.why_no_application"));
    };
    // Fields and materials are named as the form names them.
    let field_name = |id: &str| {
        def.and_then(|d| d.fields.iter().find(|x| x.id == id))
            .map(|x| text_msg(&x.label))
            .unwrap_or_else(|| Msg::words(id, id))
    };
    let material_name = |id: &str| {
        def.and_then(|d| d.materials.iter().find(|x| x.id == id))
            .map(|x| text_msg(&x.name))
            .unwrap_or_else(|| Msg::words(id, id))
    };
    for (id, want) in w.fields {
        let got = a.fields.get(id).map(String::as_str).unwrap_or("");
        if !same_value(got, want) {
            let m = msg!("lab.why_field", want = want, got = got);
            return Err(with_part(m, "field", field_name(id)));
        }
    }
    for m in w.received {
        if !a.received.contains(m) {
            return Err(with_part(
                msg!("lab.why_not_received"),
                "id",
                material_name(m),
            ));
        }
    }
    for m in w.owed {
        if !a.owed.contains(m) {
            return Err(with_part(msg!("lab.why_not_owed"), "id", material_name(m)));
        }
    }
    if w.duplicate && !a.duplicate {
        return Err(msg!("lab.why_not_duplicate"));
    }
    Ok(())
}

/// Field values compare as the clerk means them: numbers by value ("8" and
/// "8.00"), text without surrounding blanks.
fn same_value(got: &str, want: &str) -> bool {
    let (g, w) = (got.trim(), want.trim());
    if g == w {
        return true;
    }
    match (g.parse::<f64>(), w.parse::<f64>()) {
        (Ok(a), Ok(b)) => (a - b).abs() < 0.000_5,
        _ => false,
    }
}

fn payment(f: &Facts, e: &Expect) -> Outcome {
    let Expect::Payment {
        account,
        period,
        total,
        late_fee,
        tendered,
        change,
        method,
    } = e
    else {
        return Ok(());
    };
    let mine: Vec<&PaymentFact> = f
        .payments
        .iter()
        .filter(|p| {
            p.kind == PaymentKind::Bill
                && p.account.as_deref() == Some(account.as_str())
                && !p.reversed
        })
        .filter(|p| period.is_none() || p.period == *period)
        .collect();
    let Some(p) = mine.first() else {
        return Err(msg!("lab.why_no_payment"));
    };
    if let Some(w) = total {
        if p.total() != *w {
            return Err(amount_msg("lab.amount_total", *w, p.total()));
        }
    }
    if let Some(w) = late_fee {
        if p.late_fee != *w {
            return Err(amount_msg("lab.amount_late_fee", *w, p.late_fee));
        }
    }
    if let Some(w) = tendered {
        if p.tendered() != *w {
            return Err(amount_msg("lab.amount_tendered", *w, p.tendered()));
        }
    }
    if let Some(w) = change {
        if p.change != *w {
            return Err(amount_msg("lab.amount_change", *w, p.change));
        }
    }
    if let Some(w) = method {
        if !p.tenders.iter().any(|t| t.method == *w) {
            let got = p
                .tenders
                .first()
                .map(|t| t.method.label())
                .unwrap_or_else(|| Msg::words("-", "-"));
            let m = with_part(msg!("lab.why_method"), "want", w.label());
            return Err(with_part(m, "got", got));
        }
    }
    Ok(())
}
