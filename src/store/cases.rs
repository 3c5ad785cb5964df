//! Cases after the window: a case's steps as they stand, steps recorded
//! done, pauses and resumes, visits, the end of a case (the queue is in
//! `case_queue`).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

pub use super::case_queue::{due_by, orphaned, owner_due, queue, QueueFilter, QueueRow};
use super::stamp::{at, at_opt, day, day_opt, ts};
use super::StoreError;
use crate::domain::case::{next_step_due, CaseRules, NextDue, Verdict, Way};
use crate::domain::form::StepStart;
use crate::domain::msg::Lang;
use crate::domain::states::{ApplicationStatus, StepStatus};

/// A case's head as a write needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseHead {
    pub id: i64,
    pub ticket: String,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// Paused since, if paused.
    pub paused_at: Option<DateTime<Utc>>,
    /// The owner's row id.
    pub owner: i64,
    /// Business type.
    pub form_code: String,
    /// Waiting for a return visit by this date.
    pub visit_due: Option<NaiveDate>,
}

/// One step as a write needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStep {
    /// Position.
    pub seq: i64,
    pub step_id: String,
    /// Where it stands.
    pub status: StepStatus,
    /// Limit in working days.
    pub limit_wd: i64,
    /// What its clock starts from.
    pub starts_from: StepStart,
    /// Due date when known.
    pub due_date: Option<NaiveDate>,
}

/// A case by ticket with its steps in order.
pub fn case(
    conn: &Connection,
    ticket: &str,
) -> Result<Option<(CaseHead, Vec<CaseStep>)>, StoreError> {
    let head = conn
        .prepare_cached(
            "SELECT id, ticket_no, status, paused_at, owner, form_code, visit_due FROM application WHERE ticket_no = ?1",
        )?
        .query_row([ticket], |r| {
            Ok(CaseHead {
                id: r.get(0)?,
                ticket: r.get(1)?,
                status: r.get(2)?,
                paused_at: at_opt(r, 3)?,
                owner: r.get(4)?,
                form_code: r.get(5)?,
                visit_due: day_opt(r, 6)?,
            })
        })
        .optional()?;
    let Some(head) = head else { return Ok(None) };
    let steps = conn
        .prepare_cached(
            "SELECT seq, step_id, status, limit_wd, starts_from, due_date FROM application_step
             WHERE application_id = ?1 ORDER BY seq",
        )?
        .query_map([head.id], |r| {
            Ok(CaseStep {
                seq: r.get(0)?,
                step_id: r.get(1)?,
                status: r.get(2)?,
                limit_wd: r.get(3)?,
                starts_from: r.get(4)?,
                due_date: day_opt(r, 5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some((head, steps)))
}

/// The number to text the customer at (the application's contact mobile
/// when it has one, else the customer's phone) and the language they are
/// told in.
pub fn contact_phone(conn: &Connection, app: i64) -> Result<Option<(String, Lang)>, StoreError> {
    let (fields, phone, lang): (String, Option<String>, Lang) = conn
        .prepare_cached(
            "SELECT a.fields, c.phone, c.lang FROM application a JOIN customer c ON c.id = a.customer_id WHERE a.id = ?1",
        )?
        .query_row([app], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let mobile = serde_json::from_str::<serde_json::Value>(&fields)
        .ok()
        .and_then(|v| v["contact_mobile"].as_str().map(str::to_string));
    Ok(mobile
        .or(phone)
        .filter(|p| !p.trim().is_empty())
        .map(|p| (p, lang)))
}

/// Records a step done.
pub fn step_done(
    tx: &Transaction,
    app: i64,
    seq: i64,
    by: i64,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE application_step SET status = 'done', done_at = ?3, done_by = ?4, note = ?5
         WHERE application_id = ?1 AND seq = ?2",
    )?
    .execute(params![
        app,
        seq,
        ts(now),
        by,
        (!note.is_empty()).then_some(note)
    ])?;
    Ok(())
}

/// A step headquarters reports done for a case of this counter: recorded
/// done (by HQ, at HQ's time, with its note) unless it already is, and the
/// next pending step becomes current with the due date planned for it. The
/// last step done completes the case, or leaves it waiting for its return
/// visit when `rules` says it gets one; the next step falls due by the
/// rule the counter's own steps follow. `step` is the form's step id or,
/// as a back office may write it, the step's name.
pub fn done_at_hq(
    tx: &Transaction,
    ticket: &str,
    step: &str,
    at: &str,
    note: &str,
    rules: Option<&CaseRules>,
) -> Result<HqStepDone, StoreError> {
    let Some((head, steps)) = case(tx, ticket)? else {
        return Ok(HqStepDone::NotHere);
    };
    if head.status != ApplicationStatus::Open {
        return Ok(HqStepDone::Closed);
    }
    let id = rules
        .and_then(|r| r.step_id(&head.form_code, step))
        .unwrap_or(step);
    let Some(i) = steps.iter().position(|s| s.step_id == id) else {
        return Ok(HqStepDone::UnknownStep);
    };
    if steps[i].status == StepStatus::Done {
        return Ok(HqStepDone::AlreadyDone);
    }
    let done_on = chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Local).date_naive())
        .ok();
    let note = if note.trim().is_empty() {
        "总部 / HQ".to_string()
    } else {
        format!("总部 / HQ：{}", note.trim())
    };
    tx.prepare_cached(
        "UPDATE application_step SET status = 'done', done_at = ?3, note = ?4 WHERE application_id = ?1 AND seq = ?2",
    )?
    .execute(params![head.id, steps[i].seq, at, note])?;
    // Earlier steps HQ skipped over are done too: the back office is past them.
    for s in steps[..i].iter().filter(|s| s.status != StepStatus::Done) {
        tx.prepare_cached("UPDATE application_step SET status = 'done', done_at = ?3 WHERE application_id = ?1 AND seq = ?2")?
            .execute(params![head.id, s.seq, at])?;
    }
    match steps.get(i + 1) {
        Some(next) if next.status == StepStatus::Pending => {
            let due = match (rules, done_on) {
                (Some(r), Some(day)) => {
                    let rule = next_step_due(
                        &r.calendar,
                        day,
                        next.starts_from,
                        next.limit_wd,
                        next.due_date,
                    );
                    match rule {
                        Ok(NextDue::Due { date, estimated }) => Some((date, estimated)),
                        // A day past the calendar's years: the planned date stands.
                        Ok(NextDue::Planned | NextDue::Waits) | Err(_) => None,
                    }
                }
                _ => None,
            };
            make_current(tx, head.id, next.seq, due)?
        }
        Some(_) => {}
        None => {
            let visit = rules
                .zip(done_on)
                .and_then(|(p, d)| p.visit_due(&head.form_code, ticket, d));
            match visit {
                Some(due) => set_visit_due(tx, head.id, Some(due))?,
                None => {
                    tx.prepare_cached("UPDATE application SET status = 'completed', ended_at = ?2, paused_at = NULL WHERE id = ?1")?
                        .execute(params![head.id, at])?;
                }
            }
        }
    }
    Ok(HqStepDone::Moved(head.id))
}

/// What a step HQ's back office reports done did here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HqStepDone {
    /// The case moved on.
    Moved(i64),
    /// The ticket is not a case of this counter.
    NotHere,
    /// The case is closed here already.
    Closed,
    /// The step was done here already.
    AlreadyDone,
    /// The case has no such step (by id or name): held for a person.
    UnknownStep,
}

/// Makes a step the current one, with the due date it gets now.
pub fn make_current(
    tx: &Transaction,
    app: i64,
    seq: i64,
    due: Option<(NaiveDate, bool)>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE application_step SET status = 'current',
             due_date = coalesce(?3, due_date), due_estimated = coalesce(?4, due_estimated)
         WHERE application_id = ?1 AND seq = ?2",
    )?
    .execute(params![
        app,
        seq,
        due.map(|d| day(d.0)),
        due.map(|d| d.1 as i64)
    ])?;
    Ok(())
}

/// The last step is done and the case waits for its return visit by `due`
/// (or no longer waits: `None`).
pub fn set_visit_due(tx: &Transaction, app: i64, due: Option<NaiveDate>) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE application SET visit_due = ?2 WHERE id = ?1")?
        .execute(params![app, due.map(day)])?;
    Ok(())
}

/// Records a return visit.
pub fn visit(
    tx: &Transaction,
    app: i64,
    by: i64,
    way: crate::domain::case::Way,
    verdict: crate::domain::case::Verdict,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO return_visit (application_id, at, by_clerk, way, verdict, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![app, ts(now), by, way, verdict, (!note.is_empty()).then_some(note)])?;
    Ok(())
}

/// A case the customer was not satisfied with: its last step is worked on
/// again, due by `due`.
pub fn reopen_step(
    tx: &Transaction,
    app: i64,
    seq: i64,
    due: NaiveDate,
    estimated: bool,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE application_step SET status = 'current', done_at = NULL, done_by = NULL, due_date = ?3, due_estimated = ?4
         WHERE application_id = ?1 AND seq = ?2",
    )?
    .execute(params![app, seq, day(due), estimated as i64])?;
    Ok(())
}

/// Moves a step's due date (a pause's working days added).
pub fn set_due(
    tx: &Transaction,
    app: i64,
    seq: i64,
    due: NaiveDate,
    estimated: bool,
) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE application_step SET due_date = ?3, due_estimated = ?4 WHERE application_id = ?1 AND seq = ?2")?
        .execute(params![app, seq, day(due), estimated as i64])?;
    Ok(())
}

/// Ends a case.
pub fn end(
    tx: &Transaction,
    app: i64,
    status: ApplicationStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE application SET status = ?2, ended_at = ?3, end_reason = ?4, paused_at = NULL WHERE id = ?1")?
        .execute(params![app, status, ts(now), reason])?;
    Ok(())
}

/// Pauses a case for a customer-caused delay.
pub fn pause(
    tx: &Transaction,
    app: i64,
    by: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT INTO case_pause (application_id, paused_at, paused_by, reason) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![app, ts(now), by, reason])?;
    tx.prepare_cached("UPDATE application SET paused_at = ?2 WHERE id = ?1")?
        .execute(params![app, ts(now)])?;
    Ok(())
}

/// Resumes a paused case, recording the working days the pause took.
pub fn resume(
    tx: &Transaction,
    app: i64,
    by: i64,
    working_days: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE case_pause SET resumed_at = ?2, resumed_by = ?3, working_days = ?4
         WHERE application_id = ?1 AND resumed_at IS NULL",
    )?
    .execute(params![app, ts(now), by, working_days])?;
    tx.prepare_cached("UPDATE application SET paused_at = NULL WHERE id = ?1")?
        .execute([app])?;
    Ok(())
}

/// When a case ended, and the reason given.
pub type Ending = (DateTime<Utc>, Option<String>);

/// When a case ended and the reason given, if it has ended.
pub fn ending(conn: &Connection, app: i64) -> Result<Option<Ending>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT ended_at, end_reason FROM application WHERE id = ?1 AND ended_at IS NOT NULL",
        )?
        .query_row([app], |r| Ok((at(r, 0)?, r.get(1)?)))
        .optional()?)
}

/// The pause under way: since when and why.
pub fn open_pause(
    conn: &Connection,
    app: i64,
) -> Result<Option<(DateTime<Utc>, String)>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT paused_at, reason FROM case_pause WHERE application_id = ?1 AND resumed_at IS NULL")?
        .query_row([app], |r| Ok((at(r, 0)?, r.get(1)?)))
        .optional()?)
}

/// One step's record: done when, by whom, with what note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    pub step_id: String,
    /// When it was recorded done.
    pub done_at: Option<DateTime<Utc>>,
    /// Who recorded it (staff number, name).
    pub done_by: Option<(String, String)>,
    pub note: Option<String>,
}

/// The done records of a case's steps, in order.
pub fn step_records(conn: &Connection, app: i64) -> Result<Vec<StepRecord>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT s.step_id, s.done_at, c.staff_no, c.name, s.note FROM application_step s
         LEFT JOIN clerk c ON c.id = s.done_by WHERE s.application_id = ?1 ORDER BY s.seq",
    )?;
    let rows = st.query_map([app], |r| {
        let staff: Option<String> = r.get(2)?;
        let name: Option<String> = r.get(3)?;
        Ok(StepRecord {
            step_id: r.get(0)?,
            done_at: at_opt(r, 1)?,
            done_by: staff.zip(name),
            note: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Pauses of a case: (paused_at, reason, resumed_at, working days).
pub type PauseRecord = (DateTime<Utc>, String, Option<DateTime<Utc>>, Option<i64>);

/// Every pause of a case, in order.
pub fn pauses(conn: &Connection, app: i64) -> Result<Vec<PauseRecord>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT paused_at, reason, resumed_at, working_days FROM case_pause WHERE application_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([app], |r| {
        Ok((at(r, 0)?, r.get(1)?, at_opt(r, 2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A return visit as recorded: when, by whom (staff number, name), how,
/// the customer's verdict, the note.
pub type VisitRecord = (
    DateTime<Utc>,
    (String, String),
    Way,
    Verdict,
    Option<String>,
);

/// Every return visit of a case, in order.
pub fn visits(conn: &Connection, app: i64) -> Result<Vec<VisitRecord>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT v.at, c.staff_no, c.name, v.way, v.verdict, v.note FROM return_visit v
         JOIN clerk c ON c.id = v.by_clerk WHERE v.application_id = ?1 ORDER BY v.id",
    )?;
    let rows = st.query_map([app], |r| {
        Ok((
            at(r, 0)?,
            (r.get(1)?, r.get(2)?),
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A hand-over as recorded: when, from whom to whom (staff number, name),
/// by whom, why.
pub type HandoverRecord = (DateTime<Utc>, (String, String), (String, String), String);

/// Every hand-over of a case, in order.
pub fn handovers(conn: &Connection, app: i64) -> Result<Vec<HandoverRecord>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT h.at, f.staff_no, f.name, t.staff_no, t.name, h.reason FROM application_handover h
         JOIN clerk f ON f.id = h.from_owner JOIN clerk t ON t.id = h.to_owner
         WHERE h.application_id = ?1 ORDER BY h.id",
    )?;
    let rows = st.query_map([app], |r| {
        Ok((
            at(r, 0)?,
            (r.get(1)?, r.get(2)?),
            (r.get(3)?, r.get(4)?),
            r.get(5)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One time a step was recorded done: when, the step, who (staff number,
/// name; none when HQ did it), the note.
pub type CompletionRecord = (DateTime<Utc>, String, Option<(String, String)>, String);

/// Every time a step of the case was recorded done, from the audit log
/// (a step reopened after a visit keeps only its last completion in its
/// row).
pub fn completions(conn: &Connection, ticket: &str) -> Result<Vec<CompletionRecord>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT a.at, json_extract(a.detail, '$.step'), c.staff_no, c.name,
                coalesce(json_extract(a.detail, '$.note'), '')
         FROM audit_log a LEFT JOIN clerk c ON c.id = a.clerk_id
         WHERE a.subject = ?1 AND a.action = 'case.step_done' ORDER BY a.seq",
    )?;
    let rows = st.query_map([ticket], |r| {
        let staff: Option<String> = r.get(2)?;
        let name: Option<String> = r.get(3)?;
        Ok((
            at(r, 0)?,
            r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            staff.zip(name),
            r.get(4)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A case's course as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseTrail {
    /// Each step's done record, in order.
    pub records: Vec<StepRecord>,
    /// Every pause.
    pub pauses: Vec<PauseRecord>,
    pub visits: Vec<VisitRecord>,
    /// When it ended, and the reason given.
    pub ended: Option<(DateTime<Utc>, Option<String>)>,
}
