//! What an accepted application will owe and when: each step's due date and
//! each owed material's deadline, in working days from the calendar.

use chrono::NaiveDate;

use crate::domain::calendar::{Calendar, Due};
use crate::domain::form::{ApplicantKind, Form, MaterialDue, MaterialForm, StepStart, Text};
use crate::domain::msg::Msg;

/// One step with its planned due date. Steps that start from a later event
/// (the customer's request, a passed inspection) have no date yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    /// Step id from the form.
    pub id: String,
    pub name: Text,
    /// Limit in working days.
    pub limit: u32,
    /// What the count starts from.
    pub starts_from: StepStart,
    /// Due date, when it can be known at acceptance.
    pub due: Option<Due>,
}

/// One material the application needs, with its deadline if it may follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMaterial {
    /// Material id from the form.
    pub id: String,
    /// Name (an any-one-of group lists its alternatives).
    pub name: Text,
    /// Original, copy or both.
    pub form: MaterialForm,
    /// Needed at acceptance (false: may follow later).
    pub at_acceptance: bool,
    /// Working days to hand it in when it may follow.
    pub within: Option<u32>,
    /// Deadline when it may follow.
    pub due: Option<Due>,
    /// How long it serves later applications once on file.
    pub keep: crate::domain::form::Keep,
}

/// The plan of one application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The acceptance date everything counts from.
    pub accepted_on: NaiveDate,
    /// Steps in order.
    pub steps: Vec<PlannedStep>,
    /// Materials that apply to this applicant.
    pub materials: Vec<PlannedMaterial>,
    /// The whole-process limit's due date, if the form has one.
    pub total_due: Option<Due>,
}

/// A material's display name: its own name, or "name: A / B / C" for an
/// any-one-of group.
pub fn material_name(m: &crate::domain::form::Material) -> Text {
    if m.any_of.is_empty() {
        return m.name.clone();
    }
    let zh: Vec<&str> = m.any_of.iter().map(|a| a.name.zh.as_str()).collect();
    let en: Vec<&str> = m.any_of.iter().map(|a| a.name.en.as_str()).collect();
    Text {
        zh: format!("{}（任选其一：{}）", m.name.zh, zh.join("、")),
        en: format!("{} (any one of: {})", m.name.en, en.join(" / ")),
    }
}

/// Plans an application accepted on `accepted_on`.
pub fn plan(
    form: &Form,
    calendar: &Calendar,
    accepted_on: NaiveDate,
    applicant: ApplicantKind,
    via_agent: bool,
) -> Result<Plan, Msg> {
    let mut steps = Vec::new();
    let mut previous: Option<Due> = Some(Due {
        date: accepted_on,
        estimated: false,
    });
    for s in &form.steps {
        let start = match s.starts_from {
            StepStart::Acceptance => Some(Due {
                date: accepted_on,
                estimated: false,
            }),
            StepStart::PreviousStep => previous,
            StepStart::CustomerRequest | StepStart::InspectionPassed => None,
        };
        let due = match start {
            Some(from) => {
                let d = calendar.due(from.date, s.limit_working_days)?;
                Some(Due {
                    date: d.date,
                    estimated: d.estimated || from.estimated,
                })
            }
            None => None,
        };
        previous = due;
        steps.push(PlannedStep {
            id: s.id.clone(),
            name: s.name.clone(),
            limit: s.limit_working_days,
            starts_from: s.starts_from,
            due,
        });
    }
    let mut materials = Vec::new();
    for m in form
        .materials
        .iter()
        .filter(|m| m.applies(applicant, via_agent))
    {
        let (at_acceptance, within) = match m.due {
            MaterialDue::AtAcceptance => (true, None),
            MaterialDue::MayFollow {
                within_working_days,
            } => (false, Some(within_working_days)),
        };
        let due = match within {
            Some(n) => Some(calendar.due(accepted_on, n)?),
            None => None,
        };
        materials.push(PlannedMaterial {
            id: m.id.clone(),
            name: material_name(m),
            form: m.form,
            at_acceptance,
            within,
            due,
            keep: m.keep,
        });
    }
    let total_due = match form.total_limit_working_days {
        Some(n) => Some(calendar.due(accepted_on, n)?),
        None => None,
    };
    Ok(Plan {
        accepted_on,
        steps,
        materials,
        total_due,
    })
}
