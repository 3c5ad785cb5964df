//! Cases after the window: a case's steps as they stand, steps recorded
//! done, pauses and resumes, the end of a case, and the urgency queue.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::stamp::{at, at_opt, day, day_opt, ts};
use super::StoreError;
use crate::domain::case::{CaseOrigin, Verdict, VisitPlan, Way};
use crate::domain::form::StepStart;
use crate::domain::msg::Lang;
use crate::domain::states::{ApplicationStatus, StepStatus};

/// A case's head as a write needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseHead {
    /// Row id.
    pub id: i64,
    /// Ticket.
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
    /// Step id.
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
/// visit when `plan` says it gets one. Nothing happens for a ticket that is
/// not here, a closed case or a step it does not have.
pub fn done_at_hq(
    tx: &Transaction,
    ticket: &str,
    step: &str,
    at: &str,
    note: &str,
    plan: Option<&VisitPlan>,
) -> Result<(), StoreError> {
    let Some((head, steps)) = case(tx, ticket)? else {
        return Ok(());
    };
    if head.status != ApplicationStatus::Open {
        return Ok(());
    }
    let Some(i) = steps
        .iter()
        .position(|s| s.step_id == step && s.status != StepStatus::Done)
    else {
        return Ok(());
    };
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
            make_current(tx, head.id, next.seq, None)?
        }
        Some(_) => {}
        None => {
            let day = chrono::DateTime::parse_from_rfc3339(at)
                .map(|t| t.with_timezone(&chrono::Local).date_naive())
                .ok();
            let visit = plan
                .zip(day)
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
    Ok(())
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
    /// Step id.
    pub step_id: String,
    /// When it was recorded done.
    pub done_at: Option<DateTime<Utc>>,
    /// Who recorded it (staff number, name).
    pub done_by: Option<(String, String)>,
    /// The note.
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

/// A case's course as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseTrail {
    /// Each step's done record, in order.
    pub records: Vec<StepRecord>,
    /// Every pause.
    pub pauses: Vec<PauseRecord>,
    /// Every return visit.
    pub visits: Vec<VisitRecord>,
    /// When it ended, and the reason given.
    pub ended: Option<(DateTime<Utc>, Option<String>)>,
}

/// Which open cases the queue lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Only this owner's (clerk row id).
    pub owner: Option<i64>,
    /// Only this business type.
    pub form_code: Option<String>,
    /// Only paused cases (`Some(true)`), only running ones (`Some(false)`).
    pub paused: Option<bool>,
}

/// One open case in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    /// Ticket.
    pub ticket: String,
    /// Customer's name.
    pub customer: String,
    /// Customer's ID number (masked by whoever shows it).
    pub id_no: String,
    /// Business type.
    pub form_code: String,
    /// The current step's name (zh, en).
    pub step: Option<(String, String)>,
    /// Its due date.
    pub due_date: Option<NaiveDate>,
    /// Paused.
    pub paused: bool,
    /// Owner: staff number, name, disabled.
    pub owner: (String, String, bool),
    /// Accepted here, sent down by HQ, or a reconnection.
    pub origin: CaseOrigin,
}

impl QueueRow {
    /// The current step's name in `lang` (empty when none is current).
    pub fn step_name(&self, lang: crate::domain::msg::Lang) -> String {
        match (&self.step, lang) {
            (Some((zh, _)), crate::domain::msg::Lang::Zh) => zh.clone(),
            (Some((_, en)), crate::domain::msg::Lang::En) => en.clone(),
            (None, _) => String::new(),
        }
    }
}

const QUEUE_SELECT: &str =
    "SELECT a.ticket_no, c.name, c.id_no, a.form_code, s.name_zh, s.name_en, s.due_date,
        a.paused_at IS NOT NULL, o.staff_no, o.name, o.disabled, 'here'
     FROM application a
     JOIN customer c ON c.id = a.customer_id
     JOIN clerk o ON o.id = a.owner
     LEFT JOIN application_step s ON s.application_id = a.id AND s.status = 'current'";

fn queue_row(r: &rusqlite::Row) -> rusqlite::Result<QueueRow> {
    let zh: Option<String> = r.get(4)?;
    let en: Option<String> = r.get(5)?;
    Ok(QueueRow {
        ticket: r.get(0)?,
        customer: r.get(1)?,
        id_no: r.get(2)?,
        form_code: r.get(3)?,
        step: zh.zip(en),
        due_date: day_opt(r, 6)?,
        paused: r.get(7)?,
        owner: (r.get(8)?, r.get(9)?, r.get::<_, i64>(10)? != 0),
        origin: r.get(11)?,
    })
}

/// Open cases by urgency, at most `limit`: running cases by their current
/// step's due date (the earliest first: overdue, today, soon, later), then
/// those waiting for an event, then paused ones.
pub fn queue(conn: &Connection, f: &QueueFilter, limit: i64) -> Result<Vec<QueueRow>, StoreError> {
    let cond =
        "a.status = 'open' AND (?1 IS NULL OR a.owner = ?1) AND (?2 IS NULL OR a.form_code = ?2)";
    let mut out = Vec::new();
    if f.paused != Some(true) {
        // Walks the due-date index of current steps, so the first screen
        // costs the same with 200,000 open cases as with 20.
        let sql = format!(
            "SELECT a.ticket_no, c.name, c.id_no, a.form_code, s.name_zh, s.name_en, s.due_date,
                    0, o.staff_no, o.name, o.disabled, 'here'
             FROM application_step s INDEXED BY application_step_current_due
             JOIN application a ON a.id = s.application_id
             JOIN customer c ON c.id = a.customer_id
             JOIN clerk o ON o.id = a.owner
             WHERE s.status = 'current' AND s.due_date IS NOT NULL AND a.paused_at IS NULL AND {cond}
             ORDER BY s.due_date, s.application_id LIMIT ?3"
        );
        let mut st = conn.prepare_cached(&sql)?;
        out.extend(
            st.query_map(params![f.owner, f.form_code, limit], queue_row)?
                .collect::<Result<Vec<_>, _>>()?,
        );
        // Cases waiting for their return visit, by the visit's date,
        // merged in date order (there are few; their own index).
        let sql = format!(
            "SELECT a.ticket_no, c.name, c.id_no, a.form_code, '回访', 'Return visit', a.visit_due,
                    0, o.staff_no, o.name, o.disabled, 'here'
             FROM application a INDEXED BY application_visit_due
             JOIN customer c ON c.id = a.customer_id
             JOIN clerk o ON o.id = a.owner
             WHERE a.visit_due IS NOT NULL AND a.paused_at IS NULL AND {cond}
             ORDER BY a.visit_due, a.id LIMIT ?3"
        );
        let mut st = conn.prepare_cached(&sql)?;
        let visits = st
            .query_map(params![f.owner, f.form_code, limit], queue_row)?
            .collect::<Result<Vec<_>, _>>()?;
        // Cases HQ sent down for this hall that were not accepted here.
        let mut st = conn.prepare_cached(
            "SELECT h.ticket, h.holder_name, h.holder_id, h.form, h.step, h.step, h.due_date,
                    0, coalesce(c.staff_no, h.owner), coalesce(c.name, ''), coalesce(c.disabled, 0), 'hq'
             FROM hq_case h LEFT JOIN clerk c ON c.staff_no = h.owner
             WHERE h.open = 1 AND NOT EXISTS (SELECT 1 FROM application a WHERE a.ticket_no = h.ticket)
               AND (?1 IS NULL OR c.id = ?1) AND (?2 IS NULL OR h.form = ?2)
             ORDER BY h.due_date IS NULL, h.due_date LIMIT ?3",
        )?;
        let sent_down = st
            .query_map(params![f.owner, f.form_code, limit], queue_row)?
            .collect::<Result<Vec<_>, _>>()?;
        if !visits.is_empty() || !sent_down.is_empty() {
            out.extend(visits);
            out.extend(sent_down);
            // Dated cases by date, undated after them.
            out.sort_by_key(|r| (r.due_date.is_none(), r.due_date));
            out.truncate(limit.max(0) as usize);
        }
        if (out.len() as i64) < limit {
            let sql = format!(
                "{QUEUE_SELECT} WHERE {cond} AND a.paused_at IS NULL AND s.due_date IS NULL AND a.visit_due IS NULL ORDER BY a.id LIMIT ?3"
            );
            let mut st = conn.prepare_cached(&sql)?;
            let left = limit - out.len() as i64;
            out.extend(
                st.query_map(params![f.owner, f.form_code, left], queue_row)?
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
    }
    if f.paused != Some(false) && (out.len() as i64) < limit {
        let sql = format!(
            "{QUEUE_SELECT} WHERE {cond} AND a.paused_at IS NOT NULL ORDER BY a.paused_at LIMIT ?3"
        );
        let mut st = conn.prepare_cached(&sql)?;
        let left = limit - out.len() as i64;
        out.extend(
            st.query_map(params![f.owner, f.form_code, left], queue_row)?
                .collect::<Result<Vec<_>, _>>()?,
        );
    }
    Ok(out)
}

/// Running cases of these business types whose current step or return
/// visit is due by `today`.
pub fn due_by(conn: &Connection, form_codes: &[&str], today: NaiveDate) -> Result<i64, StoreError> {
    let mut n = 0;
    for code in form_codes {
        n += conn
            .prepare_cached(
                "SELECT count(*) FROM application a
                 LEFT JOIN application_step s ON s.application_id = a.id AND s.status = 'current'
                 WHERE a.status = 'open' AND a.paused_at IS NULL AND a.form_code = ?1
                   AND coalesce(s.due_date, a.visit_due) <= ?2",
            )?
            .query_row(params![code, day(today)], |r| r.get::<_, i64>(0))?;
    }
    Ok(n)
}

/// Open cases whose owner's account is disabled (the duty manager hands
/// them to someone).
pub fn orphaned(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM application a JOIN clerk c ON c.id = a.owner
             WHERE a.status = 'open' AND c.disabled != 0",
        )?
        .query_row([], |r| r.get(0))?)
}

/// An owner's running cases, return visits and cases HQ sent down to
/// them: how many are overdue and how many due today.
pub fn owner_due(
    conn: &Connection,
    owner: i64,
    today: NaiveDate,
) -> Result<(i64, i64), StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(d < ?2), 0), coalesce(sum(d = ?2), 0) FROM (
                 SELECT s.due_date AS d
                 FROM application_step s JOIN application a ON a.id = s.application_id
                 WHERE s.status = 'current' AND s.due_date <= ?2 AND a.status = 'open'
                   AND a.paused_at IS NULL AND a.owner = ?1
                 UNION ALL
                 -- Return visits the owner must pay.
                 SELECT a.visit_due FROM application a
                 WHERE a.visit_due <= ?2 AND a.status = 'open' AND a.paused_at IS NULL AND a.owner = ?1
                 UNION ALL
                 -- Cases HQ sent down to this owner.
                 SELECT h.due_date FROM hq_case h JOIN clerk c ON c.staff_no = h.owner
                 WHERE h.open = 1 AND h.due_date <= ?2 AND c.id = ?1
                   AND NOT EXISTS (SELECT 1 FROM application x WHERE x.ticket_no = h.ticket))",
        )?
        .query_row(params![owner, day(today)], |r| Ok((r.get(0)?, r.get(1)?)))?)
}
