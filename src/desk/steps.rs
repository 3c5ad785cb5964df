//! A planned step as the application stores it.

use crate::domain::states::StepStatus;
use crate::store::applications::StepRow;

/// The stored row of the `i`-th planned step: the first is current.
pub(super) fn step_row(i: usize, s: &crate::domain::plan::PlannedStep) -> StepRow {
    StepRow {
        seq: i as i64 + 1,
        step_id: s.id.clone(),
        name_zh: s.name.zh.clone(),
        name_en: s.name.en.clone(),
        limit_wd: s.limit as i64,
        due_date: s.due.map(|d| d.date),
        due_estimated: s.due.is_some_and(|d| d.estimated),
        status: if i == 0 {
            StepStatus::Current
        } else {
            StepStatus::Pending
        },
    }
}
