//! A case after the window: which step may be recorded done, how urgent an
//! open case is against its due date, and how a pause moves the limits.
//! Pure: the calendar and today are given.

use chrono::NaiveDate;

use crate::domain::calendar::Calendar;
use crate::domain::msg::Msg;
use crate::domain::states::{ApplicationStatus, StepStatus};
use crate::msg;

/// How a case ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseEnd {
    /// Every step done.
    Completed,
    /// The customer withdrew it.
    Withdrawn,
    /// Refused or put off, with a reason; the customer signs the record.
    Refused,
}

impl CaseEnd {
    /// The application's status after it.
    pub fn status(self) -> ApplicationStatus {
        match self {
            CaseEnd::Completed => ApplicationStatus::Completed,
            CaseEnd::Withdrawn => ApplicationStatus::Withdrawn,
            CaseEnd::Refused => ApplicationStatus::Refused,
        }
    }

    /// Catalogue key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            CaseEnd::Completed => "case.end_completed",
            CaseEnd::Withdrawn => "case.end_withdrawn",
            CaseEnd::Refused => "case.end_refused",
        }
    }
}

/// How a return visit was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Way {
    Phone,
    InPerson,
}

impl Way {
    /// How it is named on screens and in reports.
    pub fn label(self) -> Msg {
        match self {
            Way::Phone => Msg::words("电话", "by phone"),
            Way::InPerson => Msg::words("上门", "in person"),
        }
    }
}

/// The customer's verdict at the return visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Satisfied: the case closes.
    Satisfied,
    /// Not satisfied: the case opens again at its last step.
    NotSatisfied,
}

impl Verdict {
    /// How it is named on screens and in reports.
    pub fn label(self) -> Msg {
        match self {
            Verdict::Satisfied => Msg::words("满意", "satisfied"),
            Verdict::NotSatisfied => Msg::words("不满意", "not satisfied"),
        }
    }
}

/// What moves a case on besides its own rows — when the next step falls
/// due, which cases wait for a return visit and by when, and what each
/// form calls its steps — as the desk knows it (forms, the configured share
/// and days, the holiday calendar), handed to whatever moves a case on:
/// the counter's own step and HQ's feed alike, so both follow one rule.
#[derive(Debug, Clone)]
pub struct CaseRules {
    /// Each business type's category, by form code.
    pub categories: std::collections::HashMap<String, crate::domain::form::Category>,
    /// Each form's steps as (id, Chinese name, English name), by form code.
    pub steps: std::collections::HashMap<String, Vec<(String, String, String)>>,
    /// Share of new connections visited, in percent.
    pub percent: u32,
    /// Working days after the last step to pay the visit.
    pub within_wd: u32,
    /// The holiday calendar.
    pub calendar: Calendar,
}

/// When the step after one that was done falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextDue {
    /// Counted from the day the step before it was done.
    Due {
        date: NaiveDate,
        /// Beyond the calendar's years: an estimate.
        estimated: bool,
    },
    /// Its clock ran from acceptance: the date planned then stands.
    Planned,
    /// It waits for the customer to ask for it (its clock starts then).
    Waits,
}

/// The one rule for the next step's due date, whoever records the step
/// before it (the counter, or HQ's back office through the feed): a step
/// that runs from the previous one, or from the passed inspection, counts
/// its working days from the day that step was done; one that runs from
/// acceptance keeps the date planned then (or counts from now if it had
/// none); one the customer must ask for waits.
pub fn next_step_due(
    cal: &Calendar,
    done_on: NaiveDate,
    starts_from: crate::domain::form::StepStart,
    limit_wd: i64,
    planned: Option<NaiveDate>,
) -> Result<NextDue, Msg> {
    use crate::domain::form::StepStart;
    let count = || {
        cal.due(done_on, limit_wd.max(0) as u32)
            .map(|d| NextDue::Due {
                date: d.date,
                estimated: d.estimated,
            })
    };
    match starts_from {
        StepStart::PreviousStep | StepStart::InspectionPassed => count(),
        StepStart::Acceptance if planned.is_none() => count(),
        StepStart::Acceptance => Ok(NextDue::Planned),
        StepStart::CustomerRequest => Ok(NextDue::Waits),
    }
}

impl CaseRules {
    /// The step id `named` means for a case of `form_code`: the id itself,
    /// or the step's Chinese or English name as HQ's back office may write
    /// it (`业务受理`). `None` when the form has no such step.
    pub fn step_id<'a>(&'a self, form_code: &str, named: &'a str) -> Option<&'a str> {
        let named = named.trim();
        let steps = self.steps.get(form_code)?;
        steps
            .iter()
            .find(|(id, _, _)| id == named)
            .or_else(|| {
                steps
                    .iter()
                    .find(|(_, zh, en)| zh == named || en.eq_ignore_ascii_case(named))
            })
            .map(|(id, _, _)| id.as_str())
    }

    /// The day a case whose last step was done on `day` must be visited
    /// by, if it waits for a visit.
    pub fn visit_due(&self, form_code: &str, ticket: &str, day: NaiveDate) -> Option<NaiveDate> {
        let category = *self.categories.get(form_code)?;
        if !needs_visit(category, ticket, self.percent) {
            return None;
        }
        // A day beyond the calendar's years: the visit is due that day.
        Some(
            self.calendar
                .due(day, self.within_wd)
                .map(|d| d.date)
                .unwrap_or(day),
        )
    }
}

/// Why a reconnection after arrears was called off: the payment that
/// cleared the arrears no longer stands, so they are owed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReconnectionCancel {
    /// The payment was reversed (冲正) within its shift.
    Reversed,
    /// The cheque that paid it came back unpaid (退票).
    Dishonoured,
}

/// Whether a case waits for a return visit after its last step: every
/// complaint and opinion (service category), and a share of new
/// connections chosen by ticket (the same ticket always chooses the same).
pub fn needs_visit(category: crate::domain::form::Category, ticket: &str, percent: u32) -> bool {
    use crate::domain::form::Category;
    match category {
        Category::Service => true,
        Category::NewConnection => {
            // FNV-1a: spread evenly over tickets, stable across runs.
            let mut h: u64 = 0xcbf29ce484222325;
            for b in ticket.bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x100000001b3);
            }
            (h % 100) < u64::from(percent.min(100))
        }
        _ => false,
    }
}

/// How soon an open case is due, in the order the queue lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Past its due time by this many hours (a reconnection, due by the hour).
    LateHours(i64),
    /// Due by the hour within two days: this many hours left.
    HoursLeft(i64),
    /// Past its due date by this many working days.
    Overdue(i64),
    DueToday,
    /// Due within two working days (this many left).
    Soon(i64),
    /// Due later (this many working days left).
    Later(i64),
    /// Paused: the clock stands.
    Paused,
    /// No due date yet (the step waits for an event).
    NoDate,
}

impl Urgency {
    /// The bucket's rank (lower first) for sorting.
    pub fn rank(self) -> u8 {
        match self {
            Urgency::LateHours(_) | Urgency::Overdue(_) => 0,
            Urgency::HoursLeft(_) | Urgency::DueToday => 1,
            Urgency::Soon(_) => 2,
            Urgency::Later(_) => 3,
            Urgency::Paused => 4,
            Urgency::NoDate => 5,
        }
    }

    /// The words for the queue: "超期 2 个工作日", "今天到期", "剩 3 个工作日"...
    pub fn msg(self) -> Msg {
        match self {
            Urgency::LateHours(h) => msg!("case.late_by_hours", hours = h),
            Urgency::HoursLeft(h) => msg!("case.hours_left", hours = h),
            Urgency::Overdue(d) => msg!("case.overdue_by", days = d),
            Urgency::DueToday => msg!("case.due_today"),
            Urgency::Soon(d) | Urgency::Later(d) => msg!("case.days_left", days = d),
            Urgency::Paused => msg!("case.paused"),
            Urgency::NoDate => msg!("case.no_date"),
        }
    }
}

/// Working days `d` with `from < d <= to` (0 when `to <= from`).
pub fn working_days_between(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> i64 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        match d.succ_opt() {
            Some(next) => d = next,
            None => break,
        }
        if cal.is_working_day(d).0 {
            n += 1;
        }
    }
    n
}

/// How urgent a case is today.
pub fn urgency(cal: &Calendar, due: Option<NaiveDate>, paused: bool, today: NaiveDate) -> Urgency {
    if paused {
        return Urgency::Paused;
    }
    let Some(due) = due else {
        return Urgency::NoDate;
    };
    if due < today {
        // A due date that fell on a Friday is one working day over on Monday.
        Urgency::Overdue(working_days_between(cal, due, today).max(1))
    } else if due == today {
        Urgency::DueToday
    } else {
        match working_days_between(cal, today, due) {
            d if d <= 2 => Urgency::Soon(d.max(1)),
            d => Urgency::Later(d),
        }
    }
}

/// How urgent a reconnection is: it is due by the hour, so once its time
/// has passed it is late by whole hours begun, even on its own day.
pub fn reconnection_urgency(
    cal: &Calendar,
    due_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    today: NaiveDate,
) -> Urgency {
    if due_at <= now {
        let minutes = (now - due_at).num_minutes();
        return Urgency::LateHours(((minutes + 59) / 60).max(1));
    }
    // A deadline by the hour is told by the hour, as the cashier and the
    // receipt tell it (within 24 hours), while it is near.
    let left = (due_at - now).num_minutes();
    if left <= 48 * 60 {
        return Urgency::HoursLeft(((left + 59) / 60).max(1));
    }
    let day = due_at.with_timezone(&chrono::Local).date_naive();
    urgency(cal, Some(day), false, today)
}

/// Where a queued case comes from, which decides what opening it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseOrigin {
    /// Accepted at this counter: it opens on its customer's applications.
    Here,
    /// Sent down by HQ for this hall: handled in HQ's systems.
    Hq,
    /// A reconnection after arrears, done by HQ's field crew.
    Reconnection,
    /// A poor rating's return visit, the duty manager's (Ctrl+R).
    PoorRating,
}

/// Which step of a case (`steps` as (id, status) in order) may be recorded
/// done as `step_id`: its index, or why not.
pub fn step_to_record(
    status: ApplicationStatus,
    paused: bool,
    steps: &[(String, StepStatus)],
    step_id: &str,
) -> Result<usize, Msg> {
    if status != ApplicationStatus::Open {
        return Err(msg!("case.closed"));
    }
    if paused {
        return Err(msg!("case.is_paused"));
    }
    if !steps.iter().any(|(_, s)| *s == StepStatus::Current) {
        // Every step is done: the case waits for its return visit.
        return Err(msg!("case.no_current_step"));
    }
    let Some(i) = steps.iter().position(|(id, _)| id == step_id) else {
        let ids: Vec<&str> = steps.iter().map(|(id, _)| id.as_str()).collect();
        return Err(msg!(
            "case.unknown_step",
            step = step_id,
            steps = ids.join(", ")
        ));
    };
    match steps[i].1 {
        StepStatus::Done => Err(msg!("case.step_done_already", step = step_id)),
        StepStatus::Current => Ok(i),
        StepStatus::Pending => {
            let current = steps
                .iter()
                .find(|(_, s)| *s == StepStatus::Current)
                .map(|(id, _)| id.clone())
                .unwrap_or_default();
            Err(msg!(
                "case.step_out_of_order",
                step = step_id,
                current = current
            ))
        }
    }
}

/// A reason as typed: trimmed, not empty, not longer than 200 characters.
pub fn reason(typed: &str) -> Result<String, Msg> {
    let t = typed.trim();
    if t.is_empty() {
        return Err(msg!("case.reason_needed"));
    }
    if t.chars().count() > 200 {
        return Err(msg!("case.reason_long", max = 200));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(s: &[(&str, StepStatus)]) -> Vec<(String, StepStatus)> {
        s.iter().map(|(a, b)| (a.to_string(), *b)).collect()
    }

    #[test]
    fn only_the_current_step_of_an_open_running_case_is_recorded() {
        let s = steps(&[
            ("a", StepStatus::Done),
            ("b", StepStatus::Current),
            ("c", StepStatus::Pending),
        ]);
        let open = ApplicationStatus::Open;
        assert_eq!(step_to_record(open, false, &s, "b"), Ok(1));
        assert_eq!(
            step_to_record(open, false, &s, "a").map_err(|m| m.key),
            Err("case.step_done_already")
        );
        assert_eq!(
            step_to_record(open, false, &s, "c").map_err(|m| m.key),
            Err("case.step_out_of_order")
        );
        assert_eq!(
            step_to_record(open, false, &s, "x").map_err(|m| m.key),
            Err("case.unknown_step")
        );
        assert_eq!(
            step_to_record(open, true, &s, "b").map_err(|m| m.key),
            Err("case.is_paused")
        );
        let done = ApplicationStatus::Completed;
        assert_eq!(
            step_to_record(done, false, &s, "b").map_err(|m| m.key),
            Err("case.closed")
        );
    }

    #[test]
    fn a_reason_is_needed_and_kept_short() {
        assert_eq!(reason("  ").map_err(|m| m.key), Err("case.reason_needed"));
        assert_eq!(reason(" 客户外出 "), Ok("客户外出".to_string()));
        assert!(reason(&"长".repeat(201)).is_err());
    }
}
