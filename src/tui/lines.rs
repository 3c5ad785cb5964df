//! How a step and a material of an application read on screen, shared by
//! the customer's card, the accepted application and the applications
//! screen.

use chrono::{DateTime, Local, NaiveDate, Utc};

use crate::domain::msg::Lang;
use crate::domain::states::{MaterialStatus, StepStatus};
use crate::msg;
use crate::store::applications::{ApplicationRow, MaterialRow, StepRow};
use crate::tui::text::{t, text};

/// The hall's local day of an instant.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Local).date_naive()
}

/// A step as one line: name, limit, due date, state.
pub fn step_line(s: &StepRow, lang: Lang) -> String {
    let due = match s.due_date {
        Some(d) if s.due_estimated => text(&msg!("applications.due_estimated", date = d), lang),
        Some(d) => text(&msg!("applications.due", date = d), lang),
        None => t("applications.due_later", lang),
    };
    let name = if lang == Lang::Zh {
        &s.name_zh
    } else {
        &s.name_en
    };
    let state = match s.status {
        StepStatus::Current => t("applications.step_current", lang),
        StepStatus::Done => t("applications.step_done", lang),
        StepStatus::Pending => t("applications.step_pending", lang),
    };
    text(
        &msg!(
            "applications.step_line",
            name = name,
            limit = s.limit_wd,
            due = due,
            state = state
        ),
        lang,
    )
}

/// A material as one line: name, received or owed by when.
pub fn material_line(m: &MaterialRow, lang: Lang) -> String {
    let said = material_state(m, lang);
    match &m.scan {
        Some(s) => {
            let scan = msg!(
                "scan.on_card",
                kind = s.kind.label(),
                size = crate::domain::scan::size_text(s.bytes)
            );
            format!("{said}〔{}〕", text(&scan, lang))
        }
        None => said,
    }
}

fn material_state(m: &MaterialRow, lang: Lang) -> String {
    let name = if lang == Lang::Zh {
        &m.name_zh
    } else {
        &m.name_en
    };
    match (m.status, m.due_date) {
        (MaterialStatus::Owed, Some(d)) => {
            text(&msg!("applications.owed_by", name = name, date = d), lang)
        }
        (MaterialStatus::Owed, None) => text(&msg!("applications.owed", name = name), lang),
        (MaterialStatus::OnFile, _) => text(&msg!("applications.on_file", name = name), lang),
        (MaterialStatus::Received, _) => text(
            &msg!(
                "applications.received",
                name = name,
                at = m
                    .received_at
                    .map(|at| local_day(at).to_string())
                    .unwrap_or_default()
            ),
            lang,
        ),
    }
}

/// Whether a due date has passed.
pub fn overdue(due: Option<NaiveDate>, today: NaiveDate) -> bool {
    due.is_some_and(|d| d < today)
}

/// The current step of an application (the first not done).
pub fn current_step(a: &ApplicationRow) -> Option<&StepRow> {
    a.steps.iter().find(|s| s.status != StepStatus::Done)
}

/// The materials received for this application (not taken from the
/// file), numbered from 1 as the clerk picks one to attach a scan to.
pub fn in_hand(a: &ApplicationRow) -> Vec<&MaterialRow> {
    a.materials
        .iter()
        .filter(|m| m.status == MaterialStatus::Received)
        .collect()
}

/// The materials still owed, in form order.
pub fn owed(a: &ApplicationRow) -> Vec<&MaterialRow> {
    a.materials
        .iter()
        .filter(|m| m.status == MaterialStatus::Owed)
        .collect()
}

/// An account's supply state in words.
pub fn supply_state(s: crate::domain::states::SupplyState) -> crate::domain::msg::Msg {
    use crate::domain::states::SupplyState;
    match s {
        SupplyState::Normal => crate::msg!("supply.normal"),
        SupplyState::CutOff => crate::msg!("supply.cut_off"),
        SupplyState::Suspended => crate::msg!("supply.suspended"),
        SupplyState::Closed => crate::msg!("supply.closed"),
    }
}

/// A material's name without its list of alternatives.
pub fn short_name(name: &str) -> &str {
    ["（任选其一", " (any one of"]
        .iter()
        .find_map(|cut| name.split_once(cut).map(|(head, _)| head))
        .unwrap_or(name)
}
