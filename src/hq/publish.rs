//! What `hq publish` takes: every item of the file is checked against the
//! forms before any is published — states and classes counters know,
//! dates they can read, business types that exist, case steps by their id
//! or by a name that means one step only (`业务受理` becomes `accept`) —
//! and every item that fails is named with its line, so nothing reaches a
//! counter that it would have to hold.

use std::collections::BTreeSet;

use serde_json::value::RawValue;

use crate::domain::form::Form;
use crate::domain::msg::Msg;
use crate::domain::problem::Problem;
use crate::domain::states::{StepStatus, SupplyState};
use crate::domain::upload::FeedData;
use crate::msg;
use crate::store::codes::Code;

/// The items of `text` (a JSON array), checked; case steps named by their
/// name are given their id. Or every problem, each at its item's line.
pub fn check(file: &str, text: &str, forms: &[Form]) -> Result<Vec<FeedData>, Vec<Problem>> {
    // Borrowed, so each item is a slice of `text` and its line can be told.
    let raws: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| {
        let m = msg!("hq.publish_not_array", detail = e);
        vec![Problem::new(file, Some(e.line()), m)]
    })?;
    let mut items = Vec::with_capacity(raws.len());
    let mut problems = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let line = line_of(text, raw.get());
        let problem = |m: Msg| Problem::new(file, Some(line), m.arg("item", i + 1));
        match serde_json::from_str::<FeedData>(raw.get()) {
            Err(e) => problems.push(problem(msg!("hq.publish_item_unreadable", detail = e))),
            Ok(item) => match checked(item, forms) {
                Ok(item) => items.push(item),
                Err(m) => problems.push(problem(m)),
            },
        }
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(problems)
    }
}

/// The line `part` (a slice of `text`) starts on.
fn line_of(text: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

fn is_day(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

fn checked(item: FeedData, forms: &[Form]) -> Result<FeedData, Msg> {
    match item {
        FeedData::Account { ref state, .. } if SupplyState::from_code(state).is_none() => {
            Err(msg!(
                "hq.publish_unknown_value",
                field = "state",
                value = state,
                allowed = codes::<SupplyState>()
            ))
        }
        FeedData::Bill { ref class, .. } if !matches!(class.as_str(), "residential" | "other") => {
            Err(msg!(
                "hq.publish_unknown_value",
                field = "class",
                value = class,
                allowed = "residential, other"
            ))
        }
        FeedData::Bill { ref due_date, .. } if !is_day(due_date) => Err(msg!(
            "hq.publish_bad_date",
            field = "due_date",
            value = due_date
        )),
        FeedData::Bill { arrears_fen, .. } if arrears_fen < 0 => {
            Err(msg!("hq.publish_negative", value = arrears_fen))
        }
        FeedData::Case { ref form, .. } if !forms.iter().any(|f| f.code == *form) => {
            Err(msg!("hq.publish_unknown_form", form = form))
        }
        FeedData::Case {
            due_date: Some(ref d),
            ..
        } if !is_day(d) => Err(msg!("hq.publish_bad_date", field = "due_date", value = d)),
        FeedData::CaseStep { ref state, .. } if StepStatus::from_code(state).is_none() => {
            Err(msg!(
                "hq.publish_unknown_value",
                field = "state",
                value = state,
                allowed = codes::<StepStatus>()
            ))
        }
        FeedData::CaseStep { ref at, .. } if chrono::DateTime::parse_from_rfc3339(at).is_err() => {
            Err(msg!("hq.publish_bad_time", value = at))
        }
        FeedData::CaseStep {
            ticket,
            step,
            state,
            at,
            note,
        } => Ok(FeedData::CaseStep {
            ticket,
            step: step_id(&step, forms)?,
            state,
            at,
            note,
        }),
        other => Ok(other),
    }
}

/// The step id `named` means: an id some form has, or a name (Chinese or
/// English) that only one step id carries across the forms.
fn step_id(named: &str, forms: &[Form]) -> Result<String, Msg> {
    let named = named.trim();
    let steps = || forms.iter().flat_map(|f| f.steps.iter());
    if steps().any(|s| s.id == named) {
        return Ok(named.to_string());
    }
    let ids: BTreeSet<&str> = steps()
        .filter(|s| s.name.zh == named || s.name.en.eq_ignore_ascii_case(named))
        .map(|s| s.id.as_str())
        .collect();
    match ids.len() {
        1 => Ok(ids.into_iter().next().unwrap_or_default().to_string()),
        0 => Err(msg!("hq.publish_unknown_step", step = named)),
        _ => {
            let ids: Vec<&str> = ids.into_iter().collect();
            Err(msg!(
                "hq.publish_ambiguous_step",
                step = named,
                ids = ids.join(", ")
            ))
        }
    }
}

fn codes<C: Code>() -> String {
    C::ALL
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(", ")
}
