//! The case queue as the store reads it: open cases by urgency through
//! the due-date index, return visits and cases HQ sent down merged in, and
//! the counts a sign-in reports.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use super::stamp::{day, day_opt};
use super::StoreError;
use crate::domain::case::CaseOrigin;

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
    pub ticket: String,
    /// Customer's name.
    pub customer: String,
    /// Customer's ID number (masked by whoever shows it).
    pub id_no: String,
    /// Business type.
    pub form_code: String,
    /// The current step's name (zh, en).
    pub step: Option<(String, String)>,
    pub due_date: Option<NaiveDate>,
    /// The moment it is due, where that is by the hour (a reconnection).
    pub due_at: Option<chrono::DateTime<chrono::Utc>>,
    pub paused: bool,
    /// Owner: staff number, name, disabled.
    pub owner: (String, String, bool),
    /// Accepted here, sent down by HQ, or a reconnection.
    pub origin: CaseOrigin,
    /// The customer manager's name, when the case has one.
    pub manager: Option<String>,
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
        a.paused_at IS NOT NULL, o.staff_no, o.name, o.disabled, 'here',
        (SELECT m.name FROM case_manager m WHERE m.application_id = a.id)
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
        due_at: None,
        paused: r.get(7)?,
        owner: (r.get(8)?, r.get(9)?, r.get::<_, i64>(10)? != 0),
        origin: r.get(11)?,
        manager: r.get(12)?,
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
                    0, o.staff_no, o.name, o.disabled, 'here',
        (SELECT m.name FROM case_manager m WHERE m.application_id = a.id)
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
                    0, o.staff_no, o.name, o.disabled, 'here',
        (SELECT m.name FROM case_manager m WHERE m.application_id = a.id)
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
                    0, coalesce(c.staff_no, h.owner), coalesce(c.name, ''), coalesce(c.disabled, 0), 'hq', NULL
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

/// The business types that have open cases (accepted here or sent down
/// by HQ), for the queue's business filter; `owner` narrows to one clerk's.
pub fn open_forms(conn: &Connection, owner: Option<i64>) -> Result<Vec<String>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT a.form_code FROM application a
         WHERE a.status = 'open' AND (?1 IS NULL OR a.owner = ?1)
         UNION
         SELECT DISTINCT h.form FROM hq_case h LEFT JOIN clerk c ON c.staff_no = h.owner
         WHERE h.open = 1 AND (?1 IS NULL OR c.id = ?1)
           AND NOT EXISTS (SELECT 1 FROM application a WHERE a.ticket_no = h.ticket)",
    )?;
    let rows = st.query_map([owner], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
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
